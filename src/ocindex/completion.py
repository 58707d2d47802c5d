"""Shell completion candidates, from the compiled index (no TOML parsing).

Completion must never print an error into a shell prompt: any failure yields nothing.
"""

from ocindex.errors import OcindexError
from ocindex.indicators import ALL
from ocindex.resolve import normalize


def countries(incomplete: str) -> list[tuple[str, str]]:
    """Slugs (typed without quotes) and ISO3 codes that start with `incomplete`."""
    from ocindex.index import Index

    try:
        index = Index.load()
    except OcindexError:
        return []
    wanted = normalize(incomplete)
    upper = bool(incomplete) and incomplete.isupper()  # `ML`, `MLI`: offer codes as typed
    found: list[tuple[str, str]] = []
    for country in index.countries:
        forms = (country.iso3, country.iso2) if upper else (country.slug, country.iso3.lower())
        for candidate in forms:
            if normalize(candidate).startswith(wanted):
                found.append((candidate, country.name))
                break
    return found


def indicators(incomplete: str, pillar: str | None = None) -> list[tuple[str, str]]:
    """Indicator keys and short forms that start with `incomplete` (any case); with
    `pillar`, only that pillar's indicators (`market co` offers `cocaine`, not
    `cooperation`)."""
    wanted = incomplete.lower().replace(" ", "_")
    found = []
    for item in ALL:
        if pillar is not None and pillar not in (item.key, item.pillar):
            continue
        for candidate in (item.key, *item.short_forms):
            if candidate.startswith(wanted):
                found.append((candidate, item.name))
    return found


def places(incomplete: str, level: str) -> list[str]:
    """Continents or regions (`level`) of every edition starting with `incomplete`."""
    from ocindex.index import Index

    try:
        index = Index.load()
        names = {getattr(r, level) for e in index.editions for _, r in index.records(e)}
    except OcindexError:
        return []
    wanted = incomplete.casefold()
    # Shells keep only candidates that start with the text as typed: keep its case.
    return sorted(
        incomplete + name[len(incomplete) :] for name in names if name.casefold().startswith(wanted)
    )


def editions(incomplete: str) -> list[str]:
    """Edition years that start with `incomplete`."""
    from ocindex.index import Index

    try:
        years = Index.load().editions
    except OcindexError:
        return []
    return [str(year) for year in years if str(year).startswith(incomplete)]


def groups(incomplete: str) -> list[tuple[str, str]]:
    """Group keys (shipped and the user's) that start with `incomplete`."""
    from ocindex.groups import SHIPPED, all_groups
    from ocindex.index import Index

    try:
        index = Index.load()
        found = all_groups(index.data_dir, set(index.by_iso3))
    except OcindexError:
        found = list(SHIPPED)
    wanted = incomplete.lower()
    return [(g.key, g.full_name) for g in found if g.key.startswith(wanted)]
