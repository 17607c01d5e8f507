"""The text file given to ``sitegen new --from``: read as plain UTF-8 text (a word-processor
file, or text in another encoding, gets the steps to save it as plain text), and cut into
its headline and paragraphs, with the lines a PDF or an e-paper wrapped joined again.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path

from sitegen import fs
from sitegen.content.loader import read_text
from sitegen.errors import (
    ContentErrors,
    SiteError,
    SiteWarning,
    SourceLocation,
    UsageError,
    printable,
)

SAVE_AS_TEXT = (
    "Word: File → Save As, choose Plain Text (.txt), then Unicode (UTF-8). "
    "LibreOffice: File → Save As, choose Text (.txt), tick Edit filter settings, then "
    "Unicode (UTF-8). "
    "Google Docs: File → Download → Plain text (.txt). "
    "TextEdit: Format → Make Plain Text, then File → Save with the encoding Unicode (UTF-8). "
    "Notepad: File → Save As, with the encoding UTF-8."
)
"""How to save a document as plain UTF-8 text, one sentence per editor."""

_DOCUMENTS = {".docx": "a Word document", ".doc": "a Word document",
              ".rtf": "a rich-text (RTF) document", ".odt": "a LibreOffice document",
              ".pages": "a Pages document"}
# What a file holds, by its first bytes, whatever its name says.
_SIGNATURES = ((b"PK\x03\x04", "a Word or LibreOffice document"),
               (b"{\\rtf", "a rich-text (RTF) document"),
               (b"%PDF", "a PDF"),
               (b"\xd0\xcf\x11\xe0", "a Word document"))
_FROM_PDF = ("open it, select all its text (Ctrl+A, or Cmd+A on a Mac), copy it and paste it "
             "into a new plain-text file, a blank line between paragraphs (sitegen joins the "
             "lines the PDF wrapped)")

_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’»)\]]*$")
# A headline's last line rarely ends with a full stop; a first paragraph's does.
_FULL_STOP = re.compile(r"[.…][\"'”’»)\]]*$")
HEADLINE_MAX = 200
"""Characters a headline wrapped over several lines has at most; a longer first block is the
headline (its first line) and the first paragraph."""


def read_source(source: Path) -> str:
    """The text of ``source``, a .txt or .md file in UTF-8; any other kind of file is refused
    with the steps to save it as plain text."""
    suffix = source.suffix.lower()
    if suffix == ".pdf":
        raise UsageError(f"--from {source}: a PDF; sitegen reads plain text: {_FROM_PDF}")
    if suffix in _DOCUMENTS:
        raise UsageError(f"--from {source}: {_DOCUMENTS[suffix]}; sitegen reads plain text: "
                         f"save it as a .txt file in UTF-8. {SAVE_AS_TEXT}")
    if suffix not in (".txt", ".md"):
        raise UsageError(f"--from {source}: give a .txt or .md file")
    try:
        data = fs.read_regular(source, str(source))
        for signature, kind in _SIGNATURES:
            if data.startswith(signature):
                how = (_FROM_PDF if kind == "a PDF"
                       else f"save it as plain text in UTF-8. {SAVE_AS_TEXT}")
                raise SiteError(f"this is {kind}, not plain text", SourceLocation(str(source)),
                                how)
        return read_text(source, str(source))
    except SiteError as exc:
        if exc.message.startswith("not valid UTF-8"):
            exc = SiteError(f"{exc.message}: the file is in another encoding",
                            exc.location, f"save it as UTF-8 text. {SAVE_AS_TEXT}")
        raise ContentErrors([exc]) from None


@dataclass(frozen=True)
class PlainText:
    """A plain-text article cut into its headline and paragraphs (each on one line)."""

    title: str
    paragraphs: list[str]
    said: list[str]
    """What the author should know: lines joined, or lines that look wrapped but were not."""


def cut(text: str, source: Path) -> PlainText:
    """The headline and paragraphs of a plain-text article (``text`` has a non-blank line).

    When the file separates paragraphs by blank lines (two blocks of body text or more),
    the lines of a block that mostly end mid-sentence are one paragraph, and a short first
    block that does not end with a full stop is a headline wrapped over several lines.
    Otherwise every line is a paragraph, and the lines that end mid-sentence are counted:
    they may be wrapped lines of a text copied from a PDF.
    """
    lines = text.split("\n")
    numbered = [(n + 1, line.strip()) for n, line in enumerate(lines)]
    blocks: list[list[tuple[int, str]]] = [[]]
    for number, line in numbered:
        if line:
            blocks[-1].append((number, line))
        elif blocks[-1]:
            blocks.append([])
    blocks = [b for b in blocks if b]
    first = blocks[0]
    body_blocks = [first[1:], *blocks[1:]] if len(first) > 1 else blocks[1:]
    if len([b for b in body_blocks if b]) < 2:
        return _line_by_line(numbered, source)
    headline = [line for _, line in first]
    if len(first) > 1 and (len(" ".join(headline)) > HEADLINE_MAX
                           or _FULL_STOP.search(headline[-1])):
        headline, blocks = headline[:1], [first[1:], *blocks[1:]]
    else:
        blocks = blocks[1:]
    paragraphs: list[str] = []
    joined = len(headline) - 1
    for block in blocks:
        lines = [line for _, line in block]
        if _wrapped(lines):
            paragraphs.append(" ".join(lines))
            joined += len(lines) - 1
        else:
            paragraphs += lines
    title = " ".join(headline)
    said = [printable(f"{source}: joined {joined} wrapped line(s) into their paragraph or "
                      "headline (the file separates paragraphs by blank lines)")] if joined else []
    if len(headline) > 1:  # a byline under the headline would be joined too: show it
        said.append(printable(f"{source}: the headline runs over lines {first[0][0]} to "
                              f"{first[-1][0]}: {title!r}"))
    return PlainText(title, paragraphs, said)


def _wrapped(lines: list[str]) -> bool:
    """Whether a block's lines are one paragraph wrapped: at least half of them (the last
    left aside) end mid-sentence. A block of lines that each end a sentence is a paragraph
    per line, as in a file with blank lines only here and there."""
    mid = sum(not _SENTENCE_END.search(line) for line in lines[:-1])
    return mid > 0 and 2 * mid >= len(lines) - 1


def _line_by_line(numbered: list[tuple[int, str]], source: Path) -> PlainText:
    """Every non-blank line a paragraph, the first the headline; a warning names the first
    of the lines that end mid-sentence and are followed by another line."""
    lines = [(n, line) for n, line in numbered if line]
    body = lines[1:]
    mid = [n for (n, line), _ in itertools.pairwise(body) if not _SENTENCE_END.search(line)]
    said = []
    if mid:
        said.append(SiteWarning(
            f"{len(mid)} line(s) end mid-sentence, the first at line {mid[0]}; each line "
            "is a paragraph", SourceLocation(str(source), mid[0], 1),
            "if the text was copied from a PDF, put a blank line between its paragraphs and "
            "run sitegen new again: the lines of each paragraph are then joined"
        ).format_message())
    return PlainText(lines[0][1], [line for _, line in body], said)
