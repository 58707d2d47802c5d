"""Regenerate `src/ocindex/countries.csv`, the importer's seed table of country identities.

Run by a maintainer, not at run time (needs `pycountry`, which ocindex does not depend on):

    python tools/make_country_registry.py sources/global_oc_index_2025.csv

Names come from the newest GI-TOC file that spells them (the 2025 CSV, which also gives
ISO3); the three countries missing from that file take the official 2021 spelling.
ISO2 codes and the ISO English names come from pycountry (ISO 3166-1); the common
aliases below are ocindex's own, for people typing names.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pycountry

MISSING_FROM_2025 = {
    "KNA": "St. Kitts and Nevis",
    "LCA": "St. Lucia",
    "VCT": "St. Vincent and the Grenadines",
}

COMMON_ALIASES: dict[str, list[str]] = {
    "BHS": ["The Bahamas"],
    "BOL": ["Plurinational State of Bolivia"],
    "BRN": ["Brunei Darussalam"],
    "CIV": ["Ivory Coast", "Cote d'Ivoire"],
    "COD": [
        "DRC",
        "DR Congo",
        "Congo-Kinshasa",
        "Democratic Republic of the Congo",
        "Congo, Dem. Rep.",
        "Congo (Kinshasa)",
    ],
    "COG": ["Congo-Brazzaville", "Republic of the Congo", "Congo, Rep.", "Congo (Brazzaville)"],
    "CPV": ["Cape Verde"],
    "CZE": ["Czechia"],
    "FSM": ["Micronesia", "Federated States of Micronesia", "Micronesia, Fed. Sts."],
    "GBR": ["UK", "Britain", "Great Britain", "United Kingdom"],
    "GMB": ["The Gambia"],
    "IRN": ["Islamic Republic of Iran"],
    "KOR": ["South Korea", "Korea, Rep.", "Republic of Korea"],
    "PRK": ["North Korea", "Korea, DPR", "DPRK", "Democratic People's Republic of Korea"],
    "LAO": ["Lao PDR", "Lao People's Democratic Republic"],
    "MKD": ["Macedonia"],
    "MMR": ["Burma"],
    "NLD": ["Holland"],
    "PSE": ["Palestine"],
    "RUS": ["Russian Federation"],
    "SWZ": ["eSwatini", "Swaziland"],
    "SYR": ["Syrian Arab Republic"],
    "TLS": ["East Timor"],
    "TUR": ["Türkiye", "Turkiye"],
    "TZA": ["United Republic of Tanzania"],
    "USA": ["US", "U.S.", "United States of America", "America"],
    "ARE": ["UAE"],
    "VAT": ["Holy See"],
    "VEN": ["Bolivarian Republic of Venezuela", "Venezuela, RB"],
    "VNM": ["Viet Nam"],
}


AMBIGUOUS = {"Congo", "Korea", "Guinea", "Sudan"}
"""Names that must never resolve to one country alone (ISO calls the Republic "Congo")."""


def main(path: str) -> None:
    names: dict[str, str] = {}
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            names[row["ISO3"]] = row["Country"]
    names.update(MISSING_FROM_2025)
    out = Path(__file__).resolve().parents[1] / "src" / "ocindex" / "countries.csv"
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["iso3", "iso2", "name", "aliases"])
        for iso3 in sorted(names):
            country = pycountry.countries.get(alpha_3=iso3)
            if country is None:
                raise SystemExit(f"{iso3}: not an ISO 3166-1 code")
            aliases: list[str] = []
            for extra in (
                getattr(country, "common_name", None),
                country.name,
                getattr(country, "official_name", None),
                *COMMON_ALIASES.get(iso3, []),
            ):
                if (
                    extra
                    and extra != names[iso3]
                    and extra not in aliases
                    and extra not in AMBIGUOUS
                ):
                    aliases.append(extra)
            writer.writerow([iso3, country.alpha_2, names[iso3], "|".join(aliases)])
    print(f"wrote {len(names)} countries to {out}")


if __name__ == "__main__":
    main(sys.argv[1])
