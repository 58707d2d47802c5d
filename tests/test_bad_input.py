"""The bad-input catalogue: every case gets one or two lines on stderr, the documented exit
code, no traceback, and leaves the data directory untouched."""

import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import REPO, snapshot
from ocindex.cli import app
from ocindex.index import Index


def unship(data_copy: Path) -> None:
    """Make a copy of the shipped data differ from it (so the package's index is not used)."""
    path = data_copy / "zimbabwe.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")


runner = CliRunner()


def fails(args: list[str], code: int, *needles: str) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == code, (args, result.output)
    message = result.stderr
    assert "Traceback" not in result.output + message
    assert 1 <= len(message.strip().splitlines()) <= 2, message
    assert message.startswith("ocindex: ")
    for needle in needles:
        assert needle in message, (needle, message)
    assert result.stdout == ""
    return message


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("", "no country given"),
        ("   ", "no country given"),
        ("x" * 100_000, "input too long"),
        ("\x00\x01\x02\xff", "unknown country"),
        ("🦜🦜", "unknown country"),
        ("Z\u0308\u0301\u200b", "unknown country"),
        ("../../etc/passwd", "unknown country"),
        ("/tmp/x", "unknown country"),
        ("nigr", "did you mean 'Niger' or 'Nigeria'?"),
        ("congo", "ambiguous"),
    ],
)
def test_bad_country_names(name: str, needle: str) -> None:
    fails(["show", name], 2, needle)


def test_a_long_name_is_cut_in_the_message() -> None:
    message = fails(["show", "y" * 100_000], 2)
    assert len(message) < 400


def test_unknown_indicator_suggests() -> None:
    fails(["rank", "cocaien"], 2, "did you mean", "cocaine_trade")


def test_indicator_of_another_pillar() -> None:
    fails(["market", "aml"], 2, "aml")


@pytest.mark.parametrize("year", ["2019", "2031", "1999"])
def test_unknown_or_future_year(year: str) -> None:
    fails(["show", "mali", "--year", year], 2, f"no {year} edition", "2021, 2023, 2025")


def test_not_a_year() -> None:
    result = runner.invoke(app, ["show", "mali", "--year", "soon"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_indicator_not_assessed_in_that_edition() -> None:
    fails(["rank", "financial", "--year", "2021"], 2, "not assessed in 2021")
    index = Index.load()
    with pytest.raises(Exception, match="not assessed in 2021"):
        index.score("mali", "financial_crimes", 2021)


def test_country_missing_from_an_edition() -> None:
    fails(["show", "st lucia", "--year", "2025"], 2, "St. Lucia has no 2025 scores")


def test_malformed_toml(data_copy: Path) -> None:
    (data_copy / "mali.toml").write_text("[country\nname = 'Mali'\n", encoding="utf-8")
    fails(["show", "niger", "--data-dir", str(data_copy)], 3, "mali.toml", "line 1")


def test_missing_field(data_copy: Path) -> None:
    path = data_copy / "mali.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('iso3 = "MLI"\n', ""), "utf-8")
    fails(["show", "niger", "--data-dir", str(data_copy)], 3, "mali.toml", "country.iso3")


@pytest.mark.parametrize(("value", "needle"), [("11.0", "outside 1-10"), ("4.25", "step of 0.5")])
def test_out_of_range_or_off_step_score(data_copy: Path, value: str, needle: str) -> None:
    path = data_copy / "mali.toml"
    text = path.read_text(encoding="utf-8").replace(
        "cocaine_trade = 6.0", f"cocaine_trade = {value}"
    )
    path.write_text(text, encoding="utf-8")
    fails(["show", "mali", "--data-dir", str(data_copy)], 3, "mali.toml", needle)


def test_duplicate_iso3(data_copy: Path) -> None:
    shutil.copy(data_copy / "mali.toml", data_copy / "mali-again.toml")
    result = runner.invoke(app, ["validate", "--data-dir", str(data_copy)])
    assert result.exit_code == 3
    assert "MLI is also in" in result.stdout


def test_non_utf8_file(data_copy: Path) -> None:
    (data_copy / "zz.toml").write_bytes(b"name = '\xff\xfe'\n")
    fails(["show", "mali", "--data-dir", str(data_copy)], 3, "zz.toml", "not UTF-8")


def test_empty_and_missing_data_directories(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    fails(["show", "mali", "--data-dir", str(empty)], 3, "no profiles")
    fails(["show", "mali", "--data-dir", str(tmp_path / "nowhere")], 3, "not found")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read anything")
def test_unreadable_data_directory(data_copy: Path) -> None:  # pragma: no cover - root here
    data_copy.chmod(0)
    try:
        fails(["show", "mali", "--data-dir", str(data_copy)], 3)
    finally:
        data_copy.chmod(stat.S_IRWXU)


def test_unreadable_file_is_a_data_error(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    target = str(data_copy / "mali.toml")
    original = os.open

    def refuse(path: object, *args: object, **kwargs: object) -> int:
        if str(path) == target:
            raise PermissionError(13, "Permission denied", target)
        return original(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refuse)
    fails(["show", "niger", "--data-dir", str(data_copy)], 3, "mali.toml", "Permission denied")


def test_queries_never_change_the_data_directory(data_copy: Path) -> None:
    before = snapshot(data_copy)
    for args in (
        ["show", "mali", "--text"],
        ["market", "cocaine", "--text"],
        ["compare", "mali", "niger"],
        ["trend", "mali"],
        ["search", "gold"],
        ["list", "countries"],
        ["verify-scores"],
        ["validate"],
        ["show", "nowhere"],
    ):
        runner.invoke(app, [*args, "--data-dir", str(data_copy)])
    # also when the compiled index is stale and the files must be parsed
    path = data_copy / "niger.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    before = snapshot(data_copy)
    assert runner.invoke(app, ["show", "niger", "--data-dir", str(data_copy)]).exit_code == 0
    assert snapshot(data_copy) == before


def test_corrupted_cache_is_rebuilt_quietly(data_copy: Path, cache_dir: Path) -> None:
    unship(data_copy)  # force the user cache
    assert runner.invoke(app, ["show", "mali", "--data-dir", str(data_copy)]).exit_code == 0
    caches = list(cache_dir.glob("index-*.json"))
    assert len(caches) == 1
    caches[0].write_bytes(b"\x00garbage{")
    result = runner.invoke(app, ["show", "mali", "--data-dir", str(data_copy)])
    assert result.exit_code == 0
    assert result.stderr == ""
    seal, _, body = caches[0].read_bytes().partition(b"\n")
    assert len(seal) == 64 and body.startswith(b"{")


def test_cache_from_an_older_version_is_rebuilt(data_copy: Path, cache_dir: Path) -> None:
    unship(data_copy)
    assert runner.invoke(app, ["show", "mali", "--data-dir", str(data_copy)]).exit_code == 0
    cache = next(cache_dir.glob("index-*.json"))
    cache.write_text('{"format": 1, "fingerprint": "old", "profiles": {}}', encoding="utf-8")
    result = runner.invoke(app, ["show", "mali", "--data-dir", str(data_copy), "-f", "json"])
    assert result.exit_code == 0
    assert '"iso3": "MLI"' in result.stdout


def test_read_only_cache_location_still_works(
    data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache directory should be", encoding="utf-8")
    monkeypatch.setenv("OCINDEX_CACHE_DIR", str(blocker / "cache"))
    unship(data_copy)
    result = runner.invoke(app, ["show", "mali", "--data-dir", str(data_copy)])
    assert result.exit_code == 0
    assert result.stderr == ""


def test_two_processes_building_the_cache_at_once(data_copy: Path, tmp_path: Path) -> None:
    unship(data_copy)
    env = {**os.environ, "OCINDEX_CACHE_DIR": str(tmp_path / "shared-cache")}
    command = [sys.executable, "-m", "ocindex", "show", "mali", "-f", "json", "--data-dir"]
    results: list[subprocess.CompletedProcess[str]] = []

    def run() -> None:
        results.append(
            subprocess.run([*command, str(data_copy)], capture_output=True, text=True, env=env)
        )

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.returncode for r in results] == [0, 0, 0, 0]
    assert all('"iso3": "MLI"' in r.stdout for r in results)
    cache_dir = tmp_path / "shared-cache"
    assert not [p for p in cache_dir.iterdir() if p.name.startswith(".")]  # no torn temp files
    again = subprocess.run([*command, str(data_copy)], capture_output=True, text=True, env=env)
    assert again.returncode == 0


@pytest.mark.parametrize("year", ["2022", "2019"])
def test_import_refuses_a_year_that_is_no_edition(tmp_path: Path, year: str) -> None:
    source = tmp_path / "scores.csv"
    source.write_text("Country,Continent,Region\n", encoding="utf-8")
    target = tmp_path / "out"
    fails(["import", str(source), "--edition", year, "--data-dir", str(target)], 2, year)
    assert not target.exists()


def test_a_profile_missing_from_the_manifest_count_is_a_data_error(data_copy: Path) -> None:
    (data_copy / "niger.toml").unlink()  # "niger" must never quietly become Nigeria
    fails(["show", "niger", "--data-dir", str(data_copy)], 3, "says 193, but 192 profiles")


def test_a_duplicate_iso3_is_a_data_error_for_queries_too(data_copy: Path) -> None:
    path = data_copy / "niger.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('iso3 = "NER"', 'iso3 = "NGA"'), "utf-8"
    )
    fails(["rank", "criminality", "--data-dir", str(data_copy)], 3, "NGA is also in")


def test_verify_sees_an_edit_that_kept_size_and_time(data_copy: Path) -> None:
    unship(data_copy)
    assert runner.invoke(app, ["show", "mali", "--data-dir", str(data_copy)]).exit_code == 0
    path = data_copy / "mali.toml"
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("cocaine_trade = 6.0", "cocaine_trade = 9.0", 1), "utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same time
    result = runner.invoke(app, ["verify-scores", "mali", "--data-dir", str(data_copy)])
    assert result.exit_code == 1
    assert "criminal_markets" in result.stdout


def test_import_into_a_directory_with_a_malformed_profile(data_copy: Path) -> None:
    (data_copy / "zz.toml").write_text('[country]\nname = "X"\n', encoding="utf-8")
    before = snapshot(data_copy)
    source = REPO / "sources" / "global_oc_index_2025.csv"
    fails(["import", str(source), "--data-dir", str(data_copy)], 3, "zz.toml", "country.iso3")
    assert snapshot(data_copy) == before
