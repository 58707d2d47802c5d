"""`ocindex verify-scores` and `ocindex import` through the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from conftest import DATA, SAMPLE, MakeDataset, load_toml, snapshot
from ocindex.cli import app
from ocindex.errors import DataError

SUMMARY = (
    "Checked 193 countries, 3 editions (2021, 2023, 2025), 2304 composites, "
    "6 stated ranks, 36 stated scores: all consistent."
)
"""Mali's 2023 profile (`[profile.2023]` in data/mali.toml) states 36 scores and 6 ranks
(criminality and resilience, each in three scopes)."""
MALI_2023_SCORES = "[editions.2023.scores]\ncriminality = 5.93\ncriminal_markets = 6.47\n"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def assert_clean_error(result: Result, code: int) -> str:
    """An expected failure: the exit code, one or two lines on stderr, no traceback."""
    assert result.exit_code == code, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert 1 <= len(lines) <= 2, result.stderr
    assert lines[0].startswith("ocindex: ")
    assert "Traceback" not in result.stderr
    # CliRunner keeps any exception that escaped the error boundary (a traceback for users).
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.stderr


def tamper(data: Path) -> None:
    """Mali 2023: human trafficking 7.5 -> 9.5, composites left as published.

    Besides the two composites it moves, the indicator no longer matches the 7.5 that
    Mali's 2023 profile states (`[profile.2023.stated_scores]`).
    """
    path = data / "mali.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index(MALI_2023_SCORES)
    at = text.index("human_trafficking = 7.5\n", start)
    assert at < text.index("[editions.2025]")
    path.write_text(text[:at] + "human_trafficking = 9.5\n" + text[at + 24 :], encoding="utf-8")


# -- verify-scores -------------------------------------------------------------------------


def test_verify_scores_on_the_shipped_data() -> None:
    result = run("verify-scores")
    assert result.exit_code == 0, result.output
    # Piped (not a terminal): TSV on stdout, the summary on stderr.
    assert result.stdout == "iso3\tcountry\tedition\titem\tpublished\trecomputed\n"
    assert result.stderr == SUMMARY + "\n"


def test_verify_scores_as_a_table() -> None:
    result = run("verify-scores", "--format", "table")
    assert result.exit_code == 0, result.output
    assert SUMMARY in result.stdout
    assert result.stderr == ""


def test_verify_scores_json_shape() -> None:
    result = run("verify-scores", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    manifest = load_toml(DATA / "editions.toml")["editions"]
    assert report == {
        "checked": {
            "countries": 193,
            "editions": [2021, 2023, 2025],
            "composites": 2304,
            "stated_ranks": 6,
            "stated_scores": 36,
        },
        "consistent": True,
        "source": [
            {"edition": int(year), **entry, **(PROVENANCE if year == "2025" else {})}
            for year, entry in sorted(manifest.items())
        ],
        "discrepancies": [],
    }
    assert [s["countries"] for s in report["source"]] == [193, 193, 190]


PROVENANCE = {
    "provenance": "a public transcription of the 2025 edition (cross-checked against GI-TOC's "
    "official file where they overlap), not GI-TOC's own workbook"
}


def test_verify_scores_for_one_country_and_edition() -> None:
    result = run("verify-scores", "Mali", "--year", "2023", "-f", "json")
    assert result.exit_code == 0, result.output
    checked = json.loads(result.stdout)["checked"]
    assert checked == {
        "countries": 1,
        "editions": [2023],
        "composites": 4,
        "stated_ranks": 6,
        "stated_scores": 36,
    }
    result = run("verify-scores", "Niger", "--year", "2023", "-f", "json")
    checked = json.loads(result.stdout)["checked"]
    assert (checked["stated_ranks"], checked["stated_scores"]) == (0, 0)  # no profile table


def test_explain_mali_2023() -> None:
    result = run("verify-scores", "--explain", "mali", "--year", "2023", "--format", "table")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Mali 2023: the arithmetic" in out
    assert "97 / 15" in out
    assert "27 / 5" in out
    assert "6.47" in out
    assert "5.93" in out
    assert "(6.47 + 5.40) / 2 = 5.935 → 5.94" in out
    assert "not the published 5.93" in out
    assert "MISMATCH" not in out
    assert "Checked 1 country, 1 edition (2023), 4 composites" in out


def test_explain_as_json() -> None:
    result = run("verify-scores", "mali", "--explain", "mali", "--year", "2023", "-f", "json")
    assert result.exit_code == 0, result.output
    (explanation,) = json.loads(result.stdout)["explanations"]
    assert (explanation["iso3"], explanation["edition"]) == ("MLI", 2023)
    steps = {step["item"]: step for step in explanation["steps"]}
    assert steps["Criminal markets"]["formula"] == "97 / 15 indicators"
    assert steps["Criminal markets"]["rounded"] == 6.47  # numbers are JSON numbers
    assert steps["Criminal markets"]["fraction"] == "97/15"
    assert steps["Criminality"]["rounded"] == 5.93
    assert steps["Criminality"]["published"] == 5.93
    assert all(step["ok"] for step in explanation["steps"])
    assert any("5.935 → 5.94" in note for note in explanation["notes"])


def test_a_tampered_score_is_reported(data_copy: Path) -> None:
    tamper(data_copy)
    result = run("verify-scores", "--data-dir", data_copy)
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() == [
        "iso3\tcountry\tedition\titem\tpublished\trecomputed",
        "MLI\tMali\t2023\tcriminality\t5.93\t6.00",
        "MLI\tMali\t2023\tcriminal_markets\t6.47\t6.60",
        "MLI\tMali\t2023\thuman_trafficking as stated in the profile, vs the data\t7.50\t9.50",
    ]
    assert "3 discrepancies" in result.stderr


def test_a_tampered_score_in_a_table(data_copy: Path) -> None:
    tamper(data_copy)
    result = run("verify-scores", "--data-dir", data_copy, "--format", "table")
    assert result.exit_code == 1, result.output
    cells = [
        [cell.strip() for cell in line.split("│")[1:-1]]
        for line in result.stdout.splitlines()
        if "Mali" in line
    ]
    assert cells == [
        ["Mali", "MLI", "2023", "criminality", "5.93", "6.00"],
        ["Mali", "MLI", "2023", "criminal_markets", "6.47", "6.60"],
        [
            "Mali",
            "MLI",
            "2023",
            "human_trafficking as stated in the profile, vs the data",
            "7.50",
            "9.50",
        ],
    ]
    assert "3 discrepancies" in result.stdout


def test_a_tampered_score_as_json(data_copy: Path) -> None:
    tamper(data_copy)
    result = run("verify-scores", "--data-dir", data_copy, "-f", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["consistent"] is False
    assert report["checked"]["composites"] == 2304
    assert report["discrepancies"] == [
        {
            "iso3": "MLI",
            "country": "Mali",
            "edition": 2023,
            "item": "criminality",
            "published": "5.93",
            "recomputed": "6.00",
        },
        {
            "iso3": "MLI",
            "country": "Mali",
            "edition": 2023,
            "item": "criminal_markets",
            "published": "6.47",
            "recomputed": "6.60",
        },
        {
            "iso3": "MLI",
            "country": "Mali",
            "edition": 2023,
            "item": "human_trafficking as stated in the profile, vs the data",
            "published": "7.50",
            "recomputed": "9.50",
        },
    ]


def test_a_tampered_score_is_explained(data_copy: Path) -> None:
    tamper(data_copy)
    result = run("verify-scores", "--data-dir", data_copy, "--explain", "Mali", "-y", "2023")
    assert result.exit_code == 1
    result = run(
        "verify-scores", "--data-dir", data_copy, "--explain", "Mali", "-y", "2023", "-f", "table"
    )
    assert "99 / 15" in result.stdout
    assert "MISMATCH" in result.stdout


def test_the_data_directory_from_the_environment(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tamper(data_copy)
    monkeypatch.setenv("OCINDEX_DATA_DIR", str(data_copy))
    assert run("verify-scores").exit_code == 1


def test_a_malformed_profile_is_a_clean_error(data_copy: Path) -> None:
    path = data_copy / "niger.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("[country]", "[country"))
    result = run("verify-scores", "--data-dir", data_copy)
    stderr = assert_clean_error(result, 3)
    assert str(path) in stderr
    assert "invalid TOML" in stderr
    assert "line 4" in stderr


def test_an_invalid_profile_is_a_clean_error(data_copy: Path) -> None:
    path = data_copy / "mali.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("criminal_markets = 6.47", "criminal_markets = 64.7"))
    stderr = assert_clean_error(run("verify-scores", "--data-dir", data_copy), 3)
    assert f"{path}: editions.2023.scores.criminal_markets: 64.7 is outside 1-10" in stderr


def test_a_missing_data_directory_is_a_clean_error(tmp_path: Path) -> None:
    stderr = assert_clean_error(run("verify-scores", "--data-dir", tmp_path / "none"), 3)
    assert "data directory not found" in stderr


def test_debug_mode_reraises(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (data_copy / "editions.toml").unlink()
    monkeypatch.setenv("OCINDEX_DEBUG", "1")
    result = run("verify-scores", "--data-dir", data_copy)
    assert isinstance(result.exception, DataError)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["verify-scores", "Atlantis"], "unknown country 'Atlantis'"),
        (["verify-scores", "--year", "2019"], "no 2019 edition in the data"),
        (["verify-scores", "--explain", "Congo"], "ambiguous"),
        (["verify-scores", "--format", "xml"], "xml"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    stderr = assert_clean_error(run(*args), 2)
    assert message in stderr


# -- import --------------------------------------------------------------------------------


def test_import_a_csv_into_a_new_directory(make_dataset: MakeDataset, tmp_path: Path) -> None:
    target = tmp_path / "mine"
    result = run("import", make_dataset(), "--data-dir", target)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "sample_2025.csv: 5 countries for 2025" in result.stderr
    assert f"{target}: 5 created, 0 updated, 0 unchanged; manifest updated" in result.stderr
    assert sorted(p.name for p in target.iterdir()) == [
        "congo-dem-rep.toml",
        "editions.toml",
        "ghana.toml",
        "mali.toml",
        "niger.toml",
        "st-kitts-and-nevis.toml",
    ]
    verified = run("verify-scores", "--data-dir", target, "-f", "json")
    assert verified.exit_code == 0
    assert json.loads(verified.stdout)["checked"]["countries"] == 5


def test_import_the_official_csv(shared_data: Path, tmp_path: Path) -> None:
    result = run("import", shared_data / "global_oc_index_2025.csv", "--data-dir", tmp_path)
    assert result.exit_code == 0, result.output
    assert "190 created" in result.stderr
    assert len(list(tmp_path.glob("*.toml"))) == 191


def test_import_with_an_unknown_name_writes_nothing(
    make_dataset: MakeDataset, data_copy: Path, tmp_path: Path
) -> None:
    countries = [*SAMPLE[:2], ("GHA", "Ghanna", "Africa", "West Africa")]
    source = make_dataset(countries=countries, iso3_column=False)
    before = snapshot(data_copy)
    stderr = assert_clean_error(run("import", source, "--data-dir", data_copy), 3)
    assert "'Ghanna'" in stderr
    assert "nothing written" in stderr
    assert snapshot(data_copy) == before
    assert_clean_error(run("import", source, "--data-dir", tmp_path / "new"), 3)
    assert not (tmp_path / "new").exists()


def test_import_of_an_impossible_score_writes_nothing(
    make_dataset: MakeDataset, tmp_path: Path
) -> None:
    source = make_dataset(overrides={("MLI", "cocaine_trade"): 4.25})
    stderr = assert_clean_error(run("import", source, "--data-dir", tmp_path / "new"), 3)
    assert "row 2 (Mali): Cocaine trade: 4.25 is not a step of 0.5" in stderr
    assert not (tmp_path / "new").exists()


def test_import_into_an_unwritable_place(make_dataset: MakeDataset, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    stderr = assert_clean_error(run("import", make_dataset(), "--data-dir", blocker / "d"), 3)
    assert "cannot write" in stderr


def test_import_needs_an_edition_for_a_csv_without_a_year(
    make_dataset: MakeDataset, tmp_path: Path
) -> None:
    source = make_dataset("latest.csv")
    stderr = assert_clean_error(run("import", source, "--data-dir", tmp_path / "d"), 2)
    assert "--edition" in stderr
    result = run("import", source, "--edition", "2025", "--data-dir", tmp_path / "d")
    assert result.exit_code == 0, result.output


def test_import_of_excel_without_openpyxl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "global_oc_index.xlsx"
    source.write_bytes(b"PK")
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    stderr = assert_clean_error(run("import", source, "--data-dir", tmp_path / "d"), 2)
    assert "pip install 'ocindex[xlsx]'" in stderr


def test_import_of_a_missing_file(tmp_path: Path) -> None:
    stderr = assert_clean_error(
        run("import", tmp_path / "nope_2025.csv", "--data-dir", tmp_path / "d"), 3
    )
    assert "cannot read" in stderr


def test_explain_names_every_country_it_explains_and_checks() -> None:
    result = run("verify-scores", "--explain", "mali", "niger", "--year", "2023", "-f", "json")
    data = json.loads(result.stdout)
    assert [e["iso3"] for e in data["explanations"]] == ["MLI", "NER"]
    assert data["checked"]["countries"] == 2


def test_explain_reaches_piped_output() -> None:
    result = run("verify-scores", "--explain", "mali", "--year", "2023")
    lines = result.stdout.splitlines()
    assert lines[0].split("\t") == [
        "iso3",
        "country",
        "edition",
        "item",
        "formula",
        "exact",
        "fraction",
        "rounded",
        "published",
        "ok",
    ]
    assert "MLI\tMali\t2023\tCriminality\t" in result.stdout
    assert "89/15\t5.93\t5.93\ttrue" in result.stdout


def test_explain_needs_countries() -> None:
    result = run("verify-scores", "--explain")
    assert result.exit_code == 2
    assert "--explain needs the countries" in result.stderr
