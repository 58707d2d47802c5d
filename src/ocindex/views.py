"""What commands return: plain results with their JSON and row forms, never printed here.

Each view knows its data; `ocindex.render` turns any of them into a table, JSON or CSV.
"""

from typing import Any, NamedTuple

from ocindex.figures import difference
from ocindex.index import RankPosition
from ocindex.indicators import BY_KEY, Indicator
from ocindex.model import Country, EditionSource, NarrativeParagraph

Row = list[Any]
LIST_SEPARATOR = "; "
"""How a list is written inside one CSV/TSV cell."""


PROFILE_HEADER = (
    "iso3",
    "country",
    "edition",
    "key",
    "indicator",
    "pillar",
    "score",
    "previous_edition",
    "previous_score",
    "change",
    "comparable",
    "rank_global",
    "rank_continent",
    "rank_region",
)

RANKING_HEADER = (
    "rank",
    "iso3",
    "country",
    "continent",
    "region",
    "score",
    "previous_edition",
    "previous_score",
    "change",
    "comparable",
)


FUNDING = ("Funding", "Attribution")
"""Section and heading of the funding notices in `--text` rows."""
TEXT_HEADER = ("iso3", "country", "edition", "section", "heading", "indicators", "text")


def text_row(country: Country, edition: int, paragraph: NarrativeParagraph) -> Row:
    """One narrative paragraph as a CSV/TSV row under TEXT_HEADER."""
    return [
        country.iso3,
        country.name,
        edition,
        paragraph.section,
        paragraph.heading,
        LIST_SEPARATOR.join(paragraph.indicators),
        paragraph.text,
    ]


def source_json(source: EditionSource) -> dict[str, Any]:
    """Provenance of an edition's figures, as every JSON output carries it."""
    return {
        "edition": source.edition,
        "file": source.file,
        **({"sheet": source.sheet} if source.sheet else {}),
        "sha256": source.sha256,
        "countries": source.countries,
        "missing": [{"iso3": m.iso3, "name": m.name} for m in source.missing],
        **(
            {
                "updates": [
                    {"file": u.file, "sha256": u.sha256, "countries": u.countries}
                    for u in source.updates
                ]
            }
            if source.updates
            else {}
        ),
    }


MAX_NAMED = 10
"""Missing countries named in a coverage note before "and N more"."""


def coverage_note(source: EditionSource) -> str | None:
    """The warning every 2025 ranking carries: which countries the source lacks."""
    if not source.missing:
        return None
    names = ", ".join(m.name for m in source.missing[:MAX_NAMED])
    if len(source.missing) > MAX_NAMED:
        names += f" and {len(source.missing) - MAX_NAMED} more"
    total = source.countries + len(source.missing)
    return (
        f"The {source.edition} data covers {source.countries} of {total} countries "
        f"(missing: {names}); its ranks are among {source.countries}."
    )


def country_json(country: Country, continent: str, region: str) -> dict[str, Any]:
    return {"name": country.name, "iso3": country.iso3, "continent": continent, "region": region}


def narrative_json(
    paragraphs: tuple[NarrativeParagraph, ...] | list[NarrativeParagraph],
) -> list[dict[str, Any]]:
    return [
        {
            "section": p.section,
            "heading": p.heading,
            "indicators": list(p.indicators),
            "text": p.text,
        }
        for p in paragraphs
    ]


class Change(NamedTuple):
    """How a score moved since the previous edition."""

    previous_edition: int
    previous: float | None
    """None: not assessed in the previous edition (or the country was not covered)."""
    delta: float | None
    comparable: bool | None
    """False where the figure's basis changed (criminality across the 2021 break); None
    where there is nothing to compare with."""

    def json(self) -> dict[str, Any]:
        return {
            "previous_edition": self.previous_edition,
            "previous": self.previous,
            "change": self.delta,
            "comparable": self.comparable,
        }


class ScoreLine(NamedTuple):
    """One indicator or composite of a profile, with its change since the last edition."""

    indicator: Indicator
    score: float
    change: Change | None


class PillarBlock(NamedTuple):
    pillar: Indicator
    average: ScoreLine
    lines: tuple[ScoreLine, ...]


class ProfileView(NamedTuple):
    """`ocindex show`: a country's profile in one edition."""

    country: Country
    edition: int
    continent: str
    region: str
    headline: tuple[ScoreLine, ...]
    """Criminality and resilience."""
    ranks: dict[str, dict[str, RankPosition]]
    pillars: tuple[PillarBlock, ...]
    narrative: tuple[NarrativeParagraph, ...] | None
    """None when not asked for; empty when the profile has no text for this edition."""
    text_editions: tuple[int, ...]
    source: EditionSource
    document: str | None = None
    funding: tuple[str, ...] = ()
    """The profile document's funding notices and attribution (shown with its text)."""

    @property
    def notes(self) -> list[str]:
        """What a reader of the figures must know: the 2025 coverage gap, missing text."""
        notes = []
        note = coverage_note(self.source)
        if note:
            notes.append(note)
        if self.narrative is not None and not self.narrative:
            have = ", ".join(str(y) for y in self.text_editions) or "no edition"
            notes.append(
                f"No profile text for {self.country.name} in {self.edition} "
                f"(text available for: {have})."
            )
        return notes

    def all_lines(self) -> list[ScoreLine]:
        lines = list(self.headline)
        for block in self.pillars:
            if block.average not in lines:
                lines.append(block.average)
            lines.extend(block.lines)
        return lines

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "country": country_json(self.country, self.continent, self.region),
            "edition": self.edition,
            "scores": {line.indicator.key: line.score for line in self.all_lines()},
            "ranks": {
                key: {
                    scope: {"rank": pos.rank, "of": pos.of, "name": pos.scope_name}
                    for scope, pos in scopes.items()
                }
                for key, scopes in self.ranks.items()
            },
            "changes": {
                line.indicator.key: line.change.json()
                for line in self.all_lines()
                if line.change is not None
            },
        }
        if self.narrative is not None:
            out["narrative"] = narrative_json(self.narrative)
            out["funding"] = list(self.funding)
        out["source"] = source_json(self.source)
        return out

    def rows(self) -> tuple[tuple[str, ...], list[Row]]:
        if self.narrative is not None:
            lines = [text_row(self.country, self.edition, p) for p in self.narrative]
            lines += [
                text_row(self.country, self.edition, NarrativeParagraph(*FUNDING, (), line))
                for line in self.funding
            ]
            return TEXT_HEADER, lines
        rows: list[Row] = []
        for line in self.all_lines():
            key = line.indicator.key
            change = line.change
            ranks = self.ranks.get(key, {})
            rows.append(
                [
                    self.country.iso3,
                    self.country.name,
                    self.edition,
                    key,
                    line.indicator.name,
                    BY_KEY[key].pillar,
                    line.score,
                    change.previous_edition if change else None,
                    change.previous if change else None,
                    change.delta if change else None,
                    change.comparable if change else None,
                    *(
                        ranks[s].rank if s in ranks else None
                        for s in ("global", "continent", "region")
                    ),
                ]
            )
        return PROFILE_HEADER, rows


class Discrepancy(NamedTuple):
    """A published figure that the index's own rules do not reproduce."""

    iso3: str
    country: str
    edition: int
    item: str
    published: str
    recomputed: str

    def json(self) -> dict[str, Any]:
        return dict(self._asdict())


class ExplainStep(NamedTuple):
    """One line of arithmetic, for `verify-scores --explain`."""

    item: str
    formula: str
    exact: str
    """The exact value in decimals, "…" where they go on (6.466667…)."""
    fraction: str
    """The exact value as a fraction (97/15)."""
    rounded: str
    published: str | None
    ok: bool

    def json(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "formula": self.formula,
            "exact": self.exact,
            "fraction": self.fraction,
            "rounded": float(self.rounded),
            "published": None if self.published is None else float(self.published),
            "ok": self.ok,
        }


class Explanation(NamedTuple):
    country: Country
    edition: int
    steps: tuple[ExplainStep, ...]
    notes: tuple[str, ...]


class VerificationReport(NamedTuple):
    """`ocindex verify-scores`: what was recomputed and what disagreed."""

    countries: int
    editions: tuple[int, ...]
    composites: int
    stated_ranks: int
    stated_scores: int
    discrepancies: tuple[Discrepancy, ...]
    explanations: tuple[Explanation, ...] = ()
    sources: tuple[EditionSource, ...] = ()

    @property
    def consistent(self) -> bool:
        return not self.discrepancies

    def summary(self) -> str:
        editions = ", ".join(str(e) for e in self.editions)
        return (
            f"Checked {self.countries} countr{'ies' if self.countries != 1 else 'y'}, "
            f"{len(self.editions)} "
            f"edition{'s' if len(self.editions) != 1 else ''} ({editions}), "
            f"{self.composites} composites, {self.stated_ranks} stated ranks, "
            f"{self.stated_scores} stated scores: "
            + (
                "all consistent."
                if self.consistent
                else f"{len(self.discrepancies)} discrepancies."
            )
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "checked": {
                "countries": self.countries,
                "editions": list(self.editions),
                "composites": self.composites,
                "stated_ranks": self.stated_ranks,
                "stated_scores": self.stated_scores,
            },
            "consistent": self.consistent,
            "source": [source_json(s) for s in self.sources],
            "discrepancies": [d.json() for d in self.discrepancies],
            **(
                {
                    "explanations": [
                        {
                            "iso3": e.country.iso3,
                            "country": e.country.name,
                            "edition": e.edition,
                            "steps": [s.json() for s in e.steps],
                            "notes": list(e.notes),
                        }
                        for e in self.explanations
                    ]
                }
                if self.explanations
                else {}
            ),
        }

    def rows(self) -> tuple[tuple[str, ...], list[Row]]:
        header: tuple[str, ...]
        if self.explanations:  # --explain: the arithmetic, step by step
            header = (
                "iso3",
                "country",
                "edition",
                "item",
                "formula",
                "exact",
                "fraction",
                "rounded",
                "published",
                "ok",
            )
            return header, [
                [
                    e.country.iso3,
                    e.country.name,
                    e.edition,
                    s.item,
                    s.formula,
                    s.exact,
                    s.fraction,
                    s.rounded,
                    s.published,
                    s.ok,
                ]
                for e in self.explanations
                for s in e.steps
            ]
        header = ("iso3", "country", "edition", "item", "published", "recomputed")
        return header, [
            [d.iso3, d.country, d.edition, d.item, d.published, d.recomputed]
            for d in self.discrepancies
        ]


def indicator_json(indicator: Indicator) -> dict[str, Any]:
    return {"key": indicator.key, "name": indicator.name, "pillar": indicator.pillar}


class RankedCountry(NamedTuple):
    rank: int
    country: Country
    continent: str
    region: str
    score: float
    change: Change | None


class TextExcerpt(NamedTuple):
    """A profile paragraph shown with a ranking or a search, labelled with its edition."""

    country: Country
    edition: int
    paragraph: NarrativeParagraph
    sentence: str | None = None
    """For search: the matching sentence."""
    terms: tuple[str, ...] = ()

    def json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "country": self.country.name,
            "iso3": self.country.iso3,
            "edition": self.edition,
            "section": self.paragraph.section,
            "heading": self.paragraph.heading,
            "indicators": list(self.paragraph.indicators),
        }
        if self.sentence is not None:
            out["sentence"] = self.sentence
        out["text"] = self.paragraph.text
        document = self.country.documents.get(self.edition)
        out["source"] = {
            "edition": self.edition,
            "document": document.document if document else None,
        }
        return out


class RankingView(NamedTuple):
    """`ocindex rank` (and `market`, `actor`, `resilience`): countries ordered on one score."""

    indicator: Indicator
    edition: int
    scope: str
    """"the world", a continent or a region."""
    ascending: bool
    entries: tuple[RankedCountry, ...]
    total: int
    """How many countries the scope holds (the table may show only the top N)."""
    top: int | None
    source: EditionSource
    excerpts: tuple[TextExcerpt, ...] | None = None
    text_note: str | None = None

    @property
    def notes(self) -> list[str]:
        notes = []
        note = coverage_note(self.source)
        if note:
            notes.append(note)
        if any(r.change and not r.change.comparable for r in self.entries):
            notes.append(
                "Changes marked * cross the 2021 methodology break (2021 criminality averaged "
                "10 markets and 4 actor types; 2023 on, 15 and 5)."
            )
        if self.text_note:
            notes.append(self.text_note)
        return notes

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "indicator": indicator_json(self.indicator),
            "edition": self.edition,
            "scope": self.scope,
            "order": "ascending" if self.ascending else "descending",
            "top": self.top,
            "of": self.total,
            "ranking": [
                {
                    "rank": r.rank,
                    "country": country_json(r.country, r.continent, r.region),
                    "score": r.score,
                    "change": r.change.json() if r.change else None,
                }
                for r in self.entries
            ],
            "notes": self.notes,
        }
        if self.excerpts is not None:
            out["narrative"] = [e.json() for e in self.excerpts]
        out["source"] = source_json(self.source)
        return out

    def rows(self) -> tuple[tuple[str, ...], list[Row]]:
        if self.excerpts is not None:  # --text: the paragraphs, as `show --text` gives them
            return TEXT_HEADER, [text_row(e.country, e.edition, e.paragraph) for e in self.excerpts]
        return RANKING_HEADER, [
            [
                r.rank,
                r.country.iso3,
                r.country.name,
                r.continent,
                r.region,
                r.score,
                r.change.previous_edition if r.change else None,
                r.change.previous if r.change else None,
                r.change.delta if r.change else None,
                r.change.comparable if r.change else None,
            ]
            for r in self.entries
        ]


class ComparedIndicator(NamedTuple):
    indicator: Indicator
    scores: tuple[float | None, ...]
    """One per country, in the order compared; None where not assessed."""

    @property
    def difference(self) -> float | None:
        """First minus second for two countries; highest minus lowest for more."""
        values = [v for v in self.scores if v is not None]
        if len(values) != len(self.scores) or len(values) < 2:
            return None
        first, second = (values[0], values[1]) if len(values) == 2 else (max(values), min(values))
        return difference(first, second)

    @property
    def highest(self) -> tuple[int, ...]:
        """Positions of the highest score (several when tied; none when all equal)."""
        values = [v for v in self.scores if v is not None]
        if not values or min(values) == max(values):
            return ()
        top = max(values)
        return tuple(i for i, v in enumerate(self.scores) if v == top)


class ComparisonView(NamedTuple):
    """`ocindex compare`: every indicator of 2-10 countries side by side."""

    edition: int
    countries: tuple[Country, ...]
    places: tuple[tuple[str, str], ...]
    """(continent, region) per country, in `edition`."""
    lines: tuple[ComparedIndicator, ...]
    ranks: dict[str, tuple[dict[str, RankPosition], ...]]
    source: EditionSource

    def to_json(self) -> dict[str, Any]:
        return {
            "edition": self.edition,
            "countries": [
                country_json(c, continent, region)
                for c, (continent, region) in zip(self.countries, self.places, strict=True)
            ],
            "indicators": [
                {
                    **indicator_json(line.indicator),
                    "scores": {c.iso3: v for c, v in zip(self.countries, line.scores, strict=True)},
                    "difference": line.difference,
                    "highest": [self.countries[i].iso3 for i in line.highest],
                }
                for line in self.lines
            ],
            "ranks": {
                key: {
                    c.iso3: {s: {"rank": p.rank, "of": p.of} for s, p in positions.items()}
                    for c, positions in zip(self.countries, per_country, strict=True)
                }
                for key, per_country in self.ranks.items()
            },
            "source": source_json(self.source),
        }

    def rows(self) -> tuple[tuple[str, ...], list[Row]]:
        header = (
            "key",
            "indicator",
            "pillar",
            *(c.iso3 for c in self.countries),
            "difference",
            "highest",
        )
        return header, [
            [
                line.indicator.key,
                line.indicator.name,
                line.indicator.pillar,
                *line.scores,
                line.difference,
                LIST_SEPARATOR.join(self.countries[i].iso3 for i in line.highest),
            ]
            for line in self.lines
        ]


class TrendSeries(NamedTuple):
    indicator: Indicator
    values: tuple[float | None, ...]
    """One per edition of the view; None where not assessed or not covered."""
    changes: tuple[Change | None, ...]
    """Change into each edition from the one before (None for the first)."""
    basis_note: str | None = None


class TrendView(NamedTuple):
    """`ocindex trend`: a country's scores across editions, with the 2021 break marked."""

    country: Country
    editions: tuple[int, ...]
    series: tuple[TrendSeries, ...]
    comparable_basis: tuple[TrendSeries, ...]
    """Criminality and its pillars recomputed on the 2021 indicator set, for every edition."""
    sources: tuple[EditionSource, ...]
    notes: tuple[str, ...] = ()
    """Editions whose source lacks the country."""

    def to_json(self) -> dict[str, Any]:
        def series_json(s: TrendSeries) -> dict[str, Any]:
            return {
                **indicator_json(s.indicator),
                "values": {str(e): v for e, v in zip(self.editions, s.values, strict=True)},
                "changes": [
                    c.json() | {"edition": e}
                    for e, c in zip(self.editions, s.changes, strict=True)
                    if c
                ],
            }

        return {
            "country": {"name": self.country.name, "iso3": self.country.iso3},
            "editions": list(self.editions),
            "series": [series_json(s) for s in self.series],
            "comparable_basis": [series_json(s) for s in self.comparable_basis],
            "notes": list(self.notes),
            "source": [source_json(s) for s in self.sources],
        }

    def rows(self) -> tuple[tuple[str, ...], list[Row]]:
        header = (
            "iso3",
            "key",
            "indicator",
            "basis",
            *(str(e) for e in self.editions),
            *(f"change_{e}" for e in self.editions[1:]),
            *(f"comparable_{e}" for e in self.editions[1:]),
        )
        rows: list[Row] = []
        for basis, group in (
            ("published", self.series),
            ("2021_indicators", self.comparable_basis),
        ):
            for s in group:
                rows.append(
                    [
                        self.country.iso3,
                        s.indicator.key,
                        s.indicator.name,
                        basis,
                        *s.values,
                        *((c.delta if c else None) for c in s.changes[1:]),
                        *((c.comparable if c else None) for c in s.changes[1:]),
                    ]
                )
        return header, rows


class SearchView(NamedTuple):
    """`ocindex search`: profile paragraphs that contain every term."""

    query: str
    terms: tuple[str, ...]
    hits: tuple[TextExcerpt, ...]
    paragraphs_searched: int

    documents: tuple[tuple[Country, int], ...] = ()
    """The profile documents searched: (country, edition)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "terms": list(self.terms),
            "searched": self.paragraphs_searched,
            "matches": [hit.json() for hit in self.hits],
            "source": [
                {"iso3": c.iso3, "edition": year, "document": c.documents[year].document}
                for c, year in self.documents
            ],
        }

    def rows(self) -> tuple[tuple[str, ...], list[Row]]:
        header = ("iso3", "country", "edition", "section", "heading", "indicators", "sentence")
        return header, [
            [
                h.country.iso3,
                h.country.name,
                h.edition,
                h.paragraph.section,
                h.paragraph.heading,
                LIST_SEPARATOR.join(h.paragraph.indicators),
                h.sentence,
            ]
            for h in self.hits
        ]


class ListView(NamedTuple):
    """`ocindex list …`: a plain listing with a fixed header."""

    kind: str
    header: tuple[str, ...]
    items: tuple[tuple[Any, ...], ...]
    title: str
    notes: tuple[str, ...] = ()
    sources: tuple[EditionSource, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "items": [dict(zip(self.header, item, strict=True)) for item in self.items],
            "notes": list(self.notes),
            "source": [source_json(s) for s in self.sources],
        }

    def rows(self) -> tuple[tuple[str, ...], list[Row]]:
        return self.header, [
            [LIST_SEPARATOR.join(map(str, v)) if isinstance(v, (list, tuple)) else v for v in item]
            for item in self.items
        ]


class ValidationView(NamedTuple):
    """`ocindex validate`: every problem of a data directory."""

    directory: str
    files: int
    problems: tuple[tuple[str, str, str], ...]
    """(file, where, message)."""

    @property
    def clean(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.clean:
            return f"{self.directory}: {self.files} files checked, no problems."
        return f"{self.directory}: {self.files} files checked, {len(self.problems)} problem(s)."

    def to_json(self) -> dict[str, Any]:
        return {
            "directory": self.directory,
            "files": self.files,
            "clean": self.clean,
            "problems": [{"file": f, "where": w, "message": m} for f, w, m in self.problems],
        }

    def rows(self) -> tuple[tuple[str, ...], list[Row]]:
        return ("file", "where", "problem"), [list(p) for p in self.problems]


class CitationView(NamedTuple):
    """`ocindex cite`: how to cite an edition (and a country's ENACT profile)."""

    edition: int
    key: str
    text: tuple[str, ...]
    """One plain-text reference per work."""
    bibtex: tuple[str, ...]
    source: EditionSource

    def to_json(self) -> dict[str, Any]:
        return {
            "edition": self.edition,
            "citations": list(self.text),
            "bibtex": list(self.bibtex),
            "source": source_json(self.source),
        }

    def rows(self) -> tuple[tuple[str, ...], list[Row]]:
        return ("edition", "citation"), [[self.edition, t] for t in self.text]
