"""What commands return: plain results with their JSON and row forms, never printed here.

Each view knows its data; `ocindex.render` turns any of them into a table, JSON or CSV.
This module holds what several views share; each command's view has a module of its own,
imported only when that command runs (creating the classes is part of start-up time).
"""

from typing import Any, NamedTuple

from ocindex.indicators import Indicator
from ocindex.model import Country, EditionSource, NarrativeParagraph

Row = list[Any]

LIST_SEPARATOR = "; "
"""How a list is written inside one CSV/TSV cell."""

FUNDING = ("Funding", "Attribution")
"""Section and heading of the funding notices in `--text` rows."""

TEXT_HEADER = ("iso3", "country", "edition", "section", "heading", "indicators", "text")


def text_row(country: Country, edition: int, paragraph: NarrativeParagraph) -> Row:
    """One narrative paragraph as a CSV/TSV row under TEXT_HEADER."""
    return [
        country.iso3,
        country.name,
        edition,
        paragraph.section,
        paragraph.heading,
        LIST_SEPARATOR.join(paragraph.indicators),
        paragraph.text,
    ]


TRANSCRIPTIONS = {
    "4473ab9e177e5d628c97a4f74a9b4c3420c02ffe6b8242d61d902ef9a714ab88": (
        "a public transcription of the {edition} edition (cross-checked against GI-TOC's "
        "official file where they overlap), not GI-TOC's own workbook"
    ),
}
"""Source files (by SHA-256) that are not GI-TOC's own workbook, and what they are.

The shipped 2025 figures come from such a file; once the official workbook's 2025 sheet is
imported, the manifest names that file and the provenance note disappears by itself."""


def provenance(source: EditionSource) -> str | None:
    """What an edition's figures were compiled from, when not GI-TOC's own workbook."""
    described = TRANSCRIPTIONS.get(source.sha256)
    return None if described is None else described.format(edition=source.edition)


def provenance_note(source: EditionSource) -> str | None:
    """The sentence `show` and `cite` print for an edition from a transcription."""
    described = provenance(source)
    if described is None:
        return None
    return f"The {source.edition} figures ({source.file}) come from {described}."


def source_json(source: EditionSource) -> dict[str, Any]:
    """Provenance of an edition's figures, as every JSON output carries it."""
    described = provenance(source)
    return {
        "edition": source.edition,
        "file": source.file,
        **({"sheet": source.sheet} if source.sheet else {}),
        **({"provenance": described} if described else {}),
        "sha256": source.sha256,
        "countries": source.countries,
        "missing": [{"iso3": m.iso3, "name": m.name} for m in source.missing],
        **(
            {
                "updates": [
                    {"file": u.file, "sha256": u.sha256, "countries": u.countries}
                    for u in source.updates
                ]
            }
            if source.updates
            else {}
        ),
    }


MAX_NAMED = 10
"""Missing countries named in a coverage note before "and N more"."""


def coverage_note(source: EditionSource) -> str | None:
    """The warning every 2025 ranking carries: which countries the source lacks."""
    if not source.missing:
        return None
    names = ", ".join(m.name for m in source.missing[:MAX_NAMED])
    if len(source.missing) > MAX_NAMED:
        names += f" and {len(source.missing) - MAX_NAMED} more"
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


def indicator_json(indicator: Indicator) -> dict[str, Any]:
    return {"key": indicator.key, "name": indicator.name, "pillar": indicator.pillar}


class Change(NamedTuple):
    """How a score moved since the previous edition."""

    previous_edition: int
    previous: float | None
    """None: not assessed in the previous edition (or the country was not covered)."""
    delta: float | None
    comparable: bool | None
    """False where the figure's basis changed (criminality across the 2021 break); None
    where there is nothing to compare with."""

    def json(self) -> dict[str, Any]:
        return {
            "previous_edition": self.previous_edition,
            "previous": self.previous,
            "change": self.delta,
            "comparable": self.comparable,
        }


class TextExcerpt(NamedTuple):
    """A profile paragraph shown with a ranking or a search, labelled with its edition."""

    country: Country
    edition: int
    paragraph: NarrativeParagraph
    sentence: str | None = None
    """For search: the matching sentence."""
    terms: tuple[str, ...] = ()

    def json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "country": self.country.name,
            "iso3": self.country.iso3,
            "edition": self.edition,
            "section": self.paragraph.section,
            "heading": self.paragraph.heading,
            "indicators": list(self.paragraph.indicators),
        }
        if self.sentence is not None:
            out["sentence"] = self.sentence
        out["text"] = self.paragraph.text
        document = self.country.documents.get(self.edition)
        out["source"] = {
            "edition": self.edition,
            "document": document.document if document else None,
        }
        return out
