"""Resolving what people type into countries and indicators (issue 3, item 6)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers_queries import DATA, as_json, ok, usage_error
from ocindex.errors import AmbiguousError, NotFoundError, UsageError
from ocindex.index import Index
from ocindex.indicators import ALL, Indicator
from ocindex.model import Country
from ocindex.resolve import MAX_QUERY, normalize

COUNTRY_CASES = [
    ("ivory coast", "CIV"),
    ("Ivory Coast", "CIV"),
    ("CIV", "CIV"),
    ("civ", "CIV"),
    ("CI", "CIV"),
    ("côte d'ivoire", "CIV"),
    ("Côte d\u2019Ivoire", "CIV"),  # typographic apostrophe
    ("Cote d'Ivoire", "CIV"),
    ("cote divoire", "CIV"),
    ("COTE D IVOIRE", "CIV"),
    ("DRC", "COD"),
    ("drc", "COD"),
    ("congo, dem. rep.", "COD"),
    ("Congo, Dem, Rep,", "COD"),  # the spreadsheet's spelling
    ("Congo-Kinshasa", "COD"),
    ("congo kinshasa", "COD"),
    ("DR Congo", "COD"),
    ("Congo-Brazzaville", "COG"),
    ("congo, rep.", "COG"),
    ("turkey", "TUR"),
    ("türkiye", "TUR"),
    ("Turkiye", "TUR"),
    ("TUR", "TUR"),
    ("the gambia", "GMB"),
    ("gambia", "GMB"),
    ("niger", "NER"),
    ("Niger", "NER"),
    ("NIGER", "NER"),
    (" niger ", "NER"),
    ("NER", "NER"),
    ("NE", "NER"),
    ("nigeria", "NGA"),
    ("NGA", "NGA"),
    ("mali", "MLI"),
    ("eswatini", "SWZ"),
    ("eSwatini", "SWZ"),
    ("swaziland", "SWZ"),
    ("guinea", "GIN"),
    ("guinea-bissau", "GNB"),
    ("Guinea Bissau", "GNB"),
    ("st lucia", "LCA"),
    ("Saint Lucia", "LCA"),
    ("st. kitts and nevis", "KNA"),
    ("são tomé and príncipe", "STP"),
    ("sao tome", "STP"),
    ("bosnia & herzegovina", "BIH"),
    ("north korea", "PRK"),
    ("south korea", "KOR"),
    ("sudan", "SDN"),
    ("south sudan", "SSD"),
    ("dominica", "DMA"),
    ("dominican republic", "DOM"),
]

INDICATOR_CASES = [
    ("cocaine", "cocaine_trade"),
    ("Cocaine trade", "cocaine_trade"),
    ("cocaine_trade", "cocaine_trade"),
    ("arms", "arms_trafficking"),
    ("aml", "anti_money_laundering"),
    ("AML", "anti_money_laundering"),
    ("anti-money laundering", "anti_money_laundering"),
    ("money laundering", "anti_money_laundering"),
    ("state-embedded", "state_embedded_actors"),
    ("state embedded", "state_embedded_actors"),
    ("cyber", "cyber_dependent_crimes"),
    ("financial", "financial_crimes"),
    ("non-renewable", "non_renewable_resource_crimes"),
    ("criminality", "criminality"),
    ("markets", "criminal_markets"),
    ("actors", "criminal_actors"),
    ("resilience", "resilience"),
    ("non-state actors", "non_state_actors"),
    ("prevention", "prevention"),
]


@pytest.fixture(scope="module")
def index() -> Index:
    return Index.load(DATA, use_cache=False)


# -- normalize ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Côte d'Ivoire", "cote divoire"),
        ("Côte d\u2019Ivoire", "cote divoire"),
        ("COTE D'IVOIRE", "cote divoire"),
        ("Congo, Dem. Rep.", "congo dem rep"),
        ("Congo, Dem, Rep,", "congo dem rep"),
        ("Congo-Kinshasa", "congo kinshasa"),
        ("Türkiye", "turkiye"),
        ("São Tomé and Príncipe", "sao tome and principe"),
        ("Caribbean & Central", "caribbean and central"),
        ("  Mali  ", "mali"),
        ("state_embedded_actors", "state embedded actors"),
        ("Anti-money laundering", "anti money laundering"),
        ("", ""),
        ("...", ""),
        ("ÅLAND", "aland"),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


@given(st.text())
def test_normalize_is_idempotent_and_tidy(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
    assert once == once.strip()
    assert "  " not in once


# -- countries ---------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "iso3"), COUNTRY_CASES)
def test_index_country(index: Index, text: str, iso3: str) -> None:
    country = index.country(text)
    assert isinstance(country, Country)
    assert country.iso3 == iso3


@pytest.mark.parametrize(
    ("text", "iso3"),
    [
        ("ivory coast", "CIV"),
        ("CIV", "CIV"),
        ("côte d'ivoire", "CIV"),
        ("DRC", "COD"),
        ("congo, dem. rep.", "COD"),
        ("Congo-Kinshasa", "COD"),
        ("turkey", "TUR"),
        ("türkiye", "TUR"),
        ("the gambia", "GMB"),
        ("niger", "NER"),
    ],
)
def test_cli_resolves_countries(text: str, iso3: str) -> None:
    out = as_json(ok("show", text, "--format", "json").stdout)
    assert out["country"]["iso3"] == iso3


def test_every_country_resolves_by_name_codes_slug_and_aliases(index: Index) -> None:
    for country in index.countries:
        for text in (country.name, country.iso3, country.iso2, country.slug, *country.aliases):
            assert index.country(text) is country, text
        assert index.country(country.name.upper()) is country
        assert index.country(country.name.lower()) is country


def test_niger_is_never_nigeria(index: Index) -> None:
    for text in ("niger", "Niger", "NIGER", "NER", "ner", "NE", "République du Niger"[-5:]):
        assert index.country(text).iso3 == "NER"


def test_congo_alone_is_ambiguous(index: Index) -> None:
    with pytest.raises(AmbiguousError) as caught:
        index.country("congo")
    assert caught.value.candidates == ["Congo, Dem. Rep.", "Congo, Rep."]
    assert caught.value.exit_code == 2
    result = usage_error("show", "congo")
    assert "country 'congo' is ambiguous: it could be 'Congo, Dem. Rep.' or 'Congo, Rep.'" in (
        result.stderr
    )


@pytest.mark.parametrize(
    ("text", "suggestions"),
    [
        ("nigera", "did you mean 'Nigeria' or 'Niger'?"),
        ("mail", "did you mean 'Mali'?"),
        ("frnace", "did you mean 'France'?"),
        ("Columbia", "did you mean 'Colombia'?"),
    ],
)
def test_unknown_country_suggests(index: Index, text: str, suggestions: str) -> None:
    with pytest.raises(NotFoundError) as caught:
        index.country(text)
    assert suggestions in str(caught.value)
    result = usage_error("show", text)
    assert f"ocindex: unknown country '{text}'; {suggestions}" in result.stderr
    assert "ocindex list countries" in result.stderr


@pytest.mark.parametrize("text", ["narnia-land-xyz", "", "   ", "!!!", "a" * (MAX_QUERY + 1)])
def test_unknown_country_without_suggestions(index: Index, text: str) -> None:
    with pytest.raises(NotFoundError):
        index.country(text)
    result = usage_error("show", text)
    assert "Traceback" not in result.stderr


# -- indicators --------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "key"), INDICATOR_CASES)
def test_index_indicator(index: Index, text: str, key: str) -> None:
    indicator = index.indicator(text)
    assert isinstance(indicator, Indicator)
    assert indicator.key == key


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("cocaine", "cocaine_trade"),
        ("arms", "arms_trafficking"),
        ("aml", "anti_money_laundering"),
        ("state-embedded", "state_embedded_actors"),
        ("cyber", "cyber_dependent_crimes"),
    ],
)
def test_cli_resolves_indicators(text: str, key: str) -> None:
    out = as_json(ok("rank", text, "--top", "1", "--format", "json").stdout)
    assert out["indicator"]["key"] == key


def test_every_indicator_resolves_by_key_name_and_short_forms(index: Index) -> None:
    for item in ALL:
        for text in (item.key, item.name, *item.short_forms):
            assert index.indicator(text) is item, text


@pytest.mark.parametrize(
    ("text", "candidates"),
    [
        ("human", ["human_smuggling", "human_trafficking"]),
        ("criminal", ["criminal_actors", "criminal_markets", "criminal_networks", "criminality"]),
        ("non", ["non_renewable_resource_crimes", "non_state_actors"]),
    ],
)
def test_ambiguous_indicator(index: Index, text: str, candidates: list[str]) -> None:
    with pytest.raises(AmbiguousError) as caught:
        index.indicator(text)
    assert caught.value.candidates == candidates
    result = usage_error("rank", text)
    assert f"indicator '{text}' is ambiguous" in result.stderr
    for candidate in candidates:
        assert f"'{candidate}'" in result.stderr


def test_unknown_indicator(index: Index) -> None:
    with pytest.raises(NotFoundError) as caught:
        index.indicator("cocaiine")
    assert "did you mean 'cocaine_trade'?" in str(caught.value)


# -- never anything but a Country or one of the two errors -------------------------------

ODD_TEXT = st.one_of(
    st.text(),
    st.text(min_size=MAX_QUERY - 5, max_size=MAX_QUERY + 5),
    st.text(min_size=1000, max_size=5000),
    st.text(
        alphabet=st.characters(
            categories=["Mn", "Mc", "Me", "Zs", "Zl", "Zp", "Cc", "Cf", "Co", "So", "Lo", "Lt"]
        )
    ),
    st.text(alphabet="congo, dem. rep. CÔTE D'IVOIRE niger\u0301\u200b\ufeff&-_'\u2019"),
    st.sampled_from(["ß", "ǅ", "İ", "ﬁ", "\u0000", "\u0131", "\U0001f600", "\ud7ff", "Ⅻ", "ⓜⓐⓛⓘ"]),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=ODD_TEXT)
def test_country_resolution_never_crashes(index: Index, text: str) -> None:
    try:
        result = index.country(text)
    except (NotFoundError, AmbiguousError) as exc:
        assert type(exc) in (NotFoundError, AmbiguousError)
        assert "\n" not in exc.message
        assert len(exc.message) < 1000
    else:
        assert isinstance(result, Country)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=ODD_TEXT)
def test_indicator_resolution_never_crashes(index: Index, text: str) -> None:
    try:
        result = index.indicator(text)
    except (NotFoundError, AmbiguousError):
        pass
    else:
        assert isinstance(result, Indicator)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=ODD_TEXT)
def test_place_resolution_never_crashes(index: Index, text: str) -> None:
    try:
        result = index.place(text, "region", 2023)
    except (NotFoundError, AmbiguousError):
        pass
    else:
        assert isinstance(result, str)


@settings(max_examples=200, deadline=None)
@given(
    country=st.sampled_from(["Côte d'Ivoire", "Türkiye", "Congo, Dem. Rep.", "Niger", "Mali"]),
    upper=st.booleans(),
    strip_accents=st.booleans(),
    pad=st.sampled_from(["", " ", "  ", "\t"]),
)
def test_spelling_variants_resolve_to_the_same_country(
    index: Index, country: str, upper: bool, strip_accents: bool, pad: str
) -> None:
    text = country
    if strip_accents:
        text = text.replace("ô", "o").replace("ü", "u")
    if upper:
        text = text.upper()
    assert index.country(pad + text + pad) is index.country(country)


def test_errors_are_usage_errors() -> None:
    assert issubclass(NotFoundError, UsageError)
    assert issubclass(AmbiguousError, UsageError)
