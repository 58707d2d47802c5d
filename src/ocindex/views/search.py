"""`ocindex search`: profile paragraphs that contain every term."""

from typing import Any, NamedTuple

from ocindex.figures import plural
from ocindex.model import Country
from ocindex.views import LIST_SEPARATOR, Row, TextExcerpt


class SearchView(NamedTuple):
    """`ocindex search`: profile paragraphs that contain every term."""

    query: str
    terms: tuple[str, ...]
    hits: tuple[TextExcerpt, ...]
    paragraphs_searched: int

    documents: tuple[tuple[Country, int], ...] = ()
    """The profile documents searched: (country, edition)."""
    without_text: tuple[Country, ...] = ()
    """Countries asked for (`--country`) that have no profile text to search."""

    def summary(self) -> str:
        """`2 paragraphs of 28 in 1 profile document match 'gold'`."""
        terms = " + ".join(repr(t) for t in self.terms)
        return (
            f"{plural(len(self.hits), 'paragraph')} of {self.paragraphs_searched} in "
            f"{plural(len(self.documents), 'profile document')} match {terms}"
        )

    @property
    def notes(self) -> list[str]:
        return [
            f"{c.name} has no profile text; `ocindex list profiles` shows which countries do."
            for c in self.without_text
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "terms": list(self.terms),
            "searched": self.paragraphs_searched,
            "matches": [hit.json() for hit in self.hits],
            "source": [
                {"iso3": c.iso3, "edition": year, "document": c.documents[year].document}
                for c, year in self.documents
            ],
        }

    def rows(self) -> tuple[tuple[str, ...], list[Row]]:
        header = ("iso3", "country", "edition", "section", "heading", "indicators", "sentence")
        return header, [
            [
                h.country.iso3,
                h.country.name,
                h.edition,
                h.paragraph.section,
                h.paragraph.heading,
                LIST_SEPARATOR.join(h.paragraph.indicators),
                h.sentence,
            ]
            for h in self.hits
        ]
