"""The questions the tool answers, as pure functions from an Index to a view.

Each function imports its own view module: creating view classes is part of start-up time,
so a command pays only for the views it returns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ocindex.errors import UsageError
from ocindex.figures import competition_ranks, difference, hundredths, published_composites
from ocindex.index import Index
from ocindex.indicators import (
    ACTORS,
    ALL,
    BY_KEY,
    CRIMINALITY,
    EDITIONS,
    INDICATORS,
    MARKETS,
    METHODOLOGY_BREAK,
    PILLARS,
    RANKED_COMPOSITES,
    RESILIENCE,
    Indicator,
    assessed,
)
from ocindex.model import Country, EditionRecord, NarrativeParagraph
from ocindex.views import Change, TextExcerpt, coverage_note

if TYPE_CHECKING:
    from fractions import Fraction

    from ocindex.views.comparison import ComparisonView
    from ocindex.views.listing import ListView
    from ocindex.views.profile import ProfileView
    from ocindex.views.ranking import RankingView
    from ocindex.views.search import SearchView
    from ocindex.views.trend import TrendView
    from ocindex.views.verification import Discrepancy, Explanation, VerificationReport

COMPOSITE_KEYS = (CRIMINALITY, MARKETS, ACTORS, RESILIENCE)


def comparable(key: str, edition: int, previous: int) -> bool:
    """Whether `key` means the same thing in both editions.

    Criminality and the two criminality pillars average more indicators from 2023 on,
    so their change across the 2021 methodology break is not like for like.
    """
    crosses_break = previous < METHODOLOGY_BREAK <= edition
    return not (crosses_break and key in (CRIMINALITY, MARKETS, ACTORS))


def _change(
    key: str,
    previous: int,
    edition: int,
    old: float | None,
    new: float | None,
    *,
    like_for_like: bool = False,
) -> Change:
    """How `key` moved from `previous` to `edition`.

    Without both figures there is nothing to compare: `change` and `comparable` are None
    in every view (show, rank, trend), and tables show "new" when the indicator was not
    assessed in `previous`, "n/a" when the country was not covered.
    `like_for_like` is for figures recomputed on one indicator set across editions.
    """
    if old is None or new is None:
        return Change(previous, old, None, None)
    delta = difference(new, old)
    return Change(previous, old, delta, like_for_like or comparable(key, edition, previous))


def change(index: Index, country: Country, key: str, edition: int) -> Change | None:
    """The change of `key` since the edition before `edition`, if there is one."""
    previous = index.previous_edition(edition)
    if previous is None:
        return None
    before = country.records.get(previous)
    old = before.scores.get(key) if before else None
    return _change(key, previous, edition, old, country.records[edition].scores[key])


def profile(index: Index, country: Country, edition: int, *, text: bool = False) -> ProfileView:
    """A country's profile: headline scores with rank context, pillars, changes, text."""
    from ocindex.views.profile import PillarBlock, ProfileView, ScoreLine

    record = index.record(country, edition)

    def line(key: str) -> ScoreLine:
        return ScoreLine(BY_KEY[key], record.scores[key], change(index, country, key, edition))

    document = country.documents.get(edition)
    return ProfileView(
        country=country,
        edition=edition,
        continent=record.continent,
        region=record.region,
        headline=(line(CRIMINALITY), line(RESILIENCE)),
        ranks={key: index.positions(country, key, edition) for key in RANKED_COMPOSITES},
        pillars=tuple(
            PillarBlock(
                BY_KEY[pillar],
                line(pillar),
                tuple(line(item.key) for item in assessed(pillar, edition)),
            )
            for pillar in PILLARS
        ),
        narrative=(document.narrative if document else ()) if text else None,
        text_editions=tuple(sorted(country.documents)),
        source=index.source(edition),
        document=document.document if document else None,
        funding=document.funding if document and text else (),
    )


# -- verification ------------------------------------------------------------------------


def _fmt(value: Fraction) -> str:
    """An exact value for people: 97/15 = 6.466666…"""
    from ocindex.arithmetic import exact

    if value.denominator == 1:
        return str(value.numerator)
    decimal = f"{float(value):.6f}".rstrip("0")
    return decimal if exact(decimal) == value else f"{decimal}…"


def verify_record(country: Country, record: EditionRecord) -> list[Discrepancy]:
    """Composites of one country-edition recomputed from unrounded components."""
    from ocindex.views.verification import Discrepancy

    found = []
    for key, recomputed in published_composites(record.scores, record.edition).items():
        if hundredths(recomputed) != hundredths(record.scores[key]):
            found.append(
                Discrepancy(
                    country.iso3,
                    country.name,
                    record.edition,
                    key,
                    f"{record.scores[key]:.2f}",
                    f"{recomputed:.2f}",
                )
            )
    return found


def explain(country: Country, record: EditionRecord) -> Explanation:
    """The arithmetic of one country-edition, step by step."""
    from fractions import Fraction

    from ocindex.arithmetic import composites, exact, mean, round_half_up
    from ocindex.views.verification import ExplainStep, Explanation

    edition = record.edition
    scores = record.scores
    unrounded = composites(scores, edition)

    def step(key: str, formula: str) -> ExplainStep:
        value = unrounded[key]
        rounded = round_half_up(value)
        published = scores[key]
        return ExplainStep(
            BY_KEY[key].name,
            formula,
            _fmt(value),
            str(value),
            str(rounded),
            f"{published:.2f}",
            exact(rounded) == exact(published),
        )

    steps = []
    for pillar in (MARKETS, ACTORS, RESILIENCE):
        items = assessed(pillar, edition)
        total = sum((exact(scores[i.key]) for i in items), Fraction(0))
        steps.append(step(pillar, f"{_fmt(total)} / {len(items)} indicators"))
    steps.append(
        step(
            CRIMINALITY,
            f"({_fmt(unrounded[MARKETS])} + {_fmt(unrounded[ACTORS])}) / 2, unrounded pillars",
        )
    )
    rounded = round_half_up(unrounded[CRIMINALITY])
    shortcut = mean(
        [exact(round_half_up(unrounded[MARKETS])), exact(round_half_up(unrounded[ACTORS]))]
    )
    shortcut_rounded = round_half_up(shortcut)
    notes = [
        "Each composite is rounded once, half up, to two decimals, from unrounded components.",
    ]
    if shortcut_rounded != rounded:
        notes.append(
            f"Averaging the rounded pillars instead, ({round_half_up(unrounded[MARKETS])} + "
            f"{round_half_up(unrounded[ACTORS])}) / 2 = {_fmt(shortcut)} → {shortcut_rounded}, "
            f"would give {shortcut_rounded}, not the published {scores[CRIMINALITY]:.2f}: "
            "the shortcut is wrong."
        )
    else:
        notes.append(
            f"Averaging the rounded pillars happens to give the same {rounded} here "
            f"({_fmt(shortcut)} → {shortcut_rounded})."
        )
    if edition < METHODOLOGY_BREAK:
        notes.append(
            f"{edition} assessed {len(assessed(MARKETS, edition))} markets and "
            f"{len(assessed(ACTORS, edition))} actor types; later editions assess "
            f"{len(assessed(MARKETS, METHODOLOGY_BREAK))} and "
            f"{len(assessed(ACTORS, METHODOLOGY_BREAK))}."
        )
    return Explanation(country, edition, tuple(steps), tuple(notes))


def verify(
    index: Index,
    countries: Sequence[Country] | None = None,
    editions: Sequence[int] | None = None,
    *,
    explain_countries: Sequence[Country] = (),
) -> VerificationReport:
    """Recompute every composite, stated rank and stated score; list what disagrees."""
    from ocindex.views.verification import Discrepancy, VerificationReport

    chosen = list(countries) if countries else list(index.countries)
    years = tuple(editions) if editions else index.editions
    discrepancies: list[Discrepancy] = []
    checked_composites = checked_ranks = checked_scores = 0
    for country in chosen:
        for year in years:
            record = country.records.get(year)
            if record is None:
                continue
            checked_composites += len(COMPOSITE_KEYS)
            discrepancies.extend(verify_record(country, record))
            document = country.documents.get(year)
            if document is None:
                continue
            for key, stated in document.stated_scores.items():
                checked_scores += 1
                published = record.scores.get(key)
                if published is None or hundredths(published) != hundredths(stated):
                    discrepancies.append(
                        Discrepancy(
                            country.iso3,
                            country.name,
                            year,
                            f"{key} as stated in the profile, vs the data",
                            f"{stated:.2f}",
                            "not in data" if published is None else f"{published:.2f}",
                        )
                    )
            for key, scopes in document.stated_ranks.items():
                for scope, stated_rank in scopes.items():
                    checked_ranks += 1
                    pos = index.position(country, key, year, scope)
                    if (pos.rank, pos.of) != (stated_rank.rank, stated_rank.of):
                        discrepancies.append(
                            Discrepancy(
                                country.iso3,
                                country.name,
                                year,
                                f"{key} rank ({scope})",
                                f"{stated_rank.rank} of {stated_rank.of}",
                                f"{pos.rank} of {pos.of}",
                            )
                        )
    explanations = tuple(
        explain(country, country.records[year])
        for country in explain_countries
        for year in years
        if year in country.records
    )
    return VerificationReport(
        countries=sum(1 for c in chosen if any(y in c.records for y in years)),
        editions=years,
        composites=checked_composites,
        stated_ranks=checked_ranks,
        stated_scores=checked_scores,
        discrepancies=tuple(discrepancies),
        explanations=explanations,
        sources=tuple(index.source(year) for year in years),
    )


# -- rankings ----------------------------------------------------------------------------


def require_assessed(indicator: Indicator, edition: int) -> None:
    """Refuse an indicator that `edition` did not assess (2021 has no financial crimes)."""
    if not indicator.assessed_in(edition):
        raise UsageError(
            f"{indicator.name} ({indicator.key}) was not assessed in {edition}",
            f"It is assessed from {indicator.since} on; try --year {indicator.since} or later.",
        )


def texts_about(
    index: Index, countries: Sequence[Country], edition: int, key: str
) -> tuple[tuple[TextExcerpt, ...], str | None]:
    """Paragraphs of `edition`'s profiles that discuss `key`, for these countries.

    Text of other editions is never shown as this edition's; the note says where it is.
    """
    excerpts = []
    for country in countries:
        document = country.documents.get(edition)
        if document is None:
            continue
        for paragraph in document.narrative:
            if key in paragraph.indicators or (
                BY_KEY[key].is_composite and _in_pillar(paragraph, key)
            ):
                excerpts.append(TextExcerpt(country, edition, paragraph))
    note = None
    if not excerpts:
        elsewhere = sorted(
            f"{c.name} ({', '.join(str(y) for y in sorted(c.documents))})"
            for c in countries
            if c.documents
        )
        note = f"No profile text in {edition} for the countries listed" + (
            f"; text exists for {'; '.join(elsewhere)}." if elsewhere else "."
        )
    return tuple(excerpts), note


def _in_pillar(paragraph: NarrativeParagraph, key: str) -> bool:
    if key == CRIMINALITY:
        return paragraph.section != BY_KEY[RESILIENCE].name
    return paragraph.section == BY_KEY[key].name


def _within(
    index: Index, edition: int, continent: str | None, region: str | None
) -> tuple[list[tuple[Country, EditionRecord]], str]:
    """The countries of `edition` in a continent and/or region, and the scope's name."""
    members = index.records(edition)
    scope = "the world"
    if continent:
        scope = index.place(continent, "continent", edition)
        members = [(c, r) for c, r in members if r.continent == scope]
    if region:
        chosen = index.place(region, "region", edition)
        members = [(c, r) for c, r in members if r.region == chosen]
        scope = f"{chosen}, {scope}" if continent else chosen
    return members, scope


def rank(
    index: Index,
    indicator: Indicator,
    edition: int,
    *,
    continent: str | None = None,
    region: str | None = None,
    top: int | None = None,
    ascending: bool = False,
    text: bool = False,
) -> RankingView:
    """Countries ranked on one score, within the world, a continent or a region."""
    from ocindex.views.ranking import RankedCountry, RankingView

    require_assessed(indicator, edition)
    if top is not None and top < 1:
        raise UsageError(f"--top must be at least 1, not {top}")
    members, scope = _within(index, edition, continent, region)
    if not members:
        raise UsageError(f"no country of {edition} is in both {continent} and {region}")
    key = indicator.key
    # Ranks are always the index's: the highest score is 1st. --ascending only lists the
    # lowest first (ties keep the index's alphabetical order: the sort is stable).
    ranks = competition_ranks({c.iso3: r.scores[key] for c, r in members})
    direction = -1 if ascending else 1
    ordered = sorted(members, key=lambda cr: direction * ranks[cr[0].iso3])
    # --top N shows the first N listed and whoever ties with the Nth (never half a tie).
    if top and top < len(ordered):
        cut = direction * ranks[ordered[top - 1][0].iso3]
        shown = [cr for cr in ordered if direction * ranks[cr[0].iso3] <= cut]
    else:
        shown = ordered
    entries = tuple(
        RankedCountry(
            ranks[c.iso3], c, r.continent, r.region, r.scores[key], change(index, c, key, edition)
        )
        for c, r in shown
    )
    excerpts: tuple[TextExcerpt, ...] | None = None
    note = None
    if text:
        excerpts, note = texts_about(index, [c for c, _ in shown], edition, key)
    return RankingView(
        indicator,
        edition,
        scope,
        ascending,
        entries,
        len(members),
        top,
        index.source(edition),
        excerpts,
        note,
    )


# -- comparison and trend ----------------------------------------------------------------


def compare(index: Index, countries: Sequence[Country], edition: int) -> ComparisonView:
    """Every score of 2 to 10 countries side by side, in one edition."""
    from ocindex.views.comparison import ComparedIndicator, ComparisonView

    unique = list({country.iso3: country for country in countries}.values())
    if not 2 <= len(unique) <= 10:
        raise UsageError(
            f"compare takes 2 to 10 different countries, not {len(unique)}",
            "Example: ocindex compare mali niger burkina-faso",
        )
    records = [index.record(c, edition) for c in unique]
    lines = tuple(
        ComparedIndicator(item, tuple(r.scores.get(item.key) for r in records))
        for item in ALL
        if item.assessed_in(edition)
    )
    return ComparisonView(
        edition=edition,
        countries=tuple(unique),
        places=tuple((r.continent, r.region) for r in records),
        lines=lines,
        ranks={
            key: tuple(index.positions(c, key, edition) for c in unique)
            for key in RANKED_COMPOSITES
        },
        source=index.source(edition),
    )


def _basis_2021(record: EditionRecord) -> dict[str, float]:
    """Criminality and its pillars recomputed with only the indicators 2021 assessed."""
    values = published_composites(record.scores, EDITIONS[0])
    return {key: values[key] for key in (CRIMINALITY, MARKETS, ACTORS)}


def trend(index: Index, country: Country, indicators: Sequence[Indicator] = ()) -> TrendView:
    """A country's scores edition by edition, with changes and the comparable basis."""
    from ocindex.views.trend import TrendSeries, TrendView

    # Every edition, so that output has the same columns for every country; an edition
    # whose source lacks the country shows no values (and a note says so).
    editions = index.editions
    chosen = list(dict.fromkeys(indicators)) or [*(BY_KEY[k] for k in COMPOSITE_KEYS), *INDICATORS]

    def value(edition: int, key: str) -> float | None:
        record = country.records.get(edition)
        return None if record is None else record.scores.get(key)

    def series(
        item: Indicator, values: list[float | None], basis_note: str | None = None
    ) -> TrendSeries:
        changes: list[Change | None] = [None]
        for before, after, old, new in zip(
            editions, editions[1:], values, values[1:], strict=False
        ):
            changes.append(
                _change(
                    item.key,
                    before,
                    after,
                    old,
                    new,
                    like_for_like=basis_note is not None,
                )
            )
        return TrendSeries(item, tuple(values), tuple(changes), basis_note)

    published = tuple(series(item, [value(e, item.key) for e in editions]) for item in chosen)
    basis = tuple(
        series(
            BY_KEY[key],
            [
                _basis_2021(country.records[e])[key] if e in country.records else None
                for e in editions
            ],
            f"{BY_KEY[key].name} on the 2021 indicator set",
        )
        for key in (CRIMINALITY, MARKETS, ACTORS)
        if BY_KEY[key] in chosen
    )
    notes = tuple(
        f"{country.name} has no {e} scores: the {e} source covers "
        f"{index.source(e).countries} countries."
        for e in editions
        if e not in country.records
    )
    return TrendView(
        country, editions, published, basis, tuple(index.source(e) for e in editions), notes
    )


# -- search ------------------------------------------------------------------------------


_DASHES = str.maketrans({"-": " ", "\u2010": " ", "\u2011": " ", "\u2013": " ", "\u2014": " "})
SHORT_TERM = 3
"""Terms shorter than this match whole words only ("a" is not every word starting with a)."""


def fold(text: str) -> tuple[str, list[int]]:
    """Case- and accent-folded text, with the position in `text` of each folded character.

    Hyphens and dashes fold to spaces: "cyber-dependent" matches "cyber dependent".
    """
    if text.isascii():  # the common case: one folded character per character
        return text.lower().translate(_DASHES), list(range(len(text)))
    import unicodedata

    out: list[str] = []
    positions: list[int] = []
    for i, ch in enumerate(text):
        if ch.isascii():
            out.append(" " if ch == "-" else ch.lower())
            positions.append(i)
            continue
        plain = "".join(
            c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
        ).casefold()
        for c in plain.replace("\u2019", "'").translate(_DASHES):
            out.append(c)
            positions.append(i)
    return "".join(out), positions


def parse_query(query: str) -> tuple[str, ...]:
    """Words and "quoted phrases", folded: 'Gold "armed groups"' -> ('gold', 'armed groups')."""
    import shlex  # only search parses a query

    try:
        parts = shlex.split(query)
    except ValueError:  # an unbalanced quote: take the words as they are
        parts = query.replace('"', " ").split()
    terms = []
    for part in parts:
        folded = " ".join(fold(part)[0].split())
        if folded and re.search(r"\w", folded):
            terms.append(folded)
    if not terms:
        raise UsageError("nothing to search for", 'Give words or "a phrase in quotes".')
    return tuple(dict.fromkeys(terms))


def find_terms(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Spans of `text` (original positions) where a term starts a word (short terms: where
    it is a whole word), so "arm" finds "armed" but not "harm"."""
    folded, positions = fold(text)
    spans = []
    for term in terms:
        whole = r"(?!\w)" if len(term) < SHORT_TERM else ""
        for match in re.finditer(r"(?<!\w)" + re.escape(term) + whole, folded):
            start = positions[match.start()]
            end = positions[match.end() - 1] + 1
            spans.append((start, end))
    return sorted(spans)


def _matched(text: str, terms: Sequence[str], spans: Sequence[tuple[int, int]]) -> set[str]:
    """The terms that the matches at `spans` of `text` are matches of."""
    found = {fold(text[a:b])[0] for a, b in spans}
    return {term for term in terms if any(f.startswith(term) for f in found)}


def _sentences(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^.!?]+(?:[.!?]+[\"')\]]*|$)", text)]


def search(
    index: Index,
    query: str,
    *,
    edition: int | None = None,
    countries: Sequence[Country] = (),
) -> SearchView:
    """Profile paragraphs containing every term; for each, the sentence with most of them."""
    from ocindex.views.search import SearchView

    terms = parse_query(query)
    hits = []
    searched = 0
    documents: list[tuple[Country, int]] = []
    for country in countries or index.countries:
        for year, document in sorted(country.documents.items()):
            if edition is not None and year != edition:
                continue
            documents.append((country, year))
            for paragraph in document.narrative:
                searched += 1
                text = paragraph.text
                spans = find_terms(text, terms)
                if len(_matched(text, terms, spans)) < len(terms):
                    continue
                start, end = max(  # the sentence holding the most terms
                    _sentences(text),
                    key=lambda s: len(
                        _matched(text, terms, [m for m in spans if s[0] <= m[0] < s[1]])
                    ),
                )
                hits.append(
                    TextExcerpt(country, year, paragraph, paragraph.text[start:end].strip(), terms)
                )
    without = tuple(
        c for c in countries if not any(edition is None or year == edition for year in c.documents)
    )
    return SearchView(query, terms, tuple(hits), searched, tuple(documents), without)


# -- listings ----------------------------------------------------------------------------


def list_countries(
    index: Index, edition: int, continent: str | None = None, region: str | None = None
) -> ListView:
    from ocindex.views.listing import ListView

    records, _ = _within(index, edition, continent, region)
    items = tuple(
        (c.name, c.iso3, c.iso2, r.continent, r.region, tuple(sorted(c.records)))
        for c, r in records
    )
    note = coverage_note(index.source(edition))
    return ListView(
        "countries",
        ("name", "iso3", "iso2", "continent", "region", "editions"),
        items,
        f"Countries in {edition} ({len(items)})",
        (note,) if note else (),
        (index.source(edition),),
    )


def list_indicators(index: Index) -> ListView:
    from ocindex.views.listing import ListView

    items = tuple(
        (
            item.key,
            item.name,
            item.pillar,
            tuple(e for e in index.editions if item.assessed_in(e)),
            item.short_forms,
        )
        for item in ALL
    )
    return ListView(
        "indicators",
        ("key", "name", "pillar", "editions", "short_forms"),
        items,
        f"Indicators ({len(items)})",
        sources=tuple(index.source(e) for e in index.editions),
    )


def list_profiles(index: Index, year: int | None = None) -> ListView:
    """The profile documents whose text the data holds: country, edition, paragraphs."""
    from ocindex.views.listing import ListView

    edition = index.edition(year) if year is not None else None
    items = tuple(
        (c.name, c.iso3, e, len(document.narrative), document.document)
        for c in index.countries
        for e, document in sorted(c.documents.items())
        if edition is None or e == edition
    )
    covered = len({item[1] for item in items})
    return ListView(
        "profiles",
        ("country", "iso3", "edition", "paragraphs", "document"),
        items,
        f"Profile documents with text ({len(items)}, {covered} of {len(index.countries)} "
        "countries)",
        ("Add one with `ocindex import PROFILE.pdf` (or its text, PROFILE.txt).",),
        tuple(index.source(e) for e in index.editions),
    )


def list_regions(index: Index, edition: int, continent: str | None = None) -> ListView:
    from ocindex.views.listing import ListView

    counts: dict[tuple[str, str], int] = {}
    for _, record in index.records(edition):
        place = (record.continent, record.region)
        counts[place] = counts.get(place, 0) + 1
    if continent:
        chosen = index.place(continent, "continent", edition)
        counts = {p: n for p, n in counts.items() if p[0] == chosen}
    items = tuple((continent_, region, n) for (continent_, region), n in sorted(counts.items()))
    return ListView(
        "regions",
        ("continent", "region", "countries"),
        items,
        f"Regions in {edition} ({len(items)})",
        sources=(index.source(edition),),
    )


def list_editions(index: Index) -> ListView:
    from ocindex.views.listing import ListView

    items = tuple(
        (
            source.edition,
            source.edition == index.manifest.default_edition,
            source.countries,
            tuple(m.name for m in source.missing),
            source.file,
            source.sheet or "",
            source.sha256,
        )
        for source in (index.source(e) for e in index.editions)
    )
    return ListView(
        "editions",
        ("edition", "default", "countries", "missing", "file", "sheet", "sha256"),
        items,
        "Editions",
        sources=tuple(index.source(e) for e in index.editions),
    )
