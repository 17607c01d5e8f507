"""The typed content model: site, categories, articles, annotations. Frozen, no I/O."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from sitegen.errors import SourceLocation


@dataclass(frozen=True)
class Localized:
    """A human-readable field: one plain text, or one text per edition.

    A plain string is stored under the key ``""`` and counts as the default language.
    """

    texts: tuple[tuple[str, str], ...]
    locations: tuple[SourceLocation, ...] = field(default=(), compare=False)
    """Where each text is written, in the order of ``texts`` (empty when unknown)."""

    def resolve(self, lang: str, default: str) -> Resolved:
        """The text for edition ``lang``, falling back to the default language."""
        table = dict(self.texts)
        if lang in table:
            return Resolved(table[lang], lang)
        if "" in table:
            return Resolved(table[""], default)
        if default in table:
            return Resolved(table[default], default)
        first_lang, first_text = self.texts[0]
        return Resolved(first_text, first_lang)


@dataclass(frozen=True)
class Resolved:
    """A text chosen for one edition, with the language it is actually written in."""

    text: str
    lang: str


@dataclass(frozen=True)
class Category:
    key: str
    label: Localized
    description: Localized
    color: str
    """``#rrggbb``; a default from the palette when site.yaml gives none."""
    index: int
    """Position in site.yaml; picks the non-colour cue (letter and line style)."""


# Fact-check layer (docs/factcheck.md): the rating scale, who publishes the explainers.
@dataclass(frozen=True)
class Rating:
    """One step of ``site.yaml``'s ``ratings`` scale, which is written best first."""

    key: str
    label: Localized
    definition: Localized


@dataclass(frozen=True)
class Publisher:
    """Who publishes the explainers: the ``author`` of their ClaimReview items."""

    name: str
    url: str | None = None


@dataclass(frozen=True)
class Site:
    title: Localized
    languages: tuple[str, ...]
    categories: tuple[Category, ...]
    paper: str
    ratings: tuple[Rating, ...] = ()
    publisher: Publisher | None = None

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def category(self, key: str) -> Category:
        return next(c for c in self.categories if c.key == key)


@dataclass(frozen=True)
class Source:
    publisher: str
    url: str | None
    """None when only an archive copy is known (``archived``), or nothing (a warning)."""
    title: str | None = None
    date: str | None = None
    """ISO 8601 text: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; None when unknown."""
    kind: str | None = None
    """What kind of source it is (one of ``SOURCE_KINDS``), for the method box."""
    accessed: str | None = None
    """When we read it (ISO date)."""
    archived: str | None = None
    """An archive copy's address."""


SOURCE_KINDS = ("official-record", "news-report", "state-media", "reference-work", "social-post",
                "archive-copy")
"""What a source may be (its ``kind``); the method box counts them."""


@dataclass(frozen=True)
class Selector:
    """A W3C TextQuoteSelector: exact quote, optional text just before and after (in one
    text: the article, or one of its translations)."""

    quote: str
    prefix: str | None = None
    suffix: str | None = None


# Fact-check layer: what a note checks, and the words a quotation was first said in.
@dataclass(frozen=True)
class Claim:
    """A claim checked by a note, as stated; ``source`` is where it was made (None: in the
    article itself)."""

    text: Localized
    by: str | None
    source: Source | None


@dataclass(frozen=True)
class Original:
    """The words of a quotation as first said or written, in their own language."""

    text: str
    lang: str
    speaker: str
    source: Source
    translation: Localized | None
    """Our translation of ``text`` into the editions' languages, to compare word by word."""


@dataclass(frozen=True)
class Check:
    """An annotation's fact-check fields: the claim, its rating key, the original words."""

    claim: Claim | None
    verdict: str | None
    original: Original | None


@dataclass(frozen=True)
class Annotation:
    id: str
    category: str
    selector: Selector | None
    """None for an article-level note."""
    note: Localized
    sources: tuple[Source, ...]
    question: Localized | None
    answer: Localized | None
    location: SourceLocation
    field_locations: tuple[tuple[str, SourceLocation], ...] = ()
    core: bool = False
    """Marked ``core: true``: its question goes on the student copies."""
    translated: tuple[tuple[str, Selector], ...] = ()
    """The same passage in the article's translations: language → its selector there, as
    written (``quote: {fr: "…", en: "…"}``); ``selector`` is the article's own."""
    check: Check | None = None

    def where(self, name: str) -> SourceLocation:
        """The location of one of the annotation's fields (its own location if absent)."""
        return dict(self.field_locations).get(name, self.location)

    def where_quote(self, lang: str) -> SourceLocation:
        """Where the quote in ``lang`` is written (the ``quote`` field when it is one text)."""
        found = dict(self.field_locations)
        return found.get(f"quote.{lang}") or found.get("quote", self.location)

    def selector_in(self, lang: str) -> Selector | None:
        """The passage's selector in the translation into ``lang``, when given."""
        return dict(self.translated).get(lang)


@dataclass(frozen=True)
class Voice:
    name: str
    role: Localized | None
    affiliation: Localized | None
    side: Localized | None
    quoted: str
    """``direct`` or ``paraphrase``."""
    linked: bool
    sources: tuple[Source, ...]


SIFT_STEPS = ("stop", "investigate", "find", "trace")
"""The SIFT moves, in order: a question's ``step`` is one, and every sheet explains them."""


@dataclass(frozen=True)
class Question:
    question: Localized
    answer: Localized | None
    step: str | None
    """A SIFT step (one of ``SIFT_STEPS``)."""
    location: SourceLocation | None = None
    core: bool = False
    """Marked ``core: true``: the question goes on the student copies."""


@dataclass(frozen=True)
class Translation:
    lang: str
    title: str | None
    body: str
    """Markdown: one paragraph per paragraph of the article, in the same order."""
    path: str
    body_line: int = 1
    """Line of the file on which the body starts (after any front matter)."""


@dataclass(frozen=True)
class Correction:
    date: str
    text: Localized
    """What changed and why."""


@dataclass(frozen=True)
class Explainer:
    """What article.md's front matter says of the explainer itself (not of the article)."""

    takeaways: tuple[Localized, ...] = ()
    authors: tuple[str, ...] = ()
    created: str | None = None
    """The first edition's date."""
    updated: str | None = None
    """This edition's date."""
    corrections: tuple[Correction, ...] = ()


@dataclass(frozen=True)
class Article:
    slug: str
    title: str
    language: str
    outlet: str | None
    author: str | None
    published: str | None
    original_url: str | None
    provenance: Localized | None
    summary: Localized | None
    body: str
    """The Markdown body, verbatim."""
    body_path: str
    body_line: int
    """Line of article.md on which the body starts."""
    annotations: tuple[Annotation, ...]
    voices: tuple[Voice, ...]
    questions: tuple[Question, ...]
    translations: tuple[Translation, ...] = field(default=())
    kind: str = "published"
    """``published``, or ``practice`` for a text written for teaching (the pages say so)."""
    rights: str | None = None
    """Plain text on reusing the text ("© Le Monde 2025, reproduced for classroom use"),
    shown on the page under it."""
    explainer: Explainer = Explainer()

    def translation(self, lang: str) -> Translation | None:
        return next((t for t in self.translations if t.lang == lang), None)


@dataclass(frozen=True)
class Span:
    """Where an annotation sits in an article's canonical plain text (code points)."""

    annotation: Annotation
    start: int
    end: int
    number: int


def localized_texts(value: object) -> list[tuple[str, SourceLocation | None]]:
    """Every human-readable text in a model object and where it is written, found by
    walking its fields (so a field added to the model is never left out)."""
    found: list[tuple[str, SourceLocation | None]] = []
    _collect_texts(value, found)
    return found


def _collect_texts(value: object, found: list[tuple[str, SourceLocation | None]]) -> None:
    """``localized_texts``, added to ``found`` (a list, not nested generators: each text
    would otherwise be handed up through every level above it)."""
    if isinstance(value, Localized):
        locations = value.locations
        for i, (_, text) in enumerate(value.texts):
            found.append((text, locations[i] if i < len(locations) else None))
    elif isinstance(value, (tuple, list)):
        for item in value:
            if not isinstance(item, _SCALARS):
                _collect_texts(item, found)
    else:
        for name in _field_names(type(value)):
            item = getattr(value, name)
            if not isinstance(item, _SCALARS):
                _collect_texts(item, found)


_SCALARS = (str, int, float, bool, type(None), SourceLocation)
"""What holds no Localized text (plain strings are names, keys, addresses, dates; a
location is a tuple of a path and numbers, not walked)."""


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    """The fields of a model class, or none for any other type (looked up once)."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = (tuple(f.name for f in dataclasses.fields(cls))
                                     if dataclasses.is_dataclass(cls) else ())
    return names
