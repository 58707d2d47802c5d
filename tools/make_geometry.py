"""Prepare the world map shipped in the wheel: `src/ocindex/charts/world.json`.

Input: Natural Earth's 1:50m countries (public domain) as TopoJSON from the npm package
`world-atlas` (`npm install world-atlas@2`, then pass its `countries-50m.json`). Output: one
compact JSON file with, per ISO3 code of the countries in `src/ocindex/countries.csv`,
either simplified polygons (longitude/latitude, 0.1 degree) or, for a state too small for the
geometry, a dot; and a raster of ISO3 cells (equirectangular, half a degree) for the terminal
map, so that nothing is computed from polygons at run time.

    python tools/make_geometry.py node_modules/world-atlas/countries-50m.json

ISO 3166 numeric codes (world-atlas feature ids) become ISO3 codes with `pycountry`
(a build-time dependency only).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import sys
from pathlib import Path
from typing import Any

import pycountry

REPO = Path(__file__).resolve().parents[1]
REGISTRY = REPO / "src" / "ocindex" / "countries.csv"
OUTPUT = REPO / "src" / "ocindex" / "charts" / "world.json"

PRECISION = 10  # coordinates in tenths of a degree
TOLERANCE = 0.08  # degrees, Douglas-Peucker
DOT_AREA = 2.0  # square degrees: smaller countries are drawn as dots too
CELL = 0.5  # raster cell, degrees
NORTH, SOUTH = 84.0, -57.0


def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def signed_area(points: list[tuple[float, float]]) -> float:
    return 0.5 * sum(
        x0 * y1 - x1 * y0
        for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=False)
    )


def douglas_peucker(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Drop the points within TOLERANCE degrees of the line through their neighbours."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x0, y0), (x1, y1) = points[first], points[last]
        dx, dy = x1 - x0, y1 - y0
        norm = (dx * dx + dy * dy) ** 0.5
        worst, where = 0.0, -1
        for i in range(first + 1, last):
            x, y = points[i]
            if norm == 0:
                distance = ((x - x0) ** 2 + (y - y0) ** 2) ** 0.5
            else:
                distance = abs(dy * x - dx * y + x1 * y0 - y1 * x0) / norm
            if distance > worst:
                worst, where = distance, i
        if worst > TOLERANCE:
            keep[where] = True
            stack += [(first, where), (where, last)]
    return [point for point, kept in zip(points, keep, strict=False) if kept]


def unwrap(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A ring that jumps across the antimeridian is pressed against the edge of its side
    (drawn on a flat longitude/latitude map, it would otherwise streak across the world)."""
    if all(abs(x1 - x0) <= 180 for (x0, _), (x1, _) in itertools.pairwise(points)):
        return points
    east = sum(1 for x, _ in points if x > 0) >= len(points) / 2
    return [((180.0 if east else -180.0) if (x < 0) == east else x, y) for x, y in points]


def simplify(points: list[tuple[float, float]]) -> list[list[float]]:
    """Simplify, round to the precision, drop repeated points; keeps the orientation."""
    out: list[list[float]] = []
    points = unwrap(points)
    for x, y in douglas_peucker(points):
        p = [round(x * PRECISION) / PRECISION, round(y * PRECISION) / PRECISION]
        if not out or p != out[-1]:
            out.append(p)
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def polygons(geometry: dict[str, Any], arcs: list[list[tuple[float, float]]]) -> list[Any]:
    if geometry["type"] == "Polygon":
        shapes = [geometry["arcs"]]
    elif geometry["type"] == "MultiPolygon":
        shapes = geometry["arcs"]
    else:
        return []
    result = []
    for shape in shapes:
        rings = []
        for number, indexes in enumerate(shape):
            original = ring(arcs, indexes)
            simple = simplify(original)
            area = signed_area([(x, y) for x, y in simple])
            # A ring that rounding collapsed or turned inside out would fill the globe.
            if len(simple) < 3 or abs(area) < 0.01 or (area > 0) != (signed_area(original) > 0):
                if number == 0:
                    break  # the outer ring is gone: drop the polygon with its holes
                continue
            rings.append(simple)
        if rings:
            result.append(rings)
    return result


def centroid(points: list[tuple[float, float]]) -> tuple[float, float]:
    area = signed_area(points)
    if abs(area) < 1e-12:
        xs, ys = zip(*points, strict=False)
        return sum(xs) / len(xs), sum(ys) / len(ys)
    cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=False):
        cross = x0 * y1 - x1 * y0
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return cx / (6 * area), cy / (6 * area)


def rasterize(shapes: dict[str, list[Any]], dots: dict[str, list[float]]) -> dict[str, Any]:
    """ISO3 per half-degree cell (even-odd scanline fill), as run-length encoded rows."""
    width = int(360 / CELL)
    height = int((NORTH - SOUTH) / CELL)
    codes = sorted(set(shapes) | set(dots))
    number = {code: i + 1 for i, code in enumerate(codes)}  # 0 is the sea
    grid = [[0] * width for _ in range(height)]
    for code, polys in shapes.items():
        for poly in polys:
            for row in range(height):
                lat = NORTH - (row + 0.5) * CELL
                crossings = []
                for rng in poly:
                    for (x0, y0), (x1, y1) in zip(rng, rng[1:] + rng[:1], strict=False):
                        if (y0 > lat) != (y1 > lat):
                            crossings.append(x0 + (lat - y0) * (x1 - x0) / (y1 - y0))
                crossings.sort()
                for start, end in zip(crossings[::2], crossings[1::2], strict=False):
                    first = max(0, int((start + 180) / CELL + 0.5))
                    last = min(width - 1, int((end + 180) / CELL - 0.5))
                    for col in range(first, last + 1):
                        grid[row][col] = number[code]
    for code, (lon, lat) in dots.items():
        row = min(height - 1, max(0, int((NORTH - lat) / CELL)))
        col = min(width - 1, max(0, int((lon + 180) / CELL)))
        grid[row][col] = number[code]
    rows = []
    for line in grid:
        runs: list[int] = []
        for value in line:
            if runs and runs[-2] == value:
                runs[-1] += 1
            else:
                runs += [value, 1]
        rows.append(runs)
    return {
        "cell": CELL,
        "north": NORTH,
        "west": -180.0,
        "width": width,
        "height": height,
        "codes": codes,
        "rows": rows,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topojson", type=Path, help="world-atlas countries-50m.json")
    parser.add_argument(
        "--fine",
        type=Path,
        help="world-atlas countries-10m.json: dots for states the 1:50m file lacks (Tuvalu)",
    )
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)

    with REGISTRY.open(encoding="utf-8") as handle:
        wanted = {row["iso3"]: row["name"] for row in csv.DictReader(handle)}
    topology = json.loads(args.topojson.read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    shapes: dict[str, list[Any]] = {}
    dots: dict[str, list[float]] = {}
    outers: dict[str, list[list[tuple[float, float]]]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        numeric = geometry.get("id")
        found = pycountry.countries.get(numeric=numeric) if numeric else None
        if found is None or found.alpha_3 not in wanted:
            continue
        code = found.alpha_3
        # Several features can share a code (Australia and Ashmore and Cartier Islands).
        shapes.setdefault(code, []).extend(polygons(geometry, arcs))
        arcs_of = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
        outers.setdefault(code, []).extend(ring(arcs, shape[0]) for shape in arcs_of)
    for code, outer in outers.items():
        total = sum(abs(signed_area([(x, y) for x, y in poly[0]])) for poly in shapes[code])
        if total < DOT_AREA:
            biggest = max(outer, key=lambda points: abs(signed_area(points)))
            lon, lat = centroid(biggest)
            dots[code] = [round(lon, 2), round(lat, 2)]
        if not shapes[code]:
            del shapes[code]
    missing = sorted(set(wanted) - set(shapes) - set(dots))
    if missing and args.fine:
        fine = json.loads(args.fine.read_text(encoding="utf-8"))
        fine_arcs = decode_arcs(fine)
        for geometry in fine["objects"]["countries"]["geometries"]:
            found = pycountry.countries.get(numeric=geometry.get("id") or "000")
            if found is None or found.alpha_3 not in missing:
                continue
            shapes_arcs = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
            outer = [ring(fine_arcs, shape[0]) for shape in shapes_arcs]
            lon, lat = centroid(max(outer, key=lambda points: abs(signed_area(points))))
            dots[found.alpha_3] = [round(lon, 2), round(lat, 2)]
        missing = sorted(set(wanted) - set(shapes) - set(dots))
    if missing:
        print(f"no geometry for: {', '.join(missing)}", file=sys.stderr)
        return 1
    document = {
        "source": "Natural Earth 1:50m countries (public domain), via the npm package "
        "world-atlas 2; prepared by tools/make_geometry.py",
        "shapes": dict(sorted(shapes.items())),
        "dots": dict(sorted(dots.items())),
        "raster": rasterize(shapes, dots),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(document, separators=(",", ":")) + "\n", encoding="utf-8")
    print(
        f"{args.output}: {len(shapes)} shapes, {len(dots)} dots, "
        f"{args.output.stat().st_size} bytes",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
