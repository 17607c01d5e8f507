"""A word-level comparison of two wordings of one quotation (``difflib``), for the notes
that show how a quotation was changed between its original and the article."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

_AROUND = "\"'«»“”‘’„,\u00a0\u202f "
_EDGES = "\"'«»“”‘’„.,;:!?…()[]–—-\u00a0\u202f "


@dataclass(frozen=True)
class Piece:
    kind: str
    """``same``, ``del`` (only in the first wording) or ``ins`` (only in the second)."""
    text: str
    """The words, one space apart; the pieces are shown one space apart too."""


def word_diff(before: str, after: str) -> tuple[Piece, ...]:
    """The words of ``before`` and ``after`` in order, each marked as kept, removed or
    added. Words are compared without the punctuation and quotation marks at their
    edges and without case, so that "décision," and "décisions" differ but "Nous" and
    "nous" do not."""
    # A quotation mark or dash standing alone is not a word: the marks around a quote, or
    # around one word of it (ne « reconnaîtrait »), are not shown as added.
    old, new = ([w for w in text.split() if _key(w)] for text in (before, after))
    matcher = difflib.SequenceMatcher(None, [_key(w) for w in old], [_key(w) for w in new],
                                      autojunk=False)
    pieces: list[Piece] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(Piece("same", " ".join(new[j1:j2])))
            continue
        if i2 > i1:
            pieces.append(Piece("del", " ".join(old[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("ins", " ".join(new[j1:j2])))
    return tuple(pieces)


def quoted_words(text: str) -> str:
    """A quotation without the marks and the comma around it, as the article sets it
    (« On verra bien », "We'll see,"): the words that were said."""
    return text.strip(_AROUND)


def _key(word: str) -> str:
    return word.strip(_EDGES).casefold()
