"""Loading profile files: validation with precise messages, and the JSON cache."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import DATA, snapshot
from ocindex import store
from ocindex.errors import DataError
from ocindex.index import Index

MALI_2023_TRAFFICKING = (
    "[editions.2023.scores]\ncriminality = 5.93\ncriminal_markets = 6.47\n"
    "criminal_actors = 5.4\nresilience = 2.38\nhuman_trafficking = 7.5\n"
)
"""The start of Mali's 2023 scores, down to its `human_trafficking` (7.5, as in 2025)."""


SMALL = ("congo-dem-rep.toml", "mali.toml", "niger.toml", "st-kitts-and-nevis.toml")


@pytest.fixture
def small_data(tmp_path: Path) -> Path:
    """Four shipped profiles and the shipped manifest's sources, with coverage counted for
    these four (loading checks the manifest against the profiles): quick to load."""
    import tomlkit

    target = tmp_path / "small"
    target.mkdir()
    for name in SMALL:
        shutil.copyfile(DATA / name, target / name)
    manifest = tomlkit.parse((DATA / "editions.toml").read_text(encoding="utf-8"))
    for year, entry in manifest["editions"].items():  # type: ignore[union-attr]
        covered = [n for n in SMALL if f"[editions.{year}]" in (DATA / n).read_text("utf-8")]
        entry["countries"] = len(covered)
        entry["missing"] = [m for m in entry["missing"] if m["iso3"] == "KNA"]
    (target / "editions.toml").write_text(tomlkit.dumps(manifest), encoding="utf-8")
    return target


def load_error(directory: Path) -> DataError:
    with pytest.raises(DataError) as caught:
        store.load(directory, use_cache=False)
    assert caught.value.exit_code == 3
    return caught.value


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} not once in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def mali_2023(directory: Path) -> dict[str, float]:
    manifest, countries, *_ = store.load(directory)
    assert manifest.default_edition == 2023
    (mali,) = [c for c in countries if c.iso3 == "MLI"]
    return dict(mali.records[2023].scores)


def cache_files(cache: Path) -> list[Path]:
    return sorted(cache.glob("*")) if cache.exists() else []


def cached_indexes(cache: Path) -> list[Path]:
    """The compiled indexes in the user cache (beside them: the small fingerprint stamps)."""
    return sorted(cache.glob("index-*.json")) if cache.exists() else []


def cache_file(cache: Path) -> Path:
    """The one cached compiled index."""
    (found,) = cached_indexes(cache)
    return found


def cache_body(cache: Path) -> dict[str, object]:
    """The cached compiled index, its seal checked with this test's own BLAKE2b."""
    import hashlib

    seal, _, body = cache_file(cache).read_bytes().partition(b"\n")
    key = (cache / "key").read_bytes()
    assert seal.decode() == hashlib.blake2b(body, key=key, digest_size=32).hexdigest()
    found: dict[str, object] = json.loads(body)
    return found


def write_sealed(cache: Path, content: object) -> None:
    import hashlib

    body = json.dumps(content).encode()
    key = (cache / "key").read_bytes()
    seal = hashlib.blake2b(body, key=key, digest_size=32).hexdigest().encode()
    cache_file(cache).write_bytes(seal + b"\n" + body)


# -- validation ----------------------------------------------------------------------------


def test_the_shipped_data_loads() -> None:
    manifest, countries, names, _ = store.load(DATA, use_cache=False)
    assert len(countries) == 193
    assert names["mali"] == names["mli"] == names["ml"] == ["MLI"]
    assert sorted(manifest.editions) == [2021, 2023, 2025]


def test_malformed_toml_names_the_file_and_line(small_data: Path) -> None:
    path = small_data / "mali.toml"
    lines = path.read_text(encoding="utf-8").splitlines()
    number = lines.index('iso3 = "MLI"') + 1
    lines[number - 1] = 'iso3 = "MLI'  # unterminated string
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    error = load_error(small_data)
    message = str(error)
    assert str(path) in message
    assert "invalid TOML" in message
    assert f"line {number}" in message
    assert "Traceback" not in message


def test_a_file_that_is_not_utf8(small_data: Path) -> None:
    path = small_data / "mali.toml"
    data = path.read_bytes().replace(b'"Mali"', b'"Mal\xef"', 1)  # Latin-1, not UTF-8
    path.write_bytes(data)
    number = data[: data.index(b"\xef")].count(b"\n") + 1
    message = str(load_error(small_data))
    assert str(path) in message
    assert f"not UTF-8 text (line {number})" in message


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('iso3 = "MLI"\n', "", "mali.toml: country.iso3: missing"),
        ('iso3 = "MLI"', 'iso3 = "Mli"', "country.iso3: 'Mli' is not 3 upper-case letters"),
        ('name = "Mali"\n', "", "mali.toml: country.name: missing"),
        (
            MALI_2023_TRAFFICKING,
            MALI_2023_TRAFFICKING.replace("7.5", "11.0"),
            "mali.toml: editions.2023.scores.human_trafficking: 11 is outside 1-10",
        ),
        (
            MALI_2023_TRAFFICKING,
            MALI_2023_TRAFFICKING.replace("7.5", "4.25"),
            "mali.toml: editions.2023.scores.human_trafficking: 4.25 is not a step of 0.5",
        ),
        (
            MALI_2023_TRAFFICKING,
            MALI_2023_TRAFFICKING.replace("7.5", '"7.5"'),
            "editions.2023.scores.human_trafficking: must be a finite number, not '7.5'",
        ),
        (
            MALI_2023_TRAFFICKING,
            MALI_2023_TRAFFICKING.replace("criminality = 5.93", "criminality = 5.935"),
            "editions.2023.scores.criminality: 5.935 has more than two decimals",
        ),
        (
            "[editions.2021.scores]\n",
            "[editions.2021.scores]\nfinancial_crimes = 7.0\n",
            "mali.toml: editions.2021.scores.financial_crimes: not assessed in 2021",
        ),
        (
            "[editions.2021.scores]\n",
            "[editions.2021.scores]\nkidnapping = 7.0\n",
            "editions.2021.scores.kidnapping: unknown indicator key",
        ),
        (
            "non_state_actors = 3.0\n\n[editions.2025]",
            "\n[editions.2025]",
            "editions.2023.scores.non_state_actors: missing (every 2023 profile has it)",
        ),
        (
            'region = "West Africa"\n\n[editions.2023.scores]',
            "\n[editions.2023.scores]",
            "editions.2023.region: missing",
        ),
    ],
)
def test_invalid_profiles_are_refused_with_the_file_and_key(
    small_data: Path, old: str, new: str, expected: str
) -> None:
    replace_in(small_data / "mali.toml", old, new)
    error = load_error(small_data)
    assert str(small_data / "mali.toml") in error.message
    assert expected in error.message


def test_every_problem_is_counted(small_data: Path) -> None:
    replace_in(small_data / "mali.toml", 'iso3 = "MLI"\n', "")
    replace_in(small_data / "niger.toml", 'iso2 = "NE"\n', "")
    error = load_error(small_data)
    assert error.hint is not None
    # both files, plus the manifest's coverage now that two profiles are unsound
    assert re.search(r"\b[1-9]\d* more problem\(s\)", error.hint)
    assert "ocindex validate" in error.hint
    assert len(error.cli_text().splitlines()) == 2
    assert "ocindex validate" not in str(error)  # no command-line advice in the API


def test_a_profile_table_must_describe_a_recorded_edition(small_data: Path) -> None:
    path = small_data / "st-kitts-and-nevis.toml"
    path.write_text(
        path.read_text(encoding="utf-8") + '\n[profile.2025]\ntitle = "x"\ndocument = "y"\n',
        encoding="utf-8",
    )
    error = load_error(small_data)
    assert "profile.2025: describes 2025, which has no [editions.2025]" in error.message


def test_a_missing_manifest(small_data: Path) -> None:
    (small_data / "editions.toml").unlink()
    error = load_error(small_data)
    assert str(small_data / "editions.toml") in error.message
    assert "manifest missing" in error.message


def test_an_invalid_manifest(small_data: Path) -> None:
    replace_in(small_data / "editions.toml", "default_edition = 2023", "default_edition = 2019")
    error = load_error(small_data)
    assert "editions.toml: default_edition: 2019 is not one of the editions listed" in str(error)


def test_an_empty_directory(tmp_path: Path) -> None:
    error = load_error(tmp_path)
    assert f"no profiles (*.toml) in {tmp_path}" in error.message
    assert error.hint is not None and "ocindex import" in error.hint


def test_a_directory_with_only_a_manifest(tmp_path: Path) -> None:
    (tmp_path / "editions.toml").write_bytes((DATA / "editions.toml").read_bytes())
    assert "no profiles" in load_error(tmp_path).message


def test_a_nonexistent_directory(tmp_path: Path) -> None:
    error = load_error(tmp_path / "nowhere")
    assert error.message == f"data directory not found: {tmp_path / 'nowhere'}"


def test_a_regular_file_is_not_a_data_directory(tmp_path: Path) -> None:
    path = tmp_path / "mali.toml"
    path.write_bytes((DATA / "mali.toml").read_bytes())
    assert "data directory not found" in load_error(path).message


def test_the_data_directory_comes_from_the_environment(
    small_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OCINDEX_DATA_DIR", str(small_data))
    assert store.default_data_dir() == small_data
    index = Index.load()
    assert len(index.countries) == 4
    assert index.data_dir == small_data


# -- the cache -----------------------------------------------------------------------------


def test_the_shipped_compiled_index_is_read_without_parsing(
    data_copy: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The package's compiled index matches a copy of the shipped files, byte for byte: a
    first run parses nothing."""

    def refuse(path: Path, data: bytes | None = None) -> dict[str, object]:
        raise AssertionError(f"decoded {path} although the shipped index matches")

    with monkeypatch.context() as patched:
        patched.setattr(store, "decode_toml", refuse)
        loaded = store.load(data_copy)
    assert len(loaded.countries) == 193
    assert cached_indexes(cache_dir) == []  # nothing to cache: the package has it
    assert loaded == store.load(data_copy, use_cache=False)


def test_a_second_load_reads_the_cache(
    data_copy: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (data_copy / "mali.toml").write_text(
        (data_copy / "mali.toml").read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )  # else the shipped index matches
    first = store.load(data_copy)
    assert len(first.countries) == 193
    files = cache_files(cache_dir)
    assert [f.name.split("-")[0] for f in files] == ["index", "key"]

    def refuse(path: Path, data: bytes | None = None) -> dict[str, object]:
        raise AssertionError(f"decoded {path} although the cache is fresh")

    monkeypatch.setattr(store, "decode_toml", refuse)
    second = store.load(data_copy)
    assert second == first


def test_use_cache_false_neither_reads_nor_writes_it(small_data: Path, cache_dir: Path) -> None:
    store.load(small_data, use_cache=False)
    assert cache_files(cache_dir) == []


def test_the_cache_never_lands_in_the_data_directory(small_data: Path, cache_dir: Path) -> None:
    before = sorted(snapshot(small_data))
    store.load(small_data)
    store.load(small_data)
    assert sorted(snapshot(small_data)) == before
    assert len(cached_indexes(cache_dir)) == 1


def test_the_default_cache_is_under_xdg_cache_home(
    small_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OCINDEX_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert store.cache_dir() == tmp_path / "xdg" / "ocindex"
    store.load(small_data)
    assert len(list((tmp_path / "xdg" / "ocindex").glob("index-*.json"))) == 1


def test_each_directory_has_its_own_cache(
    small_data: Path, cache_dir: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    shutil.copytree(small_data, other)
    replace_in(
        other / "mali.toml", MALI_2023_TRAFFICKING, MALI_2023_TRAFFICKING.replace("7.5", "9.5")
    )
    assert mali_2023(small_data)["human_trafficking"] == 7.5
    assert mali_2023(other)["human_trafficking"] == 9.5
    assert len(cached_indexes(cache_dir)) == 2
    # and each is read back for its own directory
    assert mali_2023(small_data)["human_trafficking"] == 7.5
    assert mali_2023(other)["human_trafficking"] == 9.5


def test_an_edited_score_invalidates_the_cache(small_data: Path) -> None:
    path = small_data / "mali.toml"
    assert mali_2023(small_data)["human_trafficking"] == 7.5
    stat = path.stat()
    replace_in(path, MALI_2023_TRAFFICKING, MALI_2023_TRAFFICKING.replace("7.5", "9.5"))
    # Same size: only the modification time tells the stamp that the fingerprint must be
    # recomputed. Make sure it differs even on a file system with coarse timestamps.
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    assert mali_2023(small_data)["human_trafficking"] == 9.5


def test_a_resized_file_invalidates_the_cache_even_with_the_same_mtime(small_data: Path) -> None:
    path = small_data / "mali.toml"
    assert mali_2023(small_data)["human_trafficking"] == 7.5
    stat = path.stat()
    replace_in(path, MALI_2023_TRAFFICKING, MALI_2023_TRAFFICKING.replace("7.5", "10"))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert mali_2023(small_data)["human_trafficking"] == 10


def test_an_invalid_edit_is_caught_after_a_cached_load(small_data: Path) -> None:
    store.load(small_data)
    replace_in(
        small_data / "mali.toml",
        MALI_2023_TRAFFICKING,
        MALI_2023_TRAFFICKING.replace("7.5", "7.25"),
    )
    with pytest.raises(DataError, match=r"mali\.toml: editions\.2023\.scores\.human_trafficking"):
        store.load(small_data)


def test_added_and_removed_profiles_invalidate_the_cache(small_data: Path) -> None:
    assert len(store.load(small_data).countries) == 4
    (small_data / "mali.toml").rename(small_data / "mali.bak")
    # a stale cache would still show four; the files now disagree with the manifest
    with pytest.raises(DataError, match="says 4, but 3 profiles have 2021 scores"):
        store.load(small_data)
    (small_data / "mali.bak").rename(small_data / "mali.toml")
    assert len(store.load(small_data).countries) == 4


def test_a_changed_manifest_invalidates_the_cache(small_data: Path) -> None:
    assert store.load(small_data).manifest.default_edition == 2023
    replace_in(small_data / "editions.toml", "default_edition = 2023", "default_edition = 2021")
    assert store.load(small_data).manifest.default_edition == 2021


@pytest.mark.parametrize(
    "damage",
    [b"", b"{not json", b"\x00\xff\xfe", b"[1, 2, 3]", b'{"files": "nope"}', b"[" * 100_000],
)
def test_a_corrupt_cache_is_rebuilt_quietly(
    small_data: Path, cache_dir: Path, damage: bytes
) -> None:
    first = store.load(small_data)
    cache_file(cache_dir).write_bytes(damage)
    assert store.load(small_data) == first
    assert set(cache_body(cache_dir)) == {"format", "files", "manifest", "countries", "names"}


def test_a_sealed_cache_with_a_damaged_record_is_rebuilt(small_data: Path, cache_dir: Path) -> None:
    """Valid JSON, a valid seal, the right digests, a record that cannot be built."""
    first = store.load(small_data)
    original = cache_body(cache_dir)
    content = json.loads(json.dumps(original))
    (mali,) = [item for item in content["countries"] if item["iso3"] == "MLI"]
    mali["records"]["2023"] = ["Africa"]
    write_sealed(cache_dir, content)
    assert store.load(small_data) == first
    assert cache_body(cache_dir) == original


def test_a_tampered_cache_is_never_served(small_data: Path, cache_dir: Path) -> None:
    """Figures changed inside the cache, digests kept: the seal no longer matches."""
    first = store.load(small_data)
    cache = cache_file(cache_dir)
    data = cache.read_bytes()
    mali_scores = next(
        item
        for item in cache_body(cache_dir)["countries"]  # type: ignore[attr-defined]
        if item["iso3"] == "MLI"
    )["records"]["2023"][2]
    tampered = mali_scores.replace(mali_scores[:4], "03e8", 1)
    cache.write_bytes(data.replace(mali_scores.encode(), tampered.encode()))
    assert store.load(small_data) == first


def test_a_cache_from_another_machine_is_never_served(
    small_data: Path, cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache sealed with another key (copied from elsewhere) is ignored."""
    first = store.load(small_data)
    content = cache_body(cache_dir)
    (mali,) = [item for item in content["countries"] if item["iso3"] == "MLI"]  # type: ignore[attr-defined]
    mali["name"] = "Switzerland"
    (cache_dir / "key").write_bytes(b"k" * 32)
    write_sealed(cache_dir, content)
    (cache_dir / "key").write_bytes(b"q" * 32)
    assert store.load(small_data) == first


def test_a_cache_from_another_version_is_rebuilt(
    small_data: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = store.load(small_data, use_cache=False)
    current = store.CACHE_FORMAT
    monkeypatch.setattr(store, "CACHE_FORMAT", current - 1)
    store.load(small_data)  # what an older version cached
    monkeypatch.setattr(store, "CACHE_FORMAT", current)
    assert cache_body(cache_dir)["format"] == current - 1
    assert store.load(small_data) == first
    assert cache_body(cache_dir)["format"] == current


def test_an_unusable_cache_directory_only_costs_speed(
    small_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    for where in (blocker, blocker / "cache"):
        monkeypatch.setenv("OCINDEX_CACHE_DIR", str(where))
        assert mali_2023(small_data)["criminality"] == 5.93
        assert mali_2023(small_data)["criminality"] == 5.93
    assert blocker.read_text() == "not a directory"


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can write anywhere"
)
def test_a_read_only_cache_directory_only_costs_speed(
    small_data: Path, cache_dir: Path
) -> None:  # pragma: no cover - not run as root
    cache_dir.chmod(0o500)
    try:
        assert mali_2023(small_data)["criminality"] == 5.93
        assert cache_files(cache_dir) == []
    finally:
        cache_dir.chmod(0o700)


def test_a_cache_path_that_is_a_directory_only_costs_speed(
    small_data: Path, cache_dir: Path
) -> None:
    store.load(small_data)
    names = [p.name for p in cache_files(cache_dir)]
    cache = cache_file(cache_dir)
    cache.unlink()
    cache.mkdir()
    assert mali_2023(small_data)["criminality"] == 5.93
    assert mali_2023(small_data)["criminality"] == 5.93
    assert cache.is_dir()
    assert [p.name for p in cache_files(cache_dir)] == names  # and no temporary files left


def test_values_toml_has_but_json_lacks_do_not_break_loading(
    small_data: Path, cache_dir: Path
) -> None:
    """A hand-written profile table may hold a TOML date; caching it must not crash."""
    replace_in(
        small_data / "mali.toml", "[profile.2023]\n", "[profile.2023]\npublished = 2023-09-26\n"
    )
    first = mali_2023(small_data)
    assert b"2023-09-26" in cache_file(cache_dir).read_bytes()
    assert mali_2023(small_data) == first
    assert [p.name for p in cache_dir.iterdir() if p.name.startswith(".")] == []
