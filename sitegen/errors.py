"""Content errors: where they are (file, line, column), what is wrong, how to fix it.

Every problem an author can fix is a ``SiteError``; anything else is a bug and keeps its
traceback. Errors are collected and raised together as a ``ContentErrors`` group.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class SourceLocation:
    """A place in a content file; line and column count from 1."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{max(self.column, 1)}"

    @classmethod
    def of(cls, path: Path | str, line: int = 0, column: int = 0) -> SourceLocation:
        return cls(str(path), line, column)


class SiteError(Exception):
    """One problem in the content, with its location and an optional hint."""

    def __init__(self, message: str, location: SourceLocation, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint

    def __reduce__(self) -> tuple[type[SiteError], tuple[str, SourceLocation, str | None]]:
        # Errors travel back from worker processes; keep all three fields.
        return (self.__class__, (self.message, self.location, self.hint))

    def format_message(self) -> str:
        text = f"{self.location}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def __str__(self) -> str:
        return self.format_message()


class SiteWarning(SiteError):
    """A problem that does not stop the build (for example a missing translation)."""


class ContentErrors(Exception):
    """Every content error found in one pass, sorted by file and line."""

    def __init__(self, errors: Iterable[SiteError]):
        self.errors = sorted(errors, key=lambda e: (e.location, e.message))
        super().__init__(f"{len(self.errors)} content error(s)")


class UsageError(Exception):
    """A command-line mistake (exit code 2)."""


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A 'did you mean' hint naming the closest choice, or None when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None
