"""The notes as pages show them, made in Python for the reason ``fragments`` gives: a note
in the explainer's panel and in the teacher key, the links to a paragraph's notes, a
note's fact check, a source. An article has about twenty notes and each note a dozen
values, shown in two pages: as Jinja macros they were a tenth of an article's rendering.

Every value placed in the HTML goes through ``escape`` (a ``Markup`` value, the rendered
Markdown of ``Rich``, passes as it is), as in an autoescaped template; the HTML around
the values is written out exactly as the macros these replace wrote it. Templates call
them as filters (see ``fragments``): ``{{ n|note(t) }}``, ``{{ s|source_item(t) }}``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from jinja2.defaults import DEFAULT_POLICIES
from jinja2.filters import do_truncate
from markupsafe import Markup

from sitegen.theme.escaping import escape
from sitegen.theme.fragments import _Category, _Rich, badge, rich

_LEEWAY: int = DEFAULT_POLICIES["truncate.leeway"]


def truncate(text: str, length: int) -> str:
    """Jinja's ``text|truncate(length)``, with the leeway of sitegen's environment (the
    default policy)."""
    # do_truncate reads the environment only for a leeway not given.
    return do_truncate(None, text, length, leeway=_LEEWAY)  # type: ignore[arg-type]


class _Source(Protocol):
    """A source as a page cites it (``views.sources.SourceRef``)."""

    @property
    def title(self) -> str | None: ...
    @property
    def publisher(self) -> str: ...
    @property
    def date(self) -> str | None: ...
    @property
    def url(self) -> str | None: ...
    @property
    def number(self) -> int: ...
    @property
    def accessed(self) -> str | None: ...
    @property
    def archived(self) -> str | None: ...


class _Verdict(Protocol):
    """A step of the rating scale (``views.factcheck.Verdict``)."""

    @property
    def key(self) -> str: ...
    @property
    def label(self) -> str: ...


class _Piece(Protocol):
    """A run of words of a comparison (``text.wordiff.Piece``)."""

    @property
    def kind(self) -> str: ...
    @property
    def text(self) -> str: ...


class _Original(Protocol):
    """A quotation's first wording (``views.factcheck.OriginalWords``)."""

    @property
    def text(self) -> str: ...
    @property
    def lang(self) -> str: ...
    @property
    def speaker(self) -> str: ...
    @property
    def source(self) -> _Source: ...
    @property
    def translation(self) -> str | None: ...
    @property
    def diff(self) -> tuple[_Piece, ...]: ...


class _Check(Protocol):
    """What a note shows of its fact check (``views.factcheck.NoteCheck``)."""

    @property
    def claim(self) -> _Rich | None: ...
    @property
    def claim_by(self) -> str | None: ...
    @property
    def claim_source(self) -> _Source | None: ...
    @property
    def verdict(self) -> _Verdict | None: ...
    @property
    def original(self) -> _Original | None: ...


class _Note(Protocol):
    """A note of a page (``views.article.Note``)."""

    @property
    def id(self) -> str: ...
    @property
    def number(self) -> int | None: ...
    @property
    def category(self) -> _Category: ...
    @property
    def quote(self) -> str | None: ...
    @property
    def quote_lang(self) -> str: ...
    @property
    def translated_quote(self) -> str | None: ...
    @property
    def translated_lang(self) -> str | None: ...
    @property
    def note(self) -> _Rich | None: ...
    @property
    def question(self) -> _Rich | None: ...
    @property
    def answer(self) -> _Rich | None: ...
    @property
    def sources(self) -> tuple[_Source, ...]: ...
    @property
    def check(self) -> _Check | None: ...


def source_item(s: _Source, t: Mapping[str, str], anchor: bool = False) -> Markup:
    """A source in a list: title, publisher, date, its address and archived copy."""
    out = ["<li"]
    if anchor:
        out.append(f' id="source-{escape(s.number)}"')
    out.append(">")
    if s.title:
        out.append(f"<cite>{escape(s.title)}</cite>, ")
    out.append(f"{escape(s.publisher)}, {escape(s.date if s.date else t['date_unknown'])}")
    if s.url:
        url = escape(s.url)
        out.append(f', <a href="{url}" rel="noopener noreferrer">{url}</a>')
    if s.archived:
        out.append(f' (<a href="{escape(s.archived)}" rel="noopener noreferrer">'
                   f'{escape(t["source_archived"])}</a>)')
    if s.accessed:
        out.append(f", {escape(t['source_accessed'])} {escape(s.accessed)}")
    out.append("</li>")
    return Markup("".join(out))


def source_ref(s: _Source) -> Markup:
    """A link to a source of the page's list: ``[3]``."""
    number = escape(s.number)
    return Markup(f'<a href="#source-{number}">[{number}]</a>')


def verdict(v: _Verdict, t: Mapping[str, str], named: bool = True) -> Markup:
    """A verdict, always in words; ``named``: said "Verdict:" first, where no column
    heading says it."""
    name = f'<span class="verdict-name">{escape(t["verdict_label"])}</span> ' if named else ""
    return Markup(f'<span class="verdict verdict-{escape(v.key)}">{name}'
                  f"<strong>{escape(v.label)}</strong></span>")


def diff(pieces: Iterable[_Piece], t: Mapping[str, str]) -> Markup:
    """Words only in the original struck through, words only in the article underlined,
    each also announced in words."""
    words = []
    for p in pieces:
        if p.kind == "del":
            words.append(f'<del><span class="visually-hidden">{escape(t["diff_removed"])} '
                         f"</span>{escape(p.text)}</del>")
        elif p.kind == "ins":
            words.append(f'<ins><span class="visually-hidden">{escape(t["diff_added"])} '
                         f"</span>{escape(p.text)}</ins>")
        else:
            words.append(escape(p.text))
    return Markup(f'<span class="wordiff">{" ".join(words)}</span>')


def original(o: _Original, t: Mapping[str, str]) -> Markup:
    """A quotation's original words, our translation of them, and the comparison."""
    out = ['<div class="original-words">\n  <p><span class="original-label">',
           escape(t["original_words"].format(speaker=o.speaker)),
           f'</span> <q lang="{escape(o.lang)}">{escape(o.text)}</q> ',
           source_ref(o.source), "</p>\n"]
    if o.translation:
        out.append(f'<p><span class="original-label">{escape(t["original_translated"])}'
                   f"</span> <q>{escape(o.translation)}</q></p>")
    if o.diff:
        out.append(f'<p class="compare"><span class="original-label">'
                   f'{escape(t["diff_title"])}</span> {diff(o.diff, t)}</p>\n'
                   f'  <p class="diff-key">{escape(t["diff_key"])}</p>')
    out.append("</div>")
    return Markup("".join(out))


def note_check(c: _Check, t: Mapping[str, str]) -> Markup:
    """What a note shows of its check: the claim and its verdict, then the original words."""
    out = ['<div class="note-check">\n']
    if c.claim:
        out.append(f'<p class="claim"><span class="claim-name">{escape(t["claim_label"])}'
                   f'</span> {rich(c.claim, tag="span")}')
        if c.claim_by:
            out.append(f" ({escape(c.claim_by)})")
        if c.claim_source:
            out.append(f" {source_ref(c.claim_source)}")
        out.append("</p>")
    if c.verdict:
        out.append(f'<p class="verdict-line">{verdict(c.verdict, t)}</p>')
    if c.original:
        out.append(original(c.original, t))
    out.append("</div>")
    return Markup("".join(out))


def note_refs(notes: Iterable[_Note], t: Mapping[str, str]) -> Markup:
    """Under a paragraph, a link to each of its notes: without JavaScript a highlight opens
    nothing (hidden once the script runs, since the highlights then open them)."""
    links = " ".join(f'<a href="#note-{escape(n.id)}">{badge(n.category, n.number)}'
                     f'<span class="visually-hidden">{escape(n.category.label)} '
                     f"{escape(n.number)}</span></a>" for n in notes)
    return Markup(f'<p class="note-refs no-js-only">{escape(t["note_refs"])} {links}</p>')


def cites(sources: tuple[_Source, ...]) -> Markup:
    """Links to sources of the page's list, by number: ``1, 4``."""
    return Markup(", ".join(f'<a href="#source-{n}">{n}</a>'
                            for n in (escape(s.number) for s in sources)))


def note(n: _Note, t: Mapping[str, str], show_answer: bool = False,
         show_sources: bool = True) -> Markup:
    """A note of the explainer's note panel: its title (badge, category, number, quote),
    fact check, text, question, sources and the way back to its highlight."""
    key = escape(n.category.key)
    ident = escape(n.id)
    out = [f'<div class="note note-{key}" id="note-{ident}" data-annotation="{ident}" '
           f'data-category="{key}" tabindex="-1">\n  <h3 class="note-title">'
           f'<a class="note-link" href="#note-{ident}" title="{escape(t["note_link"])}">'
           f'{badge(n.category, n.number)} <span class="note-category">'
           f"{escape(n.category.label)}"]
    if n.number is not None:
        out.append(f" {escape(n.number)}</span></a>")
    else:
        out.append(f'</span> <span class="note-scope">{escape(t["note_whole_text"])}</span></a>')
    if n.quote:
        out.append(f' <q class="note-quote" lang="{escape(n.quote_lang)}">'
                   f"{escape(truncate(n.quote, 90))}</q>")
    if n.translated_quote:
        out.append(f' <span class="note-quote-translated">(<q lang="'
                   f'{escape(n.translated_lang)}">{escape(truncate(n.translated_quote, 90))}'
                   f"</q>)</span>")
    out.append("</h3>\n")
    if n.check:
        out.append(note_check(n.check, t))
    out.append(f'  {rich(n.note, cls="note-body")}\n')
    if n.question:
        out.append(f'<p class="note-question"><strong>{escape(t["question_for_students"])}'
                   f'</strong> {rich(n.question, tag="span")}</p>')
    if show_answer and n.answer:
        out.append(rich(n.answer, cls="note-answer"))
    if show_sources and n.sources:
        sources = escape(t["sources"])
        out.append(f'  <p class="note-cites">{sources} [{cites(n.sources)}]</p>\n'
                   f'  <details class="note-sources"><summary>{sources} '
                   f"({escape(len(n.sources))})</summary>\n    <ul>")
        out.extend(source_item(s, t) for s in n.sources)
        out.append("</ul>\n  </details>\n")
    if n.number is not None:
        out.append(f'<p class="note-back"><a href="#hl-{ident}">'
                   f'{escape(t["back_to_text"])}</a></p>')
    out.append("</div>")
    return Markup("".join(out))


def key_note(n: _Note, t: Mapping[str, str], lang: str) -> Markup:
    """A note as the teacher key shows it beside its paragraph; ``lang``: the article's
    language, its quote's."""
    out = [f'<div class="key-note note-{escape(n.category.key)}" id="note-{escape(n.id)}">\n'
           f'  <p class="key-note-title">{badge(n.category, n.number)} <strong>'
           f"{escape(n.category.label)}"]
    if n.number is not None:
        out.append(f" {escape(n.number)}")
    out.append("</strong>")
    if n.quote:
        out.append(f' <q lang="{escape(lang)}">{escape(truncate(n.quote, 90))}</q>')
    out.append("</p>\n")
    if n.check:
        out.append(note_check(n.check, t))
    out.append(f'  {rich(n.note, cls="key-note-body")}\n')
    if n.sources:
        out.append('<ul class="key-sources">')
        out.extend(source_item(s, t) for s in n.sources)
        out.append("</ul>")
    out.append("</div>")
    return Markup("".join(out))


def key_notes(notes: Iterable[_Note], t: Mapping[str, str], lang: str) -> Markup:
    """Notes of the teacher key, together (nothing when there are none)."""
    shown = "".join(key_note(n, t, lang) for n in notes)
    return Markup(f'<div class="key-notes">{shown}</div>' if shown else "")


FILTERS = {"source_item": source_item, "source_ref": source_ref, "cites": cites, "verdict": verdict,
           "diff": diff, "note_refs": note_refs, "note": note,
           "key_notes": key_notes}
