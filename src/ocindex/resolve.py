"""Turning what people type into countries, indicators and places.

Matching is case-, accent- and punctuation-insensitive: "côte d'ivoire", "COTE D IVOIRE"
and "Cote d'Ivoire" are the same text. An exact match of a name, code or alias wins
("niger" is Niger); otherwise a text of three or more characters whose every word starts
a word of exactly one candidate resolves to it; several such candidates are ambiguous
("congo"); none gets a "did you mean" from the closest names.
"""

import re
from collections.abc import Iterable, Sequence
from typing import TypeVar

from ocindex.errors import AmbiguousError, NotFoundError

T = TypeVar("T")

MIN_PREFIX = 3
"""Shorter text resolves only by an exact match ("y" is not Yemen)."""
MAX_QUERY = 200
"""Longer input cannot be a name; it is refused before any matching work."""


def normalize(text: str) -> str:
    """Fold case, accents and punctuation: "Côte d'Ivoire" -> "cote divoire"."""
    if not text.isascii():
        import unicodedata  # only for text with accents or other non-ASCII letters

        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = text.casefold().replace("&", " and ").replace("'", "").replace("\u2019", "")
    return " ".join(_NON_WORD.sub(" ", plain).split())


_NON_WORD = re.compile(r"[\W_]+")


def _words_start(query: list[str], candidate: str) -> bool:
    words = candidate.split()
    return all(any(word.startswith(part) for word in words) for part in query)


def resolve(
    text: str,
    choices: Sequence[tuple[T, str, Iterable[str]]],
    *,
    kind: str,
    hint: str,
    prefolded: bool = False,
) -> T:
    """Pick the one choice that `text` names.

    `choices` holds (value, display label, the names it answers to); with `prefolded`, the
    names are already `normalize`d (an index folds its names once, not on every lookup).
    Raises NotFoundError or AmbiguousError with candidates and suggestions.
    """
    fold = _same if prefolded else normalize
    shown = text if len(text) <= 60 else text[:57] + "..."
    shown = "".join(ch if ch.isprintable() else "?" for ch in shown)
    if len(text) > MAX_QUERY:
        raise NotFoundError(f"unknown {kind} {shown!r} (input too long)", hint)
    query = normalize(text)
    if not query:
        raise NotFoundError(
            f"no {kind} given" if not text.strip() else f"unknown {kind} {shown!r}", hint
        )
    # Spaces do not count in an exact match: "cote d ivoire" is "Côte d'Ivoire" ("cote divoire").
    compact = query.replace(" ", "")
    exact = [
        (value, label)
        for value, label, names in choices
        if any(query == n or compact == n.replace(" ", "") for n in map(fold, names))
    ]
    matches = _distinct(exact)
    if not matches and len(query) >= MIN_PREFIX:
        words = query.split()
        matches = _distinct(
            (value, label)
            for value, label, names in choices
            if any(_words_start(words, fold(n)) for n in names)
        )
    if len(matches) == 1:
        return matches[0][0]
    if matches:
        labels = sorted(label for _, label in matches)
        raise AmbiguousError(
            f"{kind} {shown!r} is ambiguous: it could be {_listing(labels)}",
            labels,
            hint,
        )
    labels_by_name: dict[str, str] = {}
    for _, label, names in choices:
        for name in names:
            labels_by_name.setdefault(fold(name), label)
    import difflib  # only when nothing matched

    close = difflib.get_close_matches(query, list(labels_by_name), n=6, cutoff=0.7)
    suggestions = list(dict.fromkeys(labels_by_name[name] for name in close))[:3]
    if suggestions:
        raise NotFoundError(
            f"unknown {kind} {shown!r}; did you mean {_listing(suggestions)}?", hint
        )
    raise NotFoundError(f"unknown {kind} {shown!r}", hint)


def _same(text: str) -> str:
    return text


def _distinct(pairs: Iterable[tuple[T, str]]) -> list[tuple[T, str]]:
    seen: dict[str, tuple[T, str]] = {}
    for value, label in pairs:
        seen.setdefault(label, (value, label))
    return list(seen.values())


def _listing(labels: Sequence[str]) -> str:
    quoted = [f"'{label}'" for label in labels]
    if len(quoted) > 8:
        quoted = [*quoted[:8], f"… ({len(labels) - 8} more)"]
    return ", ".join(quoted[:-1]) + f" or {quoted[-1]}" if len(quoted) > 1 else quoted[0]
