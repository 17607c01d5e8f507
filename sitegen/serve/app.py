"""``sitegen serve``: build, serve on 127.0.0.1, rebuild on save, reload open pages.

The site is built by a ``Preview`` (one builder kept for the server's life, so a save
re-renders only the articles it touched) into a private temporary folder, never ``_site/``.
Broken content keeps the last good pages on disk and served, with an overlay listing the
errors.

The pages reload through the LiveReload protocol: its browser script ``livereload.js``
comes from the livereload package, and this module's WebSocket speaks the server's side
(a hello, then "reload" after each build that changed files). ``livereload.Server.serve()``
is not used, because it cannot do what this command must: it cannot report the port it got
for ``--port 0``; it injects an inline ``<script>`` that our pages' CSP (script-src 'self')
blocks; it drops reloads that come within 3 s of the last one; and its WebSocket accepts
any origin. So this is a small Tornado application (Tornado is what livereload is built on).
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import json
import mimetypes
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import livereload
from tornado import web
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.websocket import WebSocketClosedError, WebSocketHandler

from sitegen.authoring.import_hypothesis import annotators
from sitegen.errors import UsageError
from sitegen.names import ID_RE
from sitegen.output.folder import forget
from sitegen.serve import annotate
from sitegen.serve.overlay import (
    ANNOTATE_FILES,
    ANNOTATE_PATH,
    LIVERELOAD_JS_PATH,
    OVERLAY_CSS_PATH,
    TEACHER_PATH,
    inject,
    mark_imported,
    not_found_page,
    own_file,
)
from sitegen.serve.preview import Preview, say

HOST = "127.0.0.1"
LIVERELOAD_JS = Path(livereload.__file__).with_name("vendors") / "livereload.js"
HELLO = json.dumps({"command": "hello", "serverName": "livereload-tornado",
                    "protocols": ["http://livereload.com/protocols/official-7"]})
RELOAD = json.dumps({"command": "reload", "path": "*", "liveCSS": False, "liveImg": True})
"""Path "*" with liveCSS off makes livereload.js reload the whole page."""
MAX_BODY = 0
"""The largest request body read, in bytes: the preview takes none. A longer one (by its
Content-Length, or as its chunks come) closes the connection before it is buffered."""


def resolve(root: Path, url_path: str) -> Path | None:
    """The file or folder under ``root`` that a decoded URL path names, or None.

    Refuses ``..``, hidden names (the manifest, temporary files), backslashes and NULs,
    and anything whose real path (symlinks followed) is outside ``root``.
    """
    parts = [p for p in url_path.split("/") if p]
    if any(p.startswith(".") or "\\" in p or "\0" in p for p in parts):
        return None
    try:
        real = root.joinpath(*parts).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    return real if real.is_relative_to(root.resolve()) else None


class Server:
    """What every handler shares: the preview, the names this server answers to, and the
    pages open on it (their live-reload sockets; used on the server's loop only)."""

    def __init__(self, preview: Preview, port: int):
        self.preview = preview
        self.origin = f"http://{HOST}:{port}"
        self.hosts = frozenset({f"{HOST}:{port}", f"localhost:{port}"})
        self.origins = frozenset(f"http://{host}" for host in self.hosts)
        self.sockets: set[ReloadSocket] = set()

    def page(self, body: bytes, host: str, folder: str) -> bytes:
        """The HTML page ``body`` as served; ``folder``: the name of the folder it is in,
        an article's slug for its pages and its teacher key."""
        # Only pages asked for through one of ``hosts`` get here (``_ThisServerOnly``).
        body = inject(body, origin=f"http://{host}", errors=self.preview.errors)
        return mark_imported(body, self.annotators(folder))

    def annotators(self, slug: str) -> dict[str, str]:
        """Who wrote each note of article ``slug`` imported from Hypothesis (none when
        ``slug`` names no article), read afresh: the file may have changed since."""
        path = self.preview.content / "articles" / slug / "annotations.yaml"
        if not ID_RE.fullmatch(slug) or not path.is_file():
            return {}
        try:
            return annotators(path.read_text("utf-8", errors="replace"))
        except OSError:
            return {}

    def reload(self) -> None:
        """Tell every open page to reload."""
        for socket in list(self.sockets):
            try:
                socket.write_message(RELOAD)
            except WebSocketClosedError:
                self.sockets.discard(socket)

    def close_pages(self) -> None:
        for socket in list(self.sockets):
            socket.close()


class _ThisServerOnly(web.RequestHandler):
    """Refuses a request whose Host is not this server: a page of another site whose name
    was rebound to 127.0.0.1 (DNS rebinding) sends its own name as Host. Refuses a request
    another site's page made (``from_another_site``), before any work: such a page could
    otherwise keep the preview busy. With ``exact_origin`` (the WebSocket), the Origin
    must also be exactly this server's address (a page of another site sends its own)."""

    server: Server
    exact_origin = False

    def initialize(self, server: Server) -> None:
        self.server = server

    def prepare(self) -> None:
        if self.request.host not in self.server.hosts or self.from_another_site():
            raise web.HTTPError(403)
        # Checked here, not only in check_origin: Tornado skips that hook when the browser
        # says the request is same-origin, and accepts an Origin whose host alone matches.
        if self.exact_origin and self.request.headers.get("Origin") not in self.server.origins:
            raise web.HTTPError(403)

    def from_another_site(self) -> bool:
        """Whether the browser says a page of another site (or of another port of this
        machine) made this request: an Origin that is not this server's, or Fetch
        Metadata's ``Sec-Fetch-Site`` other than ``same-origin`` or ``none`` (typed,
        bookmarked, opened from the terminal). One exception: following a link from
        another site to a page here, which loads the whole tab, once."""
        headers = self.request.headers
        origin = headers.get("Origin")
        if origin is not None and origin not in self.server.origins:
            return True
        if headers.get("Sec-Fetch-Site", "none") in ("same-origin", "none"):
            return False  # (browsers without Fetch Metadata send no Sec-Fetch-Site)
        return not (headers.get("Sec-Fetch-Mode") == "navigate"
                    and headers.get("Sec-Fetch-Dest") == "document"
                    and self.request.method in ("GET", "HEAD"))


class _Handler(_ThisServerOnly):
    """A plain HTTP answer: never cached."""

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")

    def compute_etag(self) -> None:
        return None


class SiteHandler(_Handler):
    """The built site (or, under ``TEACHER_PATH``, the teacher's folder), with the
    live-reload script (and overlay) added to HTML pages."""

    def initialize(self, server: Server, teacher: bool = False) -> None:
        super().initialize(server)
        self.teacher = teacher

    def get(self, path: str = "") -> None:
        preview = self.server.preview
        target = resolve(preview.teacher if self.teacher else preview.out, path)
        if target is not None and target.is_dir():
            if not self.request.path.endswith("/"):
                parts = [quote(p) for p in path.split("/") if p]
                start = TEACHER_PATH if self.teacher else "/"
                self.redirect(start + "".join(f"{p}/" for p in parts))
                return
            target = target / "index.html"
        if target is None or not target.is_file():
            self.set_status(404)
            self._send(not_found_page("/" + path), "text/html")
            return
        ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        self._send(target.read_bytes(), ctype, target.parent.name)

    head = get

    def _send(self, body: bytes, ctype: str, folder: str = "") -> None:
        if ctype == "text/html":
            body = self.server.page(body, self.request.host, folder)
        if ctype.startswith("text/") or ctype in ("application/javascript", "image/svg+xml"):
            ctype += "; charset=utf-8"
        self.set_header("Content-Type", ctype)
        self.finish(body)


class OverlayCSSHandler(_Handler):
    def get(self) -> None:
        self.set_header("Content-Type", "text/css; charset=utf-8")
        self.finish(own_file("overlay.css"))


class LiveReloadScript(_Handler):
    """livereload's browser script, behind the same Host check as the pages."""

    def get(self) -> None:
        self.set_header("Content-Type", "application/javascript; charset=utf-8")
        self.finish(LIVERELOAD_JS.read_bytes())


class AnnotateHandler(_Handler):
    """The select-to-annotate panel: its files, and the entry it proposes (reads only)."""

    def get(self, name: str) -> None:
        if name == "propose":
            query = {k: self.get_query_argument(k) for k in self.request.query_arguments}
            found = annotate.answer(self.server.preview.content, query)
            self.set_status(found.status)
            self.set_header("Content-Type", "application/json; charset=utf-8")
            self.finish(found.json())
        elif name in ANNOTATE_FILES:
            self.set_header("Content-Type", ANNOTATE_FILES[name][1])
            self.finish(own_file(name))
        else:
            raise web.HTTPError(404)


class ReloadSocket(_ThisServerOnly, WebSocketHandler):
    """The server's side of the LiveReload protocol, open only to pages of this server:
    a page's livereload.js says hello, then its URL ("info"); from then on the page is
    told to reload after each build that changed files. (livereload's own handler keeps
    its sockets and watcher in class attributes shared by the whole process; this one's
    sockets belong to its ``Server``.)"""

    exact_origin = True

    def check_origin(self, origin: str) -> bool:
        return origin in self.server.origins

    def on_message(self, message: str | bytes) -> None:
        try:
            said = json.loads(message)
        except ValueError:
            return
        command = said.get("command") if isinstance(said, dict) else None
        if command == "hello":
            with contextlib.suppress(WebSocketClosedError):  # the page went meanwhile
                self.write_message(HELLO)
        elif command == "info" and "url" in said:
            self.server.sockets.add(self)

    def on_close(self) -> None:
        self.server.sockets.discard(self)


def make_app(server: Server) -> web.Application:
    args = {"server": server}
    return web.Application(
        [
            ("/livereload", ReloadSocket, args),
            (LIVERELOAD_JS_PATH, LiveReloadScript, args),
            (OVERLAY_CSS_PATH, OverlayCSSHandler, args),
            (ANNOTATE_PATH + "([a-z.]+)", AnnotateHandler, args),
            (TEACHER_PATH[:-1], SiteHandler, {**args, "teacher": True}),  # redirected
            (TEACHER_PATH + "(.*)", SiteHandler, {**args, "teacher": True}),
            (r"/(.*)", SiteHandler, args),
        ],
        log_function=lambda handler: None,
    )


def bind(port: int) -> list[Any]:
    """Listening sockets on 127.0.0.1:``port`` (0: any free port); UsageError if taken."""
    try:
        return bind_sockets(port, address=HOST)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"port {port} is already in use on {HOST}: stop the program "
                             "using it, or choose another with --port (--port 0 picks a "
                             "free one)") from None
        raise UsageError(f"cannot listen on {HOST}:{port}: {exc.strerror}") from None


def _on_stop_signals(loop: asyncio.AbstractEventLoop, stop: Callable[[], None]) -> None:
    """Ctrl-C (and SIGTERM) call ``stop`` on the loop."""
    def from_handler(*_: object) -> None:
        with contextlib.suppress(RuntimeError):  # the loop closed: the server has stopped
            loop.call_soon_threadsafe(stop)

    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop)
        except NotImplementedError:  # Windows' loops take no signal handlers
            signal.signal(sig, from_handler)


async def _run(server: Server, sockets: list[Any], open_browser: bool) -> None:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    _on_stop_signals(loop, stop.set)
    http = HTTPServer(make_app(server), max_body_size=MAX_BODY)
    http.add_sockets(sockets)
    url = f"{server.origin}/"

    def ready() -> None:
        say(f"Serving {server.preview.content} at {url} (Ctrl-C to stop)")
        say(f"Preview files are built in {server.preview.out}, not in _site/.")
        say(f"The teacher's materials (keys, class pages): {url}{TEACHER_PATH[1:]}")
        if open_browser:
            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()

    def soon(callback: Callable[[], None]) -> None:
        """Run ``callback`` on the loop (called from the builder thread)."""
        with contextlib.suppress(RuntimeError):  # the loop closed: the server is stopping
            loop.call_soon_threadsafe(callback)

    died: asyncio.Future[Exception] = loop.create_future()
    server.preview.start(ready=ready, reload=lambda: soon(server.reload),
                         died=lambda exc: soon(lambda: died.set_result(exc)))
    stopped = asyncio.create_task(stop.wait())
    either: set[asyncio.Future[Any]] = {died, stopped}
    await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
    http.stop()
    server.preview.stop()
    server.close_pages()
    stopped.cancel()
    with contextlib.suppress(asyncio.CancelledError, asyncio.TimeoutError):
        await asyncio.wait_for(http.close_all_connections(), 0.5)
    if died.done():  # the builder thread died of a bug: show its traceback
        raise died.result()
    say("Stopped.")


def serve(content: Path, *, port: int = 8000, open_browser: bool = False,
          pdf: bool = False) -> int:
    """Serve ``content`` until Ctrl-C; returns the exit code."""
    sockets = bind(port)
    folder = Path(tempfile.mkdtemp(prefix="sitegen-serve-"))
    out, teacher = folder / "site", folder / "teacher"
    preview = None
    try:
        preview = Preview(content, out, teacher, pdf=pdf)
        asyncio.run(_run(Server(preview, sockets[0].getsockname()[1]), sockets, open_browser))
    finally:
        for sock in sockets:
            sock.close()
        if preview is not None:
            preview.stop()
            preview.join(timeout=0.5)  # let a build in progress finish writing
        forget(out)
        forget(teacher)
        _remove_in_background(folder)
    return 0


def _remove_in_background(folder: Path) -> None:
    """Delete the preview folder in a detached process: deleting thousands of pages can
    take seconds on a busy disk, and Ctrl-C must not wait for it. Isolated (``-I``): plain
    ``-c`` would put the working folder first on ``sys.path``, and run a ``shutil.py``
    there; the helper needs only the standard library."""
    code = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"
    try:
        subprocess.Popen([sys.executable, "-I", "-c", code, str(folder)],
                         start_new_session=True, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
