"""ocindex: the Global Organized Crime Index in the terminal, in scripts and in Python."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ocindex.index import Index, load

__all__ = ["Index", "__version__", "load"]


def __getattr__(name: str) -> Any:
    """`ocindex.load`, `ocindex.Index` and `ocindex.__version__`, imported when first used.

    importlib.metadata costs more to import than the rest of a query, so the version
    stays off the start-up path.
    """
    if name in ("Index", "load"):
        from ocindex import index

        return getattr(index, name)
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("ocindex")
        except PackageNotFoundError:  # a source tree that was never installed
            return "0+unknown"
    raise AttributeError(f"module 'ocindex' has no attribute {name!r}")
