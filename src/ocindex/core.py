"""The questions the tool answers, as pure functions from an Index to a view."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from ocindex.arithmetic import as_published, composites, exact, mean, round_half_up
from ocindex.index import SCOPES, Index
from ocindex.indicators import (
    ACTORS,
    BY_KEY,
    CRIMINALITY,
    MARKETS,
    METHODOLOGY_BREAK,
    PILLARS,
    RANKED_COMPOSITES,
    RESILIENCE,
    assessed,
)
from ocindex.model import Country, EditionRecord
from ocindex.views import (
    Change,
    Discrepancy,
    ExplainStep,
    Explanation,
    PillarBlock,
    ProfileView,
    ScoreLine,
    VerificationReport,
)

COMPOSITE_KEYS = (CRIMINALITY, MARKETS, ACTORS, RESILIENCE)


def comparable(key: str, edition: int, previous: int) -> bool:
    """Whether `key` means the same thing in both editions.

    Criminality and the two criminality pillars average more indicators from 2023 on,
    so their change across the 2021 methodology break is not like for like.
    """
    crosses_break = previous < METHODOLOGY_BREAK <= edition
    return not (crosses_break and key in (CRIMINALITY, MARKETS, ACTORS))


def change(index: Index, country: Country, key: str, edition: int) -> Change | None:
    """The change of `key` since the edition before `edition`, if there is one."""
    previous = index.previous_edition(edition)
    if previous is None:
        return None
    before = country.records.get(previous)
    old = before.scores.get(key) if before else None
    now = country.records[edition].scores[key]
    delta = None if old is None else float(round_half_up(exact(now) - exact(old)))
    return Change(previous, old, delta, comparable(key, edition, previous))


def profile(index: Index, country: Country, edition: int, *, text: bool = False) -> ProfileView:
    """A country's profile: headline scores with rank context, pillars, changes, text."""
    record = index.record(country, edition)

    def line(key: str) -> ScoreLine:
        return ScoreLine(BY_KEY[key], record.scores[key], change(index, country, key, edition))

    document = country.documents.get(edition)
    return ProfileView(
        country=country,
        edition=edition,
        continent=record.continent,
        region=record.region,
        headline=(line(CRIMINALITY), line(RESILIENCE)),
        ranks={key: index.positions(country, key, edition) for key in RANKED_COMPOSITES},
        pillars=tuple(
            PillarBlock(
                BY_KEY[pillar],
                line(pillar),
                tuple(line(item.key) for item in assessed(pillar, edition)),
            )
            for pillar in PILLARS
        ),
        narrative=(document.narrative if document else ()) if text else None,
        text_editions=tuple(sorted(country.documents)),
        source=index.source(edition),
        document=document.document if document else None,
    )


# -- verification ------------------------------------------------------------------------


def _fmt(value: Fraction) -> str:
    """An exact value for people: 97/15 = 6.466666…"""
    if value.denominator == 1:
        return str(value.numerator)
    decimal = f"{float(value):.6f}".rstrip("0")
    return decimal if exact(decimal) == value else f"{decimal}…"


def verify_record(country: Country, record: EditionRecord) -> list[Discrepancy]:
    """Composites of one country-edition recomputed from unrounded components."""
    found = []
    for key, value in composites(record.scores, record.edition).items():
        recomputed = as_published(value)
        if exact(recomputed) != exact(record.scores[key]):
            found.append(
                Discrepancy(
                    country.iso3,
                    country.name,
                    record.edition,
                    key,
                    f"{record.scores[key]:.2f}",
                    f"{recomputed:.2f}",
                )
            )
    return found


def explain(country: Country, record: EditionRecord) -> Explanation:
    """The arithmetic of one country-edition, step by step."""
    edition = record.edition
    scores = record.scores
    unrounded = composites(scores, edition)
    steps = []
    for pillar in (MARKETS, ACTORS, RESILIENCE):
        items = assessed(pillar, edition)
        total = sum((exact(scores[i.key]) for i in items), Fraction(0))
        value = unrounded[pillar]
        rounded = round_half_up(value)
        steps.append(
            ExplainStep(
                BY_KEY[pillar].name,
                f"{_fmt(total)} / {len(items)} indicators",
                _fmt(value),
                str(rounded),
                f"{scores[pillar]:.2f}",
                exact(rounded) == exact(scores[pillar]),
            )
        )
    value = unrounded[CRIMINALITY]
    rounded = round_half_up(value)
    steps.append(
        ExplainStep(
            "Criminality",
            f"({_fmt(unrounded[MARKETS])} + {_fmt(unrounded[ACTORS])}) / 2, unrounded pillars",
            _fmt(value),
            str(rounded),
            f"{scores[CRIMINALITY]:.2f}",
            exact(rounded) == exact(scores[CRIMINALITY]),
        )
    )
    shortcut = mean(
        [exact(round_half_up(unrounded[MARKETS])), exact(round_half_up(unrounded[ACTORS]))]
    )
    shortcut_rounded = round_half_up(shortcut)
    notes = [
        "Each composite is rounded once, half up, to two decimals, from unrounded components.",
    ]
    if shortcut_rounded != rounded:
        notes.append(
            f"Averaging the rounded pillars instead, ({round_half_up(unrounded[MARKETS])} + "
            f"{round_half_up(unrounded[ACTORS])}) / 2 = {_fmt(shortcut)} → {shortcut_rounded}, "
            f"would give {shortcut_rounded}, not the published {rounded}: the shortcut is wrong."
        )
    else:
        notes.append(
            f"Averaging the rounded pillars happens to give the same {rounded} here "
            f"({_fmt(shortcut)} → {shortcut_rounded})."
        )
    if edition < METHODOLOGY_BREAK:
        notes.append(
            f"{edition} assessed {len(assessed(MARKETS, edition))} markets and "
            f"{len(assessed(ACTORS, edition))} actor types; later editions assess "
            f"{len(assessed(MARKETS, METHODOLOGY_BREAK))} and "
            f"{len(assessed(ACTORS, METHODOLOGY_BREAK))}."
        )
    return Explanation(country, edition, tuple(steps), tuple(notes))


def verify(
    index: Index,
    countries: Sequence[Country] | None = None,
    editions: Sequence[int] | None = None,
    *,
    explain_countries: Sequence[Country] = (),
) -> VerificationReport:
    """Recompute every composite, stated rank and stated score; list what disagrees."""
    chosen = list(countries) if countries else list(index.countries)
    years = tuple(editions) if editions else index.editions
    discrepancies: list[Discrepancy] = []
    checked_composites = checked_ranks = checked_scores = 0
    for country in chosen:
        for year in years:
            record = country.records.get(year)
            if record is None:
                continue
            checked_composites += len(COMPOSITE_KEYS)
            discrepancies.extend(verify_record(country, record))
            document = country.documents.get(year)
            if document is None:
                continue
            for key, stated in document.stated_scores.items():
                checked_scores += 1
                published = record.scores.get(key)
                if published is None or exact(published) != exact(stated):
                    discrepancies.append(
                        Discrepancy(
                            country.iso3,
                            country.name,
                            year,
                            f"{key} as the profile states it",
                            f"{stated:.2f}",
                            "not in data" if published is None else f"{published:.2f}",
                        )
                    )
            for key, scopes in document.stated_ranks.items():
                for scope, stated_rank in scopes.items():
                    checked_ranks += 1
                    pos = index.position(country, key, year, scope)
                    if (pos.rank, pos.of) != (stated_rank.rank, stated_rank.of):
                        discrepancies.append(
                            Discrepancy(
                                country.iso3,
                                country.name,
                                year,
                                f"{key} rank ({scope})",
                                f"{stated_rank.rank} of {stated_rank.of}",
                                f"{pos.rank} of {pos.of}",
                            )
                        )
    explanations = tuple(
        explain(country, country.records[year])
        for country in explain_countries
        for year in years
        if year in country.records
    )
    return VerificationReport(
        countries=sum(1 for c in chosen if any(y in c.records for y in years)),
        editions=years,
        composites=checked_composites,
        stated_ranks=checked_ranks,
        stated_scores=checked_scores,
        discrepancies=tuple(discrepancies),
        explanations=explanations,
    )


__all__ = ["SCOPES", "change", "comparable", "explain", "profile", "verify", "verify_record"]
