"""`ocindex import`: official dataset files (Excel or CSV) into the TOML profiles.

Columns are mapped by header name, never by position, across the spellings the official
files use ("Criminality avg," in the 2023 sheet, "Criminality" in 2021, "Criminality avg."
in 2025). Every row is identified by ISO3 (its own column, or its name looked up in the
existing profiles and the seed table `countries.csv`), every indicator and composite is
checked against the index's rules, and only then is anything written. Profiles are edited
in place with tomlkit, so hand-written content (aliases, profile text, stated ranks) and
comments survive.

An import is a transaction: the whole new folder (every profile and the manifest) is built
in memory and checked exactly as loading checks it, then committed with
`transaction.commit`, which leaves the folder all-old or all-new whatever interrupts it.
A refused import changes no byte. Sources are read as streams, within fixed bounds.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ocindex.errors import DataError, ImportSourceError, MissingExtraError, UsageError
from ocindex.figures import hundredths, published_composites
from ocindex.indicators import BY_KEY, EDITIONS, edition_allowed, score_keys, snake_case
from ocindex.resolve import normalize
from ocindex.schema import check_score
from ocindex.store import (
    MANIFEST,
    Snapshot,
    compile_decoded,
    decode_toml,
    invalid_data,
    read_snapshot,
)
from ocindex.text import has_control, printable

IDENTITY_COLUMNS = ("country", "continent", "region", "iso3")
HEADER_SUFFIX = re.compile(r"\s*avg\s*[.,]?\s*$", re.IGNORECASE)
YEAR_IN_NAME = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
MAX_LISTED = 12
MAX_SOURCE_BYTES = 64 * 1024 * 1024
MAX_ROWS = 5_000
"""The index has ~200 countries: a sheet of more rows than this is not an edition of it."""
MAX_COLUMNS = 500


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


# -- reading ----------------------------------------------------------------------------


def column_key(header: str) -> str | None:
    """The key a header maps to: "Criminal markets avg," -> "criminal_markets"."""
    stem = HEADER_SUFFIX.sub("", header.strip()).replace("&", " and ")
    key = snake_case(stem)
    return key if key in BY_KEY or key in IDENTITY_COLUMNS else None


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _edition_from(name: str, given: int | None, where: str) -> int:
    found = {int(year) for year in YEAR_IN_NAME.findall(name)}
    if given is not None:
        if found and found != {given}:
            raise UsageError(
                f"--edition {given} contradicts {where}, which names "
                + ", ".join(str(year) for year in sorted(found)),
                "Rename the file if its name is wrong, or drop --edition.",
            )
        return given
    if len(found) != 1:
        raise UsageError(
            f"cannot tell which edition {where} holds",
            "Say it with --edition YEAR.",
        )
    return found.pop()


def _table(
    edition: int, file: str, sheet: str | None, digest: str, grid: Iterable[Sequence[Any]]
) -> SourceTable:
    """One edition's table from a stream of rows, keeping only the mapped cells."""
    label = f"{file}{f' [{sheet}]' if sheet else ''}"
    stream = iter(grid)
    header = next(stream, None)
    if header is None or not any(cell not in (None, "") for cell in header):
        raise ImportSourceError(f"{label}: no header row")
    if len(header) > MAX_COLUMNS:
        raise ImportSourceError(f"{label}: {len(header)} columns; an edition has far fewer")
    headers = ["" if cell is None else str(cell) for cell in header]
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
    for number, raw in enumerate(stream, start=2):
        if number > MAX_ROWS:
            raise ImportSourceError(
                f"{label}: more than {MAX_ROWS} rows; an edition of the index has about 200",
                "Is this the right file (or sheet)?",
            )
        if all(cell in (None, "") for cell in raw):
            continue
        row = {key: raw[pos] if pos < len(raw) else None for key, pos in positions.items()}
        rows.append(row)
    commas = any(re.search(r"avg\s*,\s*$", h, re.IGNORECASE) for h in headers)
    return SourceTable(edition, file, sheet, digest, columns, tuple(ignored), rows, commas)


def check_edition(edition: int) -> None:
    """Accept the known editions and any later one (the next edition, same methodology);
    refuse a year in between or before them, which no edition of the index has."""
    if not edition_allowed(edition):
        known = ", ".join(str(year) for year in EDITIONS)
        raise UsageError(
            f"{edition} is not an edition of the index",
            f"Editions so far: {known}; a newer one can be imported as such.",
        )


def read_source(path: Path, edition: int | None = None) -> list[SourceTable]:
    """Read an official dataset file: every edition sheet of a workbook, or one CSV."""
    from ocindex.store import read_regular_file

    try:
        data = read_regular_file(path, MAX_SOURCE_BYTES)
    except DataError as exc:
        raise ImportSourceError(exc.message, exc.hint) from exc
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
        year = _edition_from(path.name, edition, path.name)
        try:
            return [_table(year, path.name, None, digest, csv.reader(io.StringIO(text), dialect))]
        except csv.Error as exc:
            raise ImportSourceError(f"{path}: not a readable CSV file ({exc})") from exc
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
    tables: list[SourceTable] = []
    try:
        for sheet in book.worksheets:
            found = YEAR_IN_NAME.findall(sheet.title)
            if "dataset" not in sheet.title.lower() or len(found) != 1:
                continue
            year = int(found[0])
            if edition is not None and year != edition:
                continue
            twin = next((t for t in tables if t.edition == year), None)
            if twin is not None:
                raise ImportSourceError(
                    f"{path}: two sheets for {year}: {twin.sheet!r} and {sheet.title!r}",
                    "Delete or rename the one that is not the edition's, then import again.",
                )
            # The declared size bounds nothing (a single cell at XFD1048576 declares a
            # million rows): read at most MAX_COLUMNS columns, and refuse a sheet whose
            # rows run past MAX_ROWS, as _table counts them.
            width = min(sheet.max_column or MAX_COLUMNS, MAX_COLUMNS)
            rows = sheet.iter_rows(max_col=width, values_only=True)
            tables.append(_table(year, path.name, sheet.title, digest, rows))
    except (ValueError, KeyError, TypeError) as exc:  # a damaged sheet's XML
        raise ImportSourceError(f"{path}: not a readable Excel workbook ({exc})") from exc
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
    """The profiles an import builds on, decoded: the target folder's, else the base's."""

    snapshot: Snapshot | None
    file_by_iso3: dict[str, str]
    raw_by_iso3: dict[str, dict[str, Any]]
    raw_by_file: dict[str, dict[str, Any]]
    manifest: dict[str, Any] | None


def _existing_profiles(directory: Path, base: Path | None) -> _Existing:
    """What the import builds on, checked as loading checks it: the profiles of `directory`,
    or, for a folder that holds none yet, those of `base` (the shipped data)."""
    from ocindex.schema import check_directory, check_profile

    source = directory if _holds_profiles(directory) else base
    if source is None:
        return _Existing(None, {}, {}, {}, None)
    snapshot = read_snapshot(source)
    profiles = {
        name: decode_toml(source / name, data)
        for name, data in snapshot.contents.items()
        if name != MANIFEST
    }
    manifest = snapshot.contents.get(MANIFEST)
    problems = [p for name, raw in profiles.items() for p in check_profile(raw, name)]
    problems += check_directory(None, profiles) if not problems else []
    if problems:
        raise invalid_data(source, problems)
    files = {raw["country"]["iso3"]: name for name, raw in profiles.items()}
    raws = {raw["country"]["iso3"]: raw for raw in profiles.values()}
    return _Existing(
        snapshot,
        files,
        raws,
        profiles,
        None if manifest is None else decode_toml(source / MANIFEST, manifest),
    )


def _holds_profiles(directory: Path) -> bool:
    from ocindex.store import profile_files
    from ocindex.transaction import interrupted

    if not directory.is_dir():
        return False
    return bool(profile_files(directory)) or interrupted(directory)


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
    if isinstance(value, str) and value.strip():
        try:
            value = float(value.strip().replace(",", "."))
        except ValueError:
            return None
    if isinstance(value, (int, float)) and math.isfinite(value):
        return round(float(value), 10)  # drop binary noise such as 6.4700000000000006
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
        where = f"{table.label} row {number} ({printable(name) or 'no name'})"
        if any(has_control(str(raw.get(k) or "")) for k in IDENTITY_COLUMNS):
            problems.append(f"{where}: control characters in the country's identity")
            continue
        iso3 = str(raw.get("iso3") or "").strip().upper()
        if iso3:
            if iso3 not in known:
                problems.append(f"{where}: unknown ISO3 code {iso3!r}")
                continue
            if not name:
                problems.append(f"{where}: {iso3} has no country name")
                continue
            named = lookup.get(normalize(name), set())
            if named and iso3 not in named:
                problems.append(
                    f"{where}: the name is {'/'.join(sorted(named))}'s, but the row's ISO3 "
                    f"code is {iso3}"
                )
                continue
        else:
            found = lookup.get(normalize(name), set())
            if len(found) != 1:
                unknown.append(printable(name) or f"(row {number} has no name)")
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


def _manifest_text(
    previous: Mapping[str, Any] | None,
    decoded: list[dict[str, Any]],
    tables: list[SourceTable],
    changed: set[int],
) -> str:
    """The manifest, entirely generated: sources of every edition, coverage, default edition.

    `decoded` are the new profiles; coverage is recomputed from them for every edition, so
    it is never stale. `changed` are the editions whose figures the import changed: a
    partial file that changed nothing is not recorded as an update.
    """
    import tomlkit

    sources: dict[str, dict[str, Any]] = {}
    if previous:
        sources = {k: dict(v) for k, v in previous.get("editions", {}).items()}
    for table in tables:
        year = str(table.edition)
        already = sum(1 for raw in decoded if year in raw["editions"])
        earlier = sources.get(year)
        if earlier and len(table.rows) < already:
            # A partial file (corrections for some countries): the edition's main source
            # stays, and this one is listed as an update of the countries it gave.
            if table.edition not in changed:
                continue
            update = {"file": table.file, "sha256": table.sha256, "countries": len(table.rows)}
            kept = [u for u in earlier.get("updates", []) if u["sha256"] != table.sha256]
            earlier["updates"] = [*kept, update]
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


def import_file(
    path: Path, directory: Path, edition: int | None = None, *, base: Path | None = None
) -> ImportReport:
    """Import one official file into `directory`, as one transaction.

    A folder with no profiles yet starts from `base` (the shipped data, for the user data
    folder) when given. Nothing is written unless the whole result is valid; then every
    changed file is replaced at once (`transaction.commit`).
    """
    if edition is not None:
        check_edition(edition)
    tables = read_source(path, edition)
    for table in tables:
        check_edition(table.edition)
    existing = _existing_profiles(directory, base)
    seeds = {seed.iso3: seed for seed in seed_countries()}
    lookup = _name_lookup(seeds.values(), existing)
    known = set(seeds) | set(existing.file_by_iso3)
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
            + "; ".join(unknown[:MAX_LISTED])
            + (f" (and {len(unknown) - MAX_LISTED} more)" if len(unknown) > MAX_LISTED else ""),
            "Add the name to that country's `aliases` in its profile, or add an ISO3 column.",
        )
    if problems:
        listed = "; ".join(problems[:MAX_LISTED])
        more = f" (and {len(problems) - MAX_LISTED} more)" if len(problems) > MAX_LISTED else ""
        raise ImportSourceError(f"{len(problems)} problem(s), nothing written: {listed}{more}")

    report, files = _new_files(directory, tables, checked, existing, seeds)
    if files:
        from ocindex import transaction

        try:
            transaction.commit(directory, files)
        except OSError as exc:  # a read-only folder, a full disk: say where, not a traceback
            where = exc.filename or directory
            raise DataError(
                f"{where}: cannot write: {exc.strerror or exc}; nothing was changed"
            ) from exc
    return report


def _new_files(
    directory: Path,
    tables: list[SourceTable],
    checked: list[tuple[SourceTable, list[_Row]]],
    existing: _Existing,
    seeds: dict[str, SeedCountry],
) -> tuple[ImportReport, dict[str, bytes]]:
    """Every file the import changes, built and checked as a whole, by file name."""
    report = ImportReport(tables)
    before: dict[str, bytes] = dict(existing.snapshot.contents) if existing.snapshot else {}
    texts: dict[str, str] = {}
    changed: set[int] = set()
    for table, rows in checked:
        for row in rows:
            target = existing.file_by_iso3.get(row.iso3)
            if target is None:
                seed = seeds.get(row.iso3)
                target = f"{slug(seed.name if seed else row.name)}.toml"
                existing.file_by_iso3[row.iso3] = target
            current = texts.get(target)
            if current is None and target in before:
                current = before[target].decode("utf-8")
            texts[target] = _profile_text(current, row, table, seeds.get(row.iso3))
            if texts[target].encode() != before.get(target):
                changed.add(table.edition)
    after = dict(before)
    after.update((name, text.encode()) for name, text in texts.items())
    for name in sorted(texts):
        if after[name] == before.get(name):
            report.unchanged.append(name)
        else:
            (report.updated if name in before else report.created).append(name)
    # Each profile decoded once: an unchanged one as the import read it.
    profiles = {
        name: existing.raw_by_file[name]
        if data == before.get(name) and name in existing.raw_by_file
        else decode_toml(directory / name, data)
        for name, data in after.items()
        if name != MANIFEST
    }
    manifest = _manifest_text(existing.manifest, list(profiles.values()), tables, changed)
    report.manifest_changed = manifest.encode() != before.get(MANIFEST)
    after[MANIFEST] = manifest.encode()
    # The whole new folder, checked exactly as loading will check it.
    decoded = {"manifest": decode_toml(directory / MANIFEST, after[MANIFEST]), "profiles": profiles}
    compile_decoded(directory, decoded, {})
    if after == before:
        return report, {}  # nothing new: a folder that held nothing still holds nothing
    started = not (existing.snapshot and existing.snapshot.directory == directory)
    files = {name: data for name, data in after.items() if started or data != before.get(name)}
    return report, files
