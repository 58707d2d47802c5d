"""JSON output: each view's `to_json()`, numbers as numbers, UTF-8 as is."""

from __future__ import annotations

import json
from typing import Any, TextIO

from ocindex.text import pattern


def render_json(view: Any, stream: TextIO) -> None:
    text = json.dumps(view.to_json(), ensure_ascii=False, indent=2)
    # JSON escapes C0 controls itself; C1 controls and direction overrides stay exact data,
    # written as escapes so that no terminal obeys them.
    stream.write(pattern("control").sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n")
