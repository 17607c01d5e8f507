"""A YAML syntax error → a ``SiteError`` that says, in plain words, what to change and where.

Works only from the error's marks and the source text, so the advice is the same whichever
parser raised it (PyYAML's own scanner or libyaml, whose wordings and marks differ). The
parser's message is kept as a second line for readers who know YAML.

Both parsers count U+0085, U+2028 and U+2029 as line breaks, as YAML 1.1 says, where an
editor counts only newlines: ``YamlText`` splits a text's lines as YAML does, so that a
mark's line is looked up where the parser saw it, and gives each mark's place as the
editor shows it, so that an error points at the line to change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import yaml

from sitegen.content import yaml_hints
from sitegen.content.yaml_hints import BLOCK_START as _BLOCK_START
from sitegen.errors import SiteError, SourceLocation
from sitegen.text.advice import STRAIGHT_QUOTES

_LANG_NO_COLON = re.compile(r"([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)[ \t]+[\"'“‘«„]")
_KEY = re.compile(r"[A-Za-z0-9_-]+:(?=\s|$)")
_DASH_NO_SPACE = re.compile(r"-(?=[A-Za-z_])")
_KEY_NO_SPACE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?=[^\s/:])")
_CURLY = "“‘«„"
_ENDS_VALUE = ",}]#:"
_LOOK_BACK = 50
"""Lines above the parser's mark searched for the cause (an open quote runs on until the
next quote, so the parser can stop well below the line to fix)."""


_BREAKS = re.compile("[\n\x85\u2028\u2029]")
"""What YAML reads as a line break (``read_text`` already made every \\r a newline)."""


class YamlText:
    """A YAML text, its lines as YAML counts them, and the place in the file of a mark."""

    def __init__(self, text: str, display: str, line_offset: int = 0):
        self.text = text
        self.display = display
        self.line_offset = line_offset
        """Added to every line (front matter inside a Markdown file)."""
        self.plain = not any(c in text for c in "\x85\u2028\u2029")
        """Whether YAML's lines are the file's (almost always: then nothing is mapped)."""

    @cached_property
    def lines(self) -> list[str]:
        return _BREAKS.split(self.text)

    @cached_property
    def _starts(self) -> list[int]:
        """Where each of YAML's lines starts in the text."""
        return [0, *(m.end() for m in _BREAKS.finditer(self.text))]

    def location(self, line: int, column: int) -> SourceLocation:
        """The file, line and column (as an editor counts them) of YAML's 0-based ``line``
        and ``column``."""
        if not self.plain:
            start = self._starts[min(line, len(self._starts) - 1)]
            line_start = self.text.rfind("\n", 0, start) + 1
            line, column = self.text.count("\n", 0, start), start - line_start + column
        return SourceLocation(self.display, line + 1 + self.line_offset, column + 1)

    def at(self, mark: yaml.Mark | None) -> SourceLocation:
        return self.location(mark.line, mark.column) if mark else self.location(0, 0)


@dataclass(frozen=True)
class _Finding:
    line: int
    """0-based, in the YAML text."""
    column: int
    """0-based."""
    message: str


def explain(exc: yaml.MarkedYAMLError, where: YamlText) -> SiteError:
    """The plain fix for ``exc``, located at the line to change, parser's words below."""
    lines = where.lines
    mark = exc.problem_mark or exc.context_mark
    p_line = min(mark.line, len(lines) - 1) if mark else 0
    p_col = mark.column if mark else 0
    finding = (
        _second_document(exc, p_line, p_col)
        or _tab(exc, lines, p_line)
        or _unicode_indent(lines, p_line, where)
        or _runaway_quote(exc, lines)
        or _hint(yaml_hints.block_not_indented(exc, lines, p_line))
        or _line_problems(lines, p_line, exc)
        or _hint(yaml_hints.missing_colon(exc, lines, p_line))
        or _open_brace(exc, lines)
        or _indentation(lines, p_line, p_col, exc)
        or _Finding(p_line, p_col, "YAML syntax error here or just above "
                                   "(check quotes, colons and indentation)")
    )
    return SiteError(finding.message, where.location(finding.line, finding.column),
                     detail=f"YAML parser: {_parser_words(exc, where)}")


def _hint(found: yaml_hints.Hint | None) -> _Finding | None:
    return _Finding(*found) if found else None


def _unicode_indent(lines: list[str], p_line: int, where: YamlText) -> _Finding | None:
    found = yaml_hints.unicode_indent(lines, p_line, _block_lines(lines))
    if found is None:
        return None
    n, ch = found
    return _Finding(n, 0, yaml_hints.unicode_indent_message(where.location(n, 0).line, ch))


def _parser_words(exc: yaml.MarkedYAMLError, where: YamlText) -> str:
    def at(mark: yaml.Mark | None) -> str:
        if mark is None:
            return ""
        loc = where.at(mark)
        return f" at {loc.line}:{loc.column}"

    words = f"{exc.problem or 'invalid YAML'}{at(exc.problem_mark)}"
    if exc.context:
        words += f" ({exc.context}{at(exc.context_mark)})"
    return words


def _second_document(exc: yaml.MarkedYAMLError, p_line: int, p_col: int) -> _Finding | None:
    if "another document" not in str(exc.problem):
        return None
    return _Finding(p_line, p_col, "a second YAML document starts here, and a file holds only "
                                   "one (remove this '---' line, or what follows it)")


def _tab(exc: yaml.MarkedYAMLError, lines: list[str], p_line: int) -> _Finding | None:
    problem = str(exc.problem)
    if "tab" not in problem and "cannot start any token" not in problem:
        return None
    candidates = [p_line, *range(p_line)]
    for n in candidates:
        if "\t" in lines[n]:
            return _Finding(n, lines[n].index("\t"),
                            "a tab character: YAML indents with spaces only "
                            "(replace the tab with spaces)")
    return None


def _runaway_quote(exc: yaml.MarkedYAMLError, lines: list[str]) -> _Finding | None:
    """A quote still open at the end of the file: the context mark is where it opened."""
    mark = exc.context_mark
    if mark is None or "quoted scalar" not in str(exc.context) or mark.line >= len(lines):
        return None
    return _Finding(mark.line, mark.column, _unclosed_message(lines[mark.line], mark.column))


def _open_brace(exc: yaml.MarkedYAMLError, lines: list[str]) -> _Finding | None:
    """A ``{`` or ``[`` whose closing bracket is missing: the context mark is where it opened."""
    mark = exc.context_mark
    if mark is None or "flow" not in str(exc.context) or mark.line >= len(lines):
        return None
    line = lines[mark.line]
    opening = line[mark.column:mark.column + 1]
    if opening not in ("{", "[") or line.count(opening) <= line.count("}" if opening == "{"
                                                                       else "]"):
        return None
    closing = "}" if opening == "{" else "]"
    return _Finding(mark.line, mark.column, f"this {opening} is never closed "
                                            f"(end it with {closing} on the same line)")


def _unclosed_message(line: str, column: int) -> str:
    if line[column:column + 1] == "'":
        return ("this ' starts a text that is never closed (end the text with ' on the same "
                "line, or put text that has an apostrophe in double quotes)")
    return 'this " starts a text that is never closed (end the text with " on the same line)'


def _line_problems(lines: list[str], p_line: int,
                   exc: yaml.MarkedYAMLError) -> _Finding | None:
    """The nearest line at or above the parser's mark with a quoting or colon mistake."""
    first = max(0, p_line - _LOOK_BACK)
    if exc.context_mark is not None and exc.context_mark.line <= p_line:
        first = max(first, exc.context_mark.line)
    in_blocks = _block_lines(lines)
    for n in range(p_line, first - 1, -1):
        found = None if n in in_blocks else _scan_line(lines[n], n)
        if found:
            return found
    return None


def _block_lines(lines: list[str]) -> set[int]:
    """Lines inside a literal or folded block (free text, where ': ' and quotes are fine)."""
    inside: set[int] = set()
    n = 0
    while n < len(lines):
        line = lines[n]
        indent = len(line) - len(line.lstrip(" "))
        n += 1
        if not _BLOCK_START.fullmatch(line.strip()) or not line.strip():
            continue
        while n < len(lines) and (not lines[n].strip()
                                  or len(lines[n]) - len(lines[n].lstrip(" ")) > indent):
            inside.add(n)
            n += 1
    return inside


def _scan_line(line: str, n: int) -> _Finding | None:
    """Read one line as YAML would, looking for the mistakes people make most."""
    indent = len(line) - len(line.lstrip(" "))
    i = indent
    if _DASH_NO_SPACE.match(line, i) and ":" in line:
        return _Finding(n, i + 1, "a space is missing after '-' (write '- ' at the start of "
                                  "each item)")
    if line.startswith("- ", i):
        i += 2
        while line.startswith(" ", i):
            i += 1
    glued = _KEY_NO_SPACE.match(line, i)
    if glued:
        return _Finding(n, glued.end(), f"a space is missing after '{glued.group(1)}:' "
                                        f"(write '{glued.group(1)}: …')")
    lang = _LANG_NO_COLON.match(line, i)
    if lang:
        code = lang.group(1)
        return _Finding(n, lang.end(1),
                        f"a colon is missing after the language '{code}' "
                        f'(write {code}: "…")')
    depth = 0
    at_value = True
    while i < len(line):
        ch = line[i]
        if ch == " ":
            i += 1
            continue
        if ch == "#":
            return None  # a comment: the rest of the line does not count
        if at_value and ch in "\"'":
            found, i = _quoted(line, i, n)
            if found:
                return found
            at_value = False
            continue
        if at_value and ch in _CURLY:
            return _Finding(n, i, f"{ch} is not a YAML quote: {STRAIGHT_QUOTES} "
                                  '(write "…" instead of “…”)')
        if ch in "{[":
            depth += 1
            i += 1
            continue
        if ch in "}]":
            depth -= 1
            i += 1
            continue
        if ch == ",":
            i += 1
            at_value = True
            continue
        key = _KEY.match(line, i)
        if key and at_value:
            i = key.end()
            continue
        found, i = _plain(line, i, n, in_flow=depth > 0)
        if found:
            return found
        at_value = False
    return None


def _quoted(line: str, start: int, n: int) -> tuple[_Finding | None, int]:
    """A quoted text from ``start``: it must close on this line and be followed by an end."""
    quote = line[start]
    i = start + 1
    while i < len(line):
        if quote == '"' and line[i] == "\\":
            i += 2
            continue
        if line[i] == quote:
            if quote == "'" and line.startswith("''", i):
                i += 2
                continue
            break
        i += 1
    else:
        return _Finding(n, start, _unclosed_message(line, start)), len(line)
    end = i + 1
    rest = line[end:].lstrip(" ")
    if not rest or rest[0] in _ENDS_VALUE:
        return None, end
    if quote == '"' and end == start + 2:
        return _Finding(n, start, 'the text starts with two double quotes '
                                  '(use one " at each end: "…")'), end
    if quote == '"':
        return _Finding(n, i, 'this " ends the text too early: inside double quotes, '
                              'write a quote as \\" or use “ ” instead'), end
    return _Finding(n, i, "this ' ends the text too early: inside single quotes, write an "
                          "apostrophe as '' or put the whole text in double quotes"), end


def _plain(line: str, start: int, n: int, *, in_flow: bool) -> tuple[_Finding | None, int]:
    """Unquoted text from ``start``: a ': ' or (between braces) ' #' inside it is a mistake."""
    i = start
    while i < len(line):
        ch = line[i]
        if in_flow and ch in ",}]":
            return None, i
        if ch == "#" and line[i - 1] in " \t":
            if in_flow:
                return _Finding(n, i, "' #' in unquoted text starts a comment, so the rest of "
                                      'the line is lost (put the text in double quotes: "…")'
                                ), i
            return None, len(line)
        if ch == ":" and (i + 1 == len(line) or line[i + 1] in " \t"):
            return _Finding(n, i, "YAML reads ': ' in unquoted text as a new key "
                                  '(put the whole text in double quotes: "…")'), i
        i += 1
    return None, i


def _indentation(lines: list[str], p_line: int, p_col: int,
                 exc: yaml.MarkedYAMLError) -> _Finding | None:
    """The parser stopped at the start of a line, or at its key's colon: compare its
    indentation with the nearest lines above and name the one it should line up with."""
    line = lines[p_line]
    start = len(line) - len(line.lstrip(" "))
    key = _KEY.match(line, start)
    at_key_colon = key is not None and p_col == key.end() - 1
    if not line.strip() or (p_col != start and not at_key_colon):
        return None
    dash = line.startswith("-", start)
    in_blocks = _block_lines(lines)
    best: tuple[int, int, int, str] | None = None  # (distance, lines up, column, label)
    for n in range(p_line - 1, max(-1, p_line - 1 - _LOOK_BACK), -1):
        above = lines[n]
        if not above.strip() or above.lstrip().startswith("#") or n in in_blocks:
            continue
        column = len(above) - len(above.lstrip(" "))
        label = _label(above, column)
        options = [(column, label)]
        if above.startswith("- ", column) and not dash:
            # A key under a list item lines up with the item's first key, never with its
            # dash (where the parser stopped: '  question:' under '  - id:').
            inner = column + 2 + len(above[column + 2:]) - len(above[column + 2:].lstrip(" "))
            options = [(inner, _label(above, inner))]
        for col, name in options:
            distance = abs(col - start)
            if best is None or distance < best[0]:
                best = (distance, p_line - n, col, name)
        if column == 0:
            break  # a top-level key: nothing above can be this line's sibling
    if best is None or best[0] == 0:
        return None
    _, _, column, label = best
    return _Finding(p_line, start, f"line {p_line + 1} starts at column {start + 1}, "
                                   f"'{label}' above at column {column + 1}: line them up")


def _label(line: str, column: int) -> str:
    if line.startswith("- ", column):
        key = _KEY.match(line, column + 2)
        return f"- {key.group(0)}" if key else "-"
    key = _KEY.match(line, column)
    return key.group(0) if key else line.strip()[:20]
