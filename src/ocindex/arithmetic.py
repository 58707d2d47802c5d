"""The index's arithmetic: exact means and half-up rounding.

Published composites are rounded to two decimals, half up, each computed from the
*unrounded* components. Python's `round()` rounds half to even on binary floats, so
everything here is exact (`Fraction`) until the final rounding.
"""

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from ocindex.figures import sum_and_count
from ocindex.indicators import ACTORS, CRIMINALITY, MARKETS, RESILIENCE


def exact(value: float | int | str | Decimal) -> Fraction:
    """The exact value of a published figure: 6.47 is 647/100, not its binary neighbour."""
    if isinstance(value, float):
        return Fraction(Decimal(repr(value)))
    return Fraction(Decimal(value) if isinstance(value, str) else value)


def mean(values: Iterable[float | Fraction]) -> Fraction:
    """The exact arithmetic mean."""
    items = [v if isinstance(v, Fraction) else exact(v) for v in values]
    if not items:
        raise ValueError("mean of no values")
    return sum(items, Fraction(0)) / len(items)


def round_half_up(value: Fraction, places: int = 2) -> Decimal:
    """Round an exact value to `places` decimals, halves away from zero (5.935 -> 5.94)."""
    quantum = Decimal(1).scaleb(-places)
    numerator = Decimal(value.numerator)
    denominator = Decimal(value.denominator)
    # Enough precision that the division is exact to well past the rounding digit.
    with localcontext() as ctx:
        ctx.prec = 50
        return (numerator / denominator).quantize(quantum, rounding=ROUND_HALF_UP)


def as_published(value: Fraction) -> float:
    """The figure as the index publishes it: two decimals, half up."""
    return float(round_half_up(value))


def composites(scores: Mapping[str, float], edition: int) -> dict[str, Fraction]:
    """Unrounded composites of one country-edition, from its indicators, exactly.

    `criminality` is the mean of the *unrounded* market and actor averages.
    """
    s_m, n_m = sum_and_count(scores, MARKETS, edition)
    s_a, n_a = sum_and_count(scores, ACTORS, edition)
    s_r, n_r = sum_and_count(scores, RESILIENCE, edition)
    markets = Fraction(s_m, 100 * n_m)
    actors = Fraction(s_a, 100 * n_a)
    resilience = Fraction(s_r, 100 * n_r)
    return {
        CRIMINALITY: (markets + actors) / 2,
        MARKETS: markets,
        ACTORS: actors,
        RESILIENCE: resilience,
    }


def round_hundredths_signed(value: Fraction) -> Decimal:
    """A change (possibly negative) to two decimals, halves away from zero
    (decimal's ROUND_HALF_UP, the rule `figures.round_hundredths` applies)."""
    return round_half_up(value)
