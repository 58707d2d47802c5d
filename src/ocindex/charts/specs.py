"""Vega-Lite specs: plain data in, a spec (a dict) out. No rendering, no I/O."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from ocindex.charts import BAD_HIGH, GOOD_HIGH, NO_DATA, SOURCE, band_labels, band_of, geometry

FONT = "sans-serif"


class MapEntry(NamedTuple):
    """One country on a map: `score` and `rank` None when not assessed."""

    iso3: str
    name: str
    score: float | None
    rank: int | None
    of: int | None


class QuadrantPoint(NamedTuple):
    iso3: str
    name: str
    criminality: float
    resilience: float


THRESHOLD = 5.5


def _frame(title: str, subtitle: str, edition: int | str) -> dict[str, Any]:
    return {
        "title": {
            "text": title,
            "subtitle": [subtitle, SOURCE.format(edition=edition)],
            "anchor": "start",
            "font": FONT,
            "subtitleFont": FONT,
        },
        "background": "#ffffff",
        "config": {
            "font": FONT,
            "view": {"stroke": None},
            "legend": {"labelFont": FONT, "titleFont": FONT},
        },
    }


def map_spec(
    entries: Sequence[MapEntry],
    *,
    title: str,
    edition: int,
    scope: str,
    good_when_high: bool,
    width: int = 900,
) -> dict[str, Any]:
    """A choropleth: one shape per country with polygons, one dot per small state."""
    world = geometry()
    labels = band_labels()
    colours = list(GOOD_HIGH if good_when_high else BAD_HIGH)

    def properties(entry: MapEntry) -> dict[str, Any]:
        return {
            "iso3": entry.iso3,
            "name": entry.name,
            "score": "no data" if entry.score is None else f"{entry.score:.2f}",
            "rank": "" if entry.rank is None else f"{entry.rank} of {entry.of}",
            "band": "no data" if entry.score is None else labels[band_of(entry.score)],
        }

    shapes = []
    dots = []
    for entry in entries:
        if entry.iso3 in world["shapes"]:
            shapes.append(
                {
                    "type": "Feature",
                    "id": entry.iso3,
                    "geometry": {
                        "type": "MultiPolygon",
                        "coordinates": world["shapes"][entry.iso3],
                    },
                    "properties": properties(entry),
                }
            )
        if entry.iso3 in world["dots"]:
            lon, lat = world["dots"][entry.iso3]
            dots.append({"lon": lon, "lat": lat, "properties": properties(entry)})
    colour = {
        "field": "properties.band",
        "type": "ordinal",
        "title": "Score",
        "scale": {"domain": [*labels, "no data"], "range": [*colours, NO_DATA]},
        "legend": {"orient": "right", "direction": "vertical"},
    }
    tooltip = [
        {"field": "properties.name", "title": "Country"},
        {"field": "properties.score", "title": "Score"},
        {"field": "properties.rank", "title": "Rank"},
    ]
    spec = _frame(title, f"{edition} edition · {scope}", edition)
    spec.update(
        {
            "width": width,
            "height": int(width * 0.5),
            # Planar lon/lat (plate carrée): no spherical ring winding to get wrong.
            "projection": {"type": "identity", "reflectY": True},
            "layer": [
                {
                    "data": {"values": shapes},
                    "mark": {"type": "geoshape", "stroke": "#737373", "strokeWidth": 0.4},
                    "encoding": {"color": colour, "tooltip": tooltip},
                },
                {
                    "data": {"values": dots},
                    "mark": {
                        "type": "circle",
                        "size": 30,
                        "stroke": "#404040",
                        "strokeWidth": 0.6,
                        "opacity": 1,
                    },
                    "encoding": {
                        "longitude": {"field": "lon", "type": "quantitative"},
                        "latitude": {"field": "lat", "type": "quantitative"},
                        "color": {**colour, "legend": None},
                        "tooltip": tooltip,
                    },
                },
            ],
        }
    )
    return spec


def quadrant_spec(
    points: Sequence[QuadrantPoint],
    *,
    edition: int,
    scope: str,
    labels: Sequence[str] = (),
    width: int = 640,
) -> dict[str, Any]:
    """Criminality against resilience, the two 5.50 lines, the four quadrants named;
    `labels` (ISO3 codes) are annotated."""

    def quadrant(point: QuadrantPoint) -> str:
        crime = "High" if point.criminality >= THRESHOLD else "Low"
        resilience = "high" if point.resilience >= THRESHOLD else "low"
        return f"{crime} criminality, {resilience} resilience"

    values = [
        {
            "iso3": p.iso3,
            "name": p.name,
            "criminality": p.criminality,
            "resilience": p.resilience,
            "quadrant": quadrant(p),
            "label": p.name if p.iso3 in labels else "",
        }
        for p in points
    ]
    axis = {"type": "quantitative", "scale": {"domain": [1, 10]}}
    names = [
        {"x": 1.2, "y": 9.8, "text": "Low criminality, high resilience", "align": "left"},
        {"x": 9.8, "y": 9.8, "text": "High criminality, high resilience", "align": "right"},
        {"x": 1.2, "y": 1.2, "text": "Low criminality, low resilience", "align": "left"},
        {"x": 9.8, "y": 1.2, "text": "High criminality, low resilience", "align": "right"},
    ]
    spec = _frame("Criminality and resilience", f"{edition} edition · {scope}", edition)
    spec.update(
        {
            "width": width,
            "height": width,
            "layer": [
                {
                    "data": {"values": values},
                    "mark": {"type": "point", "filled": True, "size": 40, "opacity": 0.8},
                    "encoding": {
                        "x": {**axis, "field": "criminality", "title": "Criminality"},
                        "y": {**axis, "field": "resilience", "title": "Resilience"},
                        "shape": {"field": "quadrant", "type": "nominal", "title": "Quadrant"},
                        "color": {
                            "field": "quadrant",
                            "type": "nominal",
                            "title": "Quadrant",
                            "scale": {
                                "domain": sorted({quadrant(p) for p in points}),
                                "scheme": "dark2",
                            },
                        },
                        "tooltip": [
                            {"field": "name", "title": "Country"},
                            {"field": "criminality", "format": ".2f"},
                            {"field": "resilience", "format": ".2f"},
                        ],
                    },
                },
                {
                    "data": {"values": values},
                    "transform": [{"filter": "datum.label != ''"}],
                    "mark": {"type": "text", "dx": 6, "align": "left", "fontSize": 11},
                    "encoding": {
                        "x": {**axis, "field": "criminality"},
                        "y": {**axis, "field": "resilience"},
                        "text": {"field": "label"},
                    },
                },
                {
                    "data": {"values": [{"v": THRESHOLD}]},
                    "mark": {"type": "rule", "strokeDash": [4, 3], "color": "#525252"},
                    "encoding": {"x": {"field": "v", "type": "quantitative"}},
                },
                {
                    "data": {"values": [{"v": THRESHOLD}]},
                    "mark": {"type": "rule", "strokeDash": [4, 3], "color": "#525252"},
                    "encoding": {"y": {"field": "v", "type": "quantitative"}},
                },
                {
                    "data": {"values": names},
                    "mark": {"type": "text", "fontWeight": "bold", "color": "#252525"},
                    "encoding": {
                        "x": {"field": "x", "type": "quantitative"},
                        "y": {"field": "y", "type": "quantitative"},
                        "text": {"field": "text"},
                        "align": {"field": "align"},
                    },
                },
            ],
        }
    )
    return spec


BAR_MARK: dict[str, Any] = {"type": "bar", "stroke": "#737373", "strokeWidth": 0.4}
SCORE_BARS_X: dict[str, Any] = {
    "x": {"field": "score", "type": "quantitative", "scale": {"domain": [1, 10]}, "title": "Score"},
    "x2": {"datum": 1},
}
"""Bars of a score on the index's 1-10 axis, drawn from 1 (rank bars and the profile card)."""


class Bar(NamedTuple):
    """One country of a ranking chart, in the order shown."""

    name: str
    score: float
    rank: int


def _band_colour(good_when_high: bool, title: str = "Score") -> dict[str, Any]:
    """The map's bands and colours: darker is worse, for criminality and resilience alike."""
    return {
        "field": "band",
        "type": "ordinal",
        "title": title,
        "scale": {
            "domain": band_labels(),
            "range": list(GOOD_HIGH if good_when_high else BAD_HIGH),
        },
    }


def rank_spec(
    bars: Sequence[Bar],
    *,
    title: str,
    edition: int,
    scope: str,
    good_when_high: bool,
    width: int = 600,
) -> dict[str, Any]:
    """Sorted horizontal bars, one per country shown, on the 1-10 score axis."""
    labels = band_labels()
    values = [
        {
            "label": f"{bar.rank}. {bar.name}",
            "name": bar.name,
            "score": bar.score,
            "rank": bar.rank,
            "band": labels[band_of(bar.score)],
        }
        for bar in bars
    ]
    spec = _frame(title, f"{edition} edition · {scope}", edition)
    spec.update(
        {
            "width": width,
            "height": {"step": 18},
            "data": {"values": values},
            "mark": BAR_MARK,
            "encoding": {
                "y": {
                    "field": "label",
                    "type": "nominal",
                    "sort": [v["label"] for v in values],
                    "title": None,
                },
                **SCORE_BARS_X,
                "color": {**_band_colour(good_when_high), "legend": {"orient": "right"}},
                "tooltip": [
                    {"field": "name", "title": "Country"},
                    {"field": "score", "title": "Score", "format": ".2f"},
                    {"field": "rank", "title": "Rank"},
                ],
            },
        }
    )
    return spec


class Dot(NamedTuple):
    """One score of a comparison chart."""

    indicator: str
    country: str
    score: float


def compare_spec(
    dots: Sequence[Dot],
    *,
    indicators: Sequence[str],
    countries: Sequence[str],
    edition: int,
    width: int = 600,
) -> dict[str, Any]:
    """A dot per country and indicator, one colour (and shape) per country, indicators in the
    order given."""
    values = [{"indicator": d.indicator, "country": d.country, "score": d.score} for d in dots]
    country: dict[str, Any] = {
        "field": "country",
        "type": "nominal",
        "title": "Country",
        "scale": {"domain": list(countries)},
    }
    spec = _frame("Comparison", f"{edition} edition · {', '.join(countries)}", edition)
    spec.update(
        {
            "width": width,
            # The step is per country (yOffset): about 20 px per indicator for two countries.
            "height": {"step": max(5, 10 - len(countries))},
            "data": {"values": values},
            "mark": {"type": "point", "filled": True, "size": 70, "opacity": 0.9},
            "encoding": {
                "y": {
                    "field": "indicator",
                    "type": "nominal",
                    "sort": list(indicators),
                    "title": None,
                    "axis": {"labelLimit": 320},
                },
                "x": {
                    "field": "score",
                    "type": "quantitative",
                    "scale": {"domain": [1, 10]},
                    "title": "Score",
                },
                "color": {**country, "scale": {**country["scale"], "scheme": "dark2"}},
                "shape": country,
                # Tied scores side by side, not hidden behind each other.
                "yOffset": {"field": "country", "type": "nominal", "sort": list(countries)},
                "tooltip": [
                    {"field": "country", "title": "Country"},
                    {"field": "indicator", "title": "Indicator"},
                    {"field": "score", "title": "Score", "format": ".2f"},
                ],
            },
        }
    )
    return spec


class TrendPoint(NamedTuple):
    indicator: str
    edition: int
    score: float
    group: str = "Score"
    """The indicator's pillar, drawn as the line's dash (colours repeat after 20 lines)."""


def trend_spec(
    points: Sequence[TrendPoint],
    *,
    country: str,
    editions: Sequence[int],
    break_after: int,
    width: int = 600,
) -> dict[str, Any]:
    """A line per indicator across editions; a dashed rule marks the methodology break between
    `break_after` and the next edition."""
    values = [
        {"indicator": p.indicator, "edition": p.edition, "score": p.score, "group": p.group}
        for p in points
    ]
    indicators = list(dict.fromkeys(p.indicator for p in points))
    groups = list(dict.fromkeys(p.group for p in points))
    later = [e for e in editions if e > break_after]
    line_at = (break_after + min(later)) / 2 if later else break_after
    note = f"{break_after}\u2192{min(later)}" if later else str(break_after)
    year = {
        "field": "edition",
        "type": "quantitative",
        "title": "Edition",
        "scale": {"domain": [min(editions), max(editions)]},
        "axis": {"values": list(editions), "format": "d"},
    }
    score = {
        "field": "score",
        "type": "quantitative",
        "scale": {"domain": [1, 10]},
        "title": "Score",
    }
    span = ", ".join(str(e) for e in editions)
    spec = _frame(country, f"Scores by edition: {span} editions", span)
    spec.update(
        {
            "width": width,
            "height": 360,
            "layer": [
                {
                    "data": {"values": values},
                    "mark": {"type": "line", "strokeWidth": 1.5},
                    "encoding": {
                        "x": year,
                        "y": score,
                        "color": {
                            "field": "indicator",
                            "type": "nominal",
                            "title": "Indicator",
                            "scale": {"domain": indicators, "scheme": "tableau20"},
                            "legend": {"symbolLimit": 0, "labelLimit": 320},
                        },
                        "strokeDash": {
                            "field": "group",
                            "type": "nominal",
                            "title": "Pillar",
                            "scale": {
                                "domain": groups,
                                "range": [[1, 0], [6, 3], [2, 2], [8, 2, 2, 2]][: len(groups)],
                            },
                            "legend": None
                            if len(groups) < 2
                            else {"symbolStrokeColor": "#404040", "symbolSize": 900},
                        },
                        "tooltip": [
                            {"field": "indicator", "title": "Indicator"},
                            {"field": "edition", "title": "Edition"},
                            {"field": "score", "title": "Score", "format": ".2f"},
                        ],
                    },
                },
                {
                    "data": {"values": values},
                    "mark": {"type": "point", "filled": True, "size": 30},
                    "encoding": {
                        "x": year,
                        "y": score,
                        "color": {"field": "indicator", "type": "nominal"},
                        "tooltip": [
                            {"field": "indicator", "title": "Indicator"},
                            {"field": "edition", "title": "Edition"},
                            {"field": "score", "title": "Score", "format": ".2f"},
                        ],
                    },
                },
                {
                    "data": {"values": [{"at": line_at}]},
                    "mark": {"type": "rule", "strokeDash": [4, 3], "color": "#525252"},
                    "encoding": {"x": {"field": "at", "type": "quantitative"}},
                },
                {
                    "data": {
                        "values": [{"at": line_at, "y": 9.8, "text": f"methodology break ({note})"}]
                    },
                    "mark": {"type": "text", "dx": 4, "align": "left", "color": "#252525"},
                    "encoding": {
                        "x": {"field": "at", "type": "quantitative"},
                        "y": {"field": "y", "type": "quantitative"},
                        "text": {"field": "text"},
                    },
                },
            ],
        }
    )
    return spec


class CardLine(NamedTuple):
    """One score of a profile card."""

    pillar: str
    name: str
    score: float
    good_when_high: bool


def profile_spec(
    lines: Sequence[CardLine], *, title: str, subtitle: str, edition: int, width: int = 520
) -> dict[str, Any]:
    """A profile card, like a GI-TOC profile's first page: the headline scores and their
    rank context in the title, then every indicator as a bar, pillar by pillar. Criminality
    and resilience each keep their own scale of bands (darker is worse for both)."""
    labels = band_labels()
    kinds = {True: "resilience", False: "criminality"}
    values = [
        {
            "pillar": line.pillar,
            "name": line.name,
            "score": line.score,
            "band": f"{kinds[line.good_when_high]} {labels[band_of(line.score)]}",
        }
        for line in lines
    ]
    domain = [f"{kinds[False]} {label}" for label in labels] + [
        f"{kinds[True]} {label}" for label in labels
    ]
    spec = _frame(title, subtitle, edition)
    spec.update(
        {
            "data": {"values": values},
            "facet": {
                "row": {
                    "field": "pillar",
                    "type": "nominal",
                    "sort": list(dict.fromkeys(line.pillar for line in lines)),
                    "title": None,
                    "header": {"labelAngle": 0, "labelAlign": "left", "labelFontWeight": "bold"},
                }
            },
            "resolve": {"scale": {"y": "independent"}},
            "spec": {
                "width": width,
                "height": {"step": 14},
                "mark": BAR_MARK,
                "encoding": {
                    "y": {
                        "field": "name",
                        "type": "nominal",
                        "sort": None,
                        "title": None,
                        "axis": {"labelLimit": 320},
                    },
                    **SCORE_BARS_X,
                    "color": {
                        "field": "band",
                        "type": "ordinal",
                        "title": "Score band",
                        "scale": {"domain": domain, "range": [*BAD_HIGH, *GOOD_HIGH]},
                    },
                    "tooltip": [
                        {"field": "name", "title": "Indicator"},
                        {"field": "score", "title": "Score", "format": ".2f"},
                    ],
                },
            },
        }
    )
    return spec
