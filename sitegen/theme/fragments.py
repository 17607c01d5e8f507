"""The smallest pieces of HTML every page repeats, made in Python rather than as Jinja
macros (a macro call costs several times a function call, and these run hundreds of times
per article). Templates call them as filters, which Jinja calls directly (a global function
goes through the context's ``call`` first): ``{{ n.note|rich(cls="note-body") }}``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from markupsafe import Markup

from sitegen.theme.escaping import escape


class _Rich(Protocol):
    """A rendered text (``views.edition.Rich``)."""

    @property
    def html(self) -> Markup: ...
    @property
    def lang(self) -> str | None: ...


class _Category(Protocol):
    """A category as pages show it (``views.edition.Category``)."""

    @property
    def key(self) -> str: ...
    @property
    def letter(self) -> str: ...
    @property
    def label(self) -> str: ...


def rich(value: _Rich | None, tag: str = "div", cls: str = "") -> Markup:
    """A rendered text in its element, with its own ``lang`` when it is
    not in the page's language; nothing for a missing text."""
    if not value:
        return Markup("")
    attrs = f' class="{escape(cls)}"' if cls else ""
    if value.lang:
        attrs += f' lang="{escape(value.lang)}"'
    return Markup(f"<{tag}{attrs}>{value.html}</{tag}>")


def badge(cat: _Category, number: int | None = None) -> Markup:
    """A category's letter badge, with the highlight's number when it has one."""
    shown = "" if number is None else number
    return Markup(f'<span class="badge badge-{escape(cat.key)}" aria-hidden="true">'
                  f'{escape(cat.letter)}{escape(shown)}</span>')


class _Line(Protocol):
    """A numbered line of the exercise copy (``views.exercise.Line``)."""

    @property
    def number(self) -> int: ...
    @property
    def text(self) -> str: ...


class _Question(Protocol):
    """A question of a handout (``views.article.HighlightQuestion``, ``GeneralQuestion``)."""

    @property
    def answer(self) -> _Rich | None: ...


def numbered_lines(lines: Iterable[_Line]) -> Markup:
    """A paragraph's lines on the exercise copy, each with its number (shown in the margin
    by the stylesheet): about ten per paragraph."""
    return Markup("".join(f'<span class="ln" data-n="{escape(line.number)}">'
                          f"{escape(line.text)}</span>" for line in lines))


def ruled(count: int) -> Markup:
    """``count`` ruled lines to write an answer on, on paper."""
    return Markup('<span class="line"></span>' * count)


def core_mark(question: object, t: Mapping[str, str]) -> Markup:
    """"(core question)" after a question marked core; questions of a kind that has no
    such mark get none."""
    if not getattr(question, "core", False):
        return Markup("")
    return Markup(f' <span class="core-mark">({escape(t["question_core"])})</span>')


def answer(question: _Question, t: Mapping[str, str]) -> Markup:
    """The model answer under a question of the teacher key, or that there is none."""
    if question.answer:
        return Markup(f'<div class="answer"><strong>{escape(t["handout_answer"])}</strong> '
                      f'{rich(question.answer, tag="div")}</div>')
    return Markup(f'<div class="answer"><em>{escape(t["handout_no_answer"])}</em></div>')


FILTERS = {"rich": rich, "badge": badge, "numbered_lines": numbered_lines, "ruled": ruled,
           "core_mark": core_mark, "answer": answer}
