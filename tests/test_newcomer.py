"""What a newcomer trying the tool for an afternoon tripped on (issue 12), one test each."""

from __future__ import annotations

from pathlib import Path

from helpers_queries import ANSI, as_json, ok, run

TABLE = ("--format", "table")
TRANSCRIPTION = "public transcription of the 2025 edition"


def table(*args: str, width: int = 80) -> str:
    out = ok(*args, *TABLE, env={"COLUMNS": str(width), "NO_COLOR": "1"}).stdout
    return ANSI.sub("", out)


# -- changes: "new", "n/a", the break note, the first edition ---------------------------------


def test_no_break_note_where_no_change_exists() -> None:
    out = table("market", "financial", "--top", "3")
    assert "methodology break" not in out and "new" in out
    out = table("trend", "mali", "financial")
    assert "crosses the 2021" not in out


def test_new_and_comparable_agree_between_show_rank_and_trend() -> None:
    shown = as_json(ok("show", "mali", "--format", "json").stdout)["changes"]
    ranked = as_json(ok("market", "financial", "--format", "json").stdout)["ranking"]
    trended = as_json(ok("trend", "mali", "financial", "--format", "json").stdout)
    mali = next(e for e in ranked if e["country"]["iso3"] == "MLI")
    first_change = trended["series"][0]["changes"][0]
    assert shown["financial_crimes"]["comparable"] is None
    assert mali["change"]["comparable"] is None
    assert first_change["comparable"] is None and first_change["change"] is None
    for out in (table("show", "mali"), table("market", "financial", "--top", "3")):
        assert "new" in out
    assert "new" in table("trend", "mali", "financial")


def test_2021_views_have_no_empty_change_column() -> None:
    ranking = table("rank", "cocaine", "--year", "2021", "--top", "3")
    header = next(line for line in ranking.splitlines() if "Rank" in line)
    assert header.rstrip().endswith("┃") and "Change" not in header
    assert header.count("┃") == 7  # rank, country, iso3, region, score, bar: 6 columns
    profile = table("show", "mali", "--year", "2021")
    assert "vs " not in profile
    header = profile.split("CRIMINAL MARKETS")[1].splitlines()[1]
    assert header.count("┃") == 2  # indicator, score, bar: no blank change column


# -- grammar --------------------------------------------------------------------------------


def test_one_of_a_kind_is_singular(data_copy: Path) -> None:
    result = run("verify-scores", "mali", "--year", "2023")
    assert "Checked 1 country, 1 edition (2023), 4 composites" in result.stderr + result.stdout
    niger = data_copy / "niger.toml"
    niger.write_text(
        niger.read_text(encoding="utf-8").replace("criminality = 6.01", "criminality = 6.02", 1),
        encoding="utf-8",
    )
    result = run("verify-scores", "niger", "--year", "2021", "--data-dir", str(data_copy))
    assert result.exit_code == 1
    assert "1 discrepancy." in result.stderr
    assert "discrepancies" not in result.stderr


# -- 2025 provenance --------------------------------------------------------------------------


def test_2025_says_it_comes_from_a_transcription() -> None:
    cite = ok("cite", "--year", "2025").stdout
    assert TRANSCRIPTION in cite and "not GI-TOC's own workbook" in cite
    assert TRANSCRIPTION not in ok("cite").stdout  # 2023 is the official workbook
    source = as_json(ok("show", "mali", "--year", "2025", "--format", "json").stdout)["source"]
    assert TRANSCRIPTION in source["provenance"]
    assert "provenance" not in as_json(ok("show", "mali", "--format", "json").stdout)["source"]
    assert TRANSCRIPTION in " ".join(table("show", "mali", "--year", "2025", width=200).split())
    bibtex = ok("cite", "--year", "2025", "--format", "bibtex").stdout
    assert "transcription" in bibtex
