"""Screenshots of the explainer's wide, narrow (each also with a note open), projector and
print views, saved to artifacts/screenshots/ (git-ignored) for people to look at. The docs'
pictures of the reading view (docs/images/reading-*.png) are copies of narrow-en-note-open.png
and projector-en.png."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import EDITIONS, NARROW, WIDE, Browsing, explainer_path

PROJECTOR_AT_150 = {"width": 853, "height": 533}  # 1280×800 CSS px at 150 % zoom


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


@pytest.mark.parametrize("lang", EDITIONS)
def test_screenshots_of_wide_narrow_and_print_views(
    browsing: Browsing, screenshot_dir: Path, lang: str
) -> None:
    for view, viewport in (("wide", WIDE), ("narrow", NARROW)):
        page = browsing.open(explainer_path(lang), viewport=viewport, device_scale_factor=1)
        if view == "narrow":
            assert page.evaluate("document.documentElement.clientWidth") == NARROW["width"], (
                "the page does not lay itself out at the phone's width (viewport meta?)"
            )
        shot = screenshot_dir / f"{view}-{lang}.png"
        page.screenshot(path=str(shot), full_page=True)
        width, height = png_size(shot)
        assert width == viewport["width"] and height >= viewport["height"], (view, width, height)
        # The screen a reader sees with a note open, beside or below its highlight.
        mark = page.locator("mark.hl[aria-details]").nth(5)
        mark.click()
        expect(page.locator(f"#{mark.get_attribute('aria-details')}")).to_be_in_viewport()
        shot = screenshot_dir / f"{view}-{lang}-note-open.png"
        page.screenshot(path=str(shot))
        assert png_size(shot) == (viewport["width"], viewport["height"])

    # A teacher's 1280×800 projector at 150 % zoom, in the projector view, the questions first:
    # still the wide layout, the note beside its highlight.
    page = browsing.open(f"{explainer_path(lang)}?projector&questions-first",
                         viewport=PROJECTOR_AT_150, device_scale_factor=1.5)
    mark = page.locator("mark.hl[aria-details]").nth(4)
    mark.click()
    note = page.locator(f"#{mark.get_attribute('aria-details')}")
    expect(note).to_be_in_viewport()
    expect(note.locator("details.note-explanation")).to_have_count(1)
    beside = note.evaluate("(n, m) => n.getBoundingClientRect().left >= "
                           "m.getBoundingClientRect().right", mark.element_handle())
    assert beside, "at 150 % zoom on a 1280 px projector the note is not beside its highlight"
    shot = screenshot_dir / f"projector-{lang}.png"
    page.screenshot(path=str(shot))
    assert png_size(shot) == (1280, 800)

    page = browsing.open(explainer_path(lang), viewport=WIDE, device_scale_factor=1)
    page.emulate_media(media="print")
    assert page.evaluate("matchMedia('print').matches")
    notes = page.locator("[id^='note-']")
    assert notes.count() > 0, "the explainer has no note"
    hidden = [
        notes.nth(i).get_attribute("id")
        for i in range(notes.count())
        if not notes.nth(i).is_visible()
    ]
    assert not hidden, f"notes missing from the print view: {hidden}"
    shot = screenshot_dir / f"print-{lang}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert png_size(shot)[0] == WIDE["width"]
