"""Invariants, checked on generated inputs (Hypothesis)."""

import csv
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import HEADERS_2025, header_key
from ocindex.arithmetic import composites, round_half_up
from ocindex.errors import AmbiguousError, NotFoundError
from ocindex.figures import published_composites
from ocindex.importer import import_file
from ocindex.index import Index
from ocindex.indicators import ALL, BY_KEY, INDICATORS, score_keys

INDEX = Index.load()
HALVES = st.integers(min_value=2, max_value=20)  # 1.0 to 10.0 in steps of 0.5


def indicator_scores(edition: int) -> st.SearchStrategy[dict[str, float]]:
    keys = [item.key for item in INDICATORS if item.assessed_in(edition)]
    return st.fixed_dictionaries({key: HALVES.map(lambda h: h / 2) for key in keys})


@given(
    st.sampled_from([2021, 2023, 2025]).flatmap(
        lambda e: st.tuples(st.just(e), indicator_scores(e))
    )
)
def test_every_composite_lies_in_1_to_10_and_rounds_half_up(
    case: tuple[int, dict[str, float]],
) -> None:
    edition, scores = case
    published = published_composites(scores, edition)
    exact = composites(scores, edition)
    for key, value in published.items():
        assert 1 <= value <= 10
        assert Fraction(str(value)) == Fraction(str(round_half_up(exact[key])))


@settings(max_examples=60, deadline=None)
@given(
    key=st.sampled_from([item.key for item in ALL]),
    edition=st.sampled_from([2021, 2023, 2025]),
    scope=st.sampled_from([{}, {"continent": "africa"}, {"region": "west africa"}]),
    ascending=st.booleans(),
)
def test_ranks_are_sorted_and_ties_share_the_best_rank(
    key: str, edition: int, scope: dict[str, str], ascending: bool
) -> None:
    if not BY_KEY[key].assessed_in(edition):
        return
    entries = INDEX.rank(key, edition, ascending=ascending, **scope).entries
    scores = [e.score for e in entries]
    assert scores == sorted(scores, reverse=not ascending)
    for entry in entries:
        better = sum(1 for s in scores if s > entry.score)  # the highest is always 1st
        assert entry.rank == better + 1  # competition ranking: 1, 2, 2, 4


@given(st.text(max_size=60))
def test_indicator_resolution_raises_only_documented_errors(text: str) -> None:
    try:
        found = INDEX.indicator(text)
    except (NotFoundError, AmbiguousError):
        return
    assert found in ALL


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(indicator_scores(2025), min_size=2, max_size=4))
def test_import_then_export_gives_the_same_scores(
    tmp_path_factory: pytest.TempPathFactory, countries: list[dict[str, float]]
) -> None:
    folder = tmp_path_factory.mktemp("roundtrip")
    identities = [("MLI", "Mali"), ("NER", "Niger"), ("BFA", "Burkina Faso"), ("SEN", "Senegal")]
    source = folder / "round_2025.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS_2025)
        for (iso3, name), scores in zip(identities, countries, strict=False):
            values = {**scores, **published_composites(scores, 2025)}
            values.update(iso3=iso3, country=name, continent="Africa", region="West Africa")
            writer.writerow([f"{values[header_key(h)]}" for h in HEADERS_2025])
    import_file(source, folder / "data")
    index = Index.load(folder / "data")
    for (iso3, _), scores in zip(identities, countries, strict=False):
        record = index.by_iso3[iso3].records[2025]
        expected = {**scores, **published_composites(scores, 2025)}
        assert dict(record.scores) == expected
        exported = index.profile(iso3, 2025).rows()[1]
        assert {row[3]: row[6] for row in exported} == {k: expected[k] for k in score_keys(2025)}
