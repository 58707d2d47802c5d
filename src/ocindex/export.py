"""The whole index as one table: long (one row per country, edition and score) or wide
(one row per country and edition), in the formats other tools read.

Pure functions build the rows; `write_*` functions put them in a stream or a file. Ranks
are the index's own (competition ranking, `figures.competition_ranks`), computed per
edition, score and scope exactly as `ocindex show` and `ocindex rank` compute them.
Binary formats (SQLite, Parquet) and any `--output` file are written to a temporary file
beside the target and renamed into place, so a failure leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ocindex.errors import DataError, MissingExtraError, UsageError
from ocindex.figures import competition_ranks
from ocindex.indicators import ALL, BY_KEY, score_keys
from ocindex.model import SCOPES, Country, EditionRecord
from ocindex.views import LIST_SEPARATOR, source_json

if TYPE_CHECKING:
    from ocindex.index import Index

IDENTITY_COLUMNS: tuple[str, ...] = ("iso3", "iso2", "country", "continent", "region", "edition")
LONG_COLUMNS: tuple[str, ...] = (
    *IDENTITY_COLUMNS,
    "indicator",
    "pillar",
    "score",
    "rank_global",
    "rank_continent",
    "rank_region",
)
"""The tidy table's columns, in order (the scripting contract)."""
CATEGORY_COLUMNS: tuple[str, ...] = (
    "iso3",
    "iso2",
    "country",
    "continent",
    "region",
    "indicator",
    "pillar",
)
"""Columns of repeated strings: categoricals in frames, dictionary-encoded in Parquet."""
RANK_COLUMNS: tuple[str, ...] = ("rank_global", "rank_continent", "rank_region")

WIDE_KEYS: tuple[str, ...] = tuple(item.key for item in ALL)
"""Every score column of the wide table: composites, then indicators in profile order."""

Row = list[Any]


class Table:
    """Header and rows of an export, with the editions it covers and their sources."""

    def __init__(
        self, index: Index, editions: Sequence[int], header: tuple[str, ...], rows: list[Row]
    ) -> None:
        self.editions = tuple(editions)
        self.header = header
        self.rows = rows
        self.sources = [source_json(index.source(e)) for e in self.editions]

    def columns(self) -> dict[str, list[Any]]:
        """Column name -> values, for data frames and Parquet."""
        return {name: [row[i] for row in self.rows] for i, name in enumerate(self.header)}

    def provenance(self) -> dict[str, Any]:
        """What every export states about itself: its sources and shape."""
        return {
            "title": "Global Organized Crime Index (GI-TOC), exported by ocindex",
            "editions": list(self.editions),
            "columns": list(self.header),
            "rows": len(self.rows),
            "source": self.sources,
        }


def choose_editions(index: Index, years: Sequence[int] | None) -> tuple[int, ...]:
    """The editions asked for (each checked), or every edition of the data."""
    if not years:
        return index.editions
    return tuple(sorted({index.edition(year) for year in years}))


def _ranks(members: list[tuple[Country, EditionRecord]], key: str) -> dict[str, dict[str, int]]:
    """ISO3 -> scope -> rank on `key`, within each scope's group of `members`."""
    out: dict[str, dict[str, int]] = {c.iso3: {} for c, _ in members}
    for scope in SCOPES:
        groups: dict[str, dict[str, float]] = {}
        for country, record in members:
            group = "" if scope == "global" else getattr(record, scope)
            groups.setdefault(group, {})[country.iso3] = record.scores[key]
        for values in groups.values():
            for iso3, rank in competition_ranks(values).items():
                out[iso3][scope] = rank
    return out


def _identity(country: Country, record: EditionRecord) -> Row:
    """The IDENTITY_COLUMNS of one country-edition (its continent and region of that edition)."""
    return [
        country.iso3,
        country.iso2,
        country.name,
        record.continent,
        record.region,
        record.edition,
    ]


def long_table(index: Index, years: Sequence[int] | None = None) -> Table:
    """One row per country, edition and score (composites included), with its three ranks."""
    editions = choose_editions(index, years)
    rows: list[Row] = []
    for edition in editions:
        members = index.records(edition)
        keys = score_keys(edition)
        ranks = {key: _ranks(members, key) for key in keys}
        for country, record in members:
            identity = _identity(country, record)
            for key in keys:
                where = ranks[key][country.iso3]
                rows.append(
                    [
                        *identity,
                        key,
                        BY_KEY[key].pillar,
                        record.scores[key],
                        where["global"],
                        where["continent"],
                        where["region"],
                    ]
                )
    return Table(index, editions, LONG_COLUMNS, rows)


def wide_table(index: Index, years: Sequence[int] | None = None) -> Table:
    """One row per country and edition, one column per score (empty where not assessed)."""
    editions = choose_editions(index, years)
    rows: list[Row] = []
    for edition in editions:
        for country, record in index.records(edition):
            rows.append([*_identity(country, record), *map(record.scores.get, WIDE_KEYS)])
    return Table(index, editions, (*IDENTITY_COLUMNS, *WIDE_KEYS), rows)


def table(index: Index, years: Sequence[int] | None = None, *, wide: bool = False) -> Table:
    return wide_table(index, years) if wide else long_table(index, years)


# -- text formats ------------------------------------------------------------------------


def write_delimited(data: Table, stream: IO[str], delimiter: str) -> None:
    """CSV (quoted as needed) or TSV (tabs and line breaks inside a value become spaces)."""
    from ocindex.render.delimited import cell

    if delimiter == "\t":
        stream.write("\t".join(data.header) + "\n")
        for row in data.rows:
            stream.write(
                "\t".join(" ".join(cell(v).replace("\t", " ").splitlines()) for v in row) + "\n"
            )
        return
    import csv

    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(data.header)
    writer.writerows([cell(v) for v in row] for row in data.rows)


def _records(data: Table) -> Iterator[dict[str, Any]]:
    for row in data.rows:
        yield dict(zip(data.header, row, strict=True))


def write_jsonl(data: Table, stream: IO[str]) -> None:
    """One JSON object per line (UTF-8 as is; JSON escaping keeps any text safe)."""
    for record in _records(data):
        stream.write(json.dumps(record, ensure_ascii=False) + "\n")


def write_json(data: Table, stream: IO[str]) -> None:
    """`{"source": [...], "columns": [...], "rows": [{...}, ...]}`."""
    document = {"source": data.sources, "columns": list(data.header), "rows": list(_records(data))}
    json.dump(document, stream, ensure_ascii=False, indent=1)
    stream.write("\n")


TEXT_WRITERS: dict[str, Callable[[Table, IO[str]], None]] = {
    "csv": lambda data, stream: write_delimited(data, stream, ","),
    "tsv": lambda data, stream: write_delimited(data, stream, "\t"),
    "jsonl": write_jsonl,
    "json": write_json,
}
BINARY_FORMATS = ("sqlite", "parquet")


# -- writing files atomically ------------------------------------------------------------


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside `target`, renamed onto it only if the block succeeds."""
    folder = target.parent
    if not folder.is_dir():
        raise UsageError(
            f"cannot write {target}: the folder {folder} does not exist",
            "Create it first, or choose another --output.",
        )
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.replace(temporary, target)
    except OSError as exc:
        raise DataError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def sidecar_path(target: Path) -> Path:
    """Where the provenance of a CSV/TSV/JSONL/Parquet file goes: `F.source.json`."""
    return target.with_name(target.name + ".source.json")


def write_file(index: Index, data: Table, fmt: str, target: Path) -> list[Path]:
    """Write `data` to `target` in `fmt`, with its provenance; return every file written."""
    written = [target]
    if fmt == "sqlite":
        metadata = target.with_name(target.stem + ".metadata.json")
        with atomic_path(target) as temporary:
            write_sqlite(index, data, temporary)
        with atomic_path(metadata) as temporary:
            temporary.write_text(
                json.dumps(datasette_metadata(data, target.stem), ensure_ascii=False, indent=2)
                + "\n",
                encoding="utf-8",
            )
        return [*written, metadata]
    if fmt == "parquet":
        with atomic_path(target) as temporary:
            write_parquet(data, temporary)
    else:
        with atomic_path(target) as temporary, temporary.open("w", encoding="utf-8") as stream:
            TEXT_WRITERS[fmt](data, stream)
    if fmt != "json":  # JSON carries its `source` inside
        sidecar = sidecar_path(target)
        with atomic_path(sidecar) as temporary:
            temporary.write_text(
                json.dumps(data.provenance(), ensure_ascii=False, indent=2) + "\n",
                encoding="utf-8",
            )
        written.append(sidecar)
    return written


# -- SQLite ------------------------------------------------------------------------------

LICENSE = "GI-TOC terms of use: https://ocindex.net (cite the edition)"
SQLITE_SCHEMA = """
CREATE TABLE countries (iso3 TEXT PRIMARY KEY, iso2 TEXT, name TEXT NOT NULL, slug TEXT);
CREATE TABLE editions (
    edition INTEGER PRIMARY KEY, is_default INTEGER NOT NULL, countries INTEGER NOT NULL,
    missing TEXT, file TEXT NOT NULL, sheet TEXT, sha256 TEXT NOT NULL
);
CREATE TABLE indicators (key TEXT PRIMARY KEY, name TEXT NOT NULL, pillar TEXT NOT NULL,
    since INTEGER NOT NULL);
CREATE TABLE narrative (
    id INTEGER PRIMARY KEY, iso3 TEXT NOT NULL REFERENCES countries(iso3),
    edition INTEGER NOT NULL REFERENCES editions(edition), section TEXT, heading TEXT,
    indicators TEXT, text TEXT NOT NULL
);
CREATE VIRTUAL TABLE narrative_fts USING fts5(
    section, heading, indicators, text, content='narrative', content_rowid='id'
);
"""


def _scores_schema(data: Table) -> str:
    types = {"edition": "INTEGER", "score": "REAL", **dict.fromkeys(RANK_COLUMNS, "INTEGER")}
    types.update(dict.fromkeys(WIDE_KEYS, "REAL"))
    columns = ", ".join(f"[{name}] {types.get(name, 'TEXT')}" for name in data.header)
    return f"CREATE TABLE scores ({columns});"


def write_sqlite(index: Index, data: Table, path: Path) -> None:
    """countries, editions, indicators, scores (the exported table, indexed) and the
    narrative with an FTS5 index, in one database file (every value bound, never quoted)."""
    import sqlite3

    connection = sqlite3.connect(path)
    try:
        try:
            connection.executescript(SQLITE_SCHEMA + _scores_schema(data))
        except sqlite3.OperationalError as exc:  # an SQLite built without FTS5
            raise DataError(f"cannot create the SQLite database: {exc}") from None
        with connection:
            connection.executemany(
                "INSERT INTO countries VALUES (?, ?, ?, ?)",
                [(c.iso3, c.iso2, c.name, c.slug) for c in index.countries],
            )
            connection.executemany(
                "INSERT INTO editions VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        s.edition,
                        int(s.edition == index.manifest.default_edition),
                        s.countries,
                        LIST_SEPARATOR.join(m.name for m in s.missing),
                        s.file,
                        s.sheet,
                        s.sha256,
                    )
                    for s in (index.source(e) for e in data.editions)
                ],
            )
            connection.executemany(
                "INSERT INTO indicators VALUES (?, ?, ?, ?)",
                [(i.key, i.name, i.pillar, i.since) for i in ALL],
            )
            marks = ", ".join("?" * len(data.header))
            connection.executemany(f"INSERT INTO scores VALUES ({marks})", data.rows)
            for column in ("iso3", "edition", "indicator"):
                if column in data.header:
                    connection.execute(f"CREATE INDEX scores_{column} ON scores ([{column}])")
            connection.executemany(
                "INSERT INTO narrative (iso3, edition, section, heading, indicators, text) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (
                        country.iso3,
                        year,
                        p.section,
                        p.heading,
                        LIST_SEPARATOR.join(p.indicators),
                        p.text,
                    )
                    for country in index.countries
                    for year, document in sorted(country.documents.items())
                    if year in data.editions
                    for p in document.narrative
                ],
            )
            connection.execute("INSERT INTO narrative_fts(narrative_fts) VALUES ('rebuild')")
    finally:
        connection.close()


def datasette_metadata(data: Table, database: str) -> dict[str, Any]:
    """Datasette metadata: titles, source, licence (`datasette F.db -m F.metadata.json`)."""
    sources = "; ".join(
        f"{s['edition']}: {s['file']}"
        + (f" [{s['sheet']}]" if "sheet" in s else "")
        + f", SHA-256 {s['sha256']}"
        for s in data.sources
    )
    return {
        "title": "Global Organized Crime Index (GI-TOC)",
        "description": "Every country, edition and score of the index, exported by ocindex. "
        "Ranks use competition ranking (ties share the best rank).",
        "source": f"GI-TOC Global Organized Crime Index ({sources})",
        "source_url": "https://ocindex.net",
        "license": LICENSE,
        "license_url": "https://ocindex.net",
        "databases": {
            database: {
                "tables": {
                    "scores": {"title": "Scores, ranks and composites", "sort": "iso3"},
                    "countries": {"title": "Countries"},
                    "editions": {"title": "Editions and their source files (SHA-256)"},
                    "indicators": {"title": "Indicators and composites"},
                    "narrative": {"title": "Profile narrative", "fts_table": "narrative_fts"},
                }
            }
        },
    }


# -- Parquet and data frames -------------------------------------------------------------


def missing_extra(package: str, extra: str, exc: ImportError) -> MissingExtraError:
    return MissingExtraError(
        f'{package} is not installed: pip install "ocindex[{extra}]"',
        f"({exc.name or package} could not be imported)",
    )


def arrow_table(data: Table) -> Any:
    """A pyarrow Table with the export's dtypes and its provenance in the schema metadata."""
    try:
        import pyarrow as pa
    except ImportError as exc:
        raise missing_extra("pyarrow", "parquet", exc) from None
    types: dict[str, Any] = {
        "edition": pa.int16(),
        "score": pa.float64(),
        **dict.fromkeys(RANK_COLUMNS, pa.int16()),
        **dict.fromkeys(WIDE_KEYS, pa.float64()),
    }
    arrays = []
    fields = []
    for name, values in data.columns().items():
        if name in CATEGORY_COLUMNS:
            array = pa.array(values, pa.string()).dictionary_encode()
        else:
            array = pa.array(values, types[name])
        arrays.append(array)
        fields.append(pa.field(name, array.type))
    metadata = {"ocindex": json.dumps(data.provenance(), ensure_ascii=False)}
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields, metadata=metadata))


def write_parquet(data: Table, path: Path) -> None:
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise missing_extra("pyarrow", "parquet", exc) from None
    pq.write_table(arrow_table(data), path)


def to_pandas(data: Table) -> Any:
    """A pandas DataFrame: categoricals for repeated strings, edition int16, scores float64,
    ranks int16; `frame.attrs["source"]` holds the provenance."""
    try:
        import pandas as pd
    except ImportError as exc:
        raise missing_extra("pandas", "pandas", exc) from None
    columns: dict[str, Any] = {}
    for name, values in data.columns().items():
        if name in CATEGORY_COLUMNS:
            columns[name] = pd.Categorical(values)
        elif name == "edition" or name in RANK_COLUMNS:
            columns[name] = pd.array(values, dtype="int16")
        else:
            columns[name] = pd.array(values, dtype="float64")
    frame = pd.DataFrame(columns)
    frame.attrs["source"] = data.sources
    return frame


def to_polars(data: Table) -> Any:
    """A polars DataFrame with the same columns and dtypes (Categorical, Int16, Float64)."""
    try:
        import polars as pl
    except ImportError as exc:
        raise missing_extra("polars", "polars", exc) from None
    series = []
    for name, values in data.columns().items():
        if name in CATEGORY_COLUMNS:
            dtype: Any = pl.Categorical
        elif name == "edition" or name in RANK_COLUMNS:
            dtype = pl.Int16
        else:
            dtype = pl.Float64
        series.append(pl.Series(name, values, dtype=dtype))
    return pl.DataFrame(series)
