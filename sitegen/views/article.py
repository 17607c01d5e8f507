"""The article page of every edition: the text with its highlights, the notes, the
questions, who speaks, the sources. The teacher key shows the same view (the same
numbers); the student copies show what ``for_students`` keeps of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from sitegen.model import Annotation, Article, Site
from sitegen.text import typography
from sitegen.text.anchoring import AnchoredArticle
from sitegen.text.markdown import Block, render_blocks, render_text
from sitegen.views import sheets
from sitegen.views.chart import Bar, voices_svg
from sitegen.views.edition import (
    Category,
    Edition,
    Frame,
    Page,
    Rich,
    edition_dir,
    fields_of,
    page_root,
)
from sitegen.views.factcheck import FactCheck, NoteCheck, fact_check, note_check
from sitegen.views.sheets import HandoutLink, SiftMove
from sitegen.views.sources import SourceList, SourceRef
from sitegen.views.translated import TranslatedText, translated_text


@dataclass(frozen=True)
class StudentArticle:
    """What a student copy knows: not the article's outlet, author, date, address or provenance."""

    slug: str
    title: str
    language: str
    practice: bool


@dataclass(frozen=True)
class ArticleFacts:
    slug: str
    title: str
    language: str
    practice: bool
    outlet: str | None
    author: str | None
    published: str | None
    original_url: str | None
    provenance: Rich | None
    summary: Rich | None
    rights: str | None
    """Plain text, shown as written; not on student copies, where it would name the outlet."""

    def for_students(self) -> StudentArticle:
        return StudentArticle(self.slug, self.title, self.language, self.practice)


@dataclass(frozen=True)
class Note:
    id: str
    number: int | None
    """None for a note on the whole article (no highlight)."""
    category: Category
    quote: str | None
    """The highlighted passage, on one line."""
    quote_lang: str
    translated_quote: str | None
    """The passage in the edition's translation, when the page has one and it is given."""
    translated_lang: str | None
    note: Rich | None
    question: Rich | None
    answer: Rich | None
    sources: tuple[SourceRef, ...]
    check: NoteCheck | None = None


@dataclass(frozen=True)
class TextBlock:
    """A top-level block of the body, the notes of the highlights that start in it, and its
    translation, plain and with the highlights whose quote is given in that language."""

    html: Markup
    notes: tuple[Note, ...]
    translation: Markup | None
    marked_translation: Markup | None


@dataclass(frozen=True)
class HighlightQuestion:
    number: int
    id: str
    key: str
    """Names the question for good: the annotation's id, or its place in ``questions:``."""
    question: Rich | None
    answer: Rich | None
    core: bool
    quote: str | None
    translated_quote: str | None
    category: Category


@dataclass(frozen=True)
class GeneralQuestion:
    question: Rich | None
    answer: Rich | None
    step: str | None
    id: str | None
    key: str
    core: bool


@dataclass(frozen=True)
class StudentHighlightQuestion:
    number: int
    id: str
    key: str
    question: Rich | None
    quote: str | None
    translated_quote: str | None
    category: Category


@dataclass(frozen=True)
class StudentGeneralQuestion:
    question: Rich | None
    step: str | None
    id: str | None
    key: str


@dataclass(frozen=True)
class StudentQuestions:
    per_highlight: tuple[StudentHighlightQuestion, ...]
    general: tuple[StudentGeneralQuestion, ...]


@dataclass(frozen=True)
class Questions:
    per_highlight: tuple[HighlightQuestion, ...]
    general: tuple[GeneralQuestion, ...]

    def core(self) -> Questions:
        """The questions a student copy carries: those marked core, or all when none is."""
        if not any(q.core for q in self.per_highlight) and not any(
                q.core for q in self.general):
            return self
        return Questions(tuple(q for q in self.per_highlight if q.core),
                         tuple(q for q in self.general if q.core))

    def for_students(self) -> StudentQuestions:
        """The core questions, without their answers."""
        core = self.core()
        return StudentQuestions(
            tuple(StudentHighlightQuestion(q.number, q.id, q.key, q.question, q.quote,
                                           q.translated_quote, q.category)
                  for q in core.per_highlight),
            tuple(StudentGeneralQuestion(q.question, q.step, q.id, q.key)
                  for q in core.general))


@dataclass(frozen=True)
class CategoryCount:
    category: Category
    count: int


@dataclass(frozen=True)
class Glance:
    """What the "at a glance" box counts: highlights per category, voices, the original."""

    categories: tuple[CategoryCount, ...]
    voices: int
    original: bool


@dataclass(frozen=True)
class Panel:
    """A category's highlights, in text order."""

    category: Category
    highlights: tuple[Note, ...]


@dataclass(frozen=True)
class VoiceRow:
    name: str
    role: Rich | None
    affiliation: Rich | None
    side: str | None
    quoted: str
    linked: str
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True, kw_only=True)
class ArticleView(Frame):
    """``article.html``, and what the teacher key shows of the article."""

    article: ArticleFacts
    headline: Markup
    translated_title: str | None
    translated_headline: Markup | None
    headline_notes: tuple[Note, ...]
    blocks: tuple[TextBlock, ...]
    has_translation: bool
    translation_lang: str | None
    article_notes: tuple[Note, ...]
    """The notes on the whole article, without a highlight."""
    notes_in_order: tuple[Note, ...]
    glance: Glance
    panels: tuple[Panel, ...]
    voices: tuple[VoiceRow, ...]
    chart: Markup | None
    questions: Questions
    sift: tuple[SiftMove, ...]
    sources: tuple[SourceRef, ...]
    handouts: tuple[HandoutLink, ...]
    factcheck: FactCheck


@dataclass(frozen=True)
class _Marked:
    """What the view of every edition takes from the article's highlights, made once:
    by annotation id, each highlight's number and passage (on one line); and each
    highlight's id, in text order, with the block it starts in (None: the headline)."""

    blocks: list[Block]
    headline: Markup
    numbers: dict[str, int]
    quotes: dict[str, str]
    places: tuple[tuple[str, int | None], ...]


def _marked(anchored: AnchoredArticle) -> _Marked:
    spans, offset, text = anchored.spans, anchored.body_offset, anchored.plain_text
    blocks = render_blocks(anchored.body, spans, offset)
    return _Marked(
        blocks, Markup(render_text(anchored.article.title, spans, 0)),
        {s.annotation.id: s.number for s in spans},
        {s.annotation.id: " ".join(text[s.start : s.end].split()) for s in spans},
        tuple((s.annotation.id, None if s.start < offset else next(
            (i for i, b in enumerate(blocks) if s.start < b.end + offset), len(blocks) - 1))
            for s in spans))


def article_views(anchored: AnchoredArticle, site: Site, *, pdf: bool,
                  locked: bool = False) -> dict[str, ArticleView]:
    """The article's view in each edition, made once and shared by its page and its
    handouts (they sit in the same folder, so relative links are the same); ``pdf``: the
    handouts have PDFs to link to; ``locked``: the site holds the teacher key, locked."""
    marked = _marked(anchored)
    return {lang: _article_view(anchored, Edition(site, lang, anchored.fields), marked,
                                pdf=pdf, locked=locked) for lang in site.languages}


def article_pages(anchored: AnchoredArticle, site: Site, views: dict[str, ArticleView]
                  ) -> list[Page]:
    slug = anchored.article.slug
    return [Page(f"{edition_dir(site, lang)}{slug}/index.html", "article.html", views[lang])
            for lang in site.languages]


def _article_view(anchored: AnchoredArticle, ed: Edition, marked: _Marked, *,
                  pdf: bool, locked: bool) -> ArticleView:
    article, lang = anchored.article, ed.lang
    blocks, numbers = marked.blocks, marked.numbers
    tr = translated_text(anchored, lang)
    sources = SourceList(lang, ed.t["months_short"])
    notes = {a.id: _note(ed, a, numbers.get(a.id), marked.quotes.get(a.id), article.language,
                         sources, tr)
             for a in article.annotations}
    by_block: list[list[Note]] = [[] for _ in blocks]
    headline_notes: list[Note] = []
    for id_, index in marked.places:
        (headline_notes if index is None else by_block[index]).append(notes[id_])
    article_notes = tuple(notes[a.id] for a in article.annotations if a.id not in numbers)
    numbered = sorted((notes[i] for i in numbers), key=lambda n: n.number or 0)
    frame = ed.frame(page_root(ed.site, lang, 1), f"{article.slug}/index.html", article.title)
    return ArticleView(
        **fields_of(frame),
        article=_facts(ed, article),
        headline=marked.headline,
        translated_title=tr.title if tr else None,
        translated_headline=tr.headline if tr else None,
        headline_notes=tuple(headline_notes),
        blocks=tuple(
            TextBlock(Markup(b.html), tuple(by_block[i]), *tr.block(i) if tr else (None, None))
            for i, b in enumerate(blocks)),
        has_translation=tr is not None,
        translation_lang=lang if tr is not None else None,
        article_notes=article_notes,
        notes_in_order=(*numbered, *article_notes),
        glance=_glance(ed, article, numbered),
        panels=tuple(Panel(c, tuple(n for n in numbered if n.category.key == c.key))
                     for c in ed.categories),
        voices=_voices(ed, article, sources),
        chart=_chart(ed, article),
        questions=_questions(ed, article, notes),
        sift=sheets.sift_moves(ed.t),
        sources=tuple(sources.items),
        handouts=sheets.links(ed.t, pdf=pdf, locked=locked),
        factcheck=fact_check(anchored, ed, {i: n.check for i, n in notes.items()}, numbers,
                             tuple(sources.items)),
    )


def _facts(ed: Edition, article: Article) -> ArticleFacts:
    return ArticleFacts(
        slug=article.slug, title=article.title, language=article.language,
        practice=article.kind == "practice", outlet=article.outlet, author=article.author,
        published=article.published, original_url=article.original_url,
        provenance=ed.text(article.provenance), summary=ed.text(article.summary),
        rights=article.rights)


def _note(ed: Edition, ann: Annotation, number: int | None, quote: str | None,
          quote_lang: str, sources: SourceList, tr: TranslatedText | None) -> Note:
    translated = tr.quotes.get(ann.id) if tr else None
    return Note(ann.id, number, ed.category(ann.category), quote, quote_lang, translated,
                tr.lang if tr and translated else None, ed.text(ann.note),
                ed.text(ann.question, inline=True), ed.text(ann.answer), sources.cite(ann.sources),
                note_check(ed, ann, quote if ed.lang == quote_lang else translated, sources))


def _glance(ed: Edition, article: Article, numbered: list[Note]) -> Glance:
    counts = (CategoryCount(c, sum(n.category.key == c.key for n in numbered))
              for c in ed.categories)
    return Glance(tuple(c for c in counts if c.count), len(article.voices),
                  article.original_url is not None)


def _voices(ed: Edition, article: Article, sources: SourceList) -> tuple[VoiceRow, ...]:
    return tuple(
        VoiceRow(typography.plain(v.name, ed.lang), ed.text(v.role, inline=True),
                 ed.text(v.affiliation, inline=True), ed.plain(v.side) if v.side else None,
                 ed.t[v.quoted], ed.t["yes" if v.linked else "no"], sources.cite(v.sources))
        for v in article.voices)


def _chart(ed: Edition, article: Article) -> Markup | None:
    if not article.voices:
        return None
    bars: dict[str, list[int]] = {}
    for v in article.voices:
        side = ed.plain(v.side) if v.side else ed.t["chart_no_side"]
        counts = bars.setdefault(side, [0, 0])
        counts[0 if v.linked else 1] += 1
    svg = voices_svg([Bar(k, c[0], c[1]) for k, c in bars.items()], ed.t["chart_title"],
                     ed.t["chart_linked"], ed.t["chart_not_linked"],
                     lambda text: typography.plain(text, ed.lang))
    return Markup(svg)


def _questions(ed: Edition, article: Article, notes: dict[str, Note]) -> Questions:
    """Each highlight's question (with its passage and category, for the sheets), then
    the questions on the whole article, Stop first (``sheets.FIRST_STEP``)."""
    numbers = {i: n.number for i, n in notes.items() if n.number is not None}
    asked = sorted((numbers[a.id], a) for a in article.annotations
                   if a.question is not None and a.id in numbers)
    per_highlight = tuple(
        HighlightQuestion(number, a.id, a.id, ed.text(a.question, inline=True), ed.text(a.answer),
                          a.core, notes[a.id].quote, notes[a.id].translated_quote,
                          notes[a.id].category)
        for number, a in asked)
    general = tuple(
        GeneralQuestion(ed.text(a.question, inline=True), ed.text(a.answer), None, a.id, a.id,
                        a.core)
        for a in article.annotations if a.question is not None and a.id not in numbers
    ) + tuple(
        GeneralQuestion(ed.text(q.question, inline=True), ed.text(q.answer), q.step, None,
                        f"question-{i}", q.core)
        for i, q in enumerate(article.questions, 1))
    return Questions(per_highlight, sheets.stop_first(general))
