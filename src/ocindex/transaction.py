"""Replacing many files of a data folder as one step, so an interruption never leaves a mix.

`commit` stages every new file in a hidden folder (`.ocindex-pending/`), then renames a
journal into the data folder (`.ocindex-commit`): that rename is the commit point. Only then
are the staged files renamed over the old ones, and the journal removed. Whatever instant a
SIGKILL, Ctrl-C or full disk strikes, the folder is either all-old (no journal: the staged
files are thrown away by the next command) or committed (the journal is there: the next
command finishes the renames). `recover` does either, under the folder's lock.

Readers take the folder's lock shared while they read; `commit` and `recover` take it
exclusively, so a query never reads half of an import. The lock is `fcntl.flock` on the
folder itself, where the platform has it (elsewhere imports still commit atomically, but
readers do not wait).

`OCINDEX_FAULT_AT=N[:kill|int|enospc]` makes the N-th write step of a commit fail
(SIGKILL, Ctrl-C or a full disk), for the fault-injection tests.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import signal
from collections.abc import Iterator, Mapping
from pathlib import Path

from ocindex.errors import DataError

PENDING = ".ocindex-pending"
COMMITTED = ".ocindex-commit"
JOURNAL = "journal.json"
FAULT_ENV = "OCINDEX_FAULT_AT"
LAST = "editions.toml"
"""Renamed last, so a folder that has its manifest has its profiles."""


class _Faults:
    """Counts write steps and fails the one `$OCINDEX_FAULT_AT` names (tests only)."""

    def __init__(self) -> None:
        spec = os.environ.get(FAULT_ENV, "")
        at, _, self.how = spec.partition(":")
        self.at = int(at) if at.isdigit() else 0
        self.count = 0

    def point(self) -> None:
        self.count += 1
        if self.count != self.at:
            return
        if self.how == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        if self.how == "int":
            raise KeyboardInterrupt
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "(injected)")


@contextlib.contextmanager
def locked(directory: Path, *, exclusive: bool) -> Iterator[None]:
    """Hold the folder's lock: shared for readers, exclusive for writers.

    The lock is `flock` on the folder itself, so no lock file is needed and a read-only
    folder can be locked too.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    try:
        descriptor = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as exc:
        raise DataError(f"{directory}: cannot open: {exc.strerror or exc}") from exc
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield
    finally:
        os.close(descriptor)


def _write(path: Path, data: bytes, faults: _Faults) -> None:
    faults.point()
    with open(path, "xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _sync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can open a folder
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def interrupted(directory: Path) -> bool:
    """Whether an import of `directory` stopped half-way (recover() tidies it)."""
    return (directory / COMMITTED).exists() or (directory / PENDING).exists()


def commit(directory: Path, files: Mapping[str, bytes], *, mode: int | None = None) -> None:
    """Replace (or create) `files` in `directory` all at once; other files are kept."""
    faults = _Faults()
    directory.mkdir(parents=True, exist_ok=True)
    with locked(directory, exclusive=True):
        _recover_locked(directory)
        staging = directory / PENDING
        try:
            faults.point()
            staging.mkdir()
            for name, data in files.items():
                _write(staging / name, data, faults)
                if mode is not None:
                    os.chmod(staging / name, mode)
            names = sorted(files, key=lambda name: (name == LAST, name))
            _write(staging / JOURNAL, json.dumps({"files": names}).encode(), faults)
            _sync_directory(staging)
            faults.point()
            os.replace(staging / JOURNAL, directory / COMMITTED)  # the commit point
        except BaseException:  # not committed: nothing of it stays
            shutil.rmtree(staging, ignore_errors=True)
            raise
        _sync_directory(directory)
        try:
            _roll_forward(directory, faults)
        except OSError:
            # Committed: the renames must finish. Once more, then leave it to the next command.
            with contextlib.suppress(OSError):
                _roll_forward(directory, _Faults())
            if (directory / COMMITTED).exists():
                raise


def _roll_forward(directory: Path, faults: _Faults) -> None:
    staging = directory / PENDING
    try:
        names = json.loads((directory / COMMITTED).read_bytes())["files"]
        if not all(isinstance(n, str) and n == Path(n).name and n[:1] != "." for n in names):
            raise ValueError(names)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DataError(
            f"{directory / COMMITTED}: the journal of an interrupted import is unreadable",
            f"Remove it and {PENDING}/, then import again.",
        ) from exc
    for name in names:
        if (staging / name).exists():
            faults.point()
            os.replace(staging / name, directory / name)
    _sync_directory(directory)
    faults.point()
    (directory / COMMITTED).unlink()
    shutil.rmtree(staging, ignore_errors=True)


def _recover_locked(directory: Path) -> str | None:
    if (directory / COMMITTED).exists():
        _roll_forward(directory, _Faults())
        return f"{directory}: finished an import that had been interrupted"
    if (directory / PENDING).exists():
        shutil.rmtree(directory / PENDING)
        return f"{directory}: rolled back an import that had been interrupted (nothing kept)"
    return None


def recover(directory: Path) -> str | None:
    """Finish or roll back an interrupted import of `directory`; a one-line note, or None."""
    try:
        with locked(directory, exclusive=True):
            return _recover_locked(directory)
    except OSError as exc:
        raise DataError(
            f"{directory}: an import was interrupted here, and it cannot be tidied "
            f"({exc.strerror or exc})",
            "Run any ocindex command once with write access to that folder.",
        ) from exc
