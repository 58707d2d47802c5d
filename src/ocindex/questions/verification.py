"""`ocindex verify-scores`: every composite, stated rank and stated score recomputed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ocindex.figures import hundredths, published_composites
from ocindex.indicators import (
    ACTORS,
    BY_KEY,
    CRIMINALITY,
    MARKETS,
    METHODOLOGY_BREAK,
    RESILIENCE,
    assessed,
)
from ocindex.lookup import Lookup
from ocindex.model import Country, EditionRecord
from ocindex.questions.common import COMPOSITE_KEYS

if TYPE_CHECKING:
    from fractions import Fraction

    from ocindex.views.verification import Discrepancy, Explanation, VerificationReport


def _fmt(value: Fraction) -> str:
    """An exact value for people: 97/15 = 6.466666…"""
    from ocindex.arithmetic import exact

    if value.denominator == 1:
        return str(value.numerator)
    decimal = f"{float(value):.6f}".rstrip("0")
    return decimal if exact(decimal) == value else f"{decimal}…"


def verify_record(country: Country, record: EditionRecord) -> list[Discrepancy]:
    """Composites of one country-edition recomputed from unrounded components."""
    from ocindex.views.verification import Discrepancy

    found = []
    for key, recomputed in published_composites(record.scores, record.edition).items():
        if hundredths(recomputed) != hundredths(record.scores[key]):
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
    from fractions import Fraction

    from ocindex.arithmetic import composites, exact, mean, round_half_up
    from ocindex.views.verification import ExplainStep, Explanation

    edition = record.edition
    scores = record.scores
    unrounded = composites(scores, edition)

    def step(key: str, formula: str) -> ExplainStep:
        value = unrounded[key]
        rounded = round_half_up(value)
        published = scores[key]
        return ExplainStep(
            BY_KEY[key].name,
            formula,
            _fmt(value),
            str(value),
            str(rounded),
            f"{published:.2f}",
            exact(rounded) == exact(published),
        )

    steps = []
    for pillar in (MARKETS, ACTORS, RESILIENCE):
        items = assessed(pillar, edition)
        total = sum((exact(scores[i.key]) for i in items), Fraction(0))
        steps.append(step(pillar, f"{_fmt(total)} / {len(items)} indicators"))
    steps.append(
        step(
            CRIMINALITY,
            f"({_fmt(unrounded[MARKETS])} + {_fmt(unrounded[ACTORS])}) / 2, unrounded pillars",
        )
    )
    rounded = round_half_up(unrounded[CRIMINALITY])
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
            f"would give {shortcut_rounded}, not the published {scores[CRIMINALITY]:.2f}: "
            "the shortcut is wrong."
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
    notes.extend(change_notes(country, record))
    return Explanation(country, edition, tuple(steps), tuple(notes))


def change_notes(country: Country, record: EditionRecord) -> list[str]:
    """The change of each composite since the previous edition, as ocindex.net computes
    it (from unrounded composites), beside the difference of the rounded figures."""
    from ocindex.arithmetic import composites, round_hundredths_signed

    earlier = [year for year in country.records if year < record.edition]
    if not earlier:
        return []
    previous = country.records[max(earlier)]
    now = composites(record.scores, record.edition)
    then = composites(previous.scores, previous.edition)
    notes = []
    for key in (CRIMINALITY, MARKETS, ACTORS, RESILIENCE):
        exact_change = now[key] - then[key]
        site = round_hundredths_signed(exact_change)
        naive = (round(record.scores[key] * 100) - round(previous.scores[key] * 100)) / 100
        differs = (
            ""
            if float(site) == naive
            else (
                f"; the rounded figures would give {record.scores[key]:.2f} - "
                f"{previous.scores[key]:.2f} = {naive:+.2f}"
            )
        )
        notes.append(
            f"Change of {BY_KEY[key].name.lower()} since {previous.edition}, from unrounded "
            f"composites (as ocindex.net): {_fmt(now[key])} - {_fmt(then[key])} = "
            f"{_fmt(exact_change)} -> {float(site):+.2f}{differs}.".replace("+0.00", "0.00")
        )
    return notes


def verify(
    index: Lookup,
    countries: Sequence[Country] | None = None,
    editions: Sequence[int] | None = None,
    *,
    explain_countries: Sequence[Country] = (),
) -> VerificationReport:
    """Recompute every composite, stated rank and stated score; list what disagrees."""
    from ocindex.views.verification import Discrepancy, VerificationReport

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
                if published is None or hundredths(published) != hundredths(stated):
                    discrepancies.append(
                        Discrepancy(
                            country.iso3,
                            country.name,
                            year,
                            f"{key} as stated in the profile, vs the data",
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
        sources=tuple(index.source(year) for year in years),
    )
