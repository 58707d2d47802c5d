"""The chart of a command's view: `rank` bars, `compare` dots, `trend` lines (None for a view
that has no chart of its own)."""

from __future__ import annotations

from typing import Any

from ocindex.charts import good_when_high
from ocindex.charts.specs import (
    Bar,
    CardLine,
    Dot,
    TrendPoint,
    compare_spec,
    profile_spec,
    rank_spec,
    trend_spec,
)
from ocindex.figures import ordinal
from ocindex.indicators import METHODOLOGY_BREAK
from ocindex.views.comparison import ComparisonView
from ocindex.views.profile import ProfileView
from ocindex.views.ranking import RankingView
from ocindex.views.trend import TrendView

PILLARS = {
    "composite": "Composite scores",
    "criminal_markets": "Criminal markets",
    "criminal_actors": "Criminal actors",
    "resilience": "Resilience",
}


def _shown(view: RankingView) -> str:
    """The scope, and which part of it the bars show (`lowest first`, `10 of 193`)."""
    parts = [view.scope]
    if len(view.entries) < view.total:
        parts.append(f"{len(view.entries)} of {view.total} countries")
    if view.ascending:
        parts.append("lowest first")
    return " · ".join(parts)


def _card(view: ProfileView) -> dict[str, Any]:
    """`show`'s profile card: headline scores with their ranks, then every indicator."""
    heads = []
    for line in view.headline:
        scopes = view.ranks.get(line.indicator.key, {})
        where = ", ".join(
            f"{ordinal(p.rank)} of {p.of}" + ("" if s == "global" else f" in {p.scope_name}")
            for s, p in scopes.items()
        )
        heads.append(f"{line.indicator.name} {line.score:.2f}" + (f" ({where})" if where else ""))
    lines = [
        CardLine(
            block.pillar.name,
            item.indicator.name,
            item.score,
            good_when_high(item.indicator.pillar, item.indicator.key),
        )
        for block in view.pillars
        for item in (block.average, *block.lines)
    ]
    country = view.country
    return profile_spec(
        lines,
        title=f"{country.name} · {country.iso3} · {view.region}, {view.continent}",
        subtitle=f"{view.edition} edition · " + " · ".join(heads),
        edition=view.edition,
    )


def chart_of(view: Any) -> dict[str, Any] | None:
    if isinstance(view, ProfileView):
        return _card(view)
    if isinstance(view, RankingView):
        return rank_spec(
            [Bar(e.country.name, e.score, e.rank) for e in view.entries],
            title=view.indicator.name,
            edition=view.edition,
            scope=_shown(view),
            good_when_high=good_when_high(view.indicator.pillar, view.indicator.key),
        )
    if isinstance(view, ComparisonView):
        names = [c.name for c in view.countries]
        return compare_spec(
            [
                Dot(line.indicator.name, name, score)
                for line in view.lines
                for name, score in zip(names, line.scores, strict=True)
                if score is not None
            ],
            indicators=[line.indicator.name for line in view.lines],
            countries=names,
            edition=view.edition,
        )
    if isinstance(view, TrendView):
        earlier = [e for e in view.editions if e < METHODOLOGY_BREAK]
        return trend_spec(
            [
                TrendPoint(s.indicator.name, edition, value, PILLARS.get(s.indicator.pillar, ""))
                for s in view.series
                for edition, value in zip(view.editions, s.values, strict=True)
                if value is not None
            ],
            country=view.country.name,
            editions=view.editions,
            break_after=max(earlier) if earlier else METHODOLOGY_BREAK,
        )
    return None
