"""`ocindex join` and `ocindex resolve`: other tables' country names, never guessed."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ocindex.cli import app

runner = CliRunner()

# Spellings as other indices publish them: (name, ISO3).
WORLD_BANK = [
    ("Congo, Dem. Rep.", "COD"),
    ("Congo, Rep.", "COG"),
    ("Korea, Rep.", "KOR"),
    ("Korea, Dem. People's Rep.", "PRK"),
    ("Iran, Islamic Rep.", "IRN"),
    ("Egypt, Arab Rep.", "EGY"),
    ("Venezuela, RB", "VEN"),
    ("Yemen, Rep.", "YEM"),
    ("Lao PDR", "LAO"),
    ("Micronesia, Fed. Sts.", "FSM"),
    ("St. Lucia", "LCA"),
    ("St. Kitts and Nevis", "KNA"),
    ("St. Vincent and the Grenadines", "VCT"),
    ("Gambia, The", "GMB"),
    ("Bahamas, The", "BHS"),
    ("Kyrgyz Republic", "KGZ"),
    ("Slovak Republic", "SVK"),
    ("Russian Federation", "RUS"),
    ("Syrian Arab Republic", "SYR"),
    ("Turkiye", "TUR"),
    ("Viet Nam", "VNM"),
    ("Cabo Verde", "CPV"),
    ("Eswatini", "SWZ"),
]
UN_M49 = [
    ("Bolivia (Plurinational State of)", "BOL"),
    ("Iran (Islamic Republic of)", "IRN"),
    ("Venezuela (Bolivarian Republic of)", "VEN"),
    ("Micronesia (Federated States of)", "FSM"),
    ("Republic of Korea", "KOR"),
    ("Democratic People's Republic of Korea", "PRK"),
    ("Republic of Moldova", "MDA"),
    ("United Republic of Tanzania", "TZA"),
    ("Democratic Republic of the Congo", "COD"),
    ("Lao People's Democratic Republic", "LAO"),
    ("United Kingdom of Great Britain and Northern Ireland", "GBR"),
    ("Netherlands (Kingdom of the)", "NLD"),
    ("Türkiye", "TUR"),
    ("Côte d\u2019Ivoire", "CIV"),
    ("Sao Tome and Principe", "STP"),
    ("Timor-Leste", "TLS"),
]
CPI = [
    ("Cote d'Ivoire", "CIV"),
    ("Côte d'Ivoire", "CIV"),
    ("Korea, South", "KOR"),
    ("Korea, North", "PRK"),
    ("Guinea Bissau", "GNB"),
    ("Brunei Darussalam", "BRN"),
    ("United States of America", "USA"),
    ("Czechia", "CZE"),
    ("North Macedonia", "MKD"),
    ("Saint Lucia", "LCA"),
    ("Trinidad and Tobago", "TTO"),
    ("Bosnia and Herzegovina", "BIH"),
    ("UK", "GBR"),
    ("Niger", "NER"),
    ("Nigeria", "NGA"),
    ("Guinea", "GIN"),
    ("Sudan", "SDN"),
    ("South Sudan", "SSD"),
    ("Dominica", "DMA"),
    ("Dominican Republic", "DOM"),
    ("Congo, Dem, Rep,", "COD"),  # the official 2023 sheet's own spelling
]


@pytest.mark.parametrize(("name", "iso3"), WORLD_BANK + UN_M49 + CPI)
def test_real_world_spellings_resolve(name: str, iso3: str) -> None:
    result = runner.invoke(app, ["resolve", name, "--format", "csv"])
    assert result.exit_code == 0, result.output
    row = next(csv.DictReader(io.StringIO(result.stdout)))
    assert (row["input"], row["iso3"]) == (name, iso3)


def test_uk_is_not_uganda() -> None:
    result = runner.invoke(app, ["resolve", "UK", "UG", "Uganda", "-f", "json"])
    assert [r["iso3"] for r in json.loads(result.stdout)] == ["GBR", "UGA", "UGA"]


def test_resolve_reads_stdin() -> None:
    result = runner.invoke(app, ["resolve"], input="Korea, Rep.\r\nViet Nam\n\nMLI\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "input\tiso3\tiso2\tname",
        "Korea, Rep.\tKOR\tKR\tKorea, Rep.",
        "Viet Nam\tVNM\tVN\tVietnam",
        "MLI\tMLI\tML\tMali",
    ]


def test_resolve_refuses_unknown_and_ambiguous_names_listing_each() -> None:
    result = runner.invoke(app, ["resolve", "mali", "congo", "Narnia", "Taiwan"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "3 name(s)" in result.stderr
    assert "'Congo, Dem. Rep.' or 'Congo, Rep.'" in result.stderr
    assert "'Narnia'" in result.stderr and "Taiwan is not covered" in result.stderr


def test_resolve_keep_unmatched_keeps_the_lines() -> None:
    result = runner.invoke(app, ["resolve", "--keep-unmatched", "mali", "congo"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1:] == ["mali\tMLI\tML\tMali", "congo\t\t\t"]
    assert "unmatched:" in result.stderr and "ambiguous" in result.stderr


# -- join --------------------------------------------------------------------------------


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding, newline="")
    return path


def joined(*args: str) -> tuple[Any, list[dict[str, str]]]:
    result = runner.invoke(app, ["join", *args])
    rows = list(csv.DictReader(io.StringIO(result.stdout))) if result.exit_code == 0 else []
    return result, rows


def test_join_appends_iso3_and_the_headline_scores(tmp_path: Path) -> None:
    cpi = write(
        tmp_path / "cpi.csv",
        '\ufeffCountry,CPI score 2023\nMali,28\n"Korea, Rep.",63\n"Venezuela, RB",13\n',
    )
    result, rows = joined(str(cpi), "--country-column", "Country")
    assert result.exit_code == 0, result.output
    assert list(rows[0]) == ["Country", "CPI score 2023", "iso3", "criminality", "resilience"]
    assert rows[0] == {
        "Country": "Mali",
        "CPI score 2023": "28",
        "iso3": "MLI",
        "criminality": "5.93",
        "resilience": "2.38",
    }
    assert rows[1]["iso3"] == "KOR"
    assert rows[2]["iso3"] == "VEN"


def test_join_indicators_year_tsv_and_json(tmp_path: Path) -> None:
    table = write(tmp_path / "wb.tsv", "name\tgdp\nEgypt, Arab Rep.\t1\nSt. Lucia\t2\n")
    result = runner.invoke(
        app,
        ["join", str(table), "-c", "name", "-i", "cocaine", "-i", "aml", "--year", "2025"],
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "name\tgdp\tiso3\tcocaine_trade\tanti_money_laundering"
    assert lines[2] == "St. Lucia\t2\tLCA\t\t"  # not in the 2025 source
    assert "St. Lucia has no 2025 scores" in result.stderr
    as_json = runner.invoke(app, ["join", str(table), "-c", "NAME", "-f", "json"])
    assert json.loads(as_json.stdout)[0] == {
        "name": "Egypt, Arab Rep.",
        "gdp": "1",
        "iso3": "EGY",
        "criminality": 5.05,
        "resilience": 3.83,
    }


def test_join_refuses_unknown_names_and_prints_nothing(tmp_path: Path) -> None:
    table = write(tmp_path / "t.csv", "country,x\nMali,1\nCongo,2\nNarnia,3\n,4\nCongo,5\n")
    result, _ = joined(str(table), "-c", "country")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "3 name(s)" in result.stderr
    assert "ambiguous" in result.stderr and "(line 3, 6)" in result.stderr
    assert "'Narnia'" in result.stderr
    assert "empty country name (line 5)" in result.stderr


def test_join_keep_unmatched(tmp_path: Path) -> None:
    table = write(tmp_path / "t.csv", "country,x\nMali,1\nCongo,2\n")
    result, rows = joined(str(table), "-c", "country", "--keep-unmatched")
    assert result.exit_code == 0
    assert rows[1] == {
        "country": "Congo",
        "x": "2",
        "iso3": "",
        "criminality": "",
        "resilience": "",
    }
    assert "unmatched:" in result.stderr


def test_join_refuses_rows_longer_than_the_header(tmp_path: Path) -> None:
    """An unquoted comma in a name splits it: refused, never cut (trailing empty cells pass)."""
    table = write(tmp_path / "t.csv", "country,x\nMali,1,,\nKorea, Rep.,2\n")
    result, _ = joined(str(table), "-c", "country")
    assert result.exit_code == 2
    assert "1 line(s) have more cells than the header (2): line 3" in result.stderr
    assert result.stdout == ""


def test_join_column_problems(tmp_path: Path) -> None:
    dup = write(tmp_path / "dup.csv", "country,country\nMali,Niger\n")
    result, _ = joined(str(dup), "-c", "country")
    assert result.exit_code == 2 and "appears 2 times" in result.stderr
    result, _ = joined(str(dup), "-c", "nation")
    assert result.exit_code == 2 and "no column 'nation'" in result.stderr
    clash = write(tmp_path / "clash.csv", "country,iso3\nMali,x\n")
    result, rows = joined(str(clash), "-c", "country")
    assert rows[0]["iso3"] == "x" and rows[0]["ocindex_iso3"] == "MLI"
    empty = write(tmp_path / "empty.csv", "")
    result, _ = joined(str(empty), "-c", "country")
    assert result.exit_code == 2 and "empty" in result.stderr
    result, _ = joined(str(tmp_path / "none.csv"), "-c", "country")
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_join_keeps_hostile_cells_exact(tmp_path: Path) -> None:
    text = 'country,note\nMali,"=HYPERLINK(""x"")"\nNiger,"two\nlines, and ""quotes"""\n'
    table = write(tmp_path / "t.csv", text)
    result, rows = joined(str(table), "-c", "country")
    assert result.exit_code == 0
    assert rows[0]["note"] == '=HYPERLINK("x")'
    assert rows[1]["note"] == 'two\nlines, and "quotes"'


def test_join_short_rows_and_a_cp1252_file(tmp_path: Path) -> None:
    table = write(tmp_path / "t.csv", "country,a,b\nC\xf4te d'Ivoire\n", encoding="cp1252")
    result, rows = joined(str(table), "-c", "country")
    assert result.exit_code == 0, result.output
    assert rows[0]["iso3"] == "CIV" and rows[0]["a"] == ""


def test_join_100k_rows(tmp_path: Path) -> None:
    names = ["Mali", '"Korea, Rep."', "Viet Nam", "UK", "Türkiye"]
    body = "".join(f"{names[i % 5]},{i}\n" for i in range(100_000))
    table = write(tmp_path / "big.csv", "country,n\n" + body)
    result = runner.invoke(app, ["join", str(table), "-c", "country", "-f", "tsv"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 100_001
    assert lines[2] == "Korea, Rep.\t1\tKOR\t" + "\t".join(lines[7].split("\t")[3:])
    assert lines[4] == "UK\t3\tGBR\t5.75\t7.54"


def test_join_xlsx(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Economy", "Score"])
    sheet.append(["Congo, Dem. Rep.", 20])
    sheet.append(["Micronesia, Fed. Sts.", 62.5])
    sheet.append([None, None])
    path = tmp_path / "wgi.xlsx"
    book.save(path)
    result, rows = joined(str(path), "-c", "Economy")
    assert result.exit_code == 0, result.output
    assert [(r["iso3"], r["Score"]) for r in rows] == [("COD", "20"), ("FSM", "62.5")]
    result, _ = joined(str(path), "-c", "Economy", "--sheet", "Nope")
    assert result.exit_code == 2 and "no sheet 'Nope'" in result.stderr
