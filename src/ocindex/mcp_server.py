"""`ocindex mcp`: the commands as Model Context Protocol tools, over stdio.

Each tool *is* a CLI command: its parameters are the command's own arguments and options
(with their help as descriptions, minus the output and data-directory options), it runs
the command's own code with `--format json`, and returns exactly the JSON that command
prints. An error is an MCP tool error carrying the CLI's message. A new command becomes a
tool by adding its name to TOOLS.

Needs the `ocindex[mcp]` extra (the official `mcp` SDK), imported only when serving.
"""

from __future__ import annotations

import contextlib
import inspect
import io
import threading
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

TOOLS: tuple[str, ...] = (
    "show",
    "rank",
    "compare",
    "trend",
    "search",
    "verify-scores",
    "list",
    "stats",
    "movers",
    "quadrant",
)
"""The CLI commands served as tools (a tool's name is the command's, `-` as `_`)."""

HIDDEN = ("fmt", "svg", "png", "html", "data_dir")
"""Command parameters a tool does not take: it always answers in JSON, from one data dir."""

INSTRUCTIONS = (
    "The Global Organized Crime Index (GI-TOC), editions 2021, 2023 and 2025: every "
    "country's scores (1-10), ranks (competition ranking, highest first) and profile text. "
    "Countries take names, ISO codes or aliases; indicators take keys or short forms "
    "(`list` with what='indicators' lists them). Each tool returns the JSON that "
    "`ocindex <command> --format json` prints, with the edition's source."
)

_OUTPUT_LOCK = threading.Lock()
"""Commands print to sys.stdout; tools may run in worker threads, one capture at a time."""


def _command(name: str) -> Callable[..., Any]:
    from ocindex.cli import _command_name, app

    for info in app.registered_commands:
        if _command_name(info) == name and info.callback is not None:
            return info.callback
    raise LookupError(f"no command {name!r}")


def _parameter(parameter: inspect.Parameter, hint: Any) -> inspect.Parameter:
    """The tool parameter for one command parameter: its type, its help as description."""
    from pydantic import Field

    base = hint
    description = None
    if typing.get_origin(hint) is typing.Annotated:
        base, *extras = typing.get_args(hint)
        description = next((getattr(e, "help", None) for e in extras), None)
    default = parameter.default
    if default is ... or default is inspect.Parameter.empty:
        default = inspect.Parameter.empty
    return inspect.Parameter(
        parameter.name,
        inspect.Parameter.KEYWORD_ONLY,
        default=default,
        annotation=typing.Annotated[base, Field(description=description)],
    )


def make_tool(name: str, data_dir: Path | None) -> Callable[..., str]:
    """A function with the command's parameters that runs it and returns its JSON output."""
    import typer
    from mcp.server.mcpserver.exceptions import ToolError

    from ocindex.errors import OcindexError
    from ocindex.render import OutputFormat

    callback = _command(name)
    signature = inspect.signature(callback)
    hints = typing.get_type_hints(callback, include_extras=True)
    fixed = {
        "fmt": OutputFormat.json,
        "data_dir": data_dir,
        "svg": None,
        "html": None,
    }
    fixed = {key: value for key, value in fixed.items() if key in signature.parameters}
    parameters = [
        _parameter(p, hints.get(p.name, p.annotation))
        for p in signature.parameters.values()
        if p.name not in HIDDEN
    ]

    def tool(**arguments: Any) -> str:
        out, err = io.StringIO(), io.StringIO()
        with (
            _OUTPUT_LOCK,
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
        ):
            try:
                callback(**arguments, **fixed)
            except OcindexError as exc:
                raise ToolError(exc.cli_text()) from None
            except typer.Exit as exc:  # verify-scores: exit 1 after printing its report
                if not out.getvalue():
                    message = err.getvalue().strip() or f"exit {exc.exit_code}"
                    raise ToolError(message.removeprefix("ocindex: ")) from None
        return out.getvalue()

    tool.__name__ = name.replace("-", "_")
    tool.__doc__ = callback.__doc__
    tool.__signature__ = inspect.Signature(parameters, return_annotation=str)  # type: ignore[attr-defined]
    return tool


def build_server(data_dir: Path | None = None) -> Any:
    """The MCP server with one tool per command of TOOLS."""
    from ocindex.export import missing_extra

    try:
        from mcp.server.mcpserver import MCPServer
    except ImportError as exc:
        raise missing_extra("mcp", "mcp", exc) from None
    server = MCPServer("ocindex", instructions=INSTRUCTIONS, log_level="WARNING")
    for name in TOOLS:
        tool = make_tool(name, data_dir)
        server.add_tool(tool, name=tool.__name__, description=tool.__doc__, structured_output=False)
    return server


def serve(data_dir: Path | None = None) -> None:
    """Serve over stdio until the client closes the connection."""
    from ocindex.index import Index

    Index.load(data_dir)  # a broken data directory fails here, before any client waits
    build_server(data_dir).run("stdio")
