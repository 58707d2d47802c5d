"""Finding, reading and caching the profile files.

Parsing every TOML profile costs far more than starting the CLI, so the decoded files
are kept in one JSON cache per data directory, outside the package, keyed by the
directory's path and invalidated when any file's name, size or mtime changes (or the
tool's version does). A cache that is missing, stale, corrupt or unwritable only costs
speed: the files are then read again.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from ocindex import __version__
from ocindex.errors import DataError
from ocindex.model import Country, Manifest
from ocindex.schema import Problem, check_manifest, check_profile, country_from, manifest_from

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

MANIFEST = "editions.toml"
DATA_DIR_ENV = "OCINDEX_DATA_DIR"
CACHE_DIR_ENV = "OCINDEX_CACHE_DIR"
CACHE_FORMAT = 1
PACKAGE_DATA = Path(__file__).resolve().parent / "data"
SOURCE_TREE_DATA = Path(__file__).resolve().parents[2] / "data"


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
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{path}: invalid TOML: {exc}") from exc


def profile_files(directory: Path) -> list[Path]:
    """The profile files of a data directory (every `*.toml` but the manifest), sorted."""
    if not directory.is_dir():
        raise DataError(
            f"data directory not found: {directory}",
            f"Point --data-dir or ${DATA_DIR_ENV} at a folder of profiles.",
        )
    try:
        return sorted(p for p in directory.glob("*.toml") if p.name != MANIFEST)
    except OSError as exc:
        raise DataError(f"{directory}: cannot list: {exc.strerror or exc}") from exc


def _fingerprint(directory: Path, files: list[Path]) -> list[Any]:
    entries: list[Any] = [__version__, CACHE_FORMAT, str(directory.resolve())]
    for path in [*files, directory / MANIFEST]:
        try:
            stat = path.stat()
        except OSError:
            entries.append([path.name, None])
            continue
        entries.append([path.name, stat.st_size, stat.st_mtime_ns])
    return entries


def _cache_path(directory: Path) -> Path:
    digest = hashlib.sha256(str(directory.resolve()).encode()).hexdigest()[:20]
    return cache_dir() / f"profiles-{digest}.json"


def _read_cache(path: Path, fingerprint: list[Any]) -> dict[str, Any] | None:
    try:
        cached = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(cached, dict) or cached.get("fingerprint") != fingerprint:
        return None
    return cached


def _write_cache(path: Path, content: dict[str, Any]) -> None:
    """Write the cache atomically; any failure is ignored (the cache only saves time).

    TypeError and ValueError: valid TOML may hold values JSON cannot (a date in a
    hand-written [profile.*] table); such a directory is simply read without a cache.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, prefix=".tmp-", suffix=".json", delete=False
        ) as handle:
            json.dump(content, handle, separators=(",", ":"))
        os.replace(handle.name, path)
    except (OSError, TypeError, ValueError):
        try:
            os.unlink(handle.name)
        except (OSError, UnboundLocalError):
            pass


def check_all(content: dict[str, Any]) -> list[Problem]:
    """Every problem of decoded files (the manifest and each profile)."""
    problems = check_manifest(content["manifest"], MANIFEST)
    for name, raw in content["profiles"].items():
        problems.extend(check_profile(raw, name))
    return problems


def build(content: dict[str, Any]) -> tuple[Manifest, list[Country]]:
    """The model of decoded files that `check_all` found sound."""
    countries = [
        country_from(raw, name.removesuffix(".toml")) for name, raw in content["profiles"].items()
    ]
    return manifest_from(content["manifest"]), countries


def _invalid(directory: Path, problems: list[Problem]) -> DataError:
    first = problems[0]
    more = len(problems) - 1
    hint = f"{more} more problem(s); " if more else ""
    return DataError(
        f"{directory / first.file}: {first.where}: {first.message}"
        if first.where
        else f"{directory / first.file}: {first.message}",
        f"{hint}run `ocindex validate --data-dir {directory}` for the full report.",
    )


def decode_files(directory: Path, files: list[Path]) -> dict[str, Any]:
    """Decode the manifest and every profile file: `{"manifest": …, "profiles": {name: …}}`."""
    manifest_path = directory / MANIFEST
    if not manifest_path.is_file():
        raise DataError(
            f"{manifest_path}: edition manifest missing",
            "`ocindex import` writes it next to the profiles.",
        )
    return {
        "manifest": decode_toml(manifest_path),
        "profiles": {path.name: decode_toml(path) for path in files},
    }


def load(
    directory: Path | None = None, *, use_cache: bool = True
) -> tuple[Manifest, list[Country]]:
    """Load and validate a data directory, through the cache when it is fresh.

    Only validated content is cached, so a cache hit skips decoding, not checking.
    """
    directory = directory or default_data_dir()
    files = profile_files(directory)
    if not files:
        raise DataError(
            f"no profiles (*.toml) in {directory}",
            "Create them with `ocindex import FILE --data-dir DIR`.",
        )
    fingerprint = _fingerprint(directory, files)
    cache = _cache_path(directory)
    cached = _read_cache(cache, fingerprint) if use_cache else None
    if cached is not None:
        try:
            return build(cached)
        except (KeyError, TypeError, AttributeError, ValueError):
            pass  # a cache from another version or a damaged one: read the files again
    content = decode_files(directory, files)
    problems = check_all(content)
    if problems:
        raise _invalid(directory, problems)
    result = build(content)
    if use_cache:
        _write_cache(cache, {"fingerprint": fingerprint, **content})
    return result
