"""The teacher key locked with a class code, in a real Chromium: the seed's key (built once
for the session) locked in place of teacher.html in a copy of the students' site, as a build
with SITEGEN_TEACHER_CODE publishes it, and opened from file:// and over http://127.0.0.1.
A wrong code says so and shows nothing of the key; the right code shows the key with its
stylesheets, its links resolving as in the teacher's folder; without Web Crypto the page
says where it opens. Every page also fails the test on a console error (a refused
stylesheet or script, under the pages' security policy), an uncaught exception or a
request to another place (conftest's Monitor)."""

from __future__ import annotations

import functools
import http.server
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

import pytest
from conftest import Built
from test_lock import CODE, SLUG, WRONG, key_notes, seed_teacher

from sitegen.output import lock
from sitegen.views.handouts import TeacherView
from sitegen.views.locked import locked_page

from .conftest import DEFAULT_TIMEOUT_MS, WIDE, Monitor, http_server
from .test_accessibility import assert_no_axe_violations


@pytest.fixture(scope="module")
def locked_site(built_seed: Built, tmp_path_factory: pytest.TempPathFactory
                ) -> tuple[Path, TeacherView, bytes]:
    """A copy of the students' site with the key from the teacher's folder locked at
    <slug>/teacher.html; the key's view and its HTML."""
    site = tmp_path_factory.mktemp("locked") / "site"
    shutil.copytree(built_seed.out, site)
    view, _ = seed_teacher()
    html = (built_seed.teacher / SLUG / "teacher.html").read_bytes()
    (site / SLUG / "teacher.html").write_bytes(locked_page(html, view, lock.class_code(CODE)))
    return site, view, html


@pytest.fixture(scope="module")
def served(locked_site: tuple[Path, TeacherView, bytes]) -> Iterator[str]:
    """The locked copy served on 127.0.0.1."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(locked_site[0]))
    with http_server(handler, "locked-site") as url:
        yield url


def _open(browser: Any, url: str, contexts: list[Any]) -> Any:
    """A page at ``url`` in a new context, watched by a Monitor (``page.monitor``)."""
    context = browser.new_context(viewport=WIDE)
    contexts.append(context)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    page.monitor = Monitor(origin=url)
    page.monitor.watch(page)
    page.goto(url)
    return page


def _words(page: Any) -> str:
    return " ".join(page.evaluate("() => document.documentElement.textContent").split())


def _unlock(page: Any, code: str) -> None:
    page.fill("input[type=password]", code)
    page.press("input[type=password]", "Enter")


def _tried(page: Any) -> None:
    """Wait until the page is done with the code typed: the form takes codes again."""
    page.wait_for_function("() => !document.querySelector('#unlock button').disabled")


def _assert_the_key_shows(page: Any, url: str, site: Path, view: TeacherView,
                          notes: list[str]) -> None:
    page.locator(".key-note-body").first.wait_for(state="visible")
    assert page.url == url  # nothing was sent: no navigation, no code in an address
    assert page.title() == f"{view.sheet_title} · {view.title}"
    words = _words(page)
    assert all(note in words for note in notes)
    assert page.locator("#unlock, #locked-key").count() == 0
    # The key's stylesheets, from the students' site: the lesson's title is set in
    # handout.css, each category's line style (solid, dashed…) by categories.css.
    style = page.evaluate("""() => ({
      title: getComputedStyle(document.querySelector('.lesson-title')).fontSize,
      lines: [...new Set([...document.querySelectorAll('mark.hl')].map(
        m => getComputedStyle(m).borderBottomStyle))]})""")
    assert style["title"] == "20px", style  # 15pt
    assert len(style["lines"]) > 1 and "none" not in style["lines"], style
    # Its relative links resolve against the page's own address, as in the teacher's folder.
    links = page.evaluate("""() => [...document.querySelectorAll('a[href], link[href]')]
      .map(a => [a.getAttribute('href'), a.href])""")
    relative = [(raw, full) for raw, full in links if not urlsplit(raw).scheme]
    assert len(relative) > 3
    assert all(full == urljoin(url, raw) for raw, full in relative), relative
    sheets = page.evaluate("""() => [...document.querySelectorAll('link[rel=stylesheet]')]
      .map(l => l.href)""")
    assert sheets and all(_local(full, url, site).is_file() for full in sheets), sheets


def _local(full: str, page_url: str, site: Path) -> Path:
    """The file of the site copy that address ``full`` names (file:// or served)."""
    root = urljoin(page_url, "../")
    return site / url2pathname(full.removeprefix(root))


def test_the_key_opens_with_the_class_code_only(
        browser: Any, locked_site: tuple[Path, TeacherView, bytes], served: str) -> None:
    site, view, html = locked_site
    notes = key_notes(html)
    assert notes
    contexts: list[Any] = []
    try:
        # From the file, as a teacher opens a downloaded site: wrong codes first.
        url = (site / SLUG / "teacher.html").as_uri()
        page = _open(browser, url, contexts)
        page.locator("#unlock").wait_for(state="visible")
        assert page.locator("h1").inner_text() == view.t["locked_title"]
        assert not [n for n in notes if n in _words(page)]
        for wrong in WRONG[:2]:
            _unlock(page, wrong)
            _tried(page)
            assert page.locator("[role=alert]").inner_text() == view.t["locked_wrong"]
            assert page.locator(".key-note, .lesson").count() == 0
            assert not [n for n in notes if n in _words(page)]
        _unlock(page, CODE)
        _assert_the_key_shows(page, url, site, view, notes)
        page.monitor.assert_clean()

        # Over http, from the loopback address (a secure context, as https is).
        url = f"{served}{SLUG}/teacher.html"
        page = _open(browser, url, contexts)
        page.locator("#unlock").wait_for(state="visible")
        # (axe reads the stylesheets again, which a file:// page does not allow)
        assert_no_axe_violations(page, "locked teacher key")
        _unlock(page, f"  {CODE} ")  # as pasted, with spaces around
        _assert_the_key_shows(page, url, site, view, notes)
        page.monitor.assert_clean()

        # Where Web Crypto is missing (plain http from another address), the page says why
        # and takes no code.
        page = contexts[-1].new_page()
        page.add_init_script("Object.defineProperty(window, 'isSecureContext', {value: false})")
        page.goto(url)
        page.locator("#unlock").wait_for(state="visible")
        assert page.locator("[role=alert]").inner_text() == view.t["locked_unsupported"]
        assert page.locator("input[type=password]").is_disabled()
    finally:
        for context in contexts:
            context.close()
