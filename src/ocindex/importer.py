"""`ocindex import`: official dataset files (Excel or CSV) into the TOML profiles.

Columns are mapped by header name, never by position, across the spellings the official
files use ("Criminality avg," in the 2023 sheet, "Criminality" in 2021, "Criminality avg."
in 2025). Every row is identified by ISO3 (its own column, or its name looked up in the
existing profiles and the seed table `countries.csv`), every indicator and composite is
checked against the index's rules, and only then is anything written. Profiles are edited
in place with tomlkit, so hand-written content (aliases, profile text, stated ranks) and
comments survive; each file is replaced atomically and only when its content changes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ocindex.errors import DataError, ImportSourceError, MissingExtraError, UsageError
from ocindex.figures import hundredths, published_composites
from ocindex.indicators import BY_KEY, EDITIONS, score_keys, snake_case
from ocindex.resolve import normalize
from ocindex.schema import check_score
from ocindex.store import (
    MANIFEST,
    decode_toml,
    invalid_data,
    profile_files,
    write_atomically,
    write_compiled_index,
)

IDENTITY_COLUMNS = ("country", "continent", "region", "iso3")
HEADER_SUFFIX = re.compile(r"\s*avg\s*[.,]?\s*$", re.IGNORECASE)
YEAR_IN_NAME = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
MAX_LISTED = 12


@dataclass(frozen=True)
class SourceTable:
    """One edition's rows as read from a file (a CSV, or one sheet of a workbook)."""

    edition: int
    file: str
    sheet: str | None
    sha256: str
    columns: dict[str, str]
    """Header as written -> the key it maps to."""
    ignored: tuple[str, ...]
    rows: list[dict[str, Any]]
    """Each row keyed by mapped key."""
    commas_for_dots: bool
    """The sheet wrote every "." as "," (headers "avg,", names "Congo, Dem, Rep,")."""

    @property
    def label(self) -> str:
        return f"{self.file} [{self.sheet}]" if self.sheet else self.file


@dataclass(frozen=True)
class SeedCountry:
    iso3: str
    iso2: str
    name: str
    aliases: tuple[str, ...]


@dataclass
class ImportReport:
    """What an import did: per edition, the rows read; per file, written or unchanged."""

    tables: list[SourceTable]
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    manifest_changed: bool = False
    index_changed: bool = False
    """Whether the directory's compiled index (`index.json`) was rewritten."""


# -- reading ----------------------------------------------------------------------------


def column_key(header: str) -> str | None:
    """The key a header maps to: "Criminal markets avg," -> "criminal_markets"."""
    stem = HEADER_SUFFIX.sub("", header.strip()).replace("&", " and ")
    key = snake_case(stem)
    return key if key in BY_KEY or key in IDENTITY_COLUMNS else None


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _edition_from(name: str, given: int | None, where: str) -> int:
    if given is not None:
        return given
    found = YEAR_IN_NAME.findall(name)
    if len(set(found)) != 1:
        raise UsageError(
            f"cannot tell which edition {where} holds",
            "Say it with --edition YEAR.",
        )
    return int(found[0])


def _table(
    edition: int, file: str, sheet: str | None, digest: str, grid: list[list[Any]]
) -> SourceTable:
    if not grid or not any(cell not in (None, "") for cell in grid[0]):
        raise ImportSourceError(f"{file}{f' [{sheet}]' if sheet else ''}: no header row")
    headers = ["" if cell is None else str(cell) for cell in grid[0]]
    columns: dict[str, str] = {}
    ignored: list[str] = []
    positions: dict[str, int] = {}
    for position, header in enumerate(headers):
        key = column_key(header)
        if key is None:
            if header.strip():
                ignored.append(header)
            continue
        if key in positions:
            raise ImportSourceError(f"{file}: two columns map to {key!r}: {header!r}")
        columns[header] = key
        positions[key] = position
    rows = []
    for raw in grid[1:]:
        if all(cell in (None, "") for cell in raw):
            continue
        row = {key: raw[pos] if pos < len(raw) else None for key, pos in positions.items()}
        rows.append(row)
    commas = any(re.search(r"avg\s*,\s*$", h, re.IGNORECASE) for h in headers)
    return SourceTable(edition, file, sheet, digest, columns, tuple(ignored), rows, commas)


def check_edition(edition: int) -> None:
    """Accept the known editions and any later one (the next edition, same methodology);
    refuse a year in between or before them, which no edition of the index has."""
    if edition not in EDITIONS and edition < EDITIONS[-1]:
        known = ", ".join(str(year) for year in EDITIONS)
        raise UsageError(
            f"{edition} is not an edition of the index",
            f"Editions so far: {known}; a newer one can be imported as such.",
        )


def read_source(path: Path, edition: int | None = None) -> list[SourceTable]:
    """Read an official dataset file: every edition sheet of a workbook, or one CSV."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportSourceError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    digest = _sha256(data)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_workbook(path, data, digest, edition)
    if suffix in (".csv", ".tsv", ".txt"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportSourceError(f"{path}: not UTF-8 text") from exc
        dialect = "excel-tab" if suffix == ".tsv" or "\t" in text.split("\n", 1)[0] else "excel"
        grid = [list(row) for row in csv.reader(io.StringIO(text), dialect=dialect)]
        year = _edition_from(path.name, edition, path.name)
        return [_table(year, path.name, None, digest, grid)]
    raise UsageError(
        f"{path}: unknown file type {suffix or '(none)'}",
        "Import an official .xlsx workbook or a .csv file.",
    )


def _read_workbook(path: Path, data: bytes, digest: str, edition: int | None) -> list[SourceTable]:
    try:
        import openpyxl
    except ImportError as exc:
        raise MissingExtraError(
            "reading Excel files needs openpyxl, which is not installed",
            "Install the extra: pip install 'ocindex[xlsx]' (or import a CSV export).",
        ) from exc
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ImportSourceError(f"{path}: not a readable Excel workbook ({exc})") from exc
    tables = []
    try:
        for sheet in book.worksheets:
            found = YEAR_IN_NAME.findall(sheet.title)
            if "dataset" not in sheet.title.lower() or len(found) != 1:
                continue
            year = int(found[0])
            if edition is not None and year != edition:
                continue
            grid = [list(row) for row in sheet.iter_rows(values_only=True)]
            tables.append(_table(year, path.name, sheet.title, digest, grid))
    finally:
        book.close()
    if not tables:
        wanted = f" for {edition}" if edition else ""
        raise ImportSourceError(
            f"{path}: no dataset sheet{wanted} (expected sheets named like '2023_dataset')"
        )
    return tables


# -- identifying rows -------------------------------------------------------------------


def seed_countries() -> list[SeedCountry]:
    """The seed table of identities shipped with the package (ISO codes, names, aliases)."""
    text = resources.files("ocindex").joinpath("countries.csv").read_text(encoding="utf-8")
    return [
        SeedCountry(
            row["iso3"], row["iso2"], row["name"], tuple(filter(None, row["aliases"].split("|")))
        )
        for row in csv.DictReader(io.StringIO(text))
    ]


@dataclass
class _Existing:
    """The profiles already in the data directory, decoded."""

    path_by_iso3: dict[str, Path]
    raw_by_iso3: dict[str, dict[str, Any]]


def _existing_profiles(directory: Path) -> _Existing:
    """The directory's profiles, checked as loading checks them: an import builds on them."""
    from ocindex.schema import check_directory, check_profile

    files = profile_files(directory) if directory.is_dir() else []
    decoded = {path.name: decode_toml(path) for path in files}
    problems = [p for name, raw in decoded.items() for p in check_profile(raw, name)]
    problems += check_directory(None, decoded) if not problems else []
    if problems:
        raise invalid_data(directory, problems)
    paths = {raw["country"]["iso3"]: directory / name for name, raw in decoded.items()}
    raws = {raw["country"]["iso3"]: raw for raw in decoded.values()}
    return _Existing(paths, raws)


def _name_lookup(seeds: Iterable[SeedCountry], existing: _Existing) -> dict[str, set[str]]:
    lookup: dict[str, set[str]] = {}
    for seed in seeds:
        for name in (seed.name, seed.iso3, *seed.aliases):
            lookup.setdefault(normalize(name), set()).add(seed.iso3)
    for iso3, raw in existing.raw_by_iso3.items():
        identity = raw.get("country", {})
        for name in (identity.get("name", ""), *identity.get("aliases", [])):
            if isinstance(name, str) and name:
                lookup.setdefault(normalize(name), set()).add(iso3)
    return lookup


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return round(float(value), 10)  # drop binary noise such as 6.4700000000000006
    if isinstance(value, str) and value.strip():
        try:
            return round(float(value.strip().replace(",", ".")), 10)
        except ValueError:
            return None
    return None


@dataclass(frozen=True)
class _Row:
    iso3: str
    name: str
    continent: str
    region: str
    scores: dict[str, float]


def _check_table(
    table: SourceTable, lookup: Mapping[str, set[str]], known: set[str]
) -> tuple[list[_Row], list[str], list[str]]:
    """The rows of a table, the names it could not identify, and every other problem."""
    problems: list[str] = []
    unknown: list[str] = []
    if not table.rows:
        problems.append(f"{table.label}: no country rows")
        return [], unknown, problems
    expected = score_keys(table.edition)
    missing = [
        k for k in ("country", "continent", "region", *expected) if k not in table.columns.values()
    ]
    if missing:
        problems.append(f"{table.label}: missing columns for {', '.join(missing)}")
        return [], unknown, problems
    rows: list[_Row] = []
    seen: dict[str, str] = {}
    for number, raw in enumerate(table.rows, start=2):
        name = str(raw.get("country") or "").strip()
        where = f"{table.label} row {number} ({name or 'no name'})"
        iso3 = str(raw.get("iso3") or "").strip().upper()
        if iso3:
            if iso3 not in known:
                problems.append(f"{where}: unknown ISO3 code {iso3!r}")
                continue
        else:
            found = lookup.get(normalize(name), set())
            if len(found) != 1:
                unknown.append(name or f"(row {number} has no name)")
                continue
            (iso3,) = found
        if iso3 in seen:
            problems.append(f"{where}: {iso3} already given by {seen[iso3]}")
            continue
        seen[iso3] = name
        scores: dict[str, float] = {}
        for key in expected:
            value = _number(raw.get(key))
            if value is None:
                problems.append(f"{where}: {BY_KEY[key].name}: {raw.get(key)!r} is not a number")
                continue
            reason = check_score(key, value)
            if reason:
                problems.append(f"{where}: {BY_KEY[key].name}: {reason}")
            scores[key] = value
        if len(scores) == len(expected):
            for key, recomputed in published_composites(scores, table.edition).items():
                if hundredths(recomputed) != hundredths(scores[key]):
                    problems.append(
                        f"{where}: {BY_KEY[key].name} is published as {scores[key]:.2f} but its "
                        f"indicators give {recomputed:.2f}"
                    )
        continent = str(raw.get("continent") or "").strip()
        region = str(raw.get("region") or "").strip()
        if not continent or not region:
            problems.append(f"{where}: continent and region are required")
        rows.append(_Row(iso3, name, continent, region, scores))
    return rows, unknown, problems


# -- writing ----------------------------------------------------------------------------


def slug(name: str) -> str:
    """File name stem of a profile: "Côte d'Ivoire" -> "cote-divoire"."""
    return normalize(name).replace(" ", "-") or "country"


def _profile_text(
    current: str | None, row: _Row, table: SourceTable, seed: SeedCountry | None
) -> str:
    """The profile file with `row` as its `table.edition` record; everything else kept."""
    import tomlkit

    record = tomlkit.table()
    record["continent"] = row.continent
    record["region"] = row.region
    scores = tomlkit.table()
    for key in score_keys(table.edition):
        scores[key] = row.scores[key]
    scores.add(tomlkit.nl())  # keep a blank line before whatever table follows
    record["scores"] = scores
    year = str(table.edition)
    if current is None:
        doc = tomlkit.document()
        doc.add(tomlkit.comment("[editions.*] is written by `ocindex import`; the aliases and any"))
        doc.add(
            tomlkit.comment("[profile.*] tables are maintained by hand and never touched by it.")
        )
        identity = tomlkit.table()
        identity["name"] = seed.name if seed and table.commas_for_dots else row.name
        identity["iso3"] = row.iso3
        identity["iso2"] = seed.iso2 if seed else ""
        identity["aliases"] = list(seed.aliases) if seed else []
        doc["country"] = identity
        first = tomlkit.table(is_super_table=True)
        first[year] = record
        doc["editions"] = first
        return tomlkit.dumps(doc)
    doc = tomlkit.parse(current)
    editions: Any = doc["editions"]
    years = sorted(int(key) for key in editions)
    # The display name follows the newest edition whose file spells names properly.
    if not table.commas_for_dots and all(table.edition >= other for other in years):
        identity_table: Any = doc["country"]
        identity_table["name"] = row.name
    if year in editions:
        # In place: replacing the table would drop what tomlkit keeps at its end, such as a
        # comment above a following hand-written [profile.*] table.
        _update_table(editions[year], record)
    elif all(table.edition > other for other in years):
        editions[year] = record
    else:  # an older edition imported later: rebuild so editions stay in year order
        kept = {str(other): editions[str(other)] for other in years}
        kept[year] = record
        for other in years:
            del editions[str(other)]
        for key in sorted(kept, key=int):
            editions[key] = kept[key]
    return tomlkit.dumps(doc)


def _update_table(current: Any, new: Mapping[str, Any]) -> None:
    """Make the tomlkit table `current` hold `new`, touching only the values that differ."""
    for key in [key for key in current if key not in new]:
        del current[key]
    for key, value in new.items():
        if isinstance(value, Mapping) and isinstance(current.get(key), Mapping):
            _update_table(current[key], value)
        elif key not in current or current[key] != value:
            current[key] = value


def _manifest_text(directory: Path, tables: list[SourceTable]) -> str:
    """The manifest, entirely generated: sources of every edition, coverage, default edition.

    Coverage is recomputed from the profiles for every edition, so it is never stale.
    """
    import tomlkit

    manifest_path = directory / MANIFEST
    sources: dict[str, dict[str, Any]] = {}
    if manifest_path.exists():
        sources = {k: dict(v) for k, v in decode_toml(manifest_path).get("editions", {}).items()}
    decoded = [decode_toml(path) for path in profile_files(directory)]
    for table in tables:
        year = str(table.edition)
        already = sum(1 for raw in decoded if year in raw["editions"])
        previous = sources.get(year)
        if previous and len(table.rows) < already:
            # A partial file (corrections for some countries): the edition's main source
            # stays, and this one is listed as an update of the countries it gave.
            update = {"file": table.file, "sha256": table.sha256, "countries": len(table.rows)}
            kept = [u for u in previous.get("updates", []) if u["sha256"] != table.sha256]
            previous["updates"] = [*kept, update]
            continue
        entry: dict[str, Any] = {"file": table.file, "sha256": table.sha256}
        if table.sheet:
            entry["sheet"] = table.sheet
        sources[year] = entry
    # Coverage is measured against every country with a profile; a directory that holds
    # most of the index is measured against the whole index (the seed table), so that an
    # edition imported alone still names the countries its source lacks. A small dataset
    # of one's own is measured against itself.
    members = {raw["country"]["iso3"]: raw["country"]["name"] for raw in decoded}
    seeds = {seed.iso3: seed.name for seed in seed_countries()}
    if len(members.keys() & seeds.keys()) * 2 >= len(seeds):
        members = {**seeds, **members}
    everyone = sorted((name, iso3) for iso3, name in members.items())
    doc = tomlkit.document()
    doc.add(tomlkit.comment("Written by `ocindex import`: where each edition's figures came from,"))
    doc.add(tomlkit.comment("how many countries it covers, and the default edition (the latest"))
    doc.add(tomlkit.comment("complete one). Regenerated on every import; do not edit by hand."))
    body = tomlkit.table(is_super_table=True)
    complete = []
    for year in sorted(sources, key=int):
        covered = {raw["country"]["iso3"] for raw in decoded if year in raw["editions"]}
        missing = tomlkit.array()
        for name, iso3 in everyone:
            if iso3 not in covered:
                item = tomlkit.inline_table()
                item.update({"iso3": iso3, "name": name})
                missing.append(item)
        if missing:
            missing.multiline(True)
        entry = tomlkit.table()
        entry["file"] = sources[year]["file"]
        if "sheet" in sources[year]:
            entry["sheet"] = sources[year]["sheet"]
        entry["sha256"] = sources[year]["sha256"]
        entry["countries"] = len(covered)
        entry["missing"] = missing
        if sources[year].get("updates"):
            updates = tomlkit.array()
            for update in sources[year]["updates"]:
                item = tomlkit.inline_table()
                item.update(update)
                updates.append(item)
            entry["updates"] = updates.multiline(True)
        body[year] = entry
        if not missing:
            complete.append(int(year))
    # The default: the latest complete edition, else the latest of those covering most.
    coverage = {int(y): int(body[y]["countries"]) for y in sources}
    doc["default_edition"] = (
        max(complete) if complete else max(coverage, key=lambda y: (coverage[y], y))
    )
    doc["editions"] = body
    return tomlkit.dumps(doc)


def import_file(path: Path, directory: Path, edition: int | None = None) -> ImportReport:
    """Import one official file into `directory`; nothing is written unless all of it is valid."""
    if edition is not None:
        check_edition(edition)
    tables = read_source(path, edition)
    for table in tables:
        check_edition(table.edition)
    existing = _existing_profiles(directory)
    seeds = {seed.iso3: seed for seed in seed_countries()}
    lookup = _name_lookup(seeds.values(), existing)
    known = set(seeds) | set(existing.path_by_iso3)
    checked: list[tuple[SourceTable, list[_Row]]] = []
    unknown: list[str] = []
    problems: list[str] = []
    for table in tables:
        rows, not_found, found = _check_table(table, lookup, known)
        checked.append((table, rows))
        unknown.extend(f"{name!r} ({table.label})" for name in not_found)
        problems.extend(found)
    if unknown:
        raise ImportSourceError(
            f"{len(unknown)} name(s) match no known country, nothing written: "
            + "; ".join(unknown),
            "Add the name to that country's `aliases` in its profile, or add an ISO3 column.",
        )
    if problems:
        listed = "; ".join(problems[:MAX_LISTED])
        more = f" (and {len(problems) - MAX_LISTED} more)" if len(problems) > MAX_LISTED else ""
        raise ImportSourceError(f"{len(problems)} problem(s), nothing written: {listed}{more}")

    try:
        return _write(directory, tables, checked, existing, seeds)
    except OSError as exc:  # a read-only folder, a full disk: say where, not a traceback
        where = exc.filename or directory
        raise DataError(f"{where}: cannot write: {exc.strerror or exc}") from exc


def _write(
    directory: Path,
    tables: list[SourceTable],
    checked: list[tuple[SourceTable, list[_Row]]],
    existing: _Existing,
    seeds: dict[str, SeedCountry],
) -> ImportReport:
    """Write every changed profile, the manifest and the compiled index."""
    report = ImportReport(tables)
    directory.mkdir(parents=True, exist_ok=True)
    texts: dict[Path, str | None] = {}
    for table, rows in checked:
        for row in rows:
            target = existing.path_by_iso3.get(row.iso3)
            if target is None:
                seed = seeds.get(row.iso3)
                target = directory / f"{slug(seed.name if seed else row.name)}.toml"
                existing.path_by_iso3[row.iso3] = target
            if target not in texts:
                texts[target] = target.read_text(encoding="utf-8") if target.exists() else None
            texts[target] = _profile_text(texts[target], row, table, seeds.get(row.iso3))
    for target, text in sorted(texts.items()):
        assert text is not None
        before = target.read_text(encoding="utf-8") if target.exists() else None
        if before == text:
            report.unchanged.append(target.name)
            continue
        write_atomically(target, text)
        (report.updated if before is not None else report.created).append(target.name)
    manifest_path = directory / MANIFEST
    before = manifest_path.read_text(encoding="utf-8") if manifest_path.exists() else None
    text = _manifest_text(directory, tables)
    if text != before:
        write_atomically(manifest_path, text)
        report.manifest_changed = True
    report.index_changed = write_compiled_index(directory)
    return report
