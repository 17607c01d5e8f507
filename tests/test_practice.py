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
         "fr/sample/handout.html": "fr", "sample/exercise.html": "en",
         "fr/sample/exercise.html": "fr", "sample/teacher.html": "en",
         "fr/sample/teacher.html": "fr"}
STUDENT_COPIES = ("handout.html", "exercise.html")
"""They ask students to find no fact of a practice text, so they explain no empty one."""


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
    # The mini article's author is null: explained as a practice text's, not "not established".
    unknown = _texts(practice, "unknown-note")
    if rel.endswith(STUDENT_COPIES):
        assert unknown == []
    else:
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


def _words_of(text: str) -> str:
    return " ".join(fold_str(text).split())


def _assumed(t: dict[str, str], doc: Element) -> list[str]:
    """The sentences of ``doc`` that assume the text has a real original: a box asking
    students to find where it was published, an "at a glance" line about the original, a
    fact "not known", the lesson step that has students look for the outlet and author."""
    text = _words_of(doc.text())
    found = [k for k in ("investigate_title", "investigate_hint", "unknown_explained",
                         "unknown_outlet") if _words_of(t[k]) in text]
    if _words_of(t["lesson_exercise_text"].split("{n}")[1]) in text:
        found.append("lesson_exercise_text")
    glance = doc.find("section", cls="glance")
    if glance is not None and any(_same(dt.text(), t["glance_original"])
                                  for dt in glance.find_all("dt")):
        found.append("glance_original")
    return found


@pytest.mark.parametrize("rel", sorted(PAGES))
def test_a_practice_text_assumes_no_real_original(sites: dict[bool, Path], rel: str) -> None:
    """Every page of a practice text, in both editions: no sentence about a real original,
    where the same page of a published text has them."""
    t = i18n.catalogue(PAGES[rel])
    practice = parse(teacher_file(sites[True], rel).read_text("utf-8"))
    assert _assumed(t, practice) == []
    published = _assumed(t, parse(teacher_file(sites[False], rel).read_text("utf-8")))
    name = rel.rsplit("/", 1)[-1]
    expected = {"index.html": ["glance_original"], "teacher.html": ["lesson_exercise_text"],
                "handout.html": ["investigate_title", "investigate_hint"],
                "exercise.html": ["investigate_title", "investigate_hint"]}[name]
    assert set(expected) <= set(published)  # the check sees them where they are
    if name == "teacher.html":
        lesson = practice.find("section", cls="lesson")
        assert lesson is not None
        assert _words_of(t["lesson_exercise_practice_text"].split("{n}")[1]) in _words_of(
            lesson.text())


def test_a_key_without_sources_sends_students_to_find_them(tmp_path: Path) -> None:
    """The lesson's SIFT step points to "the sources listed at the end of this key" only
    when the key lists some."""
    out = tmp_path / "site"
    done = run_main("build", "--content", FIXTURES / "handout-noquestions", "--out", out,
                    "--no-pdf")
    assert done.returncode == 0, done.stderr
    t = i18n.catalogue("en")
    key = parse(teacher_file(out, "bridge/teacher.html").read_text("utf-8"))
    assert not key.find_all(cls="source-list")
    lesson = key.find("section", cls="lesson")
    assert lesson is not None
    assert _words_of(t["lesson_sift_no_sources_text"]) in _words_of(lesson.text())
    assert _words_of(t["lesson_sift_text"]) not in _words_of(lesson.text())
