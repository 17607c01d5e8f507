"""``kind: practice``: a text written for teaching is labelled so on its page and handouts,
and the sentences about publication and unknown facts say what is true of it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from conftest import FIXTURES, ROOT, run_main, teacher_file
from htmltree import Element, parse

from sitegen.text.quote import fold_str
from sitegen.theme import i18n

ARTICLE = "articles/sample/article.md"
PAGES = {"sample/index.html": "en", "fr/sample/index.html": "fr", "sample/handout.html": "en",
         "sample/teacher.html": "en", "fr/sample/teacher.html": "fr"}


def _same(a: str, b: str) -> bool:
    """Equal once typography is set aside (no-break spaces, curly apostrophes)."""
    return " ".join(fold_str(a).split()) == " ".join(fold_str(b).split())


def _build(tmp: Path, practice: bool) -> Path:
    content = tmp / "content"
    shutil.copytree(FIXTURES / "mini", content)
    if practice:
        md = content / ARTICLE
        md.write_text(md.read_text("utf-8").replace("language: en\n",
                                                    "language: en\nkind: practice\n"), "utf-8")
    out = tmp / "site"
    done = run_main("build", "--content", content, "--out", out, "--no-pdf")
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, Path]:
    return {p: _build(tmp_path_factory.mktemp(f"practice-{p}"), p) for p in (True, False)}


def _texts(doc: Element, cls: str) -> list[str]:
    return [el.text() for el in doc.find_all(cls=cls)]


@pytest.mark.parametrize("rel", sorted(PAGES))
def test_a_practice_text_says_so_where_the_article_is_shown(sites: dict[bool, Path],
                                                             rel: str) -> None:
    t = i18n.catalogue(PAGES[rel])
    practice = parse(teacher_file(sites[True], rel).read_text("utf-8"))
    badges = _texts(practice, "practice-badge")
    assert len(badges) == 1 and _same(badges[0], t["practice_badge"])
    (note,) = _texts(practice, "practice-note")
    assert _same(note, f"{t['practice_badge']} {t['practice_intro']}")
    # The mini article's author is null: said as "empty on purpose", not "not established".
    unknown = _texts(practice, "unknown-note")
    assert unknown and all(_same(u, t["practice_unknown_explained"]) for u in unknown)

    published = parse(teacher_file(sites[False], rel).read_text("utf-8"))
    assert not published.find_all(cls="practice-badge")
    assert not any(_same(u, t["practice_unknown_explained"])
                   for u in _texts(published, "unknown-note"))


@pytest.mark.parametrize("rel", ["index.html", "fr/index.html"])
def test_the_index_card_of_a_practice_text_says_so(sites: dict[bool, Path], rel: str) -> None:
    """On the index, where a reader picks an explainer, a practice text is labelled too."""
    badge = i18n.catalogue("fr" if rel.startswith("fr/") else "en")["practice_badge"]
    (card,) = parse((sites[True] / rel).read_text("utf-8")).find_all("li", cls="card")
    assert [_same(b, badge) for b in _texts(card, "practice-badge")] == [True]
    (published,) = parse((sites[False] / rel).read_text("utf-8")).find_all("li", cls="card")
    assert not published.find_all(cls="practice-badge")


@pytest.mark.parametrize("rel", ["sample/index.html", "fr/sample/index.html"])
def test_the_exactly_as_published_sentence_changes(sites: dict[bool, Path], rel: str) -> None:
    t = i18n.catalogue(PAGES[rel])
    (practice,) = _texts(parse((sites[True] / rel).read_text("utf-8")), "article-language-note")
    (published,) = _texts(parse((sites[False] / rel).read_text("utf-8")),
                          "article-language-note")
    translated = "fr/" in rel  # the mini article has a French translation

    def sentence(key: str) -> str:
        return t[key] + (" " + t["translation_note"] if translated else "")

    assert _same(practice, sentence("practice_text_note"))
    assert _same(published, sentence("article_language_note"))


def test_the_schema_knows_kind() -> None:
    schema = json.loads((ROOT / "schemas/article.schema.json").read_text("utf-8"))
    front = {"title": "A lesson text", "language": "en"}
    jsonschema.validate({**front, "kind": "practice"}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**front, "kind": "practise"}, schema)
