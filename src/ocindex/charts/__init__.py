"""Pictures: maps and charts as Vega-Lite specs, rendered offline by vl-convert-python.

Nothing here is imported on the query path; `vl_convert` is imported only when a picture is
written, and its absence is a `MissingExtraError` naming the extra `ocindex[charts]`.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from ocindex.errors import MissingExtraError, UsageError

SOURCE = "Source: Global Organized Crime Index {edition}, GI-TOC"
BAND_EDGES = (1.0, 2.5, 4.0, 5.5, 7.0, 8.5)
"""Score bands of the maps (the last one closed at 10); 5.50 is the quadrant threshold."""
BAD_HIGH = ("#fee5d9", "#fcbba1", "#fc9272", "#fb6a4a", "#de2d26", "#a50f15")
"""ColorBrewer Reds: criminality, darker is worse (monotonic lightness: greyscale-safe)."""
GOOD_HIGH = ("#08519c", "#3182bd", "#6baed6", "#9ecae1", "#c6dbef", "#eff3ff")
"""ColorBrewer Blues reversed: resilience, darker is worse (low)."""
NO_DATA = "#ffffff"


def good_when_high(pillar: str, key: str) -> bool:
    """Resilience (its indicators and the composite itself) is good when high: its colours are
    reversed so that darker is worse."""
    return pillar == "resilience" or key == "resilience"


def band_of(score: float) -> int:
    """The band (0-5) of a score."""
    return max(i for i, edge in enumerate(BAND_EDGES) if score >= edge)


def band_labels() -> list[str]:
    tops = [*BAND_EDGES[1:], 10.0]
    return [
        f"{low:.2f}\u2013{top - 0.01:.2f}" if top < 10 else f"{low:.2f}\u201310.00"
        for low, top in zip(BAND_EDGES, tops, strict=False)
    ]


@cache
def geometry() -> dict[str, Any]:
    """The shipped world map (prepared by tools/make_geometry.py)."""
    loaded: dict[str, Any] = json.loads(
        (Path(__file__).parent / "world.json").read_text(encoding="utf-8")
    )
    return loaded


def _converter() -> Any:
    try:
        import vl_convert
    except ImportError as exc:
        raise MissingExtraError(
            "pictures need the optional extra 'charts'",
            "Install it with: pip install 'ocindex[charts]'",
        ) from exc
    return vl_convert


def _atomic_write(path: Path, data: bytes) -> None:
    """The file is complete or absent: written beside its target, then renamed."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)
        os.replace(temporary, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from exc
        raise


def _html_page(convert: Any, spec: dict[str, Any]) -> str:
    """A self-contained page (Vega bundled, no CDN). vl-convert embeds the spec as JSON in a
    <script> without escaping `</script>`: strings that could break out are swapped for tokens,
    then put back as JSON with `<`, `>` and `&` escaped."""
    originals: list[str] = []

    def swap(value: Any) -> Any:
        if isinstance(value, str) and any(ch in value for ch in "<>&"):
            originals.append(value)
            return f"__ocindex_{len(originals) - 1}__"
        if isinstance(value, dict):
            return {key: swap(item) for key, item in value.items()}
        if isinstance(value, list):
            return [swap(item) for item in value]
        return value

    page = str(convert.vegalite_to_html(swap(spec), bundle=True))
    for number, original in enumerate(originals):
        safe = json.dumps(original).replace("<", "\\u003c").replace(">", "\\u003e")
        page = page.replace(f'"__ocindex_{number}__"', safe.replace("&", "\\u0026"))
    return page


def save(
    spec: dict[str, Any],
    *,
    svg: Path | None = None,
    png: Path | None = None,
    html: Path | None = None,
) -> list[Path]:
    """Render `spec` to each file asked for (all rendered before any is written)."""
    convert = _converter()
    outputs: list[tuple[Path, bytes]] = []
    if svg is not None:
        outputs.append((svg, str(convert.vegalite_to_svg(spec)).encode("utf-8")))
    if png is not None:
        outputs.append((png, bytes(convert.vegalite_to_png(spec, scale=2))))
    if html is not None:
        outputs.append((html, _html_page(convert, spec).encode("utf-8")))
    for path, data in outputs:
        _atomic_write(path, data)
    return [path for path, _ in outputs]
