"""Tests of the profile-text parser, the TOML writer and tools/attach_profile_text.py."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import MALI_2023
from ocindex.indicators import (
    ACTORS,
    INDICATORS,
    MARKETS,
    PILLAR_INDICATORS,
    PILLARS,
    RESILIENCE,
    assessed,
    pillar_label,
    score_keys,
)
from ocindex.profile_text import (
    INDICATOR_PATTERNS,
    SUBHEADINGS,
    NarrativeParagraph,
    ProfileDocument,
    StatedRank,
    parse_profile_text,
    write_profile_text,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "sources" / "profiles" / "000_146c1bfaa8e37da9.txt"
TOOL = REPO / "tools" / "attach_profile_text.py"

FUNDING = (
    "Funding provided by the United States Government.",
    "Funded by the European Union",
    "ENACT is funded by the European Union and implemented by the Institute for Security "
    "Studies and INTERPOL, in affiliation with the Global Initiative Against Transnational "
    "Organized Crime.",
    "This summary was funded in part by a grant from the United States Department of State. "
    "The opinions, findings and conclusions stated herein are those of the authors and do not "
    "necessarily reflect those of the United States Department of State.",
)

MALI_SCORES = {
    "criminality": 5.93,
    "criminal_markets": 6.47,
    "criminal_actors": 5.40,
    "resilience": 2.38,
    **MALI_2023,
}

M, A, R = "Criminal markets", "Criminal actors", "Resilience"
MALI_TAGS: list[tuple[str, str, tuple[str, ...]]] = [
    (M, "People", ("human_trafficking",)),
    (M, "People", ("human_smuggling",)),
    (M, "People", ("extortion_and_protection_racketeering",)),
    (M, "Trade", ("arms_trafficking",)),
    (M, "Trade", ("trade_in_counterfeit_goods", "illicit_trade_in_excisable_goods")),
    (M, "Environment", ("flora_crimes",)),
    (M, "Environment", ("fauna_crimes",)),
    (M, "Environment", ("non_renewable_resource_crimes",)),
    (M, "Drugs", ("heroin_trade", "cocaine_trade")),
    (M, "Drugs", ("cannabis_trade",)),
    (M, "Drugs", ("synthetic_drug_trade",)),
    (M, "Cyber-dependent crimes", ("cyber_dependent_crimes",)),
    (M, "Financial crimes", ("financial_crimes",)),
    (A, "Criminal actors", ("state_embedded_actors",)),
    (A, "Criminal actors", ("criminal_networks",)),
    (A, "Criminal actors", ("mafia_style_groups",)),
    (A, "Criminal actors", ("foreign_actors", "private_sector_actors")),
    (
        R,
        "Leadership and governance",
        ("political_leadership_and_governance", "government_transparency_and_accountability"),
    ),
    (R, "Leadership and governance", ("political_leadership_and_governance",)),
    (R, "Leadership and governance", ("international_cooperation", "national_policies_and_laws")),
    (R, "Criminal justice and security", ("judicial_system_and_detention",)),
    (R, "Criminal justice and security", ("law_enforcement",)),
    (R, "Criminal justice and security", ("territorial_integrity",)),
    (R, "Economic and financial environment", ("anti_money_laundering",)),
    (R, "Economic and financial environment", ("economic_regulatory_capacity",)),
    (R, "Civil society and social protection", ("victim_and_witness_support",)),
    (R, "Civil society and social protection", ("prevention",)),
    (R, "Civil society and social protection", ("non_state_actors",)),
]

# (end of the part before a page break, start of the part after it)
PAGE_BREAK_SPLITS = [
    ("However, financial considerations", "are not the primary driving factor"),
    ("These cigarettes are", "transported north"),
    ("armed groups operating in", "the region. Exploiting"),
    ("military-led transition", "authorities. As a result"),
    ("the presence of various non-state", "armed groups, and political instability"),
    ("Despite the challenging", "security situation"),
]


@pytest.fixture(scope="module")
def source_text() -> str:
    return SOURCE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def mali(source_text: str) -> ProfileDocument:
    return parse_profile_text(source_text, 2023)


# --- header -----------------------------------------------------------------------------


def test_title_and_edition(mali: ProfileDocument) -> None:
    assert mali.title == "Mali"
    assert mali.edition == 2023
    assert mali.document == "Global Organized Crime Index 2023 country profile: Mali"


def test_stated_ranks(mali: ProfileDocument) -> None:
    assert mali.stated_ranks == {
        "criminality": {
            "global": StatedRank(50, 193),
            "continent": StatedRank(15, 54),
            "region": StatedRank(3, 15),
        },
        "resilience": {
            "global": StatedRank(176, 193),
            "continent": StatedRank(45, 54),
            "region": StatedRank(15, 15),
        },
    }


def test_all_36_stated_scores(mali: ProfileDocument) -> None:
    assert len(mali.stated_scores) == 36
    assert mali.stated_scores == MALI_SCORES
    assert list(mali.stated_scores) == list(score_keys(2023))


def test_funding_kept_once_each_in_order(mali: ProfileDocument, source_text: str) -> None:
    assert mali.funding == FUNDING
    # the first three repeat on the first two pages of the source
    assert [source_text.count(line) for line in FUNDING] == [2, 2, 2, 1]


def test_no_funding_text_in_narrative(mali: ProfileDocument) -> None:
    for paragraph in mali.narrative:
        for line in FUNDING:
            assert line not in paragraph.text
        assert "Funded by" not in paragraph.text
        assert "Funding provided" not in paragraph.text
        assert "This summary was funded" not in paragraph.text


# --- narrative ----------------------------------------------------------------------------


def test_sections_headings_and_tags(mali: ProfileDocument) -> None:
    got = [(p.section, p.heading, p.indicators) for p in mali.narrative]
    assert got == MALI_TAGS


@pytest.mark.parametrize(("before", "after"), PAGE_BREAK_SPLITS)
def test_page_break_splits_rejoined(mali: ProfileDocument, before: str, after: str) -> None:
    holding = [p for p in mali.narrative if f"{before} {after}" in p.text]
    assert len(holding) == 1
    for paragraph in mali.narrative:
        assert not paragraph.text.startswith(after)
        assert not paragraph.text.endswith(before)


def test_paragraphs_are_clean_sentences(mali: ProfileDocument) -> None:
    for paragraph in mali.narrative:
        assert paragraph.text == paragraph.text.strip()
        assert "\n" not in paragraph.text and "  " not in paragraph.text
        assert re.search(r"[.!?]$", paragraph.text), paragraph.text[-40:]
        assert paragraph.text[0].isupper()


def _narrative_region(source_text: str) -> str:
    """The source's narrative as one string, computed without the parser: everything from
    the bare CRIMINALITY heading on, minus headings, funding lines and blank lines."""
    lines = source_text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "CRIMINALITY")
    kept = []
    for line in lines[start:]:
        line = line.strip()
        if not line or re.fullmatch(r"[A-Z][A-Z &-]*", line) or line in FUNDING:
            continue
        kept.append(line)
    return " ".join(" ".join(kept).split())


def test_narrative_complete_and_verbatim(mali: ProfileDocument, source_text: str) -> None:
    region = _narrative_region(source_text)
    assert " ".join(p.text for p in mali.narrative) == region
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z])", region)
    assert len(sentences) > 150
    for sentence in sentences:
        holders = [p for p in mali.narrative if sentence in p.text]
        assert len(holders) == 1, sentence


def test_every_paragraph_tagged_within_its_pillar(mali: ProfileDocument) -> None:
    labels = {pillar_label(pillar): pillar for pillar in PILLARS}
    for paragraph in mali.narrative:
        pillar = labels[paragraph.section]
        keys = [item.key for item in PILLAR_INDICATORS[pillar]]
        assert paragraph.indicators
        assert all(key in keys for key in paragraph.indicators)
        assert list(paragraph.indicators) == sorted(paragraph.indicators, key=keys.index)


def test_every_indicator_discussed(mali: ProfileDocument) -> None:
    for pillar in PILLARS:
        discussed = {
            key
            for paragraph in mali.narrative
            if paragraph.section == pillar_label(pillar)
            for key in paragraph.indicators
        }
        assert discussed == {item.key for item in assessed(pillar, 2023)}


def test_module_tables_use_indicator_keys() -> None:
    assert set(INDICATOR_PATTERNS) == {item.key for item in INDICATORS}
    for pillar, entries in SUBHEADINGS.items():
        keys = [item.key for item in PILLAR_INDICATORS[pillar]]
        firsts = [first for _, first in entries]
        assert all(first in keys for first in firsts)
        assert firsts == sorted(firsts, key=keys.index)
        if firsts:
            assert firsts[0] == keys[0]
    assert set(SUBHEADINGS) == {MARKETS, ACTORS, RESILIENCE}


def test_title_case_of_other_names(source_text: str) -> None:
    text = source_text.replace("**MALI**", "**GUINEA-BISSAU**")
    assert parse_profile_text(text, 2023).title == "Guinea-Bissau"
    text = source_text.replace("**MALI**", "**CÔTE D'IVOIRE**")
    assert parse_profile_text(text, 2023).title == "Côte d'Ivoire"


def test_page_furniture_between_split_parts_is_removed(source_text: str) -> None:
    text = source_text.replace(
        "financial considerations\n\nare",
        f"financial considerations\n\n{FUNDING[0]}\n\n **MALI**\n\nare",
    )
    profile = parse_profile_text(text, 2023)
    assert profile.funding == FUNDING
    assert any("financial considerations are not" in p.text for p in profile.narrative)


# --- malformed input ----------------------------------------------------------------------


def _error(text: str, edition: int = 2023) -> str:
    with pytest.raises(ValueError) as caught:
        parse_profile_text(text, edition)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_empty_text() -> None:
    assert "empty" in _error("  \n\n")


@pytest.mark.parametrize("fraction", [0.05, 0.2, 0.5, 0.75])
def test_truncated_text(source_text: str, fraction: float) -> None:
    _error(source_text[: int(len(source_text) * fraction)])


def test_truncated_at_paragraph_boundary(source_text: str) -> None:
    cut = source_text.index("RESILIENCE\n\nLEADERSHIP")
    assert "Resilience" in _error(source_text[:cut])


def test_truncated_mid_last_paragraph(source_text: str) -> None:
    cut = source_text.index("any criticism of the military")
    assert "mid-sentence" in _error(source_text[:cut])


def test_missing_rank_lines(source_text: str) -> None:
    text = "\n".join(line for line in source_text.splitlines() if "countries" not in line)
    assert "rank" in _error(text)


def test_missing_resilience_rank_lines(source_text: str) -> None:
    text = source_text.replace("176th of 193 countries\n", "")
    assert "resilience" in _error(text)


def test_missing_title(source_text: str) -> None:
    assert "title" in _error(source_text.replace(" **MALI**\n", ""))


def test_unknown_heading(source_text: str) -> None:
    message = _error(source_text.replace("\nPEOPLE\n", "\nPERSONS\n"))
    assert "PERSONS" in message and "heading" in message


def test_unknown_score_heading(source_text: str) -> None:
    assert "FLORAL CRIMES" in _error(source_text.replace("FLORA CRIMES\t", "FLORAL CRIMES\t"))


def test_missing_score(source_text: str) -> None:
    assert "prevention" in _error(source_text.replace("<u>PREVENTION</u>\t2.00\n", ""))


def test_inconsistent_repeated_score(source_text: str) -> None:
    first = source_text.index("**2.38**")
    second = source_text.index("**2.38**", first + 1)
    text = source_text[:second] + "**2.39**" + source_text[second + len("**2.38**") :]
    assert "resilience" in _error(text)


def _repeat_criminality_ranks(source_text: str, first_line: str) -> str:
    page_two = "CRIMINALITY SCORE\n\n CRIMINAL MARKETS\t6.47"
    assert source_text.count(page_two) == 1
    ranks = f"{first_line}\n15th of 54 African countries\n3rd of 15 West African countries\n"
    return source_text.replace(page_two, page_two.replace("\n\n", f"\n{ranks}\n"))


def test_repeated_ranks_must_agree(source_text: str) -> None:
    same = parse_profile_text(_repeat_criminality_ranks(source_text, "50th of 193 countries"), 2023)
    assert same.stated_ranks["criminality"]["global"] == StatedRank(50, 193)
    text = _repeat_criminality_ranks(source_text, "51st of 193 countries")
    assert "criminality" in _error(text)


def test_malformed_rank_line(source_text: str) -> None:
    text = source_text.replace("3rd of 15 West", "3th of 15 West")
    assert "3th of 15" in _error(text)


def test_score_not_assessed_in_edition(source_text: str) -> None:
    assert "not assessed in 2021" in _error(source_text, edition=2021)


def test_paragraph_without_indicator(source_text: str) -> None:
    text = source_text.replace(
        "CRIMINAL ACTORS\n\nCriminal interests",
        "CRIMINAL ACTORS\n\nSomething else entirely happened here.\n\nCriminal interests",
    )
    assert "Something else" in _error(text)


# --- writer ---------------------------------------------------------------------------------

SAMPLE = """\
# [editions.*] is written by `ocindex import`; the aliases and any
# [profile.*] tables are maintained by hand and never touched by it.

[country]
name = "Mali"
iso3 = "MLI"  # ISO 3166-1 alpha-3
iso2 = "ML"
aliases = ["Republic of Mali"]


[editions.2023]
continent = "Africa"
region = "West Africa"

[editions.2023.scores]
criminality = 5.93
criminal_markets = 6.47
# the rest of the scores
"""

STALE = """\
[profile.2023]
title = "Old"
funding = []

[profile.2023.stated_scores]
criminality = 1.0

[[profile.2023.narrative]]
text = \"\"\"
stale paragraph
[profile.2023]
# not a comment\"\"\"
"""

AFTER = """\

# Notes on 2025 (a comment that belongs to the next table)
[editions.2025]
continent = "Africa"
note = '''
[profile.2023]
# inside a literal string'''

[profile.2021]
title = "Mali"  # untouched
"""


def _loaded_profile(path: Path, edition: int = 2023) -> dict[str, object]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    result = data["profile"][str(edition)]
    assert isinstance(result, dict)
    return result


def _check_round_trip(path: Path, profile: ProfileDocument) -> None:
    table = _loaded_profile(path, profile.edition)
    assert table["title"] == profile.title
    assert table["document"] == profile.document
    assert table["funding"] == list(profile.funding)
    assert table["stated_scores"] == profile.stated_scores
    assert table["stated_ranks"] == {
        composite: {scope: {"rank": r.rank, "of": r.of} for scope, r in ranks.items()}
        for composite, ranks in profile.stated_ranks.items()
    }
    assert table["narrative"] == [
        {
            "section": p.section,
            "heading": p.heading,
            "indicators": list(p.indicators),
            "text": p.text,
        }
        for p in profile.narrative
    ]


def test_writer_appends_to_generated_file(tmp_path: Path, mali: ProfileDocument) -> None:
    path = tmp_path / "MLI.toml"
    path.write_text(SAMPLE, encoding="utf-8")
    write_profile_text(path, mali)
    written = path.read_text(encoding="utf-8")
    assert written.startswith(SAMPLE + "\n[profile.2023]\n")
    _check_round_trip(path, mali)
    data = tomllib.loads(written)
    assert data["country"]["aliases"] == ["Republic of Mali"]
    assert data["editions"]["2023"]["scores"] == {"criminality": 5.93, "criminal_markets": 6.47}
    assert "global = { rank = 50, of = 193 }\n" in written
    assert (
        '[[profile.2023.narrative]]\nsection = "Criminal markets"\nheading = "People"\n' in written
    )
    assert 'text = """\nHuman trafficking remains' in written


def test_writer_is_idempotent(tmp_path: Path, mali: ProfileDocument) -> None:
    path = tmp_path / "MLI.toml"
    path.write_text(SAMPLE, encoding="utf-8")
    write_profile_text(path, mali)
    first = path.read_bytes()
    write_profile_text(path, mali)
    assert path.read_bytes() == first


def test_writer_replaces_only_its_table(tmp_path: Path, mali: ProfileDocument) -> None:
    path = tmp_path / "MLI.toml"
    path.write_text(SAMPLE + "\n" + STALE + AFTER, encoding="utf-8")
    write_profile_text(path, mali)
    written = path.read_text(encoding="utf-8")
    assert written.startswith(SAMPLE + "\n[profile.2023]\n")
    assert written.endswith(AFTER)
    assert "stale paragraph" not in written and 'title = "Old"' not in written
    _check_round_trip(path, mali)
    data = tomllib.loads(written)
    assert data["profile"]["2021"] == {"title": "Mali"}
    assert data["editions"]["2025"]["note"] == "[profile.2023]\n# inside a literal string"
    again = path.read_bytes()
    write_profile_text(path, mali)
    assert path.read_bytes() == again


def test_writer_keeps_other_editions_and_crlf(tmp_path: Path, mali: ProfileDocument) -> None:
    path = tmp_path / "MLI.toml"
    original = (SAMPLE + AFTER).replace("\n", "\r\n")
    path.write_bytes(original.encode("utf-8"))
    write_profile_text(path, mali)
    written = path.read_bytes().decode("utf-8")
    assert written.startswith(original)
    assert "\n" not in written.replace("\r\n", "")
    _check_round_trip(path, mali)


def test_writer_leaves_unchanged_file_alone(tmp_path: Path, mali: ProfileDocument) -> None:
    path = tmp_path / "MLI.toml"
    path.write_text(SAMPLE, encoding="utf-8")
    write_profile_text(path, mali)
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    write_profile_text(path, mali)
    assert path.stat().st_mtime_ns == 1_000_000_000


def test_writer_atomic_and_keeps_mode(tmp_path: Path, mali: ProfileDocument) -> None:
    path = tmp_path / "MLI.toml"
    path.write_text(SAMPLE, encoding="utf-8")
    path.chmod(0o640)
    write_profile_text(path, mali)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["MLI.toml"]
    assert path.stat().st_mode & 0o777 == 0o640


def test_writer_errors(tmp_path: Path, mali: ProfileDocument) -> None:
    with pytest.raises(FileNotFoundError):
        write_profile_text(tmp_path / "missing.toml", mali)
    broken = tmp_path / "broken.toml"
    broken.write_text("[country\nname = ", encoding="utf-8")
    with pytest.raises(ValueError):
        write_profile_text(broken, mali)
    assert broken.read_text(encoding="utf-8") == "[country\nname = "
    clash = tmp_path / "clash.toml"
    clash.write_text('profile = "not a table"\n', encoding="utf-8")
    with pytest.raises(ValueError):
        write_profile_text(clash, mali)


@settings(max_examples=150, deadline=None)
@given(
    texts=st.lists(st.text(min_size=1), min_size=1, max_size=3),
    title=st.text(),
    crlf=st.booleans(),
)
def test_writer_round_trips_any_text(
    tmp_path_factory: pytest.TempPathFactory, texts: list[str], title: str, crlf: bool
) -> None:
    profile = ProfileDocument(
        edition=2025,
        title=title,
        document=title,
        stated_scores={"criminality": 5.0},
        stated_ranks={"criminality": {"global": StatedRank(1, 190)}},
        funding=(title,),
        narrative=tuple(
            NarrativeParagraph("Criminal markets", "People", ("human_trafficking",), text)
            for text in texts
        ),
    )
    sample = SAMPLE.replace("\n", "\r\n") if crlf else SAMPLE
    path = tmp_path_factory.mktemp("any") / "X.toml"
    path.write_bytes(sample.encode("utf-8"))
    write_profile_text(path, profile)
    _check_round_trip(path, profile)
    before = path.read_bytes()
    write_profile_text(path, profile)
    assert path.read_bytes() == before
    assert before.decode("utf-8").startswith(sample)


# --- tools/attach_profile_text.py ---------------------------------------------------------


def _run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    return subprocess.run(
        [sys.executable, str(TOOL), *args], capture_output=True, text=True, env=env, check=False
    )


def test_tool_writes_profile(tmp_path: Path, mali: ProfileDocument) -> None:
    path = tmp_path / "MLI.toml"
    path.write_text(SAMPLE, encoding="utf-8")
    result = _run_tool(str(SOURCE), str(path), "--edition", "2023")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    _check_round_trip(path, mali)


@pytest.mark.parametrize("broken", ["source", "profile", "content"])
def test_tool_errors_exit_2_without_traceback(
    tmp_path: Path, source_text: str, broken: str
) -> None:
    source, profile = tmp_path / "source.txt", tmp_path / "MLI.toml"
    source.write_text(source_text, encoding="utf-8")
    profile.write_text(SAMPLE, encoding="utf-8")
    if broken == "source":
        source.unlink()
    elif broken == "profile":
        profile.unlink()
    else:
        source.write_text(source_text[:2000], encoding="utf-8")
    result = _run_tool(str(source), str(profile), "--edition", "2023")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("attach_profile_text: error: ")
    if broken == "profile":
        assert "MLI.toml" in result.stderr
    elif broken == "content":
        assert profile.read_text(encoding="utf-8") == SAMPLE
