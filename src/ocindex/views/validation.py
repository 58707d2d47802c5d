"""`ocindex validate`: every problem of a data directory."""

from typing import Any, NamedTuple

from ocindex.views import Row


class ValidationView(NamedTuple):
    """`ocindex validate`: every problem of a data directory."""

    directory: str
    files: int
    problems: tuple[tuple[str, str, str], ...]
    """(file, where, message)."""

    @property
    def clean(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.clean:
            return f"{self.directory}: {self.files} files checked, no problems."
        return f"{self.directory}: {self.files} files checked, {len(self.problems)} problem(s)."

    def to_json(self) -> dict[str, Any]:
        return {
            "directory": self.directory,
            "files": self.files,
            "clean": self.clean,
            "problems": [{"file": f, "where": w, "message": m} for f, w, m in self.problems],
        }

    def rows(self) -> tuple[tuple[str, ...], list[Row]]:
        return ("file", "where", "problem"), [list(p) for p in self.problems]
