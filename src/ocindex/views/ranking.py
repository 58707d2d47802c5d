"""`ocindex rank` (and `market`, `actor`, `resilience`): countries ordered on one score."""

from typing import Any, NamedTuple

from ocindex.indicators import Indicator
from ocindex.model import Country, EditionSource
from ocindex.views import (
    TEXT_HEADER,
    Change,
    Row,
    TextExcerpt,
    country_json,
    coverage_note,
    indicator_json,
    source_json,
    text_row,
)

RANKING_HEADER = (
    "rank",
    "iso3",
    "country",
    "continent",
    "region",
    "score",
    "previous_edition",
    "previous_score",
    "change",
    "comparable",
    "previous_rank",
    "rank_change",
)


class RankedCountry(NamedTuple):
    rank: int
    country: Country
    continent: str
    region: str
    score: float
    change: Change | None
    previous_rank: int | None = None
    """The rank in the previous edition, in the same scope as that edition draws it."""
    rank_change: int | None = None
    """previous_rank - rank: moving up the list is positive (as ocindex.net shows it)."""


class RankingView(NamedTuple):
    """`ocindex rank` (and `market`, `actor`, `resilience`): countries ordered on one score."""

    indicator: Indicator
    edition: int
    scope: str
    """"the world", a continent or a region."""
    ascending: bool
    entries: tuple[RankedCountry, ...]
    total: int
    """How many countries the scope holds (the table may show only the top N)."""
    top: int | None
    source: EditionSource
    excerpts: tuple[TextExcerpt, ...] | None = None
    text_note: str | None = None

    @property
    def notes(self) -> list[str]:
        notes = []
        note = coverage_note(self.source)
        if note:
            notes.append(note)
        if any(r.change and not r.change.comparable for r in self.entries):
            notes.append(
                "Changes marked * cross the 2021 methodology break (2021 criminality averaged "
                "10 markets and 4 actor types; 2023 on, 15 and 5)."
            )
        if self.text_note:
            notes.append(self.text_note)
        return notes

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "indicator": indicator_json(self.indicator),
            "edition": self.edition,
            "scope": self.scope,
            "order": "ascending" if self.ascending else "descending",
            "top": self.top,
            "of": self.total,
            "ranking": [
                {
                    "rank": r.rank,
                    "country": country_json(r.country, r.continent, r.region),
                    "score": r.score,
                    "change": r.change.json() if r.change else None,
                    "previous_rank": r.previous_rank,
                    "rank_change": r.rank_change,
                }
                for r in self.entries
            ],
            "notes": self.notes,
        }
        if self.excerpts is not None:
            out["narrative"] = [e.json() for e in self.excerpts]
        out["source"] = source_json(self.source)
        return out

    def rows(self) -> tuple[tuple[str, ...], list[Row]]:
        if self.excerpts is not None:  # --text: the paragraphs, as `show --text` gives them
            return TEXT_HEADER, [text_row(e.country, e.edition, e.paragraph) for e in self.excerpts]
        return RANKING_HEADER, [
            [
                r.rank,
                r.country.iso3,
                r.country.name,
                r.continent,
                r.region,
                r.score,
                r.change.previous_edition if r.change else None,
                r.change.previous if r.change else None,
                r.change.delta if r.change else None,
                r.change.comparable if r.change else None,
                r.previous_rank,
                r.rank_change,
            ]
            for r in self.entries
        ]
