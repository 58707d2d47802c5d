"""`ocindex stats`: n, mean, median, min, max and spread of indicators over groups.

Exact: the published figures are whole hundredths, so sums and middles are integers;
means and medians are rounded once, half up, to two decimals (GI-TOC's own group
averages are plain unweighted means of the published figures, so rounded that way).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ocindex.figures import hundredths as hundredths_of
from ocindex.figures import round_hundredths
from ocindex.indicators import Indicator
from ocindex.lookup import Lookup, require_assessed
from ocindex.model import Country, EditionRecord
from ocindex.questions.common import select

if TYPE_CHECKING:
    from ocindex.views.stats import GroupStats, StatsView

BY_CHOICES = ("continent", "region")


def group_stats(
    indicator: Indicator, scope: str, name: str, members: Sequence[tuple[Country, EditionRecord]]
) -> GroupStats:
    """The statistics of one group of countries on one indicator."""
    from ocindex.views.stats import Extreme, GroupStats

    key = indicator.key
    values = sorted(((hundredths_of(r.scores[key]), c) for c, r in members), key=lambda vc: vc[0])
    n = len(values)
    hundredths = [v for v, _ in values]
    total = sum(hundredths)
    middle = n // 2
    if n % 2:
        median = round_hundredths(hundredths[middle], 1)
    else:
        median = round_hundredths(hundredths[middle - 1] + hundredths[middle], 2)
    low, high = hundredths[0], hundredths[-1]

    def holding(value: int) -> tuple[Country, ...]:
        return tuple(sorted((c for v, c in values if v == value), key=lambda c: c.name))

    return GroupStats(
        indicator,
        scope,
        name,
        n,
        round_hundredths(total, n),
        median,
        Extreme(low / 100, holding(low)),
        Extreme(high / 100, holding(high)),
        (high - low) / 100,
    )


def stats(
    index: Lookup,
    indicators: Sequence[Indicator],
    edition: int,
    *,
    by: str | None = None,
    continent: str | None = None,
    region: str | None = None,
    group: str | None = None,
    countries: Sequence[str] = (),
) -> StatsView:
    """Statistics of each indicator over the selection, and per continent or region."""
    from ocindex.errors import UsageError
    from ocindex.views.stats import StatsView

    if by is not None and by not in BY_CHOICES:
        raise UsageError(f"--by takes continent or region, not {by!r}")
    chosen = list(dict.fromkeys(indicators))
    if not chosen:
        raise UsageError("stats needs at least one indicator", "Example: ocindex stats resilience")
    for item in chosen:
        require_assessed(item, edition)
    selection = select(
        index, edition, continent=continent, region=region, group=group, countries=countries
    )
    results = []
    for item in chosen:
        results.append(group_stats(item, selection.kind, selection.name, selection.members))
        if by:
            parts: dict[str, list[tuple[Country, EditionRecord]]] = {}
            for country, record in selection.members:
                parts.setdefault(getattr(record, by), []).append((country, record))
            for name in sorted(parts):
                results.append(group_stats(item, by, name, parts[name]))
    return StatsView(tuple(chosen), edition, tuple(results), index.source(edition), selection.notes)
