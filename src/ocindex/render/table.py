"""Rich tables for people at a terminal. The only module that imports Rich at run time."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.markup import escape
from rich.panel import Panel
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from ocindex.errors import UsageError
from ocindex.figures import ordinal
from ocindex.indicators import RESILIENCE, Indicator
from ocindex.model import RankPosition
from ocindex.questions.search import find_terms
from ocindex.text import pattern, printable, xml_safe
from ocindex.views import Change, TextExcerpt, coverage_note, provenance_note

if TYPE_CHECKING:  # dispatch is by class name, so that no other command's views are created
    from ocindex.datafolder import DataFolderView
    from ocindex.views.comparison import ComparisonView
    from ocindex.views.listing import ListView
    from ocindex.views.movers import MoversView
    from ocindex.views.profile import ProfileView
    from ocindex.views.quadrant import QuadrantView
    from ocindex.views.ranking import RankingView
    from ocindex.views.search import SearchView
    from ocindex.views.stats import StatsView
    from ocindex.views.trend import TrendView
    from ocindex.views.validation import ValidationView
    from ocindex.views.verification import VerificationReport

EXPORT_WIDTH = 100
"""Columns of an exported picture."""
BAR_WIDTH = 20
COMPARE_BAR_WIDTH = 8
BLOCKS = " ▏▎▍▌▋▊▉█"
BLANK = Text("")
"""An empty line between blocks."""
WIDE = 100_000
"""Width used off a terminal, so that nothing is ever wrapped or cut."""


class _Console(Console):
    """Rich's console, for text from data: no markup is read in strings (`Niger[/]` is a
    name, not a closing tag), and control characters are shown escaped, never obeyed."""

    def __init__(self, **options: Any) -> None:
        super().__init__(markup=False, highlight=False, **options)

    def render(
        self, renderable: Any, options: ConsoleOptions | None = None
    ) -> Any:  # Iterable[Segment]
        for segment in super().render(renderable, options):
            text, style, control = segment
            if control is None and pattern("control_or_break").search(text.replace("\n", "")):
                yield Segment("\n".join(map(printable, text.split("\n"))), style)
            else:
                yield segment

    def on_broken_pipe(self) -> None:
        """Leave a closed pipe (`| head`) to the CLI, which ends quietly with exit 0.

        Rich's own handler exits 1, which for ocindex means "verify-scores found
        inconsistencies".
        """
        self.quiet = True
        raise BrokenPipeError


def make_console(stream: TextIO | None = None) -> Console:
    """The one console factory: Rich detects terminals and honours NO_COLOR and COLUMNS."""
    console = _Console(file=stream, soft_wrap=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = _Console(file=stream, width=WIDE)
    return console


def good_when_high(indicator: Indicator) -> bool:
    """Resilience is good when high; criminality, its pillars and indicators are bad."""
    return RESILIENCE in (indicator.key, indicator.pillar)


def band(score: float, *, good_when_high: bool) -> str:
    """The colour of a score's band: red is bad, green is good, yellow in between."""
    high, low = ("green", "red") if good_when_high else ("red", "green")
    return high if score >= 6.5 else low if score < 4 else "yellow"


def bar(score: float, *, good_when_high: bool, width: int = BAR_WIDTH) -> Text:
    """A bar of `score` out of 10, coloured by band."""
    eighths = round(score / 10 * width * 8)
    full, part = divmod(eighths, 8)
    body = "█" * full + (BLOCKS[part] if part else "")
    return Text(body.ljust(width), style=band(score, good_when_high=good_when_high))


def change_cell(change: Change | None, indicator: Indicator) -> Text:
    """A change as every table shows it: "new" (not assessed in the previous edition),
    "n/a" (no figure to compare), the signed change, `*` when not like for like."""
    if change is None:
        return Text("")
    if change.delta is None:
        if not indicator.assessed_in(change.previous_edition):
            return Text("new", style="dim")
        return Text("n/a", style="dim")
    sign = "+" if change.delta > 0 else ""
    label = f"{sign}{change.delta:.2f}" if change.delta else "0.00"
    if change.comparable is False:
        return Text(f"{label}*", style="dim")
    return Text(label, style="bold" if change.delta else "dim")


def rank_change_label(pos: RankPosition) -> str:
    """ " +2" (up two places since the previous edition), " -1", " =" or ""."""
    if pos.rank_change is None:
        return ""
    return f" {pos.rank_change:+d}" if pos.rank_change else " ="


def rank_context(positions: dict[str, RankPosition]) -> str:
    parts = []
    for scope, pos in positions.items():
        where = "countries" if scope == "global" else f"in {pos.scope_name}"
        parts.append(f"{ordinal(pos.rank)} of {pos.of} {where}{rank_change_label(pos)}")
    return " · ".join(parts)


_TABLES: dict[str, Callable[[Any], RenderableType]] = {}


def _table_for(function: Callable[[Any], RenderableType]) -> Callable[[Any], RenderableType]:
    """Register the table of the view class named in `function`'s first annotation."""
    _TABLES[next(iter(function.__annotations__.values()))] = function
    return function


def table_of(view: Any) -> RenderableType:
    """The Rich renderable of a view."""
    function = _TABLES.get(type(view).__name__)
    if function is None:
        raise TypeError(f"no table for {type(view).__name__}")
    return function(view)


@_table_for
def _profile(view: ProfileView) -> RenderableType:
    parts: list[RenderableType] = [
        Text.assemble(
            (view.country.name.upper(), "bold"),
            f" · {view.country.iso3} · {view.region}, {view.continent} · {view.edition} edition",
        )
    ]
    for line in view.headline:
        key = line.indicator.key
        good = good_when_high(line.indicator)
        head = Text.assemble(
            (f"{line.score:.2f}", f"bold {band(line.score, good_when_high=good)}"),
            f"  {line.indicator.name.upper()} SCORE  ",
            change_cell(line.change, line.indicator),
        )
        parts.append(
            Panel(
                Group(head, Text(rank_context(view.ranks[key]), style="")),
                expand=False,
            )
        )
    for block in view.pillars:
        good = good_when_high(block.pillar)
        table = Table(
            title=f"{block.pillar.name.upper()}  {block.average.score:.2f}",
            title_justify="left",
            title_style="bold",
            show_edge=False,
            pad_edge=False,
        )
        table.add_column("Indicator")
        table.add_column("Score", justify="right")
        table.add_column("", no_wrap=True)
        previous = block.average.change.previous_edition if block.average.change else None
        if previous:  # the first edition has nothing to compare with: no change column
            table.add_column(f"vs {previous}", justify="right")
        table.add_column("Rank", justify="right")
        if previous:
            table.add_column(f"rank vs {previous}", justify="right")
        for line in block.lines:
            pos = view.indicator_ranks.get(line.indicator.key)
            cells: list[RenderableType] = [
                line.indicator.name,
                f"{line.score:.2f}",
                bar(line.score, good_when_high=good),
            ]
            if previous:
                cells.append(change_cell(line.change, line.indicator))
            cells.append(str(pos.rank) if pos else "")
            if previous:
                cells.append(rank_change_label(pos).strip() if pos else "")
            table.add_row(*cells)
        parts += [BLANK, table]
    notes = []
    if any(line.change and line.change.comparable is False for line in view.all_lines()):
        notes.append(
            "* not like for like: 2021 criminality averaged 10 markets and 4 actor types, "
            "2023 on 15 and 5."
        )
    note = coverage_note(view.source)
    if note:
        notes.append(note)
    sheet = f", sheet {view.source.sheet}" if view.source.sheet else ""
    notes.append(
        f"Source: GI-TOC Global Organized Crime Index {view.edition} ({view.source.file}{sheet})."
    )
    if described := provenance_note(view.source):
        notes.append(described)
    if view.narrative is not None:
        parts.append(_narrative(view))
    parts += [BLANK, Text("\n".join(notes), style="dim")]
    return Group(*parts)


def _narrative(view: ProfileView) -> RenderableType:
    if not view.narrative:
        return Group(BLANK, Text(view.no_text_note(), style="italic"))
    items: list[RenderableType] = [
        BLANK,
        Text(f"{view.document or 'Profile text'} ({view.edition})", style="bold"),
    ]
    last: tuple[str, str] | None = None
    for paragraph in view.narrative:
        if (paragraph.section, paragraph.heading) != last:
            title = (
                paragraph.section.upper()
                if paragraph.heading == paragraph.section
                else f"{paragraph.section.upper()} / {paragraph.heading.upper()}"
            )
            items += [BLANK, Text(title, style="bold cyan")]
            last = (paragraph.section, paragraph.heading)
        items.append(Text(f"[{', '.join(paragraph.indicators)}]", style="dim"))
        items.append(Text(paragraph.text + "\n"))
    if view.funding:
        items += [BLANK, Text("FUNDING AND ATTRIBUTION", style="bold cyan")]
        items.extend(Text(line) for line in view.funding)
    return Group(*items)


@_table_for
def _verification(view: VerificationReport) -> RenderableType:
    parts: list[RenderableType] = []
    for explanation in view.explanations:
        table = Table(
            title=f"{explanation.country.name} {explanation.edition}: the arithmetic",
            title_justify="left",
            title_style="bold",
        )
        for column in ("Item", "Computed as", "Exact", "Rounded (half up)", "Published", ""):
            table.add_column(column)
        for step in explanation.steps:
            table.add_row(
                step.item,
                step.formula,
                step.exact,
                step.rounded,
                step.published or "",
                Text("ok", style="green") if step.ok else Text("MISMATCH", style="bold red"),
            )
        parts.append(table)
        parts.append(Text("\n".join(f"• {note}" for note in explanation.notes)))
        parts.append(Text(""))
    if view.discrepancies:
        table = Table(title="Discrepancies", title_justify="left", title_style="bold red")
        for column in ("Country", "ISO3", "Edition", "Item", "Published", "Recomputed"):
            table.add_column(column)
        for d in view.discrepancies:
            table.add_row(
                escape(d.country), d.iso3, str(d.edition), d.item, d.published, d.recomputed
            )
        parts.append(table)
    parts.append(Text(view.summary(), style="bold green" if view.consistent else "bold red"))
    return Group(*parts)


def _excerpts(excerpts: tuple[TextExcerpt, ...], terms: tuple[str, ...] = ()) -> RenderableType:
    items: list[RenderableType] = []
    for excerpt in excerpts:
        p = excerpt.paragraph
        items.append(
            Text.assemble(
                (f"{excerpt.country.name} ({excerpt.edition})", "bold"),
                f" · {p.section} / {p.heading} · ",
                (", ".join(p.indicators), "dim"),
            )
        )
        body = excerpt.sentence if excerpt.sentence is not None else p.text
        text = Text(body)
        for start, end in find_terms(body, terms):
            text.stylize("bold reverse", start, end)
        text.append("\n")
        items.append(text)
    return Group(*items)


@_table_for
def _ranking(view: RankingView) -> RenderableType:
    item = view.indicator
    order = "lowest first" if view.ascending else "highest first"
    shown = len(view.entries)
    count = f"{view.total} countries"
    if view.top and view.top < view.total:
        count = f"top {view.top} of {view.total}"
    table = Table(
        title=f"{item.name} ({item.key}) · {view.edition} · {view.scope} · {count}, {order}"
        + (f" ({shown} shown: ties at the cut are kept)" if view.top and shown > view.top else ""),
        title_justify="left",
        title_style="bold",
    )
    previous = next((r.change.previous_edition for r in view.entries if r.change), None)
    for column, justify in (
        ("Rank", "right"),
        ("Country", "left"),
        ("ISO3", "left"),
        ("Region", "left"),
        ("Score", "right"),
        ("", "left"),
    ):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    if previous:  # the first edition has nothing to compare with: no change column
        table.add_column(f"vs {previous}", justify="right")
    moved = any(r.rank_change is not None for r in view.entries)
    if moved:
        table.add_column(f"Rank vs {previous}", justify="right")
    good = good_when_high(item)
    for r in view.entries:
        cells: list[RenderableType] = [
            str(r.rank),
            r.country.name,
            r.country.iso3,
            r.region,
            f"{r.score:.2f}",
            bar(r.score, good_when_high=good),
        ]
        if previous:
            cells.append(change_cell(r.change, item))
        if moved:
            cells.append(
                "" if r.rank_change is None else (f"{r.rank_change:+d}" if r.rank_change else "=")
            )
        table.add_row(*cells)
    parts: list[RenderableType] = [table]
    if view.excerpts:
        parts += [BLANK, _excerpts(view.excerpts)]
    if view.notes:
        parts.append(Text("\n".join(view.notes), style="dim"))
    return Group(*parts)


class _Responsive:
    """A renderable built for the width it is given (Rich's render protocol)."""

    def __init__(self, build: Callable[[int], RenderableType]) -> None:
        self.build = build

    def __rich_console__(self, console: Console, options: Any) -> Any:
        yield self.build(options.max_width)


LABEL_MIN_WIDTH = 22
"""Row labels never get narrower than this: they wrap, the values give way first."""


@_table_for
def _comparison(view: ComparisonView) -> RenderableType:
    return _Responsive(lambda width: _comparison_at(view, width))


def _comparison_at(view: ComparisonView, width: int) -> RenderableType:
    longest = max(len(line.indicator.name) for line in view.lines)
    countries = len(view.countries)
    measure = "Difference" if countries == 2 else "Spread"
    fixed = 3 * (countries + 2) + 1 + len(measure)  # borders and padding, the last column
    # with bars a score cell is "▲  5.93 ████████" (16 wide), without "▲  5.93" (7)
    with_bars = longest + countries * 16 + fixed <= width
    table = Table(title=f"Comparison · {view.edition}", title_justify="left", title_style="bold")
    if with_bars:
        table.add_column("Indicator")
        for country in view.countries:
            table.add_column(country.name, no_wrap=True)
    else:  # narrow: values give way (no bars, ranks wrapped), labels keep a readable width
        value_width = max(7, min(12, (width - fixed - LABEL_MIN_WIDTH) // countries))
        label_width = max(LABEL_MIN_WIDTH, min(longest, width - fixed - countries * value_width))
        table.add_column("Indicator", width=label_width, overflow="fold")
        for country in view.countries:
            table.add_column(country.name, width=value_width, overflow="fold")
    table.add_column(measure, justify="right", no_wrap=True)
    pillar = None
    for line in view.lines:
        if line.indicator.pillar != pillar and not line.indicator.is_composite:
            pillar = line.indicator.pillar
            table.add_section()
        cells = []
        for position, score in enumerate(line.scores):
            if score is None:
                cells.append(Text("n/a", style="dim"))
            else:
                good = good_when_high(line.indicator)
                mark = "▲" if position in line.highest else " "
                cell = Text(f"{mark} {score:5.2f}" + (" " if with_bars else ""))
                if position in line.highest:
                    cell.stylize("bold")
                if with_bars:
                    cell.append_text(bar(score, good_when_high=good, width=COMPARE_BAR_WIDTH))
                else:
                    cell.stylize(band(score, good_when_high=good))
                cells.append(cell)
        name = line.indicator.name
        table.add_row(
            Text(name.upper() if line.indicator.is_composite else name),
            *cells,
            ""
            if line.difference is None
            else f"{line.difference:+.2f}"
            if countries == 2
            else f"{line.difference:.2f}",
        )
    for key, positions in view.ranks.items():
        table.add_section()
        for scope in ("global", "continent", "region"):
            table.add_row(
                Text(f"{key.title()} rank ({scope})", style="dim"),
                *(f"{ordinal(p[scope].rank)} of {p[scope].of}" for p in positions),
                "",
            )
    notes = ["▲ marks the highest score."]
    note = coverage_note(view.source)
    if note:
        notes.append(note)
    return Group(table, Text("\n".join(notes), style="dim"))


def sparkline(values: tuple[float | None, ...]) -> str:
    """A tiny line of the values across editions, scaled to their own range (as sparklines
    are), so that a move of half a point shows; a flat series is a flat middle line."""
    ticks = "▁▂▃▄▅▆▇█"
    known = [v for v in values if v is not None]
    low, high = (min(known), max(known)) if known else (0.0, 0.0)
    if high == low:
        return "".join(" " if v is None else ticks[3] for v in values)
    return "".join(" " if v is None else ticks[round((v - low) / (high - low) * 7)] for v in values)


@_table_for
def _trend(view: TrendView) -> RenderableType:
    table = Table(
        title=f"{view.country.name} · " + " → ".join(str(e) for e in view.editions),
        title_justify="left",
        title_style="bold",
    )
    table.add_column("Indicator")
    for edition in view.editions:
        table.add_column(str(edition), justify="right")
    for before, after in zip(view.editions, view.editions[1:], strict=False):
        table.add_column(f"Δ {before}→{after}", justify="right")
    table.add_column("Trend")

    def add(series: tuple, label_style: str = "") -> None:  # type: ignore[type-arg]
        for s in series:
            name = s.basis_note or s.indicator.name
            table.add_row(
                Text(
                    name.upper() if s.indicator.is_composite and not s.basis_note else name,
                    style=label_style,
                ),
                *("n/a" if v is None else f"{v:.2f}" for v in s.values),
                *(change_cell(c, s.indicator) for c in s.changes[1:]),
                sparkline(s.values),
            )

    add(view.series)
    if view.comparable_basis:
        table.add_section()
        add(view.comparable_basis, "italic")
    notes = []
    if any(c and c.comparable is False for s in view.series for c in s.changes):
        notes.append(
            "* crosses the 2021 methodology break: 2021 criminality averaged 10 markets and "
            "4 actor types, 2023 on 15 and 5. The italic rows recompute every edition on the "
            "2021 indicator set, so their changes are like for like."
        )
    notes.extend(view.notes)
    for source in view.sources:
        note = coverage_note(source)
        if note:
            notes.append(note)
    return Group(table, Text("\n".join(notes), style="dim"))


@_table_for
def _search(view: SearchView) -> RenderableType:
    head = Text(view.summary(), style="bold")
    parts: list[RenderableType] = [head]
    if view.hits:
        parts += [Text(""), _excerpts(view.hits, view.terms)]
    if view.notes:
        parts.append(Text("\n".join(view.notes), style="dim"))
    return Group(*parts)


@_table_for
def _listing(view: ListView) -> RenderableType:
    return _Responsive(lambda width: _listing_at(view, width))


def _listing_at(view: ListView, width: int) -> RenderableType:
    header, rows = view.rows()
    if view.kind == "groups":  # the member codes and origin stay in JSON/CSV; a table reads
        keep = [header.index(c) for c in ("key", "name", "members", "valid", "changed", "source")]
        header = tuple(header[i] for i in keep)
        rows = [[row[i] for i in keep] for row in rows]
    cells = [[_listing_cell(v) for v in row] for row in rows]
    columns = list(range(len(header)))

    def natural(chosen: list[int]) -> int:
        return (
            sum(
                max([len(COLUMN_TITLES.get(header[i], header[i])), *(len(r[i]) for r in cells)]) + 3
                for i in chosen
            )
            + 1
        )

    if view.kind == "indicators" and natural(columns) > width:
        # Narrow: the key is the snake_case of the name, so the name gives way, and the
        # pillar and editions are written short ("markets", "2023 on").
        columns = [i for i in columns if header[i] != "name"]
        pillar = header.index("pillar")
        for row, item in zip(cells, view.items, strict=True):
            row[pillar] = item[pillar].removeprefix("criminal_")
    if "editions" in header and natural(columns) > width:
        editions = header.index("editions")
        every = {year for item in view.items for year in item[editions]}
        for row, item in zip(cells, view.items, strict=True):
            years = tuple(item[editions])
            later = {year for year in every if year >= years[0]} if years else set()
            if len(years) > 1 and set(years) == later:
                row[editions] = f"{years[0]} on"  # every edition since the first
    if view.kind == "editions" and natural(columns) > width:
        # Narrow: the sheet goes into the file's cell, under the file name.
        file, sheet = header.index("file"), header.index("sheet")
        for row in cells:
            row[file] += f"\nsheet {row[sheet]}" if row[sheet] else ""
        columns = [i for i in columns if i != sheet]
    titles = {
        i: COLUMN_TITLES.get(header[i], header[i].replace("_", " ").capitalize()) for i in columns
    }
    first = columns[0]
    longest_first = max([len(titles[first]), *(len(row[first]) for row in cells)])
    words = {i: [len(word) for row in cells for word in row[i].split()] for i in columns}

    def minimum(number: int, cap: int) -> int:
        # A title's words are never split; a value's up to `cap` letters neither (a longer
        # word, a checksum, folds complete over several lines).
        return max(
            [*(len(w) for w in titles[number].split()), *(min(w, cap) for w in words[number])]
        )

    cap = 12
    while (
        cap > 1
        and longest_first + sum(minimum(i, cap) for i in columns[1:]) + 3 * len(columns) + 1 > width
    ):
        cap -= 1
    table = Table(title=view.title, title_justify="left", title_style="bold")
    for number in columns:
        table.add_column(
            titles[number],
            no_wrap=number == first,  # what users copy (a key, a name, a year): never cut
            overflow="fold",
            min_width=None if number == first else minimum(number, cap),
        )
    for row in cells:
        table.add_row(*(row[i] for i in columns))
    if view.notes:
        return Group(table, Text("\n".join(view.notes), style="dim"))
    return table


COLUMN_TITLES = {"iso3": "ISO3", "iso2": "ISO2", "sha256": "SHA-256"}


def _listing_cell(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


@_table_for
def _validation(view: ValidationView) -> RenderableType:
    parts: list[RenderableType] = []
    if view.problems:
        table = Table(title="Problems", title_justify="left", title_style="bold red")
        for column in ("File", "Where", "Problem"):
            table.add_column(column)
        for file, where, message in view.problems:
            table.add_row(escape(file), escape(where), escape(message))
        parts.append(table)
    parts.append(Text(view.summary(), style="bold green" if view.clean else "bold red"))
    return Group(*parts)


@_table_for
def _data_folder(view: DataFolderView) -> RenderableType:
    lines: list[RenderableType] = [
        Text(view.summary(), style="bold"),
        Text(f"Shipped data: {view.shipped_folder}"),
        Text(f"User data folder: {view.user_folder or '(none: no home folder)'}"),
    ]
    if view.differences:
        table = Table(title="Differences from the shipped data", title_justify="left")
        table.add_column("File")
        table.add_column("Status")
        for file, status in view.differences:
            table.add_row(file, status)
        lines.append(table)
    return Group(*lines)


# -- groups and change (issue 9) --------------------------------------------------------

MAX_NAMES = 3
"""Countries named in a stats cell before "+N more"."""


def _names(countries: tuple[Any, ...]) -> str:
    names = [c.name for c in countries[:MAX_NAMES]]
    if len(countries) > MAX_NAMES:
        names.append(f"+{len(countries) - MAX_NAMES} more")
    return ", ".join(names)


def _notes(notes: list[str]) -> Text:
    return Text("\n".join(notes), style="dim")


@_table_for
def _stats(view: StatsView) -> RenderableType:
    keys = ", ".join(i.name for i in view.indicators)
    table = Table(title=f"{keys} · {view.edition}", title_justify="left", title_style="bold")
    several = len(view.indicators) > 1
    columns = ["Indicator"] if several else []
    columns += ["Group", "n", "Mean", "Median", "Min", "", "Max", "", "Spread"]
    for column in columns:
        numeric = column in ("n", "Mean", "Median", "Min", "Max", "Spread")
        table.add_column(column, justify="right" if numeric else "left")
    for g in view.groups:
        cells = [g.indicator.key] if several else []
        cells += [
            g.name,
            str(g.n),
            f"{g.mean:.2f}",
            f"{g.median:.2f}",
            f"{g.min.value:.2f}",
            _names(g.min.countries),
            f"{g.max.value:.2f}",
            _names(g.max.countries),
            f"{g.spread:.2f}",
        ]
        table.add_row(*cells)
    return Group(table, _notes(view.notes))


def _signed(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:+.2f}" if value else "0.00"


@_table_for
def _movers(view: MoversView) -> RenderableType:
    order = "biggest falls first" if view.falling else "biggest rises first"
    basis = ", like for like" if view.sort_like_for_like else ""
    table = Table(
        title=f"{view.indicator.name} ({view.indicator.key}) · {view.start} → {view.end} · "
        f"{view.scope} · {order}{basis}",
        title_justify="left",
        title_style="bold",
    )
    crosses = any(not m.comparable for m in view.rows_)
    columns = ["Country", "ISO3", str(view.start), str(view.end), "Change"]
    if crosses:
        columns.append("Like for like")
    columns += [f"Rank {view.start}", f"Rank {view.end}", "Rank change"]
    for column in columns:
        table.add_column(column, justify="left" if column in ("Country", "ISO3") else "right")
    for m in view.rows_:
        cells = [
            m.country.name,
            m.country.iso3,
            f"{m.before:.2f}",
            f"{m.after:.2f}",
            _signed(m.change) + ("*" if not m.comparable else ""),
        ]
        if crosses:
            cells.append(_signed(m.like_for_like))
        cells += [str(m.rank_from), str(m.rank_to), f"{m.rank_change:+d}" if m.rank_change else "="]
        table.add_row(*cells)
    notes = view.notes
    if crosses:
        notes = ["* not like for like: see the like-for-like column.", *notes]
    return Group(table, _notes(notes))


SCATTER_WIDTH = 61
SCATTER_HEIGHT = 19
QUADRANT_STYLES = {
    "high_criminality_low_resilience": ("red", "●"),
    "high_criminality_high_resilience": ("yellow", "◆"),
    "low_criminality_low_resilience": ("magenta", "▲"),
    "low_criminality_high_resilience": ("green", "■"),
}


def scatter(view: QuadrantView) -> Text:
    """Criminality (x, 1-10) against resilience (y, 1-10), with the two 5.50 lines."""

    def column(value: float) -> int:
        return round((value - 1) / 9 * (SCATTER_WIDTH - 1))

    def row(value: float) -> int:
        return SCATTER_HEIGHT - 1 - round((value - 1) / 9 * (SCATTER_HEIGHT - 1))

    grid: list[list[tuple[str, str]]] = [[(" ", "")] * SCATTER_WIDTH for _ in range(SCATTER_HEIGHT)]
    line_x, line_y = column(view.threshold), row(view.threshold)
    for y in range(SCATTER_HEIGHT):
        grid[y][line_x] = ("│", "dim")
    for x in range(SCATTER_WIDTH):
        grid[line_y][x] = ("┼" if x == line_x else "─", "dim")
    counts: dict[tuple[int, int], int] = {}
    for p in view.placed:
        y, x = row(p.resilience), column(p.criminality)
        counts[(y, x)] = counts.get((y, x), 0) + 1
        style, mark = QUADRANT_STYLES[p.quadrant]
        grid[y][x] = (mark, style)
    corners = (
        (0, 1, "low crim. · high res.", "green"),
        (0, line_x + 2, "high crim. · high res.", "yellow"),
        (SCATTER_HEIGHT - 1, 1, "low crim. · low res.", "magenta"),
        (SCATTER_HEIGHT - 1, line_x + 2, "high crim. · low res.", "red"),
    )
    for y, x, label, style in corners:  # quadrant labels, where no country sits
        cells = range(x, min(x + len(label), SCATTER_WIDTH))
        if all(grid[y][i][0] == " " for i in cells):
            for i, ch in zip(cells, label, strict=False):
                grid[y][i] = (ch, f"dim {style}")
    text = Text()
    for y in range(SCATTER_HEIGHT):
        label = "10 " if y == 0 else " 1 " if y == SCATTER_HEIGHT - 1 else "   "
        if y == line_y:
            label = "5.5"
        text.append(f"{label}│", style="dim")
        for mark, style in grid[y]:
            text.append(mark, style=style)
        text.append("\n")
    text.append("   └" + "─" * SCATTER_WIDTH + "\n", style="dim")
    axis = [" "] * SCATTER_WIDTH
    for value, label in ((1, "1"), (view.threshold, "5.5"), (10, "10")):
        start = min(column(value), SCATTER_WIDTH - len(label))
        axis[start : start + len(label)] = list(label)
    text.append("    " + "".join(axis) + "\n", style="dim")
    text.append("    criminality →   (resilience ↑)\n", style="dim")
    return text


@_table_for
def _quadrant(view: QuadrantView) -> RenderableType:
    from ocindex.views.quadrant import QUADRANTS, quadrant_label

    since = f" · since {view.since}" if view.since is not None else ""
    title = Text(f"Vulnerability matrix · {view.edition} · {view.scope}{since}", style="bold")
    counts = view.counts()
    legend = Table(show_edge=False, pad_edge=False, box=None)
    for column in (
        "",
        "Quadrant",
        "Count",
        *(["Change"] if view.counts_since else []),
        "Near the line",
    ):
        legend.add_column(column, justify="right" if column in ("Count", "Change") else "left")
    for q in QUADRANTS:
        style, mark = QUADRANT_STYLES[q]
        near = [p.country.name for p in view.placed if p.quadrant == q and p.near_line]
        cells: list[Any] = [Text(mark, style=style), quadrant_label(q), str(counts[q])]
        if view.counts_since:
            delta = counts[q] - view.counts_since[q]
            cells.append(f"{delta:+d}" if delta else "=")
        cells.append(
            _names(tuple(p.country for p in view.placed if p.quadrant == q and p.near_line))
            if near
            else ""
        )
        legend.add_row(*cells)
    parts: list[RenderableType] = [title, scatter(view), legend]
    moved = [p for p in view.placed if p.moved]
    if moved:
        table = Table(
            title=f"Moved since {view.since} ({len(moved)})",
            title_justify="left",
            title_style="bold",
        )
        for column in ("Country", "From", "To", "Criminality", "Resilience"):
            table.add_column(
                column, justify="right" if column in ("Criminality", "Resilience") else "left"
            )
        for p in moved:
            table.add_row(
                p.country.name,
                quadrant_label(p.previous or ""),
                quadrant_label(p.quadrant),
                f"{p.criminality:.2f}",
                f"{p.resilience:.2f}",
            )
        parts += [BLANK, table]
    parts.append(_notes(view.notes))
    return Group(*parts)


def export_files(
    view: Any, *, svg: Path | None = None, html: Path | None = None, title: str = "ocindex"
) -> list[Path]:
    """Write exactly what the terminal shows as SVG and/or HTML (Rich's own export)."""
    from ocindex.store import write_atomically

    console = _Console(
        record=True,
        file=io.StringIO(),
        width=EXPORT_WIDTH,
        force_terminal=True,
        color_system="truecolor",
    )
    console.print(table_of(view))
    written = []
    for path, kind in ((svg, "svg"), (html, "html")):
        if path is None:
            continue
        exported = (
            console.export_svg(title=xml_safe(printable(title)), clear=False)
            if kind == "svg"
            else console.export_html(clear=False)
        )
        try:  # complete or not there: a temporary file, then a rename
            write_atomically(path, xml_safe(exported), make_parents=False)
        except OSError as exc:
            raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from exc
        written.append(path)
    return written


def render_table(view: Any, stream: TextIO) -> None:
    make_console(stream).print(table_of(view))
