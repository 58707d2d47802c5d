"""Output: one renderer per format. Views come in, text goes to stdout.

`table` (Rich, for terminals), `json`, `csv` and `tsv`. Without `--format`, a terminal
gets a table and anything else (a pipe, a file) gets TSV: complete, unwrapped, no colour.
"""

from __future__ import annotations

import enum
import sys
from typing import Any, TextIO


class OutputFormat(str, enum.Enum):
    table = "table"
    json = "json"
    csv = "csv"
    tsv = "tsv"


def choose_format(requested: OutputFormat | None, stream: TextIO | None = None) -> OutputFormat:
    """The format to use: the one asked for, else a table on a terminal and TSV elsewhere."""
    if requested is not None:
        return requested
    stream = stream or sys.stdout
    isatty = getattr(stream, "isatty", None)
    return OutputFormat.table if isatty is not None and isatty() else OutputFormat.tsv


def emit(view: Any, fmt: OutputFormat, stream: TextIO | None = None) -> None:
    """Write `view` to `stream` (stdout) in `fmt`."""
    stream = stream or sys.stdout
    if fmt is OutputFormat.json:
        from ocindex.render.json_output import render_json

        render_json(view, stream)
    elif fmt in (OutputFormat.csv, OutputFormat.tsv):
        from ocindex.render.delimited import render_delimited

        render_delimited(view, stream, "\t" if fmt is OutputFormat.tsv else ",")
    else:
        from ocindex.render.table import render_table

        render_table(view, stream)
