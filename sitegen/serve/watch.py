"""What tells ``sitegen serve`` that a file changed: file events where they can be had
(inotify on Linux, the platform's own events elsewhere, through watchdog), so a save is seen
at once and an idle server scans nothing; otherwise a polling scan of the folders.

``start`` returns None when events cannot be had (watchdog missing, or the system's limit
of inotify watches reached): the server then polls with a ``ScanWatcher``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

from sitegen.fs import Stamp

IGNORED_DIRS = frozenset({".git", ".hg", ".svn", ".cvs"})
"""Folders never scanned: version control's own files."""
IGNORED_SUFFIXES = (".pyc", ".pyo", ".o", ".swp")
"""Files whose changes never matter: compiled code, and editors' swap files."""
MAX_ENTRIES = 200_000
"""The most files and folders one polling scan looks at (a site of 10,000 articles has
about 50,000); past it, the rest is not watched and the server says so, once."""


def ignored(name: str) -> bool:
    """Whether a change to the file called ``name`` (not a path) is no reason to rebuild."""
    return name.endswith(IGNORED_SUFFIXES)


class EventWatcher:
    """Calls ``on_change`` from watchdog's thread for every write under the watched paths."""

    def __init__(self, observer: Any):
        self.observer = observer

    def stop(self) -> None:
        self.observer.stop()


def start(paths: Iterable[str], on_change: Callable[[], None],
          ignore: Callable[[str], bool] = ignored) -> EventWatcher | None:
    """Watch ``paths`` recursively; ``ignore`` gets each file's name (editor temporaries)."""
    try:
        from watchdog import events
        from watchdog.observers import Observer
    except ImportError:
        return None

    # Only the events that may change what a build reads: not a file or folder opened,
    # read or closed unwritten, nor a folder "modified" (it echoes a file's event). With
    # this filter inotify does not even report the others, which matters: a build opens
    # every article folder, and handling those thousands of events in Python made a
    # preview rebuild of 1,000 articles two to three times slower.
    writes: list[type[events.FileSystemEvent]] = [
        events.FileCreatedEvent, events.DirCreatedEvent, events.FileDeletedEvent,
        events.DirDeletedEvent, events.FileMovedEvent, events.DirMovedEvent,
        events.FileModifiedEvent, events.FileClosedEvent]

    class Handler(events.FileSystemEventHandler):
        def on_any_event(self, event: events.FileSystemEvent) -> None:
            paths = (event.src_path, getattr(event, "dest_path", ""))
            if any(p and not ignore(os.path.basename(str(p))) for p in paths):
                on_change()

    observer = Observer()
    try:
        for path in paths:
            # Absolute: watchdog drops every event under a relative root such as "."
            # (``serve --content .``), saying "not under watched root".
            observer.schedule(Handler(), os.path.abspath(path), recursive=True,
                              event_filter=writes)
        observer.daemon = True
        observer.start()
    except OSError:  # for example, no inotify watches left
        observer.stop()
        return None
    return EventWatcher(observer)


class ScanWatcher:
    """Polls ``paths`` for changes: one ``os.scandir`` pass over each folder and one stat
    per file, remembered by path as its ``Stamp``. The first ``scan`` only records the
    files; after it, a file added, removed or with another stamp is a change (a file not
    seen before counts even if its time is old: a copied folder).

    Links to folders are not followed (the build reads nothing outside the content folder
    either, and two ``x -> .`` links would make the walk endless); a link's own target is
    stamped, so retargeting it is a change. A scan looks at ``MAX_ENTRIES`` entries at
    most: past that, ``on_limit`` is called once with a message, and the rest is unwatched.
    """

    def __init__(self, paths: Iterable[str],
                 on_limit: Callable[[str], None] = lambda message: None):
        self.paths = list(paths)
        self.on_limit = on_limit
        self._seen: dict[str, Stamp] | None = None
        self._warned = False

    def scan(self) -> bool:
        """Look at every file once; True if anything changed since the last look."""
        now: dict[str, Stamp] = {}
        folders = list(self.paths)
        looked = 0
        while folders and looked < MAX_ENTRIES:
            try:
                entries = list(os.scandir(folders.pop()))
            except OSError:
                continue
            for entry in entries[: MAX_ENTRIES - looked]:
                looked += 1
                try:
                    if entry.is_dir(follow_symlinks=False):
                        if entry.name not in IGNORED_DIRS:
                            folders.append(entry.path)
                        continue
                    if ignored(entry.name):
                        continue
                    stamp = Stamp.of(entry.stat())
                except OSError:  # removed while we looked, or a link to nowhere
                    continue
                now[entry.path] = stamp
        if looked >= MAX_ENTRIES and not self._warned:
            self._warned = True
            self.on_limit(f"sitegen: warning: stopped watching after {MAX_ENTRIES:,} files "
                          "and folders; changes to the others are not seen")
        changed = self._seen is not None and now != self._seen
        self._seen = now
        return changed
