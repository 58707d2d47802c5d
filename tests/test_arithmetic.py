"""The index's arithmetic: half-up rounding, exact means, competition ranking, ordinals."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import MALI_2023
from helpers_queries import ACTORS_2021, MARKETS_2021
from ocindex.arithmetic import (
    as_published,
    composites,
    exact,
    mean,
    round_half_up,
)
from ocindex.figures import competition_ranks, ordinal

# -- rounding ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(5935, 1000), "5.94"),
        (Fraction(2375, 1000), "2.38"),
        (Fraction(125, 1000), "0.13"),
        (Fraction(1125, 1000), "1.13"),
        (Fraction(89, 15), "5.93"),  # 5.9333...
        (Fraction(97, 15), "6.47"),  # 6.4666...
        (Fraction(27, 5), "5.40"),
        (Fraction(10), "10.00"),
        (Fraction(-125, 1000), "-0.13"),  # halves away from zero, for changes
        (Fraction(59349999, 10**7), "5.93"),  # just under a half stays down
    ],
)
def test_round_half_up(value: Fraction, expected: str) -> None:
    assert round_half_up(value) == Decimal(expected)
    assert str(round_half_up(value)) == expected


@pytest.mark.parametrize(
    ("text", "half_up", "bankers"),
    [
        # 5.935 as a binary float is 5.93499999...: round() goes down, the index goes up.
        ("5.935", 5.94, 5.93),
        # 0.125 is exact in binary: round() goes to the even neighbour, the index goes up.
        ("0.125", 0.13, 0.12),
        ("0.375", 0.38, 0.38),
        ("2.375", 2.38, 2.38),
    ],
)
def test_half_up_is_not_bankers_rounding(text: str, half_up: float, bankers: float) -> None:
    assert round(float(text), 2) == bankers  # what the naive code would publish
    assert as_published(exact(text)) == half_up
    assert as_published(exact(float(text))) == half_up
    assert as_published(Fraction(text)) == half_up


def test_round_half_up_other_places() -> None:
    assert round_half_up(Fraction(5, 2), 0) == Decimal("3")
    assert round_half_up(Fraction(12345, 10000), 3) == Decimal("1.235")


@given(st.integers(min_value=100, max_value=1000), st.sampled_from([0, 1, 4, 5, 6, 9]))
@settings(max_examples=200)
def test_round_half_up_matches_schoolbook(cents: int, third: int) -> None:
    """x.yz d rounds to x.yz, or x.yz + 0.01 when d >= 5: never to the even neighbour."""
    value = Fraction(cents * 10 + third, 1000)
    expected = Fraction(cents + (1 if third >= 5 else 0), 100)
    assert exact(round_half_up(value)) == expected


# -- exact values and means ----------------------------------------------------------------


def test_exact_reads_published_figures_as_decimals() -> None:
    assert exact(6.47) == Fraction(647, 100)
    assert exact("6.47") == Fraction(647, 100)
    assert exact(Decimal("6.47")) == Fraction(647, 100)
    assert exact(7) == Fraction(7)
    assert exact(6.47) != Fraction(6.47)  # the binary neighbour is not the figure


def test_mean_is_exact() -> None:
    assert mean([6.47, 5.4]) == Fraction(5935, 1000)
    assert mean([1.0, 2.0, 2.0]) == Fraction(5, 3)
    assert mean([Fraction(97, 15), Fraction(27, 5)]) == Fraction(89, 15)
    assert mean([0.1, 0.2]) == Fraction(3, 20)  # no binary round-off


def test_mean_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError, match="no values"):
        mean([])


@given(st.lists(st.integers(min_value=2, max_value=20), min_size=1, max_size=15))
def test_mean_of_scores_stays_within_range(halves: list[int]) -> None:
    scores = [h / 2 for h in halves]
    value = mean(scores)
    assert min(exact(s) for s in scores) <= value <= max(exact(s) for s in scores)
    assert 1 <= as_published(value) <= 10


# -- the worked example --------------------------------------------------------------------


def test_mali_2023_worked_example() -> None:
    unrounded = composites(MALI_2023, 2023)
    assert unrounded["criminal_markets"] == Fraction(97, 15)
    assert unrounded["criminal_actors"] == Fraction(27, 5)
    assert unrounded["criminality"] == (Fraction(97, 15) + Fraction(27, 5)) / 2
    assert unrounded["resilience"] == Fraction(57, 24)  # 28.5 / 12 = 2.375
    published = {key: as_published(value) for key, value in unrounded.items()}
    assert published == {
        "criminality": 5.93,
        "criminal_markets": 6.47,
        "criminal_actors": 5.4,
        "resilience": 2.38,
    }


def test_mali_2023_shortcut_gives_the_wrong_criminality() -> None:
    unrounded = composites(MALI_2023, 2023)
    rounded_pillars = [
        exact(round_half_up(unrounded["criminal_markets"])),
        exact(round_half_up(unrounded["criminal_actors"])),
    ]
    shortcut = mean(rounded_pillars)
    assert shortcut == Fraction(5935, 1000)
    assert as_published(shortcut) == 5.94
    assert as_published(unrounded["criminality"]) == 5.93


def test_composites_use_only_the_editions_indicators() -> None:
    """2021 averages 10 markets and 4 actor types; keys of later indicators are ignored."""
    scores_2021 = dict(MALI_2023)
    unrounded = composites(scores_2021, 2021)
    assert unrounded["criminal_markets"] == mean(MALI_2023[k] for k in MARKETS_2021)
    assert unrounded["criminal_actors"] == mean(MALI_2023[k] for k in ACTORS_2021)


def test_composites_need_every_indicator() -> None:
    incomplete = dict(MALI_2023)
    del incomplete["financial_crimes"]
    with pytest.raises(KeyError):
        composites(incomplete, 2023)


# -- ranks ---------------------------------------------------------------------------------


def test_competition_ranking_ties_share_the_best_rank() -> None:
    ranks = competition_ranks({"a": 7.0, "b": 6.5, "c": 6.5, "d": 3.0})
    assert ranks == {"a": 1, "b": 2, "c": 2, "d": 4}


def test_competition_ranking_order_of_input_does_not_matter() -> None:
    ranks = competition_ranks({"d": 3.0, "c": 6.5, "a": 7.0, "b": 6.5})
    assert ranks == {"a": 1, "b": 2, "c": 2, "d": 4}


def test_competition_ranking_all_tied() -> None:
    assert competition_ranks({"a": 5.93, "b": 5.93, "c": 5.93}) == {"a": 1, "b": 1, "c": 1}


def test_competition_ranking_empty() -> None:
    assert competition_ranks({}) == {}


def test_competition_ranking_ascending() -> None:
    ranks = competition_ranks({"a": 1.0, "b": 2.0, "c": 2.0, "d": 9.5}, descending=False)
    assert ranks == {"a": 1, "b": 2, "c": 2, "d": 4}


def test_competition_ranking_compares_published_figures_exactly() -> None:
    ranks = competition_ranks({"a": 5.93, "b": float("5.93"), "c": 5.92, "d": 6.47})
    assert ranks == {"d": 1, "a": 2, "b": 2, "c": 4}


@given(st.dictionaries(st.text(max_size=3), st.integers(min_value=2, max_value=20), max_size=30))
def test_competition_ranking_invariants(halves: dict[str, int]) -> None:
    values = {key: h / 2 for key, h in halves.items()}
    ranks = competition_ranks(values)
    assert set(ranks) == set(values)
    for key, value in values.items():
        # The rank is one more than the number of strictly better scores.
        assert ranks[key] == 1 + sum(1 for other in values.values() if other > value)


# -- ordinals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (23, "23rd"),
        (50, "50th"),
        (101, "101st"),
        (111, "111th"),
        (112, "112th"),
        (113, "113th"),
        (176, "176th"),
        (193, "193rd"),
    ],
)
def test_ordinal(n: int, text: str) -> None:
    assert ordinal(n) == text
