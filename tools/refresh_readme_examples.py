"""Re-run the `$ ocindex ...` examples of README.md and paste their current output.

    python tools/refresh_readme_examples.py

A block's output is cut to the length it had when it ends in a line "…" (an excerpt).
Tables are rendered at 100 columns, as on a terminal; data, as piped.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"```\n(\$ ocindex .*?)```", re.S)
TABLE_COMMANDS = (
    "show",
    "verify-scores",
    "market",
    "actor",
    "resilience",
    "rank",
    "compare",
    "trend",
    "search",
    "list",
)


def run(command: str) -> str:
    args = shlex.split(command)[1:]
    if not any(a in ("--format", "-f") for a in args):
        args += ["--format", "table"]
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "ocindex", *args], capture_output=True, text=True, env=env
    )
    return "\n".join(line.rstrip() for line in (result.stdout + result.stderr).splitlines())


def refresh(block: str) -> str:
    lines = block.rstrip("\n").split("\n")
    if shlex.split(lines[0])[2] not in TABLE_COMMANDS:
        return block  # examples that write or name local paths are kept as written
    excerpt = lines[-1] == "…"
    out: list[str] = []
    i = 0
    while i < len(lines):
        if not lines[i].startswith("$ ocindex "):
            i += 1
            continue
        command = lines[i]
        j = i + 1
        while j < len(lines) and not lines[j].startswith("$ "):
            j += 1
        old = [line for line in lines[i + 1 : j] if line != "…"]
        new = run(command[2:]).split("\n")
        if excerpt and j == len(lines):
            new = [*new[: len(old)], "…"]
        if out:
            out.append("")
        out += [command, *new]
        i = j
    return "\n".join(out).rstrip() + "\n"


def main() -> None:
    text = README.read_text(encoding="utf-8")
    text = BLOCK.sub(lambda m: "```\n" + refresh(m.group(1)) + "```", text)
    README.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
