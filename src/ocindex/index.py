"""The loaded index: countries, editions and lookups. Pure: it never prints."""

from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ocindex import store
from ocindex.errors import AmbiguousError, NotFoundError, UsageError
from ocindex.figures import competition_ranks
from ocindex.indicators import ALL, BY_KEY, PILLAR_INDICATORS, QUICK_INDICATORS, Indicator
from ocindex.model import SCOPES, Country, EditionRecord, EditionSource, Manifest
from ocindex.resolve import normalize, resolve

if TYPE_CHECKING:
    from ocindex.views.comparison import ComparisonView
    from ocindex.views.profile import ProfileView
    from ocindex.views.ranking import RankingView
    from ocindex.views.search import SearchView
    from ocindex.views.trend import TrendView
    from ocindex.views.verification import VerificationReport


PILLAR_COMMANDS = {
    "criminal_markets": "market",
    "criminal_actors": "actor",
    "resilience": "resilience",
}
"""The command that ranks each pillar's indicators."""


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


class RankPosition(NamedTuple):
    """A country's place for one score in one scope: `rank` of `of` in `scope_name`."""

    scope: str
    scope_name: str
    rank: int
    of: int


class Index:
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
        self.notes: tuple[str, ...] = ()
        """What loading had to tidy (an interrupted import), one line each."""
        """Folded name, code or alias -> ISO3 codes (from the compiled index)."""
        self._rank_cache: dict[tuple[int, str, str, str], tuple[dict[str, int], int]] = {}

    @classmethod
    def load(cls, data_dir: Path | None = None, *, use_cache: bool = True) -> "Index":
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

    def record(self, country: "str | Country", edition: int | None = None) -> EditionRecord:
        """A country's record (region, scores) in `edition` (default: the default edition)."""
        country = self._country(country)
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

    def position(
        self,
        country: "str | Country",
        key: "str | Indicator",
        edition: int | None = None,
        scope: str = "global",
    ) -> RankPosition:
        """Where `country` ranks on `key` in `edition` within `scope` (global, continent or
        region), highest score first."""
        if scope not in SCOPES:
            raise UsageError(f"unknown scope {scope!r}: one of {', '.join(SCOPES)}")
        country = self._country(country)
        edition = self.edition(edition)
        key = self._indicator(key).key if not isinstance(key, str) or key not in BY_KEY else key
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
        self, country: "str | Country", key: "str | Indicator", edition: int | None = None
    ) -> dict[str, RankPosition]:
        """`position` in every scope: global, continent, region."""
        return {scope: self.position(country, key, edition, scope) for scope in SCOPES}

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

    def _country(self, country: "str | Country") -> Country:
        return country if isinstance(country, Country) else self.country(country)

    def _indicator(self, indicator: "str | Indicator", pillar: str | None = None) -> Indicator:
        return indicator if isinstance(indicator, Indicator) else self.indicator(indicator, pillar)

    def score(
        self, country: "str | Country", key: "str | Indicator", year: int | None = None
    ) -> float:
        """One published score: `index.score("mali", "cocaine", 2023)` -> 6.0."""
        from ocindex.core import require_assessed

        edition = self.edition(year)
        indicator = self._indicator(key)
        require_assessed(indicator, edition)
        return self.record(self._country(country), edition).scores[indicator.key]

    def profile(
        self, country: "str | Country", year: int | None = None, *, text: bool = False
    ) -> "ProfileView":
        """A country's profile: scores, rank context, changes (and narrative with `text`)."""
        from ocindex import core

        return core.profile(self, self._country(country), self.edition(year), text=text)

    def rank(
        self,
        indicator: "str | Indicator",
        year: int | None = None,
        *,
        pillar: str | None = None,
        continent: str | None = None,
        region: str | None = None,
        top: int | None = None,
        ascending: bool = False,
        text: bool = False,
    ) -> "RankingView":
        """Countries ranked on one score, in the world, a continent or a region."""
        from ocindex import core

        return core.rank(
            self,
            self._indicator(indicator, pillar),
            self.edition(year),
            continent=continent,
            region=region,
            top=top,
            ascending=ascending,
            text=text,
        )

    def compare(
        self, countries: "Iterable[str | Country]", year: int | None = None
    ) -> "ComparisonView":
        """Every score of 2 to 10 countries side by side."""
        from ocindex import core

        return core.compare(self, self.countries_from_words(countries), self.edition(year))

    def trend(
        self, country: "str | Country", indicators: "Iterable[str | Indicator]" = ()
    ) -> "TrendView":
        """A country's scores across editions, with the 2021 methodology break marked."""
        from ocindex import core

        chosen = [self._indicator(i) for i in indicators]
        return core.trend(self, self._country(country), chosen)

    def search(
        self,
        query: str,
        year: int | None = None,
        countries: "Iterable[str | Country]" = (),
    ) -> "SearchView":
        """Profile paragraphs containing every word and "quoted phrase" of `query`."""
        from ocindex import core

        edition = self.edition(year) if year is not None else None
        chosen = [self._country(c) for c in countries]
        return core.search(self, query, edition=edition, countries=chosen)

    def verify(
        self,
        countries: "Iterable[str | Country]" = (),
        year: int | None = None,
        *,
        explain: "Iterable[str | Country]" = (),
    ) -> "VerificationReport":
        """Recompute every composite, stated rank and stated score (all countries by default)."""
        from ocindex import core

        chosen = list({c.iso3: c for c in self.countries_from_words(countries)}.values())
        editions = [self.edition(year)] if year is not None else None
        explained = list({c.iso3: c for c in self.countries_from_words(explain)}.values())
        return core.verify(self, chosen or None, editions, explain_countries=explained)

    # -- the whole index as a data frame ------------------------------------------------

    def to_pandas(self, wide: bool = False, years: "Iterable[int] | None" = None) -> Any:
        """The whole index as a pandas DataFrame, with the columns of `ocindex export`
        (long by default; `wide=True`: one row per country and edition). Needs the
        `ocindex[pandas]` extra; `frame.attrs["source"]` lists each edition's source."""
        from ocindex import export

        return export.to_pandas(export.table(self, list(years or ()), wide=wide))

    def to_polars(self, wide: bool = False, years: "Iterable[int] | None" = None) -> Any:
        """The whole index as a polars DataFrame (needs the `ocindex[polars]` extra); the
        same columns and dtypes as `to_pandas`. Its sources: `index.export_sources()`."""
        from ocindex import export

        return export.to_polars(export.table(self, list(years or ()), wide=wide))

    def export_sources(self, years: "Iterable[int] | None" = None) -> list[dict[str, Any]]:
        """Each exported edition's source (edition, file, sheet, SHA-256, coverage)."""
        from ocindex.export import choose_editions
        from ocindex.views import source_json

        return [source_json(self.source(e)) for e in choose_editions(self, list(years or ()))]


def load(data_dir: Path | str | None = None) -> Index:
    """Load the shipped data (or a data directory of your own)."""
    return Index.load(Path(data_dir) if data_dir is not None else None)
