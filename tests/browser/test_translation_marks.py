"""The English edition read in English: our translation carries the article's highlights, and
tapping or clicking one there opens the same note as the article's highlight, keeping the
words tapped in view, on a phone and on a wide screen. Counts come from the built page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .conftest import NARROW, WIDE, Browsing, explainer_path

MARKED_SHARE = 0.9

COUNTS_JS = """
() => {
  const ids = (sel) => new Set([...document.querySelectorAll(sel)].map(m => m.dataset.annotation));
  const original = ids('.original mark.hl-start, h1.headline mark.hl-start');
  const translated = ids('.translation mark.hl-start, .headline-translation mark.hl-start');
  return {original: original.size, translated: [...translated].filter(i => original.has(i)).length};
}
"""


def test_the_translation_is_marked_and_its_marks_open_the_one_note(browsing: Browsing) -> None:
    for viewport in (NARROW, WIDE):
        page = browsing.open(explainer_path("en"), viewport=viewport)
        counts = page.evaluate(COUNTS_JS)
        assert counts["original"] == 30
        assert counts["translated"] >= MARKED_SHARE * counts["original"], counts
        for ident in ("unnamed-outlet", "military-operation"):
            mark = page.locator(f'.translation mark.hl-start[data-annotation="{ident}"]')
            mark.scroll_into_view_if_needed()
            mark.click()
            note = page.locator(f"#note-{ident}")
            expect(note).to_be_visible()
            # The words the reader tapped stay in view, above the sheet on a phone.
            shown = mark.bounding_box()
            assert shown is not None and shown["y"] >= 0
            if viewport is NARROW:
                sheet = page.locator("[data-note-panel]").bounding_box()
                assert sheet is not None and shown["y"] + shown["height"] <= sheet["y"], (
                    shown, sheet)
            expect(note).to_have_class(re.compile(r"\bis-current\b"))
            expect(note.locator("q[lang=en]")).to_have_text(
                "a Russian press article" if ident == "unnamed-outlet" else "military operation")
            # Both the article's highlight and the translation's show as the current one.
            current = page.locator(f'mark.is-current[data-annotation="{ident}"]')
            expect(current.and_(page.locator(".translation mark"))).not_to_have_count(0)
            expect(current.and_(page.locator(".original mark"))).not_to_have_count(0)
            page.keyboard.press("Escape")
