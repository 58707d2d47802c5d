"""`ocindex rank` (and `market`, `actor`, `resilience`): countries ranked on one score."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ocindex.errors import UsageError
from ocindex.figures import competition_ranks
from ocindex.indicators import (
    Indicator,
)
from ocindex.lookup import Lookup, require_assessed
from ocindex.questions.common import change, select, texts_about, within
from ocindex.views import TextExcerpt

if TYPE_CHECKING:
    from ocindex.views.ranking import RankingView


def rank(
    index: Lookup,
    indicator: Indicator,
    edition: int,
    *,
    continent: str | None = None,
    region: str | None = None,
    top: int | None = None,
    ascending: bool = False,
    text: bool = False,
    group: str | None = None,
    countries: Sequence[str] = (),
) -> RankingView:
    """Countries ranked on one score, within the world, a continent or a region."""
    from ocindex.views.ranking import RankedCountry, RankingView

    require_assessed(indicator, edition)
    if top is not None and top < 1:
        raise UsageError(f"--top must be at least 1, not {top}")
    selection_notes: tuple[str, ...] = ()
    if group or countries:  # ranks among the group's members
        chosen = select(
            index, edition, continent=continent, region=region, group=group, countries=countries
        )
        members, scope, selection_notes = chosen.members, chosen.name, chosen.notes
    else:
        members, scope = within(index, edition, continent, region)
    if not members:
        raise UsageError(f"no country of {edition} is in both {continent} and {region}")
    key = indicator.key
    # Ranks are always the index's: the highest score is 1st. --ascending only lists the
    # lowest first (ties keep the index's alphabetical order: the sort is stable).
    ranks = competition_ranks({c.iso3: r.scores[key] for c, r in members})
    direction = -1 if ascending else 1
    ordered = sorted(members, key=lambda cr: direction * ranks[cr[0].iso3])
    # --top N shows the first N listed and whoever ties with the Nth (never half a tie).
    if top and top < len(ordered):
        cut = direction * ranks[ordered[top - 1][0].iso3]
        shown = [cr for cr in ordered if direction * ranks[cr[0].iso3] <= cut]
    else:
        shown = ordered
    earlier = previous_ranks(index, indicator, edition, continent, region, group, countries)
    entries = tuple(
        RankedCountry(
            ranks[c.iso3],
            c,
            r.continent,
            r.region,
            r.scores[key],
            change(index, c, key, edition),
            earlier.get(c.iso3),
            earlier[c.iso3] - ranks[c.iso3] if c.iso3 in earlier else None,
        )
        for c, r in shown
    )
    excerpts: tuple[TextExcerpt, ...] | None = None
    note = None
    if text:
        excerpts, note = texts_about(index, [c for c, _ in shown], edition, key)
    return RankingView(
        indicator,
        edition,
        scope,
        ascending,
        entries,
        len(members),
        top,
        index.source(edition),
        excerpts,
        " ".join(n for n in (*selection_notes, note) if n) or None,
    )


def previous_ranks(
    index: Lookup,
    indicator: Indicator,
    edition: int,
    continent: str | None,
    region: str | None,
    group: str | None,
    countries: Sequence[str],
) -> dict[str, int]:
    """Ranks in the previous edition, in the same scope as that edition draws it (none when
    the scope does not exist then, e.g. a region redrawn, or the indicator is new)."""
    previous = index.previous_edition(edition)
    if previous is None or not indicator.assessed_in(previous):
        return {}
    try:
        if group or countries:
            members = select(
                index,
                previous,
                continent=continent,
                region=region,
                group=group,
                countries=countries,
            ).members
        else:
            members, _ = within(index, previous, continent, region)
    except UsageError:
        return {}
    return competition_ranks({c.iso3: r.scores[indicator.key] for c, r in members})
