"""The `ocindex` command: a thin Typer layer over the questions (`ocindex.questions`).

Commands parse options, ask a question (an `Index` method or a question module) and hand
the resulting view to a renderer.
Errors become a message and an exit code in one place, `OcindexGroup.invoke`.
"""

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
    from click.exceptions import UsageError  # type: ignore[no-redef,import-not-found,assignment,unused-ignore]

from ocindex.errors import (
    EXIT_INCONSISTENT,
    EXIT_INTERNAL,
    EXIT_OUTPUT,
    EXIT_USAGE,
    OcindexError,
)
from ocindex.errors import UsageError as OcindexUsageError
from ocindex.index import Index
from ocindex.render import OutputFormat, choose_format, emit
from ocindex.store import DATA_DIR_ENV, default_data_dir

DEBUG_ENV = "OCINDEX_DEBUG"


def _say(message: str) -> None:
    """A message on stderr; text from data or arguments shows its control characters."""
    from ocindex.text import printable

    lines = "\n".join(printable(line) for line in message.split("\n"))
    with contextlib.suppress(OSError, ValueError, AttributeError):  # stderr may be closed
        sys.stderr.write(f"ocindex: {lines}\n")


def _fail(message: str, code: int) -> NoReturn:
    _say(message)
    raise typer.Exit(code)


def _silence_stdout() -> None:
    """Drop whatever output is still buffered (the reader is gone, or the disk is full)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _output_failed(exc: OSError) -> str:
    return f"cannot write the output: {exc.strerror or exc}"


def _quiet_broken_pipe() -> NoReturn:
    """The reader went away (`| head`): stop quietly, as other Unix tools do."""
    _silence_stdout()
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
            _fail(exc.cli_text(), exc.exit_code)
        except UsageError as exc:
            self._usage(exc)
        except BrokenPipeError:
            _quiet_broken_pipe()
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except OSError as exc:  # writing the output failed: a full disk, a closed stream
            if os.environ.get(DEBUG_ENV):
                raise
            _silence_stdout()
            _fail(_output_failed(exc), EXIT_OUTPUT)
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
        if type(exc).__name__ == "NoArgsIsHelpError":  # `ocindex` alone: the help, on stdout
            if exc.ctx is not None:
                typer.echo(exc.ctx.get_help())
            raise typer.Exit(EXIT_USAGE)
        message = " ".join(exc.format_message().split())  # one line, as every error
        if not message:  # the help was already shown
            raise typer.Exit(EXIT_USAGE)
        command = exc.ctx.command_path if exc.ctx else "ocindex"
        _fail(f"{message}\nTry '{command} --help'.", EXIT_USAGE)


APP_SETTINGS: dict[str, Any] = {
    "cls": OcindexGroup,
    "name": "ocindex",
    "help": "The Global Organized Crime Index (GI-TOC): look up, rank, compare and verify "
    "every country, indicator and edition.",
    "no_args_is_help": True,
    "add_completion": True,
    "pretty_exceptions_enable": False,
    # Plain help: Typer's Rich help loads rich.markdown and markdown_it (about 2x the start-up
    # of `import typer`); `--help` stays within the start-up budget without them.
    "rich_markup_mode": None,
    "context_settings": {"help_option_names": ["-h", "--help"]},
}
app = typer.Typer(**APP_SETTINGS)


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


def _complete_country(incomplete: str) -> list[tuple[str, str]]:
    """Shell completion: country slugs and codes (from the compiled index, no parsing)."""
    from ocindex.completion import countries

    return countries(incomplete)


def _complete_indicator(incomplete: str) -> list[tuple[str, str]]:
    from ocindex.completion import indicators

    return indicators(incomplete)


def _complete_continent(incomplete: str) -> list[str]:
    from ocindex.completion import places

    return places(incomplete, "continent")


def _complete_region(incomplete: str) -> list[str]:
    from ocindex.completion import places

    return places(incomplete, "region")


def _complete_year(incomplete: str) -> list[str]:
    from ocindex.completion import editions

    return editions(incomplete)


DataDirOption = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        envvar=DATA_DIR_ENV,
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
        "--year",
        "-y",
        help="Edition (default: the latest complete one, 2023).",
        show_default=False,
        autocompletion=_complete_year,
    ),
]


PngOption = Annotated[
    Path | None,
    typer.Option(
        "--png", help="Save the picture as PNG (needs ocindex[charts]).", show_default=False
    ),
]
ChartSvgOption = Annotated[
    Path | None,
    typer.Option(
        "--svg", help="Save the picture as SVG (needs ocindex[charts]).", show_default=False
    ),
]
ChartHtmlOption = Annotated[
    Path | None,
    typer.Option(
        "--html",
        help="Save the picture as an interactive HTML page (needs ocindex[charts]).",
        show_default=False,
    ),
]


SvgOption = Annotated[
    Path | None,
    typer.Option(
        "--svg", help="Also save what the table shows as an SVG picture.", show_default=False
    ),
]
HtmlOption = Annotated[
    Path | None,
    typer.Option(
        "--html",
        help="Also save the data as an HTML page with a sortable table.",
        show_default=False,
    ),
]


def _index(data_dir: Path | None) -> Index:
    """The index, its notes (an interrupted import finished or undone) on stderr."""
    index = Index.load(data_dir)
    for note in index.notes:
        sys.stderr.write(f"ocindex: note: {note}\n")
    return index


def _emit(
    view: Any,
    fmt: OutputFormat | None,
    svg: Path | None = None,
    html: Path | None = None,
    png: Path | None = None,
) -> OutputFormat:
    chosen = choose_format(fmt)
    if svg or png:
        from ocindex.charts.views import chart_of

        spec = chart_of(view)
        if spec is not None:
            # A real chart, written (atomically) before anything goes to stdout.
            from ocindex.charts import save

            for path in save(spec, svg=svg, png=png):
                sys.stderr.write(f"wrote {path}\n")
            svg = None
    emit(view, chosen)
    if chosen is not OutputFormat.table:
        # A table prints its notes; elsewhere they go to stderr, off the data.
        for note in getattr(view, "notes", ()):
            sys.stderr.write(f"note: {note}\n")
    if svg or html:
        from ocindex.render.table import export_files

        for path in export_files(view, svg=svg, title="ocindex"):
            sys.stderr.write(f"wrote {path}\n")
        if html:
            from ocindex.render.html_table import write_page

            sys.stderr.write(f"wrote {write_page(view, html, 'ocindex')}\n")
    return chosen


@app.command()
def show(
    country: Annotated[
        str,
        typer.Argument(
            help="Country name, ISO3/ISO2 code or alias.", autocompletion=_complete_country
        ),
    ],
    year: YearOption = None,
    fmt: FormatOption = None,
    svg: SvgOption = None,
    html: HtmlOption = None,
    png: PngOption = None,
    text: Annotated[bool, typer.Option("--text", help="Add the profile's narrative text.")] = False,
    data_dir: DataDirOption = None,
) -> None:
    """A country's profile: scores, rank context, pillars, changes since the last edition."""
    _emit(_index(data_dir).profile(country, year, text=text), fmt, svg, html, png)


@app.command("verify-scores")
def verify_scores(
    countries: Annotated[
        list[str] | None,
        typer.Argument(
            help="Countries to check (default: all).",
            show_default=False,
            autocompletion=_complete_country,
        ),
    ] = None,
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            "-y",
            help="Only this edition (default: every edition).",
            show_default=False,
            autocompletion=_complete_year,
        ),
    ] = None,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="Walk through the arithmetic of the countries named "
            "(`verify-scores --explain mali`).",
        ),
    ] = False,
    fmt: FormatOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Recompute every composite, stated score and stated rank; exit 1 if any disagrees."""
    if explain and not countries:
        raise OcindexUsageError(
            "--explain needs the countries to explain",
            "Example: ocindex verify-scores --explain mali",
        )
    named = countries or ()
    report = _index(data_dir).verify(named, year, explain=named if explain else ())
    used = _emit(report, fmt)
    if used is not OutputFormat.table:
        sys.stderr.write(report.summary() + "\n")
    if not report.consistent:
        raise typer.Exit(EXIT_INCONSISTENT)


@app.command("import")
def import_(
    file: Annotated[
        Path,
        typer.Argument(
            help="Official dataset (.xlsx workbook or .csv), or a country profile (.pdf, .txt)."
        ),
    ],
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
    """Create or update the profiles from an official dataset file (validated first), or
    add a country profile document (.pdf or its .txt) as the country's profile text.

    Without --data-dir, writes to your user data folder (`ocindex data` shows it), which
    then replaces the shipped data; a refused or interrupted import changes nothing.
    Example: ocindex import global_oc_index_2027.xlsx
    """
    import gc

    from ocindex.datafolder import import_target

    gc.enable()  # the entry point pauses it for queries; an import keeps memory in check
    directory, base = import_target(data_dir)
    if file.suffix.lower() in (".pdf", ".txt"):
        _import_profile_document(directory, file, edition, base)
        return
    from ocindex.importer import import_file

    report = import_file(file, directory, edition, base=base)
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


def _import_profile_document(
    directory: Path, file: Path, edition: int | None, base: Path | None
) -> None:
    from ocindex.profile_document import import_document

    name, document, changed = import_document(directory, file, edition, base=base)
    typer.echo(
        f"{file.name}: {document.title} {document.edition}, {len(document.narrative)} paragraphs, "
        f"{len(document.stated_scores)} stated scores; {directory / name} "
        + (f"[profile.{document.edition}] written" if changed else "unchanged"),
        err=True,
    )


@app.command("data")
def data_command(
    reset: Annotated[
        bool,
        typer.Option("--reset", help="Delete the user data folder: back to the shipped data."),
    ] = False,
    fmt: FormatOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Which data folder is in use, what it holds beyond the shipped data; --reset.

    Example: ocindex data
    """
    from ocindex.datafolder import describe, reset_user_data

    if reset:
        typer.echo(reset_user_data(), err=True)
        return
    _emit(describe(data_dir), fmt)


def _complete_group(incomplete: str) -> list[tuple[str, str]]:
    from ocindex.completion import groups

    return groups(incomplete)


ContinentOption = Annotated[
    str | None,
    typer.Option(
        "--continent",
        help="Only this continent (e.g. Africa).",
        show_default=False,
        autocompletion=_complete_continent,
    ),
]
RegionOption = Annotated[
    str | None,
    typer.Option(
        "--region",
        help="Only this region (e.g. 'West Africa').",
        show_default=False,
        autocompletion=_complete_region,
    ),
]
GroupOption = Annotated[
    str | None,
    typer.Option(
        "--group",
        "-g",
        help="Only a named group: eu, oecd, g7, g20, ecowas, sadc, asean, au, g5-sahel or "
        "your own (`ocindex list groups`).",
        show_default=False,
        autocompletion=_complete_group,
    ),
]
CountriesOption = Annotated[
    str | None,
    typer.Option(
        "--countries",
        help="Only these countries, comma-separated (e.g. 'mali,niger,BFA').",
        show_default=False,
    ),
]


def _split(countries: str | None) -> list[str]:
    """'mali, niger,BFA' -> ['mali', 'niger', 'BFA']; an empty list given is an error, never
    silently the whole world."""
    parts = [part.strip() for part in (countries or "").split(",") if part.strip()]
    if countries is not None and not parts:
        raise OcindexUsageError(
            "--countries names no country", "Example: --countries mali,niger,burkina-faso"
        )
    return parts


TopOption = Annotated[
    int | None,
    typer.Option(
        "--top", "-n", help="Show the first N (and any tied with the Nth).", show_default=False
    ),
]
AscendingOption = Annotated[
    bool,
    typer.Option(
        "--ascending", help="List the lowest scores first (ranks stay the index's: highest 1st)."
    ),
]
TextOption = Annotated[
    bool,
    typer.Option("--text", help="Add the profile paragraphs that discuss this indicator."),
]


def _rank_command(pillar: str | None, argument: Any, doc: str) -> Any:
    """A ranking command: `rank` (any indicator, required), or `market`/`actor`/`resilience`
    (one pillar; without a name, the pillar's own average)."""
    required = pillar is None

    def command(
        indicator: argument = ... if required else None,
        year: YearOption = None,
        continent: ContinentOption = None,
        region: RegionOption = None,
        group: GroupOption = None,
        countries: CountriesOption = None,
        top: TopOption = None,
        ascending: AscendingOption = False,
        text: TextOption = False,
        fmt: FormatOption = None,
        svg: ChartSvgOption = None,
        png: PngOption = None,
        html: HtmlOption = None,
        data_dir: DataDirOption = None,
    ) -> None:
        from ocindex.indicators import BY_KEY

        # Only the pillar commands leave the name out: they then rank the pillar's average.
        chosen = BY_KEY[str(pillar)] if indicator is None else indicator
        view = _index(data_dir).rank(
            chosen,
            year,
            pillar=pillar,
            continent=continent,
            region=region,
            top=top,
            ascending=ascending,
            text=text,
            group=group,
            countries=_split(countries),
        )
        _emit(view, fmt, svg, html, png)

    command.__doc__ = doc
    return command


def _pillar_argument(help_text: str, pillar: str) -> Any:
    def complete(incomplete: str) -> list[tuple[str, str]]:
        from ocindex.completion import indicators

        return indicators(incomplete, pillar)

    return Annotated[
        str | None,
        typer.Argument(help=help_text, show_default=False, autocompletion=complete),
    ]


app.command("rank")(
    _rank_command(
        None,
        Annotated[
            str,
            typer.Argument(
                help="Indicator key, name or short form.", autocompletion=_complete_indicator
            ),
        ],
        "Rank countries on any indicator or composite (competition ranking: 1, 2, 2, 4).",
    )
)
app.command("market")(
    _rank_command(
        "criminal_markets",
        _pillar_argument("A criminal market (default: the markets average).", "criminal_markets"),
        "Rank countries on a criminal market (`ocindex market cocaine`).",
    )
)
app.command("actor")(
    _rank_command(
        "criminal_actors",
        _pillar_argument("A criminal actor type (default: the actors average).", "criminal_actors"),
        "Rank countries on a criminal actor type (`ocindex actor state-embedded`).",
    )
)
app.command("resilience")(
    _rank_command(
        "resilience",
        _pillar_argument("A resilience indicator (default: the resilience score).", "resilience"),
        "Rank countries on resilience or one of its indicators (`ocindex resilience aml`).",
    )
)


@app.command()
def compare(
    countries: Annotated[
        list[str], typer.Argument(help="2 to 10 countries.", autocompletion=_complete_country)
    ],
    year: YearOption = None,
    fmt: FormatOption = None,
    svg: ChartSvgOption = None,
    png: PngOption = None,
    html: HtmlOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Every indicator of 2 to 10 countries side by side, with the difference."""
    _emit(_index(data_dir).compare(countries, year), fmt, svg, html, png)


@app.command()
def trend(
    country: Annotated[
        str,
        typer.Argument(help="Country name, ISO code or alias.", autocompletion=_complete_country),
    ],
    indicators: Annotated[
        list[str] | None,
        typer.Argument(
            help="Indicators to show (default: all).",
            show_default=False,
            autocompletion=_complete_indicator,
        ),
    ] = None,
    fmt: FormatOption = None,
    svg: ChartSvgOption = None,
    png: PngOption = None,
    html: HtmlOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """A country's scores 2021 -> 2023 -> 2025, with the 2021 methodology break marked."""
    _emit(_index(data_dir).trend(country, indicators or ()), fmt, svg, html, png)


@app.command("map")
def map_(
    indicator: Annotated[
        str,
        typer.Argument(
            help="Indicator key, name or short form.", autocompletion=_complete_indicator
        ),
    ],
    year: YearOption = None,
    continent: ContinentOption = None,
    region: RegionOption = None,
    group: GroupOption = None,
    fmt: FormatOption = None,
    svg: ChartSvgOption = None,
    png: PngOption = None,
    html: ChartHtmlOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """A world (or continent, region, group) map of any indicator: in the terminal, or as a
    picture. Example: ocindex map cocaine --continent Africa --svg cocaine.svg"""
    from ocindex.charts.mapview import map_view, terminal_map, use_colour

    view = map_view(_index(data_dir), indicator, year, continent, region, group)
    if svg or png or html:
        from ocindex.charts import save
        from ocindex.charts.specs import map_spec

        spec = map_spec(
            view.entries,
            title=f"{view.indicator.name}",
            edition=view.edition,
            scope=view.scope,
            good_when_high=view.good_when_high,
        )
        for path in save(spec, svg=svg, png=png, html=html):
            sys.stderr.write(f"wrote {path}\n")
        if fmt is None:
            return
    if fmt is None or fmt is OutputFormat.table:
        width = int(os.environ.get("COLUMNS") or 0) or _terminal_width()
        sys.stdout.write(terminal_map(view, max(80, width) - 1, use_colour(sys.stdout)))
    else:
        emit(view, fmt)


def _terminal_width() -> int:
    import shutil

    return shutil.get_terminal_size((80, 24)).columns


@app.command()
def search(
    words: Annotated[list[str], typer.Argument(help='Words, or "a phrase" in quotes.')],
    year: Annotated[
        int | None,
        typer.Option("--year", "-y", help="Only this edition's text.", show_default=False),
    ] = None,
    country: Annotated[
        list[str] | None,
        typer.Option(
            "--country",
            "-c",
            help="Only this country (repeatable).",
            show_default=False,
            autocompletion=_complete_country,
        ),
    ] = None,
    fmt: FormatOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Full-text search of the narrative of the profile documents imported (case- and
    accent-insensitive); `ocindex list profiles` shows which."""
    # A word the shell passed with spaces in it was a quoted phrase.
    query = " ".join(f'"{w}"' if " " in w and '"' not in w else w for w in words)
    view = _index(data_dir).search(query, year, country or ())
    _emit(view, fmt)
    if not view.hits:  # as grep does: nothing matched
        raise typer.Exit(EXIT_INCONSISTENT)


class Listing(str, enum.Enum):
    countries = "countries"
    indicators = "indicators"
    regions = "regions"
    editions = "editions"
    profiles = "profiles"
    groups = "groups"


@app.command("list")
def list_(
    what: Annotated[
        Listing,
        typer.Argument(help="countries, indicators, regions, editions, groups or profiles."),
    ],
    year: YearOption = None,
    continent: ContinentOption = None,
    region: RegionOption = None,
    group: GroupOption = None,
    countries: CountriesOption = None,
    fmt: FormatOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """List countries, indicators, regions, editions, groups, or the profile documents with text.

    Example: ocindex list groups; ocindex list countries --group ecowas --year 2025
    """
    from ocindex.questions import listing

    index = _index(data_dir)
    edition = index.edition(year)
    if what is Listing.countries:
        view = listing.list_countries(index, edition, continent, region, group, _split(countries))
    elif what is Listing.indicators:
        view = listing.list_indicators(index)
    elif what is Listing.regions:
        view = listing.list_regions(index, edition, continent)
    elif what is Listing.groups:
        view = listing.list_groups(index, edition)
    elif what is Listing.profiles:
        view = listing.list_profiles(index, year)
    else:
        view = listing.list_editions(index)
    _emit(view, fmt)


@app.command()
def validate(
    fmt: FormatOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Check every profile file and the manifest; report every problem (exit 3 if any)."""
    from ocindex.errors import EXIT_DATA
    from ocindex.validate import validate as validate_directory

    report = validate_directory(data_dir or default_data_dir())
    used = _emit(report, fmt)
    if used is not OutputFormat.table:
        sys.stderr.write(report.summary() + "\n")
    if not report.clean:
        raise typer.Exit(EXIT_DATA)


class CiteFormat(str, enum.Enum):
    text = "text"
    bibtex = "bibtex"
    json = "json"


@app.command()
def cite(
    country: Annotated[
        str | None,
        typer.Argument(
            help="Also cite this country's profile (ENACT's for Africa).",
            show_default=False,
            autocompletion=_complete_country,
        ),
    ] = None,
    year: YearOption = None,
    fmt: Annotated[
        CiteFormat,
        typer.Option("--format", "-f", help="text, bibtex or json.", case_sensitive=False),
    ] = CiteFormat.text,
    data_dir: DataDirOption = None,
) -> None:
    """How to cite the index (the edition's data file and checksum included)."""
    from ocindex.citation import cite as citation

    index = _index(data_dir)
    view = citation(index, index.edition(year), index.country(country) if country else None)
    if fmt is CiteFormat.json:
        emit(view, OutputFormat.json)
    else:
        chosen = view.text if fmt is CiteFormat.text else view.bibtex
        sys.stdout.write("\n\n".join(chosen) + "\n")


class ExportFormat(str, enum.Enum):
    csv = "csv"
    tsv = "tsv"
    jsonl = "jsonl"
    json = "json"
    sqlite = "sqlite"
    parquet = "parquet"


class DataFormat(str, enum.Enum):
    csv = "csv"
    tsv = "tsv"
    json = "json"


OutputFileOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file (atomically) instead of stdout; needed for sqlite and parquet.",
        show_default=False,
    ),
]
KeepUnmatchedOption = Annotated[
    bool,
    typer.Option(
        "--keep-unmatched",
        help="Keep unknown or ambiguous names with empty cells (listed on stderr) "
        "instead of failing.",
    ),
]


@app.command()
def export(
    fmt: Annotated[
        ExportFormat,
        typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
    ] = ExportFormat.csv,
    wide: Annotated[
        bool,
        typer.Option("--wide", help="One row per country and edition, one column per score."),
    ] = False,
    year: Annotated[
        list[int] | None,
        typer.Option(
            "--year", "-y", help="Only this edition (repeatable; default: all).", show_default=False
        ),
    ] = None,
    output: OutputFileOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """The whole index: one row per country, edition and score (or --wide), with ranks."""
    from ocindex import export as exporting

    chosen = fmt.value
    if chosen in exporting.BINARY_FORMATS and output is None:
        raise OcindexUsageError(
            f"--format {chosen} writes a file: give --output FILE",
            f"Example: ocindex export --format {chosen} --output ocindex."
            + ("db" if chosen == "sqlite" else chosen),
        )
    index = _index(data_dir)
    data = exporting.table(index, year or (), wide=wide)
    if output is None:
        exporting.TEXT_WRITERS[chosen](data, sys.stdout)
        sys.stdout.flush()
        if chosen != "json":
            for source in data.sources:
                sys.stderr.write(
                    f"source: {source['edition']}: {source['file']}, SHA-256 {source['sha256']}\n"
                )
        return
    for path in exporting.write_file(index, data, chosen, output):
        sys.stderr.write(f"wrote {path}\n")


def _write_rows(view: Any, fmt: DataFormat) -> None:
    emit(view, OutputFormat(fmt.value))


@app.command()
def join(
    file: Annotated[Path, typer.Argument(help="Your table: a .csv, .tsv or .xlsx file.")],
    country_column: Annotated[
        str,
        typer.Option(
            "--country-column", "-c", help="The column holding country names or ISO codes."
        ),
    ],
    indicators: Annotated[
        list[str] | None,
        typer.Option(
            "--indicators",
            "-i",
            help="Scores to append (repeatable; default: criminality and resilience).",
            show_default=False,
            autocompletion=_complete_indicator,
        ),
    ] = None,
    year: YearOption = None,
    sheet: Annotated[
        str | None,
        typer.Option("--sheet", help="Workbook sheet (default: the first).", show_default=False),
    ] = None,
    keep_unmatched: KeepUnmatchedOption = False,
    fmt: Annotated[
        DataFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="csv, tsv or json (default: the input's own delimiter).",
            show_default=False,
            case_sensitive=False,
        ),
    ] = None,
    data_dir: DataDirOption = None,
) -> None:
    """Append ISO3 and index scores to your own table, matching its country names."""
    from ocindex.join import join as join_table
    from ocindex.join import read_table

    table = read_table(file, sheet)
    joined = join_table(_index(data_dir), table, country_column, indicators or (), year)
    _report_unmatched(joined.resolution, keep_unmatched, "line")
    chosen = fmt or (DataFormat.tsv if table.delimiter == "\t" else DataFormat.csv)
    _write_rows(joined, chosen)
    for note in joined.notes:
        sys.stderr.write(f"note: {note}\n")


def _report_unmatched(resolution: Any, keep: bool, where: str) -> None:
    """Unknown or ambiguous names: every one listed; exit 2 unless they are kept."""
    if not resolution.unmatched:
        return
    lines = resolution.describe(where)
    if not keep:
        count = len(resolution.unmatched)
        _fail(
            f"{count} name(s) match no country or several:\n"
            + "\n".join(f"  {line}" for line in lines)
            + "\nFix the names (ISO3 codes always work), or use --keep-unmatched.",
            EXIT_USAGE,
        )
    for line in lines:
        sys.stderr.write(f"unmatched: {line}\n")


@app.command()
def resolve(
    names: Annotated[
        list[str] | None,
        typer.Argument(
            help="Country names or codes (default: one per line from stdin).", show_default=False
        ),
    ] = None,
    keep_unmatched: KeepUnmatchedOption = False,
    fmt: Annotated[
        DataFormat,
        typer.Option("--format", "-f", help="csv, tsv or json.", case_sensitive=False),
    ] = DataFormat.tsv,
    data_dir: DataDirOption = None,
) -> None:
    """Country names -> ISO3, ISO2 and the index's name (for any pipeline)."""
    from ocindex.join import ResolveView, resolve_names

    given = names if names else [line.rstrip("\r\n") for line in sys.stdin]
    given = [name for name in given if name.strip()] if not names else given
    if not given:
        raise OcindexUsageError("no names given", "Example: ocindex resolve 'Korea, Rep.' UK")
    resolution = resolve_names(_index(data_dir), enumerate(given, start=1))
    _report_unmatched(resolution, keep_unmatched, "input")
    _write_rows(ResolveView(tuple(given), resolution), fmt)


@app.command()
def mcp(data_dir: DataDirOption = None) -> None:
    """Serve the commands as Model Context Protocol tools over stdio (needs ocindex[mcp])."""
    from ocindex.mcp_server import serve

    serve(data_dir)


# -- groups and change (issue 9) --------------------------------------------------------


class StatsBy(str, enum.Enum):
    continent = "continent"
    region = "region"


@app.command()
def stats(
    indicators: Annotated[
        list[str],
        typer.Argument(
            help="Indicators or composites (keys, names or short forms).",
            autocompletion=_complete_indicator,
        ),
    ],
    year: YearOption = None,
    by: Annotated[
        StatsBy | None,
        typer.Option("--by", help="Also one group per continent or region.", show_default=False),
    ] = None,
    continent: ContinentOption = None,
    region: RegionOption = None,
    group: GroupOption = None,
    countries: CountriesOption = None,
    fmt: FormatOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """n, mean, median, min, max and spread of indicators, exactly, per group.

    Example: ocindex stats law_enforcement --by continent
    """
    view = _index(data_dir).stats(
        indicators,
        year,
        by=by.value if by else None,
        continent=continent,
        region=region,
        group=group,
        countries=_split(countries),
    )
    _emit(view, fmt)


@app.command()
def movers(
    indicator: Annotated[
        str,
        typer.Argument(
            help="Indicator key, name or short form.", autocompletion=_complete_indicator
        ),
    ],
    start: Annotated[
        int,
        typer.Option("--from", help="The earlier edition.", autocompletion=_complete_year),
    ] = 2021,
    end: Annotated[
        int,
        typer.Option("--to", help="The later edition.", autocompletion=_complete_year),
    ] = 2023,
    top: TopOption = None,
    falling: Annotated[
        bool, typer.Option("--falling", help="The biggest falls first (default: rises).")
    ] = False,
    like_for_like: Annotated[
        bool,
        typer.Option(
            "--like-for-like",
            help="Sort by the like-for-like change (composites across the 2021 break).",
        ),
    ] = False,
    continent: ContinentOption = None,
    region: RegionOption = None,
    group: GroupOption = None,
    countries: CountriesOption = None,
    fmt: FormatOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Every country's change between two editions, with ranks and rank changes.

    Example: ocindex movers criminality --from 2021 --to 2023 --top 10 --like-for-like
    """
    view = _index(data_dir).movers(
        indicator,
        start,
        end,
        top=top,
        falling=falling,
        like_for_like=like_for_like,
        continent=continent,
        region=region,
        group=group,
        countries=_split(countries),
    )
    _emit(view, fmt)


@app.command()
def quadrant(
    year: YearOption = None,
    since: Annotated[
        int | None,
        typer.Option(
            "--since",
            help="Also who moved between quadrants since this edition.",
            show_default=False,
            autocompletion=_complete_year,
        ),
    ] = None,
    continent: ContinentOption = None,
    region: RegionOption = None,
    group: GroupOption = None,
    countries: CountriesOption = None,
    fmt: FormatOption = None,
    svg: ChartSvgOption = None,
    png: PngOption = None,
    html: ChartHtmlOption = None,
    label: Annotated[
        str | None,
        typer.Option(
            "--label",
            help="Countries to name on the chart, e.g. mali,niger (default: the extremes).",
            show_default=False,
        ),
    ] = None,
    data_dir: DataDirOption = None,
) -> None:
    """The report's vulnerability matrix: criminality against resilience, split at 5.50.

    Example: ocindex quadrant --year 2023 --since 2021
    """
    index = _index(data_dir)
    view = index.quadrant(
        year,
        since=since,
        continent=continent,
        region=region,
        group=group,
        countries=_split(countries),
    )
    if svg or png or html:
        from ocindex.charts import save
        from ocindex.charts.specs import QuadrantPoint, quadrant_spec

        points = [
            QuadrantPoint(p.country.iso3, p.country.name, p.criminality, p.resilience)
            for p in view.placed
        ]
        if label:
            labels = [index.country(name).iso3 for name in _split(label) or ()]
        else:
            labels = (
                [
                    pick(points, key=key).iso3
                    for pick in (min, max)
                    for key in (lambda q: q.criminality, lambda q: q.resilience)
                ]
                if points
                else []
            )
        spec = quadrant_spec(points, edition=view.edition, scope=view.scope, labels=labels)
        for path in save(spec, svg=svg, png=png, html=html):
            sys.stderr.write(f"wrote {path}\n")
        if fmt is None:
            return
    _emit(view, fmt)


def _command_name(info: Any) -> str:
    return str(info.name or info.callback.__name__.replace("_", "-"))


def _app_for(argv: list[str]) -> typer.Typer:
    """The app to run for `argv`: just the requested command when one is named.

    Typer turns every command's signature into Click parameters before running any of
    them; building only the one being run is a large part of the start-up budget.
    Anything else (no command, `--help`, an unknown name) gets the whole app.
    """
    wanted = argv[0] if argv else ""
    for info in app.registered_commands:
        if _command_name(info) == wanted:
            single = typer.Typer(**APP_SETTINGS)
            single.registered_callback = app.registered_callback
            single.registered_commands = [info]
            return single
    return app


def main() -> None:
    """Console-script entry point."""
    if sys.stdout is None:  # started with standard output closed (`>&-`)
        _say("standard output is closed; nothing can be written")
        sys.exit(EXIT_OUTPUT)
    code: Any = 0
    try:
        _app_for(sys.argv[1:])(prog_name="ocindex")
    except SystemExit as exc:
        code = exc.code
    except BrokenPipeError:
        code = 0
        _silence_stdout()
    # Buffered output is written here: a full disk shows now, not as Python's own warning.
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        code = 0
        _silence_stdout()
    except OSError as exc:
        _silence_stdout()
        _say(_output_failed(exc))
        code = EXIT_OUTPUT
    sys.exit(code)
