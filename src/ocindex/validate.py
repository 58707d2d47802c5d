"""`ocindex validate`: every problem of a data directory, not just the first.

Checks TOML syntax and encoding (file and line), the schema, types, ranges and steps,
composites against the index's rules, unique ISO3 codes and names, and each edition's
coverage against the manifest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ocindex.errors import DataError
from ocindex.indicators import BY_KEY
from ocindex.questions.verification import verify_record
from ocindex.schema import Problem, check_directory, check_manifest, check_profile
from ocindex.store import MANIFEST, build_country, compile_country, decode_toml, profile_files
from ocindex.views.validation import ValidationView


def _decode(path: Path, problems: list[Problem]) -> dict[str, Any] | None:
    try:
        return decode_toml(path)
    except DataError as exc:
        message = exc.message.removeprefix(f"{path}: ")
        problems.append(Problem(path.name, "", message))
        return None


def validate(directory: Path) -> ValidationView:
    """Check every file of `directory`; raises DataError only if it cannot be listed."""
    files = profile_files(directory)
    problems: list[Problem] = []
    if not files:
        problems.append(Problem(str(directory), "", "no profile files (*.toml)"))
    manifest_path = directory / MANIFEST
    manifest: dict[str, Any] | None = None
    if manifest_path.is_file():
        manifest = _decode(manifest_path, problems)
        if manifest is not None:
            problems.extend(check_manifest(manifest, MANIFEST))
    else:
        problems.append(Problem(MANIFEST, "", "edition manifest missing"))
    sound: dict[str, dict[str, Any]] = {}
    for path in files:
        raw = _decode(path, problems)
        if raw is None:
            continue
        found = check_profile(raw, path.name)
        problems.extend(found)
        if found:
            continue
        sound[path.name] = raw
        country = build_country(compile_country(path.name, raw))
        for record in country.records.values():
            for d in verify_record(country, record):
                problems.append(
                    Problem(
                        path.name,
                        f"editions.{d.edition}.scores.{d.item}",
                        f"published {d.published}, but its indicators give {d.recomputed} "
                        f"({BY_KEY[d.item].name})",
                    )
                )
    problems.extend(check_directory(manifest, sound))
    return ValidationView(
        str(directory),
        len(files) + (1 if manifest_path.is_file() else 0),
        tuple((p.file, p.where, p.message) for p in problems),
    )
