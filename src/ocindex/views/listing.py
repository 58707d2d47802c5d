"""`ocindex list`: plain listings."""

from typing import Any, NamedTuple

from ocindex.model import EditionSource
from ocindex.views import LIST_SEPARATOR, Row, source_json


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
