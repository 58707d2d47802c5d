"""Plain data: countries, their per-edition records and profile documents, the edition manifest."""

import operator
import sys
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, NamedTuple

SCOPES: tuple[str, ...] = ("global", "continent", "region")
"""The three rank contexts the profiles state, in the order they print them."""


class Layout(dict[str, int]):
    """Where each key's score sits in an edition's compiled records (one layout per edition),
    with the C-level getters already made for groups of keys."""

    def __init__(self, keys: Iterable[str]) -> None:
        super().__init__((key, position) for position, key in enumerate(keys))
        self._getters: dict[tuple[str, ...], Callable[[array[int]], Any]] = {}

    def getter(self, keys: tuple[str, ...]) -> Callable[["array[int]"], Any]:
        """operator.itemgetter for `keys` (always returning a tuple)."""
        found = self._getters.get(keys)
        if found is None:
            indexes = [self[key] for key in keys]
            found = (
                operator.itemgetter(*indexes)
                if len(indexes) > 1
                else (lambda values, i=indexes[0]: (values[i],))
            )
            self._getters[keys] = found
        return found


class Scores(Mapping[str, float]):
    """An edition record's published scores by key, decoded from the compiled form on demand.

    The compiled index stores a record's scores as one string of whole hundredths, four
    hexadecimal digits each, in the order of `score_keys` ("02ee" is 750, i.e. 7.5). A
    loaded index holds some 21,000 figures and a query reads a few hundred: decoding only
    those keeps loading fast; `verify-scores`, which reads them all, decodes a record in
    one C-level step. `n / 100` is exactly the float that "6.47" parses to.
    """

    WIDTH = 4
    """Characters per score in the compiled form (scores are at most 10.00)."""
    __slots__ = ("_encoded", "_positions")

    def __init__(self, positions: Mapping[str, int], encoded: str) -> None:
        self._positions = positions
        self._encoded = encoded

    @classmethod
    def encode(cls, values: Iterable[float]) -> str:
        """The compiled form of published scores, in order."""
        return "".join(f"{round(value * 100):0{cls.WIDTH}x}" for value in values)

    def __getitem__(self, key: str) -> float:
        return self.hundredths(key) / 100

    def total(self, keys: tuple[str, ...]) -> int:
        """The sum of several scores, in whole hundredths."""
        if not isinstance(self._positions, Layout):
            return sum(self.hundredths(key) for key in keys)
        values = array("H", bytes.fromhex(self._encoded))
        if sys.byteorder == "little":
            values.byteswap()  # the digits are big-endian
        return sum(self._positions.getter(keys)(values))

    @property
    def layout(self) -> Mapping[str, int]:
        """Key -> position in `decoded()`."""
        return self._positions

    def decoded(self) -> "array[int]":
        """Every score in whole hundredths, in layout order, decoded in one step."""
        values = array("H", bytes.fromhex(self._encoded))
        if sys.byteorder == "little":
            values.byteswap()  # the digits are big-endian
        return values

    def hundredths(self, key: str) -> int:
        """The score of `key` in whole hundredths (7.5 -> 750), with no float in between."""
        start = self._positions[key] * self.WIDTH
        return int(self._encoded[start : start + self.WIDTH], 16)

    def __iter__(self) -> Iterator[str]:
        return iter(self._positions)

    def __len__(self) -> int:
        return len(self._positions)

    def __repr__(self) -> str:
        return f"Scores({dict(self)!r})"


class StatedRank(NamedTuple):
    """A rank as a published document states it: `rank` of `of`."""

    rank: int
    of: int


class NarrativeParagraph(NamedTuple):
    """One paragraph of a profile's text, under its section and heading."""

    section: str
    heading: str
    indicators: tuple[str, ...]
    text: str


class ProfileDocument(NamedTuple):
    """What one edition's published country profile says, beyond the dataset."""

    edition: int
    title: str
    document: str
    funding: tuple[str, ...]
    stated_scores: dict[str, float]
    stated_ranks: dict[str, dict[str, StatedRank]]
    narrative: tuple[NarrativeParagraph, ...]


class EditionRecord(NamedTuple):
    """One country's scores in one edition, with that edition's continent and region."""

    edition: int
    continent: str
    region: str
    scores: Mapping[str, float]


class Country(NamedTuple):
    """A country's profile: identity, per-edition records and any profile documents.

    An Index holds one object per country; its ISO3 code identifies it.
    """

    slug: str
    name: str
    iso3: str
    iso2: str
    aliases: tuple[str, ...]
    records: dict[int, EditionRecord]
    documents: dict[int, ProfileDocument]


class MissingCountry(NamedTuple):
    iso3: str
    name: str


class SourceUpdate(NamedTuple):
    """A later file that replaced the figures of some countries of an edition."""

    file: str
    sha256: str
    countries: int


class EditionSource(NamedTuple):
    """Where one edition's figures came from, and how many countries it covers."""

    edition: int
    file: str
    sheet: str | None
    sha256: str
    countries: int
    missing: tuple[MissingCountry, ...]
    updates: tuple[SourceUpdate, ...] = ()


class Manifest(NamedTuple):
    """The edition manifest (`editions.toml`): sources, coverage and the default edition."""

    default_edition: int
    editions: dict[int, EditionSource]


class RankPosition(NamedTuple):
    """A country's place for one score in one scope: `rank` of `of` in `scope_name`."""

    scope: str
    scope_name: str
    rank: int
    of: int
    previous_rank: int | None = None
    """The rank in the previous edition, in that edition's scope of the same level."""
    previous_of: int | None = None
    rank_change: int | None = None
    """previous_rank - rank, as ocindex.net shows it (moving up the list is positive); None
    without a previous rank or when the scope's name changed (a region redrawn)."""

    def json(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "of": self.of,
            "name": self.scope_name,
            "previous_rank": self.previous_rank,
            "previous_of": self.previous_of,
            "rank_change": self.rank_change,
        }
