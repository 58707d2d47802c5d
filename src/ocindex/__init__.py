"""ocindex: the Global Organized Crime Index in the terminal, in scripts and in Python."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ocindex")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
