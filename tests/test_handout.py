"""Classroom handouts as HTML: what the student copy and the teacher key hold, the links to
them, and an article without questions. The PDFs are tested in tests/test_pdf.py.

The fixture tests/fixtures/handout-letter puts the word "pangolin" in every note and
"quokka" in every answer, so leaking either into the student copy is easy to see.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import typing
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, Built, teacher_file
from htmltree import Element, parse

from sitegen.build.builder import Builder
from sitegen.output.folder import teacher_folder
from sitegen.output.stage import MARKER
from sitegen.text import typography
from sitegen.theme import i18n
from sitegen.views import sheets
from sitegen.views.exercise import ExerciseView
from sitegen.views.handouts import StudentView, TeacherView

LETTER = FIXTURES / "handout-letter"
NO_QUESTIONS = FIXTURES / "handout-noquestions"
EDITIONS = {"en": "river", "fr": "fr/river"}
ANNOTATED = (sheets.STUDENT, sheets.TEACHER)
STUDENT_COPIES = (sheets.EXERCISE, sheets.STUDENT)
# The fixture's provenance facts, which only the teacher key may show.
PROVENANCE = ("The Daily Example", "2025-02-18", "example.org/news/river-plan",
              "Copied from the outlet")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The handout-letter fixture built without PDFs (they are tested in test_pdf.py)."""
    out = tmp_path_factory.mktemp("handout") / "out"
    Builder(LETTER, out, pdf=False).build()
    return out


def page(out: Path, rel: str) -> Element:
    return parse(teacher_file(out, rel).read_text("utf-8"))


def text_of(tree: Element) -> str:
    return " ".join(tree.text().split())


def marks(tree: Element) -> list[tuple[str, str]]:
    return [(m.attrs["data-annotation"], m.attrs["data-number"])
            for m in tree.find_all("mark", cls="hl")]


@pytest.mark.parametrize("folder", EDITIONS.values())
def test_every_edition_gets_a_student_copy_and_a_teacher_key(site: Path, folder: str) -> None:
    for kind in sheets.KINDS:
        tree = page(site, f"{folder}/{kind}.html")
        assert tree.find("h1", cls="headline") is not None
    assert not list(site.rglob("*.pdf"))


@pytest.mark.parametrize("folder", EDITIONS.values())
def test_handouts_use_the_numbers_of_the_web_page(site: Path, folder: str) -> None:
    web = marks(page(site, f"{folder}/index.html"))
    assert web  # the fixture has highlights
    for kind in ANNOTATED:
        assert marks(page(site, f"{folder}/{kind}.html")) == web


def test_student_copy_has_questions_and_no_note_or_answer(site: Path) -> None:
    tree = page(site, "river/handout.html")
    text = text_of(tree)
    for question in ("Can you find the newspaper?", "Whose word is “historic”?",
                     "What would you need to know about the vote?", "Who wrote this story?",
                     "What would you search for first?"):
        assert question in text
    assert "pangolin" not in text.lower()  # notes
    assert "quokka" not in text.lower()    # answers
    assert not tree.find_all(cls="key-note") and not tree.find_all(cls="answer")
    assert "example.org/council" not in (site / "river/handout.html").read_text("utf-8")


def test_student_questions_are_numbered_like_the_highlights(site: Path) -> None:
    tree = page(site, "river/handout.html")
    numbers = dict(marks(tree))
    items = tree.find_all("ol", cls="per-highlight")[0].find_all("li", cls="question")
    about = [text_of(li) for li in items]
    asked = ("local-newspaper", "historic", "formality")
    assert [li.attrs["value"] for li in items] == sorted((numbers[a] for a in asked), key=int)
    first = about[[li.attrs["value"] for li in items].index(numbers["local-newspaper"])]
    n = numbers["local-newspaper"]
    assert first.startswith(f"S{n} About highlight {n}:")
    assert "a local newspaper" in first  # the passage, to find it on paper


def test_student_copy_leaves_room_to_write(site: Path) -> None:
    tree = page(site, "river/handout.html")
    questions = tree.find_all("li", cls="question")
    assert len(questions) == 5
    for li in questions:
        lines = li.find_all("span", cls="line")
        assert len(lines) >= 2
    fields = tree.find("dl", cls="student-fields")
    assert fields is not None and "Name" in text_of(fields)


@pytest.mark.parametrize(("folder", "lang"), [("river", "en"), ("fr/river", "fr")])
def test_both_handouts_have_sift_and_a_glossary(site: Path, folder: str, lang: str) -> None:
    t = i18n.catalogue(lang)
    for kind in ANNOTATED:
        tree = page(site, f"{folder}/{kind}.html")
        sift = tree.find("dl", cls="sift")
        glossary = tree.find("dl", cls="glossary")
        assert sift is not None and len(sift.find_all("dt")) == 4
        assert glossary is not None
        terms = [text_of(dt) for dt in glossary.find_all("dt")]
        assert terms == [t[f"glossary_{k}"] for k in sheets.GLOSSARY]
        for key in ("sourcing", "framing", "missing_context", "paraphrase", "primary_source"):
            assert key in sheets.GLOSSARY


def test_teacher_key_has_notes_answers_sources_and_a_lesson(site: Path) -> None:
    tree = page(site, "river/teacher.html")
    text = text_of(tree)
    assert text.lower().count("pangolin") == 5  # every note, anchored or not
    assert text.count("quokka") == 3            # every answer given
    for url in ("https://example.org/council/river-plan", "https://example.org/minutes"):
        assert url in text
    lesson = tree.find("section", cls="lesson")
    assert lesson is not None
    lesson_text = text_of(lesson)
    t = i18n.catalogue("en")
    for key in ("lesson_objectives", "lesson_timing", "lesson_discussion"):
        assert t[key] in lesson_text
    assert "About 55 minutes" in lesson_text
    # Filled in with the article's own counts: 4 highlights, 3 questions on them, 2 general.
    assert "4 numbered highlights" in lesson_text
    assert "3 questions about highlights, 2 questions about the whole article" in lesson_text
    steps = lesson.find("table", cls="lesson-steps")
    assert steps is not None
    minutes = [int(re.sub(r"\D", "", text_of(th))) for th in steps.find_all("th")]
    assert sum(minutes) == 55


def test_teacher_key_answers_follow_the_student_questions(site: Path) -> None:
    tree = page(site, "river/teacher.html")
    questions = tree.find_all("li", cls="question")
    assert len(questions) == 5
    assert all(li.find(cls="answer") is not None for li in questions)
    no_answer = [li for li in questions if "quokka" not in text_of(li)]
    assert len(no_answer) == 2  # the formality and "search first" questions have no answer
    assert all(i18n.catalogue("en")["handout_no_answer"] in text_of(li) for li in no_answer)


@pytest.mark.parametrize("kind", sheets.KINDS)
def test_handouts_are_self_contained(site: Path, kind: str) -> None:
    page_path = teacher_file(site, f"fr/river/{kind}.html")
    html = page_path.read_text("utf-8")
    tree = parse(html)
    base = (ROOT / "templates/_head.html").read_text("utf-8")
    csp = re.search(r'<meta http-equiv="Content-Security-Policy"[^>]*>', base)
    assert csp is not None and csp.group(0) in html
    assert tree.find("html") is not None
    assert tree.find("html").attrs["lang"] == "fr"  # type: ignore[union-attr]
    for el in tree.find_all("link") + tree.find_all("script") + tree.find_all("img"):
        url = el.attrs.get("href") or el.attrs.get("src", "")
        assert not re.match(r"[a-z]+:|/", url), url
    for link in tree.find_all("link", rel="stylesheet"):
        assert (page_path.parent / link.attrs["href"]).resolve().is_file()
    assert "style=" not in html
    scripts = [s.attrs.get("src") for s in tree.find_all("script")]  # the exercise page's own
    assert scripts == (["../../assets/marks.js", "../../assets/sentences.js",
                        "../../assets/exercise.js"] if kind == sheets.EXERCISE else [])
    for src in scripts:
        assert src is not None and (page_path.parent / src).resolve().is_file()


def test_highlights_are_told_apart_without_colour(site: Path) -> None:
    css = (site / "assets/categories.css").read_text("utf-8")
    styles = re.findall(r"\.hl-(\w+) \{[^}]*border-bottom: 3px (\w+)", css)
    assert len({style for _, style in styles}) == len(styles) == 3
    sheet = (site / "assets/handout.css").read_text("utf-8")
    rule = re.search(r"mark\.hl \{([^}]*)\}", sheet)
    assert rule is not None and "background: none" in rule.group(1)
    assert "border-bottom-style" not in sheet  # the category's line style is kept
    tree = page(site, "river/handout.html")
    legend = tree.find("section", cls="sheet-legend")
    assert legend is not None
    assert [text_of(b) for b in legend.find_all("span", cls="badge")] == ["S", "F", "M"]


def test_article_page_links_to_its_handouts(site: Path, tmp_path: Path) -> None:
    nav = page(site, "river/index.html").find("nav", cls="handout-links")
    assert nav is not None
    hrefs = [a.attrs["href"] for a in nav.find_all("a")]
    # built with --no-pdf: no PDF links, and none to the teacher key, in another folder
    assert hrefs == ["exercise.html", "handout.html"]
    out = tmp_path / "out"
    Builder(LETTER, out, pdf=True).build()
    nav = page(out, "fr/river/index.html").find("nav", cls="handout-links")
    assert nav is not None
    hrefs = [a.attrs["href"] for a in nav.find_all("a")]
    assert hrefs == ["exercise.html", "exercise.pdf", "handout.html", "handout.pdf"]
    for href in hrefs:
        assert (out / "fr/river" / href).is_file()
    assert (teacher_folder(out) / "fr/river/teacher.pdf").is_file()


def test_article_page_has_a_print_stylesheet(site: Path) -> None:
    tree = page(site, "river/index.html")
    sheets = [ln for ln in tree.find_all("link", rel="stylesheet")
              if ln.attrs["href"].endswith("print.css")]
    assert len(sheets) == 1 and sheets[0].attrs["media"] == "print"
    assert (site / "assets/print.css").is_file()


def test_no_pdf_writes_html_handouts_but_no_pdf(site: Path) -> None:
    assert (site / "river/handout.html").is_file()
    assert not list(site.rglob("*.pdf"))
    manifest = json.loads((site / MARKER).read_text("utf-8"))
    assert "pdf_inputs" not in manifest


def test_article_without_questions_gets_handouts_without_that_section(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(NO_QUESTIONS, content)
    out = tmp_path / "out"
    Builder(content, out, pdf=True).build()
    for kind in sheets.KINDS:
        tree = page(out, f"bridge/{kind}.html")
        assert not tree.find_all(cls="sheet-questions")
        assert tree.find("dl", cls="sift") is not None
        assert teacher_file(out, f"bridge/{kind}.pdf").read_bytes().startswith(b"%PDF-")
    assert "pangolin" in text_of(page(out, "bridge/teacher.html"))
    assert "pangolin" not in text_of(page(out, "bridge/handout.html"))


def test_check_makes_no_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    from sitegen.build import builder
    from sitegen.theme import pdf

    def forbidden(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("sitegen check must not make PDFs")

    monkeypatch.setattr(pdf, "html_to_pdf", forbidden)
    assert builder.check(LETTER) == []


@pytest.mark.parametrize("kind", ANNOTATED)
def test_highlights_point_only_to_notes_on_the_same_sheet(site: Path, kind: str) -> None:
    tree = page(site, f"river/{kind}.html")
    targets = [m.attrs["aria-details"] for m in tree.find_all("mark")
               if "aria-details" in m.attrs]
    assert all(tree.by_id(target) is not None for target in targets)
    if kind == sheets.STUDENT:
        assert targets == []
        assert not [m for m in tree.find_all("mark") if "tabindex" in m.attrs]
    else:
        assert len(targets) == 4


@pytest.mark.parametrize("kind", STUDENT_COPIES)
def test_student_copies_leave_the_provenance_to_investigate(site: Path, kind: str) -> None:
    tree = page(site, f"river/{kind}.html")
    html = (site / f"river/{kind}.html").read_text("utf-8")
    for fact in PROVENANCE:
        assert fact not in html
    fields = tree.find("dl", cls="investigate-fields")
    assert fields is not None
    t = i18n.catalogue("en")
    assert [text_of(dt) for dt in fields.find_all("dt")] == [
        t[k] for k in ("outlet", "author", "published", "original_url")]
    assert all(not text_of(dd) for dd in fields.find_all("dd"))  # blank, to fill in
    teacher = text_of(page(site, "river/teacher.html"))
    for fact in PROVENANCE:
        assert fact in teacher


def test_lesson_runs_exercise_then_discussion_then_annotated_reading(site: Path) -> None:
    steps = page(site, "river/teacher.html").find("table", cls="lesson-steps")
    assert steps is not None
    t = i18n.catalogue("en")
    names = [text_of(td.find("strong")) for td in steps.find_all("td")]  # type: ignore[arg-type]
    order = [t[f"lesson_{k}"] + "." for k in ("exercise", "discuss", "annotated")]
    assert [n for n in names if n in order] == order


def outline(tree: Element) -> tuple[str, list[int], str]:
    """The lesson outline's sentence on which questions are asked when, its minutes per
    step, and the text of its SIFT step (the last)."""
    lesson = tree.find("section", cls="lesson")
    assert lesson is not None
    asked = lesson.find("p", cls="lesson-questions")
    steps = lesson.find("table", cls="lesson-steps")
    assert asked is not None and steps is not None
    minutes = [int(re.sub(r"\D", "", text_of(th))) for th in steps.find_all("th")]
    return text_of(asked), minutes, text_of(steps.find_all("td")[-1])


def test_lesson_outline_fits_the_letter_questions(site: Path) -> None:
    """Every question is core: the 3 on passages and the one with no SIFT move in class, the
    one Investigate question (research, alone) as homework."""
    t = i18n.catalogue("en")
    asked, minutes, sift = outline(page(site, "river/teacher.html"))
    assert "In class, about 30 minutes: 3 questions on passages" in asked
    assert "other questions: 1" in asked
    assert "Too long for class: Investigate the source: 1." in asked
    assert t["lesson_later_homework"].split(":")[0] in asked
    assert minutes == [5, 25, 10, 10, 5]
    assert sift == t["lesson_sift"] + ". " + t["lesson_sift_homework_text"]


def test_lesson_outline_fits_the_seed_core_questions(built_seed: Built) -> None:
    """The seed's 10 core questions: 3 on passages, 2 Stop and the first of 2 Find in class
    (about 30 minutes); Investigate 1, Find 1 and Trace 2 given one per group, 4 groups."""
    for lang, folder in (("en", "en/musk-riyadh"), ("fr", "musk-riyadh")):
        t = typography.strings(i18n.catalogue(lang), lang)
        tree = parse((built_seed.teacher / folder / "teacher.html").read_text("utf-8"))
        asked, minutes, sift = outline(tree)

        def counts(*steps: tuple[str, int]) -> str:
            return ", ".join(t["lesson_step_count"].format(step=t[f"sift_{k}"], n=n)  # noqa: B023
                             for k, n in steps)

        in_class = t["lesson_in_class"].format(minutes=30, passages=3,
                                               general=counts(("stop", 2), ("find", 1)))
        later = t["lesson_later_groups"].format(
            n=4, steps=counts(("investigate", 1), ("find", 1), ("trace", 2)))
        assert asked == " ".join(f"{in_class} {later}".split())
        assert minutes == [5, 25, 10, 10, 5] and sum(minutes) == 55
        assert t["lesson_sift_groups_text"].format(n=4).split() == sift.split()[-len(
            t["lesson_sift_groups_text"].split()):]


@pytest.mark.parametrize("kind", STUDENT_COPIES)
def test_student_copies_say_where_to_look_without_an_address(site: Path, kind: str) -> None:
    for lang, folder in EDITIONS.items():
        t = typography.strings(i18n.catalogue(lang), lang)
        box = page(site, f"{folder}/{kind}.html").find("section", cls="sheet-sift")
        assert box is not None
        where = box.find("p", cls="sift-where")
        assert where is not None
        assert text_of(where).split() == f"{t['sift_where_title']} {t['sift_where_text']}".split()
        assert not re.search(r"https?:|www\.|\.(com|org|net)\b", text_of(where))


def core_site(tmp_path: Path, core: tuple[str, ...]) -> Path:
    """The letter fixture with `core: true` on the questions named in ``core`` (annotation
    ids, or "general-1" for the first of `questions:`), built without PDFs."""
    content = tmp_path / "content"
    shutil.copytree(LETTER, content)
    ann = content / "articles/river/annotations.yaml"
    text = ann.read_text("utf-8")
    for name in core:
        if name == "general-1":
            step = "    step: investigate\n"
            text = text.replace(step, step + "    core: true\n")
        else:
            text = text.replace(f"  - id: {name}\n", f"  - id: {name}\n    core: true\n")
    ann.write_text(text, "utf-8")
    out = tmp_path / "out"
    Builder(content, out, pdf=False).build()
    return out


def questions_on(out: Path, kind: str) -> list[str]:
    return [text_of(li) for li in page(out, f"river/{kind}.html").find_all("li", cls="question")]


def test_student_copies_carry_only_the_core_questions(tmp_path: Path) -> None:
    out = core_site(tmp_path, ("historic", "general-1"))
    for kind in STUDENT_COPIES:
        asked = questions_on(out, kind)
        assert len(asked) == 2, kind
        assert any("Whose word is “historic”?" in q for q in asked)
        assert any("Who wrote this story?" in q for q in asked)
    teacher = questions_on(out, sheets.TEACHER)
    assert len(teacher) == 5  # the key has them all, the core ones marked
    core = [q for q in teacher if "(core)" in q]
    assert len(core) == 2 and any("Who wrote this story?" in q for q in core)
    lesson = page(out, "river/teacher.html").find("section", cls="lesson")
    assert lesson is not None
    assert i18n.catalogue("en")["lesson_core"].format(n=2) in text_of(lesson)


def test_without_core_questions_student_copies_carry_all(site: Path) -> None:
    for kind in STUDENT_COPIES:
        assert len(questions_on(site, kind)) == 5
    assert not [q for q in questions_on(site, sheets.TEACHER) if "(core)" in q]


SECRET = {"note", "notes", "answer", "sources", "voices", "provenance", "outlet", "author",
          "published", "original_url", "headline_notes", "article_notes", "notes_in_order",
          "lesson", "panels", "chart"}
"""What only the teacher key and the web page may show."""


def _reachable_fields(view: type) -> set[str]:
    """The name of every field of ``view`` and of every dataclass its fields hold."""
    names: set[str] = set()
    seen: set[type] = set()
    todo = [view]
    while todo:
        cls = todo.pop()
        if cls in seen or not dataclasses.is_dataclass(cls):
            continue
        seen.add(cls)
        hints = typing.get_type_hints(cls)
        for f in dataclasses.fields(cls):
            names.add(f.name)
            todo += [t for t in _types_in(hints[f.name]) if isinstance(t, type)]
    return names


def _types_in(hint: object) -> list[object]:
    return [hint, *(t for arg in typing.get_args(hint) for t in _types_in(arg))]


@pytest.mark.parametrize("view", [StudentView, ExerciseView])
def test_a_student_copy_has_no_field_for_what_students_investigate(view: type) -> None:
    # Confidentiality comes from the type: a student view cannot hold a note or an answer.
    names = _reachable_fields(view)
    assert "questions" in names or "exercise_questions" in names
    assert not names & SECRET, names & SECRET


def test_the_teacher_view_has_what_the_student_views_lack() -> None:
    assert {"note", "answer", "sources", "provenance", "lesson"} <= _reachable_fields(TeacherView)


# Questions at the Stop step come first

SEARCH_FIRST = "What would you search for first?"
WHO_WROTE = "Who wrote this story?"


@pytest.fixture(scope="module")
def stop_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The letter fixture with its second question on the article, written last, at the
    Stop step (built without PDFs)."""
    content = tmp_path_factory.mktemp("stop") / "content"
    shutil.copytree(LETTER, content)
    ann = content / "articles/river/annotations.yaml"
    text = ann.read_text("utf-8")
    written = f'  - {{en: "{SEARCH_FIRST}", fr: "Que chercheriez-vous d\'abord ?"}}\n'
    assert written in text
    ann.write_text(text.replace(written, written.replace("  - {", "  - question: {", 1)
                                + "    step: stop\n"), "utf-8")
    out = content.parent / "out"
    Builder(content, out, pdf=False).build()
    return out


def _order(texts: list[str]) -> list[str]:
    """Each question text reduced to what tells them apart: a general one by its words, a
    question on a passage as "passage"."""
    return [SEARCH_FIRST if SEARCH_FIRST in q else WHO_WROTE if WHO_WROTE in q else "passage"
            for q in texts]


@pytest.mark.parametrize("kind", sheets.KINDS)
def test_a_stop_question_is_asked_before_the_passages_on_every_sheet(stop_site: Path,
                                                                      kind: str) -> None:
    asked = _order(questions_on(stop_site, kind))
    assert asked == [SEARCH_FIRST, "passage", "passage", "passage", WHO_WROTE]
    if kind != sheets.EXERCISE:  # the annotated sheets name the part it opens
        section = page(stop_site, f"river/{kind}.html").find("section",
                                                             cls="questions-first")
        assert section is not None
        assert text_of(section).startswith(i18n.catalogue("en")["handout_questions_first"])
        numbers = [text_of(n) for n in page(stop_site, f"river/{kind}.html").find_all(
            cls="question-number")]
        assert numbers == ["1.", "2."]  # numbered on across the parts


def test_the_article_page_lists_a_stop_question_first(stop_site: Path) -> None:
    panel = page(stop_site, "river/index.html").find("section", cls="questions")
    assert panel is not None
    general = panel.find("ol", cls="question-list")
    assert general is not None
    assert _order([text_of(li) for li in general.find_all("li")]) == [SEARCH_FIRST, WHO_WROTE]


def test_without_a_stop_question_the_order_is_the_order_written(site: Path) -> None:
    for kind in sheets.KINDS:
        assert _order(questions_on(site, kind)) == [
            "passage", "passage", "passage", WHO_WROTE, SEARCH_FIRST], kind
        assert not page(site, f"river/{kind}.html").find(cls="questions-first")
