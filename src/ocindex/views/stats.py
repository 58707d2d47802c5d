"""`ocindex stats`: group statistics of one or more indicators in one edition."""

from typing import Any, NamedTuple

from ocindex.indicators import Indicator
from ocindex.model import Country, EditionSource
from ocindex.views import LIST_SEPARATOR, Row, coverage_note, indicator_json, source_json

STATS_HEADER = (
    "indicator",
    "edition",
    "scope",
    "name",
    "n",
    "mean",
    "median",
    "min",
    "min_countries",
    "max",
    "max_countries",
    "spread",
)


class Extreme(NamedTuple):
    value: float
    countries: tuple[Country, ...]

    def json(self) -> dict[str, Any]:
        return {"value": self.value, "countries": [c.iso3 for c in self.countries]}


class GroupStats(NamedTuple):
    indicator: Indicator
    scope: str
    """"world", "continent", "region" or "group"."""
    name: str
    n: int
    mean: float
    median: float
    min: Extreme
    max: Extreme
    spread: float

    def json(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator.key,
            "scope": self.scope,
            "name": self.name,
            "n": self.n,
            "mean": self.mean,
            "median": self.median,
            "min": self.min.json(),
            "max": self.max.json(),
            "spread": self.spread,
        }


class StatsView(NamedTuple):
    """`ocindex stats`: n, mean, median, min, max and spread per group."""

    indicators: tuple[Indicator, ...]
    edition: int
    groups: tuple[GroupStats, ...]
    source: EditionSource
    selection_notes: tuple[str, ...] = ()

    @property
    def notes(self) -> list[str]:
        notes = list(self.selection_notes)
        note = coverage_note(self.source)
        if note:
            notes.append(note)
        notes.append(
            "Means and medians are exact over the published figures, rounded once, half up, "
            "to two decimals (as GI-TOC computes its group averages)."
        )
        return notes

    def to_json(self) -> dict[str, Any]:
        return {
            "indicator": indicator_json(self.indicators[0]) if len(self.indicators) == 1 else None,
            "indicators": [indicator_json(i) for i in self.indicators],
            "edition": self.edition,
            "groups": [g.json() for g in self.groups],
            "notes": self.notes,
            "source": source_json(self.source),
        }

    def rows(self) -> tuple[tuple[str, ...], list[Row]]:
        return STATS_HEADER, [
            [
                g.indicator.key,
                self.edition,
                g.scope,
                g.name,
                g.n,
                g.mean,
                g.median,
                g.min.value,
                LIST_SEPARATOR.join(c.iso3 for c in g.min.countries),
                g.max.value,
                LIST_SEPARATOR.join(c.iso3 for c in g.max.countries),
                g.spread,
            ]
            for g in self.groups
        ]
