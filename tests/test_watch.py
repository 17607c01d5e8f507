"""The preview's file events: a write is reported, a read is not; without watchdog the
server falls back to polling (``start`` gives None)."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

import pytest

from sitegen.serve import watch


def _seen_within(flag: threading.Event, seconds: float = 10.0) -> bool:
    return flag.wait(seconds)


def test_a_write_is_an_event_and_a_read_is_not(tmp_path: Path) -> None:
    target = tmp_path / "articles" / "a" / "article.md"
    target.parent.mkdir(parents=True)
    target.write_text("one", "utf-8")
    changed = threading.Event()
    watcher = watch.start([str(tmp_path)], changed.set, lambda name: name.endswith("~"))
    assert watcher is not None
    try:
        time.sleep(0.2)
        for _ in range(3):
            target.read_bytes()  # what every build does: never a change
        (tmp_path / "backup.md~").write_text("x", "utf-8")  # ignored, like the polling watcher
        assert not _seen_within(changed, 1.0)
        target.write_text("two", "utf-8")
        assert _seen_within(changed)
        changed.clear()
        target.rename(target.with_name("renamed.md"))
        assert _seen_within(changed)
    finally:
        watcher.stop()


def test_without_watchdog_there_are_no_events(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "watchdog.observers", None)  # import fails
    assert watch.start([str(tmp_path)], lambda: None, lambda name: False) is None


def test_reads_never_reach_python(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build lists every article folder and reads its files: those events are filtered
    out before they are made (handling them slowed a rebuild of 1,000 articles threefold)."""
    from watchdog.events import FileSystemEventHandler

    folder = tmp_path / "articles" / "a"
    folder.mkdir(parents=True)
    (folder / "article.md").write_text("one", "utf-8")
    handled: list[object] = []
    real = FileSystemEventHandler.dispatch
    monkeypatch.setattr(FileSystemEventHandler, "dispatch",
                        lambda self, event: (handled.append(event), real(self, event))[1])
    changed = threading.Event()
    watcher = watch.start([str(tmp_path)], changed.set, lambda name: False)
    assert watcher is not None
    try:
        time.sleep(0.2)
        for _ in range(3):
            list(os.scandir(folder))
            (folder / "article.md").read_bytes()
        time.sleep(0.5)
        assert handled == []
        (folder / "article.md").write_text("two", "utf-8")
        assert _seen_within(changed)
    finally:
        watcher.stop()


def test_the_polling_scan_sees_every_kind_of_change(tmp_path: Path) -> None:
    """Without events the server scans: a change, an addition (even of a file with an old
    time, as a copied folder has) and a removal are seen; a read or an editor's swap file
    is not, nor anything before the first look."""
    folder = tmp_path / "articles" / "a"
    folder.mkdir(parents=True)
    article = folder / "article.md"
    article.write_text("one", "utf-8")
    scanner = watch.ScanWatcher([str(tmp_path)])
    assert not scanner.scan()  # the first look only records
    article.read_bytes()
    (folder / ".article.md.swp").write_text("x", "utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "index").write_text("x", "utf-8")
    assert not scanner.scan()
    article.write_text("two!", "utf-8")
    assert scanner.scan()
    assert not scanner.scan()
    copied = tmp_path / "articles" / "b" / "article.md"
    copied.parent.mkdir()
    copied.write_text("old", "utf-8")
    os.utime(copied, ns=(0, 0))
    assert scanner.scan()
    copied.unlink()
    assert scanner.scan()
    assert not scanner.scan()


def _looped(tmp_path: Path) -> Path:
    """A folder with two ``x -> .`` links, a link back up out of a sub-folder and one
    pointing outside: walked by following links, it has no end."""
    folder = tmp_path / "content"
    (folder / "articles" / "a").mkdir(parents=True)
    (folder / "articles" / "a" / "article.md").write_text("one", "utf-8")
    (folder / "x").symlink_to(".", target_is_directory=True)
    (folder / "y").symlink_to(".", target_is_directory=True)
    (folder / "articles" / "a" / "up").symlink_to("../..", target_is_directory=True)
    (folder / "outside").symlink_to(tmp_path, target_is_directory=True)
    return folder


def test_the_polling_scan_does_not_follow_links_to_folders(tmp_path: Path) -> None:
    folder = _looped(tmp_path)
    scanner = watch.ScanWatcher([str(folder)], lambda message: pytest.fail(message))
    start = time.monotonic()
    assert not scanner.scan()
    assert time.monotonic() - start < 1
    article = folder / "articles" / "a" / "article.md"
    article.write_text("two!", "utf-8")
    assert scanner.scan()
    (folder / "x").unlink()  # a link removed is a change too
    assert scanner.scan()
    assert not scanner.scan()


def test_the_polling_scan_is_bounded_and_says_so_once(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(watch, "MAX_ENTRIES", 20)
    for i in range(30):
        (tmp_path / f"f{i}.md").write_text("x", "utf-8")
    said: list[str] = []
    scanner = watch.ScanWatcher([str(tmp_path)], said.append)
    scanner.scan()
    assert len(scanner._seen or {}) == 20
    scanner.scan()
    assert said == ["sitegen: warning: stopped watching after 20 files and folders; "
                    "changes to the others are not seen"]


def test_file_events_under_link_loops_and_a_relative_root(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """watchdog does not follow the links either; and a relative root such as "." (``serve
    --content .``) still reports events (watchdog dropped them as "not under watched root")."""
    folder = _looped(tmp_path)
    monkeypatch.chdir(folder)
    for root in (".", "articles/.."):
        changed = threading.Event()
        watcher = watch.start([root], changed.set, lambda name: False)
        assert watcher is not None
        try:
            time.sleep(0.2)
            (folder / "articles" / "a" / "article.md").write_text(root, "utf-8")
            assert _seen_within(changed), root
        finally:
            watcher.stop()
