"""The class page (class.html, in the teacher's folder) in a real Chromium: fed three students'
saved exercise files (made here by the saved file's contract, with real offsets of the seed's
highlights), one from the other edition, one that is not a saved exercise, one damaged, one
saved from another text, and one student's file twice. It counts per highlight who found it
in the explainer's category and in another (checked against the rule computed here), shows
the passages two students marked that no highlight covers, the answers side by side and the
reasons (as text: a file's markup never gets into the page, its scripts never run), names
every file it left out, and makes a CSV whose formula-like cells are kept as text; axe finds
no WCAG 2.2 AA violation. End to end, in the other edition: a file saved on the exercise page
is dropped on the class page opened as a file (file://), which counts it in its own language.
Both use the seed's teacher folder, built beside its site (tests/conftest.py)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from htmltree import parse

from sitegen.views.classroom import FORMAT

from .conftest import DEFAULT_TIMEOUT_MS, SEED_SLUG, TEACHER_MOUNT, Browsing, Monitor
from .test_accessibility import assert_no_axe_violations

SAVED = "2026-12-06T21:00:00.000Z"
HOSTILE = ("<script>alert('from a saved file')</script><img src=x onerror=\"alert('img')\">"
           "<style>main { display: none }</style>")
"""In every saved file's body: the class page must never run it, nor even parse it (the
page's policy would report the handler and the style on the console)."""


@pytest.fixture
def as_file(browser: Any, teacher_dir: Path) -> Iterator[Any]:
    """Open a page of the teacher's folder as a file (file://), checked as every page of the
    browser tests is (conftest's ``browsing``): no console error, no uncaught exception, no
    request outside the folder."""
    contexts: list[Any] = []
    monitors: list[Monitor] = []

    def open_page(path: str) -> Any:
        context = browser.new_context()
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        monitors.append(Monitor(origin=teacher_dir.as_uri()))
        monitors[-1].watch(page)
        page.goto((teacher_dir / path).as_uri())
        return page

    try:
        yield open_page
        for monitor in monitors:
            monitor.assert_clean()
    finally:
        for context in contexts:
            context.close()


def no_dialog(page: Any) -> list[str]:
    """The messages of the dialogs the page opens (none: a saved file's script never runs)."""
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    return dialogs


# --------------------------------------------------------------------------- the files


def page_data(path: Path) -> dict[str, Any]:
    """The class page's own data (its JSON block)."""
    block = parse(path.read_text("utf-8")).by_id("class-data")
    assert block is not None
    data: dict[str, Any] = json.loads(block.text())
    return data


def saved_file(data: dict[str, Any], name: str, marks: list[dict[str, Any]], *,
               answers: dict[str, str] | None = None, fields: dict[str, str] | None = None,
               saved: str = SAVED, **work: Any) -> str:
    """A saved exercise as the contract has it: a readable page, with the work as data."""
    block = {"format": FORMAT, "slug": data["slug"], "lang": data["lang"], "text": data["text"],
             "name": name, "saved": saved, "marks": marks, "answers": answers or {},
             "fields": {"name": name, **(fields or {})}, **work}
    text = json.dumps(block, ensure_ascii=False).replace("<", "\\u003c")
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>My work</title>"
            f'<script type="application/json" id="sitegen-exercise-work">{text}</script>'
            f"</head><body><h1>My work</h1>{HOSTILE}</body></html>\n")


class Text:
    """The canonical text of the page's data, and the found rule of static/marks.js
    computed here, apart from the page's script."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.texts = [(t["start"], t["start"] + len(t["text"])) for t in data["texts"]]
        self.text = "\n\n".join(t["text"] for t in data["texts"])
        self.highlights = data["highlights"]

    def letters(self, a: int, b: int) -> int:
        return sum(1 for ch in self.text[a:b] if not ch.isspace())

    def finds(self, m: dict[str, Any], h: dict[str, Any]) -> bool:
        whole = self.letters(h["start"], h["end"])
        covered = self.letters(max(m["start"], h["start"]), min(m["end"], h["end"]))
        return whole > 0 and 2 * covered >= whole and self.letters(m["start"], m["end"]) <= (
            3 * whole + 100)

    def alone(self, h: dict[str, Any]) -> bool:
        return not any(o is not h and o["start"] < h["end"] and o["end"] > h["start"]
                       for o in self.highlights)

    def gap(self, a: int, b: int, size: int) -> int:
        """The start of ``size`` characters between a and b that no highlight touches."""
        at = a
        while at + size <= b:
            hit = [h for h in self.highlights if h["start"] < at + size and h["end"] > at]
            if not hit:
                return at
            at = max(h["end"] for h in hit)
        raise AssertionError(f"no {size} characters free of highlights in {a}-{b}")


def mark(h: dict[str, Any], category: str | None = None, why: str = "") -> dict[str, Any]:
    return {"start": h["start"], "end": h["end"], "category": category or h["category"],
            "why": why}


# --------------------------------------------------------------------------- the class


def test_the_class_page_counts_the_students_files(browsing: Browsing, teacher_dir: Path,
                                                  tmp_path: Path) -> None:
    path = f"{SEED_SLUG}/class.html"
    data = page_data(teacher_dir / path)
    S, text = data["strings"], Text(data)
    cats = [c["key"] for c in data["categories"]]
    body = text.texts[1:]

    # Cy marks a whole paragraph: too much to find any highlight in it (the paragraph
    # chosen is one where this holds for each of them).
    def swallowed(p: tuple[int, int]) -> bool:
        inside = [h for h in text.highlights if h["start"] < p[1] and h["end"] > p[0]]
        return bool(inside) and not any(text.finds({"start": p[0], "end": p[1]}, h)
                                        for h in inside)
    para = next(p for p in body if swallowed(p))
    elsewhere = [h for h in text.highlights if text.alone(h) and h["start"] >= body[0][0]
                 and not (h["start"] < para[1] and h["end"] > para[0])]
    found, wrong, half = elsewhere[0], elsewhere[1], elsewhere[2]
    other = next(c for c in cats if c != found["category"])
    # A passage no highlight touches, outside Cy's paragraph, that Ana and Ben both mark.
    free = next(p for p in body if p != para and p[1] - p[0] > 200)
    g = text.gap(free[0], free[1], 50)
    q1, q2 = data["questions"][:2]

    files = {
        "ana.html": saved_file(data, "Ana", [
            mark(found, why="<b>no date</b> given"),
            mark(wrong, next(c for c in cats if c != wrong["category"]), why="loaded word"),
            {"start": half["start"], "end": half["start"] + (half["end"] - half["start"]) // 3,
             "category": half["category"], "why": ""},
            {"start": g, "end": g + 40, "category": cats[0], "why": "who says so?"},
            {"start": 5, "end": 10 ** 6, "category": cats[0], "why": "past the end"},
            {"start": g, "end": g + 3, "category": "no-such-category", "why": ""},
        ], answers={q1: "=1+1 is not a source", q2: "Ana's second answer", "bogus": "x"},
            fields={"outlet": "Báo Nghệ An"}),
        "ben.html": saved_file(data, "Ben", [
            mark(found), mark(half), {"start": g + 10, "end": g + 50, "category": cats[1],
                                      "why": ""},
        ], answers={q1: "Ben: the date is missing"}, saved="2026-12-06T21:05:00.000Z"),
        "cy.html": saved_file(data, "Cy", [
            mark(found, other), {"start": para[0], "end": para[1], "category": cats[0],
                                 "why": ""},
        ]),
        "ben-again.html": saved_file(data, "Ben", [mark(found)],
                                     saved="2026-12-06T21:05:00.000Z"),
        "dan-en.html": saved_file({**data, "lang": "en"}, "Dan", [mark(found)]),
        "old-text.html": saved_file({**data, "text": "0" * 16}, "Eve", [mark(found)]),
        "notes.html": "<!DOCTYPE html><html><body><p>My notes on the article</p></body></html>",
        "broken.html": saved_file(data, "Fay", []).replace('"format"', '{"format"', 1),
    }
    for name, html in files.items():
        (tmp_path / name).write_text(html, "utf-8")

    page = browsing.open(f"{TEACHER_MOUNT}/{path}")
    dialogs = no_dialog(page)
    page.set_input_files("#class-files", [str(tmp_path / name) for name in files])
    status = page.locator("#class-status")
    status.filter(has_text=S["read"].format(n=3)).wait_for()

    # Every file left out is named, with why; the others still count.
    refused = page.locator("#class-refused-list li").all_text_contents()
    assert sorted(refused) == sorted([
        S["dropped"].format(file="ana.html", n=2),
        S["twice"].format(file="ben-again.html", other="ben.html"),
        S["other_article"].format(file="dan-en.html", slug=SEED_SLUG, lang="en"),
        S["other_text"].format(file="old-text.html"),
        S["not_saved"].format(file="notes.html"),
        S["damaged"].format(file="broken.html"),
    ])
    assert page.locator("#class-refused").get_attribute("role") == "alert"

    # Per highlight: who found it in the explainer's category, and in another.
    students = {"Ana": json.loads(files_work(files["ana.html"]))["marks"][:4],
                "Ben": json.loads(files_work(files["ben.html"]))["marks"],
                "Cy": json.loads(files_work(files["cy.html"]))["marks"]}
    shown = page.evaluate("""() => [...document.querySelectorAll('tr[data-highlight]')].map(r =>
        [r.dataset.highlight, r.querySelector('[data-found]').textContent,
         r.querySelector('[data-other]').textContent])""")
    expected = []
    for h in text.highlights:
        by = [[m for m in marks if text.finds(m, h)] for marks in students.values()]
        right = sum(1 for ms in by if any(m["category"] == h["category"] for m in ms))
        elsewhere_ = sum(1 for ms in by if ms and not any(m["category"] == h["category"]
                                                          for m in ms))
        expected.append([h["id"], str(right), str(elsewhere_)])
    assert shown == expected
    counts = {row[0]: row[1:] for row in shown}
    assert counts[found["id"]] == ["2", "1"]  # Ana and Ben; Cy in another category
    assert counts[wrong["id"]] == ["0", "1"]
    assert counts[half["id"]] == ["1", "0"]  # Ben; Ana's mark covers a third of it
    inside = [h["id"] for h in text.highlights if h["start"] < para[1] and h["end"] > para[0]]
    assert all(counts[i] == ["0", "0"] for i in inside)  # Cy's paragraph finds none
    who = page.locator(f'tr[data-highlight="{found["id"]}"] .class-who').text_content()
    assert who == "Ana, Ben"

    # The passage Ana and Ben both marked, that no highlight covers.
    rows = page.locator("#class-shared-rows tr")
    assert rows.count() == 1
    assert (rows.get_attribute("data-start"), rows.get_attribute("data-end")) == (
        str(g + 10), str(g + 40))
    assert rows.locator("[data-count]").text_content() == "2"
    assert " ".join(text.text[g + 10:g + 40].split()) in rows.locator("q").text_content()

    # The answers side by side, per student, in the order of the students' names.
    def answers(key: str) -> list[list[str]]:
        items = page.locator(f'[data-answers="{key}"] li')
        return [[items.nth(i).locator(".class-answer-who").text_content(),
                 items.nth(i).locator(".class-answer-text").text_content()]
                for i in range(items.count())]
    assert answers(q1) == [["Ana", "=1+1 is not a source"], ["Ben", "Ben: the date is missing"],
                           ["Cy", S["no_answer"]]]
    assert answers(q2) == [["Ana", "Ana's second answer"], ["Ben", S["no_answer"]],
                           ["Cy", S["no_answer"]]]
    assert "Báo Nghệ An" in page.locator("#class-field-rows").inner_text()

    # Each student's reasons, as text.
    ana = page.locator(".class-student-why").filter(has=page.locator("h3", has_text="Ana"))
    reasons = ana.locator("[data-why]").all_text_contents()
    assert reasons == [m["why"] or S["no_why"]  # in the order of the text
                       for m in sorted(students["Ana"], key=lambda m: (m["start"], m["end"]))]
    assert "<b>no date</b> given" in reasons
    assert page.locator("#class-why-list b, #class-why-list script").count() == 0

    assert_no_axe_violations(page, "class page with three students")

    # The spreadsheet: one row per student, formula-like cells kept as text.
    with page.expect_download() as download:
        page.locator("#class-csv").click()
    assert download.value.suggested_filename == f"class-{SEED_SLUG}-fr.csv"
    table = list(csv.reader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig"),
                                        newline="")))
    head, rows_ = table[0], {row[0]: row for row in table[1:]}
    assert sorted(rows_) == ["Ana", "Ben", "Cy"] and all(len(r) == len(head) for r in table)
    ana_row = dict(zip(head, rows_["Ana"], strict=True))
    assert (ana_row[S["found"]], ana_row[S["other"]], ana_row[S["extra_count"]]) == ("1", "1", "2")
    letter = next(c["letter"] for c in data["categories"] if c["key"] == found["category"])
    found_col = next(c for c in head if c.startswith(f"{letter}{found['number']} "))
    assert ana_row[found_col] == S["csv_found"]
    assert "'=1+1 is not a source" in rows_["Ana"]
    assert any("no date" in cell for cell in rows_["Ana"])
    assert not dialogs, f"a saved file's script ran: {dialogs}"


def files_work(html: str) -> str:
    """The work block of a saved file made by ``saved_file``."""
    block = parse(html).by_id("sitegen-exercise-work")
    assert block is not None
    return block.text()


def test_a_file_saved_on_the_exercise_page_counts_on_the_class_page(
        browsing: Browsing, as_file: Any, teacher_dir: Path) -> None:
    """End to end, in the other edition: a student marks two sentences from the keyboard,
    says why and answers on the exercise page and saves; the teacher drops that file on
    the class page, opened as a file, which counts it in its own language."""
    path = f"en/{SEED_SLUG}/class.html"
    data = page_data(teacher_dir / path)
    S, text = data["strings"], Text(data)
    exercise = browsing.open(f"en/{SEED_SLUG}/exercise.html")
    exercise.locator("#ex-name").fill("Zoé")
    exercise.locator("#ex-text").focus()
    for key in ("ArrowDown", "ArrowDown", "1", "ArrowDown", "ArrowDown", "2"):
        exercise.keyboard.press(key)
    whys = exercise.locator("textarea[data-why]")
    assert whys.count() == 2
    whys.first.fill("Who is speaking here?")
    exercise.locator("textarea[data-answer]").first.fill("I would look for the original post.")
    with exercise.expect_download() as download:
        exercise.locator("#ex-save").click()
    saved = Path(download.value.path()).read_text("utf-8")
    name = download.value.suggested_filename
    work = json.loads(files_work(saved))
    assert len(work["marks"]) == 2

    page = as_file(path)
    dialogs = no_dialog(page)
    handle = page.evaluate_handle("""([html, name]) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([html], name, {type: 'text/html'}));
        return transfer; }""", [saved, name])
    page.dispatch_event("#class-drop", "drop", {"dataTransfer": handle})
    page.locator("#class-status").filter(has_text=S["read"].format(n=1)).wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#class-refused-list li").count() == 0

    shown = page.evaluate("""() => [...document.querySelectorAll('tr[data-highlight]')].map(r =>
        [r.dataset.highlight, r.querySelector('[data-found]').textContent,
         r.querySelector('[data-other]').textContent])""")
    expected = []
    for h in text.highlights:
        by = [m for m in work["marks"] if text.finds(m, h)]
        right = any(m["category"] == h["category"] for m in by)
        expected.append([h["id"], str(int(right)), str(int(bool(by) and not right))])
    assert shown == expected
    assert page.locator("#class-why-list [data-why]").all_text_contents() == [
        "Who is speaking here?", S["no_why"]]
    first = data["questions"][0]
    assert page.locator(f'[data-answers="{first}"] .class-answer-text').all_text_contents() == [
        "I would look for the original post."]
    assert page.locator("#class-student-rows th").all_text_contents() == ["Zoé"]
    assert not dialogs
