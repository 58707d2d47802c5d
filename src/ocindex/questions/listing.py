"""`ocindex list`: what is in the data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ocindex.indicators import (
    ALL,
)
from ocindex.lookup import Lookup
from ocindex.questions.common import select, within
from ocindex.views import coverage_note

if TYPE_CHECKING:
    from ocindex.views.listing import ListView


def list_countries(
    index: Lookup,
    edition: int,
    continent: str | None = None,
    region: str | None = None,
    group: str | None = None,
    countries: Sequence[str] = (),
) -> ListView:
    from ocindex.views.listing import ListView

    extra: tuple[str, ...] = ()
    if group or countries:
        chosen = select(
            index, edition, continent=continent, region=region, group=group, countries=countries
        )
        records, extra = chosen.members, chosen.notes
    else:
        records, _ = within(index, edition, continent, region)
    items = tuple(
        (c.name, c.iso3, c.iso2, r.continent, r.region, tuple(sorted(c.records)))
        for c, r in records
    )
    note = coverage_note(index.source(edition))
    return ListView(
        "countries",
        ("name", "iso3", "iso2", "continent", "region", "editions"),
        items,
        f"Countries in {edition} ({len(items)})",
        (*extra, *((note,) if note else ())),
        (index.source(edition),),
    )


def list_indicators(index: Lookup) -> ListView:
    from ocindex.views.listing import ListView

    items = tuple(
        (
            item.key,
            item.name,
            item.pillar,
            tuple(e for e in index.editions if item.assessed_in(e)),
            item.short_forms,
        )
        for item in ALL
    )
    return ListView(
        "indicators",
        ("key", "name", "pillar", "editions", "short_forms"),
        items,
        f"Indicators ({len(items)})",
        sources=tuple(index.source(e) for e in index.editions),
    )


def list_regions(index: Lookup, edition: int, continent: str | None = None) -> ListView:
    from ocindex.views.listing import ListView

    counts: dict[tuple[str, str], int] = {}
    for _, record in index.records(edition):
        place = (record.continent, record.region)
        counts[place] = counts.get(place, 0) + 1
    if continent:
        chosen = index.place(continent, "continent", edition)
        counts = {p: n for p, n in counts.items() if p[0] == chosen}
    items = tuple((continent_, region, n) for (continent_, region), n in sorted(counts.items()))
    return ListView(
        "regions",
        ("continent", "region", "countries"),
        items,
        f"Regions in {edition} ({len(items)})",
        sources=(index.source(edition),),
    )


def list_editions(index: Lookup) -> ListView:
    from ocindex.views.listing import ListView

    items = tuple(
        (
            source.edition,
            source.edition == index.manifest.default_edition,
            source.countries,
            tuple(m.name for m in source.missing),
            source.file,
            source.sheet or "",
            source.sha256,
        )
        for source in (index.source(e) for e in index.editions)
    )
    return ListView(
        "editions",
        ("edition", "default", "countries", "missing", "file", "sheet", "sha256"),
        items,
        "Editions",
        sources=tuple(index.source(e) for e in index.editions),
    )


def list_groups(index: Lookup, edition: int) -> ListView:
    """The named groups (shipped and the user's), with their membership for `edition`."""
    from ocindex.groups import all_groups, config_dir
    from ocindex.views.listing import ListView

    items = []
    notes = []
    for group in all_groups(index.data_dir, set(index.by_iso3)):
        membership = group.members_in(edition)
        if membership.note:
            notes.append(membership.note)
        items.append(
            (
                group.key,
                group.name,
                group.full_name,
                len(membership.members),
                membership.valid,
                group.changed,
                group.origin,
                group.source,
                tuple(membership.members),
            )
        )
    notes.append(
        f"Add your own groups in {config_dir() / 'groups.toml'} or the data folder's "
        "groups/groups.toml; `--group NAME` on rank, stats, movers, quadrant and list countries."
    )
    return ListView(
        "groups",
        ("key", "name", "full_name", "members", "valid", "changed", "origin", "source", "iso3"),
        tuple(items),
        f"Groups for the {edition} edition ({len(items)})",
        tuple(notes),
        (index.source(edition),),
    )
