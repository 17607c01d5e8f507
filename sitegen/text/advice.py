"""What to tell an author whose quote is not in the text: the likely cause first (curly
quotation marks taken for YAML's, a quote shortened with an ellipsis, words copied from the
summary), else the closest passage."""

from __future__ import annotations

from collections.abc import Iterable

from sitegen.text.quote import fold_str

STRAIGHT_QUOTES = 'YAML needs straight quotes " " around text'
"""Said wherever curly quotation marks were meant as YAML's own."""

_OPENING = "“‘«„"
_CLOSING = "”’»“"
_ELLIPSES = ("...", "…")


def curly_quoted(value: str) -> bool:
    """Whether ``value`` is wrapped in curly quotation marks, as if they were YAML's: one
    pair, around the whole text ("« a », « b »" quotes two things on purpose)."""
    text = value.strip()
    marks = sum(text.count(c) for c in set(_OPENING + _CLOSING))
    return len(text) > 2 and text[0] in _OPENING and text[-1] in _CLOSING and marks == 2


def _straight(value: str, key: str) -> str:
    inner = value.strip()[1:-1]
    return f'{value.strip()[0]} is not a YAML quote: {STRAIGHT_QUOTES}: write {key}: "{inner}"'


def context_not_found(which: str, value: str) -> str:
    """The hint for a ``prefix`` or ``suffix`` (``which``) that is not beside the quote."""
    if curly_quoted(value):
        return _straight(value, which)
    return (f"copy the text just {'before' if which == 'prefix' else 'after'} the quote "
            "exactly, or remove it")


def quote_not_found(quote: str, closest: str | None, source: str,
                    elsewhere: Iterable[tuple[str, str]] = ()) -> str:
    """The hint for ``quote``, not found in ``source`` (whose ``closest`` passage is given,
    or None); ``elsewhere`` names other texts of the article the words may come from
    (``("summary", text)``)."""
    if curly_quoted(quote):
        return _straight(quote, "quote")
    if any(mark in quote for mark in _ELLIPSES):
        return ("quote the words as they are, without …: use two annotations or a "
                "shorter quote")
    folded = fold_str(quote)
    for name, text in elsewhere:
        if folded in fold_str(text):
            return (f"these words are in the {name}, not in {source}: only the headline and "
                    "the text can be quoted")
    if closest and fold_str(closest).casefold() == folded.strip().casefold():
        return f"the text has '{closest}': capitals count, copy them as they are"
    if closest:
        return f"closest passage: '{closest}'"
    return f"copy the words exactly from {source}"
