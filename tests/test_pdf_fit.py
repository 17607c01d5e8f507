"""Fitting a student sheet's PDF from one layout's measurements (``pdf.html_to_pdf`` with
``handout_pdf.FIT_SAVES``): on sheets of different lengths, the seed's with some of their
questions left out, the layout tried first comes from the sheet as written, and the PDF
kept never ends on a nearly empty page when one of the layouts could have avoided it."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from conftest import Built
from pypdf import PdfReader

from sitegen.theme import pdf
from sitegen.views import handout_pdf

QUESTION = re.compile(r'<li class="question">.*?</li>', re.S)


def _without_last_questions(html: str, dropped: int) -> bytes:
    found = list(QUESTION.finditer(html))
    for match in reversed(found[len(found) - dropped:] if dropped else []):
        html = html[:match.start()] + html[match.end():]
    return html.encode()


def _layouts(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any]]:
    """Each layout made from now on: the root's classes and the laid-out document."""
    made: list[tuple[str, Any]] = []
    html_class = pdf._weasyprint().HTML
    render = html_class.render

    def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        document = render(self, *args, **kwargs)
        made.append((self.etree_element.get("class", ""), document))
        return document

    monkeypatch.setattr(html_class, "render", counted)
    return made


def _nearly_empty_end(document: Any) -> bool:
    return len(document.pages) > 1 and pdf.page_fill(document.pages[-1]) < pdf.MIN_FILL


# Chosen to reach each layout first: the seed's English exercise fills its last page with
# a ruled line more (roomy), leaving out questions it needs tight, then snug; its student
# copy needs tight; the French exercise is laid out once, as written.
@pytest.mark.parametrize(("rel", "dropped", "tried"), [
    ("en/musk-riyadh/exercise.html", 0, "fit-roomy"),
    ("en/musk-riyadh/exercise.html", 2, "fit-tight"),
    ("en/musk-riyadh/exercise.html", 3, "fit-snug"),
    ("en/musk-riyadh/handout.html", 0, "fit-tight"),
    ("musk-riyadh/exercise.html", 0, None)])
def test_the_first_layout_chooses_the_fit_and_keeps_the_rule(
        built_seed: Built, monkeypatch: pytest.MonkeyPatch, rel: str, dropped: int,
        tried: str | None) -> None:
    html = _without_last_questions((built_seed.out / rel).read_text("utf-8"), dropped)
    # The theme's assets as the build wrote them (``assets.theme_assets``).
    theme = {f"assets/{p.name}": p.read_bytes() for p in (built_seed.out / "assets").iterdir()}
    made = _layouts(monkeypatch)
    data = pdf.html_to_pdf(html, path=rel, assets=theme, fits=handout_pdf.FITS,
                           saves=handout_pdf.FIT_SAVES)
    pages = len(PdfReader(io.BytesIO(data)).pages)
    first, last = made[0][1], made[-1][1]
    if tried is None:
        assert not _nearly_empty_end(first) and len(made) == 1 and pages == len(first.pages)
        return
    assert _nearly_empty_end(first) and made[1][0].split()[-1] == tried
    if len(last.pages) <= len(first.pages) and not _nearly_empty_end(last):
        assert pages == len(last.pages)  # the first layout that keeps the rule is kept
    else:  # none could: every one was tried, and the page is printed as written
        assert len(made) == 1 + len(handout_pdf.FITS) and pages == len(first.pages)
        assert all(_nearly_empty_end(d) or len(d.pages) > len(first.pages)
                   for _, d in made[1:])
