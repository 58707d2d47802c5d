"""A table command's `--html`: a self-contained page with a real, sortable <table>."""

from __future__ import annotations

import contextlib
import html
import os
import tempfile
from pathlib import Path
from typing import Any

from ocindex.errors import UsageError

SORT_SCRIPT = """
document.querySelectorAll("th").forEach((th, col) => th.addEventListener("click", () => {
  const body = th.closest("table").tBodies[0];
  const up = th.dataset.dir !== "asc"; th.dataset.dir = up ? "asc" : "desc";
  const key = (row) => { const t = row.cells[col].textContent; const n = parseFloat(t);
    return isNaN(n) ? t : n; };
  [...body.rows].sort((a, b) => { const x = key(a), y = key(b);
    return (x > y ? 1 : x < y ? -1 : 0) * (up ? 1 : -1); }).forEach((r) => body.appendChild(r));
}));
"""


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def page(view: Any, title: str) -> str:
    header, rows = view.rows()
    edition = getattr(view, "edition", None)
    caption = f"{title} · {edition} edition" if edition else title
    cells = "".join(f'<th scope="col">{html.escape(str(h))}</th>' for h in header)
    body = "\n".join(
        "<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row) + "</tr>" for row in rows
    )
    source = f"Source: Global Organized Crime Index {edition}, GI-TOC" if edition else ""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(caption)}</title>"
        "<style>body{font-family:sans-serif;background:#fff;color:#111}"
        "table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:2px 6px}"
        "th{cursor:pointer;background:#f3f3f3}</style></head><body>"
        f"<table><caption>{html.escape(caption)}</caption><thead><tr>{cells}</tr></thead>"
        f"<tbody>\n{body}\n</tbody></table><p>{html.escape(source)}</p>"
        f"<script>{SORT_SCRIPT}</script></body></html>\n"
    )


def write_page(view: Any, path: Path, title: str) -> Path:
    """Complete or absent: written beside the target, then renamed."""
    data = page(view, title).encode("utf-8")
    try:
        handle, temporary = tempfile.mkstemp(
            dir=path.parent if str(path.parent) else ".", prefix=f".{path.name}.", suffix=".tmp"
        )
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(temporary)
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return path
