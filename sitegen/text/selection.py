"""Describe a passage so that it anchors again: a span of the canonical text → the
shortest ``Selector`` that ``quote.locate`` resolves to that same span, and an id for it.

Making a selector and matching one live side by side, as in Hypothesis' anchoring: what is
proposed is checked by the build's own matcher, so it always anchors where it was made. The
preview's select-to-annotate panel and ``sitegen import-hypothesis`` both propose through
here, so one passage gets one selector whichever way it was annotated.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

from sitegen.model import Selector
from sitegen.names import ID_RE
from sitegen.text.quote import AnchorError, Folded, locate

_BREAK_OR_RUN = re.compile(r"\s*\n\s*|\s{2,}")
_WORD = re.compile(r"\S+")
MAX_CONTEXT_WORDS = 60


class SelectionError(ValueError):
    """The selection cannot become an annotation; the message says why, for the panel."""


def as_written(passage: str) -> str:
    """``passage`` with paragraph breaks and runs of white space as one space (anchoring
    treats them alike); every other character as the article has it."""
    return _BREAK_OR_RUN.sub(" ", passage)


def propose(text: str, start: int, end: int, folded: Folded | None = None) -> Selector:
    """The selector for ``text[start:end]`` (white space around it left out): the quote
    alone if it is unique, otherwise with the fewest words of prefix or suffix (the shorter
    one), or both; the words are the article's, as written. ``folded`` may pass
    ``fold(text)`` when it is already known. ``SelectionError`` if no context of up to
    ``MAX_CONTEXT_WORDS`` words on either side picks this place."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise SelectionError("select some words of the article text")
    quote = as_written(text[start:end])
    before = list(_WORD.finditer(text, 0, start))[-MAX_CONTEXT_WORDS:]
    after = list(_WORD.finditer(text, end))[:MAX_CONTEXT_WORDS]
    candidates = [Selector(quote)]
    for n in range(1, max(len(before), len(after)) + 1):
        p = as_written(text[before[-n].start() : start]) if n <= len(before) else None
        s = as_written(text[end : after[n - 1].end()]) if n <= len(after) else None
        one = [Selector(quote, prefix=p)] if p else []
        one += [Selector(quote, suffix=s)] if s else []
        candidates += sorted(one, key=lambda sel: len(sel.prefix or sel.suffix or ""))
        if p and s:
            candidates.append(Selector(quote, p, s))
    for selector in candidates:
        try:
            if locate(text, selector.quote, selector.prefix, selector.suffix,
                      folded) == (start, end):
                return selector
        except AnchorError:
            continue
    raise SelectionError("these words occur too often to pick out this place: "
                         "select a longer passage")


def annotation_id(quote: str, taken: Collection[str], *, words: int = 4,
                  fallback: str = "note") -> str:
    """An id made of the quote's first ``words`` words (a-z, 0-9, '-'), not one of
    ``taken``; ``fallback`` when the quote has no such letter."""
    ascii_text = unicodedata.normalize("NFKD", quote).encode("ascii", "ignore").decode()
    parts = re.findall(r"[a-z0-9]+", ascii_text.lower())[:words]
    base = "-".join(parts)[:40].strip("-") or fallback
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    assert ID_RE.fullmatch(candidate)
    return candidate
