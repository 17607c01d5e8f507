"""The exercise page in a real Chromium, as a student working alone uses it: at 1280 px with a
mouse (the French edition) and at 375 px with touch (the English one, which has a
translation). One page session per width goes through the whole work:

- the categories are explained beside the tools, line numbers show in the gutter, and the
  page does not scroll sideways (at 320 px either);
- a passage selected by a real mouse drag (wide) or by touch (narrow: Chromium cannot drag
  native touch selection handles, so the selection is set with a DOM range after a tap, as a
  handle drag leaves it) brings the category buttons on screen (beside it, or in a bar at the
  bottom), in the last paragraph too; a number key marks the selection, never the headline;
  with nothing selected a key marks nothing and says so;
- each mark has its own "why" box, kept across a reload and in the saved file;
- Compare warns first, then sorts every highlight into found / other-category / missed by
  the rule of static/marks.js, recomputed here; it survives a visit to the explainer's note;
- the saved file is named after the student and the day, and carries the work as data;
- "Not you?" saves the previous student's work to a file, then starts a new copy;
- marking every sentence, every paragraph and the whole text never gives full marks.
axe finds no WCAG 2.2 AA violation, fresh and comparing. Every page opened also fails the
test on a console error or a request to another host (conftest)."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from htmltree import parse

from .conftest import EDITIONS, NARROW, SEED_SLUG, WIDE, Browsing, edition_prefix
from .test_accessibility import assert_no_axe_violations

ANSWER = "Je chercherais le texte en ligne, avec son titre exact."
OUTLET = "Báo Nghệ An ?"
NAME = "Ana María"
WHY = 'Aucune source nommée </script><b>"ok"</b>'

_RULE = (ROOT / "static/marks.js").read_text("utf-8")
SPREAD = int(re.search(r"var SPREAD = (\d+);", _RULE)[1])  # type: ignore[index]
SLACK = int(re.search(r"var SLACK = (\d+);", _RULE)[1])  # type: ignore[index]

# The page's own data: the texts (code-point offsets) and the explainer's highlights.
PAGE_DATA_JS = """
() => ({
  texts: [...document.querySelectorAll('#ex-text .ex-text')].map(el => ({
    start: +el.dataset.start, text: el.textContent})),
  highlights: [...document.querySelectorAll('.ex-key li')].map(li => ({
    number: +li.dataset.number, category: li.dataset.category,
    start: +li.dataset.start, end: +li.dataset.end})),
  categories: [...document.querySelectorAll('.ex-categories li')].map(li => li.dataset.key),
  fingerprint: document.getElementById('exercise').dataset.text,
})
"""

# Where on screen a code point of the canonical text is: the box of that character.
CHAR_BOX_JS = """
(offset) => {
  for (const el of document.querySelectorAll('#ex-text .ex-text')) {
    let left = offset - (+el.dataset.start);
    if (left < 0) continue;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const chars = Array.from(node.data);
      if (left < chars.length) {
        const at = chars.slice(0, left).join('').length;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + chars[left].length);
        const r = range.getBoundingClientRect();
        return {x: r.left, y: r.top, w: r.width, h: r.height};
      }
      left -= chars.length;
    }
  }
  return null;
}
"""

# A selection from code point a to b, set as a finger's selection handles leave it.
SELECT_JS = """
([a, b]) => {
  function at(offset) {
    for (const el of document.querySelectorAll('#ex-text .ex-text')) {
      let left = offset - (+el.dataset.start);
      if (left < 0) continue;
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const chars = Array.from(node.data);
        if (left <= chars.length) return [node, chars.slice(0, left).join('').length];
        left -= chars.length;
      }
    }
  }
  const range = document.createRange();
  range.setStart(...at(a));
  range.setEnd(...at(b));
  getSelection().removeAllRanges();
  getSelection().addRange(range);
}
"""

IN_VIEW_JS = """
(selector) => {
  const r = document.querySelector(selector).getBoundingClientRect();
  return r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth;
}
"""

STORED_JS = "(key) => JSON.parse(localStorage.getItem(key) || 'null')"


def exercise_path(lang: str) -> str:
    return f"{edition_prefix(lang)}{SEED_SLUG}/exercise.html"


def store_key(lang: str, site: str = "/") -> str:
    """Where the page keeps a student's work: per site (its folder on the origin), article
    and edition."""
    return f"sitegen-exercise:{site}:{SEED_SLUG}:{lang}"


def letters(texts: list[dict[str, Any]], a: int, b: int) -> int:
    """Non-space characters of the canonical text between a and b (the rule's letters)."""
    count = 0
    for t in texts:
        chars = list(t["text"])
        lo, hi = max(a, t["start"]), min(b, t["start"] + len(chars))
        if hi > lo:
            count += sum(1 for ch in chars[lo - t["start"]:hi - t["start"]] if not ch.isspace())
    return count


def finds(texts: list[dict[str, Any]], m: dict[str, Any], h: dict[str, Any]) -> bool:
    """The rule of static/marks.js, computed apart from the page's script."""
    whole = letters(texts, h["start"], h["end"])
    covered = letters(texts, max(m["start"], h["start"]), min(m["end"], h["end"]))
    return (whole > 0 and 2 * covered >= whole
            and letters(texts, m["start"], m["end"]) <= SPREAD * whole + SLACK)


def expected_results(data: dict[str, Any], marks: list[dict[str, Any]]) -> dict[int, str]:
    """Highlight number → found / other-category / missed."""
    out = {}
    for h in data["highlights"]:
        by = [m for m in marks if finds(data["texts"], m, h)]
        out[h["number"]] = ("found" if any(m["category"] == h["category"] for m in by)
                            else "other-category" if by else "missed")
    return out


def lone_highlights(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Highlights overlapping no other, inside one paragraph of the body, one per paragraph."""
    texts = data["texts"][1:]
    chosen: list[dict[str, Any]] = []
    used: set[int] = set()
    for h in data["highlights"]:
        home = [i for i, t in enumerate(texts)
                if t["start"] <= h["start"] and h["end"] <= t["start"] + len(t["text"])]
        alone = not any(o is not h and o["start"] < h["end"] and o["end"] > h["start"]
                        for o in data["highlights"])
        if home and home[0] not in used and alone and h["end"] - h["start"] >= 8:
            chosen.append(h)
            used.add(home[0])
    return chosen


def sentences(texts: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """The texts cut after . ! ? … and closing quotes, as the keyboard goes through them."""
    return [(t["start"] + m.start(), t["start"] + m.end()) for t in texts
            for m in re.finditer(r"\S.*?(?:[.!?…]+[»\"”’)\]]*(?=\s)|$)", t["text"], re.S)]


def drag_select(page: Any, start: int, end: int) -> None:
    """Select the text from code point ``start`` to ``end`` with the mouse."""
    box = page.evaluate(CHAR_BOX_JS, start)
    page.evaluate("(y) => window.scrollBy(0, y)", box["y"] - 300)
    first = page.evaluate(CHAR_BOX_JS, start)
    last = page.evaluate(CHAR_BOX_JS, end - 1)
    page.mouse.move(first["x"] + 1, first["y"] + first["h"] / 2)
    page.mouse.down()
    page.mouse.move(last["x"] + last["w"] - 1, last["y"] + last["h"] / 2, steps=5)
    page.mouse.up()


def select(page: Any, start: int, end: int, *, touch: bool) -> None:
    """Select a passage as the width's user does: a mouse drag, or a tap then handles."""
    if not touch:
        drag_select(page, start, end)
        return
    box = page.evaluate(CHAR_BOX_JS, start)
    page.evaluate("(y) => window.scrollBy(0, y)", box["y"] - 200)
    box = page.evaluate(CHAR_BOX_JS, start)
    page.touchscreen.tap(box["x"] + 1, box["y"] + box["h"] / 2)
    page.evaluate(SELECT_JS, [start, end])
    # The page hears of a selection on the next "selectionchange", dispatched as a task.
    page.wait_for_function("() => document.getElementById('ex-toolbar').matches('.ex-docked')")


def marks_of(page: Any, store: str) -> list[dict[str, Any]]:
    return page.evaluate(STORED_JS, store)["marks"]  # type: ignore[no-any-return]


def saved_work(download: Any) -> tuple[str, dict[str, Any]]:
    """A saved file's text and its data block (the contract with the class page)."""
    saved = Path(download.path()).read_text("utf-8")
    blocks = [s for s in parse(saved).find_all("script")
              if s.attrs.get("id") == "sitegen-exercise-work"]
    assert len(blocks) == 1 and blocks[0].attrs.get("type") == "application/json"
    raw = blocks[0].text()
    assert "<" not in raw  # every "<" is written \u003c: nothing can end the block early
    return saved, json.loads(raw)


@pytest.mark.parametrize(("viewport", "lang"), [(WIDE, "fr"), (NARROW, "en")],
                         ids=["1280px-mouse-fr", "375px-touch-en"])
def test_a_student_alone_marks_says_why_compares_saves_and_hands_over(
        browsing: Browsing, viewport: dict[str, int], lang: str) -> None:
    touch = viewport is NARROW
    page = browsing.open(exercise_path(lang), viewport=viewport, accept_downloads=True)
    page.on("dialog", lambda dialog: dialog.accept())
    store = store_key(lang)
    data = page.evaluate(PAGE_DATA_JS)
    texts = data["texts"]
    assert data["highlights"] and len(data["categories"]) >= 3
    assert not page.locator("#ex-text mark").count()  # the bare article

    # The categories are explained beside the tools; line numbers are in the gutter.
    legend = page.locator(".ex-legend li")
    assert legend.count() == len(data["categories"])
    for i in range(legend.count()):
        assert len(legend.nth(i).inner_text().split()) > 3  # a label and a description
    numbers = page.eval_on_selector_all(
        "#ex-text .ln", "ls => ls.map(l => getComputedStyle(l, '::before').content)")
    assert numbers and all(n.strip('"').isdigit() for n in numbers)
    line = page.locator("#ex-text .ln").first.bounding_box()
    assert line["x"] > 0
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    if touch:
        page.set_viewport_size({"width": 320, "height": 700})
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        page.set_viewport_size(viewport)
        assert not page.locator(".ex-tag kbd").first.is_visible()  # no keyboard hints
        assert not page.locator("#ex-keys").is_visible()

    page.locator("#ex-name").fill(NAME)
    page.locator("#field-outlet").fill(OUTLET)
    page.locator("textarea[data-answer]").first.fill(ANSWER)

    # A key with nothing selected marks nothing (the headline least of all), and says so.
    first, second = lone_highlights(data)[:2]
    if not touch:
        page.locator("#ex-text .ex-text").nth(1).click()  # a mouse in the text, no selection
        page.keyboard.press("1")
        assert page.evaluate(STORED_JS, store)["marks"] == []
        assert page.locator("#ex-status").inner_text().strip()

    # The first passage, in its own category: with a number key on the wide screen (after a
    # real mouse drag), with a tap on a button of the bottom bar on the narrow one.
    right = data["categories"].index(first["category"])
    select(page, first["start"], first["end"], touch=touch)
    toolbar = page.locator("#ex-toolbar")
    assert ("ex-docked" if touch else "ex-adder") in (toolbar.get_attribute("class") or "")
    assert page.evaluate(IN_VIEW_JS, "#ex-toolbar")
    if touch:
        page.locator(f'.ex-tag[data-category="{first["category"]}"]').tap()
    else:
        page.keyboard.press(str(right + 1))
    assert [(m["start"], m["end"], m["category"]) for m in marks_of(page, store)] == [
        (first["start"], first["end"], first["category"])]
    assert page.locator("#ex-toolbar.ex-adder, #ex-toolbar.ex-docked").count() == 0

    # The second in another category, with a button.
    wrong = next(c for c in data["categories"] if c != second["category"])
    select(page, second["start"], second["end"], touch=touch)
    button = page.locator(f'.ex-tag[data-category="{wrong}"]')
    button.tap() if touch else button.click()
    # The last paragraph: the buttons come with it, at the bottom of the page.
    last = texts[-1]
    select(page, last["start"], last["start"] + 12, touch=touch)
    assert page.evaluate(IN_VIEW_JS, "#ex-toolbar")
    button = page.locator(f'.ex-tag[data-category="{data["categories"][0]}"]')
    button.tap() if touch else button.click()
    marks = marks_of(page, store)
    assert [(m["start"], m["category"]) for m in marks][1:] == [
        (second["start"], wrong), (last["start"], data["categories"][0])]

    # Each mark has its own "why" box, each named apart.
    whys = page.locator("textarea[data-why]")
    assert whys.count() == 3
    drawn = set(page.eval_on_selector_all("#ex-text mark[data-mark]",
                                          "ms => ms.map(m => m.dataset.mark)"))
    assert drawn == {whys.nth(i).get_attribute("data-why") for i in range(3)}
    names = [page.evaluate("(el) => el.labels[0].textContent", whys.nth(i).element_handle())
             for i in range(3)]
    assert len(set(names)) == 3
    removes = page.locator(".ex-remove")
    assert len({removes.nth(i).inner_text() for i in range(3)}) == 3
    whys.first.fill(WHY)

    if lang == "en":  # our translation, under each paragraph on demand; marks stay put
        translations = page.locator("#ex-text .ex-translation")
        assert translations.count() >= len(texts) - 1 and not translations.first.is_visible()
        page.locator("#ex-translation-toggle").tap()
        assert translations.first.is_visible() and translations.last.is_visible()
        assert not page.locator("#ex-text .ex-translation mark").count()

    page.reload()
    assert page.locator("textarea[data-why]").first.input_value() == WHY
    assert page.locator("#ex-name").input_value() == NAME
    assert len(marks_of(page, store)) == 3
    assert_no_axe_violations(page, f"exercise with marks ({lang}, {viewport['width']}px)")

    # Compare: a warning first, then the results, by the rule.
    page.locator("#ex-compare").click()
    assert page.locator("#ex-results").is_hidden()
    assert page.locator("#ex-compare-note").inner_text().strip()
    page.locator("#ex-compare").click()
    assert page.locator("#ex-results").is_visible()
    expected = expected_results(data, marks_of(page, store))
    rows = page.locator("#ex-result-list li[data-result]")
    shown = {int(rows.nth(i).get_attribute("data-number")): rows.nth(i).get_attribute("data-result")
             for i in range(rows.count())}
    assert shown == expected
    assert expected[first["number"]] == "found"
    assert expected[second["number"]] == "other-category"
    assert "missed" in expected.values()
    extras = sum(1 for m in marks_of(page, store)
                 if not any(finds(texts, m, h) for h in data["highlights"]))
    assert page.locator("#ex-extra-list li[data-mark]").count() == extras
    link = page.locator(f'#ex-result-list li[data-number="{first["number"]}"] a')
    assert link.get_attribute("href") == f"index.html#highlight-{first['number']}"
    assert_no_axe_violations(page, f"exercise, compared ({lang}, {viewport['width']}px)")
    link.click()
    # The explainer, with the highlight's note open (its address becomes the note's), before
    # going back: a Back while it still loads may be lost.
    page.wait_for_url(re.compile(rf".*{SEED_SLUG}/index\.html#note-[\w-]+$"))
    page.go_back()
    assert page.locator("#ex-results").is_visible()
    assert page.locator("#ex-result-list li[data-result]").count() == len(expected)

    # Save: named after the student and the day, the work as data and readable.
    with page.expect_download() as info:
        page.locator("#ex-save").click()
    today = datetime.date.today().isoformat()
    assert info.value.suggested_filename == f"exercise-{SEED_SLUG}-{lang}-ana-maria-{today}.html"
    saved, work = saved_work(info.value)
    assert work["format"] == "sitegen-exercise/1" and work["name"] == NAME
    assert (work["slug"], work["lang"], work["text"]) == (SEED_SLUG, lang, data["fingerprint"])
    assert [(m["start"], m["end"], m["category"]) for m in work["marks"]] == sorted(
        (m["start"], m["end"], m["category"]) for m in marks_of(page, store))
    assert work["marks"][0]["why"] == WHY
    assert ANSWER in work["answers"].values() and work["fields"]["outlet"] == OUTLET
    text = " ".join(parse(saved).text().split())
    assert ANSWER in text and OUTLET in text and WHY in text

    # The next student: "Not you?" keeps the work in a file, then a new copy.
    page.reload()
    assert page.locator("#ex-not-you").is_visible()
    assert NAME in page.locator("#ex-not-you").inner_text()
    with page.expect_download() as info:
        page.locator("#ex-new-copy").click()
    _, old = saved_work(info.value)
    assert old["name"] == NAME and len(old["marks"]) == 3
    assert page.locator("#ex-name").input_value() == ""
    assert page.locator("#ex-text mark").count() == 0
    assert page.locator("#ex-results").is_hidden()
    assert not (page.evaluate(STORED_JS, store) or {}).get("marks")
    page.reload()
    assert page.locator("#ex-not-you").is_hidden()
    assert page.locator("textarea[data-answer]").first.input_value() == ""
    page.locator("#ex-compare").click()  # nothing marked: it says so, and shows nothing
    assert page.locator("#ex-compare-note").inner_text().strip()
    assert page.locator("#ex-results").is_hidden()
    assert_no_axe_violations(page, f"exercise ({lang}, {viewport['width']}px)")


def test_marking_everything_never_gives_full_marks(browsing: Browsing) -> None:
    """Every sentence, every paragraph and the whole text, each in every category."""
    lang = "fr"
    page = browsing.open(exercise_path(lang))
    data = page.evaluate(PAGE_DATA_JS)
    texts = data["texts"]
    # On the way, the keyboard alone: Tab into the text, three sentences on, key 2; the
    # buttons come beside the sentence.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "ex-text":
            break
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    assert "ex-adder" in (page.locator("#ex-toolbar").get_attribute("class") or "")
    assert page.evaluate(IN_VIEW_JS, "#ex-toolbar")
    page.keyboard.press("2")
    keyed = page.evaluate(STORED_JS, store_key(lang))["marks"]
    assert [m["category"] for m in keyed] == [data["categories"][1]]
    assert [(m["start"], m["end"]) for m in keyed] == [sentences(texts)[3]]
    spans = [(t["start"], t["start"] + len(t["text"])) for t in texts]
    spans.append((texts[0]["start"], spans[-1][1]))
    spans += sentences(texts)
    every = [(a, b, c) for a, b in spans for c in data["categories"]]
    marks = [{"id": i, "start": a, "end": b, "category": c, "why": ""}
             for i, (a, b, c) in enumerate(every, 1)]
    kept = {"marks": marks, "answers": {}, "fields": {}, "next": len(marks) + 1,
            "comparing": True}
    page.evaluate("([key, kept]) => localStorage.setItem(key, JSON.stringify(kept))",
                  [store_key(lang), kept])
    page.reload()
    rows = page.locator("#ex-result-list li[data-result]")
    assert rows.count() == len(data["highlights"])
    found = page.locator('#ex-result-list li[data-result="found"]').count()
    expected = expected_results(data, marks)
    assert found == sum(1 for r in expected.values() if r == "found")
    assert found < len(data["highlights"])


def test_explainer_links_to_the_exercise(browsing: Browsing) -> None:
    for lang in EDITIONS:
        page = browsing.open(f"{edition_prefix(lang)}{SEED_SLUG}/index.html")
        link = page.locator('a[href="exercise.html"]')
        assert link.count() >= 1
        link.first.click()
        assert page.url.endswith(exercise_path(lang))
        assert json.loads(page.locator("#exercise").get_attribute("data-strings") or "{}")


def test_two_sites_on_one_origin_keep_their_work_apart(browsing: Browsing,
                                                       site_dir: Path) -> None:
    """A second copy of the site under /copy/ on the same origin, its two questions keyed
    "constructor" and "__proto__": an answer given on one site is not on the other, and
    those keys start empty (not Object's own), keep what is typed, and save it."""
    lang = "en"
    page = browsing.open(exercise_path(lang), accept_downloads=True)
    page.locator("textarea[data-answer]").first.fill(ANSWER)
    assert ANSWER in page.evaluate(STORED_JS, store_key(lang))["answers"].values()

    def copy(route: Any) -> None:
        path = route.request.url.removeprefix(browsing.base_url + "copy/").split("?")[0]
        body = (site_dir / path).read_bytes()
        if path.endswith("exercise.html"):
            keys = re.findall(rb'data-answer="([^"]+)"', body)[:2]
            assert len(keys) == 2
            for key, odd in zip(keys, (b"constructor", b"__proto__"), strict=True):
                body = body.replace(b'"' + key + b'"', b'"' + odd + b'"')
        kind = {".html": "text/html", ".js": "text/javascript", ".css": "text/css"}
        route.fulfill(body=body, content_type=kind.get(Path(path).suffix, "text/plain"))

    page.route(browsing.base_url + "copy/**", copy)
    page.goto("copy/" + exercise_path(lang))
    boxes = page.locator("textarea[data-answer]")
    assert boxes.evaluate_all("bs => bs.map(b => b.value)") == [""] * boxes.count()
    odd = page.locator('textarea[data-answer="constructor"]')
    odd.fill("Mine")
    page.reload()
    assert odd.input_value() == "Mine"
    assert page.locator('textarea[data-answer="__proto__"]').input_value() == ""
    kept = page.evaluate(STORED_JS, store_key(lang, "/copy/"))
    assert kept["answers"] == {"constructor": "Mine"} and kept["fields"] == {}
    with page.expect_download() as info:
        page.locator("#ex-save").click()
    saved, work = saved_work(info.value)
    assert (work["answers"]["constructor"], work["answers"]["__proto__"]) == ("Mine", "")
    assert set(work["answers"].values()) == {"Mine", ""}
    assert "native code" not in saved
    page.goto(exercise_path(lang))  # the first site's work is still its own
    assert page.locator("textarea[data-answer]").first.input_value() == ANSWER
