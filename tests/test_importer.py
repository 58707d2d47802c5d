"""`ocindex import`: official files into profiles, validated first, hand-written parts kept."""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import (
    CSV_2025,
    DATA,
    HEADERS_2025,
    MALI_2023,
    SAMPLE,
    XLSX,
    MakeDataset,
    contents,
    leftovers,
    load_toml,
    snapshot,
)
from ocindex import store
from ocindex.errors import DataError, ImportSourceError, MissingExtraError, UsageError
from ocindex.importer import ImportReport, column_key, import_file
from ocindex.index import Index

MALI_HAND_WRITTEN = """\
# Mali: checked against the 2023 ENACT profile by hand.
"""
PROFILE_2023 = """
# Hand-written: what the 2023 ENACT profile states.
[profile.2023]
title = "Mali"  # as printed on the cover
document = "ENACT Organised Crime Index 2023: Mali"
funding = ["European Union"]

[profile.2023.stated_scores]
criminality = 5.93
"""


def profiles(directory: Path) -> dict[str, bytes]:
    """The profile files of a data directory (not the manifest, not the compiled index)."""
    return {
        name: data
        for name, data in contents(directory).items()
        if name not in ("editions.toml", "index.json")
    }


def decoded(path: Path) -> dict[str, Any]:
    return load_toml(path)


def hand_edit(path: Path) -> str:
    """Add hand-written content the importer must keep: comments, an alias, a profile.

    A file that already has its hand-written `[profile.2023]` (the shipped `mali.toml`)
    keeps it, with a hand-written comment added above it.
    """
    text = path.read_text(encoding="utf-8")
    text = MALI_HAND_WRITTEN + text
    text = text.replace(
        'aliases = ["Republic of Mali"]',
        'aliases = ["Republic of Mali", "Malian Republic"]  # added by hand',
    )
    assert "Malian Republic" in text
    if "\n[profile.2023]\n" in text:
        comment = "# Hand-written: what the 2023 ENACT profile states.\n[profile.2023]\n"
        text = text.replace("\n[profile.2023]\n", "\n" + comment, 1)
        assert comment in text
    else:
        text = text.rstrip("\n") + "\n" + PROFILE_2023
    path.write_text(text, encoding="utf-8")
    return text


# -- the shipped data is exactly what the importer makes of the official files ---------------


@pytest.fixture(scope="module")
def fresh_import(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("fresh") / "data"
    first = import_file(shared_data / XLSX, directory)
    assert [t.edition for t in first.tables] == [2023, 2021]
    assert len(first.created) == 193
    second = import_file(shared_data / CSV_2025, directory)
    assert len(second.updated) == 190
    assert second.created == []
    return directory


def test_committed_data_is_a_fresh_import(
    fresh_import: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    committed = contents(DATA)
    made = contents(fresh_import)
    assert sorted(made) == sorted(committed)
    assert len(made) == 195  # 193 profiles, the manifest and the compiled index
    hand_written = set()
    for name, data in committed.items():
        if name == "index.json":
            continue  # compared below
        found = re.search(rb"^\[profile\.", data, re.MULTILINE)
        if found:
            # Hand-written profile tables are not the importer's: what comes before them
            # is exactly what the importer writes, and nothing else differs.
            hand_written.add(name)
            assert made[name] == data[: found.start()], name
            committed_toml = load_toml(DATA / name)
            committed_toml.pop("profile")
            assert load_toml(fresh_import / name) == committed_toml, name
        else:
            assert made[name] == data, name
    assert hand_written == {"mali.toml"}
    assert not leftovers(fresh_import)

    # The compiled indexes: each matches its own files (loading parses nothing), and they
    # differ only by Mali's hand-written profile.
    def refuse(path: Path) -> dict[str, object]:
        raise AssertionError(f"decoded {path} although index.json is fresh")

    with monkeypatch.context() as patched:
        patched.setattr(store, "decode_toml", refuse)
        fresh = store.load(fresh_import)
        shipped = store.load(DATA)
    assert fresh.manifest == shipped.manifest
    assert fresh.names == shipped.names
    assert len(fresh.countries) == len(shipped.countries) == 193
    for mine, theirs in zip(fresh.countries, shipped.countries, strict=True):
        if mine.iso3 == "MLI":
            assert mine.documents == {}
            assert list(theirs.documents) == [2023]
            assert mine._replace(documents={}) == theirs._replace(documents={})
        else:
            assert mine == theirs, mine.iso3


def test_reimporting_the_official_files_is_idempotent(shared_data: Path, data_copy: Path) -> None:
    """The committed data is a complete import: importing again changes no file, no mtime."""
    before = snapshot(data_copy)
    for source in (XLSX, CSV_2025):
        report = import_file(shared_data / source, data_copy)
        assert report.created == []
        assert report.updated == []
        assert not report.manifest_changed
        assert not report.index_changed
    assert len(report.unchanged) == 190
    assert snapshot(data_copy) == before


def test_imported_data_loads_and_verifies(fresh_import: Path) -> None:
    from ocindex.questions.verification import verify

    index = Index.load(fresh_import, use_cache=False)
    report = verify(index)
    assert report.consistent
    assert report.composites == 2304


def test_hand_written_content_survives_reimport_of_official_file(
    shared_data: Path, data_copy: Path
) -> None:
    mali = data_copy / "mali.toml"
    edited = hand_edit(mali)
    Index.load(data_copy, use_cache=False)  # the edit itself is valid
    report = import_file(shared_data / CSV_2025, data_copy)
    assert mali.read_text(encoding="utf-8") == edited
    assert "mali.toml" in report.unchanged
    assert report.index_changed  # the hand edit made index.json stale: the import refreshes it
    assert "Malian Republic" in Index.load(data_copy).country("Mali").aliases


# -- small datasets --------------------------------------------------------------------------


def test_import_creates_profiles_and_manifest(make_dataset: MakeDataset, tmp_path: Path) -> None:
    target = tmp_path / "new" / "data"
    report = import_file(make_dataset(), target)
    assert isinstance(report, ImportReport)
    assert sorted(report.created) == [
        "congo-dem-rep.toml",
        "ghana.toml",
        "mali.toml",
        "niger.toml",
        "st-kitts-and-nevis.toml",
    ]
    assert report.manifest_changed
    assert report.index_changed
    assert sorted(p.name for p in target.iterdir()) == sorted(
        [*report.created, "editions.toml", "index.json"]
    )
    assert not leftovers(target)
    index = Index.load(target, use_cache=False)
    assert index.editions == (2025,)
    assert index.source(2025).countries == 5
    assert index.source(2025).file == "sample_2025.csv"
    mali = index.country("Mali")
    assert (mali.iso3, mali.iso2, mali.records[2025].region) == ("MLI", "ML", "West Africa")
    assert "Republic of Mali" in mali.aliases  # from the seed table
    assert index.country("COD").name == "Congo, Dem. Rep."
    from ocindex.questions.verification import verify

    assert verify(index).consistent


def test_rerunning_a_small_import_is_idempotent(make_dataset: MakeDataset, tmp_path: Path) -> None:
    source = make_dataset()
    import_file(source, tmp_path / "data")
    before = snapshot(tmp_path / "data")
    report = import_file(source, tmp_path / "data")
    assert report.created == report.updated == []
    assert len(report.unchanged) == 5
    assert not report.manifest_changed
    assert not report.index_changed
    assert snapshot(tmp_path / "data") == before


def test_update_rewrites_only_changed_files(make_dataset: MakeDataset, tmp_path: Path) -> None:
    target = tmp_path / "data"
    import_file(make_dataset(), target)
    before = snapshot(target)
    report = import_file(make_dataset(overrides={("GHA", "prevention"): 9.5}), target)
    assert report.updated == ["ghana.toml"]
    assert len(report.unchanged) == 4
    assert report.manifest_changed
    assert report.index_changed
    after = snapshot(target)
    changed = {name for name in after if after[name] != before[name]}
    # the manifest records the new sha256; the compiled index follows the files
    assert changed == {"ghana.toml", "editions.toml", "index.json"}
    assert decoded(target / "ghana.toml")["editions"]["2025"]["scores"]["prevention"] == 9.5


def test_manifest_coverage_and_default_edition(make_dataset: MakeDataset, tmp_path: Path) -> None:
    target = tmp_path / "data"
    import_file(make_dataset("sample_2023.csv", edition=2023), target)
    import_file(make_dataset(countries=SAMPLE[:4]), target)  # 2025 lacks St. Kitts and Nevis
    manifest = decoded(target / "editions.toml")
    assert manifest["default_edition"] == 2023  # the latest complete edition
    assert manifest["editions"]["2023"]["countries"] == 5
    assert manifest["editions"]["2023"]["missing"] == []
    assert manifest["editions"]["2025"]["countries"] == 4
    assert manifest["editions"]["2025"]["missing"] == [
        {"iso3": "KNA", "name": "St. Kitts and Nevis"}
    ]


def test_an_older_edition_imported_later_keeps_year_order(
    make_dataset: MakeDataset, tmp_path: Path
) -> None:
    target = tmp_path / "data"
    import_file(make_dataset(), target)
    import_file(make_dataset("sample_2023.csv", edition=2023), target)
    assert list(decoded(target / "mali.toml")["editions"]) == ["2023", "2025"]
    index = Index.load(target, use_cache=False)
    assert index.editions == (2023, 2025)


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Criminality avg,", "criminality"),  # the 2023 sheet
        ("Criminality", "criminality"),  # the 2021 sheet
        ("Criminality avg.", "criminality"),  # the 2025 file
        ("Criminality avg", "criminality"),
        ("  Criminality avg.  ", "criminality"),
        ("Criminal markets avg,", "criminal_markets"),
        ("Criminal actors", "criminal_actors"),
        ("Resilience avg.", "resilience"),
        ("Non-renewable resource crimes", "non_renewable_resource_crimes"),
        ("Anti-money laundering", "anti_money_laundering"),
        ("Cyber-dependent crimes", "cyber_dependent_crimes"),
        ("Mafia-style groups", "mafia_style_groups"),
        ("Country", "country"),
        ("ISO3", "iso3"),
        ("Region", "region"),
        ("Notes", None),
        ("", None),
    ],
)
def test_column_key(header: str, key: str | None) -> None:
    assert column_key(header) == key


@pytest.mark.parametrize("style", ["2023 sheet", "2021 sheet"])
def test_header_spellings_import_the_same_scores(
    make_dataset: MakeDataset, tmp_path: Path, style: str
) -> None:
    composites = (
        "Criminality avg.",
        "Criminal markets avg.",
        "Criminal actors avg.",
        "Resilience avg.",
    )
    if style == "2023 sheet":
        renamed = {h: h.replace("avg.", "avg,") for h in composites}
    else:
        renamed = {h: h.removesuffix(" avg.") for h in composites}
    import_file(make_dataset(), tmp_path / "plain")
    source = make_dataset("quirky_2025.csv", headers=renamed)
    assert renamed["Criminality avg."] in source.read_text().splitlines()[0]
    import_file(source, tmp_path / "quirky")
    assert profiles(tmp_path / "quirky") == profiles(tmp_path / "plain")


def test_commas_for_dots_names_take_the_seed_spelling(
    make_dataset: MakeDataset, tmp_path: Path
) -> None:
    """A sheet that wrote every "." as "," ("Congo, Dem, Rep,") keeps the proper name."""
    countries = [
        (iso3, name.replace(".", ","), continent, region)
        for iso3, name, continent, region in SAMPLE
    ]
    source = make_dataset(
        "sheet_2023.csv",
        edition=2023,
        countries=countries,
        iso3_column=False,
        headers={"Criminality avg.": "Criminality avg,", "Resilience avg.": "Resilience avg,"},
    )
    import_file(source, tmp_path / "data")
    index = Index.load(tmp_path / "data", use_cache=False)
    assert index.by_iso3["COD"].name == "Congo, Dem. Rep."
    assert index.by_iso3["KNA"].name == "St. Kitts and Nevis"


def test_columns_are_mapped_by_name_not_position(make_dataset: MakeDataset, tmp_path: Path) -> None:
    def shuffle(headers: list[str]) -> list[str]:
        shuffled = list(headers)
        random.Random(20231).shuffle(shuffled)
        return shuffled

    plain = make_dataset()
    shuffled = make_dataset("shuffled_2025.csv", order=shuffle)
    first = shuffled.read_text().splitlines()[0].split(",")
    assert first != plain.read_text().splitlines()[0].split(",")
    assert first[:4] != ["ISO3", "Continent", "Region", "Country"]
    import_file(plain, tmp_path / "plain")
    import_file(shuffled, tmp_path / "shuffled")
    assert profiles(tmp_path / "shuffled") == profiles(tmp_path / "plain")
    mali = decoded(tmp_path / "shuffled" / "mali.toml")["editions"]["2025"]
    assert mali["continent"] == "Africa"
    assert mali["region"] == "West Africa"


def test_extra_columns_are_ignored(make_dataset: MakeDataset, tmp_path: Path) -> None:
    source = make_dataset()
    lines = source.read_text().splitlines()
    source.write_text(
        "\n".join([lines[0] + ",Notes"] + [line + ",see annex" for line in lines[1:]]) + "\n"
    )
    report = import_file(source, tmp_path / "data")
    assert report.tables[0].ignored == ("Notes",)
    assert len(report.created) == 5


# -- refusals: nothing is written ------------------------------------------------------------


def test_unknown_country_names_are_all_listed(
    make_dataset: MakeDataset, data_copy: Path, tmp_path: Path
) -> None:
    countries = list(SAMPLE)
    countries[1] = ("NER", "Atlantis", "Africa", "West Africa")
    countries[3] = ("COD", "Ruritania", "Africa", "Central Africa")
    source = make_dataset(countries=countries, iso3_column=False)
    before = snapshot(data_copy)
    with pytest.raises(ImportSourceError) as caught:
        import_file(source, data_copy)
    message = str(caught.value)
    assert "Atlantis" in message
    assert "Ruritania" in message
    assert "2 name(s)" in message
    assert "nothing written" in message
    assert snapshot(data_copy) == before
    fresh = tmp_path / "never"
    with pytest.raises(ImportSourceError):
        import_file(source, fresh)
    assert not fresh.exists()


@pytest.mark.parametrize(
    ("value", "reason"),
    [(11, "11 is outside 1-10"), (4.25, "4.25 is not a step of 0.5"), (0.5, "outside 1-10")],
)
def test_impossible_scores_name_the_row(
    make_dataset: MakeDataset, data_copy: Path, value: float, reason: str
) -> None:
    source = make_dataset(overrides={("NER", "human_trafficking"): value})
    before = snapshot(data_copy)
    with pytest.raises(ImportSourceError) as caught:
        import_file(source, data_copy)
    message = str(caught.value)
    assert "row 3 (Niger)" in message
    assert "Human trafficking" in message
    assert reason in message
    assert snapshot(data_copy) == before


def test_a_score_that_is_not_a_number(make_dataset: MakeDataset, tmp_path: Path) -> None:
    source = make_dataset(overrides={("GHA", "criminality"): "n/a"})
    with pytest.raises(ImportSourceError, match=r"row 4 \(Ghana\): Criminality: 'n/a'"):
        import_file(source, tmp_path / "data")
    assert not (tmp_path / "data").exists()


def test_a_wrong_published_composite_is_refused(make_dataset: MakeDataset, tmp_path: Path) -> None:
    # Mali 2023 with criminality published by averaging the rounded pillars: 5.94.
    overrides = {("MLI", key): value for key, value in MALI_2023.items()}
    good = make_dataset("good_2023.csv", edition=2023, overrides=overrides)
    assert ",5.93,6.47," in good.read_text()
    overrides[("MLI", "criminality")] = 5.94
    bad = make_dataset("bad_2023.csv", edition=2023, overrides=overrides)
    with pytest.raises(ImportSourceError) as caught:
        import_file(bad, tmp_path / "data")
    message = str(caught.value)
    assert "row 2 (Mali)" in message
    assert "Criminality is published as 5.94 but its indicators give 5.93" in message
    assert not (tmp_path / "data").exists()
    import_file(good, tmp_path / "data")  # the correct figure imports


def test_a_missing_column_is_refused(make_dataset: MakeDataset, tmp_path: Path) -> None:
    source = make_dataset(drop=["Financial crimes", "Region"])
    with pytest.raises(ImportSourceError) as caught:
        import_file(source, tmp_path / "data")
    assert "missing columns" in str(caught.value)
    assert "financial_crimes" in str(caught.value)
    assert "region" in str(caught.value)
    assert not (tmp_path / "data").exists()


def test_an_unknown_iso3_code_is_refused(make_dataset: MakeDataset, tmp_path: Path) -> None:
    source = make_dataset(countries=[*SAMPLE[:2], ("XYZ", "Ghana", "Africa", "West Africa")])
    with pytest.raises(ImportSourceError, match="unknown ISO3 code 'XYZ'"):
        import_file(source, tmp_path / "data")


def test_a_country_given_twice_is_refused(make_dataset: MakeDataset, tmp_path: Path) -> None:
    source = make_dataset(countries=[*SAMPLE, ("MLI", "Mali", "Africa", "West Africa")])
    with pytest.raises(ImportSourceError, match="MLI already given"):
        import_file(source, tmp_path / "data")


def test_a_csv_without_a_year_needs_an_edition(make_dataset: MakeDataset, tmp_path: Path) -> None:
    source = make_dataset("latest.csv")
    with pytest.raises(UsageError, match="--edition"):
        import_file(source, tmp_path / "data")
    assert not (tmp_path / "data").exists()
    import_file(source, tmp_path / "data", edition=2025)
    assert decoded(tmp_path / "data" / "editions.toml")["editions"]["2025"]["countries"] == 5


def test_an_edition_before_the_index_is_refused(make_dataset: MakeDataset, tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        import_file(make_dataset(), tmp_path / "data", edition=1999)


def test_an_unknown_file_type_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "scores_2025.json"
    source.write_text("{}")
    with pytest.raises(UsageError, match="unknown file type"):
        import_file(source, tmp_path / "data")


def test_excel_without_openpyxl_asks_for_the_extra(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    source = tmp_path / "global_oc_index.xlsx"
    source.write_bytes(b"PK\x03\x04 not really a workbook")
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(MissingExtraError) as caught:
        import_file(source, tmp_path / "data")
    assert "openpyxl" in str(caught.value)
    assert "ocindex[xlsx]" in str(caught.value)
    assert not (tmp_path / "data").exists()


def test_a_damaged_workbook_is_refused(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    source = tmp_path / "global_oc_index.xlsx"
    source.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(ImportSourceError, match="not a readable Excel workbook"):
        import_file(source, tmp_path / "data")


# -- hand-written content and atomic writes --------------------------------------------------


def test_hand_written_content_survives_a_reimport(
    make_dataset: MakeDataset, tmp_path: Path
) -> None:
    target = tmp_path / "data"
    source = make_dataset("sample_2023.csv", edition=2023)
    import_file(source, target)
    mali = target / "mali.toml"
    edited = hand_edit(mali)
    Index.load(target, use_cache=False)  # the hand-written profile is valid
    report = import_file(source, target)
    assert mali.read_text(encoding="utf-8") == edited
    assert "mali.toml" in report.unchanged


def test_hand_written_content_survives_an_update(make_dataset: MakeDataset, tmp_path: Path) -> None:
    target = tmp_path / "data"
    import_file(make_dataset("sample_2023.csv", edition=2023), target)
    mali = target / "mali.toml"
    edited = hand_edit(mali)
    scores = decoded(mali)["editions"]["2023"]["scores"]
    old = scores["prevention"]
    new = 1.0 if old != 1.0 else 2.0
    source = make_dataset("sample_2023.csv", edition=2023, overrides={("MLI", "prevention"): new})
    report = import_file(source, target)
    assert report.updated == ["mali.toml"]
    after = mali.read_text(encoding="utf-8")
    changed = [
        (a, b) for a, b in zip(edited.splitlines(), after.splitlines(), strict=True) if a != b
    ]
    # Only the changed figures differ (the indicator and the composites it moves).
    assert (f"prevention = {old}", f"prevention = {new}") in changed
    assert {a.split(" = ")[0] for a, _ in changed} <= {"prevention", "resilience"}
    assert PROFILE_2023 in after
    assert after.startswith(MALI_HAND_WRITTEN)


def test_writes_leave_no_temporary_files(make_dataset: MakeDataset, data_copy: Path) -> None:
    report = import_file(make_dataset(overrides={("MLI", "prevention"): 9.5}), data_copy)
    assert "mali.toml" in report.updated
    assert report.manifest_changed
    assert leftovers(data_copy) == []


def test_a_failed_write_leaves_no_temporary_file(
    make_dataset: MakeDataset, data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each file is replaced in one step: a failure leaves the old file whole and no litter."""
    before = contents(data_copy)
    source = make_dataset(overrides={(iso3, "prevention"): 9.5 for iso3 in ("MLI", "NER")})

    def fail(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store.os, "replace", fail)  # store.write_atomically's rename
    with pytest.raises(DataError, match="No space left on device"):
        import_file(source, data_copy)
    assert leftovers(data_copy) == []
    assert contents(data_copy) == before


def test_an_unwritable_target_is_a_data_error(make_dataset: MakeDataset, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(DataError):
        import_file(make_dataset(), blocker / "data")
    with pytest.raises(DataError):
        import_file(make_dataset(), blocker)
    assert blocker.read_text() == "not a directory"


def test_a_file_with_no_rows_is_refused_and_nothing_written(tmp_path: Path) -> None:
    source = tmp_path / "header_only_2025.csv"
    source.write_text(",".join(HEADERS_2025) + "\n", encoding="utf-8")
    target = tmp_path / "data"
    with pytest.raises(ImportSourceError, match="no country rows"):
        import_file(source, target)
    assert not target.exists()


def test_a_partial_file_is_recorded_as_an_update(make_dataset: MakeDataset, tmp_path: Path) -> None:
    target = tmp_path / "data"
    full = make_dataset()
    import_file(full, target)
    original = decoded(target / "editions.toml")["editions"]["2025"]
    part = make_dataset("fix_2025.csv", countries=SAMPLE[:2])
    import_file(part, target)
    entry = decoded(target / "editions.toml")["editions"]["2025"]
    assert (entry["file"], entry["sha256"]) == (original["file"], original["sha256"])
    assert entry["updates"] == [{"file": "fix_2025.csv", "sha256": sha256_of(part), "countries": 2}]
    source = Index.load(target).source(2025)
    assert source.updates[0].file == "fix_2025.csv"


def test_an_edition_imported_alone_still_names_the_countries_it_lacks(
    shared_data: Path, tmp_path: Path
) -> None:
    target = tmp_path / "data"
    import_file(shared_data / CSV_2025, target)
    entry = decoded(target / "editions.toml")["editions"]["2025"]
    assert entry["countries"] == 190
    assert [m["iso3"] for m in entry["missing"]] == ["KNA", "LCA", "VCT"]


def sha256_of(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()
