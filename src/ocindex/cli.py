"""The `ocindex` command: a thin Typer layer over `ocindex.core`.

Commands parse options, call the core and hand the resulting view to a renderer.
Errors become a message and an exit code in one place, `OcindexGroup.invoke`.
"""

from __future__ import annotations

import contextlib
import enum
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

from ocindex.errors import EXIT_INCONSISTENT, EXIT_INTERNAL, EXIT_USAGE, OcindexError
from ocindex.errors import UsageError as OcindexUsageError
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
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:  # a bug: still no traceback unless asked for
            if os.environ.get(DEBUG_ENV):
                raise
            _fail(
                f"internal error: {type(exc).__name__}: {exc}\n"
                f"This is a bug; {DEBUG_ENV}=1 shows the traceback.",
                EXIT_INTERNAL,
            )

    @staticmethod
    def _usage(exc: UsageError) -> NoReturn:
        if os.environ.get(DEBUG_ENV):
            raise exc
        message = " ".join(exc.format_message().split())  # one line, as every error
        if not message:  # `ocindex` alone: the help was already shown
            raise typer.Exit(EXIT_USAGE)
        command = exc.ctx.command_path if exc.ctx else "ocindex"
        _fail(f"{message}\nTry '{command} --help'.", EXIT_USAGE)


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
        from ocindex import __version__

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
    from ocindex.views import coverage_note

    index = _index(data_dir)
    view = profile(index, index.country(country), index.edition(year), text=text)
    if _emit(view, fmt) is not OutputFormat.table:
        # As `rank` does: a table prints it; elsewhere it goes to stderr, off the data.
        note = coverage_note(view.source)
        if note:
            sys.stderr.write(f"note: {note}\n")


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


ContinentOption = Annotated[
    str | None,
    typer.Option("--continent", help="Only this continent (e.g. Africa).", show_default=False),
]
RegionOption = Annotated[
    str | None,
    typer.Option("--region", help="Only this region (e.g. 'West Africa').", show_default=False),
]
TopOption = Annotated[
    int | None, typer.Option("--top", "-n", help="Show the first N only.", show_default=False)
]
AscendingOption = Annotated[
    bool, typer.Option("--ascending", help="Lowest score first (rank 1 = lowest).")
]
TextOption = Annotated[
    bool,
    typer.Option("--text", help="Add the profile paragraphs that discuss this indicator."),
]


def _rank(
    indicator: str | None,
    pillar: str | None,
    year: int | None,
    continent: str | None,
    region: str | None,
    top: int | None,
    ascending: bool,
    text: bool,
    fmt: OutputFormat | None,
    data_dir: Path | None,
) -> None:
    from ocindex.core import rank as rank_countries
    from ocindex.indicators import BY_KEY

    index = _index(data_dir)
    if indicator is None:
        if pillar is None:
            raise OcindexUsageError("name an indicator, e.g. `ocindex rank cocaine`")
        chosen = BY_KEY[pillar]
    else:
        chosen = index.indicator(indicator, pillar)
    view = rank_countries(
        index,
        chosen,
        index.edition(year),
        continent=continent,
        region=region,
        top=top,
        ascending=ascending,
        text=text,
    )
    _emit(view, fmt)
    if choose_format(fmt) is not OutputFormat.table:
        for note in view.notes:
            sys.stderr.write(f"note: {note}\n")


@app.command()
def rank(
    indicator: Annotated[str, typer.Argument(help="Indicator key, name or short form.")],
    year: YearOption = None,
    continent: ContinentOption = None,
    region: RegionOption = None,
    top: TopOption = None,
    ascending: AscendingOption = False,
    text: TextOption = False,
    fmt: FormatOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Rank countries on any indicator or composite (competition ranking: 1, 2, 2, 4)."""
    _rank(indicator, None, year, continent, region, top, ascending, text, fmt, data_dir)


@app.command()
def market(
    name: Annotated[
        str | None,
        typer.Argument(
            help="A criminal market (default: the markets average).", show_default=False
        ),
    ] = None,
    year: YearOption = None,
    continent: ContinentOption = None,
    region: RegionOption = None,
    top: TopOption = None,
    ascending: AscendingOption = False,
    text: TextOption = False,
    fmt: FormatOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Rank countries on a criminal market, e.g. `ocindex market cocaine`."""
    _rank(name, "criminal_markets", year, continent, region, top, ascending, text, fmt, data_dir)


@app.command()
def actor(
    name: Annotated[
        str | None,
        typer.Argument(
            help="A criminal actor type (default: the actors average).", show_default=False
        ),
    ] = None,
    year: YearOption = None,
    continent: ContinentOption = None,
    region: RegionOption = None,
    top: TopOption = None,
    ascending: AscendingOption = False,
    text: TextOption = False,
    fmt: FormatOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Rank countries on a criminal actor type, e.g. `ocindex actor state-embedded`."""
    _rank(name, "criminal_actors", year, continent, region, top, ascending, text, fmt, data_dir)


@app.command()
def resilience(
    name: Annotated[
        str | None,
        typer.Argument(
            help="A resilience indicator (default: the resilience score).", show_default=False
        ),
    ] = None,
    year: YearOption = None,
    continent: ContinentOption = None,
    region: RegionOption = None,
    top: TopOption = None,
    ascending: AscendingOption = False,
    text: TextOption = False,
    fmt: FormatOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Rank countries on resilience or one of its indicators, e.g. `ocindex resilience aml`."""
    _rank(name, "resilience", year, continent, region, top, ascending, text, fmt, data_dir)


@app.command()
def compare(
    countries: Annotated[list[str], typer.Argument(help="2 to 10 countries.")],
    year: YearOption = None,
    fmt: FormatOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Every indicator of 2 to 10 countries side by side, with the difference."""
    from ocindex.core import compare as compare_countries

    index = _index(data_dir)
    chosen = [index.country(name) for name in countries]
    _emit(compare_countries(index, chosen, index.edition(year)), fmt)


@app.command()
def trend(
    country: Annotated[str, typer.Argument(help="Country name, ISO code or alias.")],
    indicators: Annotated[
        list[str] | None,
        typer.Argument(help="Indicators to show (default: all).", show_default=False),
    ] = None,
    fmt: FormatOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """A country's scores 2021 -> 2023 -> 2025, with the 2021 methodology break marked."""
    from ocindex.core import trend as country_trend

    index = _index(data_dir)
    chosen = [index.indicator(name) for name in indicators or []]
    _emit(country_trend(index, index.country(country), chosen), fmt)


@app.command()
def search(
    words: Annotated[list[str], typer.Argument(help='Words, or "a phrase" in quotes.')],
    year: Annotated[
        int | None,
        typer.Option("--year", "-y", help="Only this edition's text.", show_default=False),
    ] = None,
    country: Annotated[
        list[str] | None,
        typer.Option("--country", "-c", help="Only this country (repeatable).", show_default=False),
    ] = None,
    fmt: FormatOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Full-text search of every profile's narrative (case- and accent-insensitive)."""
    from ocindex.core import search as search_text

    index = _index(data_dir)
    # A word the shell passed with spaces in it was a quoted phrase.
    query = " ".join(f'"{w}"' if " " in w and '"' not in w else w for w in words)
    chosen = [index.country(name) for name in country or []]
    edition = index.edition(year) if year is not None else None
    _emit(search_text(index, query, edition=edition, countries=chosen), fmt)


class Listing(str, enum.Enum):
    countries = "countries"
    indicators = "indicators"
    regions = "regions"
    editions = "editions"


@app.command("list")
def list_(
    what: Annotated[Listing, typer.Argument(help="countries, indicators, regions or editions.")],
    year: YearOption = None,
    continent: ContinentOption = None,
    region: RegionOption = None,
    fmt: FormatOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """List countries, indicators, regions or editions."""
    from ocindex import core

    index = _index(data_dir)
    edition = index.edition(year)
    if what is Listing.countries:
        view = core.list_countries(index, edition, continent, region)
    elif what is Listing.indicators:
        view = core.list_indicators(index)
    elif what is Listing.regions:
        view = core.list_regions(index, edition, continent)
    else:
        view = core.list_editions(index)
    _emit(view, fmt)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
