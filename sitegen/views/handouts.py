"""Classroom handouts per article and edition: the exercise copy, the annotated student
copy and the teacher key.

All three are built from ``article_views`` (the view of the web page), so highlights
carry the same numbers on the page and on paper. The student copies' view types hold only
what a student may see: the text, the core questions and the reading aids, never a note,
an answer or a provenance fact (those are left blank, to investigate). The exercise copy is
the bare article (``sitegen.views.exercise``), also the page where students mark it in the
browser. Each handout is an HTML page, and a PDF of that page made by ``sitegen.theme.pdf``; a
PDF is keyed on everything it is made from, so a build reuses the last one when the key
matches.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from markupsafe import Markup

from sitegen import __version__
from sitegen.model import Site
from sitegen.text.anchoring import AnchoredArticle
from sitegen.text.marks import without_note_links
from sitegen.theme import pdf
from sitegen.views.article import (
    ArticleView,
    GeneralQuestion,
    StudentArticle,
    StudentGeneralQuestion,
    StudentQuestions,
)
from sitegen.views.edition import Page, edition_dir, fields_of
from sitegen.views.exercise import BareText, bare_text, exercise_view, translation_of
from sitegen.views.handout_pdf import FIT_SAVES, FITS, pdf_path
from sitegen.views.lesson import Lesson, lesson
from sitegen.views.sheets import (
    EXERCISE,
    KINDS,
    STUDENT,
    TEACHER,
    SheetFrame,
    sheet_fields,
    split_first,
)

FITTED = (EXERCISE, STUDENT)

Reuse = Callable[[str, str], bytes | None]
"""Given a PDF's site path and input key, the PDF of the last build if it is still good."""


@dataclass(frozen=True)
class StudentBlock:
    html: Markup
    """Its highlights, which point to no note."""
    translation: Markup | None


@dataclass(frozen=True, kw_only=True)
class StudentView(SheetFrame):
    """``handout.html``: only what a student may see, the text with its numbered
    highlights and the core questions. It has no field for a note, an answer, a voice, a
    source or a provenance fact, so no template mistake can print one on it."""

    article: StudentArticle
    headline: Markup
    translated_title: str | None
    has_translation: bool
    translation_lang: str | None
    blocks: tuple[StudentBlock, ...]
    questions: StudentQuestions
    asked_first: tuple[StudentGeneralQuestion, ...]
    """The questions on the whole article asked before those on passages (Stop)."""
    asked_later: tuple[StudentGeneralQuestion, ...]


@dataclass(frozen=True, kw_only=True)
class TeacherView(ArticleView, SheetFrame):
    """``teacher.html``: the article's view, with the answers, and the lesson."""

    lesson: Lesson
    asked_first: tuple[GeneralQuestion, ...]
    """The questions on the whole article asked before those on passages, as on the
    student copies (``sheets.split_first``)."""
    asked_later: tuple[GeneralQuestion, ...]


def handout_pages(anchored: AnchoredArticle, site: Site, *,
                  views: Mapping[str, ArticleView], bare: BareText | None = None
                  ) -> list[Page]:
    """The exercise copy, student copy and teacher key of one article, in every edition,
    from the views of its web page (``article.article_views``): the same frame, strings
    and links to the handouts (with or without PDFs). ``bare``: as ``classroom.class_pages``
    takes it."""
    article = anchored.article
    slug = article.slug
    bare = bare if bare is not None else bare_text(anchored)
    # The student copy's marks, without the links to notes it does not have: the page's
    # marks (the same in every edition), not rendered again.
    page = views[site.languages[0]]
    headline = Markup(without_note_links(page.headline))
    blocks = [Markup(without_note_links(b.html)) for b in page.blocks]
    pages = []
    for lang in site.languages:
        view = views[lang]
        # What both student copies show of the article and its questions.
        facts, questions = view.article.for_students(), view.questions.for_students()
        student_first, student_later = split_first(questions.general)
        for kind in KINDS:
            sheet = sheet_fields(view, view.handouts, site, slug, kind)
            made: SheetFrame
            if kind == TEACHER:
                first, later = split_first(view.questions.general)
                made = TeacherView(**{**fields_of(view), **sheet},
                                   lesson=lesson(view, len(anchored.spans)),
                                   asked_first=first, asked_later=later)
            elif kind == STUDENT:
                made = StudentView(
                    **sheet, article=facts, headline=headline,
                    translated_title=view.translated_title,
                    has_translation=view.has_translation,
                    translation_lang=view.translation_lang,
                    blocks=tuple(StudentBlock(html, ours.translation)
                                 for html, ours in zip(blocks, view.blocks, strict=True)),
                    questions=questions, asked_first=student_first,
                    asked_later=student_later)
            else:
                assert kind == EXERCISE
                made = exercise_view(bare, view.t, sheet, article=facts, questions=questions,
                                     translation=translation_of(view))
            pages.append(Page(f"{edition_dir(site, lang)}{slug}/{kind}.html", f"{kind}.html",
                              made))
    return pages


def pdf_key(html: bytes, theme: Mapping[str, bytes], paper: str,
            fits: tuple[str, ...] = ()) -> str:
    """Everything a handout PDF is made from: its HTML, the stylesheets, the paper size,
    the layouts it may be fitted to, how full a last page must be and what the tighter
    layouts are counted on to save (which one is tried first, ``FIT_SAVES``), and the
    versions of sitegen and WeasyPrint."""
    h = hashlib.sha256()
    saves = " ".join(f"{fit}={share}" for fit, share in sorted(FIT_SAVES.items()))
    fitting = f"{pdf.MIN_FILL} {' '.join(fits)} {saves}" if fits else ""
    parts: list[bytes] = [__version__.encode(), pdf.engine_version().encode(), paper.encode(),
                          fitting.encode(), html]
    for name in sorted(theme):
        if name.endswith(".css"):
            parts += [name.encode(), theme[name]]
    for part in parts:
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.hexdigest()


def pdf_files(pages: Iterable[Page], html: Mapping[str, bytes], site: Site,
              theme: Mapping[str, bytes], reuse: Reuse | None = None
              ) -> tuple[dict[str, bytes], dict[str, str], list[tuple[Page, tuple[str, ...]]]]:
    """The PDF of each handout page that is still good from the last build, the input key
    of every one (kept in the manifest so the next build can tell whether it is still
    good), and the pages whose PDF must be made, each with the layouts it may be fitted to
    (see ``job.make_pdf``: the build makes them on every core). ``theme`` is
    ``assets.theme_assets(site)``, made once per build."""
    files: dict[str, bytes] = {}
    keys: dict[str, str] = {}
    todo: list[tuple[Page, tuple[str, ...]]] = []
    for page in pages:
        data = html[page.path]
        target = pdf_path(page.path)
        fits = FITS if isinstance(page.view, SheetFrame) and page.view.kind in FITTED else ()
        keys[target] = pdf_key(data, theme, site.paper, fits)
        old = reuse(target, keys[target]) if reuse else None
        if old is not None:
            files[target] = old
        else:
            todo.append((page, fits))
    return files, keys, todo
