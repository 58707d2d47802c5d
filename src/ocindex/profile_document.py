"""`ocindex import PROFILE.pdf|PROFILE.txt`: a GI-TOC country profile document becomes
that country's `[profile.<edition>]`.

The work is split so that the transactional writer of `ocindex import` can commit it:

- `profile_document_update(data_dir, document_path)` reads and checks the document and
  returns the new full text of the one profile file it changes (file name -> text). It
  writes nothing; a refused document raises `ImportSourceError` (or `UsageError`).
- `commit_profile_update(data_dir, update)` writes that text (atomically, through the
  store's write path) and refreshes the compiled index. It is the only function here that
  writes, so that it can be re-pointed at the import journal.

PDF text is extracted with pypdf (the optional extra `ocindex[pdf]`), in its layout mode,
which keeps the vertical gaps between paragraphs as blank lines. `pdf_lines_to_text` then
turns the extracted lines into the text layout `ocindex.profile_text` parses: page numbers
dropped, the running title and bare scores marked, lines wrapped at the page width re-joined
into one line per paragraph, words hyphenated at a line end re-joined. Paragraphs split by a
page break, repeated funding footers and running headers are then handled by the parser.
"""

from __future__ import annotations

import re
from pathlib import Path

from ocindex.errors import DataError, ImportSourceError, MissingExtraError, UsageError
from ocindex.model import ProfileDocument

SITE_NAME = re.compile(r"^ocindex_profile_(?P<country>[a-z0-9_-]+?)_(?P<year>\d{4})$", re.I)
"""The site's file names: `ocindex_profile_<country>_<year>.pdf`."""

KEEP_HYPHEN_PREFIXES = frozenset(
    {
        "anti",
        "co",
        "cross",
        "cyber",
        "ex",
        "high",
        "large",
        "low",
        "mid",
        "multi",
        "non",
        "post",
        "pre",
        "self",
        "semi",
        "small",
        "state",
        "well",
    }
)
"""A line-end hyphen after one of these is part of the word (`non-` + `state`)."""

_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,3}(?:\s*(?:/|of)\s*\d{1,3})?$", re.I)
_BARE_SCORE = re.compile(r"^\d{1,2}\.\d{2}$")
_SENTENCE_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*$")
_SCORE_PANEL = re.compile(r"^([A-Z][A-Z &,'-]*?)\s{2,}(\d{1,2}\.\d{2})$")


def extract_pdf_lines(path: Path) -> list[list[str]]:
    """The text lines of each page of a PDF (pypdf, layout mode)."""
    try:
        from pypdf import PdfReader
    except ImportError as exc:
        raise MissingExtraError(
            "reading PDF profiles needs pypdf, which is not installed",
            "Install the extra: pip install 'ocindex[pdf]' (or import the profile's text).",
        ) from exc
    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text(extraction_mode="layout") for page in reader.pages]
    except Exception as exc:  # pypdf raises many types for a damaged file
        raise ImportSourceError(f"{path}: not a readable PDF ({type(exc).__name__})") from exc
    return [page.splitlines() for page in pages]


def _is_capitals(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and line.upper() == line and not re.search(r"\d", line)


def _join(previous: str, line: str) -> str:
    """Re-join a wrapped line; a hyphen at the line end joins the halves of a word."""
    if previous.endswith("-") and line[:1].islower():
        head = re.split(r"[\s/]", previous[:-1])[-1].rsplit("-", 1)[-1].lower()
        if head in KEEP_HYPHEN_PREFIXES:
            return previous + line
        return previous[:-1] + line
    return f"{previous} {line}"


def pdf_lines_to_text(pages: list[list[str]]) -> str:
    """The extracted lines of a profile PDF as the text layout the parser reads."""
    from ocindex.profile_text import FUNDING_PATTERN

    title: str | None = None
    out: list[str] = []
    prose: str | None = None  # the paragraph being re-joined, line by line
    pending: str | None = None  # a paragraph cut by a page break, waiting for its end

    crossed = False  # a page ended since `pending` was held

    def flush() -> None:
        nonlocal prose, pending, crossed
        if prose is None:
            return
        if pending is not None and not FUNDING_PATTERN.match(prose):
            if crossed:  # the cut paragraph goes on on the next page
                prose = _join(pending, prose)
            else:  # same page: two paragraphs (the parser reports the unfinished one)
                out.append(pending)
            pending = None
        if FUNDING_PATTERN.match(prose):
            out.append(prose)  # page furniture: the parser keeps each notice once
        elif _SENTENCE_END.search(prose):
            out.append(prose)
        else:  # no sentence end: the paragraph goes on after the page's furniture
            pending, crossed = prose, False
        prose = None

    def structural(line: str) -> None:
        nonlocal pending
        flush()
        if pending is not None:  # a heading or a score: the cut paragraph really ended
            out.append(pending)
            pending = None
        out.append(line)

    for page in pages:
        for raw in page:
            line = " ".join(raw.split())
            panel = _SCORE_PANEL.match(raw.strip())
            if not line:
                flush()
                out.append("")
                continue
            if _PAGE_NUMBER.match(line):
                continue
            if title is None:
                if not _is_capitals(line):
                    raise ImportSourceError(
                        "no title: expected the country's name in capitals first, "
                        f"found {line[:60]!r}"
                    )
                title = line
            if line == title:  # the running header: not the end of a paragraph
                flush()
                out += ["", f"**{line}**", ""]
            elif _BARE_SCORE.match(line):
                structural(f"**{line}**")
            elif panel:
                structural(f"{panel.group(1)}\t{panel.group(2)}")
            elif _is_capitals(line) or re.match(r"^\d+(?:st|nd|rd|th) of \d+ ", line):
                structural(line)
            else:
                prose = line if prose is None else _join(prose, line)
        flush()
        out.append("")
        crossed = True
    if pending is not None:
        out.append(pending)  # the parser reports it as truncated
    return "\n".join(out) + "\n"


def read_document(path: Path) -> str:
    """The text of a profile document (.pdf or .txt), in the parser's layout."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return pdf_lines_to_text(extract_pdf_lines(path))
    if suffix == ".txt":
        try:
            return path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise ImportSourceError(f"{path}: not UTF-8 text") from exc
    raise UsageError(
        f"{path.name}: unknown profile document type {suffix or '(none)'}",
        "A profile document is a .pdf or its extracted text, a .txt.",
    )


def _edition(path: Path, edition: int | None, editions: tuple[int, ...]) -> int:
    named = SITE_NAME.match(path.stem)
    from_name = int(named.group("year")) if named else None
    if edition is not None and from_name is not None and edition != from_name:
        raise UsageError(f"--edition {edition} disagrees with the file name {path.name}")
    chosen = edition if edition is not None else from_name
    if chosen is None:
        raise UsageError(
            f"cannot tell the edition of {path.name}",
            "Name it as the site does (ocindex_profile_<country>_<year>.pdf) or pass --edition.",
        )
    if chosen not in editions:
        raise ImportSourceError(
            f"{path.name}: the data has no {chosen} edition "
            f"(editions: {', '.join(map(str, editions))})"
        )
    return chosen


def parse_document(
    data_dir: Path, document_path: Path, edition: int | None = None
) -> tuple[str, ProfileDocument]:
    """The profile file name and the parsed document, checked against the data."""
    from ocindex.index import Index
    from ocindex.profile_text import parse_profile_text
    from ocindex.resolve import normalize

    index = Index.load(data_dir)
    year = _edition(document_path, edition, index.editions)
    text = read_document(document_path)
    try:
        document = parse_profile_text(text, year)
    except ValueError as exc:
        raise ImportSourceError(f"{document_path.name}: {exc}") from exc
    try:
        country = index.country(document.title)
    except UsageError as exc:
        raise ImportSourceError(
            f"{document_path.name}: the profile's country {document.title!r} is not in the data"
        ) from exc
    named = SITE_NAME.match(document_path.stem)
    if named:
        from_name = normalize(named.group("country").replace("_", " "))
        try:
            matches = index.country(from_name).iso3 == country.iso3
        except UsageError:
            matches = False
        if not matches:
            raise ImportSourceError(
                f"{document_path.name}: the file name says {named.group('country')!r} "
                f"but the document is the profile of {country.name}"
            )
    if year not in country.records:
        raise ImportSourceError(
            f"{document_path.name}: the data has no {year} scores for {country.name}"
        )
    scores = country.records[year].scores
    wrong = [
        f"{key} {value:g} (data: {scores[key]:g})"
        for key, value in document.stated_scores.items()
        if scores.get(key) != value
    ]
    if wrong:
        raise ImportSourceError(
            f"{document_path.name}: its scores are not {country.name}'s {year} scores: "
            + ", ".join(wrong[:4])
            + (f" and {len(wrong) - 4} more" if len(wrong) > 4 else "")
        )
    return f"{country.slug}.toml", document


def profile_document_update(
    data_dir: Path, document_path: Path, edition: int | None = None
) -> dict[str, str]:
    """File name -> the full new text of the profile file the document updates (empty when
    nothing would change). Writes nothing."""
    from ocindex.profile_text import splice_profile_text

    name, document = parse_document(data_dir, document_path, edition)
    path = data_dir / name
    original = path.read_bytes().decode("utf-8")
    try:
        updated = splice_profile_text(original, document, str(path))
    except ValueError as exc:
        raise ImportSourceError(str(exc)) from exc
    return {} if updated == original else {name: updated}


def import_document(
    data_dir: Path, document_path: Path, edition: int | None = None, *, base: Path | None = None
) -> tuple[str, ProfileDocument, bool]:
    """`ocindex import PROFILE`: (file name, document, whether the file changed).

    A folder that holds no data yet starts from `base` (the shipped data, for the user data
    folder), as a dataset import does."""
    from ocindex.store import holds_data

    source = data_dir if base is None or holds_data(data_dir) else base
    name, document = parse_document(source, document_path, edition)
    update = profile_document_update(source, document_path, edition)
    if update:
        commit_profile_update(data_dir, source, update)
    return name, document, bool(update)


def commit_profile_update(data_dir: Path, source: Path, update: dict[str, str]) -> None:
    """Commit the texts `profile_document_update` returned (made from `source`'s files) to
    `data_dir` as one transaction, after checking the whole result as loading checks it."""
    from ocindex import transaction
    from ocindex.store import Snapshot, compile_snapshot, read_snapshot

    snapshot = read_snapshot(source)
    after = dict(snapshot.contents)
    after.update((name, text.encode()) for name, text in update.items())
    compile_snapshot(Snapshot(data_dir, after, {}, ()))
    files = after if source != data_dir else {name: after[name] for name in update}
    try:
        transaction.commit(data_dir, files)
    except OSError as exc:
        raise DataError(
            f"{exc.filename or data_dir}: cannot write: {exc.strerror or exc}; nothing was changed"
        ) from exc
