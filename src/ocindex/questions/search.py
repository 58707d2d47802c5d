"""`ocindex search`: full-text search of the profiles' narrative."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ocindex.errors import UsageError
from ocindex.lookup import Lookup
from ocindex.model import Country
from ocindex.views import TextExcerpt

if TYPE_CHECKING:
    from ocindex.views.search import SearchView


_DASHES = str.maketrans({"-": " ", "\u2010": " ", "\u2011": " ", "\u2013": " ", "\u2014": " "})
SHORT_TERM = 3
"""Terms shorter than this match whole words only ("a" is not every word starting with a)."""


def fold(text: str) -> tuple[str, list[int]]:
    """Case- and accent-folded text, with the position in `text` of each folded character.

    Hyphens and dashes fold to spaces: "cyber-dependent" matches "cyber dependent".
    """
    import unicodedata

    out: list[str] = []
    positions: list[int] = []
    for i, ch in enumerate(text):
        plain = "".join(
            c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
        ).casefold()
        for c in plain.replace("\u2019", "'").translate(_DASHES):
            out.append(c)
            positions.append(i)
    return "".join(out), positions


def parse_query(query: str) -> tuple[str, ...]:
    """Words and "quoted phrases", folded: 'Gold "armed groups"' -> ('gold', 'armed groups')."""
    import shlex  # only search parses a query

    try:
        parts = shlex.split(query)
    except ValueError:  # an unbalanced quote: take the words as they are
        parts = query.replace('"', " ").split()
    terms = []
    for part in parts:
        folded = " ".join(fold(part)[0].split())
        if folded and re.search(r"\w", folded):
            terms.append(folded)
    if not terms:
        raise UsageError("nothing to search for", 'Give words or "a phrase in quotes".')
    return tuple(dict.fromkeys(terms))


def find_terms(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Spans of `text` (original positions) where a term starts a word (short terms: where
    it is a whole word), so "arm" finds "armed" but not "harm"."""
    folded, positions = fold(text)
    spans = []
    for term in terms:
        whole = r"(?!\w)" if len(term) < SHORT_TERM else ""
        for match in re.finditer(r"(?<!\w)" + re.escape(term) + whole, folded):
            start = positions[match.start()]
            end = positions[match.end() - 1] + 1
            spans.append((start, end))
    return sorted(spans)


def _matched(text: str, terms: Sequence[str], spans: Sequence[tuple[int, int]]) -> set[str]:
    """The terms that the matches at `spans` of `text` are matches of."""
    found = {fold(text[a:b])[0] for a, b in spans}
    return {term for term in terms if any(f.startswith(term) for f in found)}


def _sentences(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^.!?]+(?:[.!?]+[\"')\]]*|$)", text)]


def search(
    index: Lookup,
    query: str,
    *,
    edition: int | None = None,
    countries: Sequence[Country] = (),
) -> SearchView:
    """Profile paragraphs containing every term; for each, the sentence with most of them."""
    from ocindex.views.search import SearchView

    terms = parse_query(query)
    hits = []
    searched = 0
    documents: list[tuple[Country, int]] = []
    for country in countries or index.countries:
        for year, document in sorted(country.documents.items()):
            if edition is not None and year != edition:
                continue
            documents.append((country, year))
            for paragraph in document.narrative:
                searched += 1
                text = paragraph.text
                spans = find_terms(text, terms)
                if len(_matched(text, terms, spans)) < len(terms):
                    continue
                start, end = max(  # the sentence holding the most terms
                    _sentences(text),
                    key=lambda s: len(
                        _matched(text, terms, [m for m in spans if s[0] <= m[0] < s[1]])
                    ),
                )
                hits.append(
                    TextExcerpt(country, year, paragraph, paragraph.text[start:end].strip(), terms)
                )
    return SearchView(query, terms, tuple(hits), searched, tuple(documents))
