"""Shared helpers for the query-command tests (rank, compare, trend, search, list, resolve).

Expected figures are computed here *independently* of `ocindex`: straight from the shipped
`data/*.toml` with `tomllib`, `fractions` and `decimal`, never through the package's own
arithmetic, index or views.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"


ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
BOX_DRAWING = re.compile(r"[\u2500-\u257f\u2580-\u259f]")  # box drawing and block elements

# The 2021 indicator set, spelled out here rather than taken from ocindex.indicators.
MARKETS_2021 = (
    "human_trafficking",
    "human_smuggling",
    "arms_trafficking",
    "flora_crimes",
    "fauna_crimes",
    "non_renewable_resource_crimes",
    "heroin_trade",
    "cocaine_trade",
    "cannabis_trade",
    "synthetic_drug_trade",
)
ACTORS_2021 = ("mafia_style_groups", "criminal_networks", "state_embedded_actors", "foreign_actors")
MISSING_2025 = ("St. Kitts and Nevis", "St. Lucia", "St. Vincent and the Grenadines")


def run(*args: str, env: Mapping[str, str | None] | None = None) -> Any:
    """Invoke the CLI in-process. stdout is not a terminal here, so the default is TSV."""
    from ocindex.cli import app

    result = CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)
    return result


def ok(*args: str, env: Mapping[str, str | None] | None = None) -> Any:
    """Invoke and require exit 0 with nothing resembling a traceback."""
    result = run(*args, env=env)
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result


def usage_error(*args: str) -> Any:
    """Invoke and require exit 2, an `ocindex:` message on stderr, nothing on stdout."""
    result = run(*args)
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert result.stdout == ""
    assert result.stderr.startswith("ocindex: ")
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2
    return result


def tsv(text: str) -> list[dict[str, str]]:
    lines = text.splitlines()
    header = lines[0].split("\t")
    rows = [line.split("\t") for line in lines[1:]]
    assert all(len(row) == len(header) for row in rows), "ragged TSV"
    return [dict(zip(header, row, strict=True)) for row in rows]


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def as_json(text: str) -> Any:
    return json.loads(text)


# -- independent reading of the shipped data -------------------------------------------------


@cache
def raw_profiles() -> dict[str, dict[str, Any]]:
    """Every profile file, decoded with tomllib, by ISO3."""
    out = {}
    for path in sorted(DATA.glob("*.toml")):
        if path.name == "editions.toml":
            continue
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        out[raw["country"]["iso3"]] = raw
    return out


def edition_rows(edition: int) -> dict[str, dict[str, Any]]:
    """{iso3: {"name", "continent", "region", "scores"}} for every country in `edition`."""
    out = {}
    for iso3, raw in raw_profiles().items():
        record = raw.get("editions", {}).get(str(edition))
        if record is None:
            continue
        out[iso3] = {
            "name": raw["country"]["name"],
            "continent": record["continent"],
            "region": record["region"],
            "scores": record["scores"],
        }
    return out


def expected_ranks(
    edition: int,
    key: str,
    *,
    continent: str | None = None,
    region: str | None = None,
    ascending: bool = False,
) -> dict[str, int]:
    """Competition ranks by counting: 1 + the number of countries strictly better."""
    rows = {
        iso3: row["scores"][key]
        for iso3, row in edition_rows(edition).items()
        if (continent is None or row["continent"] == continent)
        and (region is None or row["region"] == region)
    }
    exact = {iso3: Decimal(repr(v)) for iso3, v in rows.items()}
    if ascending:
        return {i: 1 + sum(1 for w in exact.values() if w < v) for i, v in exact.items()}
    return {i: 1 + sum(1 for w in exact.values() if w > v) for i, v in exact.items()}


def half_up(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def to_fraction(value: float) -> Fraction:
    return Fraction(Decimal(repr(value)))


def basis_2021(scores: Mapping[str, float]) -> dict[str, Decimal]:
    """Criminality and its pillars on the 2021 indicator set, rounded once, half up."""
    markets = sum((to_fraction(scores[k]) for k in MARKETS_2021), Fraction(0)) / len(MARKETS_2021)
    actors = sum((to_fraction(scores[k]) for k in ACTORS_2021), Fraction(0)) / len(ACTORS_2021)
    return {
        "criminality": half_up((markets + actors) / 2),
        "criminal_markets": half_up(markets),
        "criminal_actors": half_up(actors),
    }


def mali_paragraphs() -> list[dict[str, Any]]:
    return list(raw_profiles()["MLI"]["profile"]["2023"]["narrative"])


def one_line(text: str) -> str:
    return " ".join(text.split())


MARKETS_ADDED_2023 = (
    "extortion_and_protection_racketeering",
    "trade_in_counterfeit_goods",
    "illicit_trade_in_excisable_goods",
    "cyber_dependent_crimes",
    "financial_crimes",
)
ACTORS_ADDED_2023 = ("private_sector_actors",)
RESILIENCE_KEYS = (
    "political_leadership_and_governance",
    "government_transparency_and_accountability",
    "international_cooperation",
    "national_policies_and_laws",
    "judicial_system_and_detention",
    "law_enforcement",
    "territorial_integrity",
    "anti_money_laundering",
    "economic_regulatory_capacity",
    "victim_and_witness_support",
    "prevention",
    "non_state_actors",
)


def unrounded(scores: Mapping[str, float], key: str, *, basis_2021: bool = False) -> Fraction:
    """A score exactly: a composite from its indicators, never rounded; an indicator as is.

    `basis_2021` recomputes on the 2021 indicator set (a 2021 record has nothing else)."""
    later = not basis_2021 and "financial_crimes" in scores
    markets = MARKETS_2021 + (MARKETS_ADDED_2023 if later else ())
    actors = ACTORS_2021 + (ACTORS_ADDED_2023 if later else ())

    def mean(keys: tuple[str, ...]) -> Fraction:
        return sum((to_fraction(scores[k]) for k in keys), Fraction(0)) / len(keys)

    if key == "criminality":
        return (mean(markets) + mean(actors)) / 2
    if key == "criminal_markets":
        return mean(markets)
    if key == "criminal_actors":
        return mean(actors)
    if key == "resilience":
        return mean(RESILIENCE_KEYS)
    return to_fraction(scores[key])


def signed_half_up(value: Fraction) -> Decimal:
    """Two decimals, halves away from zero (decimal's ROUND_HALF_UP), for changes."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def site_change(
    old: Mapping[str, float], new: Mapping[str, float], key: str, *, basis_2021: bool = False
) -> Decimal:
    """A change as ocindex.net shows it: unrounded composites subtracted, then rounded."""
    return signed_half_up(
        unrounded(new, key, basis_2021=basis_2021) - unrounded(old, key, basis_2021=basis_2021)
    )
