"""`ocindex compare` and `ocindex trend` (issue 3, items 2 and 3)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from helpers_queries import (
    ANSI,
    DATA,
    as_json,
    basis_2021,
    csv_rows,
    edition_rows,
    expected_ranks,
    ok,
    site_change,
    tsv,
    usage_error,
)
from ocindex.index import Index
from ocindex.indicators import ALL, BY_KEY
from ocindex.questions.trend import trend

KEYS_2023 = [item.key for item in ALL]
KEYS_2021 = [item.key for item in ALL if item.since == 2021]
BREAK_KEYS = {"criminality", "criminal_markets", "criminal_actors"}


def dec(value: float | str) -> Decimal:
    return Decimal(repr(value) if isinstance(value, float) else value)


# -- compare -----------------------------------------------------------------------------


def test_compare_two_countries_json() -> None:
    out = as_json(ok("compare", "mali", "niger", "--format", "json").stdout)
    assert out["edition"] == 2023
    assert [c["iso3"] for c in out["countries"]] == ["MLI", "NER"]
    assert out["countries"][0] == {
        "name": "Mali",
        "iso3": "MLI",
        "continent": "Africa",
        "region": "West Africa",
    }
    assert [line["key"] for line in out["indicators"]] == KEYS_2023
    data = edition_rows(2023)
    for line in out["indicators"]:
        mli, ner = data["MLI"]["scores"][line["key"]], data["NER"]["scores"][line["key"]]
        assert line["scores"] == {"MLI": mli, "NER": ner}
        assert dec(line["difference"]) == dec(mli) - dec(ner)  # first minus second
        expected_high = [] if mli == ner else ["MLI"] if mli > ner else ["NER"]
        assert line["highest"] == expected_high
    by_key = {line["key"]: line for line in out["indicators"]}
    assert by_key["criminality"]["difference"] == 0.23
    assert by_key["resilience"]["difference"] == -1.08
    assert by_key["resilience"]["highest"] == ["NER"]
    assert by_key["human_trafficking"]["highest"] == []
    assert out["ranks"]["criminality"]["MLI"]["global"] == {"rank": 50, "of": 193}
    assert out["ranks"]["criminality"]["MLI"]["region"] == {"rank": 3, "of": 15}
    niger_rank = expected_ranks(2023, "resilience")["NER"]
    assert out["ranks"]["resilience"]["NER"]["global"] == {"rank": niger_rank, "of": 193}


def test_compare_three_countries_spread_and_tied_highest() -> None:
    rows = csv_rows(ok("compare", "mali", "niger", "burkina faso", "--format", "csv").stdout)
    by_key = {r["key"]: r for r in rows}
    resilience = by_key["resilience"]
    assert (resilience["MLI"], resilience["NER"], resilience["BFA"]) == ("2.38", "3.46", "3.46")
    assert resilience["difference"] == "1.08"  # highest minus lowest
    assert resilience["highest"] == "NER; BFA"
    assert by_key["criminal_actors"]["highest"] == "BFA"
    data = edition_rows(2023)
    for row in rows:
        values = [dec(data[iso]["scores"][row["key"]]) for iso in ("MLI", "NER", "BFA")]
        assert dec(row["difference"]) == max(values) - min(values)


def test_compare_table_marks_the_highest() -> None:
    out = ok("compare", "mali", "niger", "--format", "table").stdout
    assert ANSI.search(out) is None
    assert "Difference" in out
    criminality = next(line for line in out.splitlines() if "CRIMINALITY" in line)
    assert re.search(r"▲\s+5\.93", criminality)
    assert "+0.23" in criminality
    assert "▲ marks the highest score." in out
    three = ok("compare", "mali", "niger", "chad", "--format", "table").stdout
    assert "Spread" in three


@pytest.mark.parametrize("count", [2, 10])
def test_compare_accepts_2_to_10(count: int) -> None:
    names = ["mali", "niger", "chad", "togo", "benin", "ghana", "guinea", "liberia", "senegal"]
    names = [*names, "gambia"][:count]
    out = as_json(ok("compare", *names, "--format", "json").stdout)
    assert len(out["countries"]) == count
    header = ok("compare", *names, "--format", "csv").stdout.splitlines()[0]
    assert header.split(",")[3:-2] == [c["iso3"] for c in out["countries"]]


ELEVEN = ["mali", "niger", "chad", "togo", "benin", "ghana", "guinea", "liberia", "senegal"]
ELEVEN += ["gambia", "nigeria"]


@pytest.mark.parametrize(
    ("names", "count"),
    [
        (["mali"], 1),
        (["mali", "mali"], 1),  # the same country twice is one country
        (["mali", "MLI", "ML"], 1),
        (ELEVEN, 11),
    ],
)
def test_compare_refuses_fewer_than_2_or_more_than_10(names: list[str], count: int) -> None:
    result = usage_error("compare", *names)
    assert f"compare takes 2 to 10 different countries, not {count}" in result.stderr


def test_compare_counts_different_countries() -> None:
    out = as_json(ok("compare", *ELEVEN[:10], "Mali", "--format", "json").stdout)
    assert len(out["countries"]) == 10


def test_compare_without_countries_is_a_usage_error() -> None:
    assert "Missing argument" in usage_error("compare").stderr


def test_compare_2021_has_only_the_2021_indicators() -> None:
    rows = tsv(ok("compare", "mali", "niger", "--year", "2021").stdout)
    assert [r["key"] for r in rows] == KEYS_2021
    assert len(rows) == 30


def test_compare_2025_refuses_a_country_the_source_lacks() -> None:
    result = usage_error("compare", "mali", "st lucia", "--year", "2025")
    assert "St. Lucia has no 2025 scores" in result.stderr
    assert "covers 190 countries" in result.stderr


def test_compare_ambiguous_country() -> None:
    result = usage_error("compare", "mali", "congo")
    assert "'Congo, Dem. Rep.' or 'Congo, Rep.'" in result.stderr


# -- trend -------------------------------------------------------------------------------

TREND_HEADER = (
    "iso3\tkey\tindicator\tbasis\t2021\t2023\t2025\t"
    "change_2023\tchange_2025\tcomparable_2023\tcomparable_2025"
)


def test_trend_mali_every_row_against_the_data() -> None:
    out = ok("trend", "mali").stdout
    assert out.splitlines()[0] == TREND_HEADER
    rows = tsv(out)
    published = [r for r in rows if r["basis"] == "published"]
    assert [r["key"] for r in published] == KEYS_2023
    years = {y: edition_rows(y)["MLI"]["scores"] for y in (2021, 2023, 2025)}
    for row in published:
        key = row["key"]
        for year, scores in years.items():
            cell = row[str(year)]
            assert cell == ("" if key not in scores else f"{scores[key]:g}")
        for before, after in ((2021, 2023), (2023, 2025)):
            old = years[before].get(key)
            change = row[f"change_{after}"]
            expected = site_change(years[before], years[after], key) if old is not None else None
            assert change == ("" if expected is None else f"{float(expected):g}")
            crosses = before == 2021 and key in BREAK_KEYS
            assert row[f"comparable_{after}"] == ("false" if crosses else "true")


def test_trend_mali_published_criminality() -> None:
    row = tsv(ok("trend", "mali", "criminality").stdout)[0]
    assert (row["2021"], row["2023"], row["2025"]) == ("5.89", "5.93", "6.33")
    assert (row["change_2023"], row["change_2025"]) == ("0.05", "0.4")  # from unrounded
    assert (row["comparable_2023"], row["comparable_2025"]) == ("false", "true")


def test_trend_comparable_basis_is_recomputed_on_the_2021_set() -> None:
    """Mali 2023: markets 63.5/10 = 6.35, actors 23/4 = 5.75, criminality 6.05."""
    rows = tsv(ok("trend", "mali").stdout)
    basis = {r["key"]: r for r in rows if r["basis"] == "2021_indicators"}
    assert set(basis) == BREAK_KEYS
    for year in (2021, 2023, 2025):
        expected = basis_2021(edition_rows(year)["MLI"]["scores"])
        for key in BREAK_KEYS:
            assert dec(basis[key][str(year)]) == expected[key], (key, year)
    assert basis["criminality"]["2023"] == "6.05"
    assert basis["criminal_markets"]["2023"] == "6.35"
    assert basis["criminal_actors"]["2023"] == "5.75"
    # 2021 was assessed on the 2021 set: the basis is the published figure.
    published = {r["key"]: r for r in rows if r["basis"] == "published"}
    for key in BREAK_KEYS:
        assert basis[key]["2021"] == published[key]["2021"]
        assert basis[key]["comparable_2023"] == basis[key]["comparable_2025"] == "true"
    assert basis["criminality"]["change_2023"] == "0.16"


def test_trend_basis_for_every_country_and_edition() -> None:
    index = Index.load(DATA, use_cache=False)
    for country in index.countries:
        view = trend(index, country)
        for series in view.comparable_basis:
            for year, value in zip(view.editions, series.values, strict=True):
                if country.iso3 not in edition_rows(year):  # not in that edition's source
                    assert value is None
                    continue
                scores = edition_rows(year)[country.iso3]["scores"]
                expected = basis_2021(scores)[series.indicator.key]
                assert value is not None
                assert dec(value) == expected, (country.iso3, year, series.indicator.key)


def test_trend_selected_indicators_only() -> None:
    rows = tsv(ok("trend", "mali", "cocaine", "aml").stdout)
    assert [(r["key"], r["basis"]) for r in rows] == [
        ("cocaine_trade", "published"),
        ("anti_money_laundering", "published"),
    ]
    rows = tsv(ok("trend", "mali", "criminality").stdout)
    assert [(r["key"], r["basis"]) for r in rows] == [
        ("criminality", "published"),
        ("criminality", "2021_indicators"),
    ]


def test_trend_new_indicator_has_no_2021_value() -> None:
    row = tsv(ok("trend", "mali", "financial").stdout)[0]
    assert (row["2021"], row["2023"], row["2025"]) == ("", "7", "7")
    assert (row["change_2023"], row["change_2025"]) == ("", "0")
    table = ok("trend", "mali", "financial", "--format", "table").stdout
    line = next(x for x in table.splitlines() if "Financial crimes" in x)
    assert "n/a" in line
    assert "new" in line


def test_trend_table_marks_the_break() -> None:
    out = ok("trend", "mali", "criminality", "--format", "table").stdout
    assert ANSI.search(out) is None
    assert "Mali · 2021 → 2023 → 2025" in out
    line = next(x for x in out.splitlines() if "CRIMINALITY" in x)
    assert "+0.05*" in line
    assert "+0.40" in line
    assert "Criminality on the 2021 indicator set" in out
    assert "crosses the 2021 methodology break" in out
    assert "190 of 193" in out


def test_trend_json_numbers_and_flags() -> None:
    out = as_json(ok("trend", "mali", "criminality", "resilience", "--format", "json").stdout)
    assert out["country"] == {"name": "Mali", "iso3": "MLI"}
    assert out["editions"] == [2021, 2023, 2025]
    criminality, resilience = out["series"]
    assert criminality["values"] == {"2021": 5.89, "2023": 5.93, "2025": 6.33}
    assert [(c["edition"], c["comparable"]) for c in criminality["changes"]] == [
        (2023, False),
        (2025, True),
    ]
    assert all(c["comparable"] for c in resilience["changes"])
    (basis,) = out["comparable_basis"]
    assert basis["values"]["2023"] == 6.05
    assert all(c["comparable"] for c in basis["changes"])


def test_trend_of_a_country_missing_from_2025() -> None:
    result = ok("trend", "st lucia", "criminality")
    out = result.stdout
    # the same columns as every other country, so outputs can be concatenated
    assert out.splitlines()[0] == ok("trend", "mali", "criminality").stdout.splitlines()[0]
    row = tsv(out)[0]
    assert row["iso3"] == "LCA"
    assert row["2025"] == "" and row["change_2025"] == ""
    assert "St. Lucia has no 2025 scores" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("trend", "congo"), "is ambiguous"),
        (("trend", "narnia"), "unknown country 'narnia'"),
        (("trend", "mali", "human"), "'human_smuggling' or 'human_trafficking'"),
        (("trend", "mali", "nonsense"), "unknown indicator 'nonsense'"),
        (("trend",), "Missing argument"),
    ],
)
def test_trend_refusals(args: tuple[str, ...], message: str) -> None:
    assert message in usage_error(*args).stderr


def test_change_keys_are_the_break_keys() -> None:
    """The keys marked not comparable are exactly criminality and its two pillars."""
    rows = tsv(ok("trend", "mali").stdout)
    marked = {
        r["key"] for r in rows if r["basis"] == "published" and r["comparable_2023"] == "false"
    }
    assert marked == BREAK_KEYS
    assert all(BY_KEY[k].is_composite for k in marked)
