"""What commands return: plain results with their JSON and row forms, never printed here.

Each view knows its data; `ocindex.render` turns any of them into a table, JSON or CSV.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ocindex.index import RankPosition
from ocindex.indicators import BY_KEY, Indicator
from ocindex.model import Country, EditionSource, NarrativeParagraph

Row = list[Any]


def source_json(source: EditionSource) -> dict[str, Any]:
    """Provenance of an edition's figures, as every JSON output carries it."""
    return {
        "edition": source.edition,
        "file": source.file,
        **({"sheet": source.sheet} if source.sheet else {}),
        "sha256": source.sha256,
        "countries": source.countries,
        "missing": [{"iso3": m.iso3, "name": m.name} for m in source.missing],
    }


def coverage_note(source: EditionSource) -> str | None:
    """The warning every 2025 ranking carries: which countries the source lacks."""
    if not source.missing:
        return None
    names = ", ".join(m.name for m in source.missing)
    total = source.countries + len(source.missing)
    return (
        f"The {source.edition} data covers {source.countries} of {total} countries "
        f"(missing: {names}); its ranks are among {source.countries}."
    )


def country_json(country: Country, continent: str, region: str) -> dict[str, Any]:
    return {"name": country.name, "iso3": country.iso3, "continent": continent, "region": region}


def narrative_json(
    paragraphs: tuple[NarrativeParagraph, ...] | list[NarrativeParagraph],
) -> list[dict[str, Any]]:
    return [
        {
            "section": p.section,
            "heading": p.heading,
            "indicators": list(p.indicators),
            "text": p.text,
        }
        for p in paragraphs
    ]


@dataclass(frozen=True)
class Change:
    """How a score moved since the previous edition."""

    previous_edition: int
    previous: float | None
    """None: not assessed in the previous edition (or the country was not covered)."""
    delta: float | None
    comparable: bool
    """False where the figure's basis changed (criminality across the 2021 break)."""

    def json(self) -> dict[str, Any]:
        return {
            "previous_edition": self.previous_edition,
            "previous": self.previous,
            "change": self.delta,
            "comparable": self.comparable,
        }


@dataclass(frozen=True)
class ScoreLine:
    """One indicator or composite of a profile, with its change since the last edition."""

    indicator: Indicator
    score: float
    change: Change | None


@dataclass(frozen=True)
class PillarBlock:
    pillar: Indicator
    average: ScoreLine
    lines: tuple[ScoreLine, ...]


@dataclass(frozen=True)
class ProfileView:
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
                key: {
                    scope: {"rank": pos.rank, "of": pos.of, "name": pos.scope_name}
                    for scope, pos in scopes.items()
                }
                for key, scopes in self.ranks.items()
            },
            "changes": {
                line.indicator.key: line.change.json()
                for line in self.all_lines()
                if line.change is not None
            },
        }
        if self.narrative is not None:
            out["narrative"] = narrative_json(self.narrative)
        out["source"] = source_json(self.source)
        return out

    HEADER = (
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
    )

    def rows(self) -> tuple[tuple[str, ...], list[Row]]:
        if self.narrative is not None:
            header = ("iso3", "country", "edition", "section", "heading", "indicators", "text")
            return header, [
                [
                    self.country.iso3,
                    self.country.name,
                    self.edition,
                    p.section,
                    p.heading,
                    " ".join(p.indicators),
                    p.text,
                ]
                for p in self.narrative
            ]
        rows: list[Row] = []
        for line in self.all_lines():
            key = line.indicator.key
            change = line.change
            ranks = self.ranks.get(key, {})
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
                ]
            )
        return self.HEADER, rows


@dataclass(frozen=True)
class Discrepancy:
    """A published figure that the index's own rules do not reproduce."""

    iso3: str
    country: str
    edition: int
    item: str
    published: str
    recomputed: str

    def json(self) -> dict[str, Any]:
        return {
            "iso3": self.iso3,
            "country": self.country,
            "edition": self.edition,
            "item": self.item,
            "published": self.published,
            "recomputed": self.recomputed,
        }


@dataclass(frozen=True)
class ExplainStep:
    """One line of arithmetic, for `verify-scores --explain`."""

    item: str
    formula: str
    exact: str
    rounded: str
    published: str | None
    ok: bool

    def json(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "formula": self.formula,
            "exact": self.exact,
            "rounded": self.rounded,
            "published": self.published,
            "ok": self.ok,
        }


@dataclass(frozen=True)
class Explanation:
    country: Country
    edition: int
    steps: tuple[ExplainStep, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class VerificationReport:
    """`ocindex verify-scores`: what was recomputed and what disagreed."""

    countries: int
    editions: tuple[int, ...]
    composites: int
    stated_ranks: int
    stated_scores: int
    discrepancies: tuple[Discrepancy, ...]
    explanations: tuple[Explanation, ...] = field(default=())

    @property
    def consistent(self) -> bool:
        return not self.discrepancies

    def summary(self) -> str:
        editions = ", ".join(str(e) for e in self.editions)
        return (
            f"Checked {self.countries} countries, {len(self.editions)} editions ({editions}), "
            f"{self.composites} composites, {self.stated_ranks} stated ranks, "
            f"{self.stated_scores} stated scores: "
            + (
                "all consistent."
                if self.consistent
                else f"{len(self.discrepancies)} discrepancies."
            )
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "checked": {
                "countries": self.countries,
                "editions": list(self.editions),
                "composites": self.composites,
                "stated_ranks": self.stated_ranks,
                "stated_scores": self.stated_scores,
            },
            "consistent": self.consistent,
            "discrepancies": [d.json() for d in self.discrepancies],
            **(
                {
                    "explanations": [
                        {
                            "iso3": e.country.iso3,
                            "country": e.country.name,
                            "edition": e.edition,
                            "steps": [s.json() for s in e.steps],
                            "notes": list(e.notes),
                        }
                        for e in self.explanations
                    ]
                }
                if self.explanations
                else {}
            ),
        }

    def rows(self) -> tuple[tuple[str, ...], list[Row]]:
        header = ("iso3", "country", "edition", "item", "published", "recomputed")
        return header, [
            [d.iso3, d.country, d.edition, d.item, d.published, d.recomputed]
            for d in self.discrepancies
        ]
