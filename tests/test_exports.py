"""--svg writes what the table shows (Rich's own export); --html a page with a real table."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ocindex.cli import app

runner = CliRunner()


def test_profile_svg_looks_like_the_reference_first_page(tmp_path: Path) -> None:
    """A profile card: headline scores with rank context first, then the pillars' bars."""
    target = tmp_path / "mali.svg"
    result = runner.invoke(app, ["show", "mali", "--svg", str(target)])
    assert result.exit_code == 0, result.output
    assert f"wrote {target}" in result.stderr
    svg = target.read_text(encoding="utf-8")
    assert svg.startswith("<svg")
    for expected in ("5.93", "Criminality", "50th", "193", "3rd", "West", "2.38"):
        assert expected in svg, expected
    import xml.etree.ElementTree as ET

    svgns = "{http://www.w3.org/2000/svg}"
    bars = sum(
        1
        for group in ET.fromstring(svg).iter(f"{svgns}g")
        if "mark-rect" in (group.get("class") or "")
        for child in group
        if child.tag == f"{svgns}path"
    )
    assert bars == 15 + 5 + 12 + 3  # every indicator, and each pillar's average


@pytest.mark.parametrize(
    "args",
    [
        ["market", "cocaine", "--top", "5"],
        ["rank", "aml"],
        ["resilience"],
        ["compare", "mali", "niger"],
        ["trend", "mali", "criminality"],
    ],
)
def test_html_export_of_each_table_command(tmp_path: Path, args: list[str]) -> None:
    target = tmp_path / "out.html"
    result = runner.invoke(app, [*args, "--html", str(target), "--format", "csv"])
    assert result.exit_code == 0, result.output
    html = target.read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert "<table>" in html and "<td>" in html and "<pre" not in html
    assert "http://" not in html and "https://" not in html  # self-contained
    # the CSV still went to stdout
    assert result.stdout.splitlines()[0].count(",") >= 3


def test_export_content_matches_the_view(tmp_path: Path) -> None:
    target = tmp_path / "cocaine.html"
    runner.invoke(app, ["market", "cocaine", "--top", "1", "--html", str(target)])
    html = target.read_text(encoding="utf-8")
    assert "Colombia" in html and "9.50" in html
    assert "Venezuela" not in html  # only the top 1 is shown


def test_unwritable_export_path_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["show", "mali", "--svg", str(tmp_path / "no" / "dir.svg")])
    assert result.exit_code == 2
    assert "cannot write" in result.stderr
    assert "Traceback" not in result.output


def test_readme_embeds_an_image_made_by_the_tool() -> None:
    repo = Path(__file__).resolve().parents[1]
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert "](docs/mali-2023.svg)" in readme
    svg = (repo / "docs" / "mali-2023.svg").read_text(encoding="utf-8")
    assert "Criminality 5.93 (50th of 193" in svg and "Global Organized Crime Index 2023" in svg


def test_html_table_escapes_hostile_text(tmp_path: Path) -> None:
    from ocindex.render.html_table import page

    class Hostile:
        edition = 2023

        def rows(self) -> tuple[tuple[str, ...], list[tuple[object, ...]]]:
            return ("country",), [("<script>alert(1)</script> & co",)]

    text = page(Hostile(), "t")
    assert "<script>alert" not in text and "&lt;script&gt;" in text
