"""JSON output: each view's `to_json()`, numbers as numbers, UTF-8 as is."""

from __future__ import annotations

import json
from typing import Any, TextIO


def render_json(view: Any, stream: TextIO) -> None:
    json.dump(view.to_json(), stream, ensure_ascii=False, indent=2)
    stream.write("\n")
