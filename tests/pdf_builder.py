"""Build profile PDFs the way GI-TOC lays them out, from a profile's text (tests only).

Lines wrapped at the page width, some words hyphenated at a line end, the funding notices
repeated at the foot of every page (wrapped), the country's name at the head of every page,
headings in capitals, scores in two-column panels, page numbers; paragraphs fall across page
breaks wherever the page ends.
"""

from __future__ import annotations

import re
from pathlib import Path

from fpdf import FPDF

FUNDING_PATTERN = re.compile(
    r"^(?:Funding provided by |Funded by |[A-Z][\w-]* is funded by |This (?:summary|profile) )"
)
WIDTH = 92
"""Characters per body line."""


def wrap(text: str, *, hyphenate_every: int = 4) -> list[str]:
    """Lines of at most WIDTH characters; every `hyphenate_every`-th line ends with the
    first part of a hyphenated long word."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        if len(line) + 1 + len(word) <= WIDTH or not line:
            line = f"{line} {word}".strip()
            continue
        room = WIDTH - len(line) - 2
        if (
            hyphenate_every
            and len(lines) % hyphenate_every == hyphenate_every - 1
            and word.isalpha()
            and len(word) >= 8
            and room >= 4
        ):
            cut = min(room, len(word) - 3)
            lines.append(f"{line} {word[:cut]}-")
            line = word[cut:]
            continue
        lines.append(line)
        line = word
    if line:
        lines.append(line)
    return lines


class ProfilePdf(FPDF):
    def __init__(self, title: str, funding: list[str]) -> None:
        super().__init__(format="A4")
        self.title_text = title
        self.funding = funding
        self.set_auto_page_break(auto=True, margin=40)
        self.set_margins(12, 20, 12)

    def header(self) -> None:
        self.set_font("Helvetica", "B", 11)
        self.set_xy(12, 8)
        self.cell(0, 6, self.title_text)
        self.set_xy(12, 20)

    def footer(self) -> None:
        self.set_y(-36)
        self.set_font("Helvetica", "", 7)
        for notice in self.funding:
            for line in wrap(notice, hyphenate_every=0):
                self.cell(0, 3.5, line, new_x="LMARGIN", new_y="NEXT")
            self.ln(1.5)
        self.cell(0, 4, str(self.page_no()), align="R")


def build_profile_pdf(text: str, path: Path) -> Path:
    """Write the PDF of a profile whose text is in the reference layout."""
    bare = [re.sub(r"\*\*|</?u>", "", line).strip() for line in text.splitlines()]
    title = next(line for line in bare if line)
    funding = list(dict.fromkeys(line for line in bare if FUNDING_PATTERN.match(line)))
    pdf = ProfilePdf(title, funding)
    pdf.add_page()
    first = True
    for plain in bare:
        if not plain:
            pdf.ln(4)
            continue
        if FUNDING_PATTERN.match(plain):
            continue  # at the foot of every page instead
        if plain == title:
            if first:
                first = False
                continue  # the page header already says it
            pdf.set_font("Helvetica", "B", 14)
            pdf.cell(0, 7, plain, new_x="LMARGIN", new_y="NEXT")
            continue
        panel = re.match(r"^(.*?)\s*(?:\t|\s{2,}|\*\* \*\*)\s*(\d{1,2}\.\d{2})$", plain) or (
            re.match(r"^([A-Z][A-Z &,'-]+?)\s+(\d{1,2}\.\d{2})$", plain)
        )
        if panel:  # a score panel: the name in one column, the score in another
            pdf.set_font("Helvetica", "", 9)
            y = pdf.get_y()
            pdf.set_x(14)
            pdf.cell(110, 5, panel.group(1))
            pdf.set_xy(150, y)
            pdf.cell(20, 5, panel.group(2), align="R", new_x="LMARGIN", new_y="NEXT")
            continue
        if re.fullmatch(r"\d{1,2}\.\d{2}", plain):
            pdf.set_font("Helvetica", "B", 16)
            pdf.cell(0, 8, plain, new_x="LMARGIN", new_y="NEXT")
            continue
        if plain.upper() == plain:
            pdf.set_font("Helvetica", "B", 10)
            pdf.cell(0, 6, plain, new_x="LMARGIN", new_y="NEXT")
            continue
        pdf.set_font("Helvetica", "", 9)
        for part in wrap(plain):
            pdf.cell(0, 4.5, part, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path
