"""`ocindex import PROFILE.pdf|PROFILE.txt`, on PDFs these tests build themselves."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from conftest import REFERENCE_PROFILE, snapshot
from helpers_queries import as_json, ok, run, tsv
from ocindex.figures import ordinal
from ocindex.index import Index
from ocindex.indicators import BY_KEY, snake_case
from ocindex.profile_document import pdf_lines_to_text
from pdf_builder import build_profile_pdf, wrap

REFERENCE = REFERENCE_PROFILE.read_text(encoding="utf-8")


def without_profile(data_dir: Path, slug: str) -> bytes:
    """Remove the `[profile.*]` tables of a profile file; return its original bytes."""
    path = data_dir / f"{slug}.toml"
    original = path.read_bytes()
    text = original.decode("utf-8")
    path.write_text(text[: text.index("\n[profile.")].rstrip("\n") + "\n", encoding="utf-8")
    return original


def import_(document: Path, data_dir: Path, *extra: str) -> object:
    return run("import", str(document), "--data-dir", str(data_dir), *extra)


def test_the_reference_profile_imports_from_pdf_to_the_same_28_paragraphs(
    data_copy: Path, tmp_path: Path
) -> None:
    shipped = without_profile(data_copy, "mali")
    pdf = build_profile_pdf(REFERENCE, tmp_path / "ocindex_profile_mali_2023.pdf")
    result = import_(pdf, data_copy)
    assert result.exit_code == 0, result.stderr
    assert "Mali 2023, 28 paragraphs, 36 stated scores" in result.stderr
    assert (data_copy / "mali.toml").read_bytes() == shipped
    again = import_(pdf, data_copy)
    assert again.exit_code == 0 and "unchanged" in again.stderr


def test_the_reference_text_imports_with_its_edition(data_copy: Path) -> None:
    shipped = without_profile(data_copy, "mali")
    refused = import_(REFERENCE_PROFILE, data_copy)
    assert refused.exit_code == 2 and "cannot tell the edition" in refused.stderr
    result = import_(REFERENCE_PROFILE, data_copy, "--edition", "2023")
    assert result.exit_code == 0, result.stderr
    assert (data_copy / "mali.toml").read_bytes() == shipped
    rows = tsv(ok("show", "mali", "--text", "--data-dir", str(data_copy)).stdout)
    assert len([r for r in rows if r["section"] != "Funding"]) == 28


def test_the_pdf_really_has_the_conditions_of_a_real_one(tmp_path: Path) -> None:
    from ocindex.profile_document import extract_pdf_lines

    pdf = build_profile_pdf(REFERENCE, tmp_path / "ocindex_profile_mali_2023.pdf")
    pages = extract_pdf_lines(pdf)
    lines = [" ".join(line.split()) for page in pages for line in page]
    assert len(pages) >= 4
    assert sum(line.endswith("-") and line[-2].isalpha() for line in lines) >= 5  # hyphenated
    assert sum(
        line == "Funding provided by the United States Government." for line in lines
    ) == len(pages)  # the footer on every page
    assert sum(line == "MALI" for line in lines) >= len(pages)  # the running header
    assert any(
        re.match(r"^HUMAN TRAFFICKING {2,}7\.50$", line.strip()) for p in pages for line in p
    )
    # paragraphs run on from one page to the next (no sentence end before the footer)
    cut = 0
    for page in pages:
        body = [" ".join(x.split()) for x in page]
        body = [x for x in body if x and not x.isdigit()]
        footer = body.index("Funding provided by the United States Government.")
        cut += footer > 0 and not body[footer - 1].endswith((".", "0"))
    assert cut >= 2


# -- a second country, derived from the reference -----------------------------------------------


def derive(country: str, text: str = REFERENCE) -> str:
    """The reference profile rewritten for another West African country of the 2023 data:
    its name, every stated score and every stated rank changed consistently."""
    index = Index.load()
    target = index.country(country)
    record = target.records[2023]
    scores = record.scores
    name = target.name
    out: list[str] = []
    lines = text.splitlines()
    ranks: list[str] = []
    for number, line in enumerate(lines):
        bare = re.sub(r"\*\*|</?u>", "", line).strip()
        if re.fullmatch(r"\d{1,2}\.\d{2}", bare):
            label = next(x.strip() for x in lines[number + 1 :] if x.strip())
            key = snake_case(label.removesuffix(" SCORE"))
            line = line.replace(bare, f"{scores[key]:.2f}")
            positions = index.positions(target, key, 2023)
            ranks = [
                f"{ordinal(positions['global'].rank)} of {positions['global'].of} countries",
                f"{ordinal(positions['continent'].rank)} of {positions['continent'].of} "
                "African countries",
                f"{ordinal(positions['region'].rank)} of {positions['region'].of} "
                "West African countries",
            ]
        elif re.fullmatch(r"\d+(st|nd|rd|th) of \d+ .*countries", bare) and ranks:
            line = ranks.pop(0)
        elif match := re.fullmatch(r"(.+?)\s+(\d{1,2}\.\d{2})", bare):
            key = snake_case(match.group(1).replace("&", " and "))
            line = line.replace(match.group(2), f"{scores[key]:.2f}")
        else:
            line = line.replace("MALI", name.upper()).replace("Malian", name + "an")
            line = re.sub(r"\bMali\b", name, line)
        out.append(line)
    return "\n".join(out) + "\n"


def test_a_second_country_derived_from_the_reference(data_copy: Path, tmp_path: Path) -> None:
    text = derive("niger")
    assert "5.93" not in text.split("CRIMINALITY")[0] and "NIGER" in text
    pdf = build_profile_pdf(text, tmp_path / "ocindex_profile_niger_2023.pdf")
    result = import_(pdf, data_copy)
    assert result.exit_code == 0, result.stderr
    assert "Niger 2023, 28 paragraphs" in result.stderr
    out = as_json(
        ok("show", "niger", "--text", "--format", "json", "--data-dir", str(data_copy)).stdout
    )
    assert len(out["narrative"]) == 28
    assert "Mali" not in " ".join(p["text"] for p in out["narrative"][:1])
    verified = run("verify-scores", "--data-dir", str(data_copy))
    assert verified.exit_code == 0, verified.stderr
    assert "12 stated ranks, 72 stated scores" in verified.stderr
    listed = tsv(ok("list", "profiles", "--data-dir", str(data_copy)).stdout)
    assert [(r["iso3"], r["edition"]) for r in listed] == [("MLI", "2023"), ("NER", "2023")]
    found = tsv(ok("search", "tramadol", "--data-dir", str(data_copy)).stdout)
    assert {r["iso3"] for r in found} == {"MLI", "NER"}


# -- refusals: nothing written -------------------------------------------------------------------


def refused(
    document: Path, data_dir: Path, code: int, *expected: str, extra: tuple[str, ...] = ()
) -> None:
    before = snapshot(data_dir)
    result = import_(document, data_dir, *extra)
    assert result.exit_code == code, (result.exit_code, result.stderr)
    for part in expected:
        assert part in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(data_dir) == before


def test_documents_the_data_cannot_take_are_refused(data_copy: Path, tmp_path: Path) -> None:
    mali = REFERENCE
    (tmp_path / "ocindex_profile_mali_2019.txt").write_text(mali, encoding="utf-8")
    refused(tmp_path / "ocindex_profile_mali_2019.txt", data_copy, 3, "no 2019 edition")
    (tmp_path / "ocindex_profile_niger_2023.txt").write_text(mali, encoding="utf-8")
    refused(tmp_path / "ocindex_profile_niger_2023.txt", data_copy, 3, "profile of Mali")
    narnia = mali.replace("MALI", "NARNIA")
    (tmp_path / "ocindex_profile_narnia_2023.txt").write_text(narnia, encoding="utf-8")
    refused(
        tmp_path / "ocindex_profile_narnia_2023.txt", data_copy, 3, "'Narnia' is not in the data"
    )
    wrong = mali.replace("HUMAN TRAFFICKING\t7.50", "HUMAN TRAFFICKING\t3.50")
    (tmp_path / "ocindex_profile_mali_2023.txt").write_text(wrong, encoding="utf-8")
    refused(
        tmp_path / "ocindex_profile_mali_2023.txt",
        data_copy,
        3,
        "human_trafficking 3.5 (data: 7.5)",
    )
    (tmp_path / "site").mkdir()
    named = tmp_path / "site" / "ocindex_profile_mali_2023.txt"
    named.write_text(mali, encoding="utf-8")
    refused(named, data_copy, 2, "--edition 2021 disagrees", extra=("--edition", "2021"))
    (tmp_path / "profile.docx").write_text("x", encoding="utf-8")
    refused(tmp_path / "profile.docx", data_copy, 2, "unknown file type")


def test_an_unknown_layout_is_refused_naming_what_is_missing(
    data_copy: Path, tmp_path: Path
) -> None:
    truncated = REFERENCE[: REFERENCE.rindex("\nRESILIENCE\n")]  # the last section lost
    pdf = build_profile_pdf(truncated, tmp_path / "ocindex_profile_mali_2023.pdf")
    refused(pdf, data_copy, 3, "missing narrative section")
    no_scores = "\n".join(line for line in REFERENCE.splitlines() if "\t" not in line)
    pdf = build_profile_pdf(no_scores, tmp_path / "ocindex_profile_mali_2023.pdf")
    refused(pdf, data_copy, 3, "missing stated scores")
    (tmp_path / "ocindex_profile_mali_2023.pdf").write_bytes(b"%PDF-1.4 not really")
    refused(tmp_path / "ocindex_profile_mali_2023.pdf", data_copy, 3, "not a readable PDF")


def test_without_the_pdf_extra_the_message_names_it(
    data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = build_profile_pdf(REFERENCE, tmp_path / "ocindex_profile_mali_2023.pdf")
    monkeypatch.setitem(sys.modules, "pypdf", None)
    refused(pdf, data_copy, 2, "ocindex[pdf]")


# -- the PDF text rules, line by line -------------------------------------------------------------


def test_rejoining_rules() -> None:
    pages = [
        [
            "MALI",
            "",
            "CRIMINALITY",
            "",
            "CRIMINAL MARKETS",
            "",
            "PEOPLE",
            "",
            "The non-",
            "state actors and the signifi-",
            "cant traffic of the",
            "3",
        ],
        ["MALI", "", "Malian forces, the armed groups.", "", "Funding provided by X.", "4"],
    ]
    text = pdf_lines_to_text(pages)
    assert (
        "The non-state actors and the significant traffic of the Malian forces, the armed groups."
        in text
    )
    assert "\n3\n" not in text and "\n4\n" not in text
    assert "Funding provided by X." in text
    assert wrap("a " * 100)  # the builder wraps
    same_page = [["MALI", "", "PEOPLE", "", "An unfinished line", "", "Another paragraph."]]
    lines = pdf_lines_to_text(same_page).splitlines()
    assert "An unfinished line" in lines and "Another paragraph." in lines  # never joined


def test_verify_ranks_each_scope_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stated ranks are checked from one ranking per edition, score and scope."""
    import ocindex.lookup as index_module

    calls = 0
    real = index_module.competition_ranks

    def counting(*args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(index_module, "competition_ranks", counting)
    index = Index.load()
    for country in index.countries:
        for scope in ("global", "continent", "region"):
            index.position(country, "criminality", 2023, scope)
    assert calls <= 1 + 5 + 21  # the world, 5 continents, 21 regions
    assert BY_KEY["criminality"]


def test_verify_with_a_profile_for_every_country_ranks_once_per_scope(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every stated rank of 193 profiles is checked from 2 scores x 27 scopes of rankings."""
    import ocindex.lookup as index_module

    shipped = Index.load()
    document = shipped.country("mali").documents[2023]
    everyone = [c._replace(documents={2023: document}) for c in shipped.countries]
    index = Index(shipped.manifest, everyone, shipped.data_dir, presorted=True)
    calls = 0
    real = index_module.competition_ranks

    def counting(*args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(index_module, "competition_ranks", counting)
    report = index.verify(year=2023)
    assert report.stated_ranks == 193 * 6
    assert calls <= 2 * (1 + 5 + 21)
    mali = [d for d in report.discrepancies if d.iso3 == "MLI"]
    assert mali == []  # Mali's own profile still agrees; the copies elsewhere do not
