"""`ocindex show`: a country's profile in one edition."""

from typing import Any, NamedTuple

from ocindex.indicators import BY_KEY, Indicator
from ocindex.model import Country, EditionSource, NarrativeParagraph, RankPosition
from ocindex.views import (
    FUNDING,
    TEXT_HEADER,
    Change,
    Row,
    country_json,
    coverage_note,
    narrative_json,
    source_json,
    text_row,
)

PROFILE_HEADER = (
    "iso3",
    "country",
    "edition",
    "key",
    "indicator",
    "pillar",
    "score",
    "previous_edition",
    "previous_score",
    "change",
    "comparable",
    "rank_global",
    "rank_continent",
    "rank_region",
    "previous_rank_global",
    "rank_change_global",
)


class ScoreLine(NamedTuple):
    """One indicator or composite of a profile, with its change since the last edition."""

    indicator: Indicator
    score: float
    change: Change | None


class PillarBlock(NamedTuple):
    pillar: Indicator
    average: ScoreLine
    lines: tuple[ScoreLine, ...]


class ProfileView(NamedTuple):
    """`ocindex show`: a country's profile in one edition."""

    country: Country
    edition: int
    continent: str
    region: str
    headline: tuple[ScoreLine, ...]
    """Criminality and resilience."""
    ranks: dict[str, dict[str, RankPosition]]
    pillars: tuple[PillarBlock, ...]
    narrative: tuple[NarrativeParagraph, ...] | None
    """None when not asked for; empty when the profile has no text for this edition."""
    text_editions: tuple[int, ...]
    source: EditionSource
    document: str | None = None
    funding: tuple[str, ...] = ()
    """The profile document's funding notices and attribution (shown with its text)."""
    indicator_ranks: dict[str, RankPosition] = {}  # noqa: RUF012 - a NamedTuple default
    """Global rank of every pillar average and indicator, with the previous edition's."""

    @property
    def notes(self) -> list[str]:
        """What a reader of the figures must know: the 2025 coverage gap, missing text."""
        notes = []
        note = coverage_note(self.source)
        if note:
            notes.append(note)
        if self.narrative is not None and not self.narrative:
            have = ", ".join(str(y) for y in self.text_editions) or "no edition"
            notes.append(
                f"No profile text for {self.country.name} in {self.edition} "
                f"(text available for: {have})."
            )
        return notes

    def all_lines(self) -> list[ScoreLine]:
        lines = list(self.headline)
        for block in self.pillars:
            if block.average not in lines:
                lines.append(block.average)
            lines.extend(block.lines)
        return lines

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "country": country_json(self.country, self.continent, self.region),
            "edition": self.edition,
            "scores": {line.indicator.key: line.score for line in self.all_lines()},
            "ranks": {
                **{
                    key: {scope: pos.json() for scope, pos in scopes.items()}
                    for key, scopes in self.ranks.items()
                },
                **{
                    key: {"global": pos.json()}
                    for key, pos in self.indicator_ranks.items()
                    if key not in self.ranks
                },
            },
            "changes": {
                line.indicator.key: line.change.json()
                for line in self.all_lines()
                if line.change is not None
            },
        }
        if self.narrative is not None:
            out["narrative"] = narrative_json(self.narrative)
            out["funding"] = list(self.funding)
        out["source"] = source_json(self.source)
        return out

    def rows(self) -> tuple[tuple[str, ...], list[Row]]:
        if self.narrative is not None:
            lines = [text_row(self.country, self.edition, p) for p in self.narrative]
            lines += [
                text_row(self.country, self.edition, NarrativeParagraph(*FUNDING, (), line))
                for line in self.funding
            ]
            return TEXT_HEADER, lines
        rows: list[Row] = []
        for line in self.all_lines():
            key = line.indicator.key
            change = line.change
            ranks = self.ranks.get(key) or (
                {"global": self.indicator_ranks[key]} if key in self.indicator_ranks else {}
            )
            rows.append(
                [
                    self.country.iso3,
                    self.country.name,
                    self.edition,
                    key,
                    line.indicator.name,
                    BY_KEY[key].pillar,
                    line.score,
                    change.previous_edition if change else None,
                    change.previous if change else None,
                    change.delta if change else None,
                    change.comparable if change else None,
                    *(
                        ranks[s].rank if s in ranks else None
                        for s in ("global", "continent", "region")
                    ),
                    ranks["global"].previous_rank if "global" in ranks else None,
                    ranks["global"].rank_change if "global" in ranks else None,
                ]
            )
        return PROFILE_HEADER, rows
