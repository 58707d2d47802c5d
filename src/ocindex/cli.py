"""The `ocindex` command: a thin Typer layer over `ocindex.core`.

Commands parse options, call the core and hand the resulting view to a renderer.
Errors become a message and an exit code in one place, `OcindexGroup.invoke`.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

try:  # typer >= 0.26 carries its own copy of click
    from typer._click.exceptions import UsageError
except ImportError:  # pragma: no cover - older typer, on top of click
    from click.exceptions import UsageError  # type: ignore[no-redef,import-not-found,unused-ignore]

from ocindex import __version__
from ocindex.errors import EXIT_INCONSISTENT, EXIT_USAGE, OcindexError
from ocindex.index import Index
from ocindex.render import OutputFormat, choose_format, emit

DEBUG_ENV = "OCINDEX_DEBUG"


def _fail(message: str, code: int) -> NoReturn:
    sys.stderr.write(f"ocindex: {message}\n")
    raise typer.Exit(code)


def _quiet_broken_pipe() -> NoReturn:
    """The reader went away (`| head`): stop quietly, as other Unix tools do."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    raise typer.Exit(0)


class OcindexGroup(TyperGroup):
    """Turns every expected failure into one or two lines on stderr and an exit code."""

    def make_context(
        self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any
    ) -> Any:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except UsageError as exc:
            self._usage(exc)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except OcindexError as exc:
            if os.environ.get(DEBUG_ENV):
                raise
            _fail(str(exc), exc.exit_code)
        except UsageError as exc:
            self._usage(exc)
        except BrokenPipeError:
            _quiet_broken_pipe()
        except KeyboardInterrupt:
            _fail("interrupted", 130)

    @staticmethod
    def _usage(exc: UsageError) -> NoReturn:
        if os.environ.get(DEBUG_ENV):
            raise exc
        command = exc.ctx.command_path if exc.ctx else "ocindex"
        _fail(f"{exc.format_message()}\nTry '{command} --help'.", EXIT_USAGE)


app = typer.Typer(
    cls=OcindexGroup,
    name="ocindex",
    help="The Global Organized Crime Index (GI-TOC): look up, rank, compare and verify "
    "every country, indicator and edition.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ocindex {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """The Global Organized Crime Index (GI-TOC) in the terminal and in scripts."""


DataDirOption = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        envvar="OCINDEX_DATA_DIR",
        help="Folder of profile files to use instead of the shipped data.",
        show_default=False,
    ),
]
FormatOption = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format. Default: table on a terminal, tsv when piped.",
        show_default=False,
        case_sensitive=False,
    ),
]
YearOption = Annotated[
    int | None,
    typer.Option(
        "--year", "-y", help="Edition (default: the latest complete one, 2023).", show_default=False
    ),
]


def _index(data_dir: Path | None) -> Index:
    return Index.load(data_dir)


def _emit(view: Any, fmt: OutputFormat | None) -> OutputFormat:
    chosen = choose_format(fmt)
    emit(view, chosen)
    return chosen


@app.command()
def show(
    country: Annotated[str, typer.Argument(help="Country name, ISO3/ISO2 code or alias.")],
    year: YearOption = None,
    fmt: FormatOption = None,
    text: Annotated[bool, typer.Option("--text", help="Add the profile's narrative text.")] = False,
    data_dir: DataDirOption = None,
) -> None:
    """A country's profile: scores, rank context, pillars, changes since the last edition."""
    from ocindex.core import profile

    index = _index(data_dir)
    view = profile(index, index.country(country), index.edition(year), text=text)
    _emit(view, fmt)


@app.command("verify-scores")
def verify_scores(
    countries: Annotated[
        list[str] | None,
        typer.Argument(help="Countries to check (default: all).", show_default=False),
    ] = None,
    year: YearOption = None,
    explain: Annotated[
        list[str] | None,
        typer.Option(
            "--explain",
            help="Walk through the arithmetic for this country (repeatable).",
            show_default=False,
        ),
    ] = None,
    fmt: FormatOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Recompute every composite and stated rank; exit 1 if any published figure disagrees."""
    from ocindex.core import verify

    index = _index(data_dir)
    chosen = [index.country(name) for name in countries or []]
    explained = [index.country(name) for name in explain or []]
    editions = [index.edition(year)] if year is not None else None
    report = verify(index, chosen or None, editions, explain_countries=explained)
    used = _emit(report, fmt)
    if used is not OutputFormat.table:
        sys.stderr.write(report.summary() + "\n")
    if not report.consistent:
        raise typer.Exit(EXIT_INCONSISTENT)


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="Official dataset: .xlsx workbook or .csv file.")],
    edition: Annotated[
        int | None,
        typer.Option(
            "--edition",
            help="Only this edition (a workbook's sheet, or the CSV's year).",
            show_default=False,
        ),
    ] = None,
    data_dir: DataDirOption = None,
) -> None:
    """Create or update the profiles from an official dataset file (validated first)."""
    from ocindex.importer import import_file
    from ocindex.store import default_data_dir

    directory = data_dir or default_data_dir()
    report = import_file(file, directory, edition)
    for table in report.tables:
        ignored = f"; ignored columns: {', '.join(table.ignored)}" if table.ignored else ""
        typer.echo(
            f"{table.label}: {len(table.rows)} countries for {table.edition}{ignored}", err=True
        )
    typer.echo(
        f"{directory}: {len(report.created)} created, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged; manifest "
        + ("updated" if report.manifest_changed else "unchanged"),
        err=True,
    )


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
