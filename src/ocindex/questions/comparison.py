"""`ocindex compare`: countries side by side."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ocindex.errors import UsageError
from ocindex.figures import exact_value, round_hundredths
from ocindex.indicators import (
    ALL,
    RANKED_COMPOSITES,
)
from ocindex.lookup import Lookup
from ocindex.model import Country
from ocindex.questions.common import COMPOSITE_KEYS

if TYPE_CHECKING:
    from ocindex.views.comparison import ComparisonView


def compare(index: Lookup, countries: Sequence[Country], edition: int) -> ComparisonView:
    """Every score of 2 to 10 countries side by side, in one edition."""
    from ocindex.views.comparison import ComparedIndicator, ComparisonView

    unique = list({country.iso3: country for country in countries}.values())
    if not 2 <= len(unique) <= 10:
        raise UsageError(
            f"compare takes 2 to 10 different countries, not {len(unique)}",
            "Example: ocindex compare mali niger burkina-faso",
        )
    records = [index.record(c, edition) for c in unique]

    def exact(key: str) -> float | None:
        """First minus second (two countries) or highest minus lowest, from the unrounded
        composites, rounded half up once: the site's convention for any difference."""
        if key not in COMPOSITE_KEYS:
            return None
        values = [exact_value(key, r.scores, edition) for r in records]
        if len(values) == 2:
            (a, b), (c, d) = values
        else:
            (a, b) = max(values, key=lambda v: v[0] / v[1])
            (c, d) = min(values, key=lambda v: v[0] / v[1])
        return round_hundredths(a * d - c * b, b * d)

    lines = tuple(
        ComparedIndicator(item, tuple(r.scores.get(item.key) for r in records), exact(item.key))
        for item in ALL
        if item.assessed_in(edition)
    )
    return ComparisonView(
        edition=edition,
        countries=tuple(unique),
        places=tuple((r.continent, r.region) for r in records),
        lines=lines,
        ranks={
            key: tuple(index.positions(c, key, edition) for c in unique)
            for key in RANKED_COMPOSITES
        },
        source=index.source(edition),
    )
