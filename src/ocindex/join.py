"""Names from other people's tables -> the index's countries, and a user's table with the
index's scores appended.

Every distinct name is resolved once with the tool's own resolver (names, ISO codes,
aliases, accents, the official files' spellings). A name that is unknown or could be
several countries is never guessed: the caller gets every such name, with suggestions.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ocindex.errors import DataError, OcindexError, UsageError
from ocindex.indicators import RANKED_COMPOSITES

if TYPE_CHECKING:
    from ocindex.index import Index
    from ocindex.model import Country

RESOLVE_HEADER = ("input", "iso3", "iso2", "name")


class Unmatched(NamedTuple):
    """A name that resolves to no country, or to several, with the resolver's message."""

    name: str
    rows: tuple[int, ...]
    """Line numbers (the header is line 1) or argument positions where it appears."""
    message: str


class Resolution(NamedTuple):
    """Each distinct input name -> its country (None if unmatched), and what failed."""

    countries: dict[str, Country | None]
    unmatched: tuple[Unmatched, ...]

    def describe(self, where: str = "row") -> list[str]:
        """One line per unmatched name: the resolver's message and where the name appears."""
        lines = []
        for item in self.unmatched:
            shown = ", ".join(str(r) for r in item.rows[:5])
            more = f" and {len(item.rows) - 5} more" if len(item.rows) > 5 else ""
            lines.append(f"{item.message} ({where} {shown}{more})")
        return lines


def resolve_names(index: Index, names: Iterable[tuple[int, str]]) -> Resolution:
    """Resolve each distinct name of (position, name) pairs once."""
    seen: dict[str, list[int]] = {}
    for position, name in names:
        seen.setdefault(name, []).append(position)
    countries: dict[str, Country | None] = {}
    unmatched = []
    for name, positions in seen.items():
        try:
            if not name.strip():
                raise UsageError("empty country name")
            countries[name] = index.country(name.strip())
        except OcindexError as exc:
            countries[name] = None
            unmatched.append(Unmatched(name, tuple(positions), exc.message))
    return Resolution(countries, tuple(unmatched))


class ResolveView(NamedTuple):
    """`ocindex resolve`: each name with its ISO codes and official name."""

    names: tuple[str, ...]
    resolution: Resolution

    def rows(self) -> tuple[tuple[str, ...], list[list[Any]]]:
        out = []
        for name in self.names:
            country = self.resolution.countries[name]
            if country is None:
                out.append([name, None, None, None])
            else:
                out.append([name, country.iso3, country.iso2, country.name])
        return RESOLVE_HEADER, out

    def to_json(self) -> list[dict[str, Any]]:
        header, rows = self.rows()
        return [dict(zip(header, row, strict=True)) for row in rows]


# -- reading a user's table ----------------------------------------------------------------


class UserTable(NamedTuple):
    header: list[str]
    rows: list[list[str]]
    delimiter: str
    """The input's delimiter (a workbook's rows are written as CSV)."""


def read_table(path: Path, sheet: str | None = None) -> UserTable:
    """A CSV, TSV or XLSX file as a header and rows of strings (a UTF-8 BOM is dropped)."""
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        text = path.read_text(encoding="cp1252", errors="replace")
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    if path.suffix.lower() in (".tsv", ".tab"):
        delimiter = "\t"
    elif path.suffix.lower() == ".csv":
        delimiter = ","
    else:
        first = text.split("\n", 1)[0]
        delimiter = max(("\t", ",", ";"), key=first.count)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not rows:
        raise UsageError(f"{path} is empty: it needs a header line")
    return UserTable(rows[0], rows[1:], delimiter)


def _read_xlsx(path: Path, sheet: str | None) -> UserTable:
    from ocindex.export import missing_extra

    try:
        import openpyxl
    except ImportError as exc:
        raise missing_extra("openpyxl", "xlsx", exc) from None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise DataError(f"cannot read {path} as a workbook: {exc}") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise UsageError(
                f"{path} has no sheet {sheet!r}", f"Sheets: {', '.join(book.sheetnames)}."
            )
        worksheet = book[sheet] if sheet is not None else book.worksheets[0]
        rows = [
            ["" if value is None else _xlsx_text(value) for value in row]
            for row in worksheet.iter_rows(values_only=True)
        ]
    finally:
        book.close()
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows:
        raise UsageError(f"{path} is empty: it needs a header row")
    return UserTable(rows[0], rows[1:], ",")


def _xlsx_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def country_column(table: UserTable, wanted: str) -> int:
    """The position of the column named `wanted` (exactly, else ignoring case and spaces)."""
    exact = [i for i, name in enumerate(table.header) if name == wanted]
    if not exact:
        folded = wanted.strip().casefold()
        exact = [i for i, name in enumerate(table.header) if name.strip().casefold() == folded]
    if len(exact) > 1:
        raise UsageError(
            f"column {wanted!r} appears {len(exact)} times in the header",
            "Rename the duplicates so that the country column is unique.",
        )
    if not exact:
        shown = ", ".join(repr(h) for h in table.header[:20])
        raise UsageError(f"no column {wanted!r} in the file", f"Columns: {shown}.")
    return exact[0]


class JoinedTable(NamedTuple):
    """The user's rows with `iso3` and the chosen scores appended."""

    header: tuple[str, ...]
    body: list[list[Any]]
    resolution: Resolution
    notes: tuple[str, ...]

    def rows(self) -> tuple[tuple[str, ...], list[list[Any]]]:
        return self.header, self.body

    def to_json(self) -> list[dict[str, Any]]:
        return [dict(zip(self.header, row, strict=False)) for row in self.body]


def join(
    index: Index,
    table: UserTable,
    column: str,
    indicators: Sequence[str] = (),
    year: int | None = None,
) -> JoinedTable:
    """Append `iso3` and the chosen scores (default: criminality and resilience)."""
    from ocindex.core import require_assessed

    position = country_column(table, column)
    width = len(table.header)
    ragged = [line for line, row in _lines(table) if any(cell.strip() for cell in row[width:])]
    if ragged:
        shown = ", ".join(str(line) for line in ragged[:5])
        raise UsageError(
            f"{len(ragged)} line(s) have more cells than the header ({width}): line {shown}",
            'A name with a comma needs quotes in a CSV file: "Korea, Rep.".',
        )
    edition = index.edition(year)
    chosen = [index.indicator(text) for text in indicators] or [
        index.indicator(key) for key in RANKED_COMPOSITES
    ]
    chosen = list(dict.fromkeys(chosen))
    for item in chosen:
        require_assessed(item, edition)
    resolution = resolve_names(
        index,
        ((line, row[position] if position < len(row) else "") for line, row in _lines(table)),
    )
    taken = set(table.header)
    added = [_fresh("iso3", taken)] + [_fresh(item.key, taken) for item in chosen]
    body = []
    without: dict[str, Country] = {}
    for _, row in _lines(table):
        cells: list[Any] = row[:width] + [""] * (width - len(row))
        country = resolution.countries[row[position] if position < len(row) else ""]
        record = country.records.get(edition) if country else None
        if country is not None and record is None:
            without[country.iso3] = country
        cells.append(country.iso3 if country else None)
        cells.extend(record.scores[item.key] if record else None for item in chosen)
        body.append(cells)
    notes = tuple(
        f"{c.name} has no {edition} scores (the {edition} source lacks it): empty cells"
        for c in without.values()
    )
    return JoinedTable(tuple(table.header) + tuple(added), body, resolution, notes)


def _lines(table: UserTable) -> Iterable[tuple[int, list[str]]]:
    """(line number, row) of the data rows, skipping wholly empty ones."""
    for number, row in enumerate(table.rows, start=2):
        if any(cell.strip() for cell in row):
            yield number, row


def _fresh(name: str, taken: set[str]) -> str:
    """`name`, or `ocindex_name` if the user's header already has it."""
    chosen = name if name not in taken else f"ocindex_{name}"
    taken.add(chosen)
    return chosen
