"""`ocindex compare`: countries side by side."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ocindex.errors import UsageError
from ocindex.indicators import (
    ALL,
    RANKED_COMPOSITES,
)
from ocindex.lookup import Lookup
from ocindex.model import Country

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
    lines = tuple(
        ComparedIndicator(item, tuple(r.scores.get(item.key) for r in records))
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
