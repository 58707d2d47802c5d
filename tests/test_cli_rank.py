"""`ocindex rank` and its pillar shortcuts `market`, `actor`, `resilience` (issue 3, item 1)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from helpers_queries import (
    ANSI,
    MISSING_2025,
    as_json,
    edition_rows,
    expected_ranks,
    mali_paragraphs,
    ok,
    site_change,
    tsv,
    usage_error,
)
from ocindex.indicators import ALL, BY_KEY
from ocindex.resolve import normalize

KEYS_2023 = [item.key for item in ALL]


def ranking(*args: str) -> list[dict[str, str]]:
    return tsv(ok(*args).stdout)


# -- exact figures from the real data ---------------------------------------------------------


def test_market_cocaine_2023_top_of_the_table() -> None:
    rows = ranking("market", "cocaine")
    assert len(rows) == 193
    head = [(r["rank"], r["country"], r["iso3"], r["score"]) for r in rows[:8]]
    assert head == [
        ("1", "Colombia", "COL", "9.5"),
        ("2", "Brazil", "BRA", "9"),
        ("2", "Mexico", "MEX", "9"),
        ("2", "Peru", "PER", "9"),
        ("2", "Venezuela", "VEN", "9"),
        ("6", "Bolivia", "BOL", "8.5"),
        ("6", "Ecuador", "ECU", "8.5"),
        ("6", "Guatemala", "GTM", "8.5"),
    ]
    ecuador = rows[6]
    assert (ecuador["region"], ecuador["previous_edition"], ecuador["previous_score"]) == (
        "South America",
        "2021",
        "7",
    )
    assert (ecuador["change"], ecuador["comparable"]) == ("1.5", "true")


def test_rank_is_the_same_command_as_market() -> None:
    assert ok("rank", "cocaine").stdout == ok("market", "cocaine").stdout
    assert ok("rank", "cocaine_trade").stdout == ok("market", "Cocaine trade").stdout


def test_mali_criminality_2023_ranks_match_the_profile() -> None:
    """The profile states 50th of 193 (tied with Haiti), 15th of 54, 3rd of 15."""
    world = {r["iso3"]: r for r in ranking("rank", "criminality")}
    assert world["MLI"]["rank"] == world["HTI"]["rank"] == "50"
    assert world["MLI"]["score"] == "5.93"
    africa = {r["iso3"]: r for r in ranking("rank", "criminality", "--continent", "Africa")}
    assert len(africa) == 54
    assert africa["MLI"]["rank"] == "15"
    west = ranking("rank", "criminality", "--region", "West Africa")
    assert len(west) == 15
    assert {r["iso3"]: r["rank"] for r in west}["MLI"] == "3"
    resilience = {r["iso3"]: r["rank"] for r in ranking("resilience")}
    assert resilience["MLI"] == resilience["COD"] == resilience["COM"] == "176"


@pytest.mark.parametrize("key", KEYS_2023)
def test_every_key_ranks_like_an_independent_count(key: str) -> None:
    """Competition ranking (1, 2, 2, 4) over the world, for every indicator and composite."""
    rows = ranking("rank", key, "--format", "tsv")
    expected = expected_ranks(2023, key)
    data = edition_rows(2023)
    # Ties in alphabetical order, as people read it (accents and case folded).
    assert [r["iso3"] for r in rows] == sorted(
        expected, key=lambda iso3: (expected[iso3], normalize(data[iso3]["name"]))
    )
    for row in rows:
        assert int(row["rank"]) == expected[row["iso3"]]
        assert float(row["score"]) == data[row["iso3"]]["scores"][key]
        assert row["region"] == data[row["iso3"]]["region"]
        assert row["continent"] == data[row["iso3"]]["continent"]
    ranks = [int(r["rank"]) for r in rows]
    assert ranks == sorted(ranks)
    assert ranks[0] == 1


@pytest.mark.parametrize(
    ("year", "key", "continent", "region"),
    [
        (2023, "cocaine_trade", "Africa", None),
        (2023, "cocaine_trade", None, "West Africa"),
        (2023, "resilience", "Europe", "Northern Europe"),
        (2021, "state_embedded_actors", "Americas", None),
        (2025, "criminality", None, "Caribbean"),
        (2025, "financial_crimes", "Oceania", None),
    ],
)
def test_ranks_are_within_the_filtered_scope(
    year: int, key: str, continent: str | None, region: str | None
) -> None:
    args = ["rank", key, "--year", str(year)]
    if continent:
        args += ["--continent", continent]
    if region:
        args += ["--region", region]
    rows = ranking(*args)
    expected = expected_ranks(year, key, continent=continent, region=region)
    assert {r["iso3"]: int(r["rank"]) for r in rows} == expected
    assert all(continent in (None, r["continent"]) for r in rows)
    assert all(region in (None, r["region"]) for r in rows)


def test_mali_cocaine_in_west_africa_is_ranked_among_15() -> None:
    rows = ranking("market", "cocaine", "--region", "west africa")
    assert len(rows) == 15
    mali = next(r for r in rows if r["iso3"] == "MLI")
    assert (mali["rank"], mali["score"]) == ("11", "6")
    assert [(r["iso3"], r["rank"]) for r in rows[:2]] == [("GNB", "1"), ("CPV", "2")]


def test_region_names_follow_the_edition() -> None:
    """2023 spells it "Caribbean & Central"; 2025 has "Caribbean" and "Central America"."""
    rows_2023 = ranking("rank", "criminality", "--region", "Caribbean & Central")
    assert len(rows_2023) == 21
    assert {r["region"] for r in rows_2023} == {"Caribbean & Central"}
    rows_2025 = ranking("rank", "criminality", "--year", "2025", "--region", "Caribbean")
    assert {r["region"] for r in rows_2025} == {"Caribbean"}
    assert "MEX" not in {r["iso3"] for r in rows_2025}
    assert "MEX" in {r["iso3"] for r in rows_2023}


def test_ascending_lists_the_lowest_first_keeping_the_index_ranks() -> None:
    rows = ranking("rank", "cocaine", "--ascending")
    expected = expected_ranks(2023, "cocaine_trade")  # the highest score is still 1st
    assert {r["iso3"]: int(r["rank"]) for r in rows} == expected
    assert [int(r["rank"]) for r in rows] == sorted((int(r["rank"]) for r in rows), reverse=True)
    assert float(rows[0]["score"]) == min(float(r["score"]) for r in rows)
    assert int(rows[0]["rank"]) > 1
    assert rows[-1]["iso3"] == "COL" and rows[-1]["rank"] == "1"
    table = ok("rank", "cocaine", "--ascending", "--top", "3", "--format", "table").stdout
    assert "lowest first" in table


@pytest.mark.parametrize("n", [1, 5, 193, 500])
def test_top_shows_the_first_n(n: int) -> None:
    full = ranking("rank", "criminality")
    top = ranking("rank", "criminality", "--top", str(n))
    assert top == full[:n]
    as_json_out = as_json(ok("rank", "criminality", "--top", str(n), "--format", "json").stdout)
    assert len(as_json_out["ranking"]) == min(n, 193)
    assert as_json_out["of"] == 193


def test_top_and_scope_counts_in_table_title() -> None:
    table = ok("market", "cocaine", "--top", "3", "--format", "table").stdout
    assert "Cocaine trade (cocaine_trade) · 2023 · the world · top 3 of 193, highest first" in (
        table
    )
    table = ok("market", "cocaine", "--region", "West Africa", "--format", "table").stdout
    assert "West Africa · 15 countries" in table


# -- the pillar shortcuts ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "key"),
    [
        (("market",), "criminal_markets"),
        (("actor",), "criminal_actors"),
        (("resilience",), "resilience"),
        (("market", "cocaine"), "cocaine_trade"),
        (("market", "cyber"), "cyber_dependent_crimes"),
        (("market", "arms"), "arms_trafficking"),
        (("market", "markets"), "criminal_markets"),
        (("actor", "state-embedded"), "state_embedded_actors"),
        (("actor", "private"), "private_sector_actors"),
        (("resilience", "aml"), "anti_money_laundering"),
        (("resilience", "Anti-money laundering"), "anti_money_laundering"),
        (("resilience", "resilience"), "resilience"),
    ],
)
def test_pillar_commands_resolve_within_their_pillar(args: tuple[str, ...], key: str) -> None:
    out = as_json(ok(*args, "--top", "2", "--format", "json").stdout)
    assert out["indicator"]["key"] == key
    assert out["indicator"]["pillar"] == BY_KEY[key].pillar


@pytest.mark.parametrize(
    "args",
    [
        ("market", "aml"),
        ("market", "state-embedded"),
        ("market", "criminality"),
        ("market", "resilience"),
        ("actor", "cocaine"),
        ("actor", "aml"),
        ("actor", "criminal_markets"),
        ("resilience", "cocaine"),
        ("resilience", "state_embedded_actors"),
        ("resilience", "criminality"),
    ],
)
def test_pillar_commands_refuse_other_pillars(args: tuple[str, ...]) -> None:
    result = usage_error(*args)
    assert f"'{args[1]}'" in result.stderr


def test_market_aml_message_names_the_pillar() -> None:
    result = usage_error("market", "aml")
    assert (
        "'aml' is Anti-money laundering (anti_money_laundering), not one of the criminal markets"
        in result.stderr
    )
    assert "Try `ocindex resilience aml`." in result.stderr


def test_resilience_alone_ranks_the_resilience_score() -> None:
    rows = ranking("resilience")
    assert rows[0]["iso3"] == "FIN"
    assert {r["iso3"]: int(r["rank"]) for r in rows} == expected_ranks(2023, "resilience")
    assert ok("resilience").stdout == ok("rank", "resilience").stdout


def test_actor_state_embedded_2023_ties_at_the_top() -> None:
    rows = ranking("actor", "state-embedded")
    assert [(r["rank"], r["iso3"], r["score"]) for r in rows[:3]] == [
        ("1", "PRK", "10"),
        ("1", "SYR", "10"),
        ("3", "ERI", "9.5"),
    ]


# -- change since the previous edition ---------------------------------------------------


def test_change_is_na_where_not_assessed_before() -> None:
    """Financial crimes were first assessed in 2023: there is no 2021 figure to compare."""
    rows = ranking("market", "financial")
    assert all(r["previous_edition"] == "2021" for r in rows)
    assert all(r["previous_score"] == "" and r["change"] == "" for r in rows)
    out = as_json(ok("market", "financial", "--top", "3", "--format", "json").stdout)
    assert all(e["change"]["previous"] is None for e in out["ranking"])
    assert all(e["change"]["change"] is None for e in out["ranking"])
    table = ok("market", "financial", "--top", "3", "--format", "table").stdout
    data_lines = [line for line in table.splitlines() if "│" in line and "Rank" not in line]
    assert len(data_lines) == len(out["ranking"]) >= 3  # --top 3 keeps ties at the cut
    assert all(line.rstrip(" │").endswith("n/a") for line in data_lines)


def test_2021_has_no_change_column_values() -> None:
    rows = ranking("rank", "cocaine", "--year", "2021")
    assert all(r["previous_edition"] == r["change"] == r["comparable"] == "" for r in rows)


def test_change_values_match_the_data() -> None:
    before, after = edition_rows(2023), edition_rows(2025)
    for row in ranking("rank", "criminality", "--year", "2025"):
        old = before[row["iso3"]]["scores"]["criminality"]
        assert row["previous_edition"] == "2023"
        assert float(row["previous_score"]) == old
        # as ocindex.net: from the unrounded composites of both editions
        expected = site_change(
            before[row["iso3"]]["scores"], after[row["iso3"]]["scores"], "criminality"
        )
        assert Decimal(row["change"]) == expected
        assert row["comparable"] == "true"


def test_criminality_change_across_the_2021_break_is_marked() -> None:
    rows = ranking("rank", "criminality")
    assert {r["comparable"] for r in rows} == {"false"}
    assert {r["comparable"] for r in ranking("rank", "resilience")} == {"true"}
    assert {r["comparable"] for r in ranking("rank", "criminal_actors")} == {"false"}
    assert {r["comparable"] for r in ranking("rank", "cocaine")} == {"true"}
    table = ok("rank", "criminality", "--top", "2", "--format", "table").stdout
    assert "*" in table
    assert "methodology break" in table
    mali = next(r for r in rows if r["iso3"] == "MLI")
    assert (mali["previous_score"], mali["change"]) == ("5.89", "0.05")  # not 5.93 - 5.89


# -- profile text ------------------------------------------------------------------------


def _mali_cocaine_paragraph() -> str:
    return str(next(p["text"] for p in mali_paragraphs() if "cocaine_trade" in p["indicators"]))


def test_text_shows_malis_cocaine_paragraph_labelled_2023_in_a_table() -> None:
    out = ok("market", "cocaine", "--text", "--region", "West Africa", "--format", "table").stdout
    assert ANSI.search(out) is None
    assert "Mali (2023) · Criminal markets / Drugs · heroin_trade, cocaine_trade" in out
    assert _mali_cocaine_paragraph().strip() in out
    # The whole world's listing includes Mali too.
    assert "Mali (2023)" in ok("market", "cocaine", "--text", "--format", "table").stdout


def test_text_in_json_carries_the_paragraph_and_its_edition() -> None:
    out = as_json(ok("market", "cocaine", "--text", "--format", "json").stdout)
    (excerpt,) = out["narrative"]
    assert (excerpt["iso3"], excerpt["edition"], excerpt["section"]) == (
        "MLI",
        2023,
        "Criminal markets",
    )
    assert excerpt["heading"] == "Drugs"
    assert excerpt["indicators"] == ["heroin_trade", "cocaine_trade"]
    assert excerpt["text"] == _mali_cocaine_paragraph().strip()


def test_text_for_a_composite_takes_every_paragraph_of_the_pillar() -> None:
    out = as_json(ok("market", "--text", "--region", "West Africa", "--format", "json").stdout)
    sections = {p["section"] for p in out["narrative"]}
    assert sections == {"Criminal markets"}
    markets = [p for p in mali_paragraphs() if p["section"] == "Criminal markets"]
    assert len(out["narrative"]) == len(markets)


def test_text_is_only_for_the_countries_listed() -> None:
    out = ok("market", "cocaine", "--text", "--top", "5", "--format", "table").stdout
    assert "Mali (2023)" not in out
    assert "No profile text in 2023 for the countries listed." in out
    js = as_json(ok("market", "cocaine", "--text", "--top", "5", "--format", "json").stdout)
    assert js["narrative"] == []


def test_text_of_another_edition_is_not_shown_as_this_one() -> None:
    out = ok(
        "market", "cocaine", "--text", "--year", "2025", "--region", "West Africa",
        "--format", "table",
    ).stdout  # fmt: skip
    assert "Mali (2023) ·" not in out
    assert _mali_cocaine_paragraph().strip() not in out
    assert "No profile text in 2025 for the countries listed; text exists for Mali (2023)." in out


def test_no_text_without_the_flag() -> None:
    out = as_json(ok("market", "cocaine", "--format", "json").stdout)
    assert "narrative" not in out
    assert "Mali (2023)" not in ok("market", "cocaine", "--format", "table").stdout


def test_text_reaches_piped_output() -> None:
    result = ok("market", "cocaine", "--text", "--region", "West Africa")
    rows = tsv(result.stdout)
    assert list(rows[0]) == [
        "iso3",
        "country",
        "edition",
        "section",
        "heading",
        "indicators",
        "text",
    ]
    assert [(r["iso3"], r["edition"]) for r in rows] == [("MLI", "2023")]
    assert rows[0]["text"] == _mali_cocaine_paragraph().strip()
    none = ok("market", "cocaine", "--text", "--year", "2025", "--top", "3")
    assert tsv(none.stdout) == []
    assert "No profile text in 2025" in none.stderr


# -- 2025 coverage -----------------------------------------------------------------------


def _says_190_and_names_the_missing(text: str) -> None:
    assert "190" in text
    for name in MISSING_2025:
        assert name in text


def test_2025_ranking_says_it_covers_190_countries() -> None:
    result = ok("rank", "criminality", "--year", "2025")
    rows = tsv(result.stdout)
    assert len(rows) == 190
    assert not {"KNA", "LCA", "VCT"} & {r["iso3"] for r in rows}
    assert result.stderr.startswith("note: The 2025 data covers 190 of 193 countries")
    _says_190_and_names_the_missing(result.stderr)
    table = ok("market", "cocaine", "--year", "2025", "--top", "3", "--format", "table").stdout
    _says_190_and_names_the_missing(table)
    assert "top 3 of 190" in table
    js = as_json(ok("actor", "--year", "2025", "--format", "json").stdout)
    assert js["of"] == 190
    assert js["source"]["countries"] == 190
    assert [m["name"] for m in js["source"]["missing"]] == list(MISSING_2025)
    _says_190_and_names_the_missing(" ".join(js["notes"]))


def test_2023_ranking_has_no_coverage_note() -> None:
    result = ok("rank", "cocaine")
    assert result.stderr == ""
    assert as_json(ok("rank", "cocaine", "--format", "json").stdout)["notes"] == []


# -- refusals ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("rank", "financial", "--year", "2021"), "was not assessed in 2021"),
        (("market", "cyber", "--year", "2021"), "was not assessed in 2021"),
        (("actor", "private", "--year", "2021"), "was not assessed in 2021"),
        (("rank", "cocaine", "--year", "2019"), "no 2019 edition in the data"),
        (("rank", "cocaine", "--top", "0"), "--top must be at least 1, not 0"),
        (("rank", "cocaine", "--top", "-3"), "--top must be at least 1"),
        (
            ("rank", "cocaine", "--continent", "Europe", "--region", "West Africa"),
            "no country of 2023 is in both Europe and West Africa",
        ),
        (("rank", "cocaine", "--continent", "Narnia"), "unknown continent in 2023 'Narnia'"),
        (("rank", "cocaine", "--region", "Central"), "is ambiguous"),
        (("rank", "human"), "'human_smuggling' or 'human_trafficking'"),
        (("rank", "cocaine", "--format", "xml"), "'xml' is not one of"),
        (("rank",), "Missing argument"),
    ],
)
def test_rank_refusals_exit_2(args: tuple[str, ...], message: str) -> None:
    assert message in usage_error(*args).stderr
