"""`ocindex cite`: the edition's reference, its data file and checksum, ENACT for Africa."""

import json

from typer.testing import CliRunner

from ocindex.cli import app

runner = CliRunner()
XLSX_SHA = "764cac5ff3f00c8c343abea2c9658fd23ab4351c115034af2108a9d0e1c5d4ef"


def test_text_citation_of_the_default_edition() -> None:
    result = runner.invoke(app, ["cite"])
    assert result.exit_code == 0
    assert "Global Organized Crime Index 2023" in result.stdout
    assert "Global Initiative Against Transnational Organized Crime" in result.stdout
    assert XLSX_SHA in result.stdout
    assert "ENACT" not in result.stdout


def test_african_profile_adds_enact() -> None:
    result = runner.invoke(app, ["cite", "mali"])
    assert "ENACT" in result.stdout
    assert "Mali: country profile, Global Organized Crime Index 2023" in result.stdout
    # the profile's own funding notices travel with its reference
    assert "Funding provided by the United States Government." in result.stdout
    assert "United States Department of State" in result.stdout
    europe = runner.invoke(app, ["cite", "france"])
    assert "ENACT" not in europe.stdout


def test_bibtex() -> None:
    result = runner.invoke(app, ["cite", "--year", "2025", "--format", "bibtex"])
    assert result.exit_code == 0
    assert result.stdout.startswith("@techreport{gitoc_ocindex_2025,")
    assert "year = {2025}" in result.stdout
    assert "global\\_oc\\_index\\_2025.csv" in result.stdout
    assert "St. Lucia" in result.stdout  # the coverage gap is part of the reference
    assert result.stdout.count("{") == result.stdout.count("}")


def test_json() -> None:
    result = runner.invoke(app, ["cite", "mali", "--format", "json"])
    data = json.loads(result.stdout)
    assert data["edition"] == 2023
    assert len(data["citations"]) == 2
    assert data["source"]["sha256"] == XLSX_SHA
