"""The Python API: `ocindex.load()` returns an `Index`, the data with its questions.

`Index` is the data-and-lookup layer (`ocindex.lookup.Lookup`) plus one method per
question, each importing its question module (`ocindex.questions.*`) when called.
"""

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ocindex.indicators import Indicator
from ocindex.lookup import PILLAR_COMMANDS, Lookup
from ocindex.model import Country, RankPosition

if TYPE_CHECKING:
    from ocindex.views.comparison import ComparisonView
    from ocindex.views.movers import MoversView
    from ocindex.views.profile import ProfileView
    from ocindex.views.quadrant import QuadrantView
    from ocindex.views.ranking import RankingView
    from ocindex.views.search import SearchView
    from ocindex.views.stats import StatsView
    from ocindex.views.trend import TrendView
    from ocindex.views.verification import VerificationReport

__all__ = ["PILLAR_COMMANDS", "Index", "RankPosition", "load"]


class Index(Lookup):
    """Every country of a data directory, with its editions, lookups and questions."""

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
        from ocindex.lookup import require_assessed

        edition = self.edition(year)
        indicator = self._indicator(key)
        require_assessed(indicator, edition)
        return self.record(self._country(country), edition).scores[indicator.key]

    def profile(
        self, country: "str | Country", year: int | None = None, *, text: bool = False
    ) -> "ProfileView":
        """A country's profile: scores, rank context, changes (and narrative with `text`)."""
        from ocindex.questions.profile import profile

        return profile(self, self._country(country), self.edition(year), text=text)

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
        group: str | None = None,
        countries: "Iterable[str]" = (),
    ) -> "RankingView":
        """Countries ranked on one score, in the world, a continent or a region."""
        from ocindex.questions.ranking import rank

        return rank(
            self,
            self._indicator(indicator, pillar),
            self.edition(year),
            continent=continent,
            region=region,
            top=top,
            ascending=ascending,
            text=text,
            group=group,
            countries=list(countries),
        )

    def compare(
        self, countries: "Iterable[str | Country]", year: int | None = None
    ) -> "ComparisonView":
        """Every score of 2 to 10 countries side by side."""
        from ocindex.questions.comparison import compare

        return compare(self, [self._country(c) for c in countries], self.edition(year))

    def trend(
        self, country: "str | Country", indicators: "Iterable[str | Indicator]" = ()
    ) -> "TrendView":
        """A country's scores across editions, with the 2021 methodology break marked."""
        from ocindex.questions.trend import trend

        chosen = [self._indicator(i) for i in indicators]
        return trend(self, self._country(country), chosen)

    def search(
        self,
        query: str,
        year: int | None = None,
        countries: "Iterable[str | Country]" = (),
    ) -> "SearchView":
        """Profile paragraphs containing every word and "quoted phrase" of `query`."""
        from ocindex.questions.search import search

        edition = self.edition(year) if year is not None else None
        chosen = [self._country(c) for c in countries]
        return search(self, query, edition=edition, countries=chosen)

    def verify(
        self,
        countries: "Iterable[str | Country]" = (),
        year: int | None = None,
        *,
        explain: "Iterable[str | Country]" = (),
    ) -> "VerificationReport":
        """Recompute every composite, stated rank and stated score (all countries by default)."""
        from ocindex.questions.verification import verify

        chosen = list({c.iso3: c for c in map(self._country, countries)}.values())
        editions = [self.edition(year)] if year is not None else None
        explained = list({c.iso3: c for c in map(self._country, explain)}.values())
        return verify(self, chosen or None, editions, explain_countries=explained)

    def stats(
        self,
        indicators: "Iterable[str | Indicator]",
        year: int | None = None,
        *,
        by: str | None = None,
        continent: str | None = None,
        region: str | None = None,
        group: str | None = None,
        countries: "Iterable[str]" = (),
    ) -> "StatsView":
        """n, mean, median, min, max and spread of indicators, overall and per group."""
        from ocindex.questions.stats import stats

        return stats(
            self,
            [self._indicator(i) for i in indicators],
            self.edition(year),
            by=by,
            continent=continent,
            region=region,
            group=group,
            countries=list(countries),
        )

    def movers(
        self,
        indicator: "str | Indicator",
        start: int,
        end: int,
        *,
        top: int | None = None,
        falling: bool = False,
        like_for_like: bool = False,
        continent: str | None = None,
        region: str | None = None,
        group: str | None = None,
        countries: "Iterable[str]" = (),
    ) -> "MoversView":
        """Every country's change between two editions, biggest rise (or fall) first."""
        from ocindex.questions.movers import movers

        return movers(
            self,
            self._indicator(indicator),
            self.edition(start),
            self.edition(end),
            top=top,
            falling=falling,
            like_for_like=like_for_like,
            continent=continent,
            region=region,
            group=group,
            countries=list(countries),
        )

    def quadrant(
        self,
        year: int | None = None,
        *,
        since: int | None = None,
        continent: str | None = None,
        region: str | None = None,
        group: str | None = None,
        countries: "Iterable[str]" = (),
    ) -> "QuadrantView":
        """The report's vulnerability matrix: criminality against resilience at 5.50."""
        from ocindex.questions.quadrant import quadrant

        return quadrant(
            self,
            self.edition(year),
            since=since,
            continent=continent,
            region=region,
            group=group,
            countries=list(countries),
        )


def load(data_dir: Path | str | None = None) -> Index:
    """Load the shipped data (or a data directory of your own)."""
    return Index.load(Path(data_dir) if data_dir is not None else None)
