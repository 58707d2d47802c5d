"""Operations on published figures that need no exact arithmetic.

Published figures have at most two decimals, so their hundredths are whole numbers:
differences and comparisons on those are exact without `Fraction` (and cheap to import).
"""

from collections.abc import Hashable, Mapping
from typing import TypeVar

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
