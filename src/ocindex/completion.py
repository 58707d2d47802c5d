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
    found: list[tuple[str, str]] = []
    for country in index.countries:
        for candidate in (country.slug, country.iso3.lower()):
            if normalize(candidate).startswith(wanted):
                found.append((candidate, country.name))
                break
    return found


def indicators(incomplete: str) -> list[tuple[str, str]]:
    """Indicator keys and short forms that start with `incomplete`."""
    wanted = incomplete.lower()
    found = []
    for item in ALL:
        for candidate in (item.key, *item.short_forms):
            if candidate.startswith(wanted):
                found.append((candidate, item.name))
    return found


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


def places(incomplete: str, level: str) -> list[str]:
    """Continent or region names (of every edition) that start with `incomplete`."""
    from ocindex.index import Index

    try:
        index = Index.load()
    except OcindexError:
        return []
    names = {getattr(r, level) for e in index.editions for _, r in index.records(e)}
    wanted = normalize(incomplete)
    return sorted(n for n in names if normalize(n).startswith(wanted))
