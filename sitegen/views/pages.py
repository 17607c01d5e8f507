"""Template contexts for the index and the article pages of every edition.

Everything a template shows is prepared here: Markdown rendered, localized fields
resolved for the edition (with their own ``lang`` when they fall back), links relative.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from markupsafe import Markup

from sitegen.model import Annotation, Article, Localized, Site, Source, Span
from sitegen.text import typography
from sitegen.text.anchoring import Prepared
from sitegen.text.markdown import Fields, render_blocks, render_text
from sitegen.theme import i18n
from sitegen.views.chart import Bar, voices_svg

LINE_STYLES = ("solid", "dashed", "dotted", "double", "wavy")
SIFT = ("stop", "investigate", "find", "trace")


@dataclass(frozen=True)
class Page:
    path: str
    """Output path relative to the site root, with '/' separators."""
    template: str
    context: dict[str, Any]


@dataclass(frozen=True)
class Rich:
    """Rendered HTML and, when it differs from the page's, the language it is in."""

    html: Markup
    lang: str | None


def _short_name(label: str, others: list[str]) -> str:
    """The shortest start of ``label`` that no other label starts with (1 to 3 letters)."""
    for size in (1, 2, 3):
        prefix = label[:size].casefold()
        if not any(o.casefold().startswith(prefix) for o in others):
            break
    return label[:size].capitalize()


def edition_dir(site: Site, lang: str) -> str:
    return "" if lang == site.default_language else f"{lang}/"


class Edition:
    """Resolves and renders content for one edition (page language). Markdown comes from
    ``fields``, shared by every edition of an article, so each text is rendered once."""

    def __init__(self, site: Site, lang: str, fields: Fields | None = None):
        self.site = site
        self.lang = lang
        self.t = typography.strings(i18n.catalogue(lang), lang)
        self.fields = fields if fields is not None else Fields()

    def text(self, value: Localized | None, *, inline: bool = False) -> Rich | None:
        if value is None:
            return None
        resolved = value.resolve(self.lang, self.site.default_language)
        html = self.fields.html(resolved.text, inline=inline, lang=resolved.lang)
        return Rich(Markup(html), None if resolved.lang == self.lang else resolved.lang)

    def plain(self, value: Localized) -> str:
        resolved = value.resolve(self.lang, self.site.default_language)
        return typography.plain(resolved.text, resolved.lang)

    @cached_property
    def categories(self) -> list[dict[str, Any]]:
        labels = {c.key: self.plain(c.label).strip() or c.key for c in self.site.categories}
        letters = {key: _short_name(label, [v for k, v in labels.items() if k != key])
                   for key, label in labels.items()}
        return [
            {"key": c.key, "label": self.plain(c.label), "description": self.text(c.description,
             inline=True), "letter": letters[c.key], "line": LINE_STYLES[c.index % 5]}
            for c in self.site.categories
        ]

    def editions(self, root: str, page: str) -> list[dict[str, str]]:
        """Links to this page in every other edition."""
        return [
            {"lang": lang, "name": i18n.catalogue(lang)["language_name"],
             "href": root + edition_dir(self.site, lang) + page}
            for lang in self.site.languages if lang != self.lang
        ]

    def base(self, root: str, page: str, title: str) -> dict[str, Any]:
        return {
            "lang": self.lang, "t": self.t, "root": root, "title": title,
            "site_title": self.plain(self.site.title), "categories": self.categories,
            "editions": self.editions(root, page),
            "home": root + edition_dir(self.site, self.lang) + "index.html",
        }


def _root(site: Site, lang: str, depth: int) -> str:
    return "../" * (depth + (0 if lang == site.default_language else 1))


def index_page(site: Site, lang: str, cards: list[str]) -> Page:
    """An edition's index: the articles' cards (HTML rendered with each article, and
    cached with it) joined in order, so a rebuild renders no card it already has."""
    ed = Edition(site, lang)
    ctx = ed.base(_root(site, lang, 0), "index.html", ed.plain(site.title))
    ctx.update(cards=Markup("".join(cards)), tagline=ed.t["site_tagline"])
    return Page(edition_dir(site, lang) + "index.html", "index.html", ctx)


def card_context(prepared: Prepared, site: Site, lang: str) -> dict[str, Any]:
    """The context of ``_card.html``: the article's card on edition ``lang``'s index."""
    a = prepared.article
    ed = Edition(site, lang, prepared.fields)
    card = {"title": a.title, "language": a.language, "href": f"{a.slug}/index.html",
            "summary": ed.text(a.summary), "highlights": len(prepared.spans),
            "practice": a.kind == "practice"}
    return {"t": ed.t, "c": card}


def article_context(prepared: Prepared, site: Site, lang: str, root: str, page: str) -> dict[
        str, Any]:
    """The context shared by the article page and the handouts (same numbers)."""
    ed = Edition(site, lang, prepared.fields)
    article = prepared.article
    spans = prepared.spans
    numbers = {s.annotation.id: s.number for s in spans}
    offset = prepared.body_offset
    blocks = render_blocks(prepared.body, spans, offset)
    translation = prepared.translations.get(lang)
    tr_blocks = None
    if translation:  # our own text, so in the edition's typography
        ours = replace(translation, groups=tuple(tuple(typography.tokens(g, lang))
                                                 for g in translation.groups))
        tr_blocks = render_blocks(ours, (), 0)
    sources = _SourceList(lang)
    notes = {a.id: _note(ed, a, numbers.get(a.id), spans, prepared, sources)
             for a in article.annotations}
    starts = {s.annotation.id: s.start for s in spans}
    by_block: list[list[dict[str, Any]]] = [[] for _ in blocks]
    headline_notes: list[dict[str, Any]] = []
    for span in spans:
        if span.start < offset:
            headline_notes.append(notes[span.annotation.id])
            continue
        index = next((i for i, b in enumerate(blocks) if span.start < b.end + offset),
                     len(blocks) - 1)
        by_block[index].append(notes[span.annotation.id])
    article_notes = [notes[a.id] for a in article.annotations if a.id not in starts]
    numbered = sorted((notes[i] for i in numbers), key=lambda n: n["number"])
    tr = article.translation(lang)
    ctx = ed.base(root, page, article.title)
    ctx.update(
        article=_article_meta(ed, article),
        headline=Markup(render_text(article.title, spans, 0)),
        translated_title=typography.plain(tr.title, lang) if tr and tr.title else None,
        headline_notes=headline_notes,
        blocks=[
            {"html": Markup(b.html), "notes": by_block[i],
             "translation": Markup(tr_blocks[i].html) if tr_blocks and i < len(tr_blocks)
             else None}
            for i, b in enumerate(blocks)
        ],
        has_translation=tr_blocks is not None,
        translation_lang=lang if tr_blocks is not None else None,
        article_notes=article_notes,
        notes_in_order=numbered + article_notes,
        glance=_glance(ed, article, numbered),
        panels=_category_panels(ed, article, notes, numbers),
        voices=_voices(ed, article, sources),
        chart=_chart(ed, article),
        questions=_questions(ed, article, numbers),
        sift=[{"key": k, "name": ed.t[f"sift_{k}"], "text": ed.t[f"sift_{k}_text"]}
              for k in SIFT],
        sources=sources.items,
    )
    return ctx


def article_contexts(prepared: Prepared, site: Site) -> dict[str, dict[str, Any]]:
    """The article's context in each edition, made once and shared by its page and its
    handouts (they sit in the same folder, so relative links are the same)."""
    slug = prepared.article.slug
    return {lang: article_context(prepared, site, lang, _root(site, lang, 1),
                                  f"{slug}/index.html")
            for lang in site.languages}


def for_page(ctx: dict[str, Any], site: Site, page: str) -> dict[str, Any]:
    """A shallow copy of ``ctx`` whose edition links point at ``page`` in each edition."""
    copy = dict(ctx)
    copy["editions"] = Edition(site, ctx["lang"]).editions(ctx["root"], page)
    return copy


def article_pages(prepared: Prepared, site: Site,
                  contexts: dict[str, dict[str, Any]]) -> list[Page]:
    slug = prepared.article.slug
    return [Page(f"{edition_dir(site, lang)}{slug}/index.html", "article.html",
                 for_page(contexts[lang], site, f"{slug}/index.html"))
            for lang in site.languages]


class _SourceList:
    """Every source cited on a page, once each, in order of first citation."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.items: list[dict[str, Any]] = []
        self._index: dict[str, int] = {}

    def add(self, source: Source) -> int:
        if source.url not in self._index:
            title = typography.plain(source.title, self.lang) if source.title else None
            self.items.append({"title": title,
                               "publisher": typography.plain(source.publisher, self.lang),
                               "date": source.date, "url": source.url,
                               "number": len(self.items) + 1})
            self._index[source.url] = len(self.items)
        return self._index[source.url]

    def cite(self, sources: tuple[Source, ...]) -> list[dict[str, Any]]:
        return [self.items[self.add(s) - 1] for s in sources]


def _article_meta(ed: Edition, article: Article) -> dict[str, Any]:
    return {
        "slug": article.slug, "title": article.title, "language": article.language,
        "outlet": article.outlet, "author": article.author, "published": article.published,
        "original_url": article.original_url, "provenance": ed.text(article.provenance),
        "summary": ed.text(article.summary), "practice": article.kind == "practice",
    }


def _note(ed: Edition, ann: Annotation, number: int | None, spans: tuple[Span, ...],
          prepared: Prepared, sources: _SourceList) -> dict[str, Any]:
    cat = next(c for c in ed.categories if c["key"] == ann.category)
    quote = None
    if number is not None:
        span = next(s for s in spans if s.annotation.id == ann.id)
        quote = " ".join(prepared.plain_text[span.start : span.end].split())
    return {
        "id": ann.id, "number": number, "category": cat, "quote": quote,
        "quote_lang": prepared.article.language,
        "note": ed.text(ann.note), "question": ed.text(ann.question, inline=True),
        "answer": ed.text(ann.answer), "sources": sources.cite(ann.sources),
    }


def _category_panels(ed: Edition, article: Article, notes: dict[str, dict[str, Any]],
                     numbers: dict[str, int]) -> list[dict[str, Any]]:
    panels = []
    for cat in ed.categories:
        anchored = sorted((notes[a.id] for a in article.annotations
                           if a.category == cat["key"] and a.id in numbers),
                          key=lambda n: n["number"])
        panels.append({"category": cat, "highlights": anchored})
    return panels


def _glance(ed: Edition, article: Article, numbered: list[dict[str, Any]]) -> dict[str, Any]:
    """What the "at a glance" box counts: highlights per category, voices, the original."""
    counts = [{"category": c, "count": sum(n["category"]["key"] == c["key"] for n in numbered)}
              for c in ed.categories]
    return {"categories": [c for c in counts if c["count"]], "voices": len(article.voices),
            "original": article.original_url is not None}


def _voices(ed: Edition, article: Article, sources: _SourceList) -> list[dict[str, Any]]:
    return [
        {"name": typography.plain(v.name, ed.lang), "role": ed.text(v.role, inline=True),
         "affiliation": ed.text(v.affiliation, inline=True),
         "side": ed.plain(v.side) if v.side else None,
         "quoted": ed.t[v.quoted], "linked": ed.t["yes" if v.linked else "no"],
         "sources": sources.cite(v.sources)}
        for v in article.voices
    ]


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


def _questions(ed: Edition, article: Article, numbers: dict[str, int]) -> dict[str, Any]:
    asked = sorted((numbers[a.id], a) for a in article.annotations
                   if a.question is not None and a.id in numbers)
    # "key" names a question for good (an annotation's id, or its place in `questions:`)
    per_highlight = [
        {"number": n, "id": a.id, "key": a.id, "question": ed.text(a.question, inline=True),
         "answer": ed.text(a.answer), "core": a.core}
        for n, a in asked
    ]
    general = [
        {"question": ed.text(a.question, inline=True), "answer": ed.text(a.answer), "id": a.id,
         "key": a.id, "core": a.core}
        for a in article.annotations if a.question is not None and a.id not in numbers
    ] + [
        {"question": ed.text(q.question, inline=True), "answer": ed.text(q.answer),
         "step": q.step, "id": None, "key": f"question-{i}", "core": q.core}
        for i, q in enumerate(article.questions, 1)
    ]
    return {"per_highlight": per_highlight, "general": general}
