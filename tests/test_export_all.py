"""`ocindex export` and the data frames: the whole index, its ranks, types and sources."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import ocindex
from conftest import REPO
from ocindex.cli import app
from ocindex.export import LONG_COLUMNS
from ocindex.indicators import score_keys

runner = CliRunner()
EXPECTED_ROWS = 193 * len(score_keys(2021)) + 193 * len(score_keys(2023)) + 190 * 36


def run(*args: str) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result


def long_csv() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(run("export").stdout)))


def test_long_export_has_every_score_of_every_edition() -> None:
    rows = long_csv()
    assert EXPECTED_ROWS == 19578
    assert len(rows) == 19578
    assert tuple(rows[0]) == LONG_COLUMNS
    per_edition = {e: sum(1 for r in rows if r["edition"] == e) for e in ("2021", "2023", "2025")}
    assert per_edition == {"2021": 193 * 30, "2023": 193 * 36, "2025": 190 * 36}


def test_ranks_are_the_profiles_ranks() -> None:
    rows = {(r["iso3"], r["edition"], r["indicator"]): r for r in long_csv()}
    mali = rows[("MLI", "2023", "criminality")]
    assert (mali["score"], mali["rank_global"], mali["rank_continent"], mali["rank_region"]) == (
        "5.93",
        "50",
        "15",
        "3",
    )
    assert rows[("HTI", "2023", "criminality")]["rank_global"] == "50"  # tied, sharing 50th
    resilience = rows[("MLI", "2023", "resilience")]
    assert (resilience["rank_global"], resilience["rank_continent"], resilience["rank_region"]) == (
        "176",
        "45",
        "15",
    )
    assert rows[("MLI", "2023", "criminality")]["pillar"] == "composite"
    assert rows[("MLI", "2023", "cocaine_trade")]["pillar"] == "criminal_markets"


def test_every_rank_agrees_with_ocindex_rank() -> None:
    index = ocindex.load()
    expected = {e.country.iso3: e.rank for e in index.rank("cocaine", 2025).entries}
    got = {
        r["iso3"]: int(r["rank_global"])
        for r in long_csv()
        if r["edition"] == "2025" and r["indicator"] == "cocaine_trade"
    }
    assert got == expected


def test_wide_export_and_years() -> None:
    rows = list(csv.DictReader(io.StringIO(run("export", "--wide", "--year", "2021").stdout)))
    assert len(rows) == 193
    mali = next(r for r in rows if r["iso3"] == "MLI")
    assert mali["criminality"] == "5.89"
    assert mali["financial_crimes"] == ""  # not assessed in 2021
    both = run("export", "--wide", "-f", "tsv", "-y", "2023", "-y", "2025").stdout.splitlines()
    assert len(both) == 1 + 193 + 190


def test_text_formats_state_their_source() -> None:
    result = run("export", "--format", "json", "--year", "2023")
    document = json.loads(result.stdout)
    assert document["source"][0]["sha256"].startswith("764cac5f")
    assert len(document["rows"]) == 193 * 36
    first = document["rows"][0]
    assert (first["iso3"], first["indicator"], first["score"]) == ("AFG", "criminality", 7.1)
    lines = run("export", "--format", "jsonl").stdout.splitlines()
    assert len(lines) == 19578
    assert json.loads(lines[0])["iso3"] == "AFG"
    assert "SHA-256 4473ab9e" in run("export").stderr


def test_output_file_with_sidecar(tmp_path: Path) -> None:
    target = tmp_path / "ocindex.csv"
    result = run("export", "--output", str(target))
    assert result.stdout == ""
    assert len(target.read_text(encoding="utf-8").splitlines()) == 19579
    sidecar = json.loads((tmp_path / "ocindex.csv.source.json").read_text(encoding="utf-8"))
    assert [s["edition"] for s in sidecar["source"]] == [2021, 2023, 2025]
    assert sidecar["rows"] == 19578


def test_sqlite(tmp_path: Path) -> None:
    target = tmp_path / "ocindex.db"
    run("export", "--format", "sqlite", "--output", str(target))
    db = sqlite3.connect(target)
    try:
        assert db.execute("SELECT count(*) FROM scores").fetchone() == (19578,)
        assert db.execute(
            "SELECT rank_global, rank_continent, rank_region FROM scores "
            "WHERE iso3 = ? AND edition = ? AND indicator = ?",
            ("MLI", 2023, "criminality"),
        ).fetchone() == (50, 15, 3)
        indexes = {row[1] for row in db.execute("PRAGMA index_list(scores)")}
        assert {"scores_iso3", "scores_edition", "scores_indicator"} <= indexes
        assert db.execute("SELECT sha256 FROM editions WHERE edition = 2025").fetchone()[0][:8] == (
            "4473ab9e"
        )
        assert db.execute("SELECT count(*) FROM countries").fetchone() == (193,)
        hits = db.execute(
            "SELECT n.iso3, n.heading FROM narrative_fts JOIN narrative n "
            "ON n.id = narrative_fts.rowid WHERE narrative_fts MATCH ?",
            ('"armed groups" gold',),
        ).fetchall()
        assert hits and all(iso3 == "MLI" for iso3, _ in hits)
    finally:
        db.close()
    metadata = json.loads((tmp_path / "ocindex.metadata.json").read_text(encoding="utf-8"))
    assert "ocindex" in metadata["databases"]
    assert "SHA-256" in metadata["source"] and metadata["license"]


def test_parquet_types_and_metadata(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    target = tmp_path / "ocindex.parquet"
    run("export", "--format", "parquet", "--output", str(target))
    table = pq.read_table(target)
    assert table.num_rows == 19578
    types = {field.name: str(field.type) for field in table.schema}
    assert types["edition"] == "int16"
    assert types["score"] == "double"
    assert types["iso3"].startswith("dictionary<values=string")
    assert types["indicator"].startswith("dictionary<values=string")
    provenance = json.loads(table.schema.metadata[b"ocindex"])
    assert provenance["source"][1]["file"] == "global_oc_index.xlsx"


@pytest.mark.parametrize("fmt", ["sqlite", "parquet"])
def test_binary_formats_need_output(fmt: str) -> None:
    result = runner.invoke(app, ["export", "--format", fmt])
    assert result.exit_code == 2
    assert "--output" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("fmt", ["csv", "sqlite", "parquet"])
def test_output_into_a_missing_folder_leaves_nothing(tmp_path: Path, fmt: str) -> None:
    result = runner.invoke(app, ["export", "-f", fmt, "-o", str(tmp_path / "no" / "x.out")])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ocindex import export

    def broken(*_: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export, "write_parquet", broken)
    target = tmp_path / "ocindex.parquet"
    result = runner.invoke(app, ["export", "-f", "parquet", "-o", str(target)])
    assert result.exit_code == 3
    assert "No space left" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_unknown_year_is_a_usage_error() -> None:
    result = runner.invoke(app, ["export", "--year", "2019"])
    assert result.exit_code == 2
    assert "no 2019 edition" in result.stderr


def test_closed_stdout_ends_quietly() -> None:
    script = f"set +o pipefail; {sys.executable} -m ocindex export | head -1; "
    script += 'echo "status=${PIPESTATUS[0]}" >&2'
    proc = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, cwd=REPO, timeout=60, check=False
    )
    assert proc.stdout.startswith("iso3,iso2,country")
    assert "Traceback" not in proc.stderr and "status=0" in proc.stderr


# -- data frames -----------------------------------------------------------------------------


def test_pandas_frame() -> None:
    pytest.importorskip("pandas")
    index = ocindex.load()
    frame = index.to_pandas()
    assert frame.shape == (19578, len(LONG_COLUMNS))
    assert list(frame.columns) == list(LONG_COLUMNS)
    assert str(frame["edition"].dtype) == "int16"
    assert str(frame["score"].dtype) == "float64"
    assert str(frame["iso3"].dtype) == "category"
    mali = frame[
        (frame.iso3 == "MLI") & (frame.edition == 2023) & (frame.indicator == "criminality")
    ]
    assert mali[["rank_global", "rank_continent", "rank_region"]].values.tolist() == [[50, 15, 3]]
    assert frame.attrs["source"][2]["file"] == "global_oc_index_2025.csv"
    wide = index.to_pandas(wide=True)
    assert wide.shape == (193 + 193 + 190, 6 + 36)
    assert wide[(wide.iso3 == "MLI") & (wide.edition == 2021)]["financial_crimes"].isna().all()


def test_polars_frame() -> None:
    pl = pytest.importorskip("polars")
    index = ocindex.load()
    frame = index.to_polars()
    assert frame.shape == (19578, len(LONG_COLUMNS))
    assert frame.schema["edition"] == pl.Int16
    assert frame.schema["country"] == pl.Categorical
    row = frame.filter(
        (pl.col("iso3") == "MLI")
        & (pl.col("edition") == 2023)
        & (pl.col("indicator") == "resilience")
    )
    assert row.select("rank_global", "rank_continent", "rank_region").rows() == [(176, 45, 15)]
    assert index.to_polars(wide=True, years=[2025]).height == 190
    assert index.export_sources([2025])[0]["countries"] == 190


def test_missing_extra_is_an_import_error_naming_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # `import pandas` now fails
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    index = ocindex.load()
    with pytest.raises(ImportError, match=r'pip install "ocindex\[pandas\]"'):
        index.to_pandas()
    result = runner.invoke(app, ["export", "-f", "parquet", "-o", "x.parquet"])
    assert result.exit_code == 2
    assert 'pip install "ocindex[parquet]"' in result.stderr


def test_frames_do_not_load_on_the_query_path() -> None:
    code = (
        "import sys, ocindex.cli, ocindex.index, ocindex.export, ocindex.join; "
        "print(sorted(m for m in ('pandas', 'polars', 'pyarrow', 'mcp') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert out.stdout.strip() == "[]"
