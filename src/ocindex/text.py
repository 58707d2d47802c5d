"""Text from data files or users, made safe for terminals, markup and XML.

Control characters (C0, DEL, C1) and the invisible bidirectional overrides can only be
damage in a country name or a narrative: they clear screens, move the cursor, reorder what
is shown. `validate` and `import` refuse them; renderers neutralise any that reach them
(from a user's own arguments, say) with `printable`.
"""

import re

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")
"""Characters no data string may hold (tab and newline are allowed only in narrative)."""
CONTROL_OR_BREAK = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\u2028\u2029]")
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def has_control(text: str, *, multiline: bool = False) -> bool:
    """Whether `text` holds a character that can only be damage (see the module)."""
    return (CONTROL if multiline else CONTROL_OR_BREAK).search(text) is not None


def printable(text: str, *, multiline: bool = False) -> str:
    """`text` with every control character shown as its escape (`\\x1b`), not obeyed;
    `multiline` keeps tabs and line breaks."""
    return (CONTROL if multiline else CONTROL_OR_BREAK).sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold at all."""
    return XML_INVALID.sub("\ufffd", text)
