"""What several questions share: changes between editions, scopes, profile text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

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


class Selection(NamedTuple):
    """The countries a question is about: a scope of one edition, and what to tell the user."""

    members: list[tuple[Country, EditionRecord]]
    name: str
    """"the world", a continent, a region, a group's name or "the countries named"."""
    kind: str
    """"world", "continent", "region" or "group"."""
    notes: tuple[str, ...] = ()


def select(
    index: Lookup,
    edition: int,
    *,
    continent: str | None = None,
    region: str | None = None,
    group: str | None = None,
    countries: Sequence[str] = (),
) -> Selection:
    """The countries of `edition` in a continent, region, named group or list, combined.

    A named group uses the membership valid for `edition` (ECOWAS has 12 members in 2025,
    15 before); members without data in `edition` are named in a note, never dropped
    silently. An empty selection is a usage error.
    """
    from ocindex.errors import UsageError

    members, name = within(index, edition, continent, region)
    kind = "region" if region else "continent" if continent else "world"
    notes: list[str] = []
    wanted: list[str] | None = None
    if group:
        from ocindex.groups import find_group

        found = find_group(group, index.data_dir, set(index.by_iso3))
        membership = found.members_in(edition)
        if membership.note:
            notes.append(membership.note)
        if not membership.members:
            raise UsageError(
                f"the group {found.name} has no members for the {edition} edition",
                membership.note or None,
            )
        wanted = list(membership.members)
        name = found.name if kind == "world" else f"{found.name} in {name}"
        kind = "group"
    if countries:
        named = [index.country(text).iso3 for text in countries]
        named = list(dict.fromkeys(named))
        wanted = named if wanted is None else [c for c in wanted if c in named]
        label = "the countries named"
        name = label if kind == "world" else f"{label} in {name}"
        kind = "group"
    if wanted is not None:
        present = {c.iso3 for c, _ in members}
        lacking = [index.by_iso3[c].name for c in wanted if c not in present]
        if lacking and (group or countries):
            everyone = {c.iso3 for c, _ in index.records(edition)}
            without_data = [index.by_iso3[c].name for c in wanted if c not in everyone]
            outside = [n for n in lacking if n not in without_data]
            if without_data:
                notes.append(
                    f"No {edition} data for {', '.join(without_data)}: "
                    f"{len(wanted) - len(lacking)} of {len(wanted)} members are included."
                )
            if outside:
                notes.append(f"Outside the chosen continent or region: {', '.join(outside)}.")
        keep = set(wanted)
        members = [(c, r) for c, r in members if c.iso3 in keep]
    if not members:
        raise UsageError(f"no country of the {edition} edition is in {name}")
    return Selection(members, name, kind, tuple(notes))
