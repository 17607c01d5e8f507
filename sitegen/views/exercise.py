"""The bare article for the exercise copy: the canonical text without any highlight, cut
into numbered paragraphs and lines, and the explainer's highlights as data to compare with.

The lines are broken here, not by the browser or WeasyPrint, so "paragraph 3, line 12"
means the same on paper, on screen and in the questions. A line holds at most ``MEASURE``
columns (a wide character, as in Chinese or Japanese, counts two) and is broken only at
white space, or inside a word longer than a line; the break itself adds nothing, so the
lines joined give back the article's text exactly. Offsets are code points of the
canonical text, as in the JSON-LD export.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from sitegen.text.anchoring import AnchoredArticle
from sitegen.views.article import ArticleView, StudentArticle, StudentQuestions
from sitegen.views.edition import Rich
from sitegen.views.sheets import SheetFrame, split_first

MEASURE = 78
"""Columns per line: about 13 words, a line that fits the A4 and Letter page at 10 pt."""

_TOKEN = re.compile(r"\S+|\s+")
_CLOSERS = "»”’)]:;!?,.…"
_CLOSING = re.compile(f"[{re.escape(_CLOSERS)}]+")
"""A word made only of these (French « » spacing) stays on the line of the word before."""
_OPENERS = "«“‘(["
_OPENING = re.compile(f"[{re.escape(_OPENERS)}]+")
"""A word made only of these stays on the line of the word after."""


@dataclass(frozen=True)
class Line:
    number: int
    """Counted from the first line of the body, across paragraphs."""
    text: str
    """The line's text, with the white space that follows it (where the break falls)."""


@dataclass(frozen=True)
class Paragraph:
    number: int
    start: int
    """Where the paragraph starts in the canonical text (code points)."""
    lines: tuple[Line, ...]

    @property
    def end(self) -> int:
        return self.start + sum(len(line.text) for line in self.lines)


def width(text: str) -> int:
    """Columns ``text`` takes: two for a wide character, none for a combining mark."""
    if text.isascii():  # no ASCII character is wide or combining
        return len(text)
    return sum(_char_width(ch) for ch in text)


@functools.lru_cache(maxsize=4096)
def _char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _split_long(word: str, measure: int) -> list[str]:
    """A word wider than a line, cut into pieces of at most ``measure`` columns."""
    pieces, current, cols = [], "", 0
    for ch in word:
        size = _char_width(ch)
        if current and cols + size > measure:
            pieces.append(current)
            current, cols = "", 0
        current += ch
        cols += size
    return [*pieces, current]


_GLUED = re.compile(rf"(?<!\S)(?:{_CLOSING.pattern}|{_OPENING.pattern})(?!\S)")
"""A word that ``wrap`` glues to the word before or after it."""
_GLUE_AFTER_SPACE = re.compile(f"[{re.escape(_CLOSERS + _OPENERS)}](?<=\\s.)")
"""A word that starts as a glued one does (the mark first lets the regex engine skip ahead
to one: a search for ``_GLUED`` tries every place of the text)."""


@functools.lru_cache(maxsize=8)
def _greedy(measure: int) -> re.Pattern[str]:
    """A line of text as ``wrap`` cuts it to ``measure`` when each character is a column
    and no word is glued to another: the most words that fit, and the white space after
    them. At a word longer than a line it fails (and ``findall`` skips characters)."""
    return re.compile(rf"(?:.{{0,{measure - 1}}}\S)(?=\s|\Z)\s*")


def wrap(text: str, measure: int = MEASURE) -> list[str]:
    """``text`` cut into lines of at most ``measure`` columns; ``"".join`` gives it back.

    A line break in the text (a hard break, a code block's lines) always ends a line.
    """
    # Most text has no wide or combining character: then a width is a length.
    size_of = len if text.isascii() or all(_char_width(ch) == 1 for ch in set(text)) else width
    if (size_of is len and text and not text[0].isspace() and "\n" not in text
            and not ((text[0] in _CLOSERS + _OPENERS or _GLUE_AFTER_SPACE.search(text))
                     and _GLUED.search(text))):
        # Most paragraphs: the lines of ``_wrap_words``, found by the regex engine, unless
        # a word is longer than a line (then the lines do not add up to the text).
        lines: list[str] = _greedy(measure).findall(text)
        if sum(map(len, lines)) == len(text):
            return lines
    return _wrap_words(text, measure, size_of)


def _wrap_words(text: str, measure: int, size_of: Callable[[str], int]) -> list[str]:
    """``wrap``, word by word: ``size_of`` measures a piece of text in columns. Widths are
    added up as the line grows (a character's width does not depend on its neighbours), so
    the cost is linear in the text."""
    lines: list[str] = []
    current, cols, filled = "", 0, False  # filled: the line has more than white space
    glued = ""  # an opening mark waiting for its word, with the space after it
    for token in _TOKEN.findall(text):
        if token.isspace():
            if glued and "\n" not in token:
                glued += token
                continue
            current += glued + token
            cols += size_of(glued + token)
            filled = filled or bool(glued)
            glued = ""
            if "\n" in token and filled:
                lines.append(current)
                current, cols, filled = "", 0, False
            continue
        if token[0] in _OPENERS and _OPENING.fullmatch(token):
            glued += token
            continue
        word, glued = glued + token, ""
        size = size_of(word)
        whole = size <= measure
        pieces = [(word, size)] if whole else [(p, size_of(p)) for p in _split_long(word, measure)]
        for piece, size in pieces:
            # A word of closing marks stays on the line of the word before it.
            if filled and cols + size > measure and not (whole and _CLOSING.fullmatch(piece)):
                lines.append(current)
                current, cols = "", 0
            current += piece
            cols += size
            filled = True
    current += glued
    if current.strip() or not lines:
        lines.append(current)
    else:
        lines[-1] += current
    return lines


def paragraphs(anchored: AnchoredArticle, measure: int = MEASURE) -> list[Paragraph]:
    """The body's top-level blocks, numbered from 1, each cut into numbered lines."""
    found: list[Paragraph] = []
    number = 0
    text = anchored.body.text
    for index, (start, end) in enumerate(anchored.body.ranges, 1):
        lines = []
        for line in wrap(text[start:end], measure):
            number += 1
            lines.append(Line(number, line))
        found.append(Paragraph(index, anchored.body_offset + start, tuple(lines)))
    return found


def place(paras: Sequence[Paragraph], start: int) -> tuple[int, int] | None:
    """The paragraph and line where canonical offset ``start`` falls (None: the headline)."""
    for para in paras:
        if start < para.start:
            break
        offset = para.start
        for line in para.lines:
            offset += len(line.text)
            if start < offset:
                return para.number, line.number
    if paras and start >= paras[0].start:
        last = paras[-1]
        return last.number, last.lines[-1].number if last.lines else 0
    return None


@dataclass(frozen=True)
class ExerciseQuestion:
    key: str
    """Names the answer in the page and in a saved file: ``highlight-<number>`` for a
    highlight's question, ``question-<n>`` for the n-th on the whole article (never an
    annotation's id, which would tell what the explainer found)."""
    question: Rich | None
    step: str | None
    where: str | None
    """Where its passage is, in words ("paragraph 2, lines 5-6"); None: on the article."""
    quote: str | None
    translated_quote: str | None
    """The passage in the edition's translation (None: it has none, or no quote there)."""


@dataclass(frozen=True)
class Highlight:
    """One of the explainer's highlights, for the comparison (code-point offsets)."""

    id: str
    number: int
    category: str
    start: int
    end: int


@dataclass(frozen=True)
class BareText:
    """What the exercise copy shows of the article, the same in every edition."""

    title: str
    paragraphs: tuple[Paragraph, ...]
    highlights: tuple[Highlight, ...]
    """In text order."""
    by_id: Mapping[str, Highlight]
    fingerprint: str
    """A short hash of the canonical text: a saved exercise holds it, so the class page
    can tell a file made from this very text (its offsets still hold) from any other."""


@dataclass(frozen=True)
class KeyMark:
    """A highlight as the exercise page holds it, to compare with: by number, never by id."""

    number: int
    category: str
    start: int
    end: int


@dataclass(frozen=True)
class Translation:
    """The edition's translation of the article, shown on demand under each paragraph."""

    lang: str
    title: str | None
    paragraphs: tuple[Markup | None, ...]
    """One per paragraph of the bare text, in order."""


def translation_of(view: ArticleView) -> Translation | None:
    """What the exercise page shows of ``view``'s translation (None: the edition has none)."""
    if not view.has_translation or view.translation_lang is None:
        return None
    return Translation(view.translation_lang, view.translated_title,
                       tuple(b.translation for b in view.blocks))


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def bare_text(anchored: AnchoredArticle) -> BareText:
    """The article's text cut into paragraphs and lines, and its highlights as offsets."""
    highlights = tuple(Highlight(s.annotation.id, s.number, s.annotation.category, s.start,
                                 s.end) for s in anchored.spans)
    return BareText(anchored.article.title, tuple(paragraphs(anchored)), highlights,
                    {h.id: h for h in highlights}, fingerprint(anchored.plain_text))


@dataclass(frozen=True, kw_only=True)
class ExerciseView(SheetFrame):
    """``exercise.html``. No note, answer, source or provenance fact is in it."""

    article: StudentArticle
    headline: str
    paragraphs: tuple[Paragraph, ...]
    exercise_questions: tuple[ExerciseQuestion, ...]
    strings: dict[str, str]
    """The strings of ``static/exercise.js``."""
    highlights: tuple[KeyMark, ...]
    fingerprint: str
    translation: Translation | None


def highlight_key(number: int) -> str:
    """The key a saved exercise keeps the answer to highlight ``number``'s question by."""
    return f"highlight-{number}"


def question_key(n: int) -> str:
    """The key of the answer to the ``n``-th question on the whole article (from 1)."""
    return f"question-{n}"


def exercise_questions(bare: BareText, t: Mapping[str, str], questions: StudentQuestions
                       ) -> tuple[ExerciseQuestion, ...]:
    """The student copy's ``questions`` as the exercise asks them: each passage named by
    paragraph and line, never by highlight number, each answer by its ``key``."""
    paras, spans = bare.paragraphs, bare.by_id
    items = [ExerciseQuestion(highlight_key(q.number), q.question, None,
                              _where(t, paras, spans[q.id].start, spans[q.id].end), q.quote,
                              q.translated_quote)
             for q in questions.per_highlight]
    # Questions at the Stop step are asked before those on passages, as on every sheet.
    first, later = split_first(
        ExerciseQuestion(question_key(n), q.question, q.step, None, None, None)
        for n, q in enumerate(questions.general, 1))
    return (*first, *items, *later)


def exercise_view(bare: BareText, t: Mapping[str, str], sheet: Mapping[str, Any], *,
                  article: StudentArticle, questions: StudentQuestions,
                  translation: Translation | None) -> ExerciseView:
    """The exercise page in the frame ``sheet`` (``sheets.sheet_fields``) of an edition,
    whose strings are ``t``: the ``bare`` text (with the edition's ``translation``, if
    any), the student copy's ``questions`` and the explainer's highlights as offsets, for
    the comparison."""
    return ExerciseView(
        **sheet,
        article=article, headline=bare.title,
        paragraphs=bare.paragraphs, exercise_questions=exercise_questions(bare, t, questions),
        strings={k.removeprefix("exercise_"): v for k, v in t.items()
                 if k.startswith("exercise_")},
        highlights=tuple(KeyMark(h.number, h.category, h.start, h.end)
                         for h in bare.highlights),
        fingerprint=bare.fingerprint, translation=translation)


def _where(t: Mapping[str, str], paras: Sequence[Paragraph], start: int, end: int) -> str:
    """Where a passage is, in words: "paragraph 2, lines 5-6", or "in the headline"."""
    first, last = place(paras, start), place(paras, max(start, end - 1))
    if first is None:
        return t["exercise_in_headline"]
    if last is None or last[1] == first[1]:
        return t["exercise_where_line"].format(p=first[0], line=first[1])
    return t["exercise_where_lines"].format(p=first[0], first=first[1], last=last[1])
