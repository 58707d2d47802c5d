"""`ocindex show`: a country's profile."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ocindex.indicators import (
    ALL,
    BY_KEY,
    CRIMINALITY,
    PILLARS,
    RANKED_COMPOSITES,
    RESILIENCE,
    assessed,
)
from ocindex.lookup import Lookup
from ocindex.model import Country
from ocindex.questions.common import change

if TYPE_CHECKING:
    from ocindex.views.profile import ProfileView


def profile(index: Lookup, country: Country, edition: int, *, text: bool = False) -> ProfileView:
    """A country's profile: headline scores with rank context, pillars, changes, text."""
    from ocindex.views.profile import PillarBlock, ProfileView, ScoreLine

    record = index.record(country, edition)

    def line(key: str) -> ScoreLine:
        return ScoreLine(BY_KEY[key], record.scores[key], change(index, country, key, edition))

    document = country.documents.get(edition)
    return ProfileView(
        country=country,
        edition=edition,
        continent=record.continent,
        region=record.region,
        headline=(line(CRIMINALITY), line(RESILIENCE)),
        ranks={key: index.positions(country, key, edition) for key in RANKED_COMPOSITES},
        pillars=tuple(
            PillarBlock(
                BY_KEY[pillar],
                line(pillar),
                tuple(line(item.key) for item in assessed(pillar, edition)),
            )
            for pillar in PILLARS
        ),
        narrative=(document.narrative if document else ()) if text else None,
        text_editions=tuple(sorted(country.documents)),
        source=index.source(edition),
        document=document.document if document else None,
        funding=document.funding if document and text else (),
        indicator_ranks={
            item.key: index.positions(country, item.key, edition, ("global",))["global"]
            for item in ALL
            if item.assessed_in(edition) and item.key not in RANKED_COMPOSITES
        },
    )
