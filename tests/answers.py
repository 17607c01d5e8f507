"""The model answers of an article, as word windows a test can look for in any built file:
the students' site must hold none of them, the teacher's folder every one.

Words are compared, not characters, so typography (curly quotes, no-break spaces, dashes,
Markdown) cannot hide a leak; a window of the article's own text, which an answer may quote,
or of anything else the explainer shows (notes, questions, provenance) is left out."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

from htmltree import Element, parse

from sitegen.content.load import load_article, load_site
from sitegen.errors import Collector
from sitegen.model import localized_texts

WINDOW = 6
"""Words in a row: long enough that only an answer's own sentence holds them."""


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _windows(text: str) -> set[str]:
    found = words(text)
    return {" ".join(found[i:i + WINDOW]) for i in range(len(found) - WINDOW + 1)}


def answer_windows(content: Path, slug: str) -> dict[str, set[str]]:
    """Each model answer (of a highlight's question or an article question, in every
    language it is written in) → its word windows that nothing else of the article holds
    (its text, translations and every other field the explainer shows)."""
    problems = Collector()
    site = load_site(content, problems)
    assert site is not None, problems.errors
    article = load_article(content / "articles" / slug, site, problems)
    assert article is not None, problems.errors
    answers = [a.answer for a in article.annotations if a.answer is not None]
    answers += [q.answer for q in article.questions if q.answer is not None]
    secret = {text for answer in answers for _, text in answer.texts}
    shown = [text for text, _ in localized_texts(article) if text not in secret]
    public = _windows(" ".join([article.title, article.body, *shown,
                                *(t.body for t in article.translations)]))
    return {text: _windows(text) - public for text in secret}


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _html_text(tree: Element) -> str:
    """The text of a page and every attribute value (data-* attributes carry data)."""
    return " ".join([tree.text(), *(v for el in tree.iter() for v in el.attrs.values())])


def file_words(path: Path, pdf_text: str | None = None) -> str:
    """The words of a built file, joined by single spaces: the text and attributes of a
    page, the strings of a JSON file, the text of a script or stylesheet, the given text of
    a PDF."""
    if pdf_text is not None:
        text = pdf_text
    elif path.suffix == ".html":
        text = _html_text(parse(path.read_text("utf-8")))
    elif path.suffix in (".json", ".jsonld"):
        text = " ".join(_strings(json.loads(path.read_text("utf-8"))))
    else:
        text = path.read_text("utf-8", errors="replace")
    return " ".join(words(text))


def leaks(windows: dict[str, set[str]], text: str) -> list[str]:
    """The answers of which ``text`` (``file_words``) holds a window."""
    padded = f" {text} "
    return [answer for answer, mine in windows.items() if any(f" {w} " in padded for w in mine)]
