"""Finding, reading and compiling the profile files.

Parsing every TOML profile costs more than starting the CLI, so queries read a
*compiled index*: one compact JSON document with every country, built from the files
and identified by a fingerprint of their exact contents. Two places can hold it:

- `index.json` in the data directory, written by the commands that write data
  (`ocindex import`, `tools/attach_profile_text.py`); the shipped data has one, so even a
  first run needs no parsing;
- the user cache (`$OCINDEX_CACHE_DIR`, else `$XDG_CACHE_HOME/ocindex` or
  `~/.cache/ocindex`), written by a query that found neither fresh.

A compiled index whose fingerprint does not match the files (a profile was edited, the
format changed) is ignored. A missing, damaged or unwritable cache only costs speed;
queries never write into the data directory.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import json
import os
import sys
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ocindex.errors import DataError
from ocindex.indicators import score_keys
from ocindex.model import (
    Country,
    EditionRecord,
    EditionSource,
    Layout,
    Manifest,
    MissingCountry,
    NarrativeParagraph,
    ProfileDocument,
    Scores,
    SourceUpdate,
    StatedRank,
)
from ocindex.resolve import normalize

if TYPE_CHECKING:
    from ocindex.schema import Problem

MANIFEST = "editions.toml"
COMPILED = "index.json"
DATA_DIR_ENV = "OCINDEX_DATA_DIR"
CACHE_DIR_ENV = "OCINDEX_CACHE_DIR"
CACHE_FORMAT = 6
"""Bump whenever the compiled index's shape or meaning changes: older ones are then ignored."""
PACKAGE_DATA = Path(__file__).resolve().parent / "data"
SOURCE_TREE_DATA = Path(__file__).resolve().parents[2] / "data"


class Loaded(NamedTuple):
    """A data directory as queries use it."""

    manifest: Manifest
    countries: list[Country]
    names: dict[str, list[str]]
    """Every folded name, code and alias -> the ISO3 codes it names."""


def default_data_dir() -> Path:
    """`$OCINDEX_DATA_DIR`, else the data shipped in the package (or the source tree's)."""
    configured = os.environ.get(DATA_DIR_ENV)
    if configured:
        return Path(configured)
    return PACKAGE_DATA if PACKAGE_DATA.is_dir() else SOURCE_TREE_DATA


def cache_dir() -> Path:
    configured = os.environ.get(CACHE_DIR_ENV)
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ocindex"


def decode_toml(path: Path) -> dict[str, Any]:
    """Read one TOML file; any failure becomes a DataError naming the file (and line)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(f"{path}: not UTF-8 text (line {line})") from exc
    try:
        decoded: dict[str, Any] = _tomllib().loads(text)
        return decoded
    except _tomllib().TOMLDecodeError as exc:
        raise DataError(f"{path}: invalid TOML: {exc}") from exc


def profile_files(directory: Path) -> list[Path]:
    """The profile files of a data directory (every `*.toml` but the manifest), sorted."""
    _require_directory(directory)
    return [directory / name for name, _ in _listing(directory) if name != MANIFEST]


def _require_directory(directory: Path) -> None:
    if not directory.is_dir():
        raise DataError(
            f"data directory not found: {directory}",
            f"Point --data-dir or ${DATA_DIR_ENV} at a folder of profiles.",
        )


def _listing(directory: Path) -> list[tuple[str, list[int]]]:
    """Every `*.toml` file of `directory` (manifest included) with its size and mtime."""
    try:
        with os.scandir(directory) as entries:
            found = []
            for entry in entries:
                if entry.name.endswith(".toml") and entry.is_file():
                    stat = entry.stat()
                    found.append((entry.name, [stat.st_size, stat.st_mtime_ns]))
    except OSError as exc:
        raise DataError(f"{directory}: cannot list: {exc.strerror or exc}") from exc
    return sorted(found)


def _tomllib() -> Any:
    """tomllib (tomli before Python 3.11), imported only when files must be parsed."""
    if sys.version_info >= (3, 11):
        import tomllib

        return tomllib
    import tomli  # type: ignore[import-not-found,unused-ignore]  # pragma: no cover

    return tomli  # pragma: no cover


def _contents(directory: Path, files: list[Path]) -> dict[str, bytes]:
    contents: dict[str, bytes] = {}
    for path in files:
        try:
            contents[path.name] = path.read_bytes()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise DataError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    return contents


def fingerprint(contents: dict[str, bytes]) -> str:
    """Identifies the exact contents of a data directory (and the compiled format)."""
    # CRC-32 per file (zlib loads far faster than hashlib), with each name and size.
    parts = [f"format {CACHE_FORMAT}"]
    for name in sorted(contents):
        data = contents[name]
        parts.append(f"{name} {len(data)} {zlib.crc32(data):08x}")
    return f"{zlib.crc32(chr(10).join(parts).encode()):08x}-{len(parts)}"


def _cache_path(directory: Path, kind: str = "index") -> Path:
    digest = zlib.crc32(str(directory.resolve()).encode())
    return cache_dir() / f"{kind}-{digest:08x}.json"


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        found = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def _read_compiled(path: Path, expected: str) -> dict[str, Any] | None:
    compiled = _read_json(path)
    if compiled is None or compiled.get("fingerprint") != expected:
        return None
    return compiled


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text` in one step (temporary file, then rename)."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        # mkstemp makes 0600: keep the file's own permissions, or the usual ones for a new file
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        os.chmod(temporary, mode)
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _json(compiled: dict[str, Any]) -> str:
    """A compiled index as compact JSON. Hand-written tables may hold TOML dates and
    times, which JSON lacks: they are kept as their ISO text."""
    return json.dumps(compiled, ensure_ascii=False, separators=(",", ":"), default=str)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_all(decoded: dict[str, Any]) -> list[Problem]:
    """Every problem of decoded files (the manifest and each profile)."""
    from ocindex.schema import check_directory, check_manifest, check_profile

    problems = check_manifest(decoded["manifest"], MANIFEST)
    sound = {}
    for name, raw in decoded["profiles"].items():
        found = check_profile(raw, name)
        problems.extend(found)
        if not found:
            sound[name] = raw
    # Across files: duplicate codes would make lookups and ranks wrong, and profiles that
    # disagree with the manifest's coverage would make every "of N" wrong.
    problems.extend(check_directory(decoded["manifest"], sound))
    return problems


def compile_country(file: str, raw: dict[str, Any]) -> dict[str, Any]:
    """The compact form of one decoded profile that `check_profile` found sound."""
    identity = raw["country"]
    return {
        "slug": file.removesuffix(".toml"),
        "name": identity["name"],
        "iso3": identity["iso3"],
        "iso2": identity["iso2"],
        "aliases": list(identity.get("aliases", [])),
        "records": {
            year: [
                record["continent"],
                record["region"],
                Scores.encode(record["scores"][key] for key in score_keys(int(year))),
            ]
            for year, record in raw["editions"].items()
        },
        "documents": raw.get("profile", {}),
    }


def reading_order(item: Any) -> tuple[str, str]:
    """Alphabetical as people read it: "Côte d'Ivoire" after "Costa Rica", "eSwatini" after
    "Estonia" (plain code-point order puts both after "Zimbabwe"/"Czech Republic")."""
    name = item["name"] if isinstance(item, dict) else item.name
    return normalize(name), name


def compile_index(decoded: dict[str, Any], fingerprint_: str) -> dict[str, Any]:
    """The compact, JSON-ready form of decoded files that `check_all` found sound."""
    countries = sorted(
        (compile_country(file, raw) for file, raw in decoded["profiles"].items()),
        key=reading_order,
    )
    names: dict[str, list[str]] = {}
    for item in countries:
        iso3 = item["iso3"]
        for name in (item["name"], iso3, item["iso2"], item["slug"], *item["aliases"]):
            folded = normalize(name)
            if folded and iso3 not in names.setdefault(folded, []):
                names[folded].append(iso3)
    return {
        "format": CACHE_FORMAT,
        "fingerprint": fingerprint_,
        "manifest": decoded["manifest"],
        "countries": countries,
        "names": names,
    }


def _document(year: int, raw: dict[str, Any]) -> ProfileDocument:
    return ProfileDocument(
        edition=year,
        title=raw["title"],
        document=raw["document"],
        funding=tuple(raw.get("funding", ())),
        stated_scores=dict(raw.get("stated_scores", {})),
        stated_ranks={
            key: {scope: StatedRank(r["rank"], r["of"]) for scope, r in scopes.items()}
            for key, scopes in raw.get("stated_ranks", {}).items()
        },
        narrative=tuple(
            NarrativeParagraph(p["section"], p["heading"], tuple(p["indicators"]), p["text"])
            for p in raw.get("narrative", ())
        ),
    )


@functools.cache
def _positions(edition: int) -> Layout:
    return Layout(score_keys(edition))


def build_country(item: dict[str, Any]) -> Country:
    """The model of one compiled country."""
    records = {}
    for year, (continent, region, values) in item["records"].items():
        edition = int(year)
        positions = _positions(edition)
        if len(values) != Scores.WIDTH * len(positions):
            raise ValueError(f"{item['iso3']} {year}: {len(values)} characters of scores")
        records[edition] = EditionRecord(edition, continent, region, Scores(positions, values))
    return Country(
        item["slug"],
        item["name"],
        item["iso3"],
        item["iso2"],
        tuple(item["aliases"]),
        records,
        {int(year): _document(int(year), raw) for year, raw in item["documents"].items()},
    )


def manifest_from(raw: dict[str, Any]) -> Manifest:
    """The model of a manifest that `check_manifest` found sound."""
    return Manifest(
        default_edition=raw["default_edition"],
        editions={
            int(year): EditionSource(
                edition=int(year),
                file=value["file"],
                sheet=value.get("sheet"),
                sha256=value["sha256"],
                countries=value["countries"],
                missing=tuple(
                    MissingCountry(m["iso3"], m["name"]) for m in value.get("missing", [])
                ),
                updates=tuple(
                    SourceUpdate(u["file"], u["sha256"], u["countries"])
                    for u in value.get("updates", [])
                ),
            )
            for year, value in raw["editions"].items()
        },
    )


def from_compiled(compiled: dict[str, Any]) -> Loaded:
    """The model of a compiled index."""
    countries = [build_country(item) for item in compiled["countries"]]
    return Loaded(manifest_from(compiled["manifest"]), countries, compiled["names"])


def invalid_data(directory: Path, problems: list[Problem]) -> DataError:
    """The DataError for invalid files: the first problem, and how to see them all."""
    first = problems[0]
    more = len(problems) - 1
    hint = f"{more} more problem(s); " if more else ""
    where = f"{first.where}: " if first.where else ""
    return DataError(
        f"{directory / first.file}: {where}{first.message}",
        f"{hint}run `ocindex validate --data-dir {directory}` for the full report.",
    )


def _decode_and_compile(directory: Path, names: list[str], fingerprint_: str) -> dict[str, Any]:
    if MANIFEST not in names:
        raise DataError(
            f"{directory / MANIFEST}: edition manifest missing",
            "`ocindex import` writes it next to the profiles.",
        )
    decoded = {
        "manifest": decode_toml(directory / MANIFEST),
        "profiles": {name: decode_toml(directory / name) for name in names if name != MANIFEST},
    }
    problems = check_all(decoded)
    if problems:
        raise invalid_data(directory, problems)
    return compile_index(decoded, fingerprint_)


def _scan(directory: Path, *, use_stamp: bool = True) -> tuple[list[str], str]:
    """The names of `directory`'s files and the fingerprint of their contents.

    Computing the fingerprint reads every file; a small stamp in the user cache remembers
    it for the same names, sizes and modification times, so an unchanged directory costs
    one directory listing.
    """
    _require_directory(directory)
    listing = _listing(directory)
    names = [name for name, _ in listing]
    if not any(name != MANIFEST for name in names):
        raise DataError(
            f"no profiles (*.toml) in {directory}",
            "Create them with `ocindex import FILE --data-dir DIR`.",
        )
    stats = [[name, *stat] for name, stat in listing]
    stamp_path = _cache_path(directory, "stamp")
    if use_stamp:
        stamp = _read_json(stamp_path)
        if stamp and stamp.get("format") == CACHE_FORMAT and stamp.get("stats") == stats:
            return names, str(stamp["fingerprint"])
    fingerprint_ = fingerprint(_contents(directory, [directory / name for name in names]))
    if use_stamp:
        stamp = {"format": CACHE_FORMAT, "stats": stats, "fingerprint": fingerprint_}
        with contextlib.suppress(OSError):  # the stamp only saves time
            write_atomically(stamp_path, json.dumps(stamp, separators=(",", ":")))
    return names, fingerprint_


def write_compiled_index(directory: Path) -> bool:
    """Compile `directory` into its own `index.json` (for commands that write data).

    Returns whether the file changed. Raises DataError if the files are not valid.
    """
    names, fingerprint_ = _scan(directory, use_stamp=False)
    target = directory / COMPILED
    if _read_compiled(target, fingerprint_) is not None:
        return False
    compiled = _decode_and_compile(directory, names, fingerprint_)
    write_atomically(target, _json(compiled))
    return True


def load(
    directory: Path | None = None, *, use_cache: bool = True, trust_stamp: bool = True
) -> Loaded:
    """Load a data directory: its own compiled index, else the user cache, else the files.

    `trust_stamp=False` fingerprints the files' contents even when their names, sizes and
    times are unchanged (an edit that kept all three would otherwise go unseen); commands
    that check the data use it. The cyclic garbage collector is paused meanwhile: loading
    creates thousands of objects and no cycles, and the collections it would trigger cost
    a noticeable share of start-up.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(directory or default_data_dir(), use_cache, trust_stamp)
    finally:
        if enabled:
            gc.enable()


def _load(directory: Path, use_cache: bool, trust_stamp: bool) -> Loaded:
    names, fingerprint_ = _scan(directory, use_stamp=use_cache and trust_stamp)
    if use_cache:
        for candidate in (directory / COMPILED, _cache_path(directory)):
            compiled = _read_compiled(candidate, fingerprint_)
            if compiled is not None:
                try:
                    return from_compiled(compiled)
                except (KeyError, TypeError, ValueError, AttributeError):
                    continue  # damaged, or from another version: fall through
    compiled = _decode_and_compile(directory, names, fingerprint_)
    if use_cache:
        # A cache that cannot be written only costs speed.
        with contextlib.suppress(OSError):
            write_atomically(_cache_path(directory), _json(compiled))
    return from_compiled(compiled)
