"""Operations on published figures that need no exact arithmetic.

Published figures have at most two decimals, so their hundredths are whole numbers:
differences and comparisons on those are exact without `Fraction` (and cheap to import).
"""

import functools
from collections.abc import Hashable, Mapping
from typing import TypeVar

from ocindex.indicators import ACTORS, CRIMINALITY, MARKETS, RESILIENCE, assessed
from ocindex.model import Scores

K = TypeVar("K", bound=Hashable)


def hundredths(value: float) -> int:
    """6.47 -> 647."""
    return round(value * 100)


def difference(new: float, old: float) -> float:
    """`new - old` of two published figures, exactly: 6.47 - 6.15 = 0.32."""
    return (hundredths(new) - hundredths(old)) / 100


def competition_ranks(values: Mapping[K, float], *, descending: bool = True) -> dict[K, int]:
    """Competition ranking ("1, 2, 2, 4"): ties share the best rank.

    Published figures have at most two decimals, and each one always parses to the same
    float, so comparing the floats orders and ties them exactly as the decimals would.
    """
    ordered = sorted(values, key=values.__getitem__, reverse=descending)
    ranks: dict[K, int] = {}
    previous: float | None = None
    rank = 0
    for position, item in enumerate(ordered, start=1):
        value = values[item]
        if value != previous:
            rank = position
            previous = value
        ranks[item] = rank
    return ranks


def ordinal(n: int) -> str:
    """1 -> 1st, 2 -> 2nd, 11 -> 11th, 23 -> 23rd."""
    teens = 10 <= n % 100 <= 20
    suffix = "th" if teens else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@functools.cache
def _keys(pillar: str, edition: int) -> tuple[str, ...]:
    return tuple(item.key for item in assessed(pillar, edition))


def sum_and_count(scores: Mapping[str, float], pillar: str, edition: int) -> tuple[int, int]:
    """Sum (in hundredths) and number of a pillar's indicators."""
    items = assessed(pillar, edition)
    if isinstance(scores, Scores):  # loaded data: read the hundredths directly
        return scores.total(_keys(pillar, edition)), len(items)
    return sum(hundredths(scores[item.key]) for item in items), len(items)


def _half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded to a whole number, halves up (both positive)."""
    return (2 * numerator + denominator) // (2 * denominator)


def published_composites(scores: Mapping[str, float], edition: int) -> dict[str, float]:
    """The composites as the index publishes them, from one country-edition's indicators.

    Whole-number arithmetic on hundredths, so exact and fast: a pillar average is
    sum / n; criminality is (markets + actors) / 2 of the *unrounded* averages, i.e.
    (S_m * n_a + S_a * n_m) / (2 * n_m * n_a); each is rounded once, half up.
    """
    s_m, n_m = sum_and_count(scores, MARKETS, edition)
    s_a, n_a = sum_and_count(scores, ACTORS, edition)
    s_r, n_r = sum_and_count(scores, RESILIENCE, edition)
    return {
        CRIMINALITY: _half_up(s_m * n_a + s_a * n_m, 2 * n_m * n_a) / 100,
        MARKETS: _half_up(s_m, n_m) / 100,
        ACTORS: _half_up(s_a, n_a) / 100,
        RESILIENCE: _half_up(s_r, n_r) / 100,
    }


def exact_composites(scores: Mapping[str, float], edition: int) -> dict[str, tuple[int, int]]:
    """The *unrounded* composites of one country-edition, each as an exact fraction of
    hundredths (numerator, denominator): criminality 97/15 and 27/5 -> (2 * 2700 ... ).

    With `edition` set to an earlier edition, only the indicators that edition assessed
    count (the like-for-like basis across the 2021 break).
    """
    s_m, n_m = sum_and_count(scores, MARKETS, edition)
    s_a, n_a = sum_and_count(scores, ACTORS, edition)
    s_r, n_r = sum_and_count(scores, RESILIENCE, edition)
    return {
        CRIMINALITY: (s_m * n_a + s_a * n_m, 2 * n_m * n_a),
        MARKETS: (s_m, n_m),
        ACTORS: (s_a, n_a),
        RESILIENCE: (s_r, n_r),
    }


def round_hundredths(numerator: int, denominator: int) -> float:
    """numerator / denominator hundredths as a two-decimal figure, halves away from zero
    (the half-up rule of `decimal.ROUND_HALF_UP`, for changes that may be negative)."""
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    sign = -1 if numerator < 0 else 1
    return sign * _half_up(abs(numerator), denominator) / 100


def exact_change(
    key: str,
    old: Mapping[str, float],
    old_edition: int,
    new: Mapping[str, float],
    new_edition: int,
) -> float:
    """The change of `key` from one edition's scores to another's, as ocindex.net shows it.

    A composite's change is computed from the *unrounded* composites of both editions,
    then rounded half up: Mali's criminality 2021 -> 2023 is 5.9333… - 5.8875 = +0.05,
    not 5.93 - 5.89. An indicator (steps of 0.5) is the plain difference.
    """
    if key not in (CRIMINALITY, MARKETS, ACTORS, RESILIENCE):
        return difference(new[key], old[key])
    a, b = exact_composites(new, new_edition)[key]
    c, d = exact_composites(old, old_edition)[key]
    return round_hundredths(a * d - c * b, b * d)


def like_for_like_change(
    key: str, old: Mapping[str, float], new: Mapping[str, float], basis: int
) -> float:
    """The change of a composite with both editions recomputed on `basis`'s indicators."""
    a, b = exact_composites(new, basis)[key]
    c, d = exact_composites(old, basis)[key]
    return round_hundredths(a * d - c * b, b * d)


def exact_value(key: str, scores: Mapping[str, float], edition: int) -> tuple[int, int]:
    """A score as an exact fraction of hundredths: composites unrounded, indicators as
    published."""
    if key in (CRIMINALITY, MARKETS, ACTORS, RESILIENCE):
        return exact_composites(scores, edition)[key]
    return hundredths(scores[key]), 1
