"""The data-and-lookup layer: a loaded data directory, its editions, names and ranks.

Pure (it never prints) and it never imports the questions (`ocindex.questions`): they
are built on it. `ocindex.index.Index` adds the Python API on top.
"""

import bisect
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from ocindex import store
from ocindex.errors import AmbiguousError, NotFoundError, UsageError
from ocindex.indicators import ALL, BY_KEY, PILLAR_INDICATORS, QUICK_INDICATORS, Indicator
from ocindex.model import (
    SCOPES,
    Country,
    EditionRecord,
    EditionSource,
    Manifest,
    RankPosition,
    Scores,
)
from ocindex.resolve import normalize, resolve

PILLAR_COMMANDS = {
    "criminal_markets": "market",
    "criminal_actors": "actor",
    "resilience": "resilience",
}
"""The command that ranks each pillar's indicators."""

L = TypeVar("L", bound="Lookup")


def require_assessed(indicator: Indicator, edition: int) -> None:
    """Refuse an indicator that `edition` did not assess (2021 has no financial crimes)."""
    if not indicator.assessed_in(edition):
        raise UsageError(
            f"{indicator.name} ({indicator.key}) was not assessed in {edition}",
            f"It is assessed from {indicator.since} on; try --year {indicator.since} or later.",
        )


class Lookup:
    """Every country of a data directory, with its editions and manifest."""

    def __init__(
        self,
        manifest: Manifest,
        countries: Iterable[Country],
        data_dir: Path,
        names: dict[str, list[str]] | None = None,
        *,
        presorted: bool = False,
    ) -> None:
        self.manifest = manifest
        self.countries: tuple[Country, ...] = tuple(countries)
        if not presorted:
            self.countries = tuple(sorted(self.countries, key=store.reading_order))
        self.data_dir = data_dir
        self.by_iso3 = {country.iso3: country for country in self.countries}
        self._names = names
        """Folded name, code or alias -> ISO3 codes (from the compiled index)."""

    @classmethod
    def load(
        cls: type[L],
        data_dir: Path | None = None,
        *,
        use_cache: bool = True,
        trust_stamp: bool = True,
    ) -> L:
        """Load a data directory (default: the shipped data, or `$OCINDEX_DATA_DIR`)."""
        directory = data_dir or store.default_data_dir()
        loaded = store.load(directory, use_cache=use_cache, trust_stamp=trust_stamp)
        # A compiled index lists its countries in reading order already.
        return cls(loaded.manifest, loaded.countries, directory, loaded.names, presorted=True)

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
        if self._names is not None and len(text) <= 200:
            exact = self._names.get(normalize(text), [])
            if len(exact) == 1 and exact[0] in self.by_iso3:
                return self.by_iso3[exact[0]]
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
        quick = QUICK_INDICATORS.get(text.lower().replace("-", " ").replace("_", " ").strip())
        if quick is not None and quick in candidates:
            return quick  # a key or short form as typed: no need for the full resolver
        choices = [
            (item, item.key, [item.key, item.name, *item.short_forms]) for item in candidates
        ]
        where = "" if pillar is None else f" among {BY_KEY[pillar].name.lower()}"
        hint = "`ocindex list indicators` lists every key and short form."
        try:
            return resolve(text, choices, kind=f"indicator{where}", hint=hint)
        except NotFoundError:
            if pillar is None:
                raise
            try:  # named an indicator of another pillar? say which command ranks it
                other = self.indicator(text)
            except (NotFoundError, AmbiguousError):
                raise NotFoundError(f"unknown indicator{where} {text[:60]!r}", hint) from None
            command = PILLAR_COMMANDS.get(other.pillar, "rank")
            group = {"resilience": "resilience indicators"}.get(pillar, BY_KEY[pillar].name.lower())
            raise NotFoundError(
                f"{text[:60]!r} is {other.name} ({other.key}), not one of the {group}",
                f"Try `ocindex {command} {text[:60]}`.",
            ) from None

    def place(self, text: str, level: str, edition: int) -> str:
        """A continent or region (`level`) of `edition`, as that edition spells it."""
        names: list[str] = sorted({getattr(record, level) for _, record in self.records(edition)})
        wanted = normalize(text)
        exact = [name for name in names if normalize(name) == wanted]
        if exact:
            return exact[0]
        if level == "region":
            self._explain_region(text, wanted, edition)
        return resolve(
            text,
            [(name, name, [name]) for name in names],
            kind=f"{level} in {edition}",
            hint=f"`ocindex list regions --year {edition}` lists them.",
        )

    def _explain_region(self, text: str, wanted: str, edition: int) -> None:
        """Refuse, with the way forward, a region name that is not one of `edition`'s but is
        a continent ("europe") or another edition's region ("central america" in 2023)."""
        shown = text[:60]
        continents = {normalize(r.continent): r.continent for _, r in self.records(edition)}
        if wanted in continents:
            name = continents[wanted]
            raise UsageError(
                f"{name} is a continent, not a region of {edition}",
                f"Try --continent {name!r} (`ocindex list regions --continent {name}` lists its "
                "regions).",
            )
        for other in self.editions:
            if other == edition:
                continue
            members = [c for c, r in self.records(other) if normalize(r.region) == wanted]
            if not members:
                continue
            region = next(r.region for c, r in self.records(other) if c is members[0])
            holders: dict[str, int] = {}
            for country in members:
                record = country.records.get(edition)
                if record is not None:
                    holders[record.region] = holders.get(record.region, 0) + 1
            where = "; ".join(
                f"{name!r} ({n} of them)" if len(holders) > 1 else repr(name)
                for name, n in sorted(holders.items(), key=lambda kv: -kv[1])
            )
            first = next(iter(sorted(holders, key=lambda k: -holders[k])), None)
            raise UsageError(
                f"{edition} has no region {shown!r}: {region!r} is a region of {other}",
                f"In {edition} its {len(members)} countries are in {where}"
                + (f"; try --region {first!r} --year {edition}." if first else "."),
            )

    # -- records and ranks ----------------------------------------------------------------

    def records(self, edition: int) -> list[tuple[Country, EditionRecord]]:
        """Every country assessed in `edition`, with its record."""
        return [(c, c.records[edition]) for c in self.countries if edition in c.records]

    def record(self, country: Country, edition: int) -> EditionRecord:
        if edition not in country.records:
            source = self.manifest.editions.get(edition)
            covers = f"The {edition} source covers {source.countries} countries. " if source else ""
            raise NotFoundError(
                f"{country.name} has no {edition} scores",
                f"{covers}Editions with data: "
                + ", ".join(str(y) for y in sorted(country.records)),
            )
        return country.records[edition]

    def scope_members(
        self, edition: int, scope: str, record: EditionRecord
    ) -> list[tuple[Country, EditionRecord]]:
        """The countries of `edition` in the same scope as `record` (global, continent, region)."""
        everyone = self.records(edition)
        if scope == "global":
            return everyone
        return [(c, r) for c, r in everyone if getattr(r, scope) == getattr(record, scope)]

    def _sorted_column(self, edition: int, key: str) -> list[int]:
        """Every score of `key` in `edition`, in hundredths, sorted (cached)."""
        columns = self.__dict__.setdefault("_columns", {})
        if edition not in columns:
            records = [r for _, r in self.records(edition)]
            layouts = {id(r.scores.layout) for r in records if isinstance(r.scores, Scores)}
            if len(layouts) == 1 and all(isinstance(r.scores, Scores) for r in records):
                # One layout: transpose the decoded records in C.
                layout = records[0].scores.layout  # type: ignore[attr-defined]
                rows = [r.scores.decoded() for r in records]  # type: ignore[attr-defined]
                by_position = list(zip(*rows, strict=True))
                table = {k: list(by_position[i]) for k, i in layout.items()}
            else:
                table = {}
                for record in records:
                    for k, v in record.scores.items():
                        table.setdefault(k, []).append(round(v * 100))
            columns[edition] = {k: sorted(v) for k, v in table.items()}
        found: list[int] = columns[edition][key]
        return found

    def global_position(self, country: Country, key: str, edition: int) -> RankPosition:
        """`position(..., "global")`, from a sorted column: cheap for many keys."""
        column = self._sorted_column(edition, key)
        mine = round(self.record(country, edition).scores[key] * 100)
        better = len(column) - bisect.bisect_right(column, mine)
        return RankPosition("global", "the world", 1 + better, len(column))

    def _find(self, country: Country, key: str, edition: int, scope: str) -> RankPosition:
        if scope == "global":
            return self.global_position(country, key, edition)
        return self.position(country, key, edition, scope)

    def position(self, country: Country, key: str, edition: int, scope: str) -> RankPosition:
        """Where `country` ranks on `key` in `edition` within `scope`, highest score first."""
        record = self.record(country, edition)
        members = self.scope_members(edition, scope, record)
        # Competition rank: 1 + how many score strictly higher (ties share the best rank).
        mine = record.scores[key]
        better = sum(1 for _, r in members if r.scores[key] > mine)
        name = "the world" if scope == "global" else getattr(record, scope)
        return RankPosition(scope, name, 1 + better, len(members))

    def positions(
        self, country: Country, key: str, edition: int, scopes: tuple[str, ...] = SCOPES
    ) -> dict[str, RankPosition]:
        """The positions of `country` on `key` in each scope, with the previous edition's
        rank and the rank change (previous - current) where there is one."""
        found = {}
        previous = self.previous_edition(edition)
        before = country.records.get(previous) if previous is not None else None
        for scope in scopes:
            now = self._find(country, key, edition, scope)
            if previous is not None and before is not None and key in before.scores:
                then = self._find(country, key, previous, scope)
                same = then.scope_name == now.scope_name
                now = now._replace(
                    previous_rank=then.rank,
                    previous_of=then.of,
                    rank_change=then.rank - now.rank if same else None,
                )
            found[scope] = now
        return found
