"""Maps and charts: every picture parsed as a person would look at it (SVG structure, PNG size,
the HTML map in a real headless Chromium), the terminal map, the values, and the missing extra."""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from helpers_queries import run
from ocindex import load
from ocindex.charts import band_labels, geometry, save
from ocindex.charts.mapview import BAND_CHARS, map_view
from ocindex.charts.specs import MapEntry, QuadrantPoint, map_spec, quadrant_spec

SVG = "{http://www.w3.org/2000/svg}"
CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)


@pytest.fixture
def cli() -> Any:
    def invoke(*args: object) -> Any:
        return run(*(str(a) for a in args))

    return invoke


def marks(path: Path, role: str) -> int:
    root = ET.parse(path).getroot()  # well-formed, or this raises
    return sum(
        len(list(g)) for g in root.iter(f"{SVG}g") if f"{role} role-mark" in (g.get("class") or "")
    )


def no_external_urls(text: str) -> None:
    urls = set(re.findall(r"https?://[^\"' )>]+", text))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}, urls


def test_geometry_matches_every_country_and_is_compact() -> None:
    world = geometry()
    index = load()
    codes = {country.iso3 for country in index.countries}
    assert len(codes) == 193
    assert codes == set(world["shapes"]) | set(world["dots"])
    assert {"TUV", "NRU", "MCO", "KNA", "LCA", "VCT"} <= set(world["dots"])
    assert (Path(__file__).parents[1] / "src/ocindex/charts/world.json").stat().st_size < 400_000


def test_map_svg_png_html(cli, tmp_path: Path) -> None:
    svg, png, html = tmp_path / "m.svg", tmp_path / "m.png", tmp_path / "m.html"
    result = cli("map", "cocaine", "--year", "2025", "--svg", svg, "--png", png, "--html", html)
    assert result.exit_code == 0, result.output
    world = geometry()
    assert marks(svg, "mark-shape") == len(world["shapes"])  # one shape per country
    assert marks(svg, "mark-symbol") == len(world["dots"])  # small states as dots
    text = svg.read_text(encoding="utf-8")
    assert "Cocaine trade" in text and "2025 edition" in text
    assert "Source: Global Organized Crime Index 2025, GI-TOC" in text
    assert "no data" in text  # the three states the 2025 source lacks
    no_external_urls(text)
    header = png.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    assert width >= 1600 and 800 <= height < width
    page = html.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']https?:", page)
    assert not list(tmp_path.glob(".*.tmp"))


def test_map_values_json_csv(cli) -> None:
    result = cli("map", "cocaine", "--year", "2025", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    by_code = {c["iso3"]: c for c in data["countries"]}
    assert len(by_code) == 193
    assert by_code["KNA"]["score"] is None and by_code["MLI"]["score"] == 6.0
    csv = cli("map", "criminality", "--continent", "africa", "--format", "csv").stdout
    lines = csv.splitlines()
    assert lines[0] == "iso3,country,score,rank,of" and len(lines) == 55
    assert "MLI,Mali,5.93,15,54" in lines


def test_terminal_map_without_colour(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    result = cli("map", "cocaine", "--format", "table")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Cocaine trade · 2023 edition · the world"
    assert lines[-1] == "Source: Global Organized Crime Index 2023, GI-TOC"
    assert "\x1b" not in result.stdout
    assert all(len(line) <= 80 for line in lines[1:-2])
    body = "".join(lines[1:-2])
    assert len({ch for ch in body if ch in BAND_CHARS}) >= 4  # bands told apart by characters
    for label in band_labels():
        assert label in lines[-2]


def test_continent_zoom_terminal() -> None:
    index = load()
    view = map_view(index, "cocaine", 2023, continent="africa")
    assert len(view.entries) == 54
    spec = map_spec(view.entries, title="t", edition=2023, scope=view.scope, good_when_high=False)
    assert len(spec["layer"][0]["data"]["values"]) + len(spec["layer"][1]["data"]["values"]) >= 54


def test_hostile_names_are_escaped(tmp_path: Path) -> None:
    hostile = '<script>alert("x")</script> & "Côte"'
    entries = [MapEntry("MLI", hostile, 6.0, 1, 1), MapEntry("NRU", hostile, None, None, None)]
    svg, html = tmp_path / "h.svg", tmp_path / "h.html"
    save(
        map_spec(entries, title=hostile, edition=2023, scope="x", good_when_high=False),
        svg=svg,
        html=html,
    )
    ET.parse(svg)  # still well-formed
    assert "<script>alert" not in svg.read_text(encoding="utf-8")
    page = html.read_text(encoding="utf-8")
    assert page.count("<script>alert") == 0


def test_quadrant_chart(tmp_path: Path) -> None:
    index = load()
    points = [
        QuadrantPoint(c.iso3, c.name, r.scores["criminality"], r.scores["resilience"])
        for c, r in index.records(2023)
    ]
    svg, png = tmp_path / "q.svg", tmp_path / "q.png"
    save(
        quadrant_spec(points, edition=2023, scope="the world", labels=("MLI", "NER")),
        svg=svg,
        png=png,
    )
    text = svg.read_text(encoding="utf-8")
    assert marks(svg, "mark-symbol") >= 193
    for name in ("Low criminality, high resilience", "High criminality, low resilience", "Mali"):
        assert name in text
    assert "Source: Global Organized Crime Index 2023, GI-TOC" in text
    no_external_urls(text)


def test_missing_extra_is_a_clear_error(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "vl_convert", None)
    result = cli("map", "cocaine", "--svg", tmp_path / "x.svg")
    assert result.exit_code == 2
    assert "ocindex[charts]" in result.stderr
    assert not (tmp_path / "x.svg").exists()


@pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"), reason="Debian's chromium is not installed"
)
def test_html_map_in_a_real_browser(cli, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    html = tmp_path / "m.html"
    assert cli("map", "criminality", "--html", html).exit_code == 0
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM or "/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            page = browser.new_page()
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            page.goto(html.as_uri())
            shapes = page.locator("g.mark-shape path")
            shapes.first.wait_for(timeout=20_000)
            assert shapes.count() == len(geometry()["shapes"])
            box = page.locator("g.mark-shape path").nth(20).bounding_box()
            assert box is not None and box["width"] > 10
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            tooltip = page.locator("#vg-tooltip-element")
            tooltip.wait_for(state="visible", timeout=10_000)
            shown = tooltip.inner_text()
            assert "of 193" in shown and "Score" in shown
            assert any(country.name in shown for country in load().countries), shown
            assert all(url.startswith(("file:", "data:", "blob:")) for url in requests), requests
        finally:
            browser.close()


def test_quadrant_command_writes_the_chart(cli, tmp_path: Path) -> None:
    svg, html = tmp_path / "q.svg", tmp_path / "q.html"
    result = cli(
        "quadrant", "--continent", "africa", "--svg", svg, "--html", html, "--label", "mali,niger"
    )
    assert result.exit_code == 0, result.output
    text = svg.read_text(encoding="utf-8")
    assert marks(svg, "mark-symbol") >= 54
    assert "Mali" in text and "Niger" in text and "2023 edition" in text
    assert "Source: Global Organized Crime Index 2023, GI-TOC" in text
    no_external_urls(text)
    assert html.stat().st_size > 0
    assert cli("quadrant", "--svg", tmp_path / "x.svg", "--label", "atlantis").exit_code == 2
    assert not (tmp_path / "x.svg").exists()


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_rank_chart_one_bar_per_country(cli, tmp_path: Path) -> None:
    svg, png = tmp_path / "r.svg", tmp_path / "r.png"
    result = cli("rank", "cocaine", "--top", "10", "--svg", svg, "--png", png, "--format", "csv")
    assert result.exit_code == 0, result.output
    shown = len(result.stdout.splitlines()) - 1  # the rows the table shows (ties included)
    assert shown >= 10
    assert marks(svg, "mark-rect") == shown  # one bar per country shown
    text = svg.read_text(encoding="utf-8")
    assert "<rect" not in text or "Colombia" in text
    assert "Cocaine trade" in text and "2023 edition" in text and "the world" in text
    assert f"the world · {shown} of 193 countries" in text
    assert "Source: Global Organized Crime Index 2023, GI-TOC" in text
    assert "8.50\u201310.00" in text  # the map's score bands as the legend
    no_external_urls(text)
    width, height = png_size(png)
    assert width >= 1000 and height >= 400
    assert not list(tmp_path.glob(".*.tmp"))


def bar_fills(path: Path) -> list[str]:
    root = ET.parse(path).getroot()
    return [
        str(mark.get("fill"))
        for g in root.iter(f"{SVG}g")
        if "mark-rect role-mark" in (g.get("class") or "")
        for mark in g
    ]


def test_rank_chart_colours_darker_is_worse(cli, tmp_path: Path) -> None:
    from ocindex.charts import BAD_HIGH, GOOD_HIGH

    crime, resilience, aml = tmp_path / "c.svg", tmp_path / "r.svg", tmp_path / "a.svg"
    assert cli("rank", "criminality", "--top", "3", "--svg", crime).exit_code == 0
    assert cli("resilience", "--ascending", "--top", "3", "--svg", resilience).exit_code == 0
    assert cli("resilience", "aml", "--ascending", "--top", "3", "--svg", aml).exit_code == 0
    # The most criminal (7.75 and under): dark reds; the least resilient: the darkest blue
    # (the resilience composite as well as its indicators).
    assert bar_fills(crime) == [BAD_HIGH[4]] * 3
    assert bar_fills(resilience) == [GOOD_HIGH[0]] * 3
    assert set(bar_fills(aml)) <= set(GOOD_HIGH[:2])


def test_compare_chart_one_dot_per_score(cli, tmp_path: Path) -> None:
    svg, png = tmp_path / "c.svg", tmp_path / "c.png"
    result = cli("compare", "mali", "niger", "chad", "--year", "2025", "--svg", svg, "--png", png)
    assert result.exit_code == 0, result.output
    view = load().compare(["mali", "niger", "chad"], 2025)
    scores = sum(1 for line in view.lines for s in line.scores if s is not None)
    assert marks(svg, "mark-symbol") == scores  # one dot per score (the legend apart)
    text = svg.read_text(encoding="utf-8")
    for name in ("Mali", "Niger", "Chad", "2025 edition", "Country", "Cocaine trade"):
        assert name in text
    assert "Source: Global Organized Crime Index 2025, GI-TOC" in text
    no_external_urls(text)
    assert png_size(png)[0] >= 1000


def test_trend_chart_lines_and_the_break(cli, tmp_path: Path) -> None:
    svg, png = tmp_path / "t.svg", tmp_path / "t.png"
    result = cli("trend", "mali", "criminality", "resilience", "--svg", svg, "--png", png)
    assert result.exit_code == 0, result.output
    assert marks(svg, "mark-line") == 2  # one line per indicator
    text = svg.read_text(encoding="utf-8")
    assert "methodology break (2021\u21922023)" in text
    assert marks(svg, "mark-rule") >= 1
    for word in ("Mali", "Criminality", "Resilience", "2021", "2025", "Indicator"):
        assert word in text
    assert "Source: Global Organized Crime Index 2021, 2023, 2025, GI-TOC" in text
    no_external_urls(text)
    assert png_size(png)[0] >= 1000
    # Every indicator: one line each, the pillar told by the dash (colours repeat after 20).
    every = tmp_path / "all.svg"
    assert cli("trend", "mali", "--svg", every).exit_code == 0
    series = load().trend("mali", ()).series
    assert marks(every, "mark-line") == sum(any(v is not None for v in s.values) for s in series)
    assert "Pillar" in every.read_text(encoding="utf-8")


def test_charts_escape_hostile_names(tmp_path: Path) -> None:
    from ocindex.charts.specs import Bar, Dot, TrendPoint, compare_spec, rank_spec, trend_spec

    hostile = '<script>alert("x")</script> & "Côte"'
    specs = [
        rank_spec(
            [Bar(hostile, 6.0, 1)], title=hostile, edition=2023, scope=hostile, good_when_high=True
        ),
        compare_spec(
            [Dot(hostile, hostile, 5.0)], indicators=[hostile], countries=[hostile], edition=2023
        ),
        trend_spec(
            [TrendPoint(hostile, 2021, 3.0), TrendPoint(hostile, 2023, 4.0)],
            country=hostile,
            editions=(2021, 2023),
            break_after=2021,
        ),
    ]
    for number, spec in enumerate(specs):
        svg = tmp_path / f"h{number}.svg"
        save(spec, svg=svg)
        ET.parse(svg)  # still well-formed
        assert "<script>alert" not in svg.read_text(encoding="utf-8")


def test_chart_without_the_extra(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "vl_convert", None)
    for args in (("rank", "cocaine"), ("compare", "mali", "niger"), ("trend", "mali")):
        result = cli(*args, "--png", tmp_path / "x.png")
        assert result.exit_code == 2, args
        assert "ocindex[charts]" in result.stderr
        assert result.stdout == ""  # nothing printed before the picture failed
    assert not list(tmp_path.iterdir())


def test_map_of_a_group_shows_its_members_only() -> None:
    import csv
    import io

    from typer.testing import CliRunner

    from ocindex.cli import app

    result = CliRunner().invoke(app, ["map", "criminality", "--group", "ecowas", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 15 and {r["of"] for r in rows} == {"15"}
    assert {"NGA", "MLI", "GHA"} <= {r["iso3"] for r in rows} and "CMR" not in {
        r["iso3"] for r in rows
    }


def test_show_draws_a_profile_card(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from ocindex.cli import app

    svg, png = tmp_path / "mali.svg", tmp_path / "mali.png"
    result = CliRunner().invoke(
        app, ["show", "mali", "--svg", str(svg), "--png", str(png), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    text = svg.read_text(encoding="utf-8")
    ET.fromstring(text)
    for needle in (
        "Mali · MLI · West Africa, Africa",
        "Criminality 5.93 (50th of 193, 15th of 54 in Africa, 3rd of 15 in West Africa)",
        "Resilience 2.38 (176th of 193",
        "Source: Global Organized Crime Index 2023, GI-TOC",
        "Non-state actors",
    ):
        assert needle in text, needle
    assert "http" not in text.replace("http://www.w3.org", "")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert json.loads(result.stdout)["country"]["iso3"] == "MLI"
