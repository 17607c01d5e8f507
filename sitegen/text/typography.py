"""Typography per language for the texts sitegen writes: notes, questions, labels, interface
strings, sources. Never for the article's own words, which stay as published.

Quotation marks come from markdown-it's typographer (its ``quotes`` option, per language);
the spacing rules of French are written here, once. Every function is idempotent: text that
already has the right characters comes back unchanged, and a no-break space an author typed
is kept as typed.
"""

from __future__ import annotations

import dataclasses
import operator
import re
from collections.abc import Mapping, Sequence
from functools import cache, lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_core.smartquotes import QUOTE_RE, smartquotes
from markdown_it.token import Token

NBSP = "\u00a0"
NNBSP = "\u202f"

# Double then single quotation marks, opening and closing, per language. A language that is
# not here keeps its straight quotes: better plain than another language's marks.
QUOTES: dict[str, list[str]] = {
    "en": ["\u201c", "\u201d", "\u2018", "\u2019"],
    "fr": ["\u00ab" + NBSP, NBSP + "\u00bb", "\u201c", "\u201d"],
}

_SPACED = ("fr",)
"""The languages with spacing rules (``_FRENCH``)."""
_PASSES = 3
_WS = r"[ \t\n]"  # ordinary white space: what may break a line
_NOBREAK = "\u00a0\u202f"
_END = r"""(?=\s|$|[»)\]"'”’])"""  # what may follow a sentence's punctuation
_UNITS = (r"%|‰|€|\$|£|°C|°|km|cm|mm|m|kg|g|h|min|s|ans?|mois|jours?|millions?|milliards?")

# (pattern, replacement) in order; each leaves text it already fixed alone.
_FRENCH: tuple[tuple[re.Pattern[str], str], ...] = (
    # ; ! ? take a narrow no-break space: replace an ordinary one, or add one after a word.
    (re.compile(_WS + r"+([;!?])"), NNBSP + r"\1"),
    (re.compile(r"(?<=[^\s" + _NOBREAK + r";!?(\[«])([;!?]+)" + _END), NNBSP + r"\1"),
    # : takes a no-break space (not in addresses or times: a space or the end must follow).
    (re.compile(_WS + r"+:"), NBSP + ":"),
    (re.compile(r"(?<=[^\s" + _NOBREAK + r"\d:/(\[«])(:)" + _END), NBSP + ":"),
    # « and » hold their words with a no-break space.
    (re.compile("«" + _WS + r"*(?=[^\s" + _NOBREAK + "])"), "«" + NBSP),
    (re.compile(r"(?<=[^\s" + _NOBREAK + "])" + _WS + "*»"), NBSP + "»"),
    # A number and its unit, or a {placeholder} for one, are not split across lines.
    (re.compile(r"(?<=[\d}])" + _WS + r"+(?=(?:" + _UNITS + r")(?!\w))"), NBSP),
    (re.compile(r"(?<=\d)%"), NBSP + "%"),
)

_SPACING_AT = re.compile(r"[;!?:«»\d}]")
"""What each rule of ``_FRENCH`` needs in the text (most sentences have none)."""


def spacing(text: str, lang: str) -> str:
    """``text`` with the no-break spaces ``lang`` asks for (French; other languages as is)."""
    if lang.split("-")[0] not in _SPACED or not _SPACING_AT.search(text):
        return text
    while True:  # until nothing changes: one rule's space may make room for another's
        before = text
        for pattern, replacement in _FRENCH:
            text = pattern.sub(replacement, text)
        if text == before:
            return text


@cache
def _parser(lang: str) -> MarkdownIt:
    """A parser that reads every character as text (the "zero" preset: a string is one text
    token), with ``lang``'s quotation marks in its options, where ``smartquotes`` finds them."""
    key = lang.split("-")[0]
    return MarkdownIt("zero", {"typographer": key in QUOTES, "quotes": QUOTES.get(key, "")})


def _typeset(children: list[Token], lang: str) -> None:
    """Put the text tokens under the inline tokens of ``children`` in ``lang``'s
    typography, in place: spaces first, so the quotes see the white space they keep."""
    key = lang.split("-")[0]
    state = StateCore("", _parser(key), {}, children)
    texts = [c for t in children if t.type == "inline" for c in t.children or []
             if c.type == "text"]
    for _ in range(_PASSES):  # a quote placed in one pass may settle another in the next
        before = [t.content for t in texts]
        for text in texts:
            text.content = spacing(text.content, key)
        smartquotes(state)  # does nothing where the language has no quotes here
        if [t.content for t in texts] == before:
            return


def tokens(parsed: Sequence[Token], lang: str) -> list[Token]:
    """Parsed Markdown (shared, left as it is) with its text in ``lang``'s typography.
    Code, links' addresses and everything but text keep their characters."""
    key = lang.split("-")[0]
    if key not in _SPACED and not (key in QUOTES and any(
            t.type == "inline" and QUOTE_RE.search(t.content) for t in parsed)):
        # Nothing to change (most notes): only French has spacing rules, and smartquotes
        # leaves an inline token alone unless its source has a straight quote.
        return list(parsed)
    copies = [_copy(t, [_copy(c) if c.type == "text" else c for c in t.children])
              if t.type == "inline" and t.children else t for t in parsed]
    _typeset(copies, lang)
    return copies


_FIELDS = tuple(f.name for f in dataclasses.fields(Token))
_FIELD_VALUES = operator.attrgetter(*_FIELDS)
_CHILDREN = _FIELDS.index("children")


def _copy(token: Token, children: list[Token] | None = None) -> Token:
    """``token.copy()``, with ``children`` if given, at a third of the cost: the same values
    through the same ``__init__``, without ``dataclasses.replace`` looking up the fields."""
    values = list(_FIELD_VALUES(token))
    if children is not None:
        values[_CHILDREN] = children
    return Token(*values)


@lru_cache(maxsize=4096)
def plain(text: str, lang: str) -> str:
    """A plain string (a label, an interface string, a publisher) in ``lang``'s typography
    (the same few recur on every page: remembered)."""
    if not text:
        return text
    inline = _parser(lang).parseInline(text)
    _typeset(inline, lang)
    return "".join(child.content for child in inline[0].children or [])


def strings(catalogue: Mapping[str, str], lang: str) -> dict[str, str]:
    """An interface catalogue with every string in ``lang``'s typography (made once per
    process and language by ``views.edition``)."""
    return {key: plain(value, lang) for key, value in catalogue.items()}
