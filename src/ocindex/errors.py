"""The one error hierarchy. The CLI turns each into a message and an exit code in one place."""

EXIT_OK = 0
EXIT_INCONSISTENT = 1
EXIT_USAGE = 2
EXIT_DATA = 3
EXIT_INTERNAL = 4
EXIT_OUTPUT = 5


class OcindexError(Exception):
    """Base of every error the tool reports to a user instead of a traceback.

    `str(error)` is the message alone, as a Python caller needs it; `hint` is the advice
    the command line prints under it (`ocindex list countries`, `--year`), kept apart so
    that library callers never read command-line advice in their exceptions.
    """

    exit_code = EXIT_USAGE

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message

    def cli_text(self) -> str:
        """The message and, on a second line, the command-line hint."""
        return self.message if self.hint is None else f"{self.message}\n{self.hint}"


class UsageError(OcindexError):
    """The request itself is wrong: a bad option value, an edition the data does not hold,
    an indicator not assessed in the edition asked for. Exit 2 on the command line.

    `NotFoundError` and `AmbiguousError` are its subclasses, so `except UsageError` catches
    every error caused by what was asked (as opposed to `DataError`, the data's fault).
    """


class NotFoundError(UsageError):
    """A country, indicator, region or other name matches nothing. Exit 2."""


class AmbiguousError(UsageError):
    """A name matches several things; the message lists the candidates. Exit 2."""

    def __init__(self, message: str, candidates: list[str], hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.candidates = candidates


class DataError(OcindexError):
    """A data file or directory is missing, unreadable, malformed or invalid. Exit 3."""

    exit_code = EXIT_DATA


class ImportSourceError(DataError):
    """An input file for `ocindex import` cannot be used as it is. Exit 3."""


class MissingExtraError(OcindexError, ImportError):
    """An optional dependency (an extra such as `ocindex[xlsx]`) is not installed. Exit 2.

    Also an ImportError, so that library users can catch it as one."""
