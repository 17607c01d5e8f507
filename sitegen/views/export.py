"""The machine-readable exports: an article's annotations as W3C Web Annotation JSON-LD,
and its checked claims as schema.org ``ClaimReview`` items for the page's head.

One ``AnnotationCollection`` per article, its single page embedding every annotation.
Anchored annotations target the article with a ``TextQuoteSelector`` and a
``TextPositionSelector`` whose offsets count Unicode code points of the canonical plain
text (headline, blank line, body as rendered); a highlight also marked in a translation
targets that too, with its selectors in the translation's canonical text (its source a
``Text`` in that language, ``urn:sitegen:<slug>:translation.<lang>``); article-level notes
target the article.
Identifiers are absolute IRIs: the article's ``original_url`` when known, otherwise
``urn:sitegen:<slug>``; annotations are always ``urn:sitegen:<slug>:<id>`` (sitegen does
not know where the site will be hosted, and never invents an http URL). Pure: no I/O.
"""

from __future__ import annotations

import json
from typing import Any

from sitegen.model import Annotation, Article, Localized, Site, Source, Span
from sitegen.text.anchoring import AnchoredArticle

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
SCHEMA = "https://schema.org"
CONTEXT_CHARS = 32
"""Characters of text kept before and after a quote (``prefix`` and ``suffix``)."""
MARKDOWN = "text/markdown"

Json = dict[str, Any]


def article_iri(anchored: AnchoredArticle) -> str:
    """The article's IRI: where it was published when known, else a sitegen URN."""
    article = anchored.article
    return article.original_url or f"urn:sitegen:{article.slug}"


def annotation_iri(slug: str, annotation_id: str) -> str:
    return f"urn:sitegen:{slug}:{annotation_id}"


def export_article(anchored: AnchoredArticle, site: Site) -> bytes:
    """The article's annotations as one AnnotationCollection, UTF-8 JSON-LD bytes.

    Anchored annotations come first, in the order of their highlight numbers, then
    article-level notes in the order of annotations.yaml.
    """
    slug = anchored.article.slug
    source = article_iri(anchored)
    text = anchored.plain_text
    translated = {lang: (anchored.translated_text(lang),
                         {span.annotation.id: span for span in spans})
                  for lang, spans in sorted(anchored.translated_spans.items()) if spans}
    items: list[Json] = []
    for span in anchored.spans:
        targets: list[Json] = [_quoted(source, text, span)]
        for lang, (words, marked) in translated.items():
            if span.annotation.id in marked:
                targets.append(_quoted({"id": f"urn:sitegen:{slug}:translation.{lang}",
                                        "type": "Text", "language": lang},
                                       words, marked[span.annotation.id]))
        target = targets[0] if len(targets) == 1 else targets
        items.append(_annotation(slug, span.annotation, target, site))
    items += [_annotation(slug, ann, source, site)
              for ann in anchored.article.annotations if ann.selector is None]
    collection_id = f"urn:sitegen:{slug}:annotations.jsonld"
    collection: Json = {
        "@context": CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": anchored.article.title,
        "total": len(items),
    }
    if items:  # an empty collection has no page
        collection["first"] = {
            "id": f"{collection_id}#page-1",
            "type": "AnnotationPage",
            "partOf": collection_id,
            "startIndex": 0,
            "items": items,
        }
    # One line: indenting would make json use its pure-Python encoder, a fifth of an
    # article's build time; `python -m json.tool` shows it indented.
    return (json.dumps(collection, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def _quoted(source: Json | str, text: str, span: Span) -> Json:
    """A target: ``span`` of ``text``, the canonical text of ``source``, by its words and
    their place."""
    before = text[max(0, span.start - CONTEXT_CHARS):span.start]
    after = text[span.end:span.end + CONTEXT_CHARS]
    quote: Json = {"type": "TextQuoteSelector", "exact": text[span.start:span.end]}
    if before:
        quote["prefix"] = before
    if after:
        quote["suffix"] = after
    position: Json = {"type": "TextPositionSelector", "start": span.start, "end": span.end}
    return {"type": "SpecificResource", "source": source, "selector": [quote, position]}


def _annotation(slug: str, ann: Annotation, target: Json | list[Json] | str,
                site: Site) -> Json:
    bodies = [{"type": "TextualBody", "purpose": "commenting", "value": text,
               "format": MARKDOWN, "language": lang}
              for lang, text in _texts(ann.note, site)]
    bodies.append({"type": "TextualBody", "purpose": "tagging", "value": ann.category})
    bodies += [{"type": "TextualBody", "purpose": "linking", "value": _citation(src),
                "format": MARKDOWN} for src in ann.sources]
    return {
        "@context": CONTEXT,
        "id": annotation_iri(slug, ann.id),
        "type": "Annotation",
        "motivation": "commenting",
        "body": bodies,
        "target": target,
    }


def _texts(value: Localized, site: Site) -> list[tuple[str, str]]:
    """(language, text) of every language the field is written in, in edition order."""
    default = site.default_language
    texts = [(lang or default, text) for lang, text in value.texts]
    order = {lang: i for i, lang in enumerate(site.languages)}
    return sorted(texts, key=lambda item: (order.get(item[0], len(order)), item[0]))


def _citation(source: Source) -> str:
    """A source as one Markdown line: linked title (or publisher), publisher, date."""
    name = source.title or source.publisher
    address = source.url or source.archived
    if address is None:
        parts = [_escape(name)]
    else:
        url = address.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")
        parts = [f"[{_escape(name)}](<{url}>)"]
    if source.title:
        parts.append(_escape(source.publisher))
    if source.date:
        parts.append(source.date)
    return ", ".join(parts)


def _escape(text: str) -> str:
    """Markdown-escape the characters that would end or open a link label."""
    return "".join("\\" + ch if ch in "\\[]*_`<>" else ch for ch in text)


def claim_reviews(article: Article, site: Site, lang: str, checked: list[Annotation]) -> str:
    """One schema.org ``ClaimReview`` per annotation of ``checked`` (each has a claim and a
    verdict), in edition ``lang``, as the JSON text of a ``<script type="application/ld+json">``
    (``<``, ``>`` and ``&`` escaped, so no text can close the script).

    ``url`` is the note's address on the page (``#note-<id>``, relative to it: sitegen does
    not know where the site is hosted). ``ratingValue`` counts from the scale's worst (1) to
    its best, the first of ``site.yaml``'s ``ratings``. The claim ``appearance`` is where it was
    made: the source the annotation gives, or the article (with its URL when known).
    """
    ratings = [r.key for r in site.ratings]
    best = len(ratings)
    explainer = article.explainer
    changed = [c.date for c in explainer.corrections] + [
        d for d in (explainer.updated,) if d]
    published = explainer.created or explainer.updated
    author: Json | None = None
    if site.publisher is not None:
        author = {"@type": "Organization", "name": site.publisher.name}
        if site.publisher.url:
            author["url"] = site.publisher.url
    items: list[Json] = []
    for ann in checked:
        check = ann.check
        assert check is not None and check.claim is not None and check.verdict is not None
        rating = site.ratings[ratings.index(check.verdict)]
        claim: Json = {"@type": "Claim", "appearance": _appearance(article, check.claim.source)}
        if check.claim.by:
            claim["author"] = {"@type": "Person", "name": check.claim.by}
        item: Json = {
            "@type": "ClaimReview",
            "url": f"#note-{ann.id}",
            "claimReviewed": check.claim.text.resolve(lang, site.default_language).text,
            "inLanguage": lang,
            "itemReviewed": claim,
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": best - ratings.index(check.verdict),
                "bestRating": best,
                "worstRating": 1,
                "alternateName": rating.label.resolve(lang, site.default_language).text,
            },
        }
        if author is not None:
            item["author"] = author
        if published:
            item["datePublished"] = published
        if changed:
            item["dateModified"] = max(changed)
        items.append(item)
    text = json.dumps({"@context": SCHEMA, "@graph": items}, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _appearance(article: Article, source: Source | None) -> Json:
    """Where a claim was made: a source, or the article itself."""
    if source is not None:
        work: Json = {"@type": "CreativeWork",
                      "publisher": {"@type": "Organization", "name": source.publisher}}
        if source.url or source.archived:
            work["url"] = source.url or source.archived
        if source.title:
            work["headline"] = source.title
        if source.date:
            work["datePublished"] = source.date
        return work
    work = {"@type": "CreativeWork", "headline": article.title, "inLanguage": article.language}
    if article.original_url:
        work["url"] = article.original_url
    if article.published:
        work["datePublished"] = article.published
    if article.outlet:
        work["publisher"] = {"@type": "Organization", "name": article.outlet}
    return work
