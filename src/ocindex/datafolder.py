"""Which data folder is in use, and the user data folder that imports write to.

The shipped data is read-only. `ocindex import` without `--data-dir` writes to the user data
folder (`store.user_data_dir()`), starting from a copy of the shipped data; once it holds
data, queries use it instead of the shipped data. `ocindex data` says which is in use and
what differs; `ocindex data --reset` deletes the user folder.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, NamedTuple

from ocindex import store
from ocindex.errors import DataError, UsageError
from ocindex.views import Row


def import_target(data_dir: Path | None) -> tuple[Path, Path | None]:
    """Where an import writes, and the folder it starts from if that one holds nothing yet."""
    if data_dir is None and os.environ.get(store.DATA_DIR_ENV):
        data_dir = Path(os.environ[store.DATA_DIR_ENV])
    if data_dir is not None:
        if data_dir.resolve() == store.PACKAGE_DATA:
            raise UsageError(
                f"{data_dir} is the data shipped inside the package, which is read-only",
                "Leave out --data-dir to import into your user data folder.",
            )
        return data_dir, None
    try:
        return store.user_data_dir(), store.shipped_data_dir()
    except RuntimeError as exc:
        raise UsageError(
            "no home folder to keep your data in",
            f"Name one with --data-dir DIR or ${store.USER_DATA_ENV}.",
        ) from exc


class DataFolderView(NamedTuple):
    """`ocindex data`: the folder in use and how it differs from the shipped data."""

    in_use: str
    kind: str
    """"shipped", "user" or "chosen" (--data-dir / $OCINDEX_DATA_DIR)."""
    user_folder: str | None
    shipped_folder: str
    differences: tuple[tuple[str, str], ...]
    """(file, "added" | "changed" | "removed") against the shipped data."""

    def summary(self) -> str:
        what = {"shipped": "the shipped data", "user": "your user data folder"}.get(
            self.kind, "the folder you chose"
        )
        change = (
            f"{len(self.differences)} file(s) differ from the shipped data"
            if self.differences
            else "identical to the shipped data"
        )
        return f"In use: {self.in_use} ({what}); {change}."

    @property
    def notes(self) -> tuple[str, ...]:
        return (self.summary(),)

    def to_json(self) -> dict[str, Any]:
        return {
            "in_use": self.in_use,
            "kind": self.kind,
            "user_folder": self.user_folder,
            "shipped_folder": self.shipped_folder,
            "differences": [{"file": f, "status": s} for f, s in self.differences],
        }

    def rows(self) -> tuple[tuple[str, ...], list[Row]]:
        return ("file", "status"), [list(d) for d in self.differences]


def describe(data_dir: Path | None) -> DataFolderView:
    shipped = store.shipped_data_dir()
    in_use = data_dir or store.default_data_dir()
    try:
        user: Path | None = store.user_data_dir()
    except RuntimeError:
        user = None
    if data_dir is not None or os.environ.get(store.DATA_DIR_ENV):
        kind = "chosen"
    else:
        kind = "user" if user is not None and in_use == user else "shipped"
    mine = store.read_snapshot(in_use).digests
    theirs = store.read_snapshot(shipped).digests
    differences = tuple(
        (name, "added" if name not in theirs else "removed" if name not in mine else "changed")
        for name in sorted(mine.keys() | theirs.keys())
        if mine.get(name) != theirs.get(name)
    )
    return DataFolderView(
        str(in_use), kind, None if user is None else str(user), str(shipped), differences
    )


def reset_user_data() -> str:
    """Delete the user data folder (only ocindex's own files in it); a one-line report."""
    from ocindex import transaction

    folder = store.user_data_dir()
    if not folder.exists():
        return f"{folder}: no user data; the shipped data is in use."
    ours = {transaction.PENDING, transaction.COMMITTED}
    strays = [p.name for p in folder.iterdir() if not (p.name.endswith(".toml") or p.name in ours)]
    if strays:
        raise DataError(
            f"{folder}: holds files that are not ocindex's ({', '.join(sorted(strays)[:5])})",
            "Move them elsewhere, or delete the folder yourself.",
        )
    with transaction.locked(folder, exclusive=True):
        # Renamed away first, so the folder stops being used in one step.
        doomed = folder.with_name(f".{folder.name}.deleting-{os.getpid()}")
        os.replace(folder, doomed)
    shutil.rmtree(doomed)
    return f"{folder}: deleted; the shipped data is in use again."
