"""File-change events for ``sitegen serve``: inotify on Linux (the platform's own events
elsewhere) through watchdog, so a save is seen at once and an idle server scans nothing.

``start`` returns None when events cannot be had (watchdog missing, or the system's limit
of inotify watches reached): the server then polls with its scanning watcher.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

WRITES = frozenset({"created", "deleted", "modified", "moved", "closed"})
"""Event types that may change what a build reads. Not "opened", "closed_no_write" or
"attrib": the build's own reads (and the access times they update) are not edits."""


class EventWatcher:
    """Calls ``on_change`` from watchdog's thread for every write under ``paths``."""

    def __init__(self, observer: Any):
        self.observer = observer

    def stop(self) -> None:
        self.observer.stop()


def start(paths: Iterable[str], on_change: Callable[[], None],
          ignore: Callable[[str], bool]) -> EventWatcher | None:
    """Watch ``paths`` recursively; ``ignore`` gets each file's name (editor temporaries)."""
    try:
        from watchdog.events import FileSystemEvent, FileSystemEventHandler
        from watchdog.observers import Observer
    except ImportError:
        return None

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if event.event_type not in WRITES or (event.is_directory
                                                  and event.event_type == "modified"):
                return  # a folder "modified" only echoes the event of a file in it
            paths = (event.src_path, getattr(event, "dest_path", ""))
            if any(p and not ignore(os.path.basename(str(p))) for p in paths):
                on_change()

    observer = Observer()
    try:
        for path in paths:
            observer.schedule(Handler(), path, recursive=True)
        observer.daemon = True
        observer.start()
    except OSError:  # for example, no inotify watches left
        observer.stop()
        return None
    return EventWatcher(observer)
