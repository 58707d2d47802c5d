"""The start-up path stays light: no Rich, no TOML parsing, no importlib.metadata for a
warm JSON query; and the committed compiled index matches the committed profiles.
(Timings live in benchmarks/run.py, not in tests.)"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib

from ocindex import store

REPO = Path(__file__).resolve().parents[1]


def imported_modules(*args: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "ocindex", *args],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-500:]
    return {
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }


@pytest.mark.parametrize(
    "args",
    [
        ["show", "mali", "--format", "json"],
        ["market", "cocaine", "--format", "csv"],
        ["compare", "mali", "niger", "--format", "tsv"],
        ["stats", "resilience", "--by", "continent", "--group", "ecowas", "--format", "json"],
        ["movers", "criminality", "--format", "csv"],
        ["quadrant", "--since", "2021", "--format", "tsv"],
    ],
)
def test_machine_output_never_imports_rich_or_parses_toml(args: list[str]) -> None:
    modules = imported_modules(*args)
    assert any(m.startswith("ocindex.questions.") for m in modules)  # the measurement works
    assert "ocindex.core" not in modules  # the compatibility module stays off the path
    assert not {m for m in modules if m == "rich" or m.startswith("rich.")}
    assert "tomllib" not in modules and "tomli" not in modules
    assert "importlib.metadata" not in modules
    assert "openpyxl" not in modules and "tomlkit" not in modules


def test_a_table_does_import_rich() -> None:
    assert "rich.table" in imported_modules("show", "mali", "--format", "table")


def test_ruff_bans_module_level_rich_imports() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    lint = config["tool"]["ruff"]["lint"]
    assert "TID" in lint["select"]
    banned = lint["flake8-tidy-imports"]["banned-module-level-imports"]
    assert "rich" in banned
    ignores = lint["per-file-ignores"]
    allowed = [path for path, rules in ignores.items() if "TID253" in rules]
    assert [p for p in allowed if p.startswith("src/")] == ["src/ocindex/render/table.py"]


def test_committed_compiled_index_is_fresh(tmp_path: Path) -> None:
    copy = tmp_path / "data"
    shutil.copytree(REPO / "data", copy)
    before = (copy / store.COMPILED).read_bytes()
    assert store.write_compiled_index(copy) is False  # already matches the files
    assert (copy / store.COMPILED).read_bytes() == before


def test_a_stale_compiled_index_is_ignored(tmp_path: Path) -> None:
    copy = tmp_path / "data"
    shutil.copytree(REPO / "data", copy)
    path = copy / "mali.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("cocaine_trade = 6.0", "cocaine_trade = 9.0", 1),
        encoding="utf-8",
    )
    loaded = store.load(copy)
    mali = next(c for c in loaded.countries if c.iso3 == "MLI")
    assert mali.records[2021].scores["cocaine_trade"] == 9.0
