"""The class page's view (``sitegen.views.classroom``): what its script checks a saved file
against and counts with is the exercise page's own data in the same edition (the slug, the
edition, the text's fingerprint, the highlights' offsets and categories, the questions'
keys), its text gives back the canonical text the offsets count in, and, being the
teacher's, it shows the highlights by id and the model answers. The page in a browser is
tested in tests/browser/test_class.py.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import ROOT
from htmltree import Element, parse

from sitegen.content.load import load_article, load_site
from sitegen.errors import Collector
from sitegen.model import Site
from sitegen.text.anchoring import AnchoredArticle, anchor_article
from sitegen.theme.templates import render_page
from sitegen.views.article import article_views
from sitegen.views.classroom import FORMAT, ClassView, class_pages
from sitegen.views.edition import Page
from sitegen.views.handouts import handout_pages

SEED = ROOT / "content"
SLUG = "musk-riyadh"


@pytest.fixture(scope="module")
def seed() -> tuple[Site, AnchoredArticle, list[Page], list[Page]]:
    """The seed article's class pages and handout pages, made from the same views."""
    problems = Collector()
    site = load_site(SEED, problems)
    assert site is not None
    article = load_article(SEED / "articles" / SLUG, site, problems)
    assert article is not None
    anchored = anchor_article(article, problems)
    assert anchored is not None and not problems.errors
    views = article_views(anchored, site, pdf=False)
    return site, anchored, class_pages(anchored, site, views), handout_pages(
        anchored, site, views=views)


def _rendered(pages: list[Page], path: str) -> Element:
    page = next(p for p in pages if p.path == path)
    return parse(render_page(page.template, page.view))


def _class_data(tree: Element) -> dict[str, Any]:
    block = tree.by_id("class-data")
    assert block is not None and block.tag == "script"
    assert block.attrs["type"] == "application/json"
    data: dict[str, Any] = json.loads(block.text())
    return data


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_class_page_counts_with_the_exercise_pages_own_data(
        seed: tuple[Site, AnchoredArticle, list[Page], list[Page]], lang: str) -> None:
    site, anchored, classes, sheets = seed
    folder = "" if lang == site.default_language else f"{lang}/"
    assert sorted(p.path for p in classes) == [f"en/{SLUG}/class.html", f"{SLUG}/class.html"]
    page = next(p for p in classes if p.path == f"{folder}{SLUG}/class.html")
    assert page.template == "class.html" and isinstance(page.view, ClassView)

    exercise = _rendered(sheets, f"{folder}{SLUG}/exercise.html")
    tree = _rendered(classes, f"{folder}{SLUG}/class.html")
    data = _class_data(tree)
    ours = exercise.by_id("exercise")
    assert ours is not None
    assert data["format"] == FORMAT
    assert (data["slug"], data["lang"], data["text"]) == (
        ours.attrs["data-slug"], ours.attrs["data-lang"], ours.attrs["data-text"])
    assert data["slug"] == SLUG and data["lang"] == lang

    # The highlights the exercise compares with, in the same order, at the same offsets.
    key = [(int(li.attrs["data-number"]), li.attrs["data-category"], int(li.attrs["data-start"]),
            int(li.attrs["data-end"])) for li in exercise.find_all("li", where=lambda e: any(
                a.tag == "ul" and "ex-key" in a.classes for a in e.ancestors()))]
    assert key and [(h["number"], h["category"], h["start"], h["end"])
                    for h in data["highlights"]] == key
    # ... each with its annotation's id, which the teacher's page may show.
    assert [h["id"] for h in data["highlights"]] == [s.annotation.id for s in anchored.spans]
    rows = tree.find_all("tr", where=lambda e: "data-highlight" in e.attrs)
    assert [r.attrs["data-highlight"] for r in rows] == [h["id"] for h in data["highlights"]]
    for name in ("data-found", "data-other"):  # where the script writes its counts
        assert all(len(r.find_all(where=lambda e, n=name: n in e.attrs)) == 1 for r in rows)

    # The texts the exercise page shows, from which the script quotes passages: joined by
    # the blank line between them, they are the canonical text the offsets count in.
    texts = [(int(el.attrs["data-start"]), el.text()) for el in exercise.find_all(cls="ex-text")]
    assert [(t["start"], t["text"]) for t in data["texts"]] == texts
    assert "\n\n".join(t["text"] for t in data["texts"]) == anchored.plain_text

    # The questions by the keys the exercise page keeps their answers under, in its order.
    answers = [box.attrs["data-answer"] for box in exercise.find_all("textarea")
               if "data-answer" in box.attrs]
    assert answers and data["questions"] == answers
    shown = [li.attrs["data-question"] for li in tree.find_all("li", cls="class-question")]
    assert shown == answers
    assert [c["key"] for c in data["categories"]] == [c.key for c in site.categories]


def test_the_class_page_is_the_teachers_with_the_model_answers(
        seed: tuple[Site, AnchoredArticle, list[Page], list[Page]]) -> None:
    classes = seed[2]
    view = next(p.view for p in classes if p.path == f"{SLUG}/class.html")
    assert isinstance(view, ClassView)
    with_answer = [q for q in view.questions if q.answer is not None]
    assert with_answer, "the seed's questions have model answers"
    tree = _rendered(classes, f"{SLUG}/class.html")
    for q in with_answer:
        item = tree.find("li", data_question=q.key)
        assert item is not None
        model = item.find(cls="class-model")
        assert model is not None
        words = " ".join(parse(str(q.answer.html if q.answer else "")).text().split())
        assert words and words in " ".join(model.text().split())
    # Each question with its own model answer (the exercise asks Stop questions first).
    site, anchored = seed[0], seed[1]
    key = article_views(anchored, site, pdf=False)[site.default_language].questions
    model = {str(q.question.html if q.question else ""): q.answer
             for q in (*key.per_highlight, *key.general)}
    assert all(model[str(q.question.html if q.question else "")] == q.answer
               for q in view.questions)
    assert any(q.key.startswith("question-") for q in view.questions[:1])  # Stop first
    # It links to the teacher key beside it and to its twin in the other edition.
    hrefs = [a.attrs["href"] for a in tree.find_all("a")]
    assert hrefs == ["teacher.html", f"../en/{SLUG}/class.html"]
    assert tree.find("input", type="file") is not None
