"""`ocindex map`: the values of one indicator for every country, and the terminal map."""

from __future__ import annotations

import os
from typing import Any, NamedTuple

from ocindex.charts import band_labels, band_of, geometry, good_when_high
from ocindex.charts.specs import MapEntry
from ocindex.index import Index
from ocindex.indicators import Indicator

BAND_CHARS = "·░▒▓█#"
"""Without colour, one distinct character per band (lightest to darkest)."""
NO_DATA_CHAR = "?"
ANSI_BAD_HIGH = (224, 217, 210, 203, 160, 88)
ANSI_GOOD_HIGH = (25, 32, 68, 110, 153, 189)


class MapView(NamedTuple):
    indicator: Indicator
    edition: int
    scope: str
    entries: tuple[MapEntry, ...]
    """Every country of the scope, assessed or not (score None)."""

    @property
    def good_when_high(self) -> bool:
        return good_when_high(self.indicator.pillar, self.indicator.key)

    def to_json(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator.key,
            "edition": self.edition,
            "scope": self.scope,
            "countries": [
                {"iso3": e.iso3, "name": e.name, "score": e.score, "rank": e.rank, "of": e.of}
                for e in self.entries
            ],
        }

    def rows(self) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
        header = ("iso3", "country", "score", "rank", "of")
        return header, [
            (
                e.iso3,
                e.name,
                "" if e.score is None else f"{e.score:.2f}",
                "" if e.rank is None else str(e.rank),
                "" if e.of is None else str(e.of),
            )
            for e in self.entries
        ]


def map_view(
    index: Index,
    indicator: str,
    year: int | None,
    continent: str | None = None,
    region: str | None = None,
    group: str | None = None,
) -> MapView:
    """Every country's score, rank and place on the map; a group shows its members only."""
    edition = index.edition(year)
    ranking = index.rank(indicator, edition, continent=continent, region=region, group=group)
    ranked = {entry.country.iso3: entry for entry in ranking.entries}
    entries = []
    for country in index.countries:
        entry = ranked.get(country.iso3)
        if entry is None and group:
            continue  # the ranking already names members the edition did not assess
        if entry is None:
            # Not assessed in this edition: "no data", placed by its latest record.
            record = country.records.get(edition) or country.records[max(country.records)]
            if continent and record.continent.casefold() != ranking.scope.casefold():
                continue
            if region and record.region.casefold() != ranking.scope.casefold():
                continue
            entries.append(MapEntry(country.iso3, country.name, None, None, None))
        else:
            entries.append(
                MapEntry(country.iso3, country.name, entry.score, entry.rank, ranking.total)
            )
    return MapView(ranking.indicator, edition, ranking.scope, tuple(entries))


def terminal_map(view: MapView, width: int, colour: bool) -> str:
    """Half-block cells from the shipped raster, cropped to the scope, `width` columns."""
    raster = geometry()["raster"]
    codes = raster["codes"]
    grid = []
    for runs in raster["rows"]:
        line: list[int] = []
        for value, count in zip(runs[::2], runs[1::2], strict=False):
            line += [value] * count
        grid.append(line)
    wanted = {e.iso3: e for e in view.entries}
    numbers = {i + 1: code for i, code in enumerate(codes)}
    cells = [
        (r, c)
        for r, line in enumerate(grid)
        for c, v in enumerate(line)
        if numbers.get(v) in wanted
    ]
    if not cells:
        return ""
    top = min(r for r, _ in cells)
    bottom = max(r for r, _ in cells)
    left = min(c for _, c in cells)
    right = max(c for _, c in cells)
    span_x = right - left + 1
    columns = max(20, min(width, span_x))
    step = span_x / columns
    pixel_rows = max(2, round((bottom - top + 1) / step))
    pixel_rows += pixel_rows % 2
    palette = ANSI_GOOD_HIGH if view.good_when_high else ANSI_BAD_HIGH

    def band(row: int, col: int) -> int:
        """-1 sea or outside the scope, -2 no data, else the band."""
        r = min(bottom, top + int(row * step))
        c = min(right, left + int(col * step))
        entry = wanted.get(numbers.get(grid[r][c], ""))
        if entry is None:
            return -1
        return -2 if entry.score is None else band_of(entry.score)

    lines = []
    for row in range(0, pixel_rows, 2):
        out = []
        for col in range(columns):
            upper, lower = band(row, col), band(row + 1, col)
            if colour:
                out.append(_colour_cell(upper, lower, palette))
            else:
                chosen = upper if upper != -1 else lower
                out.append(
                    " " if chosen == -1 else NO_DATA_CHAR if chosen == -2 else BAND_CHARS[chosen]
                )
        lines.append("".join(out).rstrip() if not colour else "".join(out))
    legend = []
    for i, label in enumerate(band_labels()):
        mark = f"\x1b[48;5;{palette[i]}m  \x1b[0m" if colour else BAND_CHARS[i] * 2
        legend.append(f"{mark} {label}")
    legend.append(("\x1b[48;5;255m  \x1b[0m" if colour else NO_DATA_CHAR * 2) + " no data")
    title = f"{view.indicator.name} · {view.edition} edition · {view.scope}"
    source = f"Source: Global Organized Crime Index {view.edition}, GI-TOC"
    return "\n".join([title, *lines, "   ".join(legend), source]) + "\n"


def _colour_cell(upper: int, lower: int, palette: tuple[int, ...]) -> str:
    def code(value: int) -> int | None:
        if value == -1:
            return None
        return 255 if value == -2 else palette[value]

    top, bottom = code(upper), code(lower)
    if top is None and bottom is None:
        return " "
    if top is None:
        return f"\x1b[38;5;{bottom}m▄\x1b[0m"
    if bottom is None:
        return f"\x1b[38;5;{top}m▀\x1b[0m"
    return f"\x1b[38;5;{top};48;5;{bottom}m▀\x1b[0m"


def use_colour(stream: Any) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
