"""Named groups of countries: the shipped ones (EU, OECD, G7, G20, ECOWAS, SADC, ASEAN, the
African Union, the G5 Sahel) and the user's own, from `groups.toml`.

Each group lists its members by ISO3, its source and the date its membership is valid for.
A group whose membership changed between editions gives the membership per edition
(`by_edition`), with a note saying what changed; `members_in(edition)` picks the right one.

User groups: a `groups.toml` in the user config folder (`$OCINDEX_CONFIG_DIR`, else
`$XDG_CONFIG_HOME/ocindex` or `~/.config/ocindex`) or in the data folder's `groups/`
subfolder (`groups/groups.toml`: top-level `*.toml` files of a data folder are profiles):

    [groups.sahel-core]
    name = "Central Sahel"
    members = ["MLI", "BFA", "NER"]
    source = "my own definition"      # optional
    valid = "2024-01-01"              # optional

Only a command given `--group` reads the file (and imports a TOML parser).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from ocindex.errors import DataError, NotFoundError
from ocindex.resolve import normalize

CONFIG_DIR_ENV = "OCINDEX_CONFIG_DIR"
GROUPS_FILE = "groups.toml"
DATA_SUBDIR = "groups"
"""A data folder keeps its groups in `groups/groups.toml`."""


class EditionMembers(NamedTuple):
    members: tuple[str, ...]
    valid: str
    note: str


class Group(NamedTuple):
    key: str
    name: str
    full_name: str
    members: tuple[str, ...]
    """ISO3 codes, as of `valid`."""
    source: str
    valid: str
    """The date the membership is valid for (ISO 8601)."""
    by_edition: Mapping[int, EditionMembers] = {}
    origin: str = "shipped"
    """"shipped", or the path of the user file that defines it."""

    def members_in(self, edition: int) -> EditionMembers:
        """The membership that applies to `edition`'s data."""
        return self.by_edition.get(edition) or EditionMembers(self.members, self.valid, "")

    @property
    def changed(self) -> bool:
        return any(set(m.members) != set(self.members) for m in self.by_edition.values())


_AFRICA = (
    "AGO BDI BEN BFA BWA CAF CIV CMR COD COG COM CPV DJI DZA EGY ERI ETH GAB GHA GIN GMB GNB "
    "GNQ KEN LBR LBY LSO MAR MDG MLI MOZ MRT MUS MWI NAM NER NGA RWA SDN SEN SLE SOM SSD STP "
    "SWZ SYC TCD TGO TUN TZA UGA ZAF ZMB ZWE"
)
_ECOWAS_15 = "BEN BFA CPV CIV GMB GHA GIN GNB LBR MLI NER NGA SEN SLE TGO"
_ECOWAS_12 = "BEN CPV CIV GMB GHA GIN GNB LBR NGA SEN SLE TGO"


def _g(
    key: str,
    name: str,
    full_name: str,
    members: str,
    source: str,
    valid: str,
    by_edition: dict[int, EditionMembers] | None = None,
) -> Group:
    return Group(key, name, full_name, tuple(members.split()), source, valid, by_edition or {})


SHIPPED: tuple[Group, ...] = (
    _g(
        "eu",
        "EU",
        "European Union",
        "AUT BEL BGR HRV CYP CZE DNK EST FIN FRA DEU GRC HUN IRL ITA LVA LTU LUX MLT NLD POL "
        "PRT ROU SVK SVN ESP SWE",
        "european-union.europa.eu, EU countries (27 since the UK left on 31 January 2020)",
        "2025-01-01",
    ),
    _g(
        "oecd",
        "OECD",
        "Organisation for Economic Co-operation and Development",
        "AUS AUT BEL CAN CHL COL CRI CZE DNK EST FIN FRA DEU GRC HUN ISL IRL ISR ITA JPN KOR "
        "LVA LTU LUX MEX NLD NZL NOR POL PRT SVK SVN ESP SWE CHE TUR GBR USA",
        "oecd.org, members and partners (38 since Costa Rica joined on 25 May 2021)",
        "2025-01-01",
    ),
    _g(
        "g7",
        "G7",
        "Group of Seven",
        "CAN FRA DEU ITA JPN GBR USA",
        "G7 members (the EU also takes part, as a non-enumerated member)",
        "2025-01-01",
    ),
    _g(
        "g20",
        "G20",
        "Group of Twenty",
        "ARG AUS BRA CAN CHN FRA DEU IND IDN ITA JPN KOR MEX RUS SAU ZAF TUR GBR USA",
        "g20.org, members: the 19 member countries (the EU and, since 2023, the African Union "
        "are members too, as blocs)",
        "2025-01-01",
    ),
    _g(
        "ecowas",
        "ECOWAS",
        "Economic Community of West African States",
        _ECOWAS_12,
        "ecowas.int; Burkina Faso, Mali and Niger left on 29 January 2025",
        "2025-01-29",
        {
            2021: EditionMembers(tuple(_ECOWAS_15.split()), "2021-01-01", ""),
            2023: EditionMembers(tuple(_ECOWAS_15.split()), "2023-01-01", ""),
            2025: EditionMembers(
                tuple(_ECOWAS_12.split()),
                "2025-01-29",
                "ECOWAS in 2025 has 12 members: Burkina Faso, Mali and Niger left on "
                "29 January 2025 (15 members for the 2021 and 2023 editions).",
            ),
        },
    ),
    _g(
        "sadc",
        "SADC",
        "Southern African Development Community",
        "AGO BWA COM COD SWZ LSO MDG MWI MUS MOZ NAM SYC ZAF TZA ZMB ZWE",
        "sadc.int, member states (16)",
        "2025-01-01",
    ),
    _g(
        "asean",
        "ASEAN",
        "Association of Southeast Asian Nations",
        "BRN KHM IDN LAO MYS MMR PHL SGP THA VNM",
        "asean.org, member states (10; Timor-Leste became the 11th in October 2025, after "
        "the 2025 edition's assessment, so it is not counted here)",
        "2025-01-01",
    ),
    _g(
        "au",
        "African Union",
        "African Union",
        _AFRICA,
        "au.int, member states: 55 including the Sahrawi Republic, which the index does not "
        "assess, so 54 here (membership, not the suspensions of some members' participation)",
        "2025-01-01",
    ),
    _g(
        "g5-sahel",
        "G5 Sahel",
        "G5 Sahel",
        "MRT TCD",
        "G5 Sahel: founded 2014 by Burkina Faso, Chad, Mali, Mauritania and Niger; Mali left "
        "in 2022, Burkina Faso and Niger in December 2023, after which the remaining members "
        "announced its dissolution",
        "2023-12-31",
        {
            2021: EditionMembers(tuple(["BFA", "MLI", "MRT", "NER", "TCD"]), "2021-01-01", ""),
            2023: EditionMembers(
                tuple(["BFA", "MRT", "NER", "TCD"]),
                "2023-01-01",
                "G5 Sahel in 2023 has 4 members: Mali left in 2022.",
            ),
            2025: EditionMembers(
                (),
                "2025-01-01",
                "The G5 Sahel had no members in 2025: it was dissolved after Burkina Faso and "
                "Niger left in December 2023.",
            ),
        },
    ),
)

ALIASES = {
    "european union": "eu",
    "african union": "au",
    "g5": "g5-sahel",
    "g5 sahel": "g5-sahel",
    "sahel g5": "g5-sahel",
}


def config_dir() -> Path:
    explicit = os.environ.get(CONFIG_DIR_ENV)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "ocindex"


def user_group_files(data_dir: Path | None) -> list[Path]:
    """The user's groups files that exist: the config folder's, then the data folder's."""
    candidates = [config_dir() / GROUPS_FILE]
    if data_dir is not None:
        # In a subfolder: every top-level *.toml of a data folder is a country profile.
        candidates.append(data_dir / DATA_SUBDIR / GROUPS_FILE)
    return [p for p in candidates if p.is_file()]


def _read_user_groups(path: Path, known_iso3: set[str]) -> list[Group]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DataError(f"{path}: cannot read the groups file: {exc}") from None
    table = data.get("groups", {})
    if not isinstance(table, dict):
        raise DataError(f"{path}: `groups` must be a table of groups")
    found = []
    for key, spec in table.items():
        where = f"{path}: groups.{key}"
        if not isinstance(spec, dict):
            raise DataError(f"{where} must be a table")
        members = spec.get("members")
        if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
            raise DataError(f"{where}.members must be a list of ISO3 codes")
        codes = tuple(dict.fromkeys(m.strip().upper() for m in members))
        unknown = [c for c in codes if c not in known_iso3]
        if unknown:
            raise DataError(
                f"{where}.members: unknown ISO3 code(s) {', '.join(unknown)}",
                "`ocindex list countries` lists every code.",
            )
        if not codes:
            raise DataError(f"{where}.members is empty")
        name = spec.get("name", key)
        found.append(
            Group(
                normalize(str(key)),
                str(name),
                str(spec.get("full_name", name)),
                codes,
                str(spec.get("source", f"user group ({path})")),
                str(spec.get("valid", "")),
                {},
                str(path),
            )
        )
    return found


def all_groups(data_dir: Path | None, known_iso3: set[str]) -> list[Group]:
    """Shipped groups, then user groups (a user group of the same key replaces a shipped one)."""
    chosen = {g.key: g for g in SHIPPED}
    for path in user_group_files(data_dir):
        for group in _read_user_groups(path, known_iso3):
            chosen[group.key] = group
    return list(chosen.values())


def find_group(text: str, data_dir: Path | None, known_iso3: set[str]) -> Group:
    """The group `text` names (its key, name or full name; case-insensitive)."""
    wanted = normalize(text)
    wanted = normalize(ALIASES.get(wanted, wanted))
    groups = all_groups(data_dir, known_iso3)
    for group in groups:
        if wanted in (normalize(group.key), normalize(group.name), normalize(group.full_name)):
            return group
    names = ", ".join(g.name for g in groups)
    raise NotFoundError(
        f"unknown group {text[:60]!r}",
        f"Groups: {names}. `ocindex list groups` lists them; add your own in "
        f"{config_dir() / GROUPS_FILE}.",
    )
