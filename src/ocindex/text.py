"""Text from data files or users, made safe for terminals, markup and XML.

Control characters (C0, DEL, C1) and the invisible bidirectional overrides can only be
damage in a country name or a narrative: they clear screens, move the cursor, reorder what
is shown. `validate` and `import` refuse them; renderers neutralise any that reach them
(from a user's own arguments, say) with `printable`.
"""

import functools
import re

_CONTROL = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]"
_CONTROL_OR_BREAK = "[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\u2028\u2029]"
# Surrogates are spelled with chr(): a literal one cannot be marshalled, and a module that
# holds one is compiled afresh on every import (measured: 1.5 ms) instead of read from .pyc.
_XML_INVALID = f"[\x00-\x08\x0b\x0c\x0e-\x1f{chr(0xD800)}-{chr(0xDFFF)}\ufffe\uffff]"


@functools.cache
def pattern(which: str) -> re.Pattern[str]:
    """A compiled pattern, compiled on first use (each costs ~0.5 ms of start-up):
    "control" (no data string may hold these; tab and newline are allowed in narrative),
    "control_or_break" (the same, with tab and line breaks) or "xml_invalid"."""
    return re.compile(
        {"control": _CONTROL, "control_or_break": _CONTROL_OR_BREAK}.get(which, _XML_INVALID)
    )


def has_control(text: str, *, multiline: bool = False) -> bool:
    """Whether `text` holds a character that can only be damage (see the module)."""
    return pattern("control" if multiline else "control_or_break").search(text) is not None


def printable(text: str, *, multiline: bool = False) -> str:
    """`text` with every control character shown as its escape (`\\x1b`), not obeyed;
    `multiline` keeps tabs and line breaks."""
    return pattern("control" if multiline else "control_or_break").sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold at all."""
    return pattern("xml_invalid").sub("\ufffd", text)
