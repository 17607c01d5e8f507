"""The fact-check layer of an explainer's page and teacher key (docs/factcheck.md): each
note's verdict on the claim it checks and its quotation compared with the original words;
for the page, the "Claims checked" and "Quotations compared" tables, the rating scale
shown once, the takeaways, the byline with the edition's date, the corrections log, the
"How this explainer was made" box, and the ClaimReview JSON-LD of its head.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from markupsafe import Markup

from sitegen.model import SOURCE_KINDS, Annotation, Original
from sitegen.text import typography
from sitegen.text.anchoring import AnchoredArticle
from sitegen.text.wordiff import Piece, quoted_words, word_diff
from sitegen.views import export
from sitegen.views.edition import Edition, Rich
from sitegen.views.sources import SourceList, SourceRef, human_date


@dataclass(frozen=True)
class Verdict:
    """A step of the rating scale as an edition shows it."""

    key: str
    label: str
    definition: Rich | None


@dataclass(frozen=True)
class OriginalWords:
    """A quotation's first wording, and how the article's words differ from it."""

    text: str
    lang: str
    speaker: str
    source: SourceRef
    translation: str | None
    """Our translation of ``text`` into the edition's language (None: it is in it)."""
    article_words: str | None
    """The article's words in the edition's language (the note's quote, or our
    translation of it)."""
    diff: tuple[Piece, ...]
    """From the original (or our translation) to the article's words; empty when either
    is missing in the edition's language."""


@dataclass(frozen=True)
class NoteCheck:
    """What a note shows of its fact-check fields."""

    claim: Rich | None
    claim_by: str | None
    claim_source: SourceRef | None
    verdict: Verdict | None
    original: OriginalWords | None


@dataclass(frozen=True)
class CheckedRow:
    """A row of the "Claims checked" or "Quotations compared" table: its note and what it
    checks."""

    id: str
    number: int | None
    check: NoteCheck


@dataclass(frozen=True)
class Dated:
    """A date as the edition writes it, and as ISO text for ``<time datetime>``."""

    shown: str
    iso: str


@dataclass(frozen=True)
class CorrectionRow:
    date: Dated
    text: Rich | None


@dataclass(frozen=True)
class KindCount:
    label: str
    count: int


@dataclass(frozen=True)
class FactCheck:
    """The page's fact-check layer; every part is empty when the content gives none."""

    scale: tuple[Verdict, ...]
    """The rating scale, shown once when a claim is rated."""
    claims: tuple[CheckedRow, ...]
    quotations: tuple[CheckedRow, ...]
    takeaways: tuple[Rich, ...]
    authors: str | None
    updated: Dated | None
    corrections: tuple[CorrectionRow, ...]
    kinds: tuple[KindCount, ...]
    """The kinds of sources cited, for the method box (only sources that give a kind)."""
    jsonld: Markup | None
    """The ClaimReview items for the page's head (``export.claim_reviews``)."""


def note_check(ed: Edition, ann: Annotation, words: str | None, sources: SourceList
               ) -> NoteCheck | None:
    """A note's verdict, claim and original words in edition ``ed``; ``words`` is the
    highlighted passage in the edition's language, when there is one."""
    check = ann.check
    if check is None:
        return None
    claim = check.claim
    scale = {v.key: v for v in scale_of(ed)}
    return NoteCheck(
        claim=ed.text(claim.text, inline=True) if claim else None,
        claim_by=typography.plain(claim.by, ed.lang) if claim and claim.by else None,
        claim_source=sources.cite((claim.source,))[0] if claim and claim.source else None,
        verdict=scale[check.verdict] if check.verdict else None,
        original=_original(ed, check.original, words, sources) if check.original else None)


def _original(ed: Edition, original: Original, words: str | None, sources: SourceList
              ) -> OriginalWords:
    translation = None
    if original.lang != ed.lang and original.translation is not None:
        resolved = original.translation.resolve(ed.lang, ed.site.default_language)
        translation = resolved.text if resolved.lang == ed.lang else None
    compared = original.text if original.lang == ed.lang else translation
    words = quoted_words(words) if words else None
    diff = word_diff(compared, words) if compared and words else ()
    return OriginalWords(original.text, original.lang, original.speaker,
                         sources.cite((original.source,))[0],
                         typography.plain(translation, ed.lang) if translation else None,
                         words, diff)


def scale_of(ed: Edition) -> tuple[Verdict, ...]:
    return tuple(Verdict(r.key, ed.plain(r.label), ed.text(r.definition, inline=True))
                 for r in ed.site.ratings)


def fact_check(anchored: AnchoredArticle, ed: Edition, checks: Mapping[str, NoteCheck | None],
               numbers: Mapping[str, int], sources: tuple[SourceRef, ...]) -> FactCheck:
    """The page's layer from its notes' ``checks`` (by annotation id), their highlight
    ``numbers`` and every source the page cites."""
    article = anchored.article
    order = sorted(article.annotations, key=lambda a: (a.id not in numbers, numbers.get(a.id, 0)))
    rows = [CheckedRow(a.id, numbers.get(a.id), c) for a in order if (c := checks.get(a.id))]
    claims = tuple(r for r in rows if r.check.verdict and r.check.claim)
    explainer = article.explainer
    kinds = Counter(s.kind for s in sources if s.kind)

    def dated(iso: str) -> Dated:
        return Dated(human_date(iso, ed.t["months_short"]), iso)

    return FactCheck(
        scale=scale_of(ed) if claims else (),
        claims=claims,
        quotations=tuple(r for r in rows if r.check.original),
        takeaways=tuple(t for t in (ed.text(x, inline=True) for x in explainer.takeaways) if t),
        authors=", ".join(explainer.authors) or None,
        updated=dated(explainer.updated) if explainer.updated else None,
        corrections=tuple(CorrectionRow(dated(c.date), ed.text(c.text, inline=True))
                          for c in sorted(explainer.corrections, key=lambda c: c.date,
                                          reverse=True)),
        kinds=tuple(KindCount(ed.t[f"source_kind_{k}"], kinds[k]) for k in SOURCE_KINDS
                    if kinds[k]),
        jsonld=_jsonld(anchored, ed, claims))


def _jsonld(anchored: AnchoredArticle, ed: Edition, claims: tuple[CheckedRow, ...]
            ) -> Markup | None:
    if not claims:
        return None
    by_id = {a.id: a for a in anchored.article.annotations}
    return Markup(export.claim_reviews(
        anchored.article, ed.site, ed.lang, [by_id[r.id] for r in claims]))

