"""Classroom handouts: a student copy and a teacher key per article and edition.

Both are built from ``article_context`` (the context of the web page), so the highlights
carry the same numbers on the page and on paper. The student copy gets only what a
student may see: the text, the questions and the reading aids, never a note or an answer.
Each handout is an HTML page, and a PDF of that page made by ``sitegen.pdf``; a PDF is
keyed on everything it is made from, so a build reuses the last one when the key matches.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from markupsafe import Markup

from sitegen import __version__, pdf, templates
from sitegen.model import Site
from sitegen.pages import Edition, Page, edition_dir, for_page
from sitegen.prepare import Prepared
from sitegen.stylesheet import categories_css

STUDENT, TEACHER = "handout", "teacher"
KINDS = (STUDENT, TEACHER)
GLOSSARY = ("sourcing", "framing", "missing_context", "direct_quote", "paraphrase",
            "attribution", "primary_source", "scare_quotes", "lateral_reading")
LESSON = (("stop", 5), ("read", 10), ("pairs", 15), ("discuss", 15), ("sift", 10))
"""The lesson's steps and their minutes (55 in all, one class period)."""
OBJECTIVES = ("sourcing", "framing", "context")
TIPS = ("evidence", "wait", "true", "people")
LINES_PER_QUESTION = {"per_highlight": 2, "general": 3}
"""Ruled lines left to write on under each question of the student copy."""

Reuse = Callable[[str, str], bytes | None]
"""Given a PDF's site path and input key, the PDF of the last build if it is still good."""

_NOTE_LINK = re.compile(r' tabindex="0" aria-details="note-[a-z0-9-]+"')
"""What makes a highlight point to its note; the student copy has no notes to point to."""

_STUDENT_KEYS = ("lang", "t", "root", "title", "site_title", "categories", "editions", "home",
                 "article", "headline", "translated_title", "has_translation",
                 "translation_lang", "sift")


def links(t: Mapping[str, str], *, pdf: bool, current: str | None = None) -> list[dict[str, Any]]:
    """The two handouts, as links relative to the article's folder (for every page there)."""
    labels = {STUDENT: t["handout_student"], TEACHER: t["handout_teacher"]}
    return [{"kind": kind, "label": labels[kind], "html": f"{kind}.html",
             "pdf": f"{kind}.pdf" if pdf else None, "current": kind == current}
            for kind in KINDS]


def _glossary(t: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"term": t[f"glossary_{k}"], "text": t[f"glossary_{k}_text"]} for k in GLOSSARY]


def _student_context(ctx: dict[str, Any]) -> dict[str, Any]:
    """Only what a student may see: the notes, answers, voices and sources are left out.

    Leaving them out of the context (not just of the template) means a template mistake
    fails loudly under StrictUndefined instead of printing an answer on the student copy.
    """
    safe = {k: ctx[k] for k in _STUDENT_KEYS}
    safe["headline"] = _unlinked(ctx["headline"])
    safe["blocks"] = [{"html": _unlinked(b["html"]), "translation": b["translation"]}
                      for b in ctx["blocks"]]
    safe["questions"] = {
        "per_highlight": [{k: q[k] for k in ("number", "id", "question", "quote", "category")}
                          for q in ctx["questions"]["per_highlight"]],
        "general": [{k: q.get(k) for k in ("question", "step", "id")}
                    for q in ctx["questions"]["general"]],
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
    numbers = {"pairs": len(questions["per_highlight"]) or highlights,
               "discuss": len(questions["general"])}
    return {
        "total": t["lesson_total"].format(n=sum(m for _, m in LESSON)),
        "summary": t["lesson_this_article"].format(
            highlights=highlights, categories=per_category,
            questions=len(questions["per_highlight"]), general=len(questions["general"]),
            voices=len(ctx["voices"])),
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
    pages = []
    for lang in site.languages:
        ed = Edition(site, lang)
        for kind in KINDS:
            ctx = for_page(contexts[lang], site, f"{slug}/{kind}.html")
            _with_quotes(ctx)
            if kind == TEACHER:
                ctx["lesson"] = _lesson(ed, ctx, len(prepared.spans))
            else:
                ctx = _student_context(ctx)
            title = ed.t["handout_student" if kind == STUDENT else "handout_teacher"]
            ctx.update(kind=kind, sheet_title=title,
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
