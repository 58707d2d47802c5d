"""`ocindex trend`: a country's scores edition by edition."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ocindex.figures import exact_change, like_for_like_change, published_composites
from ocindex.indicators import (
    ACTORS,
    BY_KEY,
    CRIMINALITY,
    EDITIONS,
    INDICATORS,
    MARKETS,
    Indicator,
)
from ocindex.lookup import Lookup
from ocindex.model import Country, EditionRecord
from ocindex.questions.common import COMPOSITE_KEYS, make_change
from ocindex.views import Change

if TYPE_CHECKING:
    from ocindex.views.trend import TrendView


def _basis_2021(record: EditionRecord) -> dict[str, float]:
    """Criminality and its pillars recomputed with only the indicators 2021 assessed."""
    values = published_composites(record.scores, EDITIONS[0])
    return {key: values[key] for key in (CRIMINALITY, MARKETS, ACTORS)}


def trend(index: Lookup, country: Country, indicators: Sequence[Indicator] = ()) -> TrendView:
    """A country's scores edition by edition, with changes and the comparable basis."""
    from ocindex.views.trend import TrendSeries, TrendView

    # Every edition, so that output has the same columns for every country; an edition
    # whose source lacks the country shows no values (and a note says so).
    editions = index.editions
    chosen = list(dict.fromkeys(indicators)) or [*(BY_KEY[k] for k in COMPOSITE_KEYS), *INDICATORS]

    def value(edition: int, key: str) -> float | None:
        record = country.records.get(edition)
        return None if record is None else record.scores.get(key)

    def exact(key: str, before: int, after: int, basis: bool) -> float | None:
        """The change as the site computes it: from unrounded composites."""
        old, new = country.records.get(before), country.records.get(after)
        if old is None or new is None or key not in old.scores:
            return None
        if basis:
            return like_for_like_change(key, old.scores, new.scores, EDITIONS[0])
        return exact_change(key, old.scores, before, new.scores, after)

    def series(
        item: Indicator, values: list[float | None], basis_note: str | None = None
    ) -> TrendSeries:
        changes: list[Change | None] = [None]
        for before, after, old, new in zip(
            editions, editions[1:], values, values[1:], strict=False
        ):
            changes.append(
                make_change(
                    item.key,
                    before,
                    after,
                    old,
                    new,
                    like_for_like=basis_note is not None,
                    mark_missing=True,
                    delta=exact(item.key, before, after, basis_note is not None),
                )
            )
        return TrendSeries(item, tuple(values), tuple(changes), basis_note)

    published = tuple(series(item, [value(e, item.key) for e in editions]) for item in chosen)
    basis = tuple(
        series(
            BY_KEY[key],
            [
                _basis_2021(country.records[e])[key] if e in country.records else None
                for e in editions
            ],
            f"{BY_KEY[key].name} on the 2021 indicator set",
        )
        for key in (CRIMINALITY, MARKETS, ACTORS)
        if BY_KEY[key] in chosen
    )
    notes = tuple(
        f"{country.name} has no {e} scores: the {e} source covers "
        f"{index.source(e).countries} countries."
        for e in editions
        if e not in country.records
    )
    return TrendView(
        country, editions, published, basis, tuple(index.source(e) for e in editions), notes
    )
