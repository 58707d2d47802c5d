"""Parse a profile document's text and store it as `[profile.<edition>]` in a profile TOML.

Usage: python tools/attach_profile_text.py SOURCE_TXT PROFILE_TOML --edition 2023

Users have `ocindex import PROFILE.pdf|PROFILE.txt` for the same (with the country and edition
checked against the data); this tool writes one given file, for development.

Exits 2 with a one-line message if a file is missing or the input is malformed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="attach_profile_text",
        description="Store the parsed text of a GI-TOC country profile in a profile TOML file.",
    )
    parser.add_argument("source", type=Path, metavar="SOURCE_TXT", help="profile text (UTF-8)")
    parser.add_argument("profile", type=Path, metavar="PROFILE_TOML", help="file to update")
    parser.add_argument("--edition", type=int, required=True, help="edition, e.g. 2023")
    args = parser.parse_args(argv)

    source_tree = Path(__file__).resolve().parents[1] / "src"
    if (source_tree / "ocindex").is_dir():  # a repository tool: use this checkout's code
        sys.path.insert(0, str(source_tree))
    from ocindex.errors import DataError
    from ocindex.profile_text import parse_profile_text, write_profile_text

    try:
        text = args.source.read_text(encoding="utf-8")
        profile = parse_profile_text(text, args.edition)
        write_profile_text(args.profile, profile)
    except DataError as error:
        print(f"{parser.prog}: error: {error}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as error:
        message = " ".join(str(error).split())
        if isinstance(error, OSError) and error.filename is not None:
            message = f"{error.strerror or 'cannot access'}: {error.filename}"
        print(f"{parser.prog}: error: {message}", file=sys.stderr)
        return 2
    print(
        f"{parser.prog}: wrote [profile.{args.edition}] ({len(profile.narrative)} paragraphs)"
        f" to {args.profile}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
