"""`ocindex compare`: every indicator of 2-10 countries side by side."""

from typing import Any, NamedTuple

from ocindex.figures import difference
from ocindex.indicators import Indicator
from ocindex.model import Country, EditionSource, RankPosition
from ocindex.views import LIST_SEPARATOR, Row, country_json, indicator_json, source_json


class ComparedIndicator(NamedTuple):
    indicator: Indicator
    scores: tuple[float | None, ...]
    """One per country, in the order compared; None where not assessed."""
    exact: float | None = None
    """For composites: the difference from the unrounded composites, as the site rounds it."""

    @property
    def difference(self) -> float | None:
        """First minus second for two countries; highest minus lowest for more."""
        if self.exact is not None:
            return self.exact
        values = [v for v in self.scores if v is not None]
        if len(values) != len(self.scores) or len(values) < 2:
            return None
        first, second = (values[0], values[1]) if len(values) == 2 else (max(values), min(values))
        return difference(first, second)

    @property
    def highest(self) -> tuple[int, ...]:
        """Positions of the highest score (several when tied; none when all equal)."""
        values = [v for v in self.scores if v is not None]
        if not values or min(values) == max(values):
            return ()
        top = max(values)
        return tuple(i for i, v in enumerate(self.scores) if v == top)


class ComparisonView(NamedTuple):
    """`ocindex compare`: every indicator of 2-10 countries side by side."""

    edition: int
    countries: tuple[Country, ...]
    places: tuple[tuple[str, str], ...]
    """(continent, region) per country, in `edition`."""
    lines: tuple[ComparedIndicator, ...]
    ranks: dict[str, tuple[dict[str, RankPosition], ...]]
    source: EditionSource

    def to_json(self) -> dict[str, Any]:
        return {
            "edition": self.edition,
            "countries": [
                country_json(c, continent, region)
                for c, (continent, region) in zip(self.countries, self.places, strict=True)
            ],
            "indicators": [
                {
                    **indicator_json(line.indicator),
                    "scores": {c.iso3: v for c, v in zip(self.countries, line.scores, strict=True)},
                    "difference": line.difference,
                    "highest": [self.countries[i].iso3 for i in line.highest],
                }
                for line in self.lines
            ],
            "ranks": {
                key: {
                    c.iso3: {s: {"rank": p.rank, "of": p.of} for s, p in positions.items()}
                    for c, positions in zip(self.countries, per_country, strict=True)
                }
                for key, per_country in self.ranks.items()
            },
            "source": source_json(self.source),
        }

    def rows(self) -> tuple[tuple[str, ...], list[Row]]:
        header = (
            "key",
            "indicator",
            "pillar",
            *(c.iso3 for c in self.countries),
            "difference",
            "highest",
        )
        return header, [
            [
                line.indicator.key,
                line.indicator.name,
                line.indicator.pillar,
                *line.scores,
                line.difference,
                LIST_SEPARATOR.join(self.countries[i].iso3 for i in line.highest),
            ]
            for line in self.lines
        ]
