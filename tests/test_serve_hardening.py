"""``sitegen serve`` under hostile input: Python files planted in the working folder, link
loops in the content, requests from other sites' pages and huge bodies, a flood of errors,
and ``--content .``. The real server runs in a subprocess, as in tests/test_serve.py."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from htmltree import parse
from test_serve import FIXTURE, Served, raw_status, serving, wait_until

from sitegen.build.builder import POOL_THRESHOLD
from sitegen.build.workers import Workers
from sitegen.serve import app
from sitegen.serve.overlay import OVERLAY_MAX, overlay_block

PLANTED = ("shutil", "selectors")
"""Modules of the standard library a helper process imports after it starts: a file of
that name in the working folder must never run."""


def plant(folder: Path, marker: Path) -> None:
    """A ``shutil.py`` and a ``selectors.py`` in ``folder`` that, if imported, note it in
    ``marker`` and then hand over to the real module (so the process still works and the
    test sees every import, not just the first)."""
    for name in PLANTED:
        (folder / f"{name}.py").write_text(
            "import importlib, os, sys\n"
            f"with open({str(marker)!r}, 'a') as f:\n"
            "    f.write(__name__ + ' ' + repr(sys.argv) + '\\n')\n"
            "here = os.path.dirname(os.path.abspath(__file__))\n"
            "sys.path[:] = [p for p in sys.path if os.path.abspath(p or '.') != here]\n"
            "del sys.modules[__name__]\n"
            "sys.modules[__name__] = importlib.import_module(__name__)\n", "utf-8")


def test_serve_never_runs_python_files_of_its_working_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from a lessons folder holding a shutil.py and a selectors.py, as the installed
    ``sitegen`` command (its own folder first on sys.path, not the working folder): the
    first build of a site big enough for the worker pool (fork server, resource tracker)
    and the folder's removal after Ctrl-C (a helper process) import neither."""
    monkeypatch.delenv("PYTHONSAFEPATH", raising=False)
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    marker = tmp_path / "imported.txt"
    plant(lessons, marker)
    launcher = tmp_path / "bin" / "sitegen_command.py"  # what the console script does
    launcher.parent.mkdir()
    launcher.write_text("import sys\nfrom sitegen.cli import main\n"
                        "if __name__ == '__main__':\n    sys.exit(main())\n", "utf-8")
    site = tmp_path / "big"
    shutil.copytree(FIXTURE, site)
    for i in range(POOL_THRESHOLD):
        shutil.copytree(site / "articles/first-note", site / f"articles/copy-{i}")
    with serving(tmp_path, fixture=site, cwd=lessons,
                 command=(sys.executable, str(launcher))) as served:
        assert served.get(f"/copy-{POOL_THRESHOLD - 1}/")[0] == 200
        built = served.build_dir
        served.proc.send_signal(signal.SIGINT)
        assert served.proc.wait(timeout=10) == 0
        wait_until(lambda: not built.exists(), "the preview folder to be removed")
    assert not marker.exists(), marker.read_text()


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_worker_processes_and_the_removal_helper_ignore_the_working_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, method: str) -> None:
    """In this process: spawned workers, and (if this process has not one yet) a fork
    server; then the removal helper. (The variant a forking pool needs no check: it starts
    no interpreter.)"""
    monkeypatch.delenv("PYTHONSAFEPATH", raising=False)
    marker = tmp_path / "imported.txt"
    plant(tmp_path, marker)
    monkeypatch.chdir(tmp_path)
    with Workers(1, method):
        pass
    doomed = tmp_path / "doomed"
    (doomed / "a").mkdir(parents=True)
    started: list[subprocess.Popen[bytes]] = []
    real = subprocess.Popen

    def popen(*args: Any, **kwargs: Any) -> subprocess.Popen[bytes]:
        started.append(real(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(subprocess, "Popen", popen)  # to wait for it: no stray process
    app._remove_in_background(doomed)
    assert [p.wait(timeout=10) for p in started] == [0]
    assert not doomed.exists()
    assert not marker.exists(), marker.read_text()
    assert "PYTHONSAFEPATH" not in os.environ  # set only while the workers start


# --------------------------------------------------------------------------- link loops


def test_link_loops_in_the_content_neither_hang_nor_stop_live_reload(tmp_path: Path) -> None:
    """Polling (no file events), with two ``x -> .`` links at the top of the content and a
    link back up from an article folder: the server starts, and an edit still shows."""
    site = tmp_path / "looped"
    shutil.copytree(FIXTURE, site)
    (site / "x").symlink_to(".", target_is_directory=True)
    (site / "y").symlink_to(".", target_is_directory=True)
    (site / "articles/first-note/up").symlink_to("../..", target_is_directory=True)
    hidden = tmp_path / "hidden" / "watchdog"
    hidden.mkdir(parents=True)
    (hidden / "__init__.py").write_text("raise ImportError('hidden by the test')\n")
    with serving(tmp_path, fixture=site, env={"PYTHONPATH": str(hidden.parent)}) as served:
        article = served.content / "articles/first-note/article.md"
        article.write_text(article.read_text().replace("on Monday", "on Tuesday"))
        served.wait_for_page("/first-note/", lambda b: "on Tuesday" in b, "the edited text")
        served.assert_alive()
        assert "stopped watching" not in served.log()  # the links were not walked at all


# --------------------------------------------------------------------------- other sites


def _propose_path() -> str:
    return "/__sitegen__/annotate/propose?article=first-note&start=0&end=5&text=Mayor"


@pytest.mark.parametrize("headers", [
    {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Dest": "image"},
    {"Sec-Fetch-Site": "same-site", "Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Dest": "script"},
    {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "iframe"},
    {"Origin": "http://attacker.example"},
    {"Origin": "null"},
    {"Origin": "http://127.0.0.1:1"},  # another server of this machine
], ids=["img", "same-site-script", "iframe", "origin", "null-origin", "other-port"])
def test_requests_made_by_other_sites_pages_are_refused(served_once: Served,
                                                        headers: dict[str, str]) -> None:
    host = {"Host": f"127.0.0.1:{served_once.port}"}
    for path in ("/", "/first-note/", _propose_path(), "/livereload.js"):
        assert raw_status(served_once, path, {**host, **headers}) == 403, path


@pytest.mark.parametrize("headers", [
    {},  # curl, or a browser without Fetch Metadata
    {"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "cors", "Sec-Fetch-Dest": "empty"},
    {"Sec-Fetch-Site": "none", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"},
    # A link to the preview followed from another site: the whole tab, once.
    {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"},
], ids=["none", "same-origin", "typed", "followed-link"])
def test_the_preview_s_own_pages_and_the_user_are_answered(served_once: Served,
                                                           headers: dict[str, str]) -> None:
    host = {"Host": f"localhost:{served_once.port}"}
    assert raw_status(served_once, "/first-note/", {**host, **headers}) == 200
    if headers.get("Sec-Fetch-Site") != "cross-site":
        own = {"Origin": f"http://localhost:{served_once.port}"}
        assert raw_status(served_once, _propose_path(), {**host, **headers, **own}) == 200


def _send_body(port: int, head: str, body: bytes) -> tuple[bytes, float]:
    """What the server answers to a request with a body (sent as far as it reads), and how
    long it took."""
    start = time.monotonic()
    answer = b""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(head.encode())
        try:
            for at in range(0, len(body), 65536):
                sock.sendall(body[at:at + 65536])
        except OSError:  # the server closed the connection: what we want
            pass
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except OSError:
            pass
    return answer, time.monotonic() - start


def test_request_bodies_are_refused_before_they_are_read(served_once: Served) -> None:
    port = served_once.port
    host = f"Host: 127.0.0.1:{port}\r\n"
    # A declared length of 95 MB, of which nothing is sent: refused at once, not awaited.
    answer, took = _send_body(port, f"POST / HTTP/1.1\r\n{host}Content-Length: 99614720\r\n"
                              "Connection: close\r\n\r\n", b"")
    assert took < 3 and not answer.startswith(b"HTTP/1.1 200"), answer[:200]
    # Chunked, with no length to check first: cut off at the first chunk.
    chunks = b"".join(b"10000\r\n" + b"x" * 0x10000 + b"\r\n" for _ in range(64))
    answer, took = _send_body(port, f"POST / HTTP/1.1\r\n{host}Transfer-Encoding: chunked\r\n"
                              "Connection: close\r\n\r\n", chunks)
    assert took < 3 and not answer.startswith(b"HTTP/1.1 200"), answer[:200]
    served_once.assert_alive()
    assert served_once.get("/")[0] == 200


@pytest.fixture(scope="module")
def served_once(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One server for the request tests, which change nothing."""
    with serving(tmp_path_factory.mktemp("served")) as served:
        yield served


# --------------------------------------------------------------------------- the overlay


@pytest.mark.parametrize(("count", "more"), [
    (1, None), (OVERLAY_MAX, None), (OVERLAY_MAX + 1, "1"), (100_000, f"{100_000 - OVERLAY_MAX:,}"),
])
def test_the_overlay_lists_the_first_errors_and_counts_the_rest(count: int,
                                                                more: str | None) -> None:
    errors = [f"articles/a/annotations.yaml:{n}:1: error number {n}" for n in range(count)]
    block = overlay_block(errors)
    tree = parse(block)
    listed = [li.text() for li in tree.find_all("li")]
    assert listed == errors[:OVERLAY_MAX]
    assert f"({count:,} error" in block
    assert len(block.encode()) < 200 * OVERLAY_MAX  # not megabytes, whatever the count
    rest = [p.text() for p in tree.find_all("p") if "more" in p.text()]
    assert rest == ([] if more is None else [f"… and {more} more: see the terminal."])


# --------------------------------------------------------------------------- --content .


@pytest.mark.parametrize("content_arg", [".", "./articles/.."])
def test_a_relative_content_folder_live_reloads(tmp_path: Path, content_arg: str) -> None:
    """``serve --content .`` from the content folder (and a path through ``..``): watchdog
    dropped every event under a relative root."""
    with serving(tmp_path, cwd=tmp_path / "content", content_arg=content_arg) as served:
        article = served.content / "articles/first-note/article.md"
        article.write_text(article.read_text().replace("on Monday", "on Tuesday"))
        served.wait_for_page("/first-note/", lambda b: "on Tuesday" in b, "the edited text")
        served.assert_alive()
