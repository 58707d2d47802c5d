"""`ocindex quadrant`: criminality against resilience, each split at 5.50 (5.50 is high).

The report's counts reproduce only with that rule: 47 countries low criminality - high
resilience in 2023, down three since 2021 (Bahamas' 2023 resilience of 5.50 counts as high,
and the USA's 2021 criminality of 5.50 too).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ocindex.errors import UsageError
from ocindex.figures import hundredths
from ocindex.indicators import CRIMINALITY, RESILIENCE
from ocindex.lookup import Lookup
from ocindex.model import EditionRecord
from ocindex.questions.common import select

if TYPE_CHECKING:
    from ocindex.views.quadrant import QuadrantView

THRESHOLD = 550
"""5.50, in hundredths: a score at or above it is high."""
NEAR = 10
"""0.10, in hundredths: a score this close to a line is flagged."""


def quadrant_of(record: EditionRecord) -> str:
    crime = "high" if hundredths(record.scores[CRIMINALITY]) >= THRESHOLD else "low"
    resilience = "high" if hundredths(record.scores[RESILIENCE]) >= THRESHOLD else "low"
    return f"{crime}_criminality_{resilience}_resilience"


def near_line(record: EditionRecord) -> bool:
    return any(
        abs(hundredths(record.scores[key]) - THRESHOLD) <= NEAR for key in (CRIMINALITY, RESILIENCE)
    )


def quadrant(
    index: Lookup,
    edition: int,
    *,
    since: int | None = None,
    continent: str | None = None,
    region: str | None = None,
    group: str | None = None,
    countries: Sequence[str] = (),
) -> QuadrantView:
    """Every country of the selection in its quadrant; with `since`, who moved."""
    from ocindex.views.quadrant import QUADRANTS, Placed, QuadrantView

    if since is not None:
        since = index.edition(since)
        if since >= edition:
            raise UsageError(f"--since must be an earlier edition than {edition}, not {since}")
    selection = select(
        index, edition, continent=continent, region=region, group=group, countries=countries
    )
    placed = []
    for country, record in selection.members:
        before = country.records.get(since) if since is not None else None
        placed.append(
            Placed(
                country,
                record.scores[CRIMINALITY],
                record.scores[RESILIENCE],
                quadrant_of(record),
                near_line(record),
                quadrant_of(before) if before is not None else None,
            )
        )
    counts_since = None
    sources = [index.source(edition)]
    if since is not None:
        earlier = select(
            index, since, continent=continent, region=region, group=group, countries=countries
        )
        counts_since = {q: 0 for q in QUADRANTS}
        for _, record in earlier.members:
            counts_since[quadrant_of(record)] += 1
        sources.insert(0, index.source(since))
    return QuadrantView(
        edition,
        since,
        selection.name,
        tuple(placed),
        THRESHOLD / 100,
        counts_since,
        tuple(sources),
        selection.notes,
    )
