"""Anchor an article's annotations: selectors → numbered spans of its canonical text.

Also checks what only a parse can show: links and images in Markdown fields, and that a
translation has one paragraph per paragraph of the article.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import PurePath

from sitegen.errors import Collector, SourceLocation
from sitegen.model import Annotation, Article, Selector, Span, Translation, localized_texts
from sitegen.text import markdown
from sitegen.text.advice import context_not_found, quote_not_found
from sitegen.text.markdown import (
    BLOCK_SEPARATOR,
    ParsedBody,
    ParsedFields,
    canonical_text,
    parse_body,
)
from sitegen.text.quote import (
    ContextNotFound,
    Folded,
    QuoteAmbiguous,
    QuoteNotFound,
    fold,
    locate,
)


@dataclass(frozen=True)
class AnchoredArticle:
    """An article ready to render in any edition."""

    article: Article
    body: ParsedBody
    spans: tuple[Span, ...]
    translations: dict[str, ParsedBody]
    fields: ParsedFields
    """Every Markdown field of the article, parsed once for the checks and the pages."""
    translated_spans: dict[str, tuple[Span, ...]] = field(default_factory=dict)
    """By language, the highlights found in that translation: spans of its canonical text
    (``translated_text``), numbered as in the article."""

    @property
    def body_offset(self) -> int:
        """Where the body starts in the canonical text (after the headline)."""
        return len(self.article.title) + len(BLOCK_SEPARATOR)

    @property
    def plain_text(self) -> str:
        return canonical_text(self.article.title, self.body)

    def translated_offset(self, lang: str) -> int:
        """Where the body starts in the translation's canonical text."""
        return len(translated_title(self.article, lang)) + len(BLOCK_SEPARATOR)

    def translated_text(self, lang: str) -> str:
        """The translation's canonical text, laid out as the article's: its headline (empty
        when it has none), a blank line, then its body's text."""
        return canonical_text(translated_title(self.article, lang), self.translations[lang])


def translated_title(article: Article, lang: str) -> str:
    """The headline of the translation into ``lang`` as written (empty when it has none)."""
    tr = article.translation(lang)
    return (tr.title or "") if tr else ""


def anchor_article(article: Article, problems: Collector) -> AnchoredArticle | None:
    """Parse, check links and anchor; None when an error was found."""
    before = len(problems.errors)
    body = parse_body(article.body)
    for line, message in markdown.problems(body.tokens):
        problems.error(message, SourceLocation(article.body_path, article.body_line + line, 1))
    fields = ParsedFields()
    check_fields(article, fields, SourceLocation(article.body_path), problems)
    folded = fold(canonical_text(article.title, body))
    where = f"article '{article.slug}'"
    located: list[tuple[int, int, int, Annotation]] = []
    elsewhere = [(name, text) for name, value in (("summary", article.summary),
                                                  ("provenance", article.provenance))
                 if value is not None for _, text in value.texts]
    for order, ann in enumerate(article.annotations):
        if ann.selector is None:
            continue
        found = _anchor(folded, ann.selector, ann.where_quote(article.language), where, problems,
                        elsewhere=elsewhere, context=_context_at(ann, article.language))
        if found is not None:
            located.append((found[0], -found[1], order, ann))
    located.sort(key=lambda item: item[:3])
    spans = tuple(
        Span(ann, start, -neg_end, number)
        for number, (start, neg_end, _, ann) in enumerate(located, 1)
    )
    translations = {}
    for tr in article.translations:
        parsed = parse_body(tr.body)
        for line, message in markdown.problems(parsed.tokens):
            problems.error(message, SourceLocation(tr.path, tr.body_line + line, 1))
        if len(parsed.groups) != len(body.groups):
            problems.error(f"the translation has {len(parsed.groups)} paragraph(s), the article "
                           f"has {len(body.groups)}", SourceLocation(tr.path, 1, 1),
                           "translate paragraph by paragraph, separated by blank lines")
        translations[tr.lang] = parsed
    anchored = AnchoredArticle(article, body, spans, translations, fields)
    _untranslatable(article, problems)
    anchored = replace(anchored, translated_spans={
        tr.lang: _translated_spans(anchored, tr, problems) for tr in article.translations})
    if len(problems.errors) > before:
        return None
    return anchored


def _context_at(ann: Annotation, lang: str) -> dict[str, SourceLocation]:
    """Where the annotation's ``prefix`` and ``suffix`` in ``lang`` are written."""
    found = dict(ann.field_locations)
    return {key: loc for key in ("prefix", "suffix")
            if (loc := found.get(f"{key}.{lang}") or found.get(key)) is not None}


def _anchor(folded: Folded, sel: Selector, loc: SourceLocation, where: str,
            problems: Collector, source: str = "the article",
            elsewhere: Iterable[tuple[str, str]] = (),
            context: Mapping[str, SourceLocation] | None = None) -> tuple[int, int] | None:
    """Where ``sel`` is in a canonical text (``folded``), or None after an error naming
    ``where`` the quote was looked for, and the ``source`` to copy it from (``elsewhere``:
    the article's other texts, named, that the words may have been copied from). An error
    is reported at ``loc``, the quote, or at the prefix or suffix (``context``) at fault."""
    try:
        return locate(folded.text, sel.quote, sel.prefix, sel.suffix, folded=folded)
    except QuoteNotFound as exc:
        problems.error(f"quote not found in {where}: '{sel.quote}'", loc,
                       quote_not_found(sel.quote, exc.closest, source, elsewhere))
    except QuoteAmbiguous as exc:
        more = exc.count - len(exc.places)
        problems.error(f"quote '{sel.quote}' matches {exc.count} places in {where}: "
                       + "; ".join(exc.places) + (f"; and {more} more" if more else ""), loc,
                       "add a prefix or suffix to pick one")
    except ContextNotFound as exc:
        value = sel.prefix if exc.which == "prefix" else sel.suffix
        problems.error(f"{exc.which} '{value}' does not match at any of the {exc.matches} "
                       f"place(s) where the quote occurs", (context or {}).get(exc.which, loc),
                       context_not_found(exc.which, value or ""))
    return None


def _untranslatable(article: Article, problems: Collector) -> None:
    """An error for each quote in a language the article has no translation into (but for
    a translation that is there and could not be read: its own error says why)."""
    unread = {PurePath(e.location.path).name for e in problems.errors}
    for ann in article.annotations:
        for lang, _ in ann.translated:
            if article.translation(lang) is None and f"translation.{lang}.md" not in unread:
                problems.error(f"a quote in '{lang}', but the article has no translation into "
                               f"'{lang}'", ann.where_quote(lang),
                               f"add translation.{lang}.md beside article.md, or remove the "
                               f"'{lang}' quote")


def _translated_spans(anchored: AnchoredArticle, tr: Translation, problems: Collector
                      ) -> tuple[Span, ...]:
    """The article's highlights anchored in its translation ``tr``, in text order, with
    their numbers in the article; a warning for each one whose quote there is not given."""
    article = anchored.article
    folded = fold(anchored.translated_text(tr.lang))
    name = PurePath(tr.path).name
    where = f"{name} of article '{article.slug}'"
    found = []
    for span in anchored.spans:
        ann = span.annotation
        sel = ann.selector_in(tr.lang)
        if sel is None:
            problems.warn(f"highlight '{ann.id}' has no quote in {name}: the '{tr.lang}' "
                          "edition does not mark it in the translation",
                          ann.where_quote(article.language),
                          f'give the quote in each language: quote: {{{article.language}: '
                          f'"…", {tr.lang}: "…"}}, copied from {name}')
            continue
        place = _anchor(folded, sel, ann.where_quote(tr.lang), where, problems, name,
                        context=_context_at(ann, tr.lang))
        if place is not None:
            found.append(Span(ann, place[0], place[1], span.number))
    return tuple(sorted(found, key=lambda s: (s.start, -s.end, s.number)))


def check_fields(value: object, fields: ParsedFields, fallback: SourceLocation,
                 problems: Collector) -> None:
    """Parse every Markdown field of a model object (a Site, an Article) into ``fields``
    and report what content may not use in it; each error points at the field's text, or
    at ``fallback`` when its place is unknown."""
    for text, loc in localized_texts(value):
        for _, message in markdown.problems(fields.tokens(text)):
            problems.error(message, loc or fallback)
