"""`ocindex quadrant`: the report's vulnerability matrix, criminality against resilience."""

from typing import Any, NamedTuple

from ocindex.model import Country, EditionSource
from ocindex.views import LIST_SEPARATOR, Row, coverage_note, source_json

QUADRANTS = (
    "high_criminality_low_resilience",
    "high_criminality_high_resilience",
    "low_criminality_low_resilience",
    "low_criminality_high_resilience",
)
QUADRANT_HEADER = (
    "iso3",
    "country",
    "edition",
    "criminality",
    "resilience",
    "quadrant",
    "near_line",
    "previous_quadrant",
    "moved",
)


class Placed(NamedTuple):
    country: Country
    criminality: float
    resilience: float
    quadrant: str
    near_line: bool
    """Within 0.10 of either line."""
    previous: str | None = None
    """The quadrant in the --since edition (None: not asked, or no data then)."""

    @property
    def moved(self) -> bool:
        return self.previous is not None and self.previous != self.quadrant


class QuadrantView(NamedTuple):
    edition: int
    since: int | None
    scope: str
    placed: tuple[Placed, ...]
    threshold: float
    counts_since: dict[str, int] | None
    sources: tuple[EditionSource, ...]
    selection_notes: tuple[str, ...] = ()

    def counts(self) -> dict[str, int]:
        return {q: sum(1 for p in self.placed if p.quadrant == q) for q in QUADRANTS}

    @property
    def notes(self) -> list[str]:
        notes = list(self.selection_notes)
        for source in self.sources:
            note = coverage_note(source)
            if note:
                notes.append(note)
        notes.append(
            f"Each score is split at {self.threshold:.2f}; a score of exactly "
            f"{self.threshold:.2f} counts as high (the report's rule). Near the line: within "
            "0.10 of either line."
        )
        return notes

    def to_json(self) -> dict[str, Any]:
        counts = self.counts()
        quadrants: dict[str, Any] = {}
        for q in QUADRANTS:
            entry: dict[str, Any] = {
                "count": counts[q],
                "countries": [p.country.iso3 for p in self.placed if p.quadrant == q],
                "near_line": [
                    p.country.iso3 for p in self.placed if p.quadrant == q and p.near_line
                ],
            }
            if self.counts_since is not None:
                entry["count_since"] = self.counts_since[q]
                entry["change"] = counts[q] - self.counts_since[q]
            quadrants[q] = entry
        out: dict[str, Any] = {
            "edition": self.edition,
            "since": self.since,
            "scope": self.scope,
            "threshold": self.threshold,
            "quadrants": quadrants,
        }
        if self.since is not None:
            out["moved"] = [
                {
                    "iso3": p.country.iso3,
                    "country": p.country.name,
                    "from": p.previous,
                    "to": p.quadrant,
                }
                for p in self.placed
                if p.moved
            ]
        out["notes"] = self.notes
        out["source"] = [source_json(s) for s in self.sources]
        return out

    def rows(self) -> tuple[tuple[str, ...], list[Row]]:
        return QUADRANT_HEADER, [
            [
                p.country.iso3,
                p.country.name,
                self.edition,
                p.criminality,
                p.resilience,
                p.quadrant,
                p.near_line,
                p.previous,
                p.moved if self.since is not None else None,
            ]
            for p in self.placed
        ]


def quadrant_label(name: str) -> str:
    return name.replace("_", " ").replace("criminality ", "criminality \N{EN DASH} ")


__all__ = ["LIST_SEPARATOR", "QUADRANTS", "Placed", "QuadrantView", "quadrant_label"]
