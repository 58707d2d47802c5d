"""Rich tables for people at a terminal. The only module that imports Rich at run time."""

from __future__ import annotations

import os
from functools import singledispatch
from typing import Any, TextIO

from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ocindex.arithmetic import ordinal
from ocindex.index import RankPosition
from ocindex.indicators import RESILIENCE
from ocindex.views import ProfileView, ScoreLine, VerificationReport, coverage_note

BAR_WIDTH = 20
BLOCKS = " ▏▎▍▌▋▊▉█"
WIDE = 100_000
"""Width used off a terminal, so that nothing is ever wrapped or cut."""


def make_console(stream: TextIO | None = None, *, stderr: bool = False) -> Console:
    """The one console factory: Rich detects terminals and honours NO_COLOR and COLUMNS."""
    console = Console(file=stream, stderr=stderr, highlight=False, soft_wrap=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = Console(file=stream, stderr=stderr, highlight=False, width=WIDE)
    return console


def bar(score: float, *, good_when_high: bool) -> Text:
    """A bar of `score` out of 10, coloured by band (red is bad, green is good)."""
    eighths = round(score / 10 * BAR_WIDTH * 8)
    full, part = divmod(eighths, 8)
    body = "█" * full + (BLOCKS[part] if part else "")
    high, low = ("green", "red") if good_when_high else ("red", "green")
    style = high if score >= 6.5 else low if score < 4 else "yellow"
    return Text(body.ljust(BAR_WIDTH), style=style)


def change_text(line: ScoreLine) -> Text:
    change = line.change
    if change is None:
        return Text("")
    if change.previous is None:
        return Text("new", style="dim")
    if change.delta is None:
        return Text("")
    sign = "+" if change.delta > 0 else ""
    label = f"{sign}{change.delta:.2f}" if change.delta else "0.00"
    if not change.comparable:
        return Text(f"{label}*", style="dim")
    return Text(label, style="bold" if change.delta else "dim")


def rank_context(positions: dict[str, RankPosition]) -> str:
    parts = []
    for scope, pos in positions.items():
        where = "countries" if scope == "global" else f"in {pos.scope_name}"
        parts.append(f"{ordinal(pos.rank)} of {pos.of} {where}")
    return " · ".join(parts)


@singledispatch
def table_of(view: Any) -> RenderableType:
    raise TypeError(f"no table for {type(view).__name__}")


@table_of.register
def _profile(view: ProfileView) -> RenderableType:
    parts: list[RenderableType] = [
        Text.assemble(
            (view.country.name.upper(), "bold"),
            f"  {view.country.iso3} · {view.region}, {view.continent} · {view.edition} edition",
        )
    ]
    for line in view.headline:
        key = line.indicator.key
        good = key == RESILIENCE
        head = Text.assemble(
            (f"{line.score:.2f}", "bold green" if good else "bold red"),
            f"  {line.indicator.name.upper()} SCORE   ",
            change_text(line),
        )
        parts.append(
            Panel(
                Group(head, Text(rank_context(view.ranks[key]), style="")),
                expand=False,
            )
        )
    for block in view.pillars:
        good = block.pillar.key == RESILIENCE
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
        table.add_column(f"vs {previous}" if previous else "", justify="right")
        for line in block.lines:
            table.add_row(
                line.indicator.name,
                f"{line.score:.2f}",
                bar(line.score, good_when_high=good),
                change_text(line),
            )
        parts.append(Padding(table, (1, 0, 0, 0), expand=False))
    notes = []
    if any(line.change and not line.change.comparable for line in view.all_lines()):
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
    if view.narrative is not None:
        parts.append(_narrative(view))
    parts.append(Padding(Text("\n".join(notes), style="dim"), (1, 0, 0, 0), expand=False))
    return Group(*parts)


def _narrative(view: ProfileView) -> RenderableType:
    if not view.narrative:
        have = ", ".join(str(y) for y in view.text_editions) or "no edition"
        return Padding(
            Text(
                f"No profile text for {view.country.name} in {view.edition} "
                f"(text available for: {have}).",
                style="italic",
            ),
            (1, 0, 0, 0),
        )
    items: list[RenderableType] = [
        Padding(
            Text(f"{view.document or 'Profile text'} ({view.edition})", style="bold"),
            (1, 0, 0, 0),
            expand=False,
        )
    ]
    last: tuple[str, str] | None = None
    for paragraph in view.narrative:
        if (paragraph.section, paragraph.heading) != last:
            title = (
                paragraph.section.upper()
                if paragraph.heading == paragraph.section
                else f"{paragraph.section.upper()} / {paragraph.heading.upper()}"
            )
            items.append(Padding(Text(title, style="bold cyan"), (1, 0, 0, 0), expand=False))
            last = (paragraph.section, paragraph.heading)
        items.append(Text(f"[{', '.join(paragraph.indicators)}]", style="dim"))
        items.append(Padding(Text(paragraph.text), (0, 0, 1, 0), expand=False))
    return Group(*items)


@table_of.register
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


def render_table(view: Any, stream: TextIO) -> None:
    make_console(stream).print(table_of(view))
