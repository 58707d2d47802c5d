"""`ocindex verify-scores`: what was recomputed, what disagreed, and the arithmetic."""

from typing import Any, NamedTuple

from ocindex.figures import plural
from ocindex.model import Country, EditionSource
from ocindex.views import Row, source_json


class Discrepancy(NamedTuple):
    """A published figure that the index's own rules do not reproduce."""

    iso3: str
    country: str
    edition: int
    item: str
    published: str
    recomputed: str

    def json(self) -> dict[str, Any]:
        return dict(self._asdict())


class ExplainStep(NamedTuple):
    """One line of arithmetic, for `verify-scores --explain`."""

    item: str
    formula: str
    exact: str
    """The exact value in decimals, "…" where they go on (6.466667…)."""
    fraction: str
    """The exact value as a fraction (97/15)."""
    rounded: str
    published: str | None
    ok: bool

    def json(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "formula": self.formula,
            "exact": self.exact,
            "fraction": self.fraction,
            "rounded": float(self.rounded),
            "published": None if self.published is None else float(self.published),
            "ok": self.ok,
        }


class Explanation(NamedTuple):
    country: Country
    edition: int
    steps: tuple[ExplainStep, ...]
    notes: tuple[str, ...]


class VerificationReport(NamedTuple):
    """`ocindex verify-scores`: what was recomputed and what disagreed."""

    countries: int
    editions: tuple[int, ...]
    composites: int
    stated_ranks: int
    stated_scores: int
    discrepancies: tuple[Discrepancy, ...]
    explanations: tuple[Explanation, ...] = ()
    sources: tuple[EditionSource, ...] = ()

    @property
    def consistent(self) -> bool:
        return not self.discrepancies

    def summary(self) -> str:
        editions = ", ".join(str(e) for e in self.editions)
        return (
            f"Checked {plural(self.countries, 'country')}, "
            f"{plural(len(self.editions), 'edition')} ({editions}), "
            f"{plural(self.composites, 'composite')}, "
            f"{plural(self.stated_ranks, 'stated rank')}, "
            f"{plural(self.stated_scores, 'stated score')}: "
            + (
                "all consistent."
                if self.consistent
                else f"{plural(len(self.discrepancies), 'discrepancy')}."
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
            "source": [source_json(s) for s in self.sources],
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
        header: tuple[str, ...]
        if self.explanations:  # --explain: the arithmetic, step by step
            header = (
                "iso3",
                "country",
                "edition",
                "item",
                "formula",
                "exact",
                "fraction",
                "rounded",
                "published",
                "ok",
            )
            return header, [
                [
                    e.country.iso3,
                    e.country.name,
                    e.edition,
                    s.item,
                    s.formula,
                    s.exact,
                    s.fraction,
                    s.rounded,
                    s.published,
                    s.ok,
                ]
                for e in self.explanations
                for s in e.steps
            ]
        header = ("iso3", "country", "edition", "item", "published", "recomputed")
        return header, [
            [d.iso3, d.country, d.edition, d.item, d.published, d.recomputed]
            for d in self.discrepancies
        ]
