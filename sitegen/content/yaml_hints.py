"""More YAML slips named in plain words: indentation made of Unicode spaces, a key without
its colon, a block text not indented under its key, and a forgotten '- ' before the first
key of a list item.

Each finder reads only the source lines (and the parser's marks), so the advice is the
same whichever parser raised the error; it returns where to point (0-based line and
column) and what to say, or None.
"""

from __future__ import annotations

import re
import unicodedata

import yaml

Hint = tuple[int, int, str]
"""0-based line and column in the YAML text, and the message."""

BLOCK_START = re.compile(r"(?:- +)?(?:[A-Za-z0-9_-]+: +)?[|>][0-9+-]*[ \t]*(?:#.*)?")
"""A line whose value is a literal or folded block (``note: |``, ``- note: >-``)."""
_BLOCK_KEY = re.compile(r"(?:- +)?([A-Za-z0-9_-]+): +([|>])")
# Keys as sitegen's formats spell them (lower case): a line of text that starts with a
# capital ('- Who wrote it') is not taken for a key.
_WORD_THEN_VALUE = re.compile(r"(- +)?([a-z_][a-z0-9_-]*)[ \t]+[^\s:#][^:]*")
_WORD_ALONE = re.compile(r"(- +)?([a-z_][a-z0-9_-]*)[ \t]*")
_KEY_START = re.compile(r" *(?:- +)?([A-Za-z0-9_-]+):(?:\s|$)")
_LOOK_BACK = 50

ITEM_NAMES = {"id": "annotation", "name": "voice", "question": "question",
              "publisher": "source", "key": "category"}
"""The first key of each kind of list item in the content files → what the item is."""


def unicode_space(line: str) -> str | None:
    """The first character of ``line``'s indentation that looks like a space but is not
    one to YAML (a no-break space pasted from a web page or a word processor), or None."""
    for ch in line:
        if ch in " \t":
            continue
        return ch if unicodedata.category(ch) == "Zs" else None
    return None


def unicode_indent_message(line_number: int, ch: str) -> str:
    """``line_number`` (1-based, as the editor shows it) is indented with ``ch``."""
    name = unicodedata.name(ch, "unusual space").lower()
    return (f"line {line_number} is indented with {name}s (U+{ord(ch):04X}): indent with "
            "plain spaces")


def unicode_indent(lines: list[str], p_line: int, in_blocks: set[int]
                   ) -> tuple[int, str] | None:
    """The nearest line at or above the parser's mark indented with Unicode spaces, and
    the first such space; lines ``in_blocks`` are free text, where one may start a line."""
    for n in range(p_line, max(-1, p_line - _LOOK_BACK), -1):
        ch = None if n in in_blocks else unicode_space(lines[n])
        if ch is not None:
            return n, ch
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _key_line(exc: yaml.MarkedYAMLError, lines: list[str], p_line: int) -> int | None:
    """The line where the parser began to read a key it never found the colon of."""
    if "expected ':'" not in str(exc.problem):
        return None
    mark = exc.context_mark
    if mark is not None and "simple key" in str(exc.context) and mark.line < len(lines):
        return int(mark.line)
    return p_line - 1 if p_line > 0 else None


def block_not_indented(exc: yaml.MarkedYAMLError, lines: list[str], p_line: int
                       ) -> Hint | None:
    """``note: |`` followed by its text at the key's own indentation: the block is empty
    and the text is read as a key with no colon."""
    at = _key_line(exc, lines, p_line)
    if at is None:
        return None
    above = next((n for n in range(at - 1, -1, -1) if lines[n].strip()), None)
    if above is None:
        return None
    start = _BLOCK_KEY.match(lines[above].strip())
    if not start or not BLOCK_START.fullmatch(lines[above].strip()):
        return None
    key_column = _indent(lines[above]) + (lines[above].strip().index(start.group(1)))
    if _indent(lines[at]) > key_column:
        return None
    key, mark = start.groups()
    return at, _indent(lines[at]), (f"the text under '{key}: {mark}' must be indented more "
                                    f"than '{key}:' (add spaces before each of its lines)")


def missing_colon(exc: yaml.MarkedYAMLError, lines: list[str], p_line: int) -> Hint | None:
    """``quote "Experts say"`` (or ``sources`` alone above its list): a key and its value
    without the colon between them. The parser stops below it: where it found no colon
    for the key, or at the next key's colon, the two lines read as one text."""
    at = _key_line(exc, lines, p_line) or _line_above_key(exc, lines, p_line)
    if at is None:
        return None
    line = lines[at]
    found = _WORD_THEN_VALUE.match(line, _indent(line))
    if found:
        key = found.group(2)
        return at, found.end(2), f"a colon is missing after '{key}' (write '{key}: …')"
    alone = _WORD_ALONE.fullmatch(line, _indent(line))
    if alone:
        key = alone.group(2)
        return at, alone.end(2), f"a colon is missing after '{key}' (write '{key}:')"
    return None


def _line_above_key(exc: yaml.MarkedYAMLError, lines: list[str], p_line: int) -> int | None:
    """The line above a key the parser stopped at ("mapping values are not allowed"), when
    that key lines up with the key position of the line above."""
    if "mapping values are not allowed" not in str(exc.problem):
        return None
    key = _KEY_START.match(lines[p_line])
    above = next((n for n in range(p_line - 1, -1, -1) if lines[n].strip()), None)
    if key is None or above is None:
        return None
    words = _WORD_THEN_VALUE.match(lines[above], _indent(lines[above]))
    return above if words and words.start(2) == key.start(1) else None


def forgotten_dash(key: str, first_key: str) -> str | None:
    """The hint for a key written twice in one mapping, when it is the mapping's first key
    or an annotation's ``id``: the second is the start of a new list item whose '- ' was
    forgotten."""
    if key not in (first_key, "id"):
        return None
    what = ITEM_NAMES.get(key, "item")
    return f"add '- ' before `{key}:` to start a new {what}"
