"""The notes' HTML made in Python (sitegen/theme/notes.py) is byte for byte what the Jinja
macros it replaced made, every value escaped as autoescaping does: compared with those
macros, kept here as they were, on random notes full of HTML's characters. The sheets'
small pieces (sitegen/theme/fragments.py) escape what they place too."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from typing import Any

import jinja2
from conftest import FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from sitegen.text.wordiff import Piece
from sitegen.theme import fragments, notes
from sitegen.views.article import GeneralQuestion, Note
from sitegen.views.edition import Category, Rich
from sitegen.views.exercise import Line
from sitegen.views.factcheck import NoteCheck, OriginalWords, Verdict
from sitegen.views.sources import SourceRef

STRINGS = ("note_refs", "date_unknown", "source_archived", "source_accessed", "verdict_label",
           "diff_removed", "diff_added", "original_translated", "diff_title", "diff_key",
           "claim_label", "note_link", "note_whole_text", "question_for_students", "sources",
           "back_to_text")

hostile = st.text(alphabet="<>&\"' aé\n", max_size=12)
maybe = st.none() | hostile
long_text = st.text(alphabet="<>&\"' ab", max_size=120)
rich = st.none() | st.builds(Rich, st.just(Markup("<em>ok</em> &amp;")), st.none() | hostile)
source = st.builds(SourceRef, maybe, hostile, maybe, maybe, st.integers(1, 20), maybe, maybe)
check = st.builds(
    NoteCheck, rich, maybe, st.none() | source,
    st.none() | st.builds(Verdict, hostile, hostile, st.none()),
    st.none() | st.builds(OriginalWords, hostile, hostile, hostile, source, maybe, maybe,
                          st.lists(st.builds(Piece, st.sampled_from(["same", "del", "ins"]),
                                             hostile), max_size=4).map(tuple)))
category = st.builds(Category, hostile, hostile, st.none(), hostile)
note = st.builds(Note, hostile, st.none() | st.integers(1, 30), category, st.none() | long_text,
                 hostile, st.none() | long_text, maybe, rich, rich, rich,
                 st.lists(source, max_size=3).map(tuple), st.none() | check)
strings = st.fixed_dictionaries({
    **dict.fromkeys(STRINGS, hostile),
    "original_words": st.sampled_from(["{speaker}:", "<&{speaker}"])})


@cache
def _macros() -> Any:  # a template's module: its macros as attributes
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.globals.update(fragments.FILTERS)  # the macros call them as functions
    return env.from_string((FIXTURES / "note_macros.html").read_text("utf-8")).module


@settings(max_examples=300, deadline=None)
@given(note, strings, hostile, st.booleans(), st.booleans())
def test_notes_are_made_as_the_macros_made_them(n: Note, t: dict[str, str], lang: str,
                                                answer: bool, sources: bool) -> None:
    old = _macros()
    assert notes.note(n, t, answer, sources) == old.note(n, t, answer, sources)
    assert notes.key_note(n, t, lang) == old.key_note(n, t, lang)
    assert notes.note_refs([n, n], t) == old.note_refs([n, n], t)
    for s in n.sources:
        assert notes.source_item(s, t, anchor=True) == old.source_item(s, t, anchor=True)
    if n.check is not None and n.check.verdict is not None:
        assert notes.verdict(n.check.verdict, t, named=False) == old.verdict(
            n.check.verdict, t, named=False)


def test_every_value_is_escaped() -> None:
    bad = "<x>&\""
    t = dict.fromkeys(STRINGS, bad) | {"original_words": "{speaker}:"}
    src = SourceRef(bad, bad, bad, bad, 1, bad, bad)
    n = Note(bad, 1, Category(bad, bad, None, bad), bad, bad, bad, bad, None, None, None, (src,),
             NoteCheck(None, bad, src, Verdict(bad, bad, None),
                       OriginalWords(bad, bad, bad, src, bad, bad, (Piece("del", bad),))))
    assert notes.key_notes([], t, bad) == ""
    for html in (notes.note(n, t), notes.key_notes([n], t, bad), notes.note_refs([n], t)):
        assert "<x>" not in html and "&lt;x&gt;&amp;&#34;" in html


def test_the_sheets_fragments_escape_what_they_place() -> None:
    bad = "<x>&\""
    t = {"question_core": bad, "handout_answer": bad, "handout_no_answer": bad}
    lines = fragments.numbered_lines([Line(1, bad), Line(2, "b ")])
    assert lines == ('<span class="ln" data-n="1">&lt;x&gt;&amp;&#34;</span>'
                     '<span class="ln" data-n="2">b </span>')
    question = GeneralQuestion(None, Rich(Markup("<em>a</em>"), None), None, None, bad, True)
    mark = ' <span class="core-mark">(&lt;x&gt;&amp;&#34;)</span>'
    assert fragments.core_mark(question, t) == mark
    assert fragments.core_mark(replace(question, core=False), t) == ""
    assert fragments.core_mark(object(), t) == ""  # a question of a kind without the mark
    assert fragments.answer(question, t) == (
        '<div class="answer"><strong>&lt;x&gt;&amp;&#34;</strong> <div><em>a</em></div></div>')
    assert "<x>" not in fragments.answer(replace(question, answer=None), t)
    assert fragments.ruled(3) == '<span class="line"></span>' * 3
