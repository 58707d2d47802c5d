"""Every answer equals the files, through every change (issue 8): attacks, each a test.

Compiled indexes that lie, edits that keep size and time, imports refused or interrupted at
every write point, hostile text, and failures that must stay clean.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import DATA, MakeDataset, contents, leftovers
from ocindex import store, transaction
from ocindex.cli import app
from ocindex.errors import DataError, ImportSourceError, UsageError
from ocindex.importer import import_file
from ocindex.index import Index
from ocindex.text import has_control, printable

runner = CliRunner()


def visible(directory: Path) -> dict[str, bytes]:
    """The data files of a folder (what queries read)."""
    return {k: v for k, v in contents(directory).items() if not k.startswith(".")}


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ocindex", *map(str, args)],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=60,
    )


def niger_criminality(directory: Path) -> float:
    result = runner.invoke(app, ["show", "niger", "--format", "json", "--data-dir", str(directory)])
    assert result.exit_code == 0, result.output
    return float(json.loads(result.stdout)["scores"]["criminality"])


# -- compiled files never outvote the profiles ------------------------------------------


def test_a_compiled_file_in_a_data_folder_is_never_read(data_copy: Path) -> None:
    """The attack: Niger's and Switzerland's records swapped in a data folder's index.json."""
    compiled = json.loads(store.SHIPPED_INDEX.read_bytes())
    by_iso3 = {item["iso3"]: item for item in compiled["countries"]}
    by_iso3["NER"]["records"], by_iso3["CHE"]["records"] = (
        by_iso3["CHE"]["records"],
        by_iso3["NER"]["records"],
    )
    (data_copy / "index.json").write_text(json.dumps(compiled), encoding="utf-8")
    assert niger_criminality(data_copy) == 5.7
    verify = runner.invoke(app, ["verify-scores", "--data-dir", str(data_copy)])
    assert verify.exit_code == 0


def test_an_edit_keeping_size_and_mtime_is_seen_at_once(data_copy: Path) -> None:
    assert niger_criminality(data_copy) == 5.7
    path = data_copy / "niger.toml"
    info = path.stat()
    text = path.read_text(encoding="utf-8")
    edited = text.replace("human_trafficking = 7.5", "human_trafficking = 9.5", 1)
    assert edited != text and len(edited) == len(text)
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    import tomllib

    (year,) = [
        y
        for y, r in tomllib.loads(edited)["editions"].items()
        if r["scores"]["human_trafficking"] == 9.5
    ]
    args = ["show", "niger", "--year", year, "--format", "json", "--data-dir", str(data_copy)]
    result = runner.invoke(app, args)
    assert json.loads(result.stdout)["scores"]["human_trafficking"] == 9.5
    # ... and verify-scores judges the edited file: its composites no longer match
    verify = runner.invoke(app, ["verify-scores", "--data-dir", str(data_copy)])
    assert verify.exit_code == 1 and "Niger" in verify.stdout


def test_a_consistent_same_size_edit_is_served_from_the_files(
    data_copy: Path, cache_dir: Path
) -> None:
    """Warm cache, then an edit that keeps size and mtime: the files' figures are shown."""
    path = data_copy / "niger.toml"
    assert niger_criminality(data_copy) == 5.7
    info = path.stat()
    text = path.read_text(encoding="utf-8")
    edited = text.replace('region = "West Africa"', 'region = "West Afrika"')
    assert len(edited) == len(text) and edited != text
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    index = Index.load(data_copy)
    assert index.by_iso3["NER"].records[2023].region == "West Afrika"


# -- refused imports change nothing -----------------------------------------------------


def refused(directory: Path, source: Path, *extra: str, code: int = 3) -> str:
    before = contents(directory)
    result = runner.invoke(app, ["import", str(source), *extra, "--data-dir", str(directory)])
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert contents(directory) == before  # no byte changed, no lock or litter
    return result.stderr


def test_an_empty_country_cell_is_refused_without_writing(
    make_dataset: MakeDataset, data_copy: Path
) -> None:
    source = make_dataset("global_oc_index_2025.csv")
    text = source.read_text(encoding="utf-8").replace(",Niger,", ",,")
    source.write_text(text, encoding="utf-8")
    assert "NER has no country name" in refused(data_copy, source)
    assert niger_criminality(data_copy) == 5.7


def test_a_name_of_another_country_is_refused_listing_every_row(
    make_dataset: MakeDataset, data_copy: Path
) -> None:
    source = make_dataset()
    text = source.read_text(encoding="utf-8")
    text = text.replace(",Niger,", ",@@,").replace(",Ghana,", ",Niger,").replace(",@@,", ",Ghana,")
    source.write_text(text, encoding="utf-8")
    message = refused(data_copy, source)
    assert "the name is NER's, but the row's ISO3 code is GHA" in message
    assert "the name is GHA's, but the row's ISO3 code is NER" in message


@pytest.mark.parametrize("year", ["9999", "2022", "1999"])
def test_an_edition_the_schema_refuses_is_refused(
    make_dataset: MakeDataset, data_copy: Path, year: str
) -> None:
    source = make_dataset("sample.csv")
    assert "not an edition" in refused(data_copy, source, "--edition", year, code=2)


def test_an_edition_contradicting_the_file_name_is_refused(
    make_dataset: MakeDataset, data_copy: Path
) -> None:
    source = make_dataset("global_oc_index_2025.csv")
    assert "contradicts" in refused(data_copy, source, "--edition", "2023", code=2)


def test_non_finite_numbers_are_refused(make_dataset: MakeDataset, data_copy: Path) -> None:
    import csv

    source = make_dataset()
    rows = list(csv.reader(source.read_text(encoding="utf-8").splitlines()))
    column = rows[0].index("Prevention")
    for bad in ("nan", "inf", "-inf"):
        rows[1][column] = bad
        with source.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(rows)
        assert "is not a number" in refused(data_copy, source)


def test_control_characters_in_a_name_are_refused(
    make_dataset: MakeDataset, data_copy: Path
) -> None:
    source = make_dataset()
    text = source.read_text(encoding="utf-8").replace(",Niger,", ",Niger\x1b[2J,")
    source.write_text(text, encoding="utf-8")
    message = refused(data_copy, source)
    assert "control characters" in message and "\x1b" not in message


def test_two_sheets_for_one_year_are_refused(shared_data: Path, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    for title in ("2023_dataset", "2023_dataset (old)"):
        sheet = book.create_sheet(title)
        sheet.append(["Continent", "Region", "Country"])
    source = tmp_path / "two.xlsx"
    book.save(source)
    target = tmp_path / "data"
    with pytest.raises(ImportSourceError, match="two sheets for 2023"):
        import_file(source, target)
    assert not target.exists()


def test_absurd_sheet_sizes_are_refused_without_reading_them(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.create_sheet("2023_dataset")
    sheet.append(["Continent", "Region", "Country"])
    sheet["XFD1048576"] = 1
    source = tmp_path / "huge.xlsx"
    book.save(source)
    with pytest.raises(ImportSourceError, match="more than 5000 rows"):
        import_file(source, tmp_path / "data")


def test_a_million_row_csv_is_refused(make_dataset: MakeDataset, tmp_path: Path) -> None:
    source = make_dataset()
    row = source.read_text(encoding="utf-8").splitlines()[1]
    with source.open("a", encoding="utf-8") as handle:
        handle.write((row + "\n") * 6_000)
    with pytest.raises(ImportSourceError, match="more than 5000 rows"):
        import_file(source, tmp_path / "data")


# -- interrupted imports: all-old or all-new, at every write point ----------------------


def _states(make_dataset: MakeDataset, data_copy: Path, tmp_path: Path) -> tuple[Path, dict]:
    source = make_dataset(overrides={(iso3, "prevention"): 9.5 for iso3 in ("MLI", "NER")})
    new = tmp_path / "new"
    shutil.copytree(data_copy, new)
    import_file(source, new)
    return source, visible(new)


def test_a_failure_at_any_write_point_leaves_all_old_or_all_new(
    make_dataset: MakeDataset, data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, new = _states(make_dataset, data_copy, tmp_path)
    old = visible(data_copy)
    for point in range(1, 100):
        work = tmp_path / f"try-{point}"
        shutil.copytree(data_copy, work)
        monkeypatch.setenv(transaction.FAULT_ENV, f"{point}:enospc")
        try:
            import_file(source, work)
        except DataError:
            pass
        else:
            break  # past the last write point: the import ran through
        finally:
            monkeypatch.delenv(transaction.FAULT_ENV)
        state = visible(work)
        assert state in (old, new), point
        Index.load(work)  # the next command finishes or rolls back
        assert visible(work) in (old, new)
        assert leftovers(work) == []
    assert point > 5 and visible(work) == new


@pytest.mark.parametrize("how", ["kill", "int"])
def test_sigkill_or_ctrl_c_at_every_write_point(
    make_dataset: MakeDataset, data_copy: Path, tmp_path: Path, how: str
) -> None:
    source, new = _states(make_dataset, data_copy, tmp_path)
    old = visible(data_copy)
    for point in range(1, 100):
        work = tmp_path / f"{how}-{point}"
        shutil.copytree(data_copy, work)
        os.environ[transaction.FAULT_ENV] = f"{point}:{how}"
        try:
            result = run("import", source, "--data-dir", work)
        finally:
            del os.environ[transaction.FAULT_ENV]
        if result.returncode == 0:
            break
        expected = -signal.SIGKILL if how == "kill" else 130
        assert result.returncode == expected, result.stderr
        after = run("validate", "--data-dir", work)
        assert after.returncode == 0, after.stderr
        assert visible(work) in (old, new), point
        assert leftovers(work) == []
    assert visible(work) == new
    assert point > 5


def test_an_interrupted_commit_is_finished_by_the_next_query_with_a_note(
    make_dataset: MakeDataset, data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, new = _states(make_dataset, data_copy, tmp_path)
    changed = {n: new[n] for n in new if visible(data_copy).get(n) != new[n]}

    def full_disk(directory: Path, faults: object) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched:  # committed, then every rename fails
        patched.setattr(transaction, "_roll_forward", full_disk)
        with pytest.raises(OSError):
            transaction.commit(data_copy, changed)
    assert (data_copy / transaction.COMMITTED).exists()
    result = runner.invoke(app, ["show", "mali", "--data-dir", str(data_copy)])
    assert result.exit_code == 0
    assert "finished an import that had been interrupted" in result.stderr
    assert visible(data_copy) == new


def test_two_imports_racing_leave_one_whole_result(
    make_dataset: MakeDataset, data_copy: Path
) -> None:
    one = make_dataset("one_2025.csv", overrides={("MLI", "prevention"): 9.5})
    two = make_dataset("two_2025.csv", overrides={("MLI", "prevention"): 1.5})
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "ocindex", "import", str(s), "--data-dir", str(data_copy)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for s in (one, two)
    ]
    assert [p.wait(60) for p in procs] == [0, 0]
    assert run("validate", "--data-dir", data_copy).returncode == 0


# -- the user data folder ---------------------------------------------------------------


def test_import_without_data_dir_writes_the_user_folder_not_the_package(
    make_dataset: MakeDataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OCINDEX_DATA_DIR", raising=False)
    user = tmp_path / "user-data"
    monkeypatch.setenv(store.USER_DATA_ENV, str(user))
    shipped = contents(DATA)
    source = make_dataset(overrides={("NER", "prevention"): 9.5})
    result = runner.invoke(app, ["import", str(source)])
    assert result.exit_code == 0, result.output
    assert contents(DATA) == shipped
    assert len(visible(user)) == 194  # the shipped data, with the import applied
    info = runner.invoke(app, ["data", "--format", "json"])
    view = json.loads(info.stdout)
    assert view["kind"] == "user" and view["in_use"] == str(user)
    assert {d["file"] for d in view["differences"]} >= {"niger.toml", "editions.toml"}
    assert Index.load().by_iso3["NER"].records[2025].scores["prevention"] == 9.5
    reset = runner.invoke(app, ["data", "--reset"])
    assert reset.exit_code == 0 and "deleted" in reset.stderr
    assert not user.exists()
    assert json.loads(runner.invoke(app, ["data", "--format", "json"]).stdout)["kind"] == "shipped"


def test_the_installed_package_data_is_refused_as_a_target(tmp_path: Path) -> None:
    from ocindex.datafolder import import_target

    with pytest.raises(UsageError, match="read-only"):
        import_target(store.PACKAGE_DATA)


# -- hostile text -----------------------------------------------------------------------


def hostile_copy(data_copy: Path, name: str) -> None:
    path = data_copy / "niger.toml"
    text = path.read_text(encoding="utf-8").replace('name = "Niger"', f"name = {json.dumps(name)}")
    path.write_text(text, encoding="utf-8")


def test_markup_in_a_name_is_shown_literally(data_copy: Path) -> None:
    hostile_copy(data_copy, "Niger[/]")
    for args in (["show", "NER"], ["rank", "criminality"], ["compare", "NER", "mali"]):
        result = runner.invoke(app, [*args, "--format", "table", "--data-dir", str(data_copy)])
        assert result.exit_code == 0, (args, result.output)
        assert "niger[/]" in result.stdout.lower()


def test_control_characters_in_data_are_refused_by_validate(data_copy: Path) -> None:
    hostile_copy(data_copy, "Niger\u001b[2J")
    result = runner.invoke(app, ["validate", "--data-dir", str(data_copy)])
    assert result.exit_code == 3
    assert "control" in result.stdout + result.stderr
    assert "\x1b" not in result.stdout + result.stderr


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_hostile_arguments_never_reach_the_terminal_raw(text: str) -> None:
    result = runner.invoke(app, ["show", text, "--format", "table"])
    assert result.exit_code in (0, 2)
    assert not has_control(result.stderr.replace("\n", ""))


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_printable_leaves_no_control_character(text: str) -> None:
    shown = printable(text)
    assert not has_control(shown)
    assert printable(shown) == shown


def test_search_terms_in_json_and_csv_are_safe() -> None:
    for fmt in ("json", "csv", "tsv"):
        result = runner.invoke(app, ["search", "\x1b[2Jmilitary\u202e", "--format", fmt])
        assert "\x1b" not in result.stdout and "\u202e" not in result.stdout


def test_svg_export_is_well_formed_xml_with_hostile_names(data_copy: Path, tmp_path: Path) -> None:
    from xml.etree import ElementTree

    hostile_copy(data_copy, "Niger & <b>]]>")
    svg = tmp_path / "n.svg"
    result = runner.invoke(app, ["show", "NER", "--svg", str(svg), "--data-dir", str(data_copy)])
    assert result.exit_code == 0, result.output
    ElementTree.parse(svg)


# -- failures that must stay clean ------------------------------------------------------


def test_closed_stdout_is_a_clear_error() -> None:
    result = subprocess.run(
        f"{sys.executable} -m ocindex show mali --format json >&-",
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 5
    assert result.stderr.startswith("ocindex: ") and "Traceback" not in result.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
@pytest.mark.parametrize("command", ["show mali --format json", "list countries --format csv"])
def test_a_full_disk_is_a_clear_error(command: str) -> None:
    result = subprocess.run(
        f"{sys.executable} -m ocindex {command} >/dev/full",
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 5, result.stderr
    assert "No space left on device" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_no_home_and_no_cache_still_answers(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("HOME", "OCINDEX_CACHE_DIR")}
    env.pop("XDG_CACHE_HOME", None)
    env.pop(store.USER_DATA_ENV, None)
    code = (
        "import os, pathlib, ocindex.store as s;"
        "pathlib.Path.home = lambda: (_ for _ in ()).throw(RuntimeError('no home'));"
        "from ocindex.cli import main; main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "show", "mali", "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["scores"]["criminality"] == 5.93


def test_deep_nesting_is_a_data_error(data_copy: Path) -> None:
    (data_copy / "niger.toml").write_text("x = " + "[" * 5000, encoding="utf-8")
    result = runner.invoke(app, ["show", "mali", "--data-dir", str(data_copy)])
    assert result.exit_code == 3 and "nested too deeply" in result.stderr


def test_a_fifo_or_device_named_like_a_profile_is_refused(data_copy: Path) -> None:
    fifo = data_copy / "zz.toml"
    os.mkfifo(fifo)
    result = runner.invoke(app, ["show", "mali", "--data-dir", str(data_copy)])
    assert result.exit_code == 3 and "not a regular file" in result.stderr
    fifo.unlink()
    (data_copy / "zz.toml").symlink_to("/dev/zero")
    result = runner.invoke(app, ["show", "mali", "--data-dir", str(data_copy)])
    assert result.exit_code == 3 and "outside the data folder" in result.stderr


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ("[editions.2023.scores]", "[editions.2023.scores]\n", None),
        ('region = "West Africa"', 'region = "West Africa"\nextra = 1', "unknown key"),
    ],
)
def test_validate_catches_unknown_keys(
    data_copy: Path, old: str, new: str, needle: str | None
) -> None:
    path = data_copy / "niger.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    result = runner.invoke(app, ["validate", "--data-dir", str(data_copy)])
    if needle is None:
        assert result.exit_code == 0
    else:
        assert result.exit_code == 3 and needle in result.stdout + result.stderr


def test_validate_catches_duplicate_iso2_and_alias_collisions(data_copy: Path) -> None:
    path = data_copy / "niger.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('iso2 = "NE"', 'iso2 = "NG"'), encoding="utf-8")
    result = runner.invoke(app, ["validate", "--data-dir", str(data_copy)])
    assert "NG is also in" in result.stdout + result.stderr
    path.write_text(text.replace("aliases = [", 'aliases = ["Nigeria", '), encoding="utf-8")
    result = runner.invoke(app, ["validate", "--data-dir", str(data_copy)])
    assert "'Nigeria' is the name or a code of nigeria.toml" in result.stdout + result.stderr


def test_stated_figures_must_be_finite_and_assessed(data_copy: Path) -> None:
    path = data_copy / "mali.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("criminality = 5.93", "criminality = nan", 1), encoding="utf-8")
    result = runner.invoke(app, ["verify-scores", "--data-dir", str(data_copy)])
    assert result.exit_code == 3 and "finite" in result.stderr


def test_an_import_that_changes_nothing_creates_no_user_folder(
    make_dataset: MakeDataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OCINDEX_DATA_DIR", raising=False)
    user = tmp_path / "user-data"
    monkeypatch.setenv(store.USER_DATA_ENV, str(user))
    result = runner.invoke(
        app, ["import", str(DATA.parent / "sources" / "global_oc_index_2025.csv")]
    )
    assert result.exit_code == 0, result.output
    assert "0 created, 0 updated, 190 unchanged" in result.stderr
    assert not user.exists()


def test_a_stated_rank_for_an_indicator_the_edition_lacks_is_refused(data_copy: Path) -> None:
    path = data_copy / "mali.toml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + '\n[profile.2021]\ntitle = "Mali"\ndocument = "2021 profile"\n'
        + "[profile.2021.stated_ranks.financial_crimes]\nglobal = { rank = 1, of = 193 }\n",
        encoding="utf-8",
    )
    for command in ("validate", "verify-scores"):
        result = runner.invoke(app, [command, "--data-dir", str(data_copy)])
        assert result.exit_code == 3, (command, result.output)
        assert "not assessed in 2021" in result.stdout + result.stderr
        assert "Traceback" not in result.output
