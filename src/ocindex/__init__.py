"""ocindex: the Global Organized Crime Index in the terminal, in scripts and in Python."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    """`ocindex.__version__`, read from the installed metadata only when asked for.

    importlib.metadata costs more to import than the rest of a query, so it stays off
    the start-up path.
    """
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("ocindex")
        except PackageNotFoundError:  # a source tree that was never installed
            return "0+unknown"
    raise AttributeError(f"module 'ocindex' has no attribute {name!r}")
