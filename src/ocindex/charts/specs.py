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


def _frame(title: str, subtitle: str, edition: int) -> dict[str, Any]:
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
