"""`ocindex trend`: a country's scores across editions."""

from typing import Any, NamedTuple

from ocindex.indicators import Indicator
from ocindex.model import Country, EditionSource
from ocindex.views import Change, Row, indicator_json, source_json


class TrendSeries(NamedTuple):
    indicator: Indicator
    values: tuple[float | None, ...]
    """One per edition of the view; None where not assessed or not covered."""
    changes: tuple[Change | None, ...]
    """Change into each edition from the one before (None for the first)."""
    basis_note: str | None = None


class TrendView(NamedTuple):
    """`ocindex trend`: a country's scores across editions, with the 2021 break marked."""

    country: Country
    editions: tuple[int, ...]
    series: tuple[TrendSeries, ...]
    comparable_basis: tuple[TrendSeries, ...]
    """Criminality and its pillars recomputed on the 2021 indicator set, for every edition."""
    sources: tuple[EditionSource, ...]
    notes: tuple[str, ...] = ()
    """Editions whose source lacks the country."""

    def to_json(self) -> dict[str, Any]:
        def series_json(s: TrendSeries) -> dict[str, Any]:
            return {
                **indicator_json(s.indicator),
                "values": {str(e): v for e, v in zip(self.editions, s.values, strict=True)},
                "changes": [
                    c.json() | {"edition": e}
                    for e, c in zip(self.editions, s.changes, strict=True)
                    if c
                ],
            }

        return {
            "country": {"name": self.country.name, "iso3": self.country.iso3},
            "editions": list(self.editions),
            "series": [series_json(s) for s in self.series],
            "comparable_basis": [series_json(s) for s in self.comparable_basis],
            "notes": list(self.notes),
            "source": [source_json(s) for s in self.sources],
        }

    def rows(self) -> tuple[tuple[str, ...], list[Row]]:
        header = (
            "iso3",
            "key",
            "indicator",
            "basis",
            *(str(e) for e in self.editions),
            *(f"change_{e}" for e in self.editions[1:]),
            *(f"comparable_{e}" for e in self.editions[1:]),
        )
        rows: list[Row] = []
        for basis, group in (
            ("published", self.series),
            ("2021_indicators", self.comparable_basis),
        ):
            for s in group:
                rows.append(
                    [
                        self.country.iso3,
                        s.indicator.key,
                        s.indicator.name,
                        basis,
                        *s.values,
                        *((c.delta if c else None) for c in s.changes[1:]),
                        *((c.comparable if c else None) for c in s.changes[1:]),
                    ]
                )
        return header, rows
