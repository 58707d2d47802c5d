"""Parse the text of a GI-TOC country profile and store it in a country's TOML profile.

`parse_profile_text` turns the text extracted from a profile PDF (such as the 2023
profile of Mali) into a `ProfileDocument`: the country, every score and rank the document
states, its funding notices, and its narrative as paragraphs tagged with the indicators
they discuss. `write_profile_text` stores that as the table `[profile.<edition>]` of a
profile TOML file, leaving the rest of the file byte for byte as it was.

The parser is pure (stdlib only, no printing). Malformed input raises `ValueError` with a
one-line message.

Indicator tagging
-----------------
The narrative follows the index: a section per pillar, under each a sub-heading per group
of indicators (People, Trade, ...; criminal actors have no sub-headings) and within a
group roughly one paragraph per indicator, some paragraphs covering two. A paragraph is
tagged, among the indicators of its group assessed in the edition, by these rules:

1. *lead*: the indicators whose pattern (`INDICATOR_PATTERNS`) matches the paragraph's
   first sentence;
2. *continuation*: a paragraph whose first sentence names no indicator continues the
   previous paragraph of the group and takes its tags (a group with a single indicator
   tags every paragraph with it);
3. *second topic*: an indicator of the group that no paragraph has been tagged with so
   far goes to a paragraph that mentions it anywhere, preferring the one tagged with
   the nearest preceding indicator of the group (paragraphs follow the pillar's order),
   else the first paragraph mentioning it.

A paragraph left without a tag is an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ocindex.figures import ordinal
from ocindex.indicators import (
    ACTORS,
    BY_KEY,
    MARKETS,
    PILLAR_INDICATORS,
    PILLARS,
    RANKED_COMPOSITES,
    RESILIENCE,
    assessed,
    pillar_label,
    score_keys,
    snake_case,
)
from ocindex.model import SCOPES, NarrativeParagraph, ProfileDocument, StatedRank

# --- tables ---------------------------------------------------------------------------

INDICATOR_PATTERNS: dict[str, str] = {
    # criminal markets
    "human_trafficking": r"human trafficking|trafficking in persons|trafficking victims"
    r"|sex trafficking|forced labou?r|sexual exploitation",
    "human_smuggling": r"human smuggling|migrant smuggling|smuggling of migrants",
    "extortion_and_protection_racketeering": r"extortion|racketeering|protection rackets?"
    r"|kidnapp\w*",
    "arms_trafficking": r"arms|weapons?|firearms|ammunition",
    "trade_in_counterfeit_goods": r"counterfeit\w*|falsified",
    "illicit_trade_in_excisable_goods": r"excis\w+|cigarettes?|tobacco|alcohol",
    "flora_crimes": r"flora|logging|timber|(?:rose)?wood|forests?|plants?",
    "fauna_crimes": r"fauna|wildlife|wild animals|poach\w*|ivory",
    "non_renewable_resource_crimes": r"non-?renewable|mining|minerals?|gold|oil|diamonds?",
    "heroin_trade": r"heroin|opiates?|opium",
    "cocaine_trade": r"cocaine",
    "cannabis_trade": r"cannabis|marijuana|hashish",
    "synthetic_drug_trade": r"synthetic drugs?|methamphetamine|amphetamines?|tramadol|captagon",
    "cyber_dependent_crimes": r"cyber\w*|ransomware|hacking",
    "financial_crimes": r"financial crimes?|fraud|embezzlement|tax evasion|misuse of funds",
    # criminal actors
    "mafia_style_groups": r"mafia\w*",
    "criminal_networks": r"(?:criminal|trafficking|smuggling) networks?",
    "state_embedded_actors": r"state[- ]embedded|state (?:structures|institutions|officials)"
    r"|public officials|government officials",
    "foreign_actors": r"foreign",
    "private_sector_actors": r"private[- ]sector|compan(?:y|ies)",
    # resilience
    "political_leadership_and_governance": r"political (?:crisis|leadership|instability)"
    r"|coups?|leadership|governance",
    "government_transparency_and_accountability": r"transparen\w*|accountab\w*",
    "international_cooperation": r"international cooperation|treaties|conventions"
    r"|extradition|mutual legal assistance",
    "national_policies_and_laws": r"legal framework|legislation|national (?:policies|laws)"
    r"|penal code",
    "judicial_system_and_detention": r"judicia\w*|courts?|prisons?|detention|penitentiary",
    "law_enforcement": r"law enforcement|police|policing|gendarm\w*",
    "territorial_integrity": r"territorial|borders?|sovereignty",
    "anti_money_laundering": r"money[- ]laundering|launder\w*",
    "economic_regulatory_capacity": r"economic regulat\w*|regulatory",
    "victim_and_witness_support": r"victims?|witness\w*|survivors?",
    "prevention": r"prevent\w*",
    "non_state_actors": r"civil society|non-state actors|media|press|journalis\w*",
}
"""Per indicator: what a paragraph discussing it says (case-insensitive, whole words)."""

SUBHEADINGS: dict[str, tuple[tuple[str, str], ...]] = {
    MARKETS: (
        ("PEOPLE", "human_trafficking"),
        ("TRADE", "arms_trafficking"),
        ("ENVIRONMENT", "flora_crimes"),
        ("DRUGS", "heroin_trade"),
        ("CYBER-DEPENDENT CRIMES", "cyber_dependent_crimes"),
        ("FINANCIAL CRIMES", "financial_crimes"),
    ),
    ACTORS: (),
    RESILIENCE: (
        ("LEADERSHIP AND GOVERNANCE", "political_leadership_and_governance"),
        ("CRIMINAL JUSTICE AND SECURITY", "judicial_system_and_detention"),
        ("ECONOMIC AND FINANCIAL ENVIRONMENT", "anti_money_laundering"),
        ("CIVIL SOCIETY AND SOCIAL PROTECTION", "victim_and_witness_support"),
    ),
}
"""Per pillar: each narrative sub-heading and the first indicator of its group.

A group runs, in the pillar's order, up to the first indicator of the next group.
"""

FUNDING_PATTERN = re.compile(
    r"^(?:Funding provided by |Funded by |[A-Z][\w-]* is funded by "
    r"|This (?:summary|profile|publication|report) was funded )"
)
"""Funding notices: page furniture, kept once each and never part of the narrative."""

_MARKUP = re.compile(r"\*\*|</?u>")
_TITLE = re.compile(r"^\*\*([^*\d]*[^\W\d_][^*\d]*)\*\*$")
_BOLD_NUMBER = re.compile(r"^\*\*(\d+(?:\.\d+)?)\*\*$")
_SCORE_LABEL = re.compile(r"^([A-Z][A-Z &-]*) SCORE$")
_SCORE_LINE = re.compile(r"^([A-Z][A-Z &,'-]*?)\s+(\d{1,2}(?:\.\d+)?)$")
_RANK_LINE = re.compile(r"^(\d+)(st|nd|rd|th) of (\d+) (?:(.+) )?countries$")
_SENTENCE_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*$")
_FIRST_SENTENCE = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+(?=[^a-z\s])")
_SMALL_WORDS = frozenset({"and", "of", "the", "de", "da", "du", "la", "le"})
_NARRATIVE_START = "CRIMINALITY"


# --- parsing --------------------------------------------------------------------------


def parse_profile_text(text: str, edition: int) -> ProfileDocument:
    """Parse the text of a profile document of `edition`; raise ValueError if malformed."""
    lines = [line.strip() for line in text.removeprefix("\ufeff").splitlines()]
    if not any(lines):
        raise ValueError("empty profile text")
    start = _narrative_start(lines)
    header = _parse_header(lines[:start], edition)
    funding = list(header.funding)
    narrative = _parse_narrative(lines[start:], edition, header.title, funding)
    return ProfileDocument(
        edition=edition,
        title=header.title,
        document=f"Global Organized Crime Index {edition} country profile: {header.title}",
        stated_scores=header.scores,
        stated_ranks=header.ranks,
        funding=tuple(funding),
        narrative=narrative,
    )


@dataclass(frozen=True)
class _Header:
    title: str
    scores: dict[str, float]
    ranks: dict[str, dict[str, StatedRank]]
    funding: tuple[str, ...]


def _snippet(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= width else text[: width - 3] + "...")


def _is_heading(line: str) -> bool:
    """A line of capitals without figures: a title, section or sub-heading."""
    bare = _MARKUP.sub("", line).strip()
    return (
        bool(bare)
        and bare.upper() == bare
        and not re.search(r"\d", bare)
        and any(char.isalpha() for char in bare)
    )


def _narrative_start(lines: list[str]) -> int:
    """Index of the first bare heading, where the narrative begins."""
    for index, line in enumerate(lines):
        if (
            _is_heading(line)
            and not _TITLE.match(line)
            and not _SCORE_LABEL.match(_MARKUP.sub("", line).strip())
        ):
            return index
    raise ValueError(f"no narrative: expected a {_NARRATIVE_START!r} heading after the scores")


def _country_title(upper: str) -> str:
    """`MALI` -> `Mali`, `CÔTE D'IVOIRE` -> `Côte d'Ivoire`, `GUINEA-BISSAU` -> `Guinea-Bissau`."""

    def part(word: str) -> str:
        if re.match(r"^\w'\w", word):
            return word[:2].lower() + word[2:].capitalize()
        return "-".join(piece.capitalize() for piece in word.split("-"))

    words = upper.split()
    return " ".join(
        word.lower() if index and word.lower() in _SMALL_WORDS else part(word)
        for index, word in enumerate(words)
    )


def _score_key(name: str, edition: int) -> str:
    key = snake_case(name.replace("&", " and "))
    if key not in BY_KEY:
        raise ValueError(f"unknown score heading {_snippet(name)}")
    if not BY_KEY[key].assessed_in(edition):
        raise ValueError(f"score heading {_snippet(name)} is not assessed in {edition}")
    return key


def _record_score(scores: dict[str, float], key: str, value: str) -> None:
    number = float(value)
    if not 1.0 <= number <= 10.0:
        raise ValueError(f"score of {key} out of range 1-10: {value}")
    if key in scores and scores[key] != number:
        raise ValueError(f"inconsistent scores for {key}: {scores[key]:g} and {number:g}")
    scores[key] = number


def _ranks_from_block(key: str, block: list[tuple[int, int, str | None]]) -> dict[str, StatedRank]:
    qualifiers = [qualifier for _, _, qualifier in block]
    if len(block) != len(SCOPES) or qualifiers[0] is not None or None in qualifiers[1:]:
        raise ValueError(
            f"rank lines of {key} must be 'Nth of N countries', then continent, then region"
        )
    return {scope: StatedRank(rank, of) for scope, (rank, of, _) in zip(SCOPES, block, strict=True)}


def _parse_header(lines: list[str], edition: int) -> _Header:
    """Title, scores, ranks and funding notices: everything before the narrative."""
    title: str | None = None
    scores: dict[str, float] = {}
    blocks: list[tuple[str, list[tuple[int, int, str | None]]]] = []
    funding: list[str] = []
    pending: str | None = None  # a bold score waiting for its "... SCORE" label
    rank_target: str | None = None  # the score the following rank lines belong to
    for line in lines:
        if not line:
            continue
        bare = _MARKUP.sub("", line).strip()
        rank = _RANK_LINE.match(bare)
        if rank:
            if rank_target is None:
                raise ValueError(f"rank line {_snippet(bare)} does not follow a score")
            number, suffix, of, qualifier = rank.groups()
            if suffix != ordinal(int(number)).removeprefix(number) or not 1 <= int(number) <= int(
                of
            ):
                raise ValueError(f"malformed rank line {_snippet(bare)}")
            blocks[-1][1].append((int(number), int(of), qualifier))
            continue
        rank_target = None
        if pending is not None and not _SCORE_LABEL.match(bare):
            raise ValueError(f"score {pending} is not followed by a '... SCORE' label")
        if match := _TITLE.match(line):
            name = _country_title(match.group(1).strip())
            if title is not None and name != title:
                raise ValueError(f"second title {_snippet(name)} differs from {title!r}")
            title = name
        elif match := _BOLD_NUMBER.match(line):
            pending = match.group(1)
        elif match := _SCORE_LABEL.match(bare):
            key = _score_key(match.group(1), edition)
            if pending is None:
                raise ValueError(f"label {_snippet(bare)} has no score")
            _record_score(scores, key, pending)
            pending = None
            rank_target = key
            blocks.append((key, []))
        elif match := _SCORE_LINE.match(bare):
            _record_score(scores, _score_key(match.group(1), edition), match.group(2))
        elif FUNDING_PATTERN.match(bare):
            if bare not in funding:
                funding.append(bare)
        elif title is None:
            raise ValueError("no title: expected the country's name in bold (**NAME**) first")
        else:
            raise ValueError(f"unexpected line before the narrative: {_snippet(bare)}")
    if title is None:
        raise ValueError("no title: expected the country's name in bold (**NAME**) first")
    if pending is not None:
        raise ValueError(f"score {pending} is not followed by a '... SCORE' label")
    missing = [key for key in score_keys(edition) if key not in scores]
    if missing:
        raise ValueError(f"missing stated scores: {', '.join(missing)}")
    ranks: dict[str, dict[str, StatedRank]] = {}
    for key, block in blocks:
        if not block:
            continue  # a score printed again without its ranks
        parsed = _ranks_from_block(key, block)
        if ranks.setdefault(key, parsed) != parsed:
            raise ValueError(f"inconsistent rank lines for {key}")
    for key in RANKED_COMPOSITES:
        if key not in ranks:
            raise ValueError(f"missing rank lines for {key} (e.g. '50th of 193 countries')")
    return _Header(title, {key: scores[key] for key in score_keys(edition)}, ranks, tuple(funding))


@dataclass
class _Block:
    pillar: str
    heading: str
    group: tuple[str, ...]
    text: str


def _groups(pillar: str, edition: int) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Sub-heading (as printed) -> (sentence-case heading, indicator keys of its group)."""
    order = [item.key for item in PILLAR_INDICATORS[pillar]]
    live = {item.key for item in assessed(pillar, edition)}
    entries = SUBHEADINGS[pillar]
    starts = [order.index(first) for _, first in entries] + [len(order)]
    return {
        printed: (printed.capitalize(), tuple(k for k in order[start:end] if k in live))
        for (printed, _), start, end in zip(entries, starts[:-1], starts[1:], strict=True)
    }


def _narrative_blocks(
    lines: list[str], edition: int, title: str, funding: list[str]
) -> Iterator[_Block]:
    """Paragraph blocks as printed (before rejoining), furniture removed."""
    sections = {BY_KEY[pillar].name.upper(): pillar for pillar in PILLARS}
    pillar: str | None = None
    heading: tuple[str, tuple[str, ...]] | None = None
    groups: dict[str, tuple[str, tuple[str, ...]]] = {}
    for raw in _split_blocks(lines):
        first = raw[0]
        bare = _MARKUP.sub("", first).strip()
        if len(raw) == 1 and _TITLE.match(first) and _country_title(bare) == title:
            continue  # running page header
        if len(raw) == 1 and _is_heading(first):
            if bare == _NARRATIVE_START and pillar is None:
                continue
            if bare in sections:
                pillar = sections[bare]
                groups = _groups(pillar, edition)
                heading = None
                if not SUBHEADINGS[pillar]:
                    heading = (
                        pillar_label(pillar),
                        tuple(i.key for i in assessed(pillar, edition)),
                    )
                continue
            if pillar is None or bare not in groups:
                where = "" if pillar is None else f" in section {pillar_label(pillar)!r}"
                raise ValueError(f"unknown heading {_snippet(bare)}{where}")
            heading = groups[bare]
            if not heading[1]:
                raise ValueError(f"heading {_snippet(bare)} is not assessed in {edition}")
            continue
        paragraph = " ".join(raw)
        if FUNDING_PATTERN.match(paragraph):
            if paragraph not in funding:
                funding.append(paragraph)
            continue
        if any(_SCORE_LINE.match(_MARKUP.sub("", line).strip()) for line in raw) or any(
            _RANK_LINE.match(line) for line in raw
        ):
            raise ValueError(f"unexpected score or rank line in the narrative: {_snippet(first)}")
        if pillar is None or heading is None:
            raise ValueError(f"text before the first heading: {_snippet(paragraph)}")
        yield _Block(pillar, heading[0], heading[1], paragraph)


def _split_blocks(lines: list[str]) -> Iterator[list[str]]:
    """Runs of non-blank lines; a heading line always stands alone."""
    block: list[str] = []
    for line in lines:
        if line and not _is_heading(line):
            block.append(line)
            continue
        if block:
            yield block
            block = []
        if line:
            yield [line]
    if block:
        yield block


def _rejoin(blocks: Iterable[_Block]) -> list[_Block]:
    """Rejoin paragraphs split by page breaks: no sentence end, then a lowercase start."""
    joined: list[_Block] = []
    for block in blocks:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and (previous.pillar, previous.heading) == (block.pillar, block.heading)
            and not _SENTENCE_END.search(previous.text)
            and block.text[:1].islower()
        ):
            previous.text = f"{previous.text} {block.text}"
        else:
            joined.append(_Block(block.pillar, block.heading, block.group, block.text))
    for block in joined:
        if not _SENTENCE_END.search(block.text):
            raise ValueError(
                f"paragraph under {block.heading!r} ends mid-sentence (truncated?): "
                f"{_snippet(block.text[-60:])}"
            )
    return joined


def _parse_narrative(
    lines: list[str], edition: int, title: str, funding: list[str]
) -> tuple[NarrativeParagraph, ...]:
    blocks = _rejoin(_narrative_blocks(lines, edition, title, funding))
    for pillar in PILLARS:
        if not any(block.pillar == pillar for block in blocks):
            raise ValueError(f"missing narrative section {pillar_label(pillar)!r} (truncated?)")
    tags: list[tuple[str, ...]] = [() for _ in blocks]
    by_group: dict[tuple[str, str], list[int]] = {}
    for index, block in enumerate(blocks):
        by_group.setdefault((block.pillar, block.heading), []).append(index)
    for members in by_group.values():
        for index, found in zip(members, _tag_group([blocks[i] for i in members]), strict=True):
            tags[index] = found
    paragraphs = []
    for block, found in zip(blocks, tags, strict=True):
        if not found:
            raise ValueError(
                f"cannot tell which indicator a paragraph under {block.heading!r} discusses: "
                f"{_snippet(block.text)}"
            )
        paragraphs.append(
            NarrativeParagraph(pillar_label(block.pillar), block.heading, found, block.text)
        )
    return tuple(paragraphs)


def _mentions(key: str, text: str) -> bool:
    return re.search(rf"\b(?:{INDICATOR_PATTERNS[key]})\b", text, re.IGNORECASE) is not None


def _first_sentence(text: str) -> str:
    """The paragraph's opening sentence, which names what it is about."""
    return _FIRST_SENTENCE.split(text, maxsplit=1)[0]


def _tag_group(blocks: list[_Block]) -> list[tuple[str, ...]]:
    """Tag the paragraphs of one sub-heading group (see the module docstring)."""
    group = blocks[0].group
    if len(group) == 1:
        return [group for _ in blocks]
    tags: list[set[str]] = []
    for block in blocks:
        lead = {key for key in group if _mentions(key, _first_sentence(block.text))}
        tags.append(lead if lead or not tags else set(tags[-1]))
    for position, key in enumerate(group):
        if any(key in found for found in tags):
            continue
        candidates = [i for i, block in enumerate(blocks) if _mentions(key, block.text)]
        if not candidates:
            continue
        chosen = candidates[0]
        for earlier in reversed(group[:position]):
            holders = [i for i in candidates if earlier in tags[i]]
            if holders:
                chosen = holders[0]
                break
        tags[chosen].add(key)
    return [tuple(key for key in group if key in found) for found in tags]


# --- writing --------------------------------------------------------------------------

_HEADER_LINE = re.compile(r"^[ \t]*\[\[?[ \t]*(?P<path>[^\[\]#]+?)[ \t]*\]\]?[ \t]*(?:#.*)?$")
_KEY_PART = re.compile(r"[ \t]*(\"(?:[^\"\\]|\\.)*\"|'[^']*'|[A-Za-z0-9_-]+)[ \t]*(?:\.|$)")
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def write_profile_text(path: Path, profile: ProfileDocument) -> None:
    """Insert or replace `[profile.<edition>]` in the TOML file at `path`, atomically.

    Every other line of the file is kept byte for byte; the result is checked to hold
    exactly the old data plus the new table. Writing the same profile again changes
    nothing. Raises OSError if the file cannot be read or written, ValueError if it is
    not valid TOML or cannot be updated safely.
    """
    original = path.read_bytes().decode("utf-8")
    updated = splice_profile_text(original, profile, str(path))
    if updated != original:
        from ocindex.store import write_atomically

        write_atomically(path, updated)


def splice_profile_text(original: str, profile: ProfileDocument, where: str = "profile") -> str:
    """The text of a profile file with `[profile.<edition>]` inserted or replaced; pure.

    Raises ValueError if the text is not valid TOML or cannot be updated safely.
    """
    import tomlkit

    newline = "\r\n" if "\r\n" in original else "\n"
    edition = str(profile.edition)
    block = render_profile_table(profile).replace("\n", newline)
    updated = _splice(original, ("profile", edition), block, newline)

    expected = tomlkit.parse(original).unwrap()
    section = expected.setdefault("profile", {})
    if not isinstance(section, dict):
        raise ValueError(f"{where}: 'profile' is not a table")
    section[edition] = tomlkit.parse(block).unwrap()["profile"][edition]
    if tomlkit.parse(updated).unwrap() != expected:
        raise ValueError(f"{where}: cannot replace [profile.{edition}] without touching other data")
    return updated


def render_profile_table(profile: ProfileDocument) -> str:
    """The TOML text of `[profile.<edition>]` and its sub-tables, ending with a newline."""
    import tomlkit

    def value(item: object) -> str:
        return str(tomlkit.item(item).as_string())

    def key(name: str) -> str:
        return name if _BARE_KEY.match(name) else value(name)

    root = f"profile.{profile.edition}"
    out = [f"[{root}]", f"title = {value(profile.title)}", f"document = {value(profile.document)}"]
    out.append("funding = [")
    out.extend(f"    {value(line)}," for line in profile.funding)
    out.append("]")
    out += ["", f"[{root}.stated_scores]"]
    out.extend(f"{key(name)} = {value(score)}" for name, score in profile.stated_scores.items())
    for composite, ranks in profile.stated_ranks.items():
        out += ["", f"[{root}.stated_ranks.{key(composite)}]"]
        out.extend(
            f"{key(scope)} = {{ rank = {rank.rank}, of = {rank.of} }}"
            for scope, rank in ranks.items()
        )
    for paragraph in profile.narrative:
        out += [
            "",
            f"[[{root}.narrative]]",
            f"section = {value(paragraph.section)}",
            f"heading = {value(paragraph.heading)}",
            f"indicators = [{', '.join(value(k) for k in paragraph.indicators)}]",
            # a newline right after the opening quotes is not part of the value
            f'text = """\n{_multiline_body(paragraph.text)}"""',
        ]
    return "\n".join(out) + "\n"


def _multiline_body(text: str) -> str:
    """`text` escaped as the body of a multi-line basic string, kept on one line."""
    out: list[str] = []
    for index, char in enumerate(text):
        if char == "\\":
            out.append("\\\\")
        elif char == '"' and (index == len(text) - 1 or text[index + 1] == '"'):
            out.append('\\"')  # never three quotes in a row, never one before the end
        elif char == "\n":
            out.append("\\n")  # keeps every raw newline in the file structural
        elif char == "\r":
            out.append("\\r")
        elif (ord(char) < 0x20 and char != "\t") or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return "".join(out)


def _ml_state(line: str, state: str | None) -> str | None:
    """The multi-line string (`\"\"\"` or `'''`) open at the end of `line`, if any."""
    index, end = 0, len(line)
    while index < end:
        char = line[index]
        if state is None:
            if char == "#":
                return None
            if line.startswith(('"""', "'''"), index):
                state, index = line[index : index + 3], index + 3
            elif char == '"':
                index += 1
                while index < end and line[index] != '"':
                    index += 2 if line[index] == "\\" else 1
                index += 1
            elif char == "'":
                close = line.find("'", index + 1)
                index = end if close < 0 else close + 1
            else:
                index += 1
        elif state == '"""' and char == "\\":
            index += 2
        elif line.startswith(state, index):
            index += 3
            for _ in range(2):  # up to two more quotes belong to the string
                if line.startswith(state[0], index):
                    index += 1
            state = None
        else:
            index += 1
    return state


def _header_path(line: str) -> tuple[str, ...] | None:
    match = _HEADER_LINE.match(line.rstrip("\r\n"))
    if not match:
        return None
    parts: list[str] = []
    rest = match.group("path")
    while rest:
        part = _KEY_PART.match(rest)
        if not part:
            return None
        parts.append(part.group(1).strip("\"'") if part.group(1)[0] in "\"'" else part.group(1))
        rest = rest[part.end() :]
    return tuple(parts)


def _splice(original: str, prefix: tuple[str, ...], block: str, newline: str) -> str:
    """Replace the tables under `prefix` (header to last content line) with `block`."""
    lines = original.splitlines(keepends=True)
    kinds: list[str] = []  # "header", "blank", "comment" or "content"
    paths: list[tuple[str, ...] | None] = []
    state: str | None = None
    for line in lines:
        path = _header_path(line) if state is None else None
        stripped = line.strip()
        if path is not None:
            kinds.append("header")
        elif state is None and not stripped:
            kinds.append("blank")
        elif state is None and stripped.startswith("#"):
            kinds.append("comment")
        else:
            kinds.append("content")
        paths.append(path)
        state = _ml_state(line, state)

    spans: list[list[int]] = []  # [first, last] line of each run of our tables
    inside = False
    for index, kind in enumerate(kinds):
        if kind == "header":
            under = _under(paths[index], prefix)
            if under and inside:
                spans[-1][1] = index
            elif under:
                spans.append([index, index])
            inside = under
        elif inside and kind == "content":
            spans[-1][1] = index

    if not spans:
        text = original
        if text and not text.endswith(("\n", "\r")):
            text += newline
        if text.strip() and lines and kinds[-1] != "blank":
            text += newline
        return text + block
    pieces: list[str] = []
    cursor = 0
    for number, (first, last) in enumerate(spans):
        pieces.append("".join(lines[cursor:first]))
        if number == 0:
            tail = lines[last]
            pieces.append(block if tail.endswith(("\n", "\r")) else block.rstrip("\r\n"))
        cursor = last + 1
    pieces.append("".join(lines[cursor:]))
    return "".join(pieces)


def _under(path: tuple[str, ...] | None, prefix: tuple[str, ...]) -> bool:
    return path is not None and path[: len(prefix)] == prefix
