"""Accessibility: axe-core finds no WCAG 2.2 A/AA violation on the index, the explainer (in each
of its states) and the handouts; every category's highlight style keeps text contrast at 4.5:1
or more, its fills stand out 3:1 from white in the projector view, and its badges stay readable
in forced colours (Windows High Contrast)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .colours import COLOUR_HELPERS_JS, contrast_ratio
from .conftest import (
    CONTENT,
    EDITIONS,
    NARROW,
    SEED_SLUG,
    TEACHER_MOUNT,
    WIDE,
    Browsing,
    each_once,
    edition_prefix,
    explainer_path,
    index_path,
)

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]}
MIN_CONTRAST = 4.5
MIN_FILL_CONTRAST = 3  # WCAG 1.4.11, for a fill a projector must not wash out

WHITE_RGBA = [255.0, 255.0, 255.0, 255.0]
CATEGORIES = list(yaml.safe_load((CONTENT / "site.yaml").read_text(encoding="utf-8"))["categories"])


def assert_no_axe_violations(page: Any, what: str) -> None:
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.response["testEngine"]["name"] == "axe-core"
    assert results.violations_count == 0, f"{what}:\n{results.generate_report()}"


@pytest.mark.parametrize("lang", EDITIONS)
def test_index_has_no_axe_violations(browsing: Browsing, lang: str) -> None:
    page = browsing.open(index_path(lang))
    assert_no_axe_violations(page, f"index ({lang})")


@pytest.mark.parametrize("viewport", [WIDE, NARROW], ids=["wide", "narrow"])
@pytest.mark.parametrize("lang", EDITIONS)
def test_explainer_has_no_axe_violations(
    browsing: Browsing, lang: str, viewport: dict[str, int]
) -> None:
    page = browsing.open(explainer_path(lang), viewport=viewport)
    assert page.locator("mark.hl").count() > 0, "the explainer has no highlight"
    assert_no_axe_violations(page, f"explainer ({lang}, {viewport['width']} px)")


@each_once(NARROW, WIDE)
def test_explainer_has_no_axe_violations_in_any_of_its_states(
    browsing: Browsing, lang: str, viewport: dict[str, int]
) -> None:
    """Each state the reader's actions open, in each edition and at each width (the page as
    it loads: the test above, at every width of every edition)."""
    where = f"({lang}, {viewport['width']} px)"
    page = browsing.open(explainer_path(lang), viewport=viewport)
    # A highlight from the middle of the text whose note asks a question (the questions-first
    # view below folds that note's explanation).
    asking = page.locator(".note:has(.note-question)").evaluate_all("ns => ns.map(n => n.id)")
    marks = page.locator(", ".join(f"mark.hl[aria-details='{n}']" for n in asking))
    mark = marks.nth(marks.count() // 2)
    mark.click()
    note = page.locator(f"#{mark.get_attribute('aria-details')}")
    note.wait_for(state="visible")
    assert mark.get_attribute("aria-expanded") == "true"
    assert_no_axe_violations(page, f"explainer, note open {where}")
    # Filtered (a category switched off, the banner saying so), a note open at a walk's end.
    page.keyboard.press("Escape")
    page.locator(".preamble").evaluate("d => { d.open = true; }")
    page.locator("input.category-toggle").first.uncheck()
    expect(page.locator("[data-filter-state] [data-show-all]")).to_be_visible()
    page.locator("[data-walk-start]:not([data-walk-category])").first.click()
    expect(page.locator("[data-walk='prev']")).to_have_attribute("aria-disabled", "true")
    assert_no_axe_violations(page, f"explainer, filtered {where}")
    # In class: the projector view and the questions first, a note open.
    page.keyboard.press("Escape")
    for mode in ("projector", "questions-first"):
        page.locator(f"[data-mode='{mode}']").click()
    expect(page.locator("html.projector")).to_have_count(1)
    mark.click()
    expect(note.locator("details.note-explanation")).to_have_count(1)
    assert_no_axe_violations(page, f"explainer, projector and questions first {where}")


@pytest.mark.parametrize("lang", EDITIONS)
def test_explainer_without_its_scripts_has_no_axe_violations(browsing: Browsing, lang: str) -> None:
    # axe itself needs JavaScript, so the page's own script files are answered with an empty
    # body: the page is then in the state a reader without JavaScript gets.
    page = browsing.new_page()
    page.route("**/*.js", lambda route: route.fulfill(body="", content_type="text/javascript"))
    page.goto(explainer_path(lang))
    assert_no_axe_violations(page, f"explainer without its scripts ({lang})")


@pytest.mark.parametrize("handout", ["handout.html", f"{TEACHER_MOUNT}/teacher.html",
                                     f"{TEACHER_MOUNT}/index.html"])
@pytest.mark.parametrize("lang", EDITIONS)
def test_handout_has_no_axe_violations(browsing: Browsing, lang: str, handout: str) -> None:
    """The student copy, and the teacher key and index in the teacher's folder."""
    mount, _, name = handout.rpartition("/")
    here = "" if name == "index.html" else f"{SEED_SLUG}/"
    path = f"{mount}/{edition_prefix(lang)}{here}{name}".lstrip("/")
    page = browsing.open(path)
    assert_no_axe_violations(page, f"{handout} ({lang})")


# --------------------------------------------------------------------------- contrast

# Runs in the page: for every element styled by a category (its highlights, and any element
# whose class names the category, e.g. legend entries or note labels) that shows text of its
# own or through ::before/::after, the text colour and the background it is painted on, both
# as sRGB [r, g, b, a] in 0..255 (see colours.py).
CATEGORY_COLOURS_JS = (
    "(cat) => {"
    + COLOUR_HELPERS_JS
    + """
  const ownText = (el) => [...el.childNodes].some(
    n => n.nodeType === Node.TEXT_NODE && n.textContent.trim() !== '');
  const seen = new Set();
  const found = [];
  const nodes = document.querySelectorAll(
    `mark.hl-${cat}, [class~="${cat}"], [class$="-${cat}"], [class*="-${cat} "]`);
  for (const el of nodes) {
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    const [bg, images] = backdrop(el);
    const parts = [];
    if (ownText(el)) parts.push([null, getComputedStyle(el)]);
    for (const pseudo of ['::before', '::after']) {
      const s = getComputedStyle(el, pseudo);
      if (s.content && !['none', 'normal', '""', "''"].includes(s.content)) parts.push([pseudo, s]);
    }
    for (const [pseudo, s] of parts) {
      const back = pseudo ? over(rgba(s.backgroundColor), bg) : bg;
      const key = [el.tagName, el.className, pseudo, s.color, back.join()].join('|');
      if (seen.has(key)) continue;
      seen.add(key);
      found.push({
        what: el.tagName.toLowerCase() + '.' + [...el.classList].join('.') + (pseudo || ''),
        text: (pseudo ? s.content : el.textContent).trim().slice(0, 40),
        color: rgba(s.color), background: back, images,
      });
    }
  }
  return found;
}
"""
)


def test_contrast_ratio_formula() -> None:
    assert contrast_ratio([0, 0, 0, 255], [255, 255, 255, 255]) == pytest.approx(21)
    assert contrast_ratio([119, 119, 119, 255], [255, 255, 255, 255]) == pytest.approx(4.48, 0.01)
    assert contrast_ratio([0, 0, 0, 0], [255, 255, 255, 255]) == pytest.approx(1)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", EDITIONS)
def test_every_category_style_has_text_contrast_of_at_least_4_5(
    browsing: Browsing, lang: str, scheme: str
) -> None:
    # The projector view (?projector) as well, on a light page: stronger fills, the same text
    # contrast.
    page = browsing.open(explainer_path(lang), color_scheme=scheme)
    failures = []
    for view in ("screen", "projector") if scheme == "light" else ("screen",):
        if view == "projector":
            page.goto(f"{explainer_path(lang)}?projector")
            expect(page.locator("html.projector")).to_have_count(1)
        for cat in CATEGORIES:
            styled = page.evaluate(CATEGORY_COLOURS_JS, cat)
            marks = [s for s in styled if s["what"].startswith("mark.")]
            assert marks, f"no visible mark.hl-{cat}"
            for s in styled:
                assert not s["images"], f"{s['what']} sits on a background image: {s['images']}"
                ratio = contrast_ratio(s["color"], s["background"])
                if ratio < MIN_CONTRAST:
                    failures.append(
                        f"{view}: {s['what']} {s['text']!r}: {ratio:.2f}:1 "
                        f"(text rgba{tuple(s['color'])} on rgb{tuple(s['background'][:3])})"
                    )
            if view == "projector":
                fill = contrast_ratio(marks[0]["background"], WHITE_RGBA)
                if fill < MIN_FILL_CONTRAST:
                    failures.append(f"projector: the {cat} fill stands out {fill:.2f}:1 from white")
    assert not failures, f"contrast too low ({scheme}):\n" + "\n".join(failures)


# Each badge, drawn before a highlight's first piece or as an element (notes, "at a glance"),
# with its colours as painted.
BADGE_COLOURS_JS = (
    "() => {"
    + COLOUR_HELPERS_JS
    + """
  const drawn = [...document.querySelectorAll('mark.hl.hl-start[aria-details]')].map(m => {
    const s = getComputedStyle(m, '::before');
    const [bg] = backdrop(m);
    return {id: m.id, color: rgba(s.color), background: over(rgba(s.backgroundColor), bg),
            content: s.content};
  });
  const shown = [...document.querySelectorAll('.badge')].filter(b => b.getClientRects().length)
    .map(b => ({id: b.className + ' ' + b.textContent, color: rgba(getComputedStyle(b).color),
                background: backdrop(b)[0], content: b.textContent}));
  return drawn.concat(shown);
}
"""
)


@pytest.mark.parametrize("lang", EDITIONS)
def test_badges_stay_readable_in_forced_colours(browsing: Browsing, lang: str) -> None:
    # A dark theme (white on black) is where the system's colours once hid the badges' text.
    page = browsing.open(explainer_path(lang), forced_colors="active", color_scheme="dark")
    for scheme in ("dark", "light"):
        page.emulate_media(forced_colors="active", color_scheme=scheme)
        assert page.evaluate("matchMedia('(forced-colors: active)').matches")
        badges = page.evaluate(BADGE_COLOURS_JS)
        assert badges, "the explainer has no highlight"
        for badge in badges:
            what = f"{badge['id']} ({scheme}): {badge}"
            assert badge["content"] not in ("none", "normal"), f"no badge: {what}"
            assert badge["color"][:3] != badge["background"][:3], f"unreadable badge: {what}"
            ratio = contrast_ratio(badge["color"], badge["background"])
            assert ratio >= MIN_CONTRAST, f"badge at {ratio:.2f}:1: {what}"
