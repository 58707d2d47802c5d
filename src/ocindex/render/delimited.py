"""CSV and TSV output: each view's `rows()` under a stable header line.

Numbers are written as published (6.47, 7.5); absent values are empty cells.
"""

from __future__ import annotations

from typing import Any, TextIO

from ocindex.text import printable


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"  # published figures have at most two decimals: 6.47, 7.5, -0.5
    return printable(
        str(value), multiline=True
    )  # data holds no control characters; arguments might


def render_delimited(view: Any, stream: TextIO, delimiter: str) -> None:
    header, rows = view.rows()
    if delimiter == "\t":
        # TSV: one record per line, so tabs and newlines inside a value become spaces.
        def clean(text: str) -> str:
            return " ".join(text.replace("\t", " ").split("\n"))

        stream.write("\t".join(header) + "\n")
        for row in rows:
            stream.write("\t".join(clean(cell(v)) for v in row) + "\n")
        return
    import csv  # only CSV needs quoting rules

    writer = csv.writer(stream, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell(v) for v in row])
