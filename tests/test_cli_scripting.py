"""The scripting contract of the query commands (issue 3, items 7 and 8).

Formats, frozen CSV/TSV headers, the JSON shape of a profile, plain output when piped,
NO_COLOR, a reader that goes away early, and help text for every command.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from typing import Any

import pytest
import typer.main

from helpers_queries import (
    ANSI,
    BOX_DRAWING,
    MISSING_2025,
    REPO,
    as_json,
    edition_rows,
    mali_paragraphs,
    ok,
    run,
)
from ocindex.cli import app
from ocindex.indicators import score_keys
from ocindex.render import OutputFormat, choose_format

FORMATS = ("table", "json", "csv", "tsv")

# The documented header of every command's CSV/TSV output: a contract, frozen here.
HEADERS: dict[tuple[str, ...], str] = {
    ("show", "mali"): (
        "iso3,country,edition,key,indicator,pillar,score,previous_edition,previous_score,"
        "change,comparable,rank_global,rank_continent,rank_region,previous_rank_global,"
        "rank_change_global"
    ),
    ("show", "mali", "--text"): "iso3,country,edition,section,heading,indicators,text",
    ("rank", "cocaine"): (
        "rank,iso3,country,continent,region,score,previous_edition,previous_score,change,comparable,"
        "previous_rank,rank_change"
    ),
    ("market", "cocaine"): (
        "rank,iso3,country,continent,region,score,previous_edition,previous_score,change,comparable,"
        "previous_rank,rank_change"
    ),
    ("actor", "state-embedded"): (
        "rank,iso3,country,continent,region,score,previous_edition,previous_score,change,comparable,"
        "previous_rank,rank_change"
    ),
    ("resilience", "aml"): (
        "rank,iso3,country,continent,region,score,previous_edition,previous_score,change,comparable,"
        "previous_rank,rank_change"
    ),
    ("resilience",): (
        "rank,iso3,country,continent,region,score,previous_edition,previous_score,change,comparable,"
        "previous_rank,rank_change"
    ),
    ("compare", "mali", "niger"): "key,indicator,pillar,MLI,NER,difference,highest",
    ("compare", "mali", "niger", "chad"): "key,indicator,pillar,MLI,NER,TCD,spread,highest",
    ("trend", "mali"): (
        "iso3,key,indicator,basis,2021,2023,2025,change_2023,change_2025,comparable_2023,"
        "comparable_2025"
    ),
    ("search", "lome"): "iso3,country,edition,section,heading,indicators,sentence",
    ("list", "countries"): "name,iso3,iso2,continent,region,editions",
    ("list", "indicators"): "key,name,pillar,editions,short_forms",
    ("list", "regions"): "continent,region,countries",
    ("list", "editions"): "edition,default,countries,missing,file,sheet,sha256",
    ("verify-scores", "mali"): "iso3,country,edition,item,published,recomputed",
    ("list", "groups"): "key,name,full_name,members,valid,changed,origin,source,iso3",
    ("stats", "resilience"): (
        "indicator,edition,scope,name,n,mean,median,min,min_countries,max,max_countries,spread"
    ),
    ("movers", "criminality"): (
        "iso3,country,from,to,change,like_for_like_change,rank_from,rank_to,rank_change,comparable"
    ),
    ("quadrant",): (
        "iso3,country,edition,criminality,resilience,quadrant,near_line,previous_quadrant,moved"
    ),
}
INVOCATIONS = list(HEADERS)


def _ids(args: tuple[str, ...]) -> str:
    return " ".join(args)


# -- every command, every format ---------------------------------------------------------


def test_every_command_but_import_takes_the_four_formats() -> None:
    group: Any = typer.main.get_command(app)
    without = set()
    for name, command in group.commands.items():
        option = next((p for p in command.params if "--format" in p.opts), None)
        if option is None:
            without.add(name)
            continue
        if name == "cite":  # a reference, not data: text, BibTeX or JSON
            assert tuple(option.type.choices) == ("text", "bibtex", "json")
            continue
        if name == "export":  # the whole index: file formats, no table
            assert tuple(option.type.choices) == (
                "csv",
                "tsv",
                "jsonl",
                "json",
                "sqlite",
                "parquet",
            )
            continue
        if name in ("join", "resolve"):  # rows for other tools: no table
            assert tuple(option.type.choices) == ("csv", "tsv", "json")
            continue
        assert tuple(option.type.choices) == FORMATS, name
        assert "-f" in option.opts
    # `import` writes profile files and reports on stderr; it has no data output to format;
    # `mcp` serves JSON-RPC.
    assert without == {"import", "mcp"}


@pytest.mark.parametrize("args", INVOCATIONS, ids=_ids)
def test_default_output_when_piped_is_tsv(args: tuple[str, ...]) -> None:
    default = ok(*args)
    assert default.stdout == ok(*args, "--format", "tsv").stdout
    out = default.stdout
    assert ANSI.search(out) is None
    assert BOX_DRAWING.search(out) is None
    lines = out.splitlines()
    assert lines[0] == HEADERS[args].replace(",", "\t")
    columns = lines[0].count("\t")
    assert all(line.count("\t") == columns for line in lines), "a record was wrapped"
    assert all(line == line.rstrip(" ") for line in lines), "padding in TSV"


@pytest.mark.parametrize("args", INVOCATIONS, ids=_ids)
def test_csv_header_is_the_documented_one(args: tuple[str, ...]) -> None:
    out = ok(*args, "--format", "csv").stdout
    assert out.splitlines()[0] == HEADERS[args]


@pytest.mark.parametrize("args", INVOCATIONS, ids=_ids)
def test_json_parses_and_numbers_are_numbers(args: tuple[str, ...]) -> None:
    data = as_json(ok(*args, "--format", "json").stdout)
    numeric = re.compile(r"-?\d+(\.\d+)?")

    def walk(value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                assert not numeric.fullmatch(str(k)) or key == "values", (key, k)
                walk(v, str(k))
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str):
            assert not numeric.fullmatch(value), f"{key}: number as a string {value!r}"

    walk(data)


@pytest.mark.parametrize("args", INVOCATIONS, ids=_ids)
def test_no_colour_table_has_no_ansi(args: tuple[str, ...]) -> None:
    out = ok(*args, "--format", "table", env={"NO_COLOR": "1"}).stdout
    assert ANSI.search(out) is None
    assert out.strip()


def test_no_color_on_a_terminal_removes_colour() -> None:
    """FORCE_COLOR makes Rich act as on a terminal; NO_COLOR then removes every colour."""
    args = ("market", "cocaine", "--top", "3", "--format", "table")
    coloured = ok(*args, env={"FORCE_COLOR": "1"}).stdout
    colour = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-9]|9[0-7]|4[0-9]|38;|48;)")
    assert colour.search(coloured), "expected coloured bars on a forced terminal"
    plain = ok(*args, env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout
    assert colour.search(plain) is None


def test_numbers_in_json_are_typed() -> None:
    ranking = as_json(ok("rank", "cocaine", "--top", "5", "--format", "json").stdout)
    first = ranking["ranking"][0]
    assert first["rank"] == 1 and type(first["rank"]) is int
    assert first["score"] == 9.5 and type(first["score"]) is float
    assert type(first["change"]["change"]) is float
    assert type(ranking["of"]) is int
    assert type(ranking["edition"]) is int


# -- the profile contract ----------------------------------------------------------------


def test_show_mali_json_contract() -> None:
    out = as_json(ok("show", "mali", "--format", "json").stdout)
    assert list(out) == ["country", "edition", "scores", "ranks", "changes", "source"]
    assert out["country"] == {
        "name": "Mali",
        "iso3": "MLI",
        "continent": "Africa",
        "region": "West Africa",
    }
    assert out["edition"] == 2023
    assert set(out["scores"]) == set(score_keys(2023))
    assert len(out["scores"]) == 36
    assert out["scores"] == edition_rows(2023)["MLI"]["scores"]
    assert all(type(v) is float for v in out["scores"].values())
    assert out["scores"]["criminality"] == 5.93
    assert out["scores"]["criminal_actors"] == 5.4
    assert set(out["ranks"]) == set(score_keys(2023))  # headline scores + every global rank
    assert all(
        list(out["ranks"][k]) == ["global"]
        for k in out["ranks"]
        if k not in ("criminality", "resilience")
    )
    stated = {
        "criminality": {"global": (50, 193), "continent": (15, 54), "region": (3, 15)},
        "resilience": {"global": (176, 193), "continent": (45, 54), "region": (15, 15)},
    }
    for key, scopes in stated.items():
        assert list(out["ranks"][key]) == ["global", "continent", "region"]
        for scope, (rank, of) in scopes.items():
            position = out["ranks"][key][scope]
            assert (position["rank"], position["of"]) == (rank, of)
            assert type(position["rank"]) is int and type(position["of"]) is int
    assert out["ranks"]["criminality"]["region"]["name"] == "West Africa"
    # Rank changes as the site shows them: previous - current ("50th of 193 -1").
    moves = {s: out["ranks"]["criminality"][s] for s in ("global", "continent", "region")}
    assert [(m["previous_rank"], m["rank_change"]) for m in moves.values()] == [
        (49, -1),
        (16, 1),
        (5, 2),
    ]
    assert {"edition", "file", "sha256"} <= set(out["source"])
    assert out["source"]["edition"] == 2023
    assert out["source"]["file"] == "global_oc_index.xlsx"
    assert re.fullmatch(r"[0-9a-f]{64}", out["source"]["sha256"])
    assert out["changes"]["criminality"] == {
        "previous_edition": 2021,
        "previous": 5.89,
        "change": 0.05,  # as ocindex.net: 5.9333… - 5.8875, not 5.93 - 5.89
        "comparable": False,
    }
    assert "narrative" not in out


def test_show_mali_json_with_text_has_the_narrative() -> None:
    out = as_json(ok("show", "mali", "--text", "--format", "json").stdout)
    assert list(out) == [
        "country",
        "edition",
        "scores",
        "ranks",
        "changes",
        "narrative",
        "funding",
        "source",
    ]
    assert "Funding provided by the United States Government." in out["funding"]
    raw = mali_paragraphs()
    assert len(out["narrative"]) == len(raw) == 28
    for got, want in zip(out["narrative"], raw, strict=True):
        assert list(got) == ["section", "heading", "indicators", "text"]
        assert got["section"] == want["section"]
        assert got["heading"] == want["heading"]
        assert got["indicators"] == want["indicators"]
        assert got["text"] == want["text"].strip()


def test_show_mali_json_2021_scores() -> None:
    out = as_json(ok("show", "mali", "--year", "2021", "--format", "json").stdout)
    assert set(out["scores"]) == set(score_keys(2021))
    assert len(out["scores"]) == 30
    assert "changes" in out and out["changes"] == {}


# -- piped output is whole ---------------------------------------------------------------


def test_longest_mali_paragraph_is_one_whole_line_when_piped() -> None:
    longest = max(mali_paragraphs(), key=lambda p: len(p["text"]))["text"].strip()
    assert len(longest) > 1000
    out = ok("show", "mali", "--text").stdout
    lines = out.splitlines()
    assert len(lines) == 1 + 28 + 4  # the header, the paragraphs, the funding notices
    (line,) = [x for x in lines if longest in x]
    assert line.endswith("\t" + longest)
    assert all(p["text"].strip() in out for p in mali_paragraphs())


def test_long_lines_are_not_cut_in_a_table_off_a_terminal() -> None:
    longest = max(mali_paragraphs(), key=lambda p: len(p["text"]))["text"].strip()
    out = ok("show", "mali", "--text", "--format", "table").stdout
    assert any(longest in line for line in out.splitlines())
    assert "…" not in out


def test_search_sentence_is_whole_when_piped() -> None:
    out = ok("search", "cocaine").stdout
    for line in out.splitlines()[1:]:
        sentence = line.split("\t")[-1]
        assert sentence.endswith((".", '."', ".)")), sentence


# -- where things go ---------------------------------------------------------------------


def test_choose_format() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert choose_format(None, Terminal()) is OutputFormat.table
    assert choose_format(None, io.StringIO()) is OutputFormat.tsv
    assert choose_format(OutputFormat.csv, Terminal()) is OutputFormat.csv


def test_errors_go_to_stderr_only() -> None:
    result = run("show", "narnia", "--format", "json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("ocindex: unknown country 'narnia'")


def test_show_2025_ranks_carry_the_coverage_note() -> None:
    result = ok("show", "mali", "--year", "2025")
    assert "rank_global" in result.stdout.splitlines()[0]
    assert "190" in result.stderr
    for name in MISSING_2025:
        assert name in result.stderr
    table = ok("show", "mali", "--year", "2025", "--format", "table").stdout
    assert "covers 190 of 193 countries" in table


def test_no_command_shows_help_without_an_empty_error() -> None:
    result = run()
    assert result.exit_code == 2
    assert "Usage" in result.stdout
    assert "ocindex: \n" not in result.stderr
    assert result.stderr.strip() == ""


def test_usage_errors_are_at_most_two_lines() -> None:
    result = run("list")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) <= 2, lines
    assert "Missing argument 'what'" in lines[0]
    assert "countries" in lines[0]


# -- a reader that goes away early -------------------------------------------------------


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("OCINDEX_DATA_DIR", "OCINDEX_DEBUG")}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), *filter(None, [env.get("PYTHONPATH")])])
    return env


@pytest.mark.parametrize(
    "args",
    [
        ("list", "countries"),
        ("list", "countries", "--format", "table"),
        ("rank", "criminality", "--year", "2025", "--format", "json"),
        ("show", "mali", "--text", "--format", "json"),
    ],
    ids=_ids,
)
@pytest.mark.parametrize("reader", ["head -1", "true"])
def test_a_closed_pipe_ends_quietly(args: tuple[str, ...], reader: str) -> None:
    """`| head -1` (reads a line) and `| true` (reads nothing): no traceback, exit 0."""
    command = " ".join([sys.executable, "-m", "ocindex", *(f"'{a}'" for a in args), "|", reader])
    script = f'set +o pipefail; {command}; echo "status=${{PIPESTATUS[0]}}" >&2'
    proc = subprocess.run(
        ["bash", "-c", script],
        capture_output=True,
        text=True,
        env=_env(),
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert "Traceback" not in proc.stderr
    assert "BrokenPipe" not in proc.stderr
    assert "Exception ignored" not in proc.stderr
    assert "status=0" in proc.stderr
    if reader == "head -1":
        first = proc.stdout.splitlines()[0]
        assert first in ("name\tiso3\tiso2\tcontinent\tregion\teditions", "{") or (
            first.startswith("Countries in 2023")
        )


# -- help --------------------------------------------------------------------------------


def test_every_command_has_help() -> None:
    group: Any = typer.main.get_command(app)
    assert group.help
    names = sorted(group.commands)
    assert {
        "show",
        "verify-scores",
        "import",
        "rank",
        "market",
        "actor",
        "resilience",
        "compare",
        "trend",
        "search",
        "list",
        "validate",
        "cite",
        "data",
        "export",
        "join",
        "resolve",
        "mcp",
        "stats",
        "movers",
        "quadrant",
        "map",
    } == set(names)
    for name in names:
        command = group.commands[name]
        assert command.help and command.help.strip(), name
        for param in command.params:
            if param.name == "help":
                continue
            assert getattr(param, "help", None), f"{name} {param.name} has no help"
        for flag in ("--help", "-h"):
            result = run(name, flag)
            assert result.exit_code == 0, (name, result.stderr)
            assert "Usage" in result.stdout
            assert command.help.split("\n")[0][:30] in " ".join(result.stdout.split())


def test_root_help_and_version() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for name in ("rank", "market", "compare", "trend", "search", "list"):
        assert name in result.stdout
    version = run("--version")
    assert version.exit_code == 0
    assert version.stdout.startswith("ocindex ")
