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
from ocindex.figures import competition_ranks
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

NOT_COVERED: dict[str, str] = {
    **dict.fromkeys(("taiwan", "twn", "tw", "republic of china", "chinese taipei"), "Taiwan"),
    **dict.fromkeys(("kosovo", "xkx", "xk"), "Kosovo"),
    **dict.fromkeys(
        ("palestine", "state of palestine", "pse", "ps", "west bank", "gaza", "gaza strip"),
        "Palestine",
    ),
    **dict.fromkeys(("western sahara", "esh", "eh", "sahrawi republic"), "Western Sahara"),
    **dict.fromkeys(("vatican", "vatican city", "holy see", "vat", "va"), "the Holy See"),
    **dict.fromkeys(("hong kong", "hkg", "hk"), "Hong Kong"),
    **dict.fromkeys(("macau", "macao", "mac", "mo"), "Macao"),
    **dict.fromkeys(("puerto rico", "pri", "pr"), "Puerto Rico"),
    **dict.fromkeys(("greenland", "grl", "gl"), "Greenland"),
    **dict.fromkeys(("somaliland",), "Somaliland"),
    **dict.fromkeys(("northern cyprus",), "Northern Cyprus"),
    **dict.fromkeys(("transnistria",), "Transnistria"),
    **dict.fromkeys(("abkhazia",), "Abkhazia"),
    **dict.fromkeys(("south ossetia",), "South Ossetia"),
    **dict.fromkeys(("new caledonia", "ncl"), "New Caledonia"),
    **dict.fromkeys(("french guiana", "guf"), "French Guiana"),
}
"""Places people look up that the index does not assess (it covers the 193 UN member
states), by folded name or code, with the name to say they are not covered."""

INDICATOR_GROUPS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        ("drug", "drugs", "narcotics"),
        ("heroin_trade", "cocaine_trade", "cannabis_trade", "synthetic_drug_trade"),
    ),
    **dict.fromkeys(
        ("environment", "environmental"),
        ("flora_crimes", "fauna_crimes", "non_renewable_resource_crimes"),
    ),
    **dict.fromkeys(("people",), ("human_trafficking", "human_smuggling")),
}
"""Words naming a group of indicators (the profiles' sub-headings): always ambiguous,
never silently one of them ("drug" is not just the synthetic drug trade)."""

MAX_NAME_WORDS = 6
"""The most words an unquoted country name spans ("St. Vincent and the Grenadines")."""


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
        self.notes: tuple[str, ...] = ()
        """What loading had to tidy (an interrupted import), one line each."""
        self._rank_cache: dict[tuple[int, str, str, str], tuple[dict[str, int], int]] = {}

    @classmethod
    def load(
        cls: type[L],
        data_dir: Path | None = None,
        *,
        use_cache: bool = True,
    ) -> L:
        """Load a data directory (default: `$OCINDEX_DATA_DIR`, else the user data folder
        once an import filled it, else the shipped data)."""
        directory = data_dir or store.default_data_dir()
        loaded = store.load(directory, use_cache=use_cache)
        # A compiled index lists its countries in reading order already.
        index = cls(loaded.manifest, loaded.countries, directory, loaded.names, presorted=True)
        index.notes = loaded.notes
        return index

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
        """Each country with its names, codes and aliases folded once (`normalize`)."""
        return [
            (
                c,
                c.name,
                list(dict.fromkeys(map(normalize, (c.name, c.iso3, c.iso2, c.slug, *c.aliases)))),
            )
            for c in self.countries
        ]

    @cached_property
    def _exact_names(self) -> dict[str, list[str]]:
        """Folded name, code, slug or alias -> ISO3 codes, folded once per index."""
        if self._names is not None:
            return self._names
        names: dict[str, list[str]] = {}
        for country, _, forms in self._country_choices:
            for form in forms:
                codes = names.setdefault(normalize(form), [])
                if country.iso3 not in codes:
                    codes.append(country.iso3)
        return names

    def country(self, text: str) -> Country:
        """The country `text` names: a name, ISO3/ISO2 code, slug or alias."""
        if len(text) <= 200:
            folded = normalize(text)
            exact = self._exact_names.get(folded, [])
            if len(exact) == 1 and exact[0] in self.by_iso3:
                return self.by_iso3[exact[0]]
            outside = NOT_COVERED.get(folded)
            if outside is not None and not exact:
                raise NotFoundError(
                    f"{outside} is not covered by the Global Organized Crime Index, "
                    "which assesses the 193 UN member states",
                    "`ocindex list countries` lists them all.",
                )
        return resolve(
            text,
            self._country_choices,
            kind="country",
            hint="Try a name or ISO code; `ocindex list countries` lists them all.",
            prefolded=True,
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
        grouped = INDICATOR_GROUPS.get(normalize(text[:60]))
        if grouped is not None and any(BY_KEY[key] in candidates for key in grouped):
            keys = [key for key in grouped if BY_KEY[key] in candidates]
            raise AmbiguousError(
                f"indicator{where} {text[:60]!r} is ambiguous: it could be "
                + ", ".join(f"'{key}'" for key in keys[:-1])
                + f" or '{keys[-1]}'",
                keys,
                hint,
            )
        try:
            return resolve(text, choices, kind=f"indicator{where}", hint=hint)
        except NotFoundError as unknown:
            if pillar is None:
                raise
            try:  # named an indicator of another pillar? say which command ranks it
                other = self.indicator(text)
            except (NotFoundError, AmbiguousError):
                raise unknown from None  # with its "did you mean", if any
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

    def _country_of(self, country: "str | Country") -> Country:
        return country if isinstance(country, Country) else self.country(country)

    def record(self, country: "str | Country", edition: int | None = None) -> EditionRecord:
        """A country's record (region, scores) in `edition` (default: the default edition)."""
        country = self._country_of(country)
        edition = self.edition(edition)
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

    def position(
        self,
        country: "str | Country",
        key: "str | Indicator",
        edition: int | None = None,
        scope: str = "global",
    ) -> RankPosition:
        """Where `country` ranks on `key` in `edition` within `scope` (global, continent or
        region), highest score first (competition ranks: ties share the best rank)."""
        if scope not in SCOPES:
            raise UsageError(f"unknown scope {scope!r}: one of {', '.join(SCOPES)}")
        country = self._country_of(country)
        edition = self.edition(edition)
        key = key.key if isinstance(key, Indicator) else self.indicator(key).key
        record = self.record(country, edition)
        name = "the world" if scope == "global" else getattr(record, scope)
        # Ranked once per edition, score and scope: verifying every stated rank of every
        # profile stays linear (one ranking per scope, not one per rank asked for).
        cache_key = (edition, key, scope, name)
        cached = self._rank_cache.get(cache_key)
        if cached is None:
            members = self.scope_members(edition, scope, record)
            ranks = competition_ranks({c.iso3: r.scores[key] for c, r in members})
            cached = self._rank_cache[cache_key] = (ranks, len(members))
        return RankPosition(scope, name, cached[0][country.iso3], cached[1])

    def positions(
        self,
        country: "str | Country",
        key: "str | Indicator",
        edition: int | None = None,
        scopes: tuple[str, ...] = SCOPES,
    ) -> dict[str, RankPosition]:
        """The positions of `country` on `key` in each scope, with the previous edition's
        rank and the rank change (previous - current) where there is one."""
        country = self._country_of(country)
        edition = self.edition(edition)
        key = key.key if isinstance(key, Indicator) else self.indicator(key).key
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

    def countries_from_words(self, words: "Iterable[str | Country]") -> list[Country]:
        """Countries from command-line words, joining unquoted multi-word names.

        `guinea bissau mali` is Guinea-Bissau and Mali, `equatorial guinea gabon` Equatorial
        Guinea and Gabon: consecutive words that together are exactly a country's name or
        alias are one country (the longest such run wins). Anything else resolves word by
        word, as typed.
        """
        items = list(words)
        out: list[Country] = []
        position = 0
        while position < len(items):
            item = items[position]
            if isinstance(item, Country):
                out.append(item)
                position += 1
                continue
            joined: Country | None = None
            end = position + 1
            for stop in range(min(len(items), position + MAX_NAME_WORDS), position + 1, -1):
                run = items[position:stop]
                if not all(isinstance(word, str) and word.strip() for word in run):
                    continue
                text = " ".join(str(word) for word in run)
                codes = self._exact_names.get(normalize(text), [])
                if len(codes) == 1 and codes[0] in self.by_iso3:
                    joined, end = self.by_iso3[codes[0]], stop
                    break
            out.append(joined if joined is not None else self.country(item))
            position = end
        return out

    # -- the Python API: what the CLI calls ---------------------------------------------
    # Each accepts names as people type them ("mali", "CIV", "cocaine") or resolved
    # objects, and an edition year or None for the default edition.
