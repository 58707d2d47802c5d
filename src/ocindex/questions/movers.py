"""`ocindex movers`: who rose and fell most on one score between two editions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ocindex.errors import UsageError
from ocindex.figures import competition_ranks, exact_change, like_for_like_change
from ocindex.indicators import Indicator
from ocindex.lookup import Lookup, require_assessed
from ocindex.questions.common import comparable, select

if TYPE_CHECKING:
    from ocindex.views.movers import MoversView


def movers(
    index: Lookup,
    indicator: Indicator,
    start: int,
    end: int,
    *,
    top: int | None = None,
    falling: bool = False,
    like_for_like: bool = False,
    continent: str | None = None,
    region: str | None = None,
    group: str | None = None,
    countries: Sequence[str] = (),
) -> MoversView:
    """Every country's change of `indicator` from `start` to `end`, sorted by change.

    The scope filters apply to the `end` edition's places; the ranks are the index's global
    ones in each edition. Countries of the scope lacking either edition are named, not
    dropped silently.
    """
    from ocindex.views.movers import Mover, MoversView

    if start >= end:
        raise UsageError(
            f"--from must be an earlier edition than --to ({start} is not before {end})",
            "Example: ocindex movers criminality --from 2021 --to 2023",
        )
    if top is not None and top < 1:
        raise UsageError(f"--top must be at least 1, not {top}")
    require_assessed(indicator, start)
    require_assessed(indicator, end)
    key = indicator.key
    selection = select(
        index, end, continent=continent, region=region, group=group, countries=countries
    )
    same = comparable(key, end, start)
    rank_from = competition_ranks({c.iso3: r.scores[key] for c, r in index.records(start)})
    rank_to = competition_ranks({c.iso3: r.scores[key] for c, r in index.records(end)})
    rows = []
    absent = []
    for country, record in selection.members:
        before = country.records.get(start)
        if before is None:
            absent.append(country)
            continue
        rows.append(
            Mover(
                country,
                before.scores[key],
                record.scores[key],
                exact_change(key, before.scores, start, record.scores, end),
                None if same else like_for_like_change(key, before.scores, record.scores, start),
                rank_from[country.iso3],
                rank_to[country.iso3],
                same,
            )
        )
    if selection.kind == "world":  # covered in `start` only (2025 lacks three countries)
        present = {c.iso3 for c, _ in selection.members}
        absent += [c for c, _ in index.records(start) if c.iso3 not in present]
    if like_for_like and same:
        like_for_like = False  # nothing to recompute: the change is like for like already

    def measure(m: Mover) -> float:
        value = m.like_for_like if like_for_like and m.like_for_like is not None else m.change
        return value if falling else -value

    rows.sort(key=lambda m: (measure(m), m.country.name))
    if top and top < len(rows):
        cut = measure(rows[top - 1])
        rows = [m for m in rows if measure(m) <= cut]
    return MoversView(
        indicator,
        start,
        end,
        selection.name,
        tuple(rows),
        len(selection.members) - len(absent),
        top,
        falling,
        like_for_like,
        tuple(absent),
        (index.source(start), index.source(end)),
        selection.notes,
    )
