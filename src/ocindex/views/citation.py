"""`ocindex cite`: how to cite an edition."""

from typing import Any, NamedTuple

from ocindex.model import EditionSource
from ocindex.views import Row, source_json


class CitationView(NamedTuple):
    """`ocindex cite`: how to cite an edition (and a country's ENACT profile)."""

    edition: int
    key: str
    text: tuple[str, ...]
    """One plain-text reference per work."""
    bibtex: tuple[str, ...]
    source: EditionSource

    def to_json(self) -> dict[str, Any]:
        return {
            "edition": self.edition,
            "citations": list(self.text),
            "bibtex": list(self.bibtex),
            "source": source_json(self.source),
        }

    def rows(self) -> tuple[tuple[str, ...], list[Row]]:
        return ("edition", "citation"), [[self.edition, t] for t in self.text]
