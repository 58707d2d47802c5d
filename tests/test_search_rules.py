"""How search matches: word starts, whole short words, hyphens as spaces, best sentence."""

import json

from typer.testing import CliRunner

from ocindex.cli import app
from ocindex.questions.search import find_terms, fold, parse_query

runner = CliRunner()


def matches(*words: str) -> list[dict[str, object]]:
    result = runner.invoke(app, ["search", *words, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["source"] == [
        {
            "iso3": "MLI",
            "edition": 2023,
            "document": "Global Organized Crime Index 2023 country profile: Mali",
        }
    ]
    return list(data["matches"])


def test_terms_match_the_start_of_words() -> None:
    assert find_terms("harm is not armed", ["arm"]) == [(12, 15)]


def test_short_terms_match_whole_words_only() -> None:
    assert find_terms("a cat ate an apple", ["a"]) == [(0, 1)]
    assert parse_query("a") == ("a",)


def test_hyphens_and_spaces_are_the_same() -> None:
    assert fold("Cyber-dependent")[0] == "cyber dependent"
    assert len(matches("cyber dependent")) == len(matches("cyber-dependent")) == 1


def test_the_sentence_shown_holds_the_most_terms() -> None:
    for match in matches('"armed groups"', "gold"):
        sentence = str(match["sentence"]).lower()
        assert "gold" in sentence or "armed groups" in sentence
    first = matches('"armed groups"', "gold")[0]
    assert "gold mines" in str(first["sentence"]) and "armed groups" in str(first["sentence"])


def test_a_new_indicator_has_no_comparison() -> None:
    result = runner.invoke(app, ["market", "financial", "--top", "1", "--format", "json"])
    change = json.loads(result.stdout)["ranking"][0]["change"]
    assert change["previous"] is None and change["comparable"] is None


def test_ambiguous_short_words_are_not_guessed() -> None:
    for word in ("state", "trafficking"):
        result = runner.invoke(app, ["rank", word])
        assert result.exit_code == 2
        assert "ambiguous" in result.stderr
