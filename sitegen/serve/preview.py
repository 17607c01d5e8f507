"""The build side of ``sitegen serve``: one builder thread that builds the site, waits for
changes, and builds again after each burst of them, saying what each build did.

The threads, as in mkdocs' live-reload server: the file watcher (watchdog's thread) only
marks the site changed and wakes the builder thread, through one condition; the builder
thread debounces, builds, prints the outcome, and hands the reload to the server's loop.
Without file events the builder thread scans the folders itself between builds.
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.build.builder import Builder
from sitegen.errors import ContentErrors, UsageError
from sitegen.serve import watch
from sitegen.theme import templates

DEBOUNCE = 0.02
"""Seconds without a new change before rebuilding, so a burst of saves builds once."""
MIN_POLL = 0.025
"""Seconds between scans of the watched files when polling; more on big sites."""


def say(text: str, *, err: bool = False) -> None:
    print(text, file=sys.stderr if err else sys.stdout, flush=True)


@dataclass
class Outcome:
    """What one build did."""

    seconds: float
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pages: int = 0
    rendered: list[str] = field(default_factory=list)
    written: int = 0
    removed: int = 0


class Preview:
    """The builder kept for the server's life, the private output folder, and the errors of
    the last build (shown over the pages while there are any)."""

    def __init__(self, content: Path, out: Path, teacher: Path, *, pdf: bool = False):
        self.content = content
        self.out = out
        self.teacher = teacher
        # The first build renders every article on a process pool started by a fork
        # server (forking this threaded server itself would be unsafe); later saves
        # render the few changed articles in-process. The cache stays in memory: the
        # folder is new each time.
        self.builder = Builder(content, out, teacher=teacher, pdf=pdf, use_cache=False,
                               start_method="forkserver")
        self.errors: list[str] = []
        self.built = False
        self.watched = [str(p) for p in (content, templates.TEMPLATES, templates.STATIC)]
        self._warnings: set[str] = set()
        self._wake = threading.Condition()
        """Guards ``_dirty``, ``_stopping`` and ``_events``; notified when one changes."""
        self._dirty = False
        self._stopping = False
        self._events: watch.EventWatcher | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ the builder thread

    def start(self, *, ready: Callable[[], None], reload: Callable[[], None],
              died: Callable[[Exception], None]) -> None:
        """Start the builder thread: it builds once, calls ``ready``, then rebuilds after
        each burst of changes, calling ``reload`` when open pages should reload. It dies
        only of a bug, given to ``died``. A daemon thread, so Ctrl-C never waits for a
        long build (``stop`` and ``join`` let one finish writing, briefly)."""
        def run() -> None:
            try:
                self._run(ready, reload)
            except Exception as exc:  # a bug in sitegen: the server stops and shows it
                died(exc)

        self._thread = threading.Thread(target=run, name="sitegen-build", daemon=True)
        self._thread.start()

    def changed(self) -> None:
        """A watched file changed (called from the file events' thread)."""
        with self._wake:
            self._dirty = True
            self._wake.notify()

    def stop(self) -> None:
        """Ask the builder thread to stop after the build in progress, if any."""
        with self._wake:
            self._stopping = True
            self._wake.notify()
            events, self._events = self._events, None
        if events is not None:
            events.stop()

    def join(self, timeout: float) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self, ready: Callable[[], None], reload: Callable[[], None]) -> None:
        events = watch.start(self.watched, self.changed)
        with self._wake:
            if self._stopping:
                if events is not None:
                    events.stop()
                return
            self._events = events
        scanner = (None if events is not None else
                   watch.ScanWatcher(self.watched, lambda message: say(message, err=True)))
        if scanner is not None:
            scanner.scan()  # record the files as they are now
        self._build(reload)  # with events, changes made meanwhile are built next
        ready()
        while self._wait(scanner):
            self._build(reload)

    def _build(self, reload: Callable[[], None]) -> None:
        if self.report(self.rebuild()):
            reload()

    def _wait(self, scanner: watch.ScanWatcher | None) -> bool:
        """Wait for a burst of changes to end: True then, False when asked to stop."""
        if scanner is not None:
            return self._poll(scanner)
        with self._wake:
            self._wake.wait_for(lambda: self._dirty or self._stopping)
            while self._dirty and not self._stopping:  # until quiet for a debounce
                self._dirty = False
                self._wake.wait_for(lambda: self._stopping, timeout=DEBOUNCE)
            return not self._stopping

    def _poll(self, scanner: watch.ScanWatcher) -> bool:
        """``_wait`` by scanning: a change is built once a scan finds nothing new."""
        dirty = False
        while True:
            start = time.monotonic()
            changed = scanner.scan()
            cost = time.monotonic() - start
            if dirty and not changed:  # quiet since the last look
                return True
            dirty = dirty or changed
            # Look again soon after a change (the debounce); otherwise keep scanning to at
            # most a fifth of the time, however big the site.
            pause = DEBOUNCE if dirty else max(MIN_POLL, 4 * cost)
            with self._wake:
                if self._wake.wait_for(lambda: self._stopping, timeout=pause):
                    return False

    # ------------------------------------------------------------------ one build

    def rebuild(self) -> Outcome:
        """One incremental build; never raises."""
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
                say(error, err=True)
            kept = "the last good version" if self.built else "an error page"
            say(f"sitegen: {len(outcome.errors)} error(s); still serving {kept}.", err=True)
            changed = outcome.errors != self.errors
            self.errors = outcome.errors
            return changed
        self.errors = []
        self.built = True
        for warning in outcome.warnings:
            if warning not in self._warnings:
                say(warning, err=True)
        self._warnings = set(outcome.warnings)
        ms = f"{outcome.seconds * 1000:.0f} ms"
        if first:
            say(f"Built {outcome.pages} pages in {ms}.")
        elif outcome.written or outcome.removed:
            what = (", ".join(outcome.rendered) if len(outcome.rendered) <= 5
                    else f"{len(outcome.rendered)} articles") or "site files"
            say(f"Rebuilt in {ms}: {what} ({outcome.written} file(s) written, "
                f"{outcome.removed} removed).")
        if was_broken:
            say("Fixed: the site builds again.")
        return not first and (was_broken or bool(outcome.written or outcome.removed))
