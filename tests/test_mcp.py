"""`ocindex mcp`, end to end: the official SDK's own client talks to the server over stdio."""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest
from typer.testing import CliRunner

from ocindex.cli import app
from ocindex.mcp_server import TOOLS

pytest.importorskip("mcp")
anyio = pytest.importorskip("anyio")

from mcp.client import Client  # noqa: E402
from mcp.client.stdio import StdioServerParameters  # noqa: E402

runner = CliRunner()

CALLS: list[tuple[str, dict[str, Any], list[str]]] = [
    ("show", {"country": "mali"}, ["show", "mali"]),
    ("show", {"country": "CIV", "year": 2021, "text": False}, ["show", "CIV", "--year", "2021"]),
    (
        "rank",
        {"indicator": "cocaine", "continent": "africa", "top": 3},
        ["rank", "cocaine", "--continent", "africa", "--top", "3"],
    ),
    ("compare", {"countries": ["mali", "niger"]}, ["compare", "mali", "niger"]),
    ("trend", {"country": "mali", "indicators": ["criminality"]}, ["trend", "mali", "criminality"]),
    ("search", {"words": ["armed groups", "gold"]}, ["search", "armed groups", "gold"]),
    ("verify_scores", {"countries": ["mali"]}, ["verify-scores", "mali"]),
    (
        "list",
        {"what": "regions", "continent": "africa"},
        ["list", "regions", "--continent", "africa"],
    ),
]


def cli_json(args: list[str]) -> Any:
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


async def session_results(cache: str) -> dict[str, Any]:
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "ocindex", "mcp"], env={"OCINDEX_CACHE_DIR": cache}
    )
    out: dict[str, Any] = {}
    async with Client(params) as client:
        tools = await client.list_tools()
        out["tools"] = {tool.name: tool for tool in tools.tools}
        out["calls"] = [await client.call_tool(name, arguments) for name, arguments, _ in CALLS]
        out["ambiguous"] = await client.call_tool("show", {"country": "congo"})
        out["unassessed"] = await client.call_tool("rank", {"indicator": "financial", "year": 2021})
        out["bad_argument"] = await client.call_tool("show", {"country": "mali", "year": "x"})
    return out


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    # One server process for the module: the client starts it, and stops it on leaving.
    cache = str(tmp_path_factory.mktemp("mcp-cache"))
    found: dict[str, Any] = anyio.run(session_results, cache)
    return found


def test_every_command_is_a_tool_with_the_cli_arguments(results: dict[str, Any]) -> None:
    tools = results["tools"]
    assert set(tools) == {name.replace("-", "_") for name in TOOLS}
    assert {"show", "rank", "compare", "trend", "search", "verify_scores", "list"} <= set(tools)
    show = tools["show"].input_schema
    assert set(show["properties"]) == {"country", "year", "text"}
    assert show["required"] == ["country"]
    assert "ISO3" in show["properties"]["country"]["description"]
    rank = tools["rank"].input_schema["properties"]
    assert {
        "indicator",
        "year",
        "continent",
        "region",
        "group",
        "countries",
        "top",
        "ascending",
        "text",
    } == set(rank)
    assert "format" not in rank and "fmt" not in rank and "data_dir" not in rank
    assert "competition ranking" in (tools["rank"].description or "")


@pytest.mark.parametrize("position", range(len(CALLS)), ids=[c[0] for c in CALLS])
def test_results_are_the_cli_json(results: dict[str, Any], position: int) -> None:
    result = results["calls"][position]
    assert not result.is_error, result.content
    (content,) = result.content
    assert json.loads(content.text) == cli_json(CALLS[position][2])


def test_errors_are_tool_errors_with_the_cli_message(results: dict[str, Any]) -> None:
    ambiguous = results["ambiguous"]
    assert ambiguous.is_error
    cli = runner.invoke(app, ["show", "congo"])
    message = cli.stderr.removeprefix("ocindex: ").strip()
    assert message in ambiguous.content[0].text
    unassessed = results["unassessed"]
    assert unassessed.is_error
    assert "was not assessed in 2021" in unassessed.content[0].text
    assert results["bad_argument"].is_error


def test_without_the_extra_the_command_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "mcp.server.mcpserver", None)
    result = runner.invoke(app, ["mcp"])
    assert result.exit_code == 2
    assert 'pip install "ocindex[mcp]"' in result.stderr
