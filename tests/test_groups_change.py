"""Issue 9: group statistics, site-convention changes and rank changes, movers, the
vulnerability quadrants, named groups and regions across editions.

Expected figures are computed here independently (tomllib + fractions/decimal through
`helpers_queries`); published figures are the tests, never the inputs.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers_queries import (
    as_json,
    csv_rows,
    edition_rows,
    half_up,
    ok,
    run,
    site_change,
    to_fraction,
    usage_error,
)
from ocindex.index import Index

ECOWAS_2023 = {
    "BEN", "BFA", "CPV", "CIV", "GMB", "GHA", "GIN", "GNB", "LBR", "MLI", "NER", "NGA", "SEN",
    "SLE", "TGO",
}  # fmt: skip
LEFT_ECOWAS_2025 = {"BFA", "MLI", "NER"}


def quadrant_counts(edition: int, *, high_at: str = ">=") -> dict[str, int]:
    """The report's matrix counted by hand from the published figures."""
    counts: dict[str, int] = {}
    line = Decimal("5.50")
    for row in edition_rows(edition).values():
        crime = Decimal(repr(row["scores"]["criminality"]))
        res = Decimal(repr(row["scores"]["resilience"]))
        high = (lambda v: v >= line) if high_at == ">=" else (lambda v: v > line)
        name = (
            f"{'high' if high(crime) else 'low'}_criminality_"
            f"{'high' if high(res) else 'low'}_resilience"
        )
        counts[name] = counts.get(name, 0) + 1
    return counts


# -- quadrant ----------------------------------------------------------------------------


def test_the_reports_quadrant_counts_reproduce() -> None:
    """2023 report: 47 countries low criminality-high resilience, down three since 2021."""
    out = as_json(ok("quadrant", "--year", "2023", "--since", "2021", "--format", "json").stdout)
    low_high = out["quadrants"]["low_criminality_high_resilience"]
    assert low_high["count"] == 47
    assert low_high["count_since"] == 50
    assert low_high["change"] == -3
    assert sum(q["count"] for q in out["quadrants"].values()) == 193
    for name, entry in out["quadrants"].items():
        assert entry["count"] == quadrant_counts(2023)[name] == len(entry["countries"])
        assert entry["count_since"] == quadrant_counts(2021)[name]


def test_only_the_inclusive_rule_reproduces_the_report() -> None:
    strict_2023 = quadrant_counts(2023, high_at=">")["low_criminality_high_resilience"]
    strict_2021 = quadrant_counts(2021, high_at=">")["low_criminality_high_resilience"]
    assert (strict_2023, strict_2021 - strict_2023) != (47, 3)
    rows = {r["iso3"]: r for r in csv_rows(ok("quadrant", "--format", "csv").stdout)}
    assert rows["BHS"]["resilience"] == "5.5"
    assert rows["BHS"]["quadrant"] == "low_criminality_high_resilience"  # 5.50 is high
    assert rows["BHS"]["near_line"] == "true"
    usa = {r["iso3"]: r for r in csv_rows(ok("quadrant", "--year", "2021", "-f", "csv").stdout)}
    assert usa["USA"]["criminality"] == "5.5"
    assert usa["USA"]["quadrant"].startswith("high_criminality")


def test_quadrant_moves_and_near_line() -> None:
    out = as_json(ok("quadrant", "--since", "2021", "--format", "json").stdout)
    before, after = edition_rows(2021), edition_rows(2023)
    moved = {m["iso3"] for m in out["moved"]}
    assert "BHS" in moved
    for entry in out["quadrants"].values():
        for iso3 in entry["near_line"]:
            scores = after[iso3]["scores"]
            assert min(
                abs(Decimal(repr(scores[k])) - Decimal("5.5"))
                for k in ("criminality", "resilience")
            ) <= Decimal("0.10")
    assert all(iso3 in before for iso3 in moved)


def test_quadrant_table_has_the_scatter_and_legend() -> None:
    out = ok("quadrant", "--since", "2021", "--format", "table").stdout
    assert "5.5│" in out and "criminality →" in out
    assert "low criminality \N{EN DASH} high resilience" in out
    assert "Moved since 2021" in out


def test_quadrant_since_must_be_earlier() -> None:
    usage_error("quadrant", "--year", "2021", "--since", "2023")


# -- stats -------------------------------------------------------------------------------


def test_published_world_average_reproduces() -> None:
    """GI-TOC's 2023 world law enforcement average: 4.87 over 193 countries."""
    out = as_json(ok("stats", "law_enforcement", "--year", "2023", "--format", "json").stdout)
    world = out["groups"][0]
    assert (world["scope"], world["name"], world["n"], world["mean"]) == (
        "world",
        "the world",
        193,
        4.87,
    )
    values = [to_fraction(r["scores"]["law_enforcement"]) for r in edition_rows(2023).values()]
    assert Decimal(str(world["mean"])) == half_up(sum(values, Fraction(0)) / len(values))
    assert world["min"]["value"] == float(min(values))
    assert world["max"]["value"] == float(max(values))
    assert len(world["min"]["countries"]) == sum(1 for v in values if v == min(values))


def test_stats_by_continent_and_median() -> None:
    rows = csv_rows(ok("stats", "resilience", "--by", "continent", "-f", "csv").stdout)
    assert [r["name"] for r in rows] == [
        "the world", "Africa", "Americas", "Asia", "Europe", "Oceania",
    ]  # fmt: skip
    data = edition_rows(2023)
    for row in rows[1:]:
        values = sorted(
            to_fraction(r["scores"]["resilience"])
            for r in data.values()
            if r["continent"] == row["name"]
        )
        n = len(values)
        median = values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2
        assert int(row["n"]) == n
        assert Decimal(row["median"]) == half_up(median)
        assert Decimal(row["mean"]) == half_up(sum(values, Fraction(0)) / n)
        assert Decimal(row["spread"]) == half_up(values[-1] - values[0])


def test_stats_of_a_one_off_group_and_several_indicators() -> None:
    rows = csv_rows(
        ok("stats", "criminality", "aml", "--countries", "mali, niger,BFA", "-f", "csv").stdout
    )
    assert [(r["indicator"], r["n"], r["scope"]) for r in rows] == [
        ("criminality", "3", "group"),
        ("anti_money_laundering", "3", "group"),
    ]
    assert rows[0]["max_countries"] == "MLI"  # 5.93 against Burkina Faso's 5.92


def test_stats_refuses_an_indicator_not_assessed() -> None:
    usage_error("stats", "financial", "--year", "2021")


@settings(max_examples=40, deadline=None)
@given(st.sets(st.sampled_from(sorted(edition_rows(2023))), min_size=1, max_size=30))
def test_stats_invariants(members: set[str]) -> None:
    from ocindex.questions.stats import group_stats

    index = Index.load()
    chosen = [(index.by_iso3[i], index.by_iso3[i].records[2023]) for i in sorted(members)]
    for key in ("criminality", "resilience", "cocaine_trade"):
        g = group_stats(index.indicator(key), "group", "x", chosen)
        assert g.n == len(members)
        assert g.min.value <= g.median <= g.max.value
        assert g.min.value <= g.mean <= g.max.value
        assert g.min.value >= 1 and g.max.value <= 10
        assert g.spread == pytest.approx(g.max.value - g.min.value)


# -- changes as the site shows them ------------------------------------------------------


@pytest.mark.parametrize(("before", "after", "differ"), [(2021, 2023, 69), (2023, 2025, 44)])
def test_site_convention_changes_the_documented_number_of_countries(
    before: int, after: int, differ: int
) -> None:
    rows = csv_rows(ok("rank", "criminality", "--year", str(after), "-f", "csv").stdout)
    old, new = edition_rows(before), edition_rows(after)
    changed = 0
    for row in rows:
        o, n = old[row["iso3"]]["scores"], new[row["iso3"]]["scores"]
        assert Decimal(row["change"]) == site_change(o, n, "criminality")
        naive = Decimal(repr(n["criminality"])) - Decimal(repr(o["criminality"]))
        changed += Decimal(row["change"]) != naive
    assert changed == differ


def test_mali_change_and_rank_changes_as_the_site_shows_them() -> None:
    out = as_json(ok("show", "mali", "--format", "json").stdout)
    assert out["changes"]["criminality"]["change"] == 0.05
    crim = out["ranks"]["criminality"]
    assert [
        (crim[s]["rank"], crim[s]["rank_change"]) for s in ("global", "continent", "region")
    ] == [(50, -1), (15, 1), (3, 2)]
    # every indicator has its global rank, with the previous edition's
    assert out["ranks"]["cocaine_trade"]["global"]["previous_rank"] is not None
    assert out["ranks"]["financial_crimes"]["global"]["rank_change"] is None  # new in 2023
    table = ok("show", "mali", "--format", "table", env={"COLUMNS": "140"}).stdout
    assert "50th of 193 countries -1" in table
    assert "15th of 54 in Africa +1" in table
    assert "3rd of 15 in West Africa +2" in table


def test_explain_shows_the_change_arithmetic() -> None:
    out = ok(
        "verify-scores",
        "--explain",
        "mali",
        "--year",
        "2023",
        "-f",
        "table",
        env={"COLUMNS": "300"},
    ).stdout
    assert "5.933333… - 5.8875 = 0.045833… -> +0.05" in out
    assert "the rounded figures would give 5.93 - 5.89 = +0.04" in out


# -- movers ------------------------------------------------------------------------------


def test_movers_lists_every_country_with_like_for_like() -> None:
    rows = csv_rows(
        ok("movers", "criminality", "--from", "2021", "--to", "2023", "-f", "csv").stdout
    )
    assert len(rows) == 193
    old, new = edition_rows(2021), edition_rows(2023)
    changes = [Decimal(r["change"]) for r in rows]
    assert changes == sorted(changes, reverse=True)
    for row in rows:
        o, n = old[row["iso3"]]["scores"], new[row["iso3"]]["scores"]
        assert Decimal(row["change"]) == site_change(o, n, "criminality")
        assert Decimal(row["like_for_like_change"]) == site_change(
            o, n, "criminality", basis_2021=True
        )
        assert row["comparable"] == "false"
        assert int(row["rank_change"]) == int(row["rank_from"]) - int(row["rank_to"])
    mali = next(r for r in rows if r["iso3"] == "MLI")
    assert (mali["change"], mali["like_for_like_change"], mali["rank_change"]) == (
        "0.05",
        "0.16",
        "-1",
    )


def test_movers_into_2025_names_the_countries_it_cannot_list() -> None:
    result = ok("movers", "resilience", "--from", "2023", "--to", "2025", "-f", "json")
    out = as_json(result.stdout)
    assert len(out["rows"]) == 190
    assert {a["iso3"] for a in out["absent"]} == {"KNA", "LCA", "VCT"}
    assert all(r["like_for_like_change"] is None and r["comparable"] for r in out["rows"])


def test_movers_top_falling_and_like_for_like_sort() -> None:
    rows = csv_rows(
        ok(
            "movers", "criminality", "--top", "5", "--falling", "--like-for-like", "-f", "csv"
        ).stdout
    )
    lfl = [Decimal(r["like_for_like_change"]) for r in rows]
    assert len(rows) >= 5 and lfl == sorted(lfl)
    everyone = csv_rows(ok("movers", "criminality", "--like-for-like", "-f", "csv").stdout)
    cut = sorted(Decimal(r["like_for_like_change"]) for r in everyone)[4]
    assert len(rows) == sum(1 for r in everyone if Decimal(r["like_for_like_change"]) <= cut)


@pytest.mark.parametrize(
    "args",
    [
        ("movers", "criminality", "--from", "2023", "--to", "2021"),
        ("movers", "criminality", "--from", "2023", "--to", "2023"),
        ("movers", "financial", "--from", "2021", "--to", "2023"),
        ("movers", "criminality", "--from", "2019"),
        ("movers", "criminality", "--top", "0"),
    ],
)
def test_movers_refuses_bad_input(args: tuple[str, ...]) -> None:
    usage_error(*args)


# -- named groups ------------------------------------------------------------------------


def test_list_groups_has_the_shipped_groups_with_sources() -> None:
    rows = {r["key"]: r for r in csv_rows(ok("list", "groups", "-f", "csv").stdout)}
    assert set(rows) >= {"eu", "oecd", "g7", "g20", "ecowas", "sadc", "asean", "au", "g5-sahel"}
    assert {k: rows[k]["members"] for k in ("eu", "oecd", "g7", "g20", "sadc", "asean", "au")} == {
        "eu": "27", "oecd": "38", "g7": "7", "g20": "19", "sadc": "16", "asean": "10", "au": "54",
    }  # fmt: skip
    assert all(r["source"] and r["valid"] for r in rows.values())
    assert rows["ecowas"]["changed"] == "true"


def test_ecowas_membership_follows_the_edition() -> None:
    r2023 = run("list", "countries", "--group", "ecowas", "--year", "2023", "-f", "csv")
    assert {r["iso3"] for r in csv_rows(r2023.stdout)} == ECOWAS_2023
    r2025 = run("list", "countries", "--group", "ECOWAS", "--year", "2025", "-f", "csv")
    assert {r["iso3"] for r in csv_rows(r2025.stdout)} == ECOWAS_2023 - LEFT_ECOWAS_2025
    assert "left on 29 January 2025" in r2025.stderr


def test_rank_within_a_group() -> None:
    rows = csv_rows(ok("rank", "criminality", "--group", "g7", "-f", "csv").stdout)
    assert len(rows) == 7 and rows[0]["rank"] == "1"
    assert {r["iso3"] for r in rows} == {"CAN", "FRA", "DEU", "ITA", "JPN", "GBR", "USA"}
    market = csv_rows(ok("market", "cocaine", "--group", "asean", "-f", "csv").stdout)
    assert len(market) == 10


def test_a_dissolved_group_and_unknown_groups_are_usage_errors() -> None:
    err = usage_error("stats", "criminality", "--group", "g5 sahel", "--year", "2025")
    assert "no members" in err.stderr
    assert "unknown group" in usage_error("rank", "criminality", "--group", "nato").stderr
    usage_error("stats", "criminality", "--countries", "atlantis")
    usage_error("stats", "criminality", "--countries", " , ,")  # never silently the world
    usage_error("rank", "criminality", "--countries", "congo")  # ambiguous
    usage_error("stats", "criminality", "--group", "sadc", "--continent", "europe")


def test_user_groups_from_the_config_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OCINDEX_CONFIG_DIR", str(tmp_path))
    (tmp_path / "groups.toml").write_text(
        '[groups.central-sahel]\nname = "Central Sahel"\nmembers = ["mli", "BFA", "NER", "MLI"]\n',
        encoding="utf-8",
    )
    rows = csv_rows(ok("stats", "criminality", "--group", "central sahel", "-f", "csv").stdout)
    assert (rows[0]["name"], rows[0]["n"]) == ("Central Sahel", "3")
    listed = {r["key"]: r for r in csv_rows(ok("list", "groups", "-f", "csv").stdout)}
    assert listed["central sahel"]["origin"].endswith("groups.toml")


@pytest.mark.parametrize(
    "content",
    [
        '[groups.x]\nmembers = ["MLI", "XXX"]\n',
        "[groups.x]\nmembers = []\n",
        '[groups.x]\nmembers = "MLI"\n',
        "[groups.x\n",
    ],
)
def test_bad_user_groups_are_data_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str
) -> None:
    monkeypatch.setenv("OCINDEX_CONFIG_DIR", str(tmp_path))
    (tmp_path / "groups.toml").write_text(content, encoding="utf-8")
    result = run("stats", "criminality", "--group", "x")
    assert result.exit_code == 3, result.stderr
    assert result.stderr.startswith("ocindex: ") and "Traceback" not in result.stderr


# -- regions across editions -------------------------------------------------------------


def test_regions_across_editions_are_explained() -> None:
    err = usage_error("rank", "criminality", "--region", "central america", "--year", "2023")
    assert "2023 has no region" in err.stderr and "Caribbean & Central" in err.stderr
    err = usage_error("rank", "criminality", "--region", "caribbean", "--year", "2023")
    assert "Caribbean & Central" in err.stderr  # never silently taken to mean it
    err = usage_error("stats", "criminality", "--region", "europe")
    assert "--continent 'Europe'" in err.stderr
    err = usage_error("list", "countries", "--region", "caribbean & central", "--year", "2025")
    assert "'Caribbean'" in err.stderr and "'Central America'" in err.stderr
    ok("rank", "criminality", "--region", "central america", "--year", "2025")


# -- every new command -------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("stats", "resilience", "--by", "region"),
        ("movers", "criminality", "--top", "3"),
        ("quadrant", "--since", "2021"),
        ("list", "groups"),
    ],
)
@pytest.mark.parametrize("fmt", ["table", "json", "csv", "tsv"])
def test_new_commands_take_every_format(args: tuple[str, ...], fmt: str) -> None:
    ok(*args, "--format", fmt)


@pytest.mark.parametrize("command", ["stats", "movers", "quadrant"])
def test_new_commands_help_has_an_example(command: str) -> None:
    assert "Example: ocindex " + command in " ".join(ok(command, "--help").stdout.split())


def test_compare_differences_of_composites_follow_the_site_convention() -> None:
    from helpers_queries import signed_half_up, unrounded

    data = edition_rows(2023)
    codes = sorted(data)[:40]
    differ = 0
    for a, b in zip(codes[::2], codes[1::2], strict=True):
        rows = {r["key"]: r for r in csv_rows(ok("compare", a, b, "-f", "csv").stdout)}
        for key in ("criminality", "criminal_markets", "criminal_actors", "resilience"):
            sa, sb = data[a]["scores"], data[b]["scores"]
            expected = signed_half_up(unrounded(sa, key) - unrounded(sb, key))
            assert Decimal(rows[key]["difference"]) == expected, (a, b, key)
            differ += expected != Decimal(repr(sa[key])) - Decimal(repr(sb[key]))
    assert differ > 0  # the convention matters on real pairs


def test_rank_shows_rank_changes_within_the_scope() -> None:
    rows = {
        r["iso3"]: r
        for r in csv_rows(ok("rank", "criminality", "--region", "west africa", "-f", "csv").stdout)
    }
    assert (rows["MLI"]["rank"], rows["MLI"]["previous_rank"], rows["MLI"]["rank_change"]) == (
        "3", "5", "2",
    )  # fmt: skip
    redrawn = csv_rows(
        ok(
            "rank", "criminality", "--region", "central america", "--year", "2025", "-f", "csv"
        ).stdout
    )
    assert all(r["previous_rank"] == r["rank_change"] == "" for r in redrawn)  # no silent mapping
    new = csv_rows(ok("rank", "financial", "-f", "csv").stdout)
    assert all(r["rank_change"] == "" for r in new)  # not assessed in 2021


def test_completion_of_groups_and_places() -> None:
    from ocindex import completion

    assert [key for key, _ in completion.groups("ec")] == ["ecowas"]
    assert {key for key, _ in completion.groups("g")} == {"g7", "g20", "g5-sahel"}
    assert "Central America" in completion.places("central", "region")
    assert completion.places("eur", "continent") == ["Europe"]


def test_user_groups_in_the_data_folder_leave_the_profiles_valid(data_copy: Path) -> None:
    (data_copy / "groups").mkdir()
    (data_copy / "groups" / "groups.toml").write_text(
        '[groups.duo]\nmembers = ["MLI", "NER"]\n', encoding="utf-8"
    )
    rows = csv_rows(
        ok(
            "stats", "criminality", "--group", "duo", "--data-dir", str(data_copy), "-f", "csv"
        ).stdout
    )
    assert rows[0]["n"] == "2"
    assert run("validate", "--data-dir", str(data_copy)).exit_code == 0
