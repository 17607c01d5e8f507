"""``sitegen serve``: build, serve on 127.0.0.1, rebuild on save, reload open pages.

The site is built by one ``Builder`` kept for the server's life (so a save re-renders only
the articles it touched) into a private temporary folder, never ``_site/``. Broken content
keeps the last good pages on disk and served, with an overlay listing the errors.

What comes from the livereload package: its file ``Watcher`` (mtime polling), its WebSocket
handler speaking the LiveReload protocol, and its browser script ``livereload.js``.
``livereload.Server.serve()`` itself is not used, because it cannot do what this command
must: it cannot report the port it got for ``--port 0``; it injects an inline ``<script>``
that our pages' CSP (script-src 'self') blocks; it drops reloads that come within 3 s of
the last one; and its WebSocket accepts any origin. So the same pieces run in our own small
Tornado application (Tornado is what livereload is built on).
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import mimetypes
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import livereload
from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher
from tornado import web
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from sitegen.build.builder import Builder
from sitegen.errors import ContentErrors, UsageError
from sitegen.output.writer import forget
from sitegen.serve import annotate, watch
from sitegen.serve.overlay import (
    ANNOTATE_DIR,
    ANNOTATE_FILES,
    ANNOTATE_PATH,
    LIVERELOAD_JS_PATH,
    OVERLAY_CSS,
    OVERLAY_CSS_PATH,
    inject,
    not_found_page,
)
from sitegen.theme import templates

HOST = "127.0.0.1"
DEBOUNCE = 0.02
"""Seconds without a new change before rebuilding, so a burst of saves builds once."""
MIN_POLL = 0.025
"""Seconds between looks at the watched files; more on big sites (see ``Preview.watch``)."""

T = TypeVar("T")


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


class ScanWatcher(Watcher):  # type: ignore[misc]  # livereload has no types
    """livereload's polling ``Watcher``, with a cheaper folder scan: livereload stats each
    file three times and stops at the first change; this makes one ``os.scandir`` pass,
    one stat per file (about half the time on a site of 1,000 articles), and records every
    change it sees, keyed on modification time and size. Once ``primed`` (after a first
    look), a file it has not seen is a change even if its time is old (a copied folder)."""

    primed = False

    def is_folder_changed(self, path: str, ignore: Callable[[str], bool] | None = None) -> bool:
        changed = False
        folders = [path]
        while folders:
            try:
                entries = list(os.scandir(folders.pop()))
            except OSError:
                continue
            for entry in entries:
                try:
                    if entry.is_dir():
                        if entry.name not in self.ignored_dirs:
                            folders.append(entry.path)
                        continue
                    if self.ignore(entry.name) or (ignore and ignore(entry.path)):
                        continue
                    stat = entry.stat()
                except OSError:  # removed while we looked
                    continue
                seen = (stat.st_mtime_ns, stat.st_size)
                self._new_mtimes[entry.path] = seen
                before = self._task_mtimes.get(entry.path)
                if before != seen and (before is not None or self.primed):
                    changed = True
                    self.filepath = entry.path
        return changed


@dataclass
class Outcome:
    """What one build did, computed in the build thread and reported in the server's."""

    seconds: float
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pages: int = 0
    rendered: list[str] = field(default_factory=list)
    written: int = 0
    removed: int = 0


class Preview:
    """The server's state: the builder, the private output folder, the current errors."""

    def __init__(self, content: Path, out: Path, port: int, *, pdf: bool = False):
        self.content = content
        self.out = out
        self.port = port
        self.origin = f"http://{HOST}:{port}"
        self.hosts = frozenset({f"{HOST}:{port}", f"localhost:{port}"})
        self.origins = frozenset(f"http://{host}" for host in self.hosts)
        # The first build renders every article on a process pool started by a fork
        # server (forking this threaded server itself would be unsafe); later saves
        # render the few changed articles in-process. The cache stays in memory: the
        # folder is new each time.
        self.builder = Builder(content, out, pdf=pdf, use_cache=False,
                               start_method="forkserver")
        self.errors: list[str] = []
        self.built = False
        self._warnings: set[str] = set()
        self._dirty_at: float | None = None
        self._wake: tuple[asyncio.AbstractEventLoop, asyncio.Event] | None = None
        """With file events: the server's loop, and what wakes it when a change comes."""
        self.watched = [str(p) for p in (content, templates.TEMPLATES, templates.STATIC)]
        self.watcher = ScanWatcher()  # polls when file events cannot be had
        self.events: watch.EventWatcher | None = None

    def _changed(self) -> None:
        """A watched file changed (called from the file events' thread, or by a scan)."""
        self._dirty_at = time.monotonic()
        if self._wake is not None:
            loop, event = self._wake
            with contextlib.suppress(RuntimeError):  # the loop closed: the server is stopping
                loop.call_soon_threadsafe(event.set)

    # ------------------------------------------------------------------ building

    def rebuild(self) -> Outcome:
        """One incremental build (run in a worker thread); never raises."""
        start = time.perf_counter()
        try:
            result = self.builder.build()
        except ContentErrors as exc:
            errors = [e.format_message() for e in exc.errors] or ["the content has errors"]
            return Outcome(time.perf_counter() - start, errors=errors)
        except UsageError as exc:
            return Outcome(time.perf_counter() - start, errors=[f"sitegen: {exc}"])
        except Exception as exc:  # a bug in sitegen: keep serving, show it, keep the trace
            traceback.print_exc()
            return Outcome(time.perf_counter() - start,
                           errors=[f"sitegen: internal error: {exc!r} (see the terminal)"])
        warnings = [w.format_message() for w in result.warnings]
        return Outcome(time.perf_counter() - start, warnings=sorted(warnings),
                       pages=result.pages, rendered=result.rendered,
                       written=result.stats.written, removed=result.stats.removed)

    def report(self, outcome: Outcome) -> bool:
        """Take in a build's outcome and print it; True if open pages should reload."""
        first = not self.built and not self.errors
        was_broken = bool(self.errors)
        if outcome.errors:
            for error in outcome.errors:
                _say(error, err=True)
            kept = "the last good version" if self.built else "an error page"
            _say(f"sitegen: {len(outcome.errors)} error(s); still serving {kept}.", err=True)
            changed = outcome.errors != self.errors
            self.errors = outcome.errors
            return changed
        self.errors = []
        self.built = True
        for warning in outcome.warnings:
            if warning not in self._warnings:
                _say(warning, err=True)
        self._warnings = set(outcome.warnings)
        ms = f"{outcome.seconds * 1000:.0f} ms"
        if first:
            _say(f"Built {outcome.pages} pages in {ms}.")
        elif outcome.written or outcome.removed:
            what = (", ".join(outcome.rendered) if len(outcome.rendered) <= 5
                    else f"{len(outcome.rendered)} articles") or "site files"
            _say(f"Rebuilt in {ms}: {what} ({outcome.written} file(s) written, "
                 f"{outcome.removed} removed).")
        if was_broken:
            _say("Fixed: the site builds again.")
        return not first and (was_broken or bool(outcome.written or outcome.removed))

    async def build(self) -> None:
        if self.report(await _in_daemon_thread(self.rebuild)):
            _reload_pages()

    async def watch(self, ready: Callable[[], None]) -> None:
        """Build once, call ``ready``, then rebuild after each burst of changes."""
        self.events = watch.start(self.watched, self._changed, self.watcher.ignore)
        if self.events is not None:
            await self._on_events(ready)
        for path in self.watched:
            self.watcher.watch(path, self._changed)
        self.watcher.examine()  # record the files as they are now
        self.watcher.primed = True
        self._dirty_at = None
        await self.build()
        ready()
        while True:
            seen = self._dirty_at
            start = time.monotonic()
            self.watcher.examine()
            cost = time.monotonic() - start
            if seen is not None and self._dirty_at == seen:  # quiet since the last look
                self._dirty_at = None
                await self.build()
            # Look again soon after a change (the debounce); otherwise keep polling to at
            # most a fifth of the time, however big the site.
            pause = DEBOUNCE if self._dirty_at is not None else max(MIN_POLL, 4 * cost)
            await asyncio.sleep(pause)

    async def _on_events(self, ready: Callable[[], None]) -> None:
        """``watch`` with file events: nothing is scanned, and a change wakes the loop at
        once (no polling while idle)."""
        changed = asyncio.Event()
        self._wake = (asyncio.get_running_loop(), changed)
        await self.build()  # changes made meanwhile have set ``changed``: built next
        ready()
        while True:
            await changed.wait()
            while changed.is_set():  # until quiet for a debounce
                changed.clear()
                await asyncio.sleep(DEBOUNCE)
            await self.build()

    # ------------------------------------------------------------------ serving

    def page(self, body: bytes, host: str) -> bytes:
        origin = f"http://{host}" if host in self.hosts else self.origin
        return inject(body, origin=origin, errors=self.errors)


def _say(text: str, *, err: bool = False) -> None:
    print(text, file=sys.stderr if err else sys.stdout, flush=True)


async def _in_daemon_thread(fn: Callable[[], T]) -> T:
    """Run ``fn`` in a daemon thread, so that Ctrl-C never waits for a long build."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def deliver(value: T) -> None:
        if not future.done():
            future.set_result(value)

    def run() -> None:
        value = fn()
        with contextlib.suppress(RuntimeError):  # the loop closed: the server is stopping
            loop.call_soon_threadsafe(deliver, value)

    threading.Thread(target=run, name="sitegen-build", daemon=True).start()
    return await future


def _reload_pages() -> None:
    # Path "*" with liveCSS off makes livereload.js reload the whole page.
    LiveReloadHandler.reload_waiters("*")


def _refuse_other_hosts(handler: web.RequestHandler, preview: Preview) -> None:
    """403 unless the request names this server: a page of another site whose name was
    rebound to 127.0.0.1 (DNS rebinding) sends its own name as Host."""
    if handler.request.host not in preview.hosts:
        raise web.HTTPError(403)


class _Handler(web.RequestHandler):
    """Refuses requests whose Host is not this server (DNS rebinding); never cached."""

    preview: Preview

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def prepare(self) -> None:
        _refuse_other_hosts(self, self.preview)

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")

    def compute_etag(self) -> None:
        return None


class SiteHandler(_Handler):
    """The built site, with the live-reload script (and overlay) added to HTML pages."""

    def get(self, path: str) -> None:
        target = resolve(self.preview.out, path)
        if target is not None and target.is_dir():
            if not self.request.path.endswith("/"):
                parts = [quote(p) for p in path.split("/") if p]
                self.redirect("/" + "".join(f"{p}/" for p in parts))
                return
            target = target / "index.html"
        if target is None or not target.is_file():
            self.set_status(404)
            self._send(not_found_page("/" + path), "text/html")
            return
        ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        self._send(target.read_bytes(), ctype)

    head = get

    def _send(self, body: bytes, ctype: str) -> None:
        if ctype == "text/html":
            body = self.preview.page(body, self.request.host)
        if ctype.startswith("text/") or ctype in ("application/javascript", "image/svg+xml"):
            ctype += "; charset=utf-8"
        self.set_header("Content-Type", ctype)
        self.finish(body)


class OverlayCSSHandler(_Handler):
    def get(self) -> None:
        self.set_header("Content-Type", "text/css; charset=utf-8")
        self.finish(OVERLAY_CSS)


LIVERELOAD_JS = Path(livereload.__file__).with_name("vendors") / "livereload.js"


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
            found = annotate.answer(self.preview.content, query)
            self.set_status(found.status)
            self.set_header("Content-Type", "application/json; charset=utf-8")
            self.finish(found.json())
        elif name in ANNOTATE_FILES:
            self.set_header("Content-Type", ANNOTATE_FILES[name])
            self.finish((ANNOTATE_DIR / name).read_bytes())
        else:
            raise web.HTTPError(404)


class ReloadSocket(LiveReloadHandler):  # type: ignore[misc]  # livereload has no types
    """livereload's WebSocket, open only to pages of this server: the Host must name this
    server and the Origin must be exactly its address (livereload's own ``check_origin``
    accepts every site the browser has open)."""

    preview: Preview

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def prepare(self) -> None:
        _refuse_other_hosts(self, self.preview)
        # Checked here, not only in check_origin: Tornado skips that hook when the browser
        # says the request is same-origin, and accepts an Origin whose host alone matches.
        if self.request.headers.get("Origin") not in self.preview.origins:
            raise web.HTTPError(403)

    def check_origin(self, origin: str) -> bool:
        return origin in self.preview.origins


def make_app(preview: Preview) -> web.Application:
    LiveReloadHandler.live_css = False
    LiveReloadHandler.watcher = preview.watcher  # reload_waiters() logs its last path
    args = {"preview": preview}
    return web.Application(
        [
            ("/livereload", ReloadSocket, args),
            (LIVERELOAD_JS_PATH, LiveReloadScript, args),
            (OVERLAY_CSS_PATH, OverlayCSSHandler, args),
            (ANNOTATE_PATH + "([a-z.]+)", AnnotateHandler, args),
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


async def _run(preview: Preview, sockets: list[Any], open_browser: bool) -> None:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    server = HTTPServer(make_app(preview))
    server.add_sockets(sockets)
    url = f"{preview.origin}/"

    def ready() -> None:
        _say(f"Serving {preview.content} at {url} (Ctrl-C to stop)")
        _say(f"Preview files are built in {preview.out}, not in _site/.")
        if open_browser:
            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()

    watching = asyncio.create_task(preview.watch(ready))
    stopped = asyncio.create_task(stop.wait())
    await asyncio.wait({watching, stopped}, return_when=asyncio.FIRST_COMPLETED)
    server.stop()
    if preview.events is not None:
        preview.events.stop()
    for waiter in list(LiveReloadHandler.waiters):
        waiter.close()
    watching.cancel()
    stopped.cancel()
    with contextlib.suppress(asyncio.CancelledError, asyncio.TimeoutError):
        await asyncio.wait_for(server.close_all_connections(), 0.5)
    if not stop.is_set():
        watching.result()  # the watcher died of a bug: show its traceback
    _say("Stopped.")


def serve(content: Path, *, port: int = 8000, open_browser: bool = False,
          pdf: bool = False) -> int:
    """Serve ``content`` until Ctrl-C; returns the exit code."""
    sockets = bind(port)
    out = Path(tempfile.mkdtemp(prefix="sitegen-serve-"))
    try:
        preview = Preview(content, out, sockets[0].getsockname()[1], pdf=pdf)
        asyncio.run(_run(preview, sockets, open_browser))
    finally:
        for sock in sockets:
            sock.close()
        for thread in threading.enumerate():  # let a build in progress finish writing
            if thread.name == "sitegen-build":
                thread.join(timeout=0.5)
        forget(out)
        _remove_in_background(out)
    return 0


def _remove_in_background(folder: Path) -> None:
    """Delete the preview folder in a detached process: deleting thousands of pages can
    take seconds on a busy disk, and Ctrl-C must not wait for it."""
    code = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"
    try:
        subprocess.Popen([sys.executable, "-c", code, str(folder)], start_new_session=True,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
