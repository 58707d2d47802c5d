"""The index's indicators: keys, official names, pillars and the editions that assess them.

Keys are the snake_case of the official names and form part of the scripting
contract. The order of each pillar is the order of the official profiles.
"""

import functools
import re
from typing import NamedTuple

EDITIONS: tuple[int, ...] = (2021, 2023, 2025)
LAST_YEAR = 2099


def edition_allowed(year: int) -> bool:
    """An edition the data may hold: a known one, or a later one (the next edition, with the
    same methodology). No edition of the index fell between or before the known ones."""
    return year in EDITIONS or EDITIONS[-1] < year <= LAST_YEAR


"""Every edition this version of the tool knows the methodology of."""

METHODOLOGY_BREAK = 2023
"""From 2023 on, five more markets and one more actor type are assessed."""

MARKETS = "criminal_markets"
ACTORS = "criminal_actors"
RESILIENCE = "resilience"
CRIMINALITY = "criminality"
PILLARS: tuple[str, ...] = (MARKETS, ACTORS, RESILIENCE)


class Indicator(NamedTuple):
    """One scored item of the index: an indicator or a composite average."""

    key: str
    name: str
    pillar: str
    """`criminal_markets`, `criminal_actors`, `resilience`, or `composite`."""
    since: int = EDITIONS[0]
    short_forms: tuple[str, ...] = ()

    @property
    def is_composite(self) -> bool:
        return self.pillar == "composite"

    def assessed_in(self, edition: int) -> bool:
        return edition >= self.since


def snake_case(text: str) -> str:
    """`Non-renewable resource crimes` -> `non_renewable_resource_crimes`."""
    return re.sub(r"[^0-9a-z]+", "_", text.lower()).strip("_")


def _indicator(name: str, pillar: str, since: int = 2021, *short: str) -> Indicator:
    return Indicator(snake_case(name), name, pillar, since, short)


MARKET_INDICATORS: tuple[Indicator, ...] = (
    _indicator("Human trafficking", MARKETS, 2021),
    _indicator("Human smuggling", MARKETS, 2021, "smuggling"),
    _indicator("Extortion and protection racketeering", MARKETS, 2023, "extortion", "racketeering"),
    _indicator("Arms trafficking", MARKETS, 2021, "arms", "weapons"),
    _indicator("Trade in counterfeit goods", MARKETS, 2023, "counterfeit", "counterfeits"),
    _indicator("Illicit trade in excisable goods", MARKETS, 2023, "excisable", "excise"),
    _indicator("Flora crimes", MARKETS, 2021, "flora"),
    _indicator("Fauna crimes", MARKETS, 2021, "fauna", "wildlife"),
    _indicator(
        "Non-renewable resource crimes", MARKETS, 2021, "non-renewable", "nonrenewable", "mining"
    ),
    _indicator("Heroin trade", MARKETS, 2021, "heroin"),
    _indicator("Cocaine trade", MARKETS, 2021, "cocaine"),
    _indicator("Cannabis trade", MARKETS, 2021, "cannabis"),
    _indicator("Synthetic drug trade", MARKETS, 2021, "synthetic", "synthetics"),
    _indicator("Cyber-dependent crimes", MARKETS, 2023, "cyber", "cybercrime"),
    _indicator("Financial crimes", MARKETS, 2023, "financial"),
)

ACTOR_INDICATORS: tuple[Indicator, ...] = (
    _indicator("Mafia-style groups", ACTORS, 2021, "mafia"),
    _indicator("Criminal networks", ACTORS, 2021, "networks"),
    _indicator("State-embedded actors", ACTORS, 2021, "state-embedded"),
    _indicator("Foreign actors", ACTORS, 2021, "foreign"),
    _indicator("Private sector actors", ACTORS, 2023, "private-sector", "private"),
)

RESILIENCE_INDICATORS: tuple[Indicator, ...] = (
    _indicator("Political leadership and governance", RESILIENCE, 2021, "leadership"),
    _indicator("Government transparency and accountability", RESILIENCE, 2021, "transparency"),
    _indicator("International cooperation", RESILIENCE, 2021, "cooperation"),
    _indicator("National policies and laws", RESILIENCE, 2021, "policies", "laws"),
    _indicator("Judicial system and detention", RESILIENCE, 2021, "judicial", "detention"),
    _indicator("Law enforcement", RESILIENCE, 2021, "police"),
    _indicator("Territorial integrity", RESILIENCE, 2021, "territorial"),
    _indicator("Anti-money laundering", RESILIENCE, 2021, "aml", "money-laundering"),
    _indicator("Economic regulatory capacity", RESILIENCE, 2021, "economic", "regulatory"),
    _indicator("Victim and witness support", RESILIENCE, 2021, "victim", "witness"),
    _indicator("Prevention", RESILIENCE, 2021),
    _indicator("Non-state actors", RESILIENCE, 2021, "non-state", "civil-society"),
)

COMPOSITES: tuple[Indicator, ...] = (
    Indicator(CRIMINALITY, "Criminality", "composite"),
    Indicator(MARKETS, "Criminal markets", "composite", short_forms=("markets",)),
    Indicator(ACTORS, "Criminal actors", "composite", short_forms=("actors",)),
    Indicator(RESILIENCE, "Resilience", "composite"),
)

PILLAR_INDICATORS: dict[str, tuple[Indicator, ...]] = {
    MARKETS: MARKET_INDICATORS,
    ACTORS: ACTOR_INDICATORS,
    RESILIENCE: RESILIENCE_INDICATORS,
}

INDICATORS: tuple[Indicator, ...] = MARKET_INDICATORS + ACTOR_INDICATORS + RESILIENCE_INDICATORS
"""Every indicator, in profile order (composites excluded)."""

ALL: tuple[Indicator, ...] = COMPOSITES + INDICATORS
BY_KEY: dict[str, Indicator] = {item.key: item for item in ALL}

RANKED_COMPOSITES: tuple[str, ...] = (CRIMINALITY, RESILIENCE)
"""The two headline scores whose ranks the profiles state."""


@functools.cache
def assessed(pillar: str, edition: int) -> tuple[Indicator, ...]:
    """The indicators of `pillar` that `edition` assesses, in profile order."""
    return tuple(item for item in PILLAR_INDICATORS[pillar] if item.assessed_in(edition))


@functools.cache
def score_keys(edition: int) -> tuple[str, ...]:
    """Every key a complete record of `edition` holds: composites, then indicators."""
    return tuple(item.key for item in ALL if item.assessed_in(edition))


def pillar_label(pillar: str) -> str:
    return BY_KEY[pillar].name if pillar in BY_KEY else pillar


QUICK_INDICATORS: dict[str, Indicator] = {
    form.replace("-", " ").replace("_", " "): item
    for item in ALL
    for form in (item.key, *item.short_forms)
}
"""Keys and short forms as typed (any case, `-`/`_`/space alike), for the common case."""
