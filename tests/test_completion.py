"""Shell completion offers countries, indicators and editions, from the compiled index."""

import subprocess
import sys
from pathlib import Path

import pytest

from ocindex import completion

ENV_BASE = {"_OCINDEX_COMPLETE": "complete_bash"}


def complete(words: str, tmp_path: Path) -> list[str]:
    import os

    env = {
        **os.environ,
        **ENV_BASE,
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
        "OCINDEX_CACHE_DIR": str(tmp_path / "cache"),
    }
    result = subprocess.run(
        [sys.executable, "-c", "from ocindex.cli import main; main()"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_countries_complete(tmp_path: Path) -> None:
    found = complete("ocindex show mal", tmp_path)
    assert "mali" in found and "malawi" in found and "malta" in found
    assert "niger" not in found


def test_indicators_and_short_forms_complete(tmp_path: Path) -> None:
    found = complete("ocindex rank coc", tmp_path)
    assert found == ["cocaine_trade", "cocaine"]


def test_editions_complete(tmp_path: Path) -> None:
    assert complete("ocindex show mali --year 20", tmp_path) == ["2021", "2023", "2025"]


def test_commands_complete(tmp_path: Path) -> None:
    assert "show" in complete("ocindex sh", tmp_path)


def test_library_functions() -> None:
    assert ("civ", "Côte d'Ivoire") in completion.countries("ci")
    assert ("aml", "Anti-money laundering") in completion.indicators("am")
    assert completion.editions("2025") == ["2025"]


def test_completion_never_fails_loudly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OCINDEX_DATA_DIR", str(tmp_path / "missing"))
    assert completion.countries("ma") == []
    assert completion.editions("") == []


def test_show_completion_prints_a_script() -> None:
    import os

    env = {**os.environ, "SHELL": "/bin/bash"}
    result = subprocess.run(
        [sys.executable, "-m", "ocindex", "--show-completion", "bash"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0
    assert "_OCINDEX_COMPLETE" in result.stdout


def test_every_country_argument_and_place_option_completes(tmp_path: Path) -> None:
    for words in (
        "ocindex cite mal",
        "ocindex verify-scores mal",
        "ocindex search gold --country mal",
        "ocindex compare niger mal",
    ):
        assert "mali" in complete(words, tmp_path), words
    assert complete("ocindex rank cocaine --continent af", tmp_path) == ["africa"]
    assert completion.places("West", "region")[0] == "West Africa"  # (the shell splits it)


def test_codes_in_capitals_complete(tmp_path: Path) -> None:
    assert complete("ocindex show MLI", tmp_path) == ["MLI"]
    assert "MLI" in complete("ocindex show ML", tmp_path)


def test_pillar_commands_complete_only_their_pillar(tmp_path: Path) -> None:
    found = complete("ocindex market co", tmp_path)
    assert "cocaine" in found and "counterfeit" in found
    assert "international_cooperation" not in found and "cooperation" not in found
    assert "aml" in complete("ocindex resilience am", tmp_path)
    assert complete("ocindex actor coc", tmp_path) == []
