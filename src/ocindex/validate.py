"""`ocindex validate`: every problem of a data directory, not just the first.

Checks TOML syntax and encoding (file and line), the schema, types, ranges and steps,
composites against the index's rules, unique ISO3 codes and names, and each edition's
coverage against the manifest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ocindex.core import verify_record
from ocindex.errors import DataError
from ocindex.indicators import BY_KEY
from ocindex.schema import Problem, check_manifest, check_profile
from ocindex.store import MANIFEST, build_country, compile_country, decode_toml, profile_files
from ocindex.views import ValidationView


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
    iso3_files: dict[str, str] = {}
    name_files: dict[str, str] = {}
    coverage: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for path in files:
        raw = _decode(path, problems)
        if raw is None:
            continue
        found = check_profile(raw, path.name)
        problems.extend(found)
        identity = raw.get("country") if isinstance(raw.get("country"), dict) else {}
        iso3 = identity.get("iso3") if isinstance(identity, dict) else None
        name = identity.get("name") if isinstance(identity, dict) else None
        if isinstance(iso3, str):
            if iso3 in iso3_files:
                problems.append(
                    Problem(path.name, "country.iso3", f"{iso3} is also in {iso3_files[iso3]}")
                )
            iso3_files.setdefault(iso3, path.name)
            if isinstance(name, str):
                names[iso3] = name
            editions = raw.get("editions")
            for year in editions if isinstance(editions, dict) else ():
                coverage.setdefault(str(year), set()).add(iso3)
        if isinstance(name, str):
            folded = name.casefold()
            if folded in name_files:
                problems.append(
                    Problem(path.name, "country.name", f"{name!r} is also in {name_files[folded]}")
                )
            name_files.setdefault(folded, path.name)
        if found:
            continue
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
    if manifest is not None and isinstance(manifest.get("editions"), dict):
        problems.extend(_coverage(manifest["editions"], coverage, names))
    return ValidationView(
        str(directory),
        len(files) + (1 if manifest_path.is_file() else 0),
        tuple((p.file, p.where, p.message) for p in problems),
    )


def _coverage(
    editions: dict[str, Any], coverage: dict[str, set[str]], names: dict[str, str]
) -> list[Problem]:
    problems = []
    everyone = set(names)
    for year in sorted(set(coverage) - set(editions)):
        problems.append(
            Problem(MANIFEST, f"editions.{year}", "profiles have it, manifest lacks it")
        )
    for year, entry in editions.items():
        if not isinstance(entry, dict):
            continue
        covered = coverage.get(year, set())
        stated = entry.get("countries")
        if isinstance(stated, int) and stated != len(covered):
            problems.append(
                Problem(
                    MANIFEST,
                    f"editions.{year}.countries",
                    f"says {stated}, but {len(covered)} profiles have {year} scores",
                )
            )
        listed = {m.get("iso3") for m in entry.get("missing", []) if isinstance(m, dict)}
        absent = everyone - covered
        if listed != absent:
            wrong = sorted(str(x) for x in listed - absent)
            unlisted = sorted(names[x] for x in absent - listed)
            detail = "; ".join(
                part
                for part in (
                    f"listed but covered or unknown: {', '.join(wrong)}" if wrong else "",
                    f"missing but not listed: {', '.join(unlisted)}" if unlisted else "",
                )
                if part
            )
            problems.append(Problem(MANIFEST, f"editions.{year}.missing", detail))
    return problems
