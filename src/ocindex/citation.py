"""How to cite the index: the GI-TOC report of an edition and, for African countries,
the ENACT country profile. Pure: returns a view."""

from ocindex.figures import plural
from ocindex.index import Index
from ocindex.model import Country
from ocindex.views import provenance_note
from ocindex.views.citation import CitationView

PUBLISHER = "Global Initiative Against Transnational Organized Crime"
URL = "https://ocindex.net"
ENACT = (
    "ENACT is funded by the European Union and implemented by the Institute for Security "
    "Studies and INTERPOL, in affiliation with the Global Initiative Against Transnational "
    "Organized Crime."
)


def _bibtex(key: str, fields: dict[str, str]) -> str:
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items())
    return f"@techreport{{{key},\n{body}\n}}"


def _escape(text: str) -> str:
    return text.replace("_", "\\_").replace("&", "\\&")


def cite(index: Index, edition: int, country: Country | None = None) -> CitationView:
    """The references for `edition` (and `country`'s profile in it)."""
    source = index.source(edition)
    where = f"{source.file}" + (f", sheet {source.sheet}" if source.sheet else "")
    data = f"Data: {where}, SHA-256 {source.sha256}."
    for update in source.updates:
        data += (
            f" Updated for {plural(update.countries, 'country')} from {update.file}, "
            f"SHA-256 {update.sha256}."
        )
    if source.missing:
        missing = ", ".join(m.name for m in source.missing)
        data += f" Covers {plural(source.countries, 'country')} (missing: {missing})."
    if note := provenance_note(source):
        data += f" {note}"
    title = f"Global Organized Crime Index {edition}"
    texts = [f"{PUBLISHER} (GI-TOC), {title}. Geneva: GI-TOC, {edition}. {URL}. {data}"]
    key = f"gitoc_ocindex_{edition}"
    entries = [
        _bibtex(
            key,
            {
                "author": f"{{{PUBLISHER}}}",
                "title": title,
                "institution": PUBLISHER,
                "address": "Geneva",
                "year": str(edition),
                "url": URL,
                "note": _escape(data),
            },
        )
    ]
    if country is not None:
        record = index.record(country, edition)
        profile = f"{country.name}: country profile, {title}"
        # The profile's own funding notices belong with its reference.
        document = country.documents.get(edition)
        funding = " ".join(
            line if line.endswith(".") else f"{line}."
            for line in (document.funding if document else ())
            if line != ENACT
        )
        if record.continent == "Africa":
            texts.append(
                f"ENACT and {PUBLISHER}, {profile}. ENACT Africa, {edition}. {ENACT}"
                + (f" {funding}" if funding else "")
            )
            author = f"{{ENACT}} and {{{PUBLISHER}}}"
        else:
            texts.append(f"{PUBLISHER}, {profile}. Geneva: GI-TOC, {edition}. {URL}.")
            author = f"{{{PUBLISHER}}}"
        entries.append(
            _bibtex(
                f"{key}_{country.iso3.lower()}",
                {
                    "author": author,
                    "title": profile,
                    "institution": PUBLISHER,
                    "year": str(edition),
                    "url": URL,
                    **({"note": ENACT} if record.continent == "Africa" else {}),
                },
            )
        )
    return CitationView(edition, key, tuple(texts), tuple(entries), source)
