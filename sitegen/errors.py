"""Content errors: where they are (file, line, column), what is wrong, how to fix it.

Every problem an author can fix is a ``SiteError``; anything else is a bug and keeps its
traceback. Errors are collected and raised together as a ``ContentErrors`` group.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import NamedTuple


class SourceLocation(NamedTuple):
    """A place in a content file; line and column count from 1. (A named tuple: the loader
    makes one for every YAML key and value, and a tuple is the cheapest to make.)"""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{max(self.column, 1)}"


class SiteError(Exception):
    """One problem in the content, with its location and an optional hint."""

    def __init__(self, message: str, location: SourceLocation, hint: str | None = None,
                 detail: str | None = None):
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint
        self.detail = detail
        """For readers who know the format: printed on a second line, indented (the YAML
        parser's own words)."""

    def __reduce__(self) -> tuple[type[SiteError],
                                  tuple[str, SourceLocation, str | None, str | None]]:
        # Errors travel back from worker processes; keep every field.
        return (self.__class__, (self.message, self.location, self.hint, self.detail))

    def format_message(self) -> str:
        """``path:line:col: message (hint)``, safe to print: see ``printable``."""
        return self._lines("")

    def _lines(self, kind: str) -> str:
        """The error as printed: one line, each part made printable (so a newline in a
        value cannot start a line of its own), and the detail below it."""
        first = printable(f"{self.location}: {kind}{self._text()}")
        return first if self.detail is None else f"{first}\n    {printable(self.detail)}"

    def _text(self) -> str:
        """The message and hint, each cut short in the middle when content made it long."""
        text = _bounded(self.message)
        return text + f" ({_bounded(self.hint)})" if self.hint else text

    def __str__(self) -> str:
        return self.format_message()


class SiteWarning(SiteError):
    """A problem that does not stop the build (for example a missing translation)."""

    def format_message(self) -> str:
        return self._lines("warning: ")


class ContentErrors(Exception):
    """Every content error found in one pass, sorted by file and line."""

    exit_code = 1
    """The command line's exit status for broken content."""

    def __init__(self, errors: Iterable[SiteError]):
        self.errors = sorted(errors, key=lambda e: (e.location, e.message))
        super().__init__(f"{len(self.errors)} content error(s)")

    def format_message(self) -> str:
        """Each error on its line, then how many there are."""
        return "".join(f"{err.format_message()}\n" for err in self.errors) + (
            f"sitegen: {len(self.errors)} error(s); nothing was written.")


class UsageError(Exception):
    """A command-line mistake: a missing folder, a bad option value, a port in use."""

    exit_code = 2
    """The command line's exit status for a usage error (argparse's own, too)."""

    def format_message(self) -> str:
        return printable(f"sitegen: error: {self}")


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A 'did you mean' hint naming the closest choice, or None when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


# Characters that act on a terminal or reorder the text around them, wherever content puts
# them (a file name, a quote): C0 and C1 controls (ESC starts escape sequences), line and
# paragraph separators, bidirectional marks and overrides, and lone surrogates
# (unprintable). Line breaks too: a value must not start a line of its own, which a CI log
# could read as a command (``::error::``).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                     "\u2066-\u2069\ud800-\udfff]")


MESSAGE_LIMIT = 600
"""Characters of a message shown at most (a quote can be a whole article)."""


def _bounded(text: str) -> str:
    if len(text) <= MESSAGE_LIMIT:
        return text
    cut = len(text) - MESSAGE_LIMIT
    return f"{text[: MESSAGE_LIMIT * 2 // 3]}[… {cut} characters …]{text[-MESSAGE_LIMIT // 3 :]}"


def printable(text: str) -> str:
    """``text`` on one line, with every unsafe character written as an escape: ESC as
    ``\\x1b``, a newline as ``\\n``."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class Collector:
    """Errors and warnings found so far."""

    def __init__(self) -> None:
        self.errors: list[SiteError] = []
        self.warnings: list[SiteWarning] = []

    def error(self, message: str, loc: SourceLocation, hint: str | None = None) -> None:
        self.errors.append(SiteError(message, loc, hint))

    def warn(self, message: str, loc: SourceLocation, hint: str | None = None) -> None:
        self.warnings.append(SiteWarning(message, loc, hint))
