"""Compatibility: the questions used to live here; they are now `ocindex.questions.*`.

One module per question, beside its view (`ocindex.questions.ranking` returns
`ocindex.views.ranking`). Old imports (`from ocindex.core import verify`) keep working
through this module, which imports the question module only when a name is asked for.
New code should import from `ocindex.questions.<question>` (or use `Index` methods).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ocindex.lookup import require_assessed
    from ocindex.questions.common import (
        COMPOSITE_KEYS,
        change,
        comparable,
        texts_about,
    )
    from ocindex.questions.comparison import compare
    from ocindex.questions.listing import (
        list_countries,
        list_editions,
        list_indicators,
        list_regions,
    )
    from ocindex.questions.profile import profile
    from ocindex.questions.ranking import rank
    from ocindex.questions.search import SHORT_TERM, find_terms, fold, parse_query, search
    from ocindex.questions.trend import trend
    from ocindex.questions.verification import explain, verify, verify_record

_WHERE = {
    "require_assessed": "ocindex.lookup",
    **dict.fromkeys(
        ("COMPOSITE_KEYS", "change", "comparable", "texts_about"), "ocindex.questions.common"
    ),
    "compare": "ocindex.questions.comparison",
    **dict.fromkeys(
        ("list_countries", "list_editions", "list_indicators", "list_regions"),
        "ocindex.questions.listing",
    ),
    "profile": "ocindex.questions.profile",
    "rank": "ocindex.questions.ranking",
    **dict.fromkeys(
        ("SHORT_TERM", "find_terms", "fold", "parse_query", "search"), "ocindex.questions.search"
    ),
    "trend": "ocindex.questions.trend",
    **dict.fromkeys(("explain", "verify", "verify_record"), "ocindex.questions.verification"),
}

__all__ = [
    "COMPOSITE_KEYS",
    "SHORT_TERM",
    "change",
    "comparable",
    "compare",
    "explain",
    "find_terms",
    "fold",
    "list_countries",
    "list_editions",
    "list_indicators",
    "list_regions",
    "parse_query",
    "profile",
    "rank",
    "require_assessed",
    "search",
    "texts_about",
    "trend",
    "verify",
    "verify_record",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'ocindex.core' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
