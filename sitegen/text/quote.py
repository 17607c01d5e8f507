"""Anchoring: a text-quote selector (quote, prefix, suffix) → a span of plain text.

Pure functions on strings, no Markdown or templates. Both sides are folded the same way
(typographic quotes, no-break spaces, runs of white space), then matched exactly and
case-sensitively; the fuzzy match is only used to suggest the closest passage in errors.
"""

from __future__ import annotations

import bisect
import difflib
import heapq
import itertools
import re
from dataclasses import dataclass

_FOLD = str.maketrans(
    {
        "\u2019": "'", "\u2018": "'", "\u201a": "'", "\u201b": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
    }
)


_LONG_RUN = re.compile(r"\s\s+")
"""A run of white space that folding shortens (a single white-space character only
becomes a space, in place). Scanning for two at once is several times faster than
for one white-space character, which stops at every space of the text."""


@dataclass(frozen=True)
class Folded:
    """Folded text, and where its shortened white-space runs were in the source.

    Folding changes characters one for one except that each run of white space becomes
    one space, so a folded position maps back through the runs before it (``to_source``);
    a run of one character changes no position, so only longer runs are kept.
    """

    text: str
    run_starts: tuple[int, ...]
    """Folded position of each shortened run's space, in order."""
    removed: tuple[int, ...]
    """Source characters dropped by that run and all runs before it."""

    def _source_index(self, position: int) -> int:
        k = bisect.bisect_right(self.run_starts, position) - 1
        if k < 0:
            return position
        if position == self.run_starts[k]:
            return position + (self.removed[k - 1] if k else 0)  # the run's first character
        return position + self.removed[k]

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Map a folded half-open range back to the source text."""
        src_start = self._source_index(start)
        src_end = self._source_index(end - 1) + 1 if end > start else src_start
        return src_start, src_end


def fold(text: str) -> Folded:
    """Fold quotes and apostrophes, and turn every run of white space into one space."""
    source = text.translate(_FOLD)
    starts: list[int] = []
    removed: list[int] = []
    dropped = 0
    for m in _LONG_RUN.finditer(source):
        start, end = m.span()
        starts.append(start - dropped)
        dropped += end - start - 1
        removed.append(dropped)
    return Folded(_collapse(source), tuple(starts), tuple(removed))


def _collapse(source: str) -> str:
    """``source`` with each run of white space made one space. ``str.split`` (C code) finds
    the runs much faster than a regular expression, and by the same rule: its white space
    is ``str.isspace``'s, as is that of a regular expression on a ``str``."""
    words = source.split()
    if not words:
        return " " if source else ""
    lead = " " if source[0].isspace() else ""
    trail = " " if source[-1].isspace() else ""
    return lead + " ".join(words) + trail


def fold_str(text: str) -> str:
    return _collapse(text.translate(_FOLD))


class AnchorError(Exception):
    """The selector does not pick exactly one passage."""


class QuoteNotFound(AnchorError):
    def __init__(self, closest: str | None):
        super().__init__("quote not found")
        self.closest = closest


class ContextNotFound(AnchorError):
    def __init__(self, which: str, matches: int):
        super().__init__(f"{which} does not match")
        self.which = which
        self.matches = matches


AMBIGUOUS_SHOWN = 3
"""How many of the places an ambiguous quote matches are shown."""


class QuoteAmbiguous(AnchorError):
    def __init__(self, places: list[str], count: int):
        super().__init__("quote matches several places")
        self.places = places
        """The first AMBIGUOUS_SHOWN places, in context."""
        self.count = count


def _occurrences(haystack: str, needle: str) -> list[int]:
    found: list[int] = []
    start = haystack.find(needle)
    while start != -1:
        found.append(start)
        start = haystack.find(needle, start + 1)
    return found


def locate(
    text: str, quote: str, prefix: str | None = None, suffix: str | None = None,
    folded: Folded | None = None,
) -> tuple[int, int]:
    """The unique span of ``text`` that ``quote`` (with its context) selects.

    Returns source offsets (code points, half-open). ``folded`` may pass ``fold(text)``
    when it is already known. Raises ``QuoteNotFound``, ``ContextNotFound`` or
    ``QuoteAmbiguous``.
    """
    haystack = folded or fold(text)
    needle = fold_str(quote).strip(" ")
    if not needle:
        raise QuoteNotFound(None)
    hits = _occurrences(haystack.text, needle)
    if not hits:
        raise QuoteNotFound(closest_passage(haystack.text, needle))
    if prefix is not None:
        want = fold_str(prefix).rstrip(" ")
        # Folded text has single spaces: the prefix ends at most one space before the hit.
        kept = [h for h in hits
                if haystack.text[max(0, h - len(want) - 1) : h].rstrip(" ").endswith(want)]
        if not kept:
            raise ContextNotFound("prefix", len(hits))
        hits = kept
    if suffix is not None:
        want = fold_str(suffix).lstrip(" ")
        end = len(needle)
        kept = [h for h in hits if haystack.text[h + end : h + end + len(want) + 1]
                .lstrip(" ").startswith(want)]
        if not kept:
            raise ContextNotFound("suffix", len(hits))
        hits = kept
    if len(hits) > 1:
        shown = hits[:AMBIGUOUS_SHOWN]
        raise QuoteAmbiguous([_context(haystack.text, h, len(needle)) for h in shown],
                             len(hits))
    return haystack.to_source(hits[0], hits[0] + len(needle))


def _context(text: str, start: int, length: int, width: int = 25) -> str:
    before = text[max(0, start - width) : start]
    after = text[start + length : start + length + width]
    return f"…{before}[{text[start:start + length]}]{after}…"


SUGGEST_MAX_QUOTE = 500
"""Longer quotes get no closest-passage suggestion (comparing them costs too much)."""
SUGGEST_CANDIDATES = 32
"""How many places of a long text are compared with the quote in full."""
SUGGEST_EVERYWHERE = 20_000
"""Up to this many word starts times quote letters, every word start is compared."""


def closest_passage(text: str, needle: str) -> str | None:
    """The passage of ``text`` most like ``needle``, when one is reasonably close.

    In a long text, only the places that share the most three-letter pieces with the
    quote (and the word starts beside them) are compared in full, so the search grows with
    the text's length and not with its length times the quote's.
    """
    size = len(needle)
    if size == 0 or not text or size > SUGGEST_MAX_QUOTE:
        return None
    best_ratio, best = 0.0, (0, 0)
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(needle)
    for start in _likely_starts(text, needle):
        for length in {size - 1, size, size + 1}:
            window = text[start : start + length]
            if not window:
                continue
            matcher.set_seq1(window)
            if matcher.real_quick_ratio() <= best_ratio or matcher.quick_ratio() <= best_ratio:
                continue
            ratio = matcher.ratio()
            if ratio > best_ratio:
                best_ratio, best = ratio, (start, start + len(window))
    if best_ratio < 0.6:
        return None
    return whole_words(text, *best, needle).strip()


def whole_words(text: str, start: int, end: int, needle: str) -> str:
    """``text[start:end]`` (``start`` is a word start) ending at a word's end: a word the
    window cuts is taken whole or left out, whichever is more like ``needle`` ('Experts
    said', never 'Experts sa')."""
    if end == len(text) or not (text[end - 1].isalnum() and text[end].isalnum()):
        return text[start:end]
    matcher = difflib.SequenceMatcher(None, b=needle, autojunk=False)
    longer = end
    while longer < len(text) and text[longer].isalnum():
        longer += 1
    shorter = end
    while shorter > start and text[shorter - 1].isalnum():
        shorter -= 1
    if not text[start:shorter].strip():
        return text[start:longer]

    def ratio(stop: int) -> float:
        matcher.set_seq1(text[start:stop])
        return matcher.ratio()

    return text[start:longer] if ratio(longer) >= ratio(shorter) else text[start:shorter]


def _likely_starts(text: str, needle: str) -> list[int]:
    """Word starts whose window of the quote's length holds the most of the quote's
    three-letter pieces, with the word starts on either side of each (all of them when
    comparing them all costs little)."""
    starts = [0] + [m.end() for m in re.finditer(" ", text)]
    if len(starts) * len(needle) <= SUGGEST_EVERYWHERE:
        return starts
    n = min(3, len(needle))
    hits = bytearray(len(text))
    for gram in {needle[i : i + n] for i in range(len(needle) - n + 1)}:
        at = text.find(gram)
        while at != -1:
            hits[at] = 1
            at = text.find(gram, at + 1)
    sums = [0, *itertools.accumulate(hits)]
    last = len(text)
    score = [sums[min(s + len(needle), last)] - sums[s] for s in starts]
    top = heapq.nlargest(SUGGEST_CANDIDATES, range(len(starts)), key=score.__getitem__)
    chosen = {k for i in top for k in (i - 1, i, i + 1) if 0 <= k < len(starts)}
    return [starts[k] for k in sorted(chosen)]
