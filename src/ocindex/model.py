"""Plain data: countries, their per-edition records and profile documents, the edition manifest."""

from __future__ import annotations

from dataclasses import dataclass, field

SCOPES: tuple[str, ...] = ("global", "continent", "region")
"""The three rank contexts the profiles state, in the order they print them."""


@dataclass(frozen=True)
class StatedRank:
    """A rank as a published document states it: `rank` of `of`."""

    rank: int
    of: int


@dataclass(frozen=True)
class NarrativeParagraph:
    """One paragraph of a profile's text, under its section and heading."""

    section: str
    heading: str
    indicators: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class ProfileDocument:
    """What one edition's published country profile says, beyond the dataset."""

    edition: int
    title: str
    document: str
    funding: tuple[str, ...]
    stated_scores: dict[str, float]
    stated_ranks: dict[str, dict[str, StatedRank]]
    narrative: tuple[NarrativeParagraph, ...]


@dataclass(frozen=True)
class EditionRecord:
    """One country's scores in one edition, with that edition's continent and region."""

    edition: int
    continent: str
    region: str
    scores: dict[str, float]


@dataclass(frozen=True, eq=False)
class Country:
    """A country's profile: identity, per-edition records and any profile documents.

    Compared and hashed by identity: an Index holds one object per country.
    """

    slug: str
    name: str
    iso3: str
    iso2: str
    aliases: tuple[str, ...]
    records: dict[int, EditionRecord]
    documents: dict[int, ProfileDocument] = field(default_factory=dict)

    @property
    def latest(self) -> EditionRecord:
        return self.records[max(self.records)]


@dataclass(frozen=True)
class MissingCountry:
    iso3: str
    name: str


@dataclass(frozen=True)
class EditionSource:
    """Where one edition's figures came from, and how many countries it covers."""

    edition: int
    file: str
    sheet: str | None
    sha256: str
    countries: int
    missing: tuple[MissingCountry, ...]

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class Manifest:
    """The edition manifest (`editions.toml`): sources, coverage and the default edition."""

    default_edition: int
    editions: dict[int, EditionSource]
