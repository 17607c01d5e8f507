"""The class page of an article in each edition (``class.html``, in the teacher's folder):
the teacher gives it the students' saved exercise files, and its script
(``static/class.js``) reads them in the browser and shows, per highlight, how many students
found it; the passages several students marked that no highlight covers; each question's
answers side by side; each student's reasons; and a CSV of it all.

The page is the teacher's, so it may hold the model answers. Its script finds on the page,
as data, everything it checks a file against and counts with: the slug, the edition, the
fingerprint of the text and its paragraphs (offsets in code points of the canonical text),
the highlights (the bare text's, as the exercise page has them) and the questions (as the
exercise page asks them, so their keys are the ones a saved file holds).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sitegen.model import Site
from sitegen.text.anchoring import AnchoredArticle
from sitegen.views.article import ArticleView, StudentArticle
from sitegen.views.edition import (
    Category,
    Frame,
    Page,
    Rich,
    edition_dir,
    edition_links,
    frame_of,
)
from sitegen.views.exercise import (
    BareText,
    bare_text,
    exercise_questions,
    highlight_key,
    question_key,
)
from sitegen.views.sheets import TEACHER

FORMAT = "sitegen-exercise/1"
"""The saved exercise files the page reads (the exercise page writes them)."""
ASSETS = ("assets/class.js", "assets/class.css")
"""The class page's own script and stylesheet: only the teacher's folder has them."""
FIELDS = ("outlet", "author", "published", "original_url")
"""The provenance boxes of the exercise page (``_investigate.html``), in its order."""


@dataclass(frozen=True)
class ClassHighlight:
    id: str
    number: int
    category: Category
    quote: str
    """The passage, on one line."""


@dataclass(frozen=True)
class ClassQuestion:
    key: str
    """The exercise page's ``data-answer`` key, which the saved files use."""
    question: Rich | None
    where: str | None
    """Where its passage is, as the exercise page says it; None: on the whole article."""
    quote: str | None
    answer: Rich | None
    """The model answer, if the annotations give one."""


@dataclass(frozen=True)
class ClassField:
    key: str
    label: str


@dataclass(frozen=True, kw_only=True)
class ClassView(Frame):
    """``class.html``: the teacher's page, with the model answers."""

    article: StudentArticle
    teacher_key: str
    """The link to the teacher key, beside the page."""
    highlights: tuple[ClassHighlight, ...]
    questions: tuple[ClassQuestion, ...]
    fields: tuple[ClassField, ...]
    data: Mapping[str, Any]
    """What ``static/class.js`` reads, as the page's JSON block."""


def class_pages(anchored: AnchoredArticle, site: Site,
                views: Mapping[str, ArticleView], bare: BareText | None = None) -> list[Page]:
    """One class page per edition, at ``<edition>/<slug>/class.html`` of the teacher's
    folder, from the article page's ``views`` (``article.article_views``); ``bare`` is
    ``exercise.bare_text(anchored)`` when the caller has it (the build makes it once per
    article, for the handouts too)."""
    bare = bare if bare is not None else bare_text(anchored)
    slug = anchored.article.slug
    return [Page(f"{edition_dir(site, lang)}{slug}/class.html", "class.html",
                 class_view(anchored, bare, site, views[lang]))
            for lang in site.languages]


def class_view(anchored: AnchoredArticle, bare: BareText, site: Site,
               view: ArticleView) -> ClassView:
    """The class page of ``view``'s edition."""
    slug = anchored.article.slug
    t = view.t
    # The exercise page's questions (with the keys a saved file holds its answers by, in
    # its order), each with its model answer, found by the same key.
    core = view.questions.core()
    answers = {highlight_key(q.number): q.answer for q in core.per_highlight}
    answers |= {question_key(n): q.answer for n, q in enumerate(core.general, 1)}
    questions = tuple(ClassQuestion(q.key, q.question, q.where, q.quote, answers[q.key])
                      for q in exercise_questions(bare, t, view.questions.for_students()))
    categories = {c.key: c for c in view.categories}
    text = anchored.plain_text
    highlights = tuple(ClassHighlight(h.id, h.number, categories[h.category],
                                      " ".join(text[h.start:h.end].split()))
                       for h in bare.highlights)
    return ClassView(
        **{**frame_of(view),
           "editions": edition_links(site, view.lang, view.root, f"{slug}/class.html")},
        article=view.article.for_students(),
        teacher_key=f"{TEACHER}.html",
        highlights=highlights,
        questions=questions,
        fields=tuple(ClassField(k, t[k]) for k in FIELDS),
        data=_data(view, bare, questions),
    )


def _data(view: ArticleView, bare: BareText, questions: tuple[ClassQuestion, ...]
          ) -> dict[str, Any]:
    """The page's JSON block: what a saved file must match, the text (and its language)
    to quote passages from, the highlights to count, the questions' keys, the categories
    and the script's strings."""
    return {
        "format": FORMAT,
        "slug": view.article.slug,
        "lang": view.lang,
        "text": bare.fingerprint,
        "language": view.article.language,
        "texts": [{"start": 0, "text": bare.title}] + [
            {"start": p.start, "text": "".join(line.text for line in p.lines)}
            for p in bare.paragraphs],
        "highlights": [{"id": h.id, "number": h.number, "category": h.category,
                        "start": h.start, "end": h.end} for h in bare.highlights],
        "categories": [{"key": c.key, "label": c.label, "letter": c.letter}
                       for c in view.categories],
        "questions": [q.key for q in questions],
        "fields": list(FIELDS),
        "strings": {k.removeprefix("class_"): v for k, v in view.t.items()
                    if k.startswith("class_")},
    }
