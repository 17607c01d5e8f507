"""The explainer read as a reader would, in both editions at 1280 and 375 px: the article as
one continuous text as wide as the screen, a note on demand beside its highlight or in a sheet
that leaves it in view, the walk through the notes, links that open a note, "at a glance", and
printing the page. Counts come from the built page, never from here. The walks through every
highlight and note take the cells of conftest.walk_cells."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from sitegen.text.markdown import parse_body

from .conftest import (
    CONTENT,
    EDITIONS,
    NARROW,
    SEED_SLUG,
    WIDE,
    Browsing,
    Explainer,
    each_once,
    explainer_path,
    walk_cells,
)

ARTICLE = CONTENT / "articles" / SEED_SLUG

PHONE = NARROW
VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["375px", "1280px"])
MAX_HEIGHT_RATIO = 1.5
MAX_SCREENS_BEFORE_TEXT = 1.5
MAX_PRINT_PAGES = 12

# The article body's height as shown, then with every note and the note panel taken out.
HEIGHT_RATIO_JS = """
() => {
  const body = document.querySelector('.article-body');
  const shown = body.getBoundingClientRect().height;
  const out = [...document.querySelectorAll('.note, [data-note-panel]')];
  out.forEach(el => el.style.setProperty('display', 'none', 'important'));
  const bare = body.getBoundingClientRect().height;
  out.forEach(el => el.style.removeProperty('display'));
  return {shown, bare};
}
"""

LAYOUT_JS = """
() => {
  const doc = document.documentElement;
  // Elements that stick out of the screen; a scrolling container (the table's) may hold
  // wider ones.
  const scrolls = (e) => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
  const inScroller = (e) => {
    for (let p = e.parentElement; p; p = p.parentElement) if (scrolls(p)) return true;
    return false;
  };
  const sel = 'p, li, h1, h2, h3, table, mark, .note, figure, svg, pre, dd';
  const wide = [...document.querySelectorAll(sel)].filter(e => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.right > doc.clientWidth + 1 && !inScroller(e);
  }).map(e => e.tagName.toLowerCase() + '#' + e.id + '.' + e.className);
  return {scrollWidth: Math.max(doc.scrollWidth, document.body.scrollWidth),
          clientWidth: doc.clientWidth, wide};
}
"""


BOX_JS = """
(el) => { const r = el.getBoundingClientRect();
          return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; }
"""


# Where focus is: in the note panel (on which walk control), or after the highlight ``start``
# (its id), in the text.
FOCUS_AFTER_JS = """
(start) => {
  const e = document.activeElement;
  return {inPanel: !!e.closest('[data-note-panel]'),
          walk: e.dataset.walk || (e.hasAttribute('data-note-close') ? 'close' : ''), id: e.id,
          after: !!(document.getElementById(start).compareDocumentPosition(e)
                    & Node.DOCUMENT_POSITION_FOLLOWING),
          inText: !!e.closest('.reading-text')};
}
"""


def walk_order(page: Any) -> list[str]:
    """Note ids in the order the walk takes them: the panel's list, as built."""
    ids: list[str] = page.eval_on_selector_all("[data-note-panel] .note", "ns => ns.map(n => n.id)")
    assert ids, "the explainer has no note"
    return ids


def highlights(page: Any) -> list[dict[str, str]]:
    found: list[dict[str, str]] = page.eval_on_selector_all(
        "mark.hl[aria-details]",
        "ms => ms.map(m => ({id: m.id, note: m.getAttribute('aria-details'),"
        " category: m.closest('[data-annotation]') && "
        " document.getElementById(m.getAttribute('aria-details')).dataset.category}))",
    )
    assert found, "the explainer has no highlight"
    return found


# Everything a step of a test looks at, in one round trip: which notes are shown, where focus
# is, the walk's position, and the boxes of the note, its highlight and the panel.
STATE_JS = """
() => {
  const box = (el) => { if (!el) return null; const r = el.getBoundingClientRect();
    return {top: r.top, bottom: r.bottom, left: r.left, right: r.right,
            inView: r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth}; };
  const open = [...document.querySelectorAll('[data-note-panel] .note')]
    .filter(n => n.getClientRects().length > 0);
  const note = open[0] || null;
  const mark = note && document.getElementById('hl-' + note.dataset.annotation);
  return {
    open: open.map(n => n.id), focus: document.activeElement && document.activeElement.id,
    position: (document.querySelector('[data-walk-position]') || {}).textContent,
    note: box(note), mark: box(mark), panel: box(document.querySelector('[data-note-panel]')),
    current: mark ? mark.classList.contains('is-current') : null,
    expanded: mark ? mark.getAttribute('aria-expanded') : null,
    controls: mark ? mark.getAttribute('aria-controls') : null,
    role: mark ? mark.getAttribute('role') : null,
  };
}
"""


def state(page: Any) -> dict[str, Any]:
    found: dict[str, Any] = page.evaluate(STATE_JS)
    return found


def open_notes(page: Any) -> list[str]:
    shown: list[str] = state(page)["open"]
    return shown


def position(page: Any) -> str:
    text: str = page.locator("[data-walk-position]").inner_text()
    return text.strip()


def whole_text_notes(page: Any) -> set[str]:
    """The notes on the whole text: those no highlight opens."""
    ids: list[str] = page.eval_on_selector_all(
        "[data-note-panel] .note",
        "ns => ns.filter(n => !document.getElementById('hl-' + n.dataset.annotation))"
        ".map(n => n.id)")
    return set(ids)


def expected_position(walked: list[str], k: int, whole: set[str]) -> str:
    """What the walk shows at its ``k``-th note (from 0) of ``walked``: the highlights' notes
    and the notes on the whole text are counted apart."""
    note = walked[k]
    kind = [n for n in walked if (n in whole) == (note in whole)]
    return f"{kind.index(note) + 1} / {len(kind)}"


def walk_said(page: Any) -> str:
    """What the walk's live region last said."""
    said: str = page.locator("[data-walk-said]").text_content() or ""
    return said


def assert_walk_ends(page: Any, at_start: bool, at_end: bool) -> None:
    expect(page.locator("[data-walk='prev']")).to_have_attribute(
        "aria-disabled", "true" if at_start else "false")
    expect(page.locator("[data-walk='next']")).to_have_attribute(
        "aria-disabled", "true" if at_end else "false")


def assert_no_horizontal_scroll(page: Any, viewport: dict[str, int], state: str) -> None:
    layout = page.evaluate(LAYOUT_JS)
    assert layout["clientWidth"] == viewport["width"], "the page is not at screen width"
    assert layout["scrollWidth"] <= layout["clientWidth"], (
        f"horizontal scroll at {viewport['width']} px ({state}): "
        f"content is {layout['scrollWidth']} px wide"
    )
    assert not layout["wide"], f"elements stick out of the screen: {layout['wide'][:5]}"


@VIEWPORTS
@pytest.mark.parametrize("lang", EDITIONS)
def test_the_article_reads_as_one_text_with_no_note_between_paragraphs_or_sideways_scroll(
    browsing: Browsing, lang: str, viewport: dict[str, int]
) -> None:
    page = browsing.open(explainer_path(lang), viewport=viewport)
    first_paragraph = page.locator(".article-body .original > p").first
    if viewport["width"] < 600:
        # The text first: its first paragraph within a screen and a half of the top.
        top = first_paragraph.evaluate("p => p.getBoundingClientRect().top + scrollY")
        assert top <= MAX_SCREENS_BEFORE_TEXT * viewport["height"], (
            f"the first paragraph starts {top / viewport['height']:.1f} screens down")
        # "Who speaks" is a list of cards, not a table to scroll sideways.
        wrap = page.locator(".voices .table-wrap").evaluate(
            "w => ({scroll: w.scrollWidth, client: w.clientWidth})")
        assert wrap["scroll"] <= wrap["client"], f"who speaks scrolls sideways: {wrap}"
        # What comes before the text is folded, but printed whole.
        preamble = page.locator("details.preamble")
        assert not preamble.evaluate("d => d.open"), "the preamble is open on a phone"
        page.evaluate("dispatchEvent(new Event('beforeprint'))")
        assert preamble.evaluate("d => d.open"), "the preamble stays folded for printing"
        page.evaluate("dispatchEvent(new Event('afterprint'))")
        assert not preamble.evaluate("d => d.open")
    # "Skip to the article", the first tab stop, goes to the article's first paragraph.
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".article-body")).to_be_focused()
    expect(first_paragraph).to_be_in_viewport()
    # The per-paragraph note links are for pages without the script only.
    for refs in page.locator(".note-refs").all():
        expect(refs).to_be_hidden()
    assert_no_horizontal_scroll(page, viewport, "closed")
    closed = page.evaluate(HEIGHT_RATIO_JS)
    first = highlights(page)[0]
    page.locator(f"#{first['id']}").click()
    expect(page.locator(f"#{first['note']}")).to_be_visible()
    assert_no_horizontal_scroll(page, viewport, "open")
    opened = page.evaluate(HEIGHT_RATIO_JS)
    for state, h in (("no note open", closed), ("a note open", opened)):
        assert h["bare"] > 0
        ratio = h["shown"] / h["bare"]
        assert ratio <= MAX_HEIGHT_RATIO, (
            f"{state}: the article body is {ratio:.2f} times the height of its paragraphs alone"
        )


@walk_cells(PHONE, WIDE)
def test_every_highlight_opens_its_own_note_in_view_beside_or_below_it(
    browsing: Browsing, explainer: Explainer, viewport: dict[str, int]
) -> None:
    page = browsing.open(explainer.path, viewport=viewport)
    assert open_notes(page) == [], "a note is open before the reader asks"
    wide = viewport["width"] >= 992
    marks = highlights(page)
    for h in (marks[i] for i in explainer.walked(len(marks))):
        page.click(f"#{h['id']}")
        st = state(page)
        assert st["open"] == [h["note"]], f"{h['id']} opens {st['open']}"
        assert st["focus"] == h["note"], f"focus is on {st['focus']}, not in {h['note']}"
        assert st["note"]["inView"] and st["mark"]["inView"], st
        assert st["current"], f"{h['id']} is not marked as the current highlight"
        assert st["controls"] == h["note"]
        if st["role"] == "button":
            assert st["expanded"] == "true"
        m, n = st["mark"], st["note"]
        if wide:
            assert n["left"] >= m["right"], f"{h['note']} is not beside {h['id']}: {m} {n}"
        else:
            assert m["bottom"] <= st["panel"]["top"] + 1, f"the sheet covers {h['id']}: {st}"
    last = marks[-1]
    page.locator(f"#{last['id']}").click()  # a second click on the current highlight closes
    assert open_notes(page) == []
    assert page.locator(f"#{last['id']}").get_attribute("aria-expanded") in ("false", None)


@walk_cells(PHONE, WIDE)
def test_the_walk_goes_through_every_note_in_text_order_and_back(
    browsing: Browsing, explainer: Explainer, viewport: dict[str, int]
) -> None:
    page = browsing.open(explainer.path, viewport=viewport)
    order = walk_order(page)
    numbered = [h["note"] for h in highlights(page)]
    assert order[: len(numbered)] == numbered, "the walk does not follow the highlight numbers"
    start = page.locator("[data-walk-start]:not([data-walk-category])")
    start.click()
    expect(page.locator(f"#{order[0]}")).to_be_focused()
    total = len(order)
    whole = whole_text_notes(page)
    assert position(page) == expected_position(order, 0, whole)
    assert_walk_ends(page, at_start=True, at_end=total == 1)
    following = page.locator("[data-walk='next']")
    previous = page.locator("[data-walk='prev']")
    # To the last note and back; in the other edition, to the third and back.
    end = total if explainer.every else min(3, total)
    for k in range(1, end):
        following.click()
        st = state(page)
        assert st["open"] == [order[k]], f"Next from note {k} does not show note {k + 1}"
        shown = expected_position(order, k, whole)
        assert st["position"].endswith(shown) and (order[k] in whole) == (st["position"] != shown)
        # Heard: where the walk is and the note's title, its category first.
        category = page.locator(f"#{order[k]} .note-category").inner_text().strip()
        said = walk_said(page)
        assert shown.split(" / ")[1] in said and category in said, (said, category)
        assert st["note"]["inView"] and (st["mark"] is None or st["mark"]["inView"]), st
    if end == total:
        assert_walk_ends(page, at_start=False, at_end=True)
        following.click(force=True)  # past the last note (disabled), the walk stays
        assert open_notes(page) == [order[-1]]
    for k in range(end - 2, -1, -1):
        previous.click()
        assert open_notes(page) == [order[k]], f"Previous from note {k + 2} does not return"
    page.keyboard.press("Escape")
    assert open_notes(page) == []
    expect(page.locator(f"#hl-{order[0].removeprefix('note-')}")).to_be_focused()


@pytest.mark.parametrize("lang", EDITIONS)
def test_a_category_switched_off_leaves_the_walk(browsing: Browsing, lang: str) -> None:
    page = browsing.open(explainer_path(lang))
    order = walk_order(page)
    categories = page.eval_on_selector_all(
        "[data-note-panel] .note", "ns => ns.map(n => n.dataset.category)"
    )
    off = categories[0]
    page.locator(f"input.category-toggle[value='{off}']").uncheck()
    kept = [i for i, c in zip(order, categories, strict=True) if c != off]
    assert kept and len(kept) < len(order)
    page.locator("[data-walk-start]:not([data-walk-category])").click()
    seen = [open_notes(page)[0]]
    for _ in range(len(kept) - 1):
        page.locator("[data-walk='next']").click()
        seen.append(open_notes(page)[0])
    assert seen == kept, f"the walk still goes through {off}"
    assert position(page).endswith(expected_position(kept, len(kept) - 1, whole_text_notes(page)))
    assert_walk_ends(page, at_start=False, at_end=True)


@pytest.mark.parametrize("lang", EDITIONS)
def test_at_a_glance_counts_each_category_and_starts_its_walk(
    browsing: Browsing, lang: str
) -> None:
    page = browsing.open(explainer_path(lang))
    categories = page.eval_on_selector_all(
        "[data-note-panel] .note", "ns => ns.map(n => n.dataset.category)"
    )
    numbered = page.eval_on_selector_all(
        "mark.hl[aria-details]",
        "ms => ms.map(m => document.getElementById(m.getAttribute('aria-details'))"
        ".dataset.category)",
    )
    assert categories
    links = page.locator(".glance a[data-walk-category]")
    assert links.count() == len(set(numbered))
    banner = page.locator("[data-filter-state]")
    show_all = banner.locator("[data-show-all]")
    expect(show_all).to_be_hidden()
    for i in range(links.count()):
        link = links.nth(i)
        category = link.get_attribute("data-walk-category")
        assert f"{numbered.count(category)}" in link.inner_text()
        link.click()
        first = open_notes(page)
        assert len(first) == 1
        assert page.locator(f"#{first[0]}").get_attribute("data-category") == category
        assert position(page) == f"1 / {numbered.count(category)}"
        page.keyboard.press("Escape")
        expect(page.locator(f"#hl-{first[0].removeprefix('note-')}")).to_be_focused()
        # The view stays filtered, and says so above the text, with a way back.
        label = page.locator(f"input.category-toggle[value='{category}'] ~ strong").inner_text()
        expect(banner).to_be_visible()
        expect(banner).to_contain_text(label.strip())
        for other in page.locator("input.category-toggle").all():
            if other.get_attribute("value") != category:
                name = other.locator("xpath=following-sibling::strong").inner_text().strip()
                assert name not in (banner.text_content() or ""), f"{name} is said shown"
        show_all.click()
        for box in page.locator("input.category-toggle").all():
            expect(box).to_be_checked()
        expect(show_all).to_be_hidden()
        assert not banner.inner_text().strip(), "the banner stays after Show all"


@each_once(PHONE, WIDE)
def test_an_address_ending_in_note_id_opens_that_note(
    browsing: Browsing, lang: str, viewport: dict[str, int]
) -> None:
    probe = browsing.open(explainer_path(lang), viewport=viewport)
    order = walk_order(probe)
    for target in (order[len(order) // 2], order[-1]):
        page = browsing.open(f"{explainer_path(lang)}#{target}", viewport=viewport)
        note = page.locator(f"#{target}")
        expect(note).to_be_visible()
        expect(note).to_be_in_viewport()
        expect(note).to_be_focused()
        assert open_notes(page) == [target]
        # The note's heading links to this address, to copy and share.
        assert note.locator("h3 a.note-link").get_attribute("href") == f"#{target}"
    # The exercise page links to a highlight by its number: #highlight-<number>.
    marks = highlights(probe)
    mark = marks[len(marks) // 3]
    number = probe.locator(f"#{mark['id']}").get_attribute("data-number")
    page = browsing.open(f"{explainer_path(lang)}#highlight-{number}", viewport=viewport)
    expect(page.locator(f"#{mark['note']}")).to_be_focused()
    assert open_notes(page) == [mark["note"]]


@each_once(PHONE, WIDE)
def test_escape_closes_the_note_and_returns_focus_to_its_highlight(
    browsing: Browsing, lang: str, viewport: dict[str, int]
) -> None:
    page = browsing.open(explainer_path(lang), viewport=viewport)
    marks = highlights(page)
    for h in (marks[0], marks[len(marks) // 2], marks[-1]):
        mark = page.locator(f"#{h['id']}")
        mark.focus()
        page.keyboard.press("Enter")
        expect(page.locator(f"#{h['note']}")).to_be_focused()
        page.keyboard.press("Tab")  # into the note's own links
        page.keyboard.press("Escape")
        expect(mark).to_be_focused()
        assert open_notes(page) == []
    # Tab from an open note goes through its links, then the walk's controls, then on into
    # the text after its highlight; Shift+Tab from the note goes back to the highlight.
    h = marks[1]
    page.locator(f"#{h['id']}").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Shift+Tab")
    expect(page.locator(f"#{h['id']}")).to_be_focused()
    assert open_notes(page) == [h["note"]]
    page.keyboard.press("Enter")  # the highlight's button closes its open note, and opens it
    assert open_notes(page) == []
    page.keyboard.press("Enter")
    passed: list[str] = []
    for _ in range(40):
        page.keyboard.press("Tab")
        where = page.evaluate(FOCUS_AFTER_JS, h["id"])
        if not where["inPanel"]:
            break
        passed.append(where["walk"])
    assert [w for w in passed if w] == ["prev", "next", "close"], passed
    assert where["after"] and where["inText"], f"Tab left the note for {where}"
    assert where["id"] == marks[2]["id"], f"Tab went on to {where}, not the next highlight"


@each_once(PHONE, WIDE)
def test_back_closes_the_open_note_and_forward_opens_it_again(
    browsing: Browsing, lang: str, viewport: dict[str, int]
) -> None:
    page = browsing.open(explainer_path(lang), viewport=viewport)
    url = page.url
    h = highlights(page)[2]
    page.locator(f"#{h['id']}").click()
    assert open_notes(page) == [h["note"]]
    expect(page).to_have_url(f"{url}#{h['note']}")  # an address to share
    for _ in range(6):  # the walk takes the same history entry
        page.locator("[data-walk='next']").click()
    walked = open_notes(page)
    assert walked != [h["note"]]
    page.go_back()
    expect(page.locator(f"#{walked[0]}")).to_be_hidden()
    expect(page).to_have_url(url)  # still on the page, the note closed
    assert open_notes(page) == []
    page.go_forward()
    expect(page.locator(f"#{walked[0]}")).to_be_visible()
    assert open_notes(page) == walked
    # Closed, the note takes its history entry with it, and the page stays where the walk
    # took it (not where it was when the note opened).
    page.locator("[data-note-close]").click()
    expect(page).to_have_url(url)
    assert open_notes(page) == []
    last = page.locator(f"#hl-{walked[0].removeprefix('note-')}")
    expect(last).to_be_focused()
    expect(last).to_be_in_viewport()
    # A #note- address left through Back closes its note.
    link = page.locator(".highlight-index a").nth(3)
    target = (link.get_attribute("href") or "").removeprefix("#")
    link.focus()  # (a click lands between the lines of a link that wraps)
    page.keyboard.press("Enter")
    expect(page.locator(f"#{target}")).to_be_focused()
    page.go_back()
    expect(page.locator(f"#{target}")).to_be_hidden()
    assert open_notes(page) == [] and page.url == url


@pytest.mark.parametrize("lang", EDITIONS)
def test_printing_the_page_gives_article_notes_sources_within_the_page_limit(
    browsing: Browsing, lang: str
) -> None:
    page = browsing.open(explainer_path(lang))
    order = walk_order(page)
    page.locator(f"#hl-{order[0].removeprefix('note-')}").click()  # one note open on screen
    page.locator("input.category-toggle").last.uncheck()  # and a category off
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    pages = len(reader.pages)
    assert 1 < pages <= MAX_PRINT_PAGES, f"the page prints on {pages} A4 pages"
    text = " ".join((p.extract_text() or "") for p in reader.pages)
    text = " ".join(text.split())
    headings = page.eval_on_selector_all(
        "#article-title, #notes-title, #sources-title", "hs => hs.map(h => h.textContent.trim())"
    )
    places = [text.find(h) for h in headings]
    assert -1 not in places and places == sorted(places), (
        f"not article, then notes, then sources: {list(zip(headings, places, strict=True))}"
    )
    # Every note is printed, not only the one open on screen.
    titles = page.eval_on_selector_all(
        "[data-note-panel] .note .note-category", "ns => ns.map(n => n.textContent.trim())"
    )
    missing = [t for t in titles if " ".join(t.split()) not in text]
    assert not missing, f"notes missing from the print: {missing[:5]}"


# Every text node of the page outside the article's own words (its body, headline and the
# quotes of it in notes), with the language it is in.
OUR_TEXT_JS = """
() => {
  const verbatim = '.article-body, h1.headline, q, code, title, script, style';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const found = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (el.closest(verbatim) || /^https?:/.test(n.textContent.trim())) continue;
    found.push({text: n.textContent, lang: el.closest('[lang]').getAttribute('lang')});
  }
  return found;
}
"""
# An ordinary space (or none) where French wants a no-break one.
BAD_FRENCH = re.compile(
    r"[ \t\n][;:!?]|[^\s\u00a0\u202f][;!?](?=\s)|« | »|[^\s\u00a0\u202f]»|«[^\s\u00a0\u202f]"
)


def test_the_french_page_is_in_french_typography_and_the_article_word_for_word(
    browsing: Browsing,
) -> None:
    lang = EDITIONS[0]
    page = browsing.open(explainer_path(lang))
    texts = page.evaluate(OUR_TEXT_JS)
    french = [t["text"] for t in texts if t["lang"] == lang]
    assert len(french) > 100, "too little of our own text found to check"
    bad = [f"{m.group(0)!r} in {t[:70]!r}" for t in french for m in BAD_FRENCH.finditer(t)]
    assert not bad, "French typography broken:\n" + "\n".join(bad[:20])

    source = (ARTICLE / "article.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    expected = parse_body(source).text
    shown = page.eval_on_selector_all(
        ".article-body .original", "os => os.map(o => o.textContent.trim()).join('\\n\\n')"
    )
    assert re.sub(r"[ \n]+", " ", shown) == re.sub(r"[ \n]+", " ", expected), (
        "the article's words on the page differ from article.md"
    )
