"""`ocindex search` and `ocindex list` (issue 3, items 4 and 5)."""

from __future__ import annotations

import re

import pytest

from helpers_queries import (
    ANSI,
    MISSING_2025,
    as_json,
    edition_rows,
    mali_paragraphs,
    ok,
    run,
    tsv,
    usage_error,
)
from ocindex.indicators import ALL
from ocindex.resolve import normalize

SEARCH_HEADER = "iso3\tcountry\tedition\tsection\theading\tindicators\tsentence"
LOME_SENTENCE = (
    "Additionally, legally manufactured cigarette brands, mostly imported from the UAE, "
    "flood the region, mainly through the ports of Lomé and Cotonou."
)


def paragraphs_matching(*patterns: str) -> list[int]:
    """Positions of Mali's paragraphs whose lower-cased text has every term at a word start."""
    return [
        i
        for i, p in enumerate(mali_paragraphs())
        if all(re.search(r"(?<!\w)" + re.escape(t), p["text"].casefold()) for t in patterns)
    ]


# -- search ------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["lome", "Lomé", "LOME", "LOMÉ", "lomé"])
def test_search_is_case_and_accent_insensitive(query: str) -> None:
    out = ok("search", query).stdout
    assert out.splitlines()[0] == SEARCH_HEADER
    (hit,) = tsv(out)
    assert hit == {
        "iso3": "MLI",
        "country": "Mali",
        "edition": "2023",
        "section": "Criminal markets",
        "heading": "Trade",
        "indicators": "trade_in_counterfeit_goods; illicit_trade_in_excisable_goods",
        "sentence": LOME_SENTENCE,
    }


def test_search_folds_accents_in_the_text_too() -> None:
    (hit,) = tsv(ok("search", "cote", "ivoire").stdout)
    assert "Côte d'Ivoire" in hit["sentence"]
    assert hit["indicators"] == "arms_trafficking"
    (hit,) = tsv(ok("search", "côte d'ivoire").stdout)
    assert "Côte d'Ivoire" in hit["sentence"]


def test_search_shows_the_matching_sentence_not_the_paragraph() -> None:
    (hit,) = tsv(ok("search", "lome").stdout)
    paragraph = next(p["text"] for p in mali_paragraphs() if "Lomé" in p["text"])
    assert hit["sentence"] in paragraph
    assert len(hit["sentence"]) < len(paragraph.strip())


def test_search_json_has_the_whole_paragraph_and_the_sentence() -> None:
    out = as_json(ok("search", "lome", "--format", "json").stdout)
    assert out["query"] == "lome"
    assert out["terms"] == ["lome"]
    assert out["searched"] == len(mali_paragraphs()) == 28
    (match,) = out["matches"]
    assert match["sentence"] == LOME_SENTENCE
    assert match["edition"] == 2023
    assert match["indicators"] == ["trade_in_counterfeit_goods", "illicit_trade_in_excisable_goods"]
    assert (
        match["text"] == next(p["text"] for p in mali_paragraphs() if "Lomé" in p["text"]).strip()
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("human", "trafficking"), paragraphs_matching("human", "trafficking")),
        (("human trafficking",), paragraphs_matching("human trafficking")),
        (('"human trafficking"',), paragraphs_matching("human trafficking")),
        (("drug", "trafficking"), paragraphs_matching("drug", "trafficking")),
        (('"drug trafficking"', "Bamako"), paragraphs_matching("drug trafficking", "bamako")),
        (("armed groups",), paragraphs_matching("armed groups")),
    ],
)
def test_search_words_and_phrases(args: tuple[str, ...], expected: list[int]) -> None:
    out = as_json(ok("search", *args, "--format", "json").stdout)
    texts = [p["text"].strip() for p in mali_paragraphs()]
    assert [texts.index(m["text"]) for m in out["matches"]] == expected
    assert expected  # the data has matches for every query here


def test_a_phrase_finds_fewer_than_its_words() -> None:
    words = tsv(ok("search", "human", "trafficking").stdout)
    phrase = tsv(ok("search", "human trafficking").stdout)
    assert (len(words), len(phrase)) == (5, 2)
    assert all(p in words for p in phrase)


def test_search_matches_words_from_their_start() -> None:
    """Terms match at the start of a word ("lom" finds Lomé; "ome" does not)."""
    assert len(tsv(ok("search", "lom").stdout)) >= 1
    assert "Lomé" not in run("search", "ome").stdout


@pytest.mark.parametrize(
    "args",
    [
        ("zzzqqq",),
        ("lome", "zzzqqq"),
    ],
)
def test_no_match_exits_1_with_0_results(args: tuple[str, ...]) -> None:
    """As grep does: exit 1 when nothing matches (the header is still written)."""
    result = run("search", *args)
    assert result.exit_code == 1
    assert result.stdout == SEARCH_HEADER + "\n"
    assert result.stderr == ""
    found = run("search", *args, "--format", "json")
    assert found.exit_code == 1 and as_json(found.stdout)["matches"] == []
    table = run("search", *args, "--format", "table").stdout
    assert table.startswith("0 paragraphs of 28 in 1 profile document match ")


def test_search_limited_to_a_country_and_edition() -> None:
    assert len(tsv(ok("search", "lome", "--country", "mali", "--year", "2023").stdout)) == 1
    result = run("search", "lome", "--country", "niger", "--format", "json")
    assert result.exit_code == 1 and as_json(result.stdout)["searched"] == 0
    assert "Niger has no profile text" in result.stderr


@pytest.mark.parametrize("args", [('""',), ("...",), ("  ",)])
def test_search_for_nothing_is_a_usage_error(args: tuple[str, ...]) -> None:
    assert "nothing to search for" in usage_error("search", *args).stderr


def test_search_refusals() -> None:
    assert "Missing argument" in usage_error("search").stderr
    assert "no 2019 edition" in usage_error("search", "lome", "--year", "2019").stderr
    assert "is ambiguous" in usage_error("search", "lome", "--country", "congo").stderr


def test_search_table_contains_the_match_without_colour_off_a_terminal() -> None:
    out = ok("search", "lome", "--format", "table").stdout
    assert ANSI.search(out) is None
    assert out.startswith("1 paragraph of 28 in 1 profile document match 'lome'")
    assert "Mali (2023) · Criminal markets / Trade" in out
    assert "Lomé" in out


def test_search_table_highlights_the_match_on_a_terminal() -> None:
    out = ok("search", "lome", "--format", "table", env={"FORCE_COLOR": "1"}).stdout
    assert "\x1b[1;7mLomé\x1b[0m" in out  # bold reverse on exactly the matched word
    highlighted = re.findall(r"\x1b\[1;7m(.*?)\x1b\[0m", out)
    assert highlighted == ["Lomé"]
    out = ok("search", '"ports of lome"', "--format", "table", env={"FORCE_COLOR": "1"}).stdout
    assert re.findall(r"\x1b\[1;7m(.*?)\x1b\[0m", out) == ["ports of Lomé"]


# -- list --------------------------------------------------------------------------------


def test_list_countries_2023() -> None:
    out = ok("list", "countries").stdout
    assert out.splitlines()[0] == "name\tiso3\tiso2\tcontinent\tregion\teditions"
    rows = tsv(out)
    assert len(rows) == 193
    assert {r["iso3"] for r in rows} == set(edition_rows(2023))
    by_iso = {r["iso3"]: r for r in rows}
    assert by_iso["MLI"] == {
        "name": "Mali",
        "iso3": "MLI",
        "iso2": "ML",
        "continent": "Africa",
        "region": "West Africa",
        "editions": "2021; 2023; 2025",
    }
    assert by_iso["LCA"]["editions"] == "2021; 2023"


def test_list_countries_is_in_alphabetical_order() -> None:
    names = [r["name"] for r in tsv(ok("list", "countries").stdout)]
    assert names == sorted(names, key=normalize)
    assert names.index("Côte d'Ivoire") == names.index("Costa Rica") + 1
    assert names.index("eSwatini") == names.index("Estonia") + 1


@pytest.mark.parametrize(
    ("continent", "count"),
    [("Africa", 54), ("americas", 35), ("ASIA", 46), ("Europe", 44), ("Oceania", 14)],
)
def test_list_countries_by_continent(continent: str, count: int) -> None:
    rows = tsv(ok("list", "countries", "--continent", continent).stdout)
    assert len(rows) == count
    assert {r["continent"].lower() for r in rows} == {continent.lower()}


def test_list_countries_by_region_and_year() -> None:
    west = tsv(ok("list", "countries", "--region", "west africa").stdout)
    assert len(west) == 15
    assert "NER" in {r["iso3"] for r in west}
    assert "NGA" in {r["iso3"] for r in west}
    rows_2025 = tsv(ok("list", "countries", "--year", "2025").stdout)
    assert len(rows_2025) == 190
    assert not {"KNA", "LCA", "VCT"} & {r["iso3"] for r in rows_2025}
    caribbean = tsv(ok("list", "countries", "--year", "2025", "--region", "Caribbean").stdout)
    assert len(caribbean) == 10
    central = tsv(ok("list", "countries", "--region", "Caribbean & Central").stdout)
    assert len(central) == 21
    rows_2021 = tsv(ok("list", "countries", "--year", "2021", "--region", "caribbean").stdout)
    assert {r["region"] for r in rows_2021} == {"Caribbean"}  # "Caribbean " in the source
    table = ok("list", "countries", "--year", "2025", "--format", "table").stdout
    assert "Countries in 2025 (190)" in table
    for name in MISSING_2025:
        assert name in table


def test_list_indicators() -> None:
    out = ok("list", "indicators").stdout
    assert out.splitlines()[0] == "key\tname\tpillar\teditions\tshort_forms"
    rows = {r["key"]: r for r in tsv(out)}
    assert list(rows) == [item.key for item in ALL]
    assert len(rows) == 36
    assert rows["financial_crimes"]["editions"] == "2023; 2025"
    assert rows["private_sector_actors"]["editions"] == "2023; 2025"
    assert rows["cocaine_trade"] == {
        "key": "cocaine_trade",
        "name": "Cocaine trade",
        "pillar": "criminal_markets",
        "editions": "2021; 2023; 2025",
        "short_forms": "cocaine",
    }
    assert rows["anti_money_laundering"]["pillar"] == "resilience"
    assert "aml" in rows["anti_money_laundering"]["short_forms"].split("; ")
    assert rows["criminality"]["pillar"] == "composite"
    only_since_2023 = {k for k, r in rows.items() if r["editions"] == "2023; 2025"}
    assert only_since_2023 == {
        "extortion_and_protection_racketeering",
        "trade_in_counterfeit_goods",
        "illicit_trade_in_excisable_goods",
        "cyber_dependent_crimes",
        "financial_crimes",
        "private_sector_actors",
    }
    js = as_json(ok("list", "indicators", "--format", "json").stdout)
    financial = next(i for i in js["items"] if i["key"] == "financial_crimes")
    assert financial["editions"] == [2023, 2025]
    assert financial["name"] == "Financial crimes"


def test_list_regions() -> None:
    out = ok("list", "regions").stdout
    assert out.splitlines()[0] == "continent\tregion\tcountries"
    rows = tsv(out)
    assert len(rows) == 21
    counts = {r["region"]: int(r["countries"]) for r in rows}
    assert sum(counts.values()) == 193
    assert counts["West Africa"] == 15
    assert counts["Caribbean & Central"] == 21
    assert counts["Central Asia and the Caucasus"] == 8
    africa = tsv(ok("list", "regions", "--continent", "africa").stdout)
    assert {r["region"] for r in africa} == {
        "Central Africa",
        "East Africa",
        "North Africa",
        "Southern Africa",
        "West Africa",
    }
    assert sum(int(r["countries"]) for r in africa) == 54
    rows_2025 = tsv(ok("list", "regions", "--year", "2025").stdout)
    regions_2025 = {r["region"] for r in rows_2025}
    assert {"Caribbean", "Central America"} <= regions_2025
    assert "Caribbean & Central" not in regions_2025
    assert sum(int(r["countries"]) for r in rows_2025) == 190


def test_list_editions() -> None:
    out = ok("list", "editions").stdout
    assert out.splitlines()[0] == "edition\tdefault\tcountries\tmissing\tfile\tsheet\tsha256"
    rows = tsv(out)
    assert [(r["edition"], r["default"], r["countries"]) for r in rows] == [
        ("2021", "false", "193"),
        ("2023", "true", "193"),
        ("2025", "false", "190"),
    ]
    assert rows[2]["missing"] == "; ".join(MISSING_2025)
    assert rows[0]["missing"] == rows[1]["missing"] == ""
    assert rows[1]["sheet"] == "2023_dataset"
    assert all(re.fullmatch(r"[0-9a-f]{64}", r["sha256"]) for r in rows)
    js = as_json(ok("list", "editions", "--format", "json").stdout)
    assert js["items"][2]["missing"] == list(MISSING_2025)
    assert js["items"][1]["default"] is True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("list", "things"), "'things' is not one of"),
        (("list",), "Missing argument"),
        (("list", "countries", "--continent", "narnia"), "unknown continent in 2023 'narnia'"),
        (("list", "countries", "--region", "atlantis"), "unknown region in 2023 'atlantis'"),
        (("list", "regions", "--year", "2024"), "no 2024 edition in the data"),
    ],
)
def test_list_refusals(args: tuple[str, ...], message: str) -> None:
    assert message in usage_error(*args).stderr
