"""The seed explainer in a real browser, in both editions: highlights, category switches,
keyboard use, visible focus, layout at phone and desktop widths, and the page without
JavaScript. Every test also fails on a console error or a request to another host (conftest).
The walks through every highlight take the cells of conftest.walk_cells."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from playwright.sync_api import expect

from .colours import COLOUR_HELPERS_JS, contrast_ratio
from .conftest import (
    CONTENT,
    EDITIONS,
    NARROW,
    WIDE,
    Browsing,
    Explainer,
    each_once,
    explainer_path,
    walk_cells,
)

CATEGORIES = list(yaml.safe_load((CONTENT / "site.yaml").read_text(encoding="utf-8"))["categories"])
MIN_NOTE_FONT_PX = 14  # notes are body text, not fine print
MIN_NOTE_WIDTH_PX = 240  # narrower than this a note is a column of a few words a line


# What a highlight looks like: its own background and underline, and the number before its
# first piece (CSS ::before: the mark itself holds only article text).
HIGHLIGHT_STYLE_JS = """
(mark) => {
  const s = getComputedStyle(mark);
  const before = getComputedStyle(mark, '::before');
  const rect = mark.getBoundingClientRect();
  return {
    background: s.backgroundColor,
    border: s.borderBottomStyle === 'none' ? 0 : parseFloat(s.borderBottomWidth),
    before: before.display === 'none' ? '' : before.content,
    visible: rect.width > 0 && rect.height > 0 && s.visibility === 'visible',
    tabindex: mark.getAttribute('tabindex'),
  };
}
"""

TRANSPARENT = "rgba(0, 0, 0, 0)"


def highlight_style(page: Any, mark_id: str) -> dict[str, Any]:
    style: dict[str, Any] = page.locator(f"#{mark_id}").evaluate(HIGHLIGHT_STYLE_JS)
    return style


def assert_highlighted(page: Any, mark_id: str, number: str) -> None:
    style = highlight_style(page, mark_id)
    assert style["visible"], f"{mark_id} is not on screen"
    assert style["background"] != TRANSPARENT, f"{mark_id} has no highlight colour"
    assert style["border"] >= 2, f"{mark_id} has no underline (the cue that is not colour)"
    assert number in style["before"], f"{mark_id} does not show its number {number}"


def assert_not_highlighted(page: Any, mark_id: str) -> None:
    style = highlight_style(page, mark_id)
    assert style["visible"], f"{mark_id}: the article text itself must stay"
    assert style["background"] == TRANSPARENT, f"{mark_id} is still coloured"
    assert style["border"] == 0, f"{mark_id} is still underlined"
    assert style["before"] in ("", "none"), f"{mark_id} still shows its number"


def accessible_text(page: Any, selector: str) -> dict[str, str]:
    """The role, name and description Chromium gives the element ``selector`` finds, as a
    screen reader gets them (CDP Accessibility, not Playwright's own computation)."""
    cdp = page.context.new_cdp_session(page)
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    ax = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node, "fetchRelatives": False})
    found = ax["nodes"][0]
    cdp.detach()
    return {key: str((found.get(key) or {}).get("value", "")) for key in
            ("role", "name", "description")}


def first_pieces(page: Any) -> list[dict[str, str]]:
    """Each highlight's first piece (the one that carries its id, number and aria-details)."""
    pieces: list[dict[str, str]] = page.eval_on_selector_all(
        "mark.hl[aria-details]",
        """marks => marks.map(m => ({
            id: m.id, annotation: m.dataset.annotation, number: m.dataset.number,
            note: m.getAttribute('aria-details'),
            category: [...m.classList].find(c => c.startsWith('hl-') && c !== 'hl-start'
                                            && c !== 'hl-end').slice(3)}))""",
    )
    assert pieces, "the explainer has no highlight"
    return pieces


# --------------------------------------------------------------------------- highlights


@pytest.mark.parametrize("lang", EDITIONS)
def test_every_highlight_is_visible_numbered_and_tied_to_its_note(
    browsing: Browsing, lang: str
) -> None:
    page = browsing.open(explainer_path(lang))
    pieces = first_pieces(page)
    assert [int(p["number"]) for p in pieces] == list(range(1, len(pieces) + 1)), (
        "highlights are not numbered 1, 2, 3… in the order they start in the text"
    )
    assert {p["category"] for p in pieces} == set(CATEGORIES), "a category has no highlight"
    for p in pieces:
        assert_highlighted(page, p["id"], p["number"])
        assert p["note"] == f"note-{p['annotation']}"
        expect(page.locator(f"#{p['note']}")).to_be_attached()
        # Heard: the category and number, once, and not the badge's letters glued on.
        label = page.locator(f"input.category-toggle[value='{p['category']}'] ~ strong")
        category = label.inner_text().strip()
        heard = accessible_text(page, f"#{p['id']}")
        spoken = heard["name"] + " | " + heard["description"]
        assert f"{category} {p['number']}" in spoken, f"{p['id']} is heard as {heard}"
        assert spoken.count(category) == 1, f"{p['id']}: the category is heard twice: {heard}"
        letter = page.locator(f"#{p['note']} .badge").inner_text().strip()
        assert not heard["name"].startswith(letter), f"{p['id']}: the badge is heard: {heard}"
    # Every piece of a highlight split across elements is highlighted too.
    for mark in page.locator("mark.hl:not([aria-details])").all():
        style = mark.evaluate(HIGHLIGHT_STYLE_JS)
        assert style["visible"] and style["background"] != TRANSPARENT, mark.inner_html()


@pytest.mark.parametrize("lang", EDITIONS)
def test_switching_a_category_off_hides_its_highlights_and_notes_and_on_shows_them(
    browsing: Browsing, lang: str
) -> None:
    page = browsing.open(explainer_path(lang))
    pieces = first_pieces(page)
    for category in CATEGORIES:
        switch = page.locator(f"input.category-toggle[value='{category}']")
        expect(switch).to_be_visible()
        expect(switch).to_be_checked()
        switch.uncheck()
        for p in pieces:
            if p["category"] == category:
                assert_not_highlighted(page, p["id"])
                assert p_tabindex(page, p) == "-1", f"hidden {p['id']} is still a tab stop"
            else:
                assert_highlighted(page, p["id"], p["number"])

        switch.focus()
        page.keyboard.press("Space")  # the switches work from the keyboard too
        expect(switch).to_be_checked()
        for p in pieces:
            assert_highlighted(page, p["id"], p["number"])
            assert p_tabindex(page, p) == "0"


def p_tabindex(page: Any, piece: dict[str, str]) -> str | None:
    value: str | None = page.locator(f"#{piece['id']}").get_attribute("tabindex")
    return value


# --------------------------------------------------------------------------- keyboard

# The focused element, and whether a reader can see where focus is: an outline (or a box
# shadow) at least 2 px wide whose colour stands out 3:1 from what surrounds the element.
FOCUS_JS = (
    "() => {"
    + COLOUR_HELPERS_JS
    + """
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const width = s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth);
  const [bg] = backdrop(el.parentElement || el);
  return {
    tag: el.tagName.toLowerCase(), id: el.id, text: (el.textContent || '').trim().slice(0, 40),
    annotation: el.matches('mark.hl') ? el.dataset.annotation : null,
    focusVisible: el.matches(':focus-visible'),
    outlineWidth: width, outline: rgba(s.outlineColor), shadow: s.boxShadow, backdrop: bg,
  };
}
"""
)


def assert_focus_visible(focus: dict[str, Any] | None, what: str) -> None:
    assert focus is not None, f"{what}: focus was lost (on <body>)"
    where = f"{what}: <{focus['tag']} id={focus['id']!r}> {focus['text']!r}"
    if focus["shadow"] == "none":
        assert focus["outlineWidth"] >= 2, f"{where} has no visible focus indicator"
        ratio = contrast_ratio(focus["outline"], focus["backdrop"])
        assert ratio >= 3, f"{where}: focus outline contrast {ratio:.2f}:1 < 3:1"


@walk_cells(NARROW, WIDE)
def test_tab_reaches_every_highlight_in_order_with_focus_always_visible(
    browsing: Browsing, explainer: Explainer, viewport: dict[str, int]
) -> None:
    page = browsing.open(explainer.path, viewport=viewport)
    expected = [p["annotation"] for p in first_pieces(page)]
    if not explainer.every:
        expected = expected[:3]  # the other edition: up to the third highlight
    tab_stops = page.evaluate(
        "document.querySelectorAll('a[href], button, input, summary, [tabindex]').length"
    )
    reached: list[str] = []
    first: tuple[str, str] | None = None
    for n in range(tab_stops + 5):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_JS)
        if focus is None and n > 0:
            break  # past the last tab stop
        assert_focus_visible(focus, f"Tab #{n + 1}")
        assert focus is not None
        here = (focus["tag"], focus["id"] + focus["text"])
        if here == first:
            break  # wrapped around
        first = first or here
        if focus["annotation"]:
            reached.append(focus["annotation"])
            if not explainer.every and len(reached) == len(expected):
                break
    assert reached == expected, "Tab does not reach every highlight once, in reading order"


@walk_cells(NARROW, WIDE)
def test_enter_or_space_shows_the_note_and_escape_returns_focus(
    browsing: Browsing, explainer: Explainer, viewport: dict[str, int]
) -> None:
    page = browsing.open(explainer.path, viewport=viewport)
    pieces = first_pieces(page)
    for i in explainer.walked(len(pieces)):
        p = pieces[i]
        mark = page.locator(f"#{p['id']}")
        note = page.locator(f"#{p['note']}")
        key = "Enter" if i % 2 == 0 else "Space"
        mark.focus()
        assert_focus_visible(page.evaluate(FOCUS_JS), f"{p['id']} focused")
        page.keyboard.press(key)
        expect(note).to_be_visible()
        expect(note).to_be_in_viewport()
        expect(note).to_be_focused()
        assert_focus_visible(page.evaluate(FOCUS_JS), f"{key} on {p['id']}")
        assert_note_readable(note, viewport, p["note"])

        page.keyboard.press("Escape")
        expect(mark).to_be_focused()
        assert_focus_visible(page.evaluate(FOCUS_JS), f"Escape from {p['note']}")

        if i % 3 == 0:  # Escape from a link or control inside the note returns focus too
            page.keyboard.press(key)
            expect(note).to_be_focused()
            page.keyboard.press("Tab")
            inside = note.evaluate("n => n.contains(document.activeElement)")
            assert inside, f"Tab from {p['note']} leaves the note"
            page.keyboard.press("Escape")
            expect(mark).to_be_focused()


# --------------------------------------------------------------------------- layout

NOTE_BOX_JS = """
(note) => {
  const r = note.getBoundingClientRect();
  const s = getComputedStyle(note);
  return {left: r.left, right: r.right, width: r.width, fontSize: parseFloat(s.fontSize),
          clipped: note.scrollWidth > note.clientWidth + 1,
          text: note.innerText.trim().length};
}
"""


def assert_note_readable(note: Any, viewport: dict[str, int], what: str) -> None:
    box = note.evaluate(NOTE_BOX_JS)
    assert box["text"] > 0, f"{what} is empty"
    assert box["left"] >= 0 and box["right"] <= viewport["width"], (
        f"{what} leaves the screen: {box}"
    )
    assert box["width"] >= min(MIN_NOTE_WIDTH_PX, viewport["width"] - 40), (
        f"{what} too narrow {box}"
    )
    assert box["fontSize"] >= MIN_NOTE_FONT_PX, f"{what}: {box['fontSize']} px text"
    assert not box["clipped"], f"{what} is cut off: {box}"


# --------------------------------------------------------------------------- no JavaScript


@each_once(NARROW, WIDE)
def test_without_javascript_every_note_is_readable(
    browsing: Browsing, lang: str, viewport: dict[str, int]
) -> None:
    page = browsing.open(explainer_path(lang), viewport=viewport, java_script_enabled=False)
    assert page.evaluate("1 + 1") == 2  # Playwright's own evaluation still works
    assert "no-js" in (page.locator("html").get_attribute("class") or "")
    notes = page.locator("[id^='note-']")
    ids = page.eval_on_selector_all(
        "mark.hl[aria-details]", "ms => ms.map(m => m.dataset.annotation)"
    )
    assert ids, "the explainer has no highlight"
    for annotation in ids:
        expect(page.locator(f"#note-{annotation}")).to_be_visible()
    for i in range(notes.count()):
        note = notes.nth(i)
        expect(note).to_be_visible()
        assert_note_readable(note, viewport, note.get_attribute("id") or "")
    # Each highlight links to its note: a link under its paragraph, numbered as the mark.
    # The highlights open nothing without the script: no tab stops (the links below do it).
    assert page.locator("mark[tabindex]").count() == 0, "highlights are tab stops doing nothing"
    refs = page.eval_on_selector_all(
        ".note-refs a", "as => as.map(a => a.getAttribute('href'))")
    assert sorted(refs) == sorted(f"#note-{annotation}" for annotation in ids)
    for ref in page.locator(".note-refs a").all():
        expect(ref).to_be_visible()
    # Controls that only work with the script are not offered without it.
    for switch in page.locator("input.category-toggle").all():
        expect(switch).to_be_hidden()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"horizontal scroll without JavaScript: {width} px"


# --------------------------------------------------------------------------- clean pages


@pytest.mark.parametrize("lang", EDITIONS)
def test_pages_log_no_error_and_request_nothing_from_other_hosts(
    browsing: Browsing, lang: str
) -> None:
    page = browsing.open(explainer_path(lang))
    monitor = page.monitor
    first = first_pieces(page)[0]
    page.locator(f"#{first['id']}").click()
    expect(page.locator(f"#{first['note']}")).to_be_focused()
    page.locator("input.category-toggle").first.uncheck()
    # Follow every link within the site from the explainer: index, other edition, handouts.
    hrefs = page.eval_on_selector_all(
        "a[href]", "as => as.map(a => a.href).filter(h => h.startsWith(location.origin))"
    )
    pages = sorted({h.split("#")[0] for h in hrefs} - {page.url.split("#")[0]})
    assert len(pages) >= 2, f"the explainer links to too few pages of the site: {pages}"
    for url in pages:
        response = page.goto(url)
        assert response is not None and response.ok, f"{url}: {response and response.status}"
    assert any(u.endswith(".css") for u in monitor.requests)
    assert any(u.endswith(".js") for u in monitor.requests)
    monitor.assert_clean()
