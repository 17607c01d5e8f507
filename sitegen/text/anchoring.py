"""Anchor an article's annotations: selectors → numbered spans of its canonical text.

Also checks what only a parse can show: links and images in Markdown fields, and that a
translation has one paragraph per paragraph of the article.
"""

from __future__ import annotations

from dataclasses import dataclass

from sitegen.errors import Collector, SourceLocation
from sitegen.model import Annotation, Article, Span, localized_texts
from sitegen.text import markdown
from sitegen.text.markdown import (
    BLOCK_SEPARATOR,
    ParsedBody,
    ParsedFields,
    canonical_text,
    parse_body,
)
from sitegen.text.quote import (
    ContextNotFound,
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

    @property
    def body_offset(self) -> int:
        """Where the body starts in the canonical text (after the headline)."""
        return len(self.article.title) + len(BLOCK_SEPARATOR)

    @property
    def plain_text(self) -> str:
        return canonical_text(self.article.title, self.body)


def anchor_article(article: Article, problems: Collector) -> AnchoredArticle | None:
    """Parse, check links and anchor; None when an error was found."""
    before = len(problems.errors)
    body = parse_body(article.body)
    for line, message in markdown.problems(body.tokens):
        problems.error(message, SourceLocation(article.body_path, article.body_line + line, 1))
    fields = ParsedFields()
    check_fields(article, fields, SourceLocation(article.body_path), problems)
    text = canonical_text(article.title, body)
    folded = fold(text)
    located: list[tuple[int, int, int, Annotation]] = []
    for order, ann in enumerate(article.annotations):
        if ann.selector is None:
            continue
        sel = ann.selector
        loc = ann.where("quote")
        try:
            start, end = locate(text, sel.quote, sel.prefix, sel.suffix, folded=folded)
        except QuoteNotFound as exc:
            hint = f"closest passage: '{exc.closest}'" if exc.closest else (
                "copy the words exactly from the article")
            problems.error(f"quote not found in article '{article.slug}': '{sel.quote}'", loc,
                           hint)
            continue
        except QuoteAmbiguous as exc:
            more = exc.count - len(exc.places)
            problems.error(f"quote '{sel.quote}' matches {exc.count} places in article "
                           f"'{article.slug}': " + "; ".join(exc.places)
                           + (f"; and {more} more" if more else ""), loc,
                           "add a prefix or suffix to pick one")
            continue
        except ContextNotFound as exc:
            value = sel.prefix if exc.which == "prefix" else sel.suffix
            problems.error(f"{exc.which} '{value}' does not match at any of the {exc.matches} "
                           f"place(s) where the quote occurs", loc,
                           f"copy the text just {'before' if exc.which == 'prefix' else 'after'} "
                           "the quote exactly, or remove it")
            continue
        located.append((start, -end, order, ann))
    located.sort(key=lambda item: item[:3])
    spans = tuple(
        Span(ann, start, -neg_end, number)
        for number, (start, neg_end, _, ann) in enumerate(located, 1)
    )
    translations = {}
    for tr in article.translations:
        parsed = parse_body(tr.body)
        for line, message in markdown.problems(parsed.tokens):
            problems.error(message, SourceLocation(tr.path, line + 1, 1))
        if len(parsed.groups) != len(body.groups):
            problems.error(f"the translation has {len(parsed.groups)} paragraph(s), the article "
                           f"has {len(body.groups)}", SourceLocation(tr.path, 1, 1),
                           "translate paragraph by paragraph, separated by blank lines")
        translations[tr.lang] = parsed
    if len(problems.errors) > before:
        return None
    return AnchoredArticle(article, body, spans, translations, fields)


def check_fields(value: object, fields: ParsedFields, fallback: SourceLocation,
                 problems: Collector) -> None:
    """Parse every Markdown field of a model object (a Site, an Article) into ``fields``
    and report what content may not use in it; each error points at the field's text, or
    at ``fallback`` when its place is unknown."""
    for text, loc in localized_texts(value):
        for _, message in markdown.problems(fields.tokens(text)):
            problems.error(message, loc or fallback)
