"""The exercise copy as HTML: the bare article cut into numbered paragraphs and lines (the
text verbatim), blank provenance fields, the questions named by paragraph and line, and
the explainer's highlights as offsets for the comparison (by number: no annotation id is
anywhere in the page), and an edition's translation under each paragraph. Its PDF is tested in
tests/test_pdf.py, the page in a browser in tests/browser/test_exercise.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, Built
from htmltree import parse
from hypothesis import given, settings
from hypothesis import strategies as st
from test_handout import LETTER, page, site, text_of

from sitegen.theme import i18n
from sitegen.views.exercise import MEASURE, _wrap_words, width, wrap

__all__ = ["site"]  # the built fixture site, shared with tests/test_handout.py


TEXT = st.text(st.sampled_from("ab cdé  «»:!,.\n中文\u0301" + "x" * 5), max_size=400)


@given(TEXT, st.integers(min_value=5, max_value=90))
def test_lines_give_back_the_text_and_fit_the_measure(text: str, measure: int) -> None:
    lines = wrap(text, measure)
    assert "".join(lines) == text
    for line in lines:
        words = line.split()
        # Only a closing mark glued to its word may pass the measure, by its own width.
        if words and width(line.rstrip()) > measure:
            assert len(words) > 1 or width(words[0]) <= measure + 2


def test_lines_break_at_spaces_and_keep_french_marks_with_their_words() -> None:
    text = ("« C'est l'incarnation même du leadership compétent », a écrit Musk sur X, "
            "avant les « premiers pourparlers directs » entre la Russie et les États-Unis.")
    lines = wrap(text, 40)
    assert "".join(lines) == text
    assert all(not line.startswith(("»", ":", ",")) for line in lines)
    assert all(not line.rstrip().endswith("«") for line in lines)
    assert all(width(line.rstrip()) <= 42 for line in lines)
    assert wrap("a\nb") == ["a\n", "b"]  # a hard break always ends a line


def test_exercise_is_the_bare_article(site: Path) -> None:
    tree = page(site, "river/exercise.html")
    html = (site / "river/exercise.html").read_text("utf-8")
    assert not tree.find_all("mark") and not tree.find_all(cls="badge")
    assert "pangolin" not in html.lower() and "quokka" not in html.lower()
    assert "example.org" not in html
    assert tree.find(cls="sheet-legend") is None
    paragraphs = tree.find_all("p", cls="ex-text")
    source = (LETTER / "articles/river/article.md").read_text("utf-8").split("---\n")[2]
    expected = [" ".join(p.split()) for p in source.replace("*", "").split("\n\n") if p.strip()]
    assert [p.text() for p in paragraphs] == expected  # verbatim, inline formatting aside
    numbers = [int(s.attrs["data-n"]) for p in paragraphs for s in p.find_all("span", cls="ln")]
    assert numbers == list(range(1, len(numbers) + 1))
    for p in paragraphs:
        assert all(width(s.text().rstrip()) <= MEASURE for s in p.find_all("span", cls="ln"))
    pnums = [text_of(s) for s in tree.find_all("span", cls="ex-pnum")]
    assert [n.split()[-1] for n in pnums] == ["1", "2", "3"]


def test_exercise_questions_name_passages_by_paragraph_and_line(site: Path) -> None:
    tree = page(site, "river/exercise.html")
    items = [text_of(li) for li in tree.find_all("li", cls="question")]
    assert len(items) == 5
    assert not [q for q in items if "highlight" in q.lower()]
    t = i18n.catalogue("en")
    # "a local newspaper" ends line 1 and runs onto line 2 (the lines are 78 columns)
    assert any(q.startswith(t["exercise_where_lines"].format(p=1, first=1, last=2)) and
               "Can you find the newspaper?" in q for q in items)
    assert any(q.startswith(t["exercise_where_line"].format(p=3, line=5)) and
               "What would you need to know about the vote?" in q for q in items)
    assert all(li.find(cls="write") is not None for li in tree.find_all("li", cls="question"))
    boxes = tree.find_all("textarea")  # for the page in a browser (hidden on paper)
    assert len(boxes) == 5 and len({b.attrs["data-answer"] for b in boxes}) == 5
    for box in boxes:
        label = [lb for lb in tree.find_all("label") if lb.attrs.get("for") == box.attrs["id"]]
        assert len(label) == 1


def test_explainer_highlights_are_data_in_export_offsets(site: Path) -> None:
    tree = page(site, "river/exercise.html")
    key = tree.find("ul", cls="ex-key")
    assert key is not None and not text_of(key)
    exported = json.loads((site / "river/annotations.jsonld").read_text("utf-8"))
    positions = {}
    for item in exported["first"]["items"]:
        if isinstance(item["target"], dict):
            pos = item["target"]["selector"][1]
            positions[item["id"].rsplit(":", 1)[1]] = (pos["start"], pos["end"])
    found = [(int(li.attrs["data-start"]), int(li.attrs["data-end"])) for li in key.find_all("li")]
    assert sorted(found) == sorted(positions.values())
    numbers = [int(li.attrs["data-number"]) for li in key.find_all("li")]
    assert sorted(numbers) == list(range(1, len(numbers) + 1))
    # The offsets count from the headline, as the texts on the page do.
    starts = [int(el.attrs["data-start"]) for el in tree.find_all(cls="ex-text")]
    assert starts[0] == 0 and starts == sorted(starts)


def seed_annotation_ids() -> list[str]:
    text = (ROOT / "content/articles/musk-riyadh/annotations.yaml").read_text("utf-8")
    return [a["id"] for a in yaml.safe_load(text)["annotations"]]


@pytest.mark.parametrize("edition", ["", "en/"])
def test_the_exercise_names_highlights_by_number_never_by_id(built_seed: Built,
                                                             edition: str) -> None:
    """An annotation's id tells what the explainer found ("zelensky-win"): none is anywhere
    in the page, in an attribute or in the text; questions are keyed by number."""
    tree = parse((built_seed.out / f"{edition}musk-riyadh/exercise.html").read_text("utf-8"))
    said = [tree.text()] + [v or "" for el in tree.iter() for v in el.attrs.values()]
    ids = seed_annotation_ids()
    assert len(ids) > 30
    assert not [i for i in ids if any(i in s for s in said)]
    keys = [box.attrs["data-answer"] for box in tree.find_all("textarea")
            if "data-answer" in box.attrs]
    assert keys and all(re.fullmatch(r"(highlight|question)-[0-9]+", k) for k in keys)
    assert len(set(keys)) == len(keys)
    for li in tree.find("ul", cls="ex-key").find_all("li"):  # type: ignore[union-attr]
        assert set(li.attrs) == {"data-number", "data-category", "data-start", "data-end"}


def test_an_edition_with_a_translation_has_it_under_each_paragraph(built_seed: Built) -> None:
    """Our translation, on demand (static/exercise.js): under the headline and each
    paragraph of the English edition, outside the marked texts; the French has none."""
    english = parse((built_seed.out / "en/musk-riyadh/exercise.html").read_text("utf-8"))
    paras = english.find_all("div", cls="ex-para")
    assert paras and all(len(p.find_all(cls="ex-translation")) == 1 for p in paras)
    assert all(t.attrs["lang"] == "en" and t.text().strip()
               for t in english.find_all(cls="ex-translation"))
    assert english.by_id("ex-translation-toggle") is not None
    assert not [t for t in english.find_all(cls="ex-text") if t.find(cls="ex-translation")]
    french = parse((built_seed.out / "musk-riyadh/exercise.html").read_text("utf-8"))
    assert not french.find_all(cls="ex-translation")
    assert french.by_id("ex-translation-toggle") is None



@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from("ab cd,.:;!?()[]«»’\t\u00a0é" + "x" * 8), max_size=300)
       | st.text(st.sampled_from("abcdé,.«’\t\u00a0" + "x" * 8 + " " * 4), max_size=120),
       st.integers(min_value=3, max_value=90))
def test_lines_of_plain_text_are_those_of_the_word_by_word_loop(text: str, measure: int
                                                                ) -> None:
    assert wrap(text, measure) == _wrap_words(text, measure, len)
