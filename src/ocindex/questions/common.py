"""What several questions share: changes between editions, scopes, profile text."""

from __future__ import annotations

from collections.abc import Sequence

from ocindex.figures import difference, exact_change
from ocindex.indicators import (
    ACTORS,
    BY_KEY,
    CRIMINALITY,
    MARKETS,
    METHODOLOGY_BREAK,
    RESILIENCE,
)
from ocindex.lookup import Lookup
from ocindex.model import Country, EditionRecord, NarrativeParagraph
from ocindex.views import Change, TextExcerpt

COMPOSITE_KEYS = (CRIMINALITY, MARKETS, ACTORS, RESILIENCE)


def comparable(key: str, edition: int, previous: int) -> bool:
    """Whether `key` means the same thing in both editions.

    Criminality and the two criminality pillars average more indicators from 2023 on,
    so their change across the 2021 methodology break is not like for like.
    """
    crosses_break = previous < METHODOLOGY_BREAK <= edition
    return not (crosses_break and key in (CRIMINALITY, MARKETS, ACTORS))


def make_change(
    key: str,
    previous: int,
    edition: int,
    old: float | None,
    new: float | None,
    *,
    like_for_like: bool = False,
    mark_missing: bool = False,
    delta: float | None = None,
) -> Change:
    """How `key` moved from `previous` to `edition`.

    Without a previous figure there is nothing to compare (`comparable` is None), unless
    `mark_missing` asks for the editions' comparability anyway (trend's fixed columns).
    `like_for_like` is for figures recomputed on one indicator set across editions.
    `delta`, when given, is the exact change (from unrounded composites, see
    `figures.exact_change`); otherwise the difference of the two figures.
    """
    if old is None or new is None:
        delta = None
    elif delta is None:
        delta = difference(new, old)
    if old is None and not mark_missing:
        return Change(previous, None, None, None)
    return Change(previous, old, delta, like_for_like or comparable(key, edition, previous))


def change(index: Lookup, country: Country, key: str, edition: int) -> Change | None:
    """The change of `key` since the edition before `edition`, if there is one."""
    previous = index.previous_edition(edition)
    if previous is None:
        return None
    before = country.records.get(previous)
    old = before.scores.get(key) if before else None
    after = country.records[edition].scores
    delta = None
    if before is not None and old is not None:
        delta = exact_change(key, before.scores, previous, after, edition)
    return make_change(key, previous, edition, old, after[key], delta=delta)


def texts_about(
    index: Lookup, countries: Sequence[Country], edition: int, key: str
) -> tuple[tuple[TextExcerpt, ...], str | None]:
    """Paragraphs of `edition`'s profiles that discuss `key`, for these countries.

    Text of other editions is never shown as this edition's; the note says where it is.
    """
    excerpts = []
    for country in countries:
        document = country.documents.get(edition)
        if document is None:
            continue
        for paragraph in document.narrative:
            if key in paragraph.indicators or (
                BY_KEY[key].is_composite and _in_pillar(paragraph, key)
            ):
                excerpts.append(TextExcerpt(country, edition, paragraph))
    note = None
    if not excerpts:
        elsewhere = sorted(
            f"{c.name} ({', '.join(str(y) for y in sorted(c.documents))})"
            for c in countries
            if c.documents
        )
        note = f"No profile text in {edition} for the countries listed" + (
            f"; text exists for {'; '.join(elsewhere)}." if elsewhere else "."
        )
    return tuple(excerpts), note


def _in_pillar(paragraph: NarrativeParagraph, key: str) -> bool:
    if key == CRIMINALITY:
        return paragraph.section != BY_KEY[RESILIENCE].name
    return paragraph.section == BY_KEY[key].name


def within(
    index: Lookup, edition: int, continent: str | None, region: str | None
) -> tuple[list[tuple[Country, EditionRecord]], str]:
    """The countries of `edition` in a continent and/or region, and the scope's name."""
    members = index.records(edition)
    scope = "the world"
    if continent:
        scope = index.place(continent, "continent", edition)
        members = [(c, r) for c, r in members if r.continent == scope]
    if region:
        chosen = index.place(region, "region", edition)
        members = [(c, r) for c, r in members if r.region == chosen]
        scope = f"{chosen}, {scope}" if continent else chosen
    return members, scope
