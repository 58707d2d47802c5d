"""The loaded index: countries, editions and lookups. Pure: it never prints."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ocindex import store
from ocindex.arithmetic import competition_ranks
from ocindex.errors import NotFoundError, UsageError
from ocindex.indicators import ALL, BY_KEY, PILLAR_INDICATORS, Indicator
from ocindex.model import SCOPES, Country, EditionRecord, EditionSource, Manifest
from ocindex.resolve import normalize, resolve


@dataclass(frozen=True)
class RankPosition:
    """A country's place for one score in one scope: `rank` of `of` in `scope_name`."""

    scope: str
    scope_name: str
    rank: int
    of: int


class Index:
    """Every country of a data directory, with its editions and manifest."""

    def __init__(self, manifest: Manifest, countries: Iterable[Country], data_dir: Path) -> None:
        self.manifest = manifest
        # Alphabetical as people read it: "Côte d'Ivoire" after "Costa Rica", "eSwatini"
        # after "Estonia" (plain code-point order puts both after "Zimbabwe"/"Czech Republic").
        self.countries: tuple[Country, ...] = tuple(
            sorted(countries, key=lambda c: (normalize(c.name), c.name))
        )
        self.data_dir = data_dir
        self.by_iso3 = {country.iso3: country for country in self.countries}

    @classmethod
    def load(cls, data_dir: Path | None = None, *, use_cache: bool = True) -> Index:
        """Load a data directory (default: the shipped data, or `$OCINDEX_DATA_DIR`)."""
        directory = data_dir or store.default_data_dir()
        manifest, countries = store.load(directory, use_cache=use_cache)
        return cls(manifest, countries, directory)

    # -- editions -------------------------------------------------------------------------

    @property
    def editions(self) -> tuple[int, ...]:
        return tuple(sorted(self.manifest.editions))

    def edition(self, year: int | None) -> int:
        """`year` if the data has that edition, else the default edition for None."""
        if year is None:
            return self.manifest.default_edition
        if year not in self.manifest.editions:
            known = ", ".join(str(y) for y in self.editions)
            raise UsageError(f"no {year} edition in the data", f"Editions: {known}.")
        return year

    def source(self, edition: int) -> EditionSource:
        return self.manifest.editions[edition]

    def previous_edition(self, edition: int) -> int | None:
        earlier = [year for year in self.editions if year < edition]
        return max(earlier) if earlier else None

    # -- lookups --------------------------------------------------------------------------

    @cached_property
    def _country_choices(self) -> list[tuple[Country, str, list[str]]]:
        return [(c, c.name, [c.name, c.iso3, c.iso2, c.slug, *c.aliases]) for c in self.countries]

    def country(self, text: str) -> Country:
        """The country `text` names: a name, ISO3/ISO2 code, slug or alias."""
        return resolve(
            text,
            self._country_choices,
            kind="country",
            hint="Try a name or ISO code; `ocindex list countries` lists them all.",
        )

    def indicator(self, text: str, pillar: str | None = None) -> Indicator:
        """The indicator or composite `text` names (its key, official name or a short form).

        With `pillar`, only that pillar's indicators (and its composite) are candidates.
        """
        candidates = ALL if pillar is None else (BY_KEY[pillar], *PILLAR_INDICATORS[pillar])
        choices = [
            (item, item.key, [item.key, item.name, *item.short_forms]) for item in candidates
        ]
        where = "" if pillar is None else f" among {BY_KEY[pillar].name.lower()}"
        return resolve(
            text,
            choices,
            kind=f"indicator{where}",
            hint="`ocindex list indicators` lists every key and short form.",
        )

    def place(self, text: str, level: str, edition: int) -> str:
        """A continent or region (`level`) of `edition`, as that edition spells it."""
        names: list[str] = sorted({getattr(record, level) for _, record in self.records(edition)})
        return resolve(
            text,
            [(name, name, [name]) for name in names],
            kind=f"{level} in {edition}",
            hint=f"`ocindex list regions --year {edition}` lists them.",
        )

    # -- records and ranks ----------------------------------------------------------------

    def records(self, edition: int) -> list[tuple[Country, EditionRecord]]:
        """Every country assessed in `edition`, with its record."""
        return [(c, c.records[edition]) for c in self.countries if edition in c.records]

    def record(self, country: Country, edition: int) -> EditionRecord:
        if edition not in country.records:
            raise NotFoundError(
                f"{country.name} has no {edition} scores",
                f"{self._coverage_note(edition)}Editions with data: "
                + ", ".join(str(y) for y in sorted(country.records)),
            )
        return country.records[edition]

    def _coverage_note(self, edition: int) -> str:
        source = self.manifest.editions.get(edition)
        if source and source.missing:
            return f"The {edition} source covers {source.countries} countries. "
        return ""

    def scope_members(
        self, edition: int, scope: str, record: EditionRecord
    ) -> list[tuple[Country, EditionRecord]]:
        """The countries of `edition` in the same scope as `record` (global, continent, region)."""
        everyone = self.records(edition)
        if scope == "global":
            return everyone
        return [(c, r) for c, r in everyone if getattr(r, scope) == getattr(record, scope)]

    def position(self, country: Country, key: str, edition: int, scope: str) -> RankPosition:
        """Where `country` ranks on `key` in `edition` within `scope`, highest score first."""
        record = self.record(country, edition)
        members = self.scope_members(edition, scope, record)
        ranks = competition_ranks({c.iso3: r.scores[key] for c, r in members})
        name = "the world" if scope == "global" else getattr(record, scope)
        return RankPosition(scope, name, ranks[country.iso3], len(members))

    def positions(self, country: Country, key: str, edition: int) -> dict[str, RankPosition]:
        return {scope: self.position(country, key, edition, scope) for scope in SCOPES}


def matches_place(value: str, wanted: str) -> bool:
    return normalize(value) == normalize(wanted)
