"""Classroom handouts per article and edition: the exercise copy, the annotated student
copy and the teacher key.

All three are built from ``article_context`` (the context of the web page), so highlights
carry the same numbers on the page and on paper. The student copies get only what a
student may see: the text, the core questions and the reading aids, never a note, an
answer or a provenance fact (those are left blank, to investigate). The exercise copy is
the bare article (``sitegen.views.exercise``), also the page where students mark it in the
browser. Each handout is an HTML page, and a PDF of that page made by ``sitegen.theme.pdf``; a
PDF is keyed on everything it is made from, so a build reuses the last one when the key
matches.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from markupsafe import Markup

from sitegen import __version__
from sitegen.model import Site
from sitegen.text.anchoring import Prepared
from sitegen.theme import pdf, templates
from sitegen.views.exercise import exercise_context, paragraphs
from sitegen.views.pages import Edition, Page, edition_dir, for_page
from sitegen.views.stylesheet import categories_css

EXERCISE, STUDENT, TEACHER = "exercise", "handout", "teacher"
KINDS = (EXERCISE, STUDENT, TEACHER)
LABELS = {EXERCISE: "handout_exercise", STUDENT: "handout_student", TEACHER: "handout_teacher"}
GLOSSARY = ("sourcing", "framing", "missing_context", "direct_quote", "paraphrase",
            "attribution", "primary_source", "scare_quotes", "lateral_reading")
LESSON = (("stop", 5), ("exercise", 15), ("discuss", 15), ("annotated", 15), ("sift", 5))
"""The lesson's steps and their minutes (55 in all, one class period): students work on
the bare article first, then discuss, then read the annotated copy."""
OBJECTIVES = ("sourcing", "framing", "context")
TIPS = ("evidence", "wait", "true", "people")
LINES_PER_QUESTION = {"per_highlight": 2, "general": 3, "exercise": 2}
"""Ruled lines left to write on under each question of the student copy."""

Reuse = Callable[[str, str], bytes | None]
"""Given a PDF's site path and input key, the PDF of the last build if it is still good."""

_NOTE_LINK = re.compile(r' tabindex="0" aria-details="note-[a-z0-9-]+"')
"""What makes a highlight point to its note; the student copy has no notes to point to."""

_STUDENT_KEYS = ("lang", "t", "root", "title", "site_title", "categories", "editions", "home",
                 "headline", "translated_title", "has_translation", "translation_lang", "sift")
_ARTICLE_KEYS = ("slug", "title", "language", "practice")
"""What a student copy knows of the article: not its outlet, author, date or address."""


def links(t: Mapping[str, str], *, pdf: bool, current: str | None = None) -> list[dict[str, Any]]:
    """The handouts, as links relative to the article's folder (for every page there)."""
    return [{"kind": kind, "label": t[LABELS[kind]], "html": f"{kind}.html",
             "pdf": f"{kind}.pdf" if pdf else None, "current": kind == current}
            for kind in KINDS]


def core_questions(questions: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """The questions a student copy carries: those marked core, or all when none is."""
    if not any(q["core"] for group in questions.values() for q in group):
        return questions
    return {name: [q for q in group if q["core"]] for name, group in questions.items()}


def _glossary(t: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"term": t[f"glossary_{k}"], "text": t[f"glossary_{k}_text"]} for k in GLOSSARY]


def _student_context(ctx: dict[str, Any]) -> dict[str, Any]:
    """Only what a student may see: the notes, answers, voices and sources are left out.

    Leaving them out of the context (not just of the template) means a template mistake
    fails loudly under StrictUndefined instead of printing an answer on the student copy.
    """
    safe = {k: ctx[k] for k in _STUDENT_KEYS}
    safe["article"] = {k: ctx["article"][k] for k in _ARTICLE_KEYS}
    safe["headline"] = _unlinked(ctx["headline"])
    safe["blocks"] = [{"html": _unlinked(b["html"]), "translation": b["translation"]}
                      for b in ctx["blocks"]]
    questions = core_questions(ctx["questions"])
    safe["questions"] = {
        "per_highlight": [{k: q[k] for k in ("number", "id", "question", "quote", "category")}
                          for q in questions["per_highlight"]],
        "general": [{k: q.get(k) for k in ("question", "step", "id")}
                    for q in questions["general"]],
    }
    return safe


def _unlinked(html: Markup) -> Markup:
    return Markup(_NOTE_LINK.sub("", str(html)))


def _lesson(ed: Edition, ctx: dict[str, Any], highlights: int) -> dict[str, Any]:
    """The one-page lesson outline, filled in with the article's own counts."""
    t = ed.t
    questions = ctx["questions"]
    per_category = ", ".join(f"{p['category']['letter']} {p['category']['label']}: "
                             f"{len(p['highlights'])}" for p in ctx["panels"])
    core = core_questions(questions)
    marked = sum(len(group) for group in core.values())
    numbers = {"exercise": marked, "discuss": len(questions["general"]),
               "annotated": highlights}
    every = len(questions["per_highlight"]) + len(questions["general"])
    return {
        "total": t["lesson_total"].format(n=sum(m for _, m in LESSON)),
        "summary": t["lesson_this_article"].format(
            highlights=highlights, categories=per_category,
            questions=len(questions["per_highlight"]), general=len(questions["general"]),
            voices=len(ctx["voices"])),
        "core": (t["lesson_core"].format(n=marked) if marked < every
                 else t["lesson_core_none"]),
        "objectives": [t[f"lesson_objective_{k}"] for k in OBJECTIVES],
        "steps": [{"minutes": t["lesson_minutes"].format(n=minutes), "name": t[f"lesson_{k}"],
                   "text": t[f"lesson_{k}_text"].format(n=numbers.get(k, 0))}
                  for k, minutes in LESSON],
        "tips": [t[f"lesson_tip_{k}"] for k in TIPS],
    }


def _with_quotes(ctx: dict[str, Any]) -> None:
    """Give each per-highlight question the passage and category it is about."""
    notes = {n["id"]: n for b in [{"notes": ctx["headline_notes"]}, *ctx["blocks"]]
             for n in b["notes"]}
    for q in ctx["questions"]["per_highlight"]:
        q["quote"] = notes[q["id"]]["quote"]
        q["category"] = notes[q["id"]]["category"]


def handout_pages(prepared: Prepared, site: Site, *, pdf: bool,
                  contexts: dict[str, dict[str, Any]]) -> list[Page]:
    """The student copy and teacher key of one article, in every edition, from the
    contexts of its web page (``pages.article_contexts``)."""
    slug = prepared.article.slug
    paras = paragraphs(prepared)
    pages = []
    for lang in site.languages:
        ed = Edition(site, lang)
        for kind in KINDS:
            ctx = for_page(contexts[lang], site, f"{slug}/{kind}.html")
            _with_quotes(ctx)
            if kind == TEACHER:
                ctx["lesson"] = _lesson(ed, ctx, len(prepared.spans))
            elif kind == STUDENT:
                ctx = _student_context(ctx)
            else:
                ctx = exercise_context(prepared, paras, ctx, core_questions(ctx["questions"]))
            title = ed.t[LABELS[kind]]
            ctx.update(kind=kind, sheet_title=title, interactive=kind == EXERCISE,
                       handouts=links(ed.t, pdf=pdf, current=kind), glossary=_glossary(ed.t),
                       lines=LINES_PER_QUESTION)
            path = f"{edition_dir(site, lang)}{slug}/{kind}.html"
            pages.append(Page(path, f"{kind}.html", ctx))
    return pages


def assets(site: Site) -> dict[str, bytes]:
    """The theme's files as the site has them under ``assets/`` (stylesheets, script)."""
    files = {f"assets/{p.name}": p.read_bytes() for p in sorted(templates.STATIC.iterdir())
             if p.is_file() and not p.name.startswith(".")}
    files["assets/categories.css"] = categories_css(site).encode("utf-8")
    return files


def pdf_key(html: bytes, theme: Mapping[str, bytes], paper: str) -> str:
    """Everything a handout PDF is made from: its HTML, the stylesheets, the paper size,
    and the versions of sitegen and WeasyPrint."""
    h = hashlib.sha256()
    parts: list[bytes] = [__version__.encode(), pdf.engine_version().encode(), paper.encode(),
                          html]
    for name in sorted(theme):
        if name.endswith(".css"):
            parts += [name.encode(), theme[name]]
    for part in parts:
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.hexdigest()


def pdf_path(html_path: str) -> str:
    return html_path.removesuffix(".html") + ".pdf"


def pdf_files(pages: Iterable[Page], html: Mapping[str, bytes], site: Site,
              theme: Mapping[str, bytes], reuse: Reuse | None = None
              ) -> tuple[dict[str, bytes], dict[str, str]]:
    """The PDF of each handout page, and its input key (kept in the manifest so the next
    build can tell whether it is still good); one still good from the last build is
    reused as is. ``theme`` is ``assets(site)``, made once per build."""
    files: dict[str, bytes] = {}
    keys: dict[str, str] = {}
    for page in pages:
        data = html[page.path]
        target = pdf_path(page.path)
        keys[target] = pdf_key(data, theme, site.paper)
        old = reuse(target, keys[target]) if reuse else None
        files[target] = old if old is not None else pdf.html_to_pdf(
            data, path=page.path, assets=theme, paper=site.paper)
    return files, keys
