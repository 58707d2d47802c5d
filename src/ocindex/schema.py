"""Validation of profile and manifest files: every problem found, each naming its file and key.

The loader stops at the first problems; `ocindex validate` reports them all.
"""

import math
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from ocindex.indicators import BY_KEY, EDITIONS, edition_allowed, score_keys
from ocindex.model import (
    SCOPES,
)
from ocindex.resolve import normalize
from ocindex.text import has_control

ISO3 = re.compile(r"[A-Z]{3}")
ISO2 = re.compile(r"[A-Z]{2}")
YEAR = re.compile(r"20\d\d")


class Problem(NamedTuple):
    """One thing wrong with one file."""

    file: str
    where: str
    message: str

    def __str__(self) -> str:
        return (
            f"{self.file}: {self.where}: {self.message}"
            if self.where
            else (f"{self.file}: {self.message}")
        )


class _Checker:
    """Collects problems while reading one decoded TOML document."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.file, where, message))

    def table(self, parent: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any] | None:
        value = parent.get(key)
        if not isinstance(value, dict):
            self.fail(f"{where}{key}", "missing table" if value is None else "must be a table")
            return None
        return value

    def string(
        self, parent: Mapping[str, Any], key: str, where: str, *, multiline: bool = False
    ) -> str:
        value = parent.get(key)
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{where}{key}", "missing" if value is None else "must be a non-empty string")
            return ""
        if has_control(value, multiline=multiline):
            self.fail(f"{where}{key}", "holds control or direction-override characters")
        return value

    def strings(self, parent: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
        value = parent.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(f"{where}{key}", "must be a list of strings")
            return ()
        if any(has_control(v) for v in value):
            self.fail(f"{where}{key}", "holds control or direction-override characters")
        return tuple(value)

    def number(self, value: Any, where: str) -> float | None:
        if type(value) not in (int, float) or not math.isfinite(value):
            self.fail(where, f"must be a finite number, not {value!r}")
            return None
        return float(value)

    def year(self, key: str, where: str) -> int | None:
        if not YEAR.fullmatch(key) or not edition_allowed(int(key)):
            self.fail(f"{where}{key}", f"not an edition year (known: {_years()}, or a later one)")
            return None
        return int(key)

    def known_keys(self, raw: Mapping[str, Any], allowed: tuple[str, ...], where: str) -> None:
        for key in raw:
            if key not in allowed:
                self.fail(f"{where}{key}", f"unknown key (expected {', '.join(allowed)})")


def _years() -> str:
    return ", ".join(str(y) for y in EDITIONS)


def check_score(key: str, value: float) -> str | None:
    """Why `value` cannot be a published `key` score, or None if it can."""
    if not 1 <= value <= 10:
        return f"{value:g} is outside 1-10"
    if BY_KEY[key].is_composite:
        if abs(value * 100 - round(value * 100)) > 1e-6:
            return f"{value!r} has more than two decimals"
    elif value * 2 != int(value * 2):
        return f"{value:g} is not a step of 0.5"
    return None


def _check_scores(check: _Checker, raw: Any, edition: int, where: str) -> None:
    if not isinstance(raw, dict):
        check.fail(where.rstrip("."), "missing table" if raw is None else "must be a table")
        return
    expected = score_keys(edition)
    for key in expected:
        if key not in raw:
            check.fail(f"{where}{key}", f"missing (every {edition} profile has it)")
            continue
        value = check.number(raw[key], f"{where}{key}")
        reason = None if value is None else check_score(key, value)
        if reason:
            check.fail(f"{where}{key}", reason)
    for key in raw:
        if key not in expected:
            reason = f"not assessed in {edition}" if key in BY_KEY else "unknown indicator key"
            check.fail(f"{where}{key}", reason)


def _check_document(check: _Checker, raw: Any, edition: int, where: str) -> None:
    if not isinstance(raw, dict):
        check.fail(where.rstrip("."), "must be a table")
        return
    assessed = score_keys(edition)
    for key in ("title", "document"):
        check.string(raw, key, where)
    check.strings(raw, "funding", where)
    stated_scores = raw.get("stated_scores", {})
    if not isinstance(stated_scores, dict):
        check.fail(f"{where}stated_scores", "must be a table")
        stated_scores = {}
    for key, value in stated_scores.items():
        if key not in BY_KEY:
            check.fail(f"{where}stated_scores.{key}", "unknown indicator key")
        elif key not in assessed:
            check.fail(f"{where}stated_scores.{key}", f"not assessed in {edition}")
        check.number(value, f"{where}stated_scores.{key}")
    stated_ranks = raw.get("stated_ranks", {})
    if not isinstance(stated_ranks, dict):
        check.fail(f"{where}stated_ranks", "must be a table")
        stated_ranks = {}
    for key, scopes in stated_ranks.items():
        if key not in BY_KEY or not isinstance(scopes, dict):
            check.fail(f"{where}stated_ranks.{key}", "must be a table named by a score key")
            continue
        if key not in assessed:
            check.fail(f"{where}stated_ranks.{key}", f"not assessed in {edition}")
        for scope, rank in scopes.items():
            spot = f"{where}stated_ranks.{key}.{scope}"
            if scope not in SCOPES:
                check.fail(spot, f"scope must be one of {', '.join(SCOPES)}")
            elif (
                not isinstance(rank, dict)
                or set(rank) != {"rank", "of"}
                or not all(type(rank[k]) is int for k in rank)
                or not 1 <= rank["rank"] <= rank["of"]
            ):
                check.fail(spot, "must be { rank = N, of = M } with 1 <= N <= M")
    narrative = raw.get("narrative", [])
    if not isinstance(narrative, list):
        check.fail(f"{where}narrative", "must be an array of tables")
        narrative = []
    for number, item in enumerate(narrative, start=1):
        spot = f"{where}narrative[{number}]."
        if not isinstance(item, dict):
            check.fail(spot.rstrip("."), "must be a table")
            continue
        for key in ("section", "heading", "text"):
            check.string(item, key, spot, multiline=key == "text")
        for tag in check.strings(item, "indicators", spot):
            if tag not in BY_KEY:
                check.fail(f"{spot}indicators", f"unknown indicator key {tag!r}")


def check_profile(raw: Mapping[str, Any], file: str) -> list[Problem]:
    """Every problem of one decoded profile file."""
    check = _Checker(file)
    for key in raw:
        if key not in ("country", "editions", "profile"):
            check.fail(key, "unknown table (expected country, editions, profile)")
    identity = check.table(raw, "country", "")
    if identity is not None:
        check.string(identity, "name", "country.")
        check.strings(identity, "aliases", "country.")
        for key, pattern in (("iso3", ISO3), ("iso2", ISO2)):
            code = check.string(identity, key, "country.")
            if code and not pattern.fullmatch(code):
                check.fail(f"country.{key}", f"{code!r} is not {len(key) - 1} upper-case letters")
    editions = check.table(raw, "editions", "")
    years: set[int] = set()
    for key, value in (editions or {}).items():
        edition = check.year(key, "editions.")
        if edition is None:
            continue
        years.add(edition)
        where = f"editions.{key}."
        if not isinstance(value, dict):
            check.fail(where.rstrip("."), "must be a table")
            continue
        check.known_keys(value, ("continent", "region", "scores"), where)
        check.string(value, "continent", where)
        check.string(value, "region", where)
        _check_scores(check, value.get("scores"), edition, f"{where}scores.")
    if editions is not None and not editions:
        check.fail("editions", "no edition recorded")
    documents = raw.get("profile", {})
    if not isinstance(documents, dict):
        check.fail("profile", "must be a table")
        documents = {}
    for key, value in documents.items():
        edition = check.year(key, "profile.")
        if edition is None:
            continue
        if edition not in years:
            check.fail(f"profile.{key}", f"describes {edition}, which has no [editions.{key}]")
        _check_document(check, value, edition, f"profile.{key}.")
    return check.problems


def check_manifest(raw: Mapping[str, Any], file: str) -> list[Problem]:
    """Every problem of the decoded edition manifest."""
    check = _Checker(file)
    editions = check.table(raw, "editions", "") or {}
    default = raw.get("default_edition")
    if type(default) is not int:
        check.fail("default_edition", "must be an edition year")
    elif str(default) not in editions:
        check.fail("default_edition", f"{default} is not one of the editions listed")
    for key, value in editions.items():
        edition = check.year(key, "editions.")
        if edition is None:
            continue
        where = f"editions.{key}."
        if not isinstance(value, dict):
            check.fail(where.rstrip("."), "must be a table")
            continue
        count = value.get("countries")
        if type(count) is not int or count < 1:
            check.fail(f"{where}countries", "must be a positive whole number")
        check.string(value, "file", where)
        check.string(value, "sha256", where)
        if "sheet" in value and not isinstance(value["sheet"], str):
            check.fail(f"{where}sheet", "must be a string")
        missing = value.get("missing", [])
        if not isinstance(missing, list) or not all(
            isinstance(item, dict) and set(item) == {"iso3", "name"} for item in missing
        ):
            check.fail(f"{where}missing", "must be a list of { iso3 = ..., name = ... }")
        updates = value.get("updates", [])
        if not isinstance(updates, list) or not all(
            isinstance(item, dict)
            and set(item) == {"file", "sha256", "countries"}
            and type(item["countries"]) is int
            for item in updates
        ):
            check.fail(f"{where}updates", "must be a list of { file, sha256, countries }")
    return check.problems


def check_directory(
    manifest: Mapping[str, Any] | None, profiles: Mapping[str, Mapping[str, Any]]
) -> list[Problem]:
    """What no single file shows: duplicate ISO3 codes and names, and each edition's
    coverage against the manifest. `profiles` are the sound decoded profiles by file name."""
    problems: list[Problem] = []
    iso3_files: dict[str, str] = {}
    name_files: dict[str, str] = {}
    iso2_files: dict[str, str] = {}
    codes: dict[str, str] = {}
    """Every folded name and code -> the file of the country it is."""
    coverage: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for file, raw in profiles.items():
        identity = raw["country"]
        iso3, name = identity["iso3"], identity["name"]
        if iso3 in iso3_files:
            problems.append(Problem(file, "country.iso3", f"{iso3} is also in {iso3_files[iso3]}"))
        iso3_files.setdefault(iso3, file)
        folded = normalize(name)
        if folded in name_files:
            problems.append(
                Problem(file, "country.name", f"{name!r} is also in {name_files[folded]}")
            )
        name_files.setdefault(folded, file)
        iso2 = identity["iso2"]
        if iso2 in iso2_files:
            problems.append(Problem(file, "country.iso2", f"{iso2} is also in {iso2_files[iso2]}"))
        iso2_files.setdefault(iso2, file)
        for code in (folded, normalize(iso3), normalize(iso2)):
            codes.setdefault(code, file)
        names[iso3] = name
        for year in raw["editions"]:
            coverage.setdefault(str(year), set()).add(iso3)
    for file, raw in profiles.items():
        for alias in raw["country"].get("aliases", []):
            other = codes.get(normalize(alias))
            if other is not None and other != file:
                problems.append(
                    Problem(file, "country.aliases", f"{alias!r} is the name or a code of {other}")
                )
    editions = manifest.get("editions") if manifest is not None else None
    if not isinstance(editions, dict):
        return problems
    for year in sorted(set(coverage) - set(editions)):
        problems.append(
            Problem("editions.toml", f"editions.{year}", "profiles have it, manifest lacks it")
        )
    for year, entry in editions.items():
        if not isinstance(entry, dict):
            continue
        covered = coverage.get(year, set())
        stated = entry.get("countries")
        if isinstance(stated, int) and stated != len(covered):
            problems.append(
                Problem(
                    "editions.toml",
                    f"editions.{year}.countries",
                    f"says {stated}, but {len(covered)} profiles have {year} scores",
                )
            )
        listed = {m.get("iso3") for m in entry.get("missing", []) if isinstance(m, dict)}
        # The manifest may name countries that have no profile here (the index's others);
        # it must name every profile that lacks the edition, and none that has it.
        wrongly = sorted(str(x) for x in listed & covered)
        unlisted = sorted(names[x] for x in set(names) - covered - listed)
        detail = "; ".join(
            part
            for part in (
                f"listed as missing but covered: {', '.join(wrongly)}" if wrongly else "",
                f"missing but not listed: {', '.join(unlisted)}" if unlisted else "",
            )
            if part
        )
        if detail:
            problems.append(Problem("editions.toml", f"editions.{year}.missing", detail))
    return problems
