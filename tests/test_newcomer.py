"""What a newcomer trying the tool for an afternoon tripped on (issue 12), one test each."""

from __future__ import annotations

from pathlib import Path

from helpers_queries import ANSI, as_json, ok, run, usage_error

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
    assert header.count("┃") == 3  # indicator, score, bar, rank: no blank change column


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


# -- names as typed ---------------------------------------------------------------------------


def compared(*countries: str) -> list[str]:
    header = ok("compare", *countries, "--format", "csv").stdout.splitlines()[0].split(",")
    return header[3:-2]


def test_unquoted_multi_word_names_are_joined() -> None:
    assert compared("guinea", "bissau", "mali") == ["GNB", "MLI"]
    assert compared("equatorial", "guinea", "gabon") == ["GNQ", "GAB"]
    assert compared("guinea", "mali") == ["GIN", "MLI"]
    assert compared("st", "vincent", "and", "the", "grenadines", "mali") == ["VCT", "MLI"]
    assert compared("congo", "dem", "rep", "congo", "rep") == ["COD", "COG"]
    assert compared("burkina", "faso", "niger", "nigeria") == ["BFA", "NER", "NGA"]
    # never a silent different comparison: one country is refused, not compared with itself
    assert "not 1" in usage_error("compare", "guinea", "bissau").stderr
    result = ok("verify-scores", "guinea", "bissau", "--year", "2023")
    assert "Checked 1 country" in result.stderr


def test_the_api_joins_the_same_way() -> None:
    import ocindex

    index = ocindex.load()
    assert [c.iso3 for c in index.countries_from_words(["equatorial", "guinea", "gabon"])] == [
        "GNQ",
        "GAB",
    ]


def test_group_words_are_ambiguous_and_typos_get_suggestions() -> None:
    for command in ("rank", "market"):
        message = usage_error(command, "drug").stderr
        assert "ambiguous" in message and "heroin_trade" in message and "cocaine_trade" in message
    assert "ambiguous" in usage_error("rank", "drugs").stderr
    assert "ambiguous" in usage_error("rank", "trade").stderr
    assert "did you mean 'cocaine_trade'?" in usage_error("market", "cocane").stderr
    assert "did you mean 'cocaine_trade'?" in usage_error("rank", "cocane").stderr
    assert ok("rank", "synthetic drug", "--format", "json").stdout.count("synthetic_drug_trade")


def test_places_outside_the_index_are_said_to_be_not_covered() -> None:
    for place, name in (
        ("taiwan", "Taiwan"),
        ("TWN", "Taiwan"),
        ("kosovo", "Kosovo"),
        ("palestine", "Palestine"),
        ("State of Palestine", "Palestine"),
        ("western sahara", "Western Sahara"),
        ("hong kong", "Hong Kong"),
    ):
        message = usage_error("show", place).stderr
        assert f"{name} is not covered by the Global Organized Crime Index" in message
        assert "Thailand" not in message
    assert ok("show", "thailand", "--format", "json").stdout


# -- the Python API ---------------------------------------------------------------------------


def test_api_takes_names_everywhere_and_keeps_cli_advice_out_of_exceptions() -> None:
    import pytest

    import ocindex
    from ocindex.errors import NotFoundError, UsageError

    index = ocindex.load()
    assert index.record("mali", 2023).region == "West Africa"
    assert index.record("MLI").edition == 2023
    assert index.position("mali", "criminality", 2023, "region").rank == 3
    assert index.position("mali", "criminality").rank == 50
    assert index.positions("Mali", "resilience", 2023)["global"].rank == 176
    with pytest.raises(UsageError) as caught:
        index.score("mali", "financial", 2021)
    assert "--year" not in str(caught.value) and "--year" in (caught.value.hint or "")
    with pytest.raises(NotFoundError) as missing:
        index.country("narnia")
    assert "ocindex" not in str(missing.value)
    with pytest.raises(UsageError):
        index.position("mali", "criminality", 2023, "planet")
    entry = index.rank("cocaine").entries[0]
    assert len(repr(entry)) < 400
    assert repr(entry.country) == "Country('Colombia', iso3='COL')"


# -- narrow terminals -------------------------------------------------------------------------


def data_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("│")]


def test_compare_keeps_row_labels_readable_at_80_and_120_columns() -> None:
    for width, countries in ((80, ("mali", "niger", "chad", "gabon")), (120, SIX)):
        out = table("compare", *countries, width=width)
        assert max(len(line) for line in out.splitlines()) <= width
        labels = [line.split("│")[1].strip() for line in data_lines(out)]
        assert "Human trafficking" in labels and "CRIMINALITY" in labels
        assert all(len(line.split("│")[1]) >= 22 for line in data_lines(out))
        assert "Spread" in out  # the last column is not cut off either
    wide = table("compare", "mali", "niger", "chad", width=200)
    assert "█" in wide  # bars where there is room


SIX = ("mali", "niger", "chad", "gabon", "ghana", "togo")


def test_listings_at_80_columns_keep_what_users_copy() -> None:
    out = table("list", "indicators", width=80)
    assert max(len(line) for line in out.splitlines()) <= 80
    keys = [line.split("│")[1].strip() for line in data_lines(out)]
    assert "government_transparency_and_accountability" in keys
    assert "non_renewable_resource_crimes" in keys and "…" not in out
    editions = table("list", "editions", width=80)
    assert max(len(line) for line in editions.splitlines()) <= 80
    assert "SHA-256" in editions and "Sha256" not in editions and "…" not in editions
    assert "yes" in editions and "True" not in editions and "False" not in editions
    folded = "".join(line.split("│")[-2].strip() for line in data_lines(editions)[:8])
    assert "764cac5ff3f00c8c343abea2c9658fd23ab4351c115034af2108a9d0e1c5d4ef" in folded
    countries = table("list", "countries", width=120)
    assert "ISO3" in countries and "Iso3" not in countries


# -- text across profiles ---------------------------------------------------------------------


def test_list_profiles_and_the_messages_about_missing_text() -> None:
    rows = [line.split("\t") for line in ok("list", "profiles").stdout.splitlines()]
    assert rows[0] == ["country", "iso3", "edition", "paragraphs", "document"]
    assert rows[1][:4] == ["Mali", "MLI", "2023", "28"]
    assert ok("list", "profiles", "--year", "2021").stdout.count("\n") == 1  # the header only
    shown = ok("show", "chad", "--text", "--format", "json")
    assert "ocindex import ocindex_profile_chad_2023.pdf" in shown.stderr
    found = run("search", "gold")
    assert found.exit_code == 0
    assert "in 1 profile document match" in table("search", "gold")
    assert run("search", "gold", "--country", "chad").exit_code == 1
