"""Finding, reading and compiling the profile files.

The TOML profiles and the manifest are the data; everything else is derived from their
exact bytes. Parsing every profile costs more than starting the CLI, so queries use a
*compiled index* (one compact JSON document) when one provably matches the files:

- every query reads every file's bytes (a few milliseconds) and digests them (BLAKE2b);
- a compiled index records the digest of every file it was compiled from, and is used only
  if those are exactly the files' digests now, else the files are parsed (from the very
  bytes that were digested, so an edit racing the query cannot leave a stale cache);
- compiled indexes live only where this tool alone writes them: the user cache
  (`$OCINDEX_CACHE_DIR`, else `$XDG_CACHE_HOME/ocindex` or `~/.cache/ocindex`), each
  sealed with a keyed BLAKE2b MAC whose key is private to the cache folder, and, for the
  shipped data only, `shipped-index.json` inside the package. A compiled file found in a
  data folder is never read: one copied, tampered with, half-written or from another
  version is ignored, and so is a cache whose seal does not match.

A missing, damaged or unwritable cache only costs speed. Queries never write into the data
folder, except to finish or roll back an import that was interrupted (see `transaction`).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import json
import os
import stat
import sys
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

try:  # hashlib.blake2b is this very function; importing hashlib also loads OpenSSL (~3 ms)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter without the C module
    from hashlib import blake2b

MANIFEST = "editions.toml"
DATA_DIR_ENV = "OCINDEX_DATA_DIR"
CACHE_DIR_ENV = "OCINDEX_CACHE_DIR"
USER_DATA_ENV = "OCINDEX_USER_DATA_DIR"
CACHE_FORMAT = 7
"""Bump whenever the compiled index's shape or meaning changes: older ones are then ignored."""
PACKAGE_DATA = Path(__file__).resolve().parent / "data"
SOURCE_TREE_DATA = Path(__file__).resolve().parents[2] / "data"
SHIPPED_INDEX = Path(__file__).resolve().parent / "shipped-index.json"
"""The compiled form of the shipped data (made by `tools/compile_shipped_index.py`)."""
MAX_FILE_BYTES = 16 * 1024 * 1024
"""A profile is a few kilobytes; anything near this is not one."""
MAC_BYTES = 32


class Loaded(NamedTuple):
    """A data directory as queries use it."""

    manifest: Manifest
    countries: list[Country]
    names: dict[str, list[str]]
    """Every folded name, code and alias -> the ISO3 codes it names."""
    notes: tuple[str, ...] = ()
    """One-line notes for the user (an interrupted import that loading tidied)."""


def shipped_data_dir() -> Path:
    """The data shipped in the package (or, in a source checkout, the source tree's)."""
    return PACKAGE_DATA if PACKAGE_DATA.is_dir() else SOURCE_TREE_DATA


def user_data_dir() -> Path:
    """Where `ocindex import` writes when no folder is named: `$OCINDEX_USER_DATA_DIR`, else
    the platform's per-user data folder (XDG on Linux). Written out rather than taken from
    platformdirs, whose import costs ~20 ms on every query (measured)."""
    configured = os.environ.get(USER_DATA_ENV)
    if configured:
        return Path(configured)
    if sys.platform == "win32":  # pragma: no cover
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":  # pragma: no cover
        base = str(Path.home() / "Library" / "Application Support")
    else:
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "ocindex"


def holds_data(directory: Path) -> bool:
    """Whether `directory` holds data (a manifest, or a committed import to finish)."""
    from ocindex.transaction import COMMITTED

    return (directory / MANIFEST).is_file() or (directory / COMMITTED).is_file()


def default_data_dir() -> Path:
    """`$OCINDEX_DATA_DIR`; else the user data folder once an import has filled it; else
    the shipped data."""
    configured = os.environ.get(DATA_DIR_ENV)
    if configured:
        return Path(configured)
    try:
        user = user_data_dir()
    except RuntimeError:  # no home directory (a container with an arbitrary user id)
        return shipped_data_dir()
    return user if holds_data(user) else shipped_data_dir()


def cache_dir() -> Path:
    """The user cache folder. Raises RuntimeError when there is no home to put it in."""
    configured = os.environ.get(CACHE_DIR_ENV)
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ocindex"


def decode_toml(path: Path, data: bytes | None = None) -> dict[str, Any]:
    """Decode one TOML file (from `data`, its bytes, when given); any failure becomes a
    DataError naming the file (and line)."""
    if data is None:
        data = read_regular_file(path)
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
    except RecursionError as exc:
        raise DataError(f"{path}: invalid TOML: nested too deeply") from exc


def read_regular_file(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of `path`, which must be a regular file of at most `limit` bytes: never a
    FIFO (which would block), a device (which may never end) or a huge file."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise DataError(f"{path}: not a regular file", "Data files must be plain files.")
        if info.st_size > limit:
            raise DataError(f"{path}: {info.st_size} bytes, far too large for a profile")
        chunks = []
        size = 0
        while chunk := os.read(descriptor, max(info.st_size, 65536)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise DataError(f"{path}: grew past {limit} bytes while being read")
        return b"".join(chunks)
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    finally:
        os.close(descriptor)


def profile_files(directory: Path) -> list[Path]:
    """The profile files of a data directory (every `*.toml` but the manifest), sorted."""
    _require_directory(directory)
    return [directory / name for name in _listing(directory) if name != MANIFEST]


def _require_directory(directory: Path) -> None:
    if not directory.is_dir():
        raise DataError(
            f"data directory not found: {directory}",
            f"Point --data-dir or ${DATA_DIR_ENV} at a folder of profiles.",
        )


def _listing(directory: Path) -> list[str]:
    """Every `*.toml` file of `directory` (manifest included), sorted. Hidden files are not
    data; a link must stay inside the folder."""
    try:
        with os.scandir(directory) as entries:
            found = []
            for entry in entries:
                if not entry.name.endswith(".toml") or entry.name.startswith("."):
                    continue
                if entry.is_symlink():
                    target = Path(entry.path).resolve()
                    if target.parent != directory.resolve():
                        raise DataError(
                            f"{entry.path}: a link to {target}, outside the data folder",
                            "Copy the file into the folder instead.",
                        )
                found.append(entry.name)
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


def digest(data: bytes) -> str:
    """The digest that identifies a file's exact bytes."""
    return blake2b(data, digest_size=32).hexdigest()


class Snapshot(NamedTuple):
    """The exact bytes of every file of a data folder, read in one consistent pass."""

    directory: Path
    contents: dict[str, bytes]
    digests: dict[str, str]
    notes: tuple[str, ...]
    """One-line notes for the user (an interrupted import that was tidied)."""


def read_snapshot(directory: Path) -> Snapshot:
    """Read every data file of `directory` while no import is committing into it.

    An import that was interrupted is finished or rolled back first (a note says so).
    """
    from ocindex import transaction

    _require_directory(directory)
    notes: list[str] = []
    if transaction.interrupted(directory):
        note = transaction.recover(directory)
        if note:
            notes.append(note)
    with transaction.locked(directory, exclusive=False):
        names = _listing(directory)
        contents = {name: read_regular_file(directory / name) for name in names}
    if not any(name != MANIFEST for name in contents):
        raise DataError(
            f"no profiles (*.toml) in {directory}",
            "Create them with `ocindex import FILE --data-dir DIR`.",
        )
    digests = {name: digest(data) for name, data in contents.items()}
    return Snapshot(directory, contents, digests, tuple(notes))


def _cache_path(directory: Path) -> Path:
    where = blake2b(str(directory.resolve()).encode(), digest_size=8).hexdigest()
    return cache_dir() / f"index-{where}.json"


def _cache_key(create: bool) -> bytes | None:
    """The secret that seals this user's caches, made on first use; None if unavailable."""
    path = cache_dir() / "key"
    try:
        key = path.read_bytes()
        return key if len(key) == MAC_BYTES else None
    except FileNotFoundError:
        if not create:
            return None
    except (OSError, RuntimeError):
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        secret = os.urandom(MAC_BYTES)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(secret)
        return secret
    except FileExistsError:  # another process made it first
        return _cache_key(create=False)
    except (OSError, RuntimeError):
        return None


def _seal(key: bytes, body: bytes) -> bytes:
    return blake2b(body, key=key, digest_size=MAC_BYTES).hexdigest().encode()


def _read_cache(directory: Path) -> dict[str, Any] | None:
    """The user cache's compiled index for `directory`, if its seal is intact."""
    key = _cache_key(create=False)
    if key is None:
        return None
    try:
        sealed = _cache_path(directory).read_bytes()
    except (OSError, RuntimeError):
        return None
    seal, _, body = sealed.partition(b"\n")
    if seal != _seal(key, body):
        return None
    return _json_object(body)


def _json_object(data: bytes) -> dict[str, Any] | None:
    try:
        found = json.loads(data)
    except (ValueError, RecursionError):
        return None
    return found if isinstance(found, dict) else None


def _write_cache(directory: Path, compiled: dict[str, Any]) -> None:
    """Seal and store a compiled index; a cache that cannot be written only costs speed."""
    key = _cache_key(create=True)
    if key is None:
        return
    body = compiled_json(compiled).encode()
    with contextlib.suppress(OSError, RuntimeError):
        write_atomically(_cache_path(directory), (_seal(key, body) + b"\n" + body).decode())


def write_atomically(path: Path, text: str, *, make_parents: bool = True) -> None:
    """Replace `path` with `text` in one step (temporary file, then rename)."""
    import tempfile

    if make_parents:
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


def compiled_json(compiled: dict[str, Any]) -> str:
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


def compile_index(decoded: dict[str, Any], digests: dict[str, str]) -> dict[str, Any]:
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
        "files": digests,
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


def decode_snapshot(snapshot: Snapshot) -> dict[str, Any]:
    """The decoded manifest and profiles of a snapshot (raises DataError on bad TOML)."""
    directory = snapshot.directory
    if MANIFEST not in snapshot.contents:
        raise DataError(
            f"{directory / MANIFEST}: edition manifest missing",
            "`ocindex import` writes it next to the profiles.",
        )
    return {
        "manifest": decode_toml(directory / MANIFEST, snapshot.contents[MANIFEST]),
        "profiles": {
            name: decode_toml(directory / name, data)
            for name, data in snapshot.contents.items()
            if name != MANIFEST
        },
    }


def compile_snapshot(snapshot: Snapshot) -> dict[str, Any]:
    """Parse, check and compile a snapshot; raises DataError if the files are not valid."""
    return compile_decoded(snapshot.directory, decode_snapshot(snapshot), snapshot.digests)


def compile_decoded(
    directory: Path, decoded: dict[str, Any], digests: dict[str, str]
) -> dict[str, Any]:
    """Check and compile decoded files (`decode_snapshot`'s shape); DataError if invalid."""
    problems = check_all(decoded)
    if problems:
        raise invalid_data(directory, problems)
    return compile_index(decoded, digests)


def _matching(compiled: dict[str, Any] | None, digests: dict[str, str]) -> Loaded | None:
    """The model of a compiled index made from exactly these files, else None."""
    if compiled is None or compiled.get("format") != CACHE_FORMAT:
        return None
    if compiled.get("files") != digests:
        return None
    try:
        return from_compiled(compiled)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        return None  # from another version, or damaged: parse the files instead


def load(directory: Path | None = None, *, use_cache: bool = True) -> Loaded:
    """Load a data directory: the files' exact bytes, through a compiled index that was
    made from those very bytes when there is one, else parsed.

    The cyclic garbage collector is paused meanwhile: loading creates thousands of objects
    and no cycles, and the collections it would trigger cost a noticeable share of start-up.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(directory or default_data_dir(), use_cache)
    finally:
        if enabled:
            gc.enable()


def _load(directory: Path, use_cache: bool) -> Loaded:
    snapshot = read_snapshot(directory)
    if use_cache:
        # The package's own compiled index is as trusted as its code; the digests tie it
        # to the shipped files' exact bytes, wherever a copy of them lies.
        with contextlib.suppress(OSError):
            shipped = _matching(_json_object(SHIPPED_INDEX.read_bytes()), snapshot.digests)
            if shipped is not None:
                return shipped._replace(notes=snapshot.notes)
        cached = _matching(_read_cache(directory), snapshot.digests)
        if cached is not None:
            return cached._replace(notes=snapshot.notes)
    compiled = compile_snapshot(snapshot)
    if use_cache:
        _write_cache(directory, compiled)
    return from_compiled(compiled)._replace(notes=snapshot.notes)
