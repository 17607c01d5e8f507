"""Screenshots of the explainer's wide, narrow (each also with a note open) and print views,
saved to artifacts/screenshots/ (git-ignored) for people to look at."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import EDITIONS, NARROW, WIDE, Browsing, explainer_path


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
