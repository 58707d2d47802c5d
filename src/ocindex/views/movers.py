"""`ocindex movers`: every country's change on one score between two editions."""

from typing import Any, NamedTuple

from ocindex.indicators import Indicator
from ocindex.model import Country, EditionSource
from ocindex.views import Row, coverage_note, indicator_json, source_json

MOVERS_HEADER = (
    "iso3",
    "country",
    "from",
    "to",
    "change",
    "like_for_like_change",
    "rank_from",
    "rank_to",
    "rank_change",
    "comparable",
)


class Mover(NamedTuple):
    country: Country
    before: float
    after: float
    change: float
    """As ocindex.net computes it: from unrounded composites, rounded half up."""
    like_for_like: float | None
    """Composites across the 2021 break: both editions on the indicators they share."""
    rank_from: int
    rank_to: int
    comparable: bool

    @property
    def rank_change(self) -> int:
        return self.rank_from - self.rank_to

    def json(self) -> dict[str, Any]:
        return {
            "iso3": self.country.iso3,
            "country": self.country.name,
            "from": self.before,
            "to": self.after,
            "change": self.change,
            "like_for_like_change": self.like_for_like,
            "rank_from": self.rank_from,
            "rank_to": self.rank_to,
            "rank_change": self.rank_change,
            "comparable": self.comparable,
        }


class MoversView(NamedTuple):
    indicator: Indicator
    start: int
    end: int
    scope: str
    rows_: tuple[Mover, ...]
    total: int
    top: int | None
    falling: bool
    sort_like_for_like: bool
    absent: tuple[Country, ...]
    """Countries of the scope without data in one of the two editions (never silently lost)."""
    sources: tuple[EditionSource, ...]
    selection_notes: tuple[str, ...] = ()

    @property
    def notes(self) -> list[str]:
        notes = list(self.selection_notes)
        if self.absent:
            notes.append(
                f"Not in both editions, so not listed: {', '.join(c.name for c in self.absent)}."
            )
        for source in self.sources:
            note = coverage_note(source)
            if note:
                notes.append(note)
        if any(not m.comparable for m in self.rows_):
            notes.append(
                f"{self.indicator.name} crosses the 2021 methodology break: {self.start} averaged "
                "fewer indicators. like_for_like_change recomputes both editions on the "
                f"indicators they share ({self.start}'s)."
            )
        notes.append(
            "Changes are computed from the unrounded composites, as ocindex.net shows them; "
            f"ranks are global, among each edition's countries; rank_change = rank {self.start} "
            f"- rank {self.end} (moving up the list is positive)."
        )
        return notes

    def to_json(self) -> dict[str, Any]:
        return {
            "indicator": indicator_json(self.indicator),
            "from": self.start,
            "to": self.end,
            "scope": self.scope,
            "order": "falling" if self.falling else "rising",
            "sorted_by": "like_for_like_change" if self.sort_like_for_like else "change",
            "top": self.top,
            "of": self.total,
            "rows": [m.json() for m in self.rows_],
            "absent": [{"iso3": c.iso3, "name": c.name} for c in self.absent],
            "notes": self.notes,
            "source": [source_json(s) for s in self.sources],
        }

    def rows(self) -> tuple[tuple[str, ...], list[Row]]:
        return MOVERS_HEADER, [
            [
                m.country.iso3,
                m.country.name,
                m.before,
                m.after,
                m.change,
                m.like_for_like,
                m.rank_from,
                m.rank_to,
                m.rank_change,
                m.comparable,
            ]
            for m in self.rows_
        ]
