"""The shipped data (`data/`), loaded as users get it: coverage, places, arithmetic, ranks."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from itertools import pairwise
from math import floor

import pytest

from conftest import DATA
from ocindex.index import Index
from ocindex.model import Country
from ocindex.questions.verification import verify

# The index's structure, written out here so the checks below do not rely on the code under
# test: (key, first edition that assesses it).
MARKETS = [
    ("human_trafficking", 2021),
    ("human_smuggling", 2021),
    ("extortion_and_protection_racketeering", 2023),
    ("arms_trafficking", 2021),
    ("trade_in_counterfeit_goods", 2023),
    ("illicit_trade_in_excisable_goods", 2023),
    ("flora_crimes", 2021),
    ("fauna_crimes", 2021),
    ("non_renewable_resource_crimes", 2021),
    ("heroin_trade", 2021),
    ("cocaine_trade", 2021),
    ("cannabis_trade", 2021),
    ("synthetic_drug_trade", 2021),
    ("cyber_dependent_crimes", 2023),
    ("financial_crimes", 2023),
]
ACTORS = [
    ("mafia_style_groups", 2021),
    ("criminal_networks", 2021),
    ("state_embedded_actors", 2021),
    ("foreign_actors", 2021),
    ("private_sector_actors", 2023),
]
RESILIENCE = [
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
]


def figure(value: float) -> Fraction:
    """A published figure, exactly: 6.47 is 647/100."""
    return Fraction(repr(value))


def half_up(value: Fraction) -> Fraction:
    """Two decimals, halves up (every score here is positive)."""
    return Fraction(floor(value * 100 + Fraction(1, 2)), 100)


def average(values: list[Fraction]) -> Fraction:
    return sum(values, Fraction(0)) / len(values)


def pillars(scores: dict[str, float], edition: int) -> tuple[Fraction, Fraction, Fraction]:
    markets = average([figure(scores[k]) for k, since in MARKETS if edition >= since])
    actors = average([figure(scores[k]) for k, since in ACTORS if edition >= since])
    resilience = average([figure(scores[k]) for k in RESILIENCE])
    return markets, actors, resilience


@pytest.fixture(scope="module")
def index() -> Index:
    return Index.load(DATA, use_cache=False)


def names(countries: list[Country]) -> set[str]:
    return {c.name for c in countries}


# -- coverage ------------------------------------------------------------------------------


def test_editions_and_country_counts(index: Index) -> None:
    assert index.editions == (2021, 2023, 2025)
    assert len(index.countries) == 193
    assert len({c.iso3 for c in index.countries}) == 193
    assert {e: len(index.records(e)) for e in index.editions} == {2021: 193, 2023: 193, 2025: 190}


def test_manifest_counts_match_the_profiles(index: Index) -> None:
    for edition in index.editions:
        assert index.source(edition).countries == len(index.records(edition))


def test_2025_lacks_exactly_three_caribbean_countries(index: Index) -> None:
    source = index.source(2025)
    assert [(m.iso3, m.name) for m in source.missing] == [
        ("KNA", "St. Kitts and Nevis"),
        ("LCA", "St. Lucia"),
        ("VCT", "St. Vincent and the Grenadines"),
    ]
    covered = {c.iso3 for c, _ in index.records(2025)}
    assert {c.iso3 for c in index.countries} - covered == {"KNA", "LCA", "VCT"}
    assert index.source(2021).missing == ()
    assert index.source(2023).missing == ()


def test_sources_are_recorded(index: Index) -> None:
    assert (index.source(2021).file, index.source(2021).sheet) == (
        "global_oc_index.xlsx",
        "2021_dataset",
    )
    assert (index.source(2023).file, index.source(2023).sheet) == (
        "global_oc_index.xlsx",
        "2023_dataset",
    )
    assert (index.source(2025).file, index.source(2025).sheet) == (
        "global_oc_index_2025.csv",
        None,
    )


def test_default_edition_is_the_latest_complete_one(index: Index) -> None:
    assert index.manifest.default_edition == 2023
    assert index.edition(None) == 2023
    assert index.edition(2025) == 2025


# -- places --------------------------------------------------------------------------------


@pytest.mark.parametrize("edition", [2021, 2023])
def test_continent_counts(index: Index, edition: int) -> None:
    counts = Counter(r.continent for _, r in index.records(edition))
    assert counts == {"Africa": 54, "Americas": 35, "Asia": 46, "Europe": 44, "Oceania": 14}


def test_continent_counts_2025(index: Index) -> None:
    counts = Counter(r.continent for _, r in index.records(2025))
    assert counts == {"Africa": 54, "Americas": 32, "Asia": 46, "Europe": 44, "Oceania": 14}


def test_2023_regions(index: Index) -> None:
    counts = Counter(r.region for _, r in index.records(2023))
    assert len(counts) == 21
    assert counts["West Africa"] == 15
    assert counts["Caribbean & Central"] == 21
    assert counts["Central Asia and the Caucasus"] == 8
    assert sum(counts.values()) == 193


def test_regions_change_between_editions(index: Index) -> None:
    regions = {e: {r.region for _, r in index.records(e)} for e in index.editions}
    assert {"Caribbean", "Central America"} <= regions[2021]
    assert "Caribbean & Central" not in regions[2021]
    assert {"Caribbean", "Central America"} <= regions[2025]
    assert "Caribbean" not in regions[2023]


def test_place_names_carry_no_stray_spaces(index: Index) -> None:
    for edition in index.editions:
        for _, record in index.records(edition):
            assert record.region == record.region.strip(), record
            assert record.continent == record.continent.strip(), record
    kitts = index.country("KNA")
    assert kitts.records[2021].region == "Caribbean"  # "Caribbean " in the official sheet


def test_every_region_belongs_to_one_continent(index: Index) -> None:
    for edition in index.editions:
        continents: dict[str, set[str]] = {}
        for _, record in index.records(edition):
            continents.setdefault(record.region, set()).add(record.continent)
        assert all(len(found) == 1 for found in continents.values()), continents


# -- arithmetic ----------------------------------------------------------------------------


def test_verify_finds_every_composite_consistent(index: Index) -> None:
    report = verify(index)
    assert report.discrepancies == ()
    assert report.consistent
    assert report.countries == 193
    assert report.editions == (2021, 2023, 2025)
    assert report.composites == (193 + 193 + 190) * 4 == 2304


def test_every_composite_reproduces_independently(index: Index) -> None:
    checked = 0
    wrong = []
    for country in index.countries:
        for edition, record in country.records.items():
            scores = record.scores
            markets, actors, resilience = pillars(scores, edition)
            expected = {
                "criminal_markets": half_up(markets),
                "criminal_actors": half_up(actors),
                "resilience": half_up(resilience),
                "criminality": half_up((markets + actors) / 2),
            }
            for key, value in expected.items():
                checked += 1
                if figure(scores[key]) != value:
                    wrong.append((country.name, edition, key, scores[key], float(value)))
    assert wrong == []
    assert checked == 2304


def test_indicator_scores_are_half_steps_within_range(index: Index) -> None:
    composites = {"criminality", "criminal_markets", "criminal_actors", "resilience"}
    for country in index.countries:
        for edition, record in country.records.items():
            expected = {k for k, since in MARKETS + ACTORS if edition >= since}
            expected |= set(RESILIENCE) | composites
            assert set(record.scores) == expected, (country.name, edition)
            for key, value in record.scores.items():
                assert 1 <= value <= 10
                if key not in composites:
                    assert (figure(value) * 2).denominator == 1, (country.name, edition, key)


@pytest.mark.parametrize(("edition", "disagreements"), [(2021, 57), (2023, 58)])
def test_averaging_rounded_pillars_is_wrong_for_many_countries(
    index: Index, edition: int, disagreements: int
) -> None:
    """The shortcut (mean of the rounded pillars) misses the published criminality often."""
    missed = []
    for country, record in index.records(edition):
        markets, actors, _ = pillars(record.scores, edition)
        shortcut = half_up((half_up(markets) + half_up(actors)) / 2)
        correct = half_up((markets + actors) / 2)
        assert figure(record.scores["criminality"]) == correct
        if shortcut != correct:
            missed.append(country.iso3)
    assert len(missed) == disagreements
    assert ("MLI" in missed) == (edition == 2023)


# -- ranks ---------------------------------------------------------------------------------


def test_mali_2023_criminality_ranks(index: Index) -> None:
    mali = index.country("Mali")
    assert mali.records[2023].scores["criminality"] == 5.93
    positions = index.positions(mali, "criminality", 2023)
    assert (positions["global"].rank, positions["global"].of) == (50, 193)
    assert (positions["continent"].rank, positions["continent"].of) == (15, 54)
    assert positions["continent"].scope_name == "Africa"
    assert (positions["region"].rank, positions["region"].of) == (3, 15)
    assert positions["region"].scope_name == "West Africa"
    tied = [c for c, r in index.records(2023) if r.scores["criminality"] == 5.93]
    assert names(tied) == {"Mali", "Haiti"}
    haiti = index.country("Haiti")
    assert index.position(haiti, "criminality", 2023, "global").rank == 50


def test_mali_2023_resilience_ranks(index: Index) -> None:
    mali = index.country("Mali")
    assert mali.records[2023].scores["resilience"] == 2.38
    positions = index.positions(mali, "resilience", 2023)
    assert (positions["global"].rank, positions["global"].of) == (176, 193)
    assert (positions["continent"].rank, positions["continent"].of) == (45, 54)
    assert (positions["region"].rank, positions["region"].of) == (15, 15)
    tied = [c for c, r in index.records(2023) if r.scores["resilience"] == 2.38]
    assert names(tied) == {"Mali", "Congo, Dem. Rep.", "Comoros"}
    for country in tied:
        assert index.position(country, "resilience", 2023, "global").rank == 176


def test_2025_ranks_are_among_190(index: Index) -> None:
    mali = index.country("Mali")
    assert index.position(mali, "criminality", 2025, "global").of == 190
    kitts = index.country("St. Kitts and Nevis")
    caribbean = index.position(index.country("Jamaica"), "criminality", 2025, "region")
    assert caribbean.scope_name == "Caribbean"
    assert 2025 not in kitts.records


@pytest.mark.parametrize("key", ["criminality", "resilience"])
@pytest.mark.parametrize("edition", [2023, 2025])
def test_ranks_are_sorted_and_ties_share_a_rank(index: Index, edition: int, key: str) -> None:
    rows = sorted(
        (index.position(c, key, edition, "global").rank, r.scores[key])
        for c, r in index.records(edition)
    )
    assert rows[0][0] == 1
    assert rows[-1][0] <= len(rows)
    for (rank_a, score_a), (rank_b, score_b) in pairwise(rows):
        assert score_a >= score_b
        assert (rank_a == rank_b) == (score_a == score_b)
        if rank_b != rank_a:  # after a tie of n, the next rank skips n - 1 places
            assert rank_b == 1 + sum(1 for _, score in rows if score > score_b)


# -- names ---------------------------------------------------------------------------------


def test_names_are_spelled_properly(index: Index) -> None:
    by_iso3 = index.by_iso3
    assert by_iso3["COD"].name == "Congo, Dem. Rep."
    assert by_iso3["COG"].name == "Congo, Rep."
    assert by_iso3["KNA"].name == "St. Kitts and Nevis"
    # No name keeps the 2023 sheet's commas for dots ("Congo, Dem, Rep,").
    assert [c.name for c in index.countries if c.name.endswith(",")] == []
    assert [c.name for c in index.countries if c.name != c.name.strip()] == []


@pytest.mark.parametrize(
    ("text", "iso3"),
    [
        ("Congo, Dem. Rep.", "COD"),
        ("Congo, Dem, Rep,", "COD"),  # the 2023 sheet's spelling
        ("DRC", "COD"),
        ("congo dem rep", "COD"),
        ("Congo, Rep.", "COG"),
        ("St. Kitts and Nevis", "KNA"),
        ("St Kitts and Nevis", "KNA"),
        ("Saint Kitts and Nevis", "KNA"),
        ("kna", "KNA"),
        ("Niger", "NER"),
        ("Nigeria", "NGA"),
        ("mali", "MLI"),
        ("ML", "MLI"),
        ("Ivory Coast", "CIV"),
        ("cote d'ivoire", "CIV"),
        ("Turkey", "TUR"),
        ("Türkiye", "TUR"),
    ],
)
def test_names_resolve(index: Index, text: str, iso3: str) -> None:
    assert index.country(text).iso3 == iso3
