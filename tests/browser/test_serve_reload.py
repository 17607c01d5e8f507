"""``sitegen serve`` in Chromium: an open page reloads by itself after an edit, and shows
the error overlay by itself when the content breaks, under the pages' strict CSP."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from test_serve import BROKEN_YAML, TIMEOUT, serving  # tests/ is on sys.path (conftest)

TIMEOUT_MS = int(TIMEOUT * 1000)


def _wait_for_live_reload(page: Any, sent: list[str], loads: int) -> None:
    """Until livereload.js has introduced the page to the server (its "info" message)
    ``loads`` times, once per load of the page."""
    deadline = time.monotonic() + TIMEOUT
    while sum('"info"' in frame for frame in sent) < loads:
        assert time.monotonic() < deadline, f"no live-reload handshake; frames sent: {sent}"
        page.wait_for_timeout(50)
    page.wait_for_timeout(100)  # the server registers the page when it reads that message


def test_an_open_page_reloads_itself_after_an_edit(browser: Any, tmp_path: Path) -> None:
    with serving(tmp_path) as served:
        context = browser.new_context()
        context.set_default_timeout(TIMEOUT_MS)
        try:
            page = context.new_page()
            console: list[str] = []
            sent: list[str] = []
            page.on("console", lambda msg: console.append(f"{msg.type}: {msg.text}"))
            page.on(
                "websocket",
                lambda ws: ws.on("framesent", lambda payload: sent.append(str(payload))),
            )
            page.goto(served.url + "first-note/")
            _wait_for_live_reload(page, sent, 1)
            page.evaluate("window.__sitegenTestMark = true")

            article = served.content / "articles/first-note/article.md"
            article.write_text(article.read_text().replace("on Monday", "on Tuesday"))
            page.wait_for_function(
                "() => document.querySelector('main').textContent.includes('on Tuesday')"
            )
            assert page.evaluate("window.__sitegenTestMark === undefined"), "not reloaded"

            _wait_for_live_reload(page, sent, 2)
            annotations = served.content / "articles/first-note/annotations.yaml"
            annotations.write_text(BROKEN_YAML)
            overlay = page.locator(".sitegen-overlay")
            overlay.wait_for(state="visible")
            assert "this [ is never closed" in overlay.inner_text()
            # Styled by the server's own stylesheet, which the page's CSP lets in (waited
            # for: on a busy machine the overlay may be laid out before its sheet applies).
            page.wait_for_function("() => getComputedStyle("
                                   "document.querySelector('.sitegen-overlay')).position"
                                   " === 'fixed'")

            violations = [m for m in console if "Content Security Policy" in m]
            assert not violations, violations
        finally:
            context.close()
