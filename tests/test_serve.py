"""``sitegen serve``: the real server in a subprocess on a free port, pages fetched over HTTP.

Each test copies tests/fixtures/serve-site into a temporary folder, starts
``sitegen serve --port 0`` there, reads the URL it prints, edits files and polls (for at
most ``TIMEOUT`` seconds) until the served pages change.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from htmltree import parse

from sitegen.build.builder import POOL_THRESHOLD
from sitegen.serve.app import resolve
from sitegen.serve.overlay import allow_origin, inject

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "serve-site"
TIMEOUT = 10.0
URL_RE = re.compile(r"http://127\.0\.0\.1:(\d+)/")
BROKEN_YAML = "annotations:\n  - id: local-blog\n    category: [sourcing\n"


def wait_until(check: Callable[[], bool], what: str, timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)


@dataclass
class Served:
    """A running ``sitegen serve`` and what it printed so far."""

    proc: subprocess.Popen[str]
    content: Path
    stdout: list[str] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)
    url: str = ""

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1].strip("/"))

    @property
    def build_dir(self) -> Path:
        line = next(x for x in self.stdout if x.startswith("Preview files are built in "))
        return Path(line.removeprefix("Preview files are built in ").split(", not in")[0])

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
        request = urllib.request.Request(self.url + path.lstrip("/"), headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")

    def page(self, path: str) -> str:
        status, body = self.get(path)
        assert status == 200, f"GET {path}: {status}"
        return body

    def wait_for_page(self, path: str, check: Callable[[str], bool], what: str) -> str:
        body = ""

        def ok() -> bool:
            nonlocal body
            body = self.get(path)[1]
            return check(body)

        wait_until(ok, f"{what} at {path}")
        return body

    def assert_alive(self) -> None:
        assert self.proc.poll() is None, f"server exited: {self.proc.returncode}\n{self.log()}"

    def log(self) -> str:
        return "stdout:\n" + "\n".join(self.stdout) + "\nstderr:\n" + "\n".join(self.stderr)


def _drain(stream: object, into: list[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        into.append(line.rstrip("\n"))


@contextmanager
def serving(tmp_path: Path, *args: str, broken: bool = False,
            env: dict[str, str] | None = None, fixture: Path = FIXTURE,
            command: tuple[str, ...] = (sys.executable, "-m", "sitegen"),
            cwd: Path | None = None, content_arg: str | None = None) -> Iterator[Served]:
    """Copy the fixture site into ``tmp_path`` and serve it until the block ends: ``command``
    run in ``cwd`` (``tmp_path``), given ``--content content_arg`` (the copy's path)."""
    content = tmp_path / "content"
    shutil.copytree(fixture, content, symlinks=True)
    if broken:
        (content / "articles/second-note/annotations.yaml").write_text(BROKEN_YAML)
    proc = subprocess.Popen(
        [*command, "serve", "--content", content_arg or str(content), "--port", "0", *args],
        cwd=cwd or tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, **(env or {})},
    )
    served = Served(proc, content)
    readers = [threading.Thread(target=_drain, args=(stream, lines), daemon=True)
               for stream, lines in ((proc.stdout, served.stdout), (proc.stderr, served.stderr))]
    for reader in readers:
        reader.start()
    try:
        wait_until(lambda: any(URL_RE.search(x) for x in served.stdout)
                   or proc.poll() is not None, "the server's URL", timeout=60)
        match = next((URL_RE.search(x) for x in served.stdout if URL_RE.search(x)), None)
        assert match, f"no URL printed\n{served.log()}"
        served.url = match.group(0)
        yield served
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for reader in readers:
            reader.join(timeout=5)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    with serving(tmp_path) as s:
        yield s


# --------------------------------------------------------------------------- serving, editing


def test_serves_the_site_on_a_free_port_of_127_0_0_1(served: Served) -> None:
    assert served.port > 0
    assert "Serve test site" in served.page("/")
    assert "Mayor opens the new bridge" in served.page("/first-note/")
    status, _ = served.get("/first-note")  # a folder without its slash: redirected
    assert status == 200
    with urllib.request.urlopen(served.url + "assets/sitegen.css", timeout=5) as css:
        assert css.headers["Content-Type"].startswith("text/css")
    # The teacher's folder is shown apart, never in the site's own paths.
    assert "_teacher/" in "\n".join(served.stdout)
    assert served.get("/first-note/teacher.html")[0] == 404
    status, key = served.get("/_teacher/first-note/teacher.html")
    assert status == 200 and "Mayor opens the new bridge" in key
    assert 'href="first-note/teacher.html"' in served.page("/_teacher/")
    assert served.get("/_teacher")[0] == 200  # the folder without its slash: redirected


def test_an_edit_shows_on_the_served_page(served: Served) -> None:
    article = served.content / "articles/first-note/article.md"
    article.write_text(article.read_text().replace("on Monday", "on Tuesday"))
    served.wait_for_page("/first-note/", lambda b: "on Tuesday" in b, "the edited text")
    wait_until(lambda: any(x.startswith("Rebuilt in") and "first-note" in x
                           for x in served.stdout), "the rebuild to be reported")
    served.assert_alive()


def test_only_the_edited_article_is_rendered_again(served: Served) -> None:
    article = served.content / "articles/second-note/article.md"
    article.write_text(article.read_text().replace("heavy rain", "light rain"))
    served.wait_for_page("/second-note/", lambda b: "light rain" in b, "the edited text")
    wait_until(lambda: any(x.startswith("Rebuilt in") for x in served.stdout), "a rebuild")
    rebuilt = next(x for x in served.stdout if x.startswith("Rebuilt in"))
    assert "second-note" in rebuilt and "first-note" not in rebuilt, rebuilt


def test_a_site_big_enough_for_the_pool_is_built_on_it_and_edited(tmp_path: Path) -> None:
    """The first build of a bigger site runs on worker processes (from a fork server,
    never forked from the threaded server); a save still renders one article."""
    site = tmp_path / "big"
    shutil.copytree(FIXTURE, site)
    for i in range(POOL_THRESHOLD):
        shutil.copytree(site / "articles/first-note", site / f"articles/copy-{i}")
    with serving(tmp_path, fixture=site) as served:
        for i in range(POOL_THRESHOLD):
            assert f'href="copy-{i}/index.html"' in served.page("/")
            assert served.get(f"/copy-{i}/")[0] == 200
        article = served.content / "articles/copy-3/article.md"
        article.write_text(article.read_text().rstrip("\n") + " Added while serving.\n")
        served.wait_for_page("/copy-3/", lambda b: "Added while serving." in b,
                             "the edited text")
        wait_until(lambda: any(x.startswith("Rebuilt in") for x in served.stdout), "a rebuild")
        rebuilt = next(x for x in served.stdout if x.startswith("Rebuilt in"))
        assert "copy-3" in rebuilt and "copy-4" not in rebuilt, rebuilt
        served.proc.send_signal(signal.SIGINT)
        assert served.proc.wait(timeout=10) == 0
        assert "Traceback" not in "\n".join(served.stderr), served.log()


def test_a_burst_of_saves_is_built_once_or_twice(served: Served) -> None:
    article = served.content / "articles/first-note/article.md"
    text = article.read_text()
    for n in range(5):
        article.write_text(text.replace("on Monday", f"on day {n}"))
    served.wait_for_page("/first-note/", lambda b: "on day 4" in b, "the last save")
    time.sleep(0.5)
    rebuilds = [x for x in served.stdout if x.startswith("Rebuilt in")]
    assert 1 <= len(rebuilds) <= 2, rebuilds


def test_a_deleted_article_disappears(served: Served) -> None:
    assert "second-note/" in served.page("/")
    shutil.rmtree(served.content / "articles/second-note")
    wait_until(lambda: served.get("/second-note/")[0] == 404, "the deleted page to go")
    assert "second-note/" not in served.page("/")
    assert "Mayor opens the new bridge" in served.page("/first-note/")


def test_a_new_article_appears_even_when_copied_with_old_file_times(served: Served) -> None:
    new = served.content / "articles/third-note"
    shutil.copytree(served.content / "articles/second-note", new)  # copy2 keeps the mtimes
    served.wait_for_page("/third-note/", lambda b: "according to a local blog" in b,
                         "the new article")
    assert "third-note/" in served.page("/")


def test_without_file_events_the_server_polls(tmp_path: Path) -> None:
    hidden = tmp_path / "hidden" / "watchdog"
    hidden.mkdir(parents=True)
    (hidden / "__init__.py").write_text("raise ImportError('hidden by the test')\n")
    with serving(tmp_path, env={"PYTHONPATH": str(hidden.parent)}) as served:
        article = served.content / "articles/first-note/article.md"
        article.write_text(article.read_text().replace("on Monday", "on Tuesday"))
        served.wait_for_page("/first-note/", lambda b: "on Tuesday" in b, "the edited text")
        shutil.rmtree(served.content / "articles/second-note")
        wait_until(lambda: served.get("/second-note/")[0] == 404, "the deleted page to go")
        served.assert_alive()


# --------------------------------------------------------------------------- broken content


def test_broken_yaml_keeps_the_last_good_pages_with_the_error_overlaid(served: Served) -> None:
    annotations = served.content / "articles/second-note/annotations.yaml"
    good = annotations.read_text()
    annotations.write_text(BROKEN_YAML)

    body = served.wait_for_page("/second-note/", lambda b: "sitegen-overlay" in b,
                                "the error overlay")
    served.assert_alive()
    assert "according to a local blog" in body  # the last good page, still served
    overlay = re.search(r'<section class="sitegen-overlay".*?</section>', body, re.S)
    assert overlay, body[:2000]
    where = re.escape(str(annotations))
    assert re.search(where + r":3:15: this \[ is never closed", overlay.group(0)), overlay.group(0)
    for other in ("/", "/first-note/"):  # every page shows it
        assert "sitegen-overlay" in served.page(other)
        assert '<link rel="stylesheet" href="/__sitegen__/overlay.css">' in served.page(other)
    status, css = served.get("/__sitegen__/overlay.css")
    assert status == 200 and ".sitegen-overlay" in css
    wait_until(lambda: any(re.search(where + r":3:15: this \[ is never closed", x)
                           for x in served.stderr), "the error in the terminal")

    annotations.write_text(good)  # mended: the overlay goes, edits show again
    served.wait_for_page("/second-note/", lambda b: "sitegen-overlay" not in b,
                         "the overlay to go")
    article = served.content / "articles/second-note/article.md"
    article.write_text(article.read_text().replace("heavy rain", "steady rain"))
    served.wait_for_page("/second-note/", lambda b: "steady rain" in b, "the next edit")
    assert "sitegen-overlay" not in served.page("/")
    served.assert_alive()


def test_content_broken_from_the_start_is_served_as_an_error_page(tmp_path: Path) -> None:
    with serving(tmp_path, broken=True) as served:
        status, body = served.get("/")
        assert status == 404 and "sitegen-overlay" in body and "is never closed" in body
        (served.content / "articles/second-note/annotations.yaml").write_text(
            (FIXTURE / "articles/second-note/annotations.yaml").read_text())
        served.wait_for_page("/", lambda b: "Serve test site" in b, "the site once mended")
        served.assert_alive()


# --------------------------------------------------------------------------- what is served


def test_live_reload_is_added_while_serving_never_written(served: Served) -> None:
    body = served.page("/first-note/")
    assert f'<script src="/livereload.js?port={served.port}" defer></script>' in body
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', body)
    assert csp and f"connect-src 'self' ws://127.0.0.1:{served.port}" in csp.group(1)
    assert "script-src 'self' http://127.0.0.1" in csp.group(1)
    status, script = served.get("/livereload.js")
    assert status == 200 and "LiveReload" in script
    assert '<script src="/__sitegen__/annotate/panel.js" defer></script>' in body
    status, panel = served.get("/__sitegen__/annotate/panel.js")
    assert status == 200 and "sitegen-annotate" in panel
    assert served.get("/__sitegen__/annotate/nothing.js")[0] == 404

    built = served.build_dir
    assert built.is_dir() and not built.is_relative_to(served.content.parent)
    pages = list(built.rglob("*.html"))
    assert pages
    for page in pages:
        text = page.read_text("utf-8")
        assert "livereload" not in text and "sitegen-overlay" not in text, page
        assert "__sitegen__" not in text, page
    assert not (served.content.parent / "_site").exists()


@pytest.mark.parametrize("target", [
    "/../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/..%2f..%2f..%2fetc%2fpasswd",
    "/assets/../../../../etc/passwd",
    "/%2e%2e%5c%2e%2e%5cetc%5cpasswd",
    "//etc/passwd",
    "/.sitegen-output.json",
    "/first-note/%00index.html",
    "/_teacher/../../etc/passwd",
    "/_teacher/%2e%2e/%2e%2e/etc/passwd",
    "/_teacher/.sitegen-output.json",
])
def test_nothing_outside_the_site_is_served(served: Served, target: str) -> None:
    """Raw requests (http.client and urllib would normalise some of these paths)."""
    with socket.create_connection(("127.0.0.1", served.port), timeout=5) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\n"
                     "Connection: close\r\n\r\n".encode())
        response = b""
        while chunk := sock.recv(65536):
            response += chunk
    status = int(response.split(b" ", 2)[1])
    assert status in (400, 403, 404), response[:300]
    assert b"root:" not in response and b'"kind"' not in response


def test_requests_for_another_host_name_are_refused(served: Served) -> None:
    status, _ = served.get("/", headers={"Host": "attacker.example"})
    assert status == 403
    status, _ = served.get("/", headers={"Host": f"localhost:{served.port}"})
    assert status == 200


def raw_status(served: Served, path: str, headers: dict[str, str]) -> int:
    """The status of a GET sent byte for byte (urllib cannot send a WebSocket handshake)."""
    lines = [f"GET {path} HTTP/1.1", *(f"{k}: {v}" for k, v in headers.items()),
             "Connection: Upgrade" if "Upgrade" in headers else "Connection: close"]
    with socket.create_connection(("127.0.0.1", served.port), timeout=5) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        head = sock.recv(65536)
    return int(head.split(b" ", 2)[1])


def test_live_reload_script_gets_the_same_host_check(served: Served) -> None:
    """A page of attacker.example rebound to 127.0.0.1 (DNS rebinding) sends its own Host."""
    assert raw_status(served, "/livereload.js", {"Host": "attacker.example"}) == 403
    assert raw_status(served, "/livereload.js", {"Host": f"127.0.0.1:{served.port}"}) == 200


@pytest.mark.parametrize(("host", "origin", "expected"), [
    ("attacker.example", "http://attacker.example", 403),  # DNS rebinding
    ("127.0.0.1:{port}", "http://attacker.example", 403),  # another site's page
    ("127.0.0.1:{port}", "127.0.0.1:{port}", 403),  # not an address: no scheme
    ("127.0.0.1:{port}", "https://127.0.0.1:{port}", 403),  # not this server's scheme
    ("127.0.0.1:{port}", "http://127.0.0.1:{port}.attacker.example", 403),
    ("127.0.0.1:{port}", None, 403),  # browsers always send one
    ("127.0.0.1:{port}", "http://127.0.0.1:{port}", 101),
    ("localhost:{port}", "http://localhost:{port}", 101),
])
def test_live_reload_socket_checks_host_and_exact_origin(served: Served, host: str,
                                                         origin: str | None,
                                                         expected: int) -> None:
    handshake = {"Host": host.format(port=served.port), "Upgrade": "websocket",
                 "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}
    if origin is not None:
        handshake["Origin"] = origin.format(port=served.port)
    assert raw_status(served, "/livereload", handshake) == expected


# --------------------------------------------------------------------------- port, stopping


def test_a_port_in_use_is_a_clear_usage_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "sitegen", "serve", "--content", str(FIXTURE),
             "--port", str(port)],
            capture_output=True, text=True, timeout=60, check=False,
        )
    assert done.returncode == 2, done
    assert f"port {port} is already in use" in done.stderr
    assert "--port 0" in done.stderr and "Traceback" not in done.stderr


def test_ctrl_c_stops_the_server_and_removes_its_files(tmp_path: Path) -> None:
    with serving(tmp_path) as served:
        built = served.build_dir
        assert built.is_dir()
        served.proc.send_signal(signal.SIGINT)
        assert served.proc.wait(timeout=5) == 0
        wait_until(lambda: "Stopped." in served.stdout, "the goodbye")
        assert "Traceback" not in "\n".join(served.stderr)
        wait_until(lambda: not built.exists(), "the preview folder to be removed")


def test_open_opens_the_url_in_the_browser(tmp_path: Path) -> None:
    opened = tmp_path / "opened.txt"
    fake_browser = shlex.join([sys.executable, "-c",
                               f"import sys; open({str(opened)!r}, 'w').write(sys.argv[1])",
                               "%s"])
    with serving(tmp_path, "--open", env={"BROWSER": fake_browser}) as served:
        wait_until(opened.exists, "the browser to be opened")
        wait_until(lambda: opened.read_text() == served.url, "the URL to be written")


def test_make_serve_and_the_readme() -> None:
    root = FIXTURE.parents[2]
    done = subprocess.run(["make", "-n", "serve"], cwd=root, capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert ".venv/bin/sitegen serve --content content" in done.stdout
    readme = (root / "README.md").read_text("utf-8")
    assert "## Preview while you write" in readme and "make serve" in readme


# --------------------------------------------------------------------------- in-process units


def test_resolve_stays_inside_the_root(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "a").mkdir(parents=True)
    (root / "a/index.html").write_text("x")
    (tmp_path / "secret").write_text("s")
    (root / "link").symlink_to(tmp_path / "secret")
    assert resolve(root, "a/index.html") == (root / "a/index.html").resolve()
    assert resolve(root, "") == root.resolve()
    for bad in ("../secret", "a/../../secret", "link", ".hidden", "a\\..\\x", "a/\0"):
        assert resolve(root, bad) is None, bad


def test_injected_errors_are_escaped_and_the_csp_widened() -> None:
    page = (b'<html><head><meta http-equiv="Content-Security-Policy" content="default-src '
            b"'self'; script-src 'self'; connect-src 'self'\"></head><body class=\"x\"><p>hi"
            b"</p></body></html>")
    served = inject(page, origin="http://127.0.0.1:8123",
                    errors=["a.yaml:1:2: bad <script>alert(1)</script> & more"]).decode()
    assert "<script>alert(1)" not in served
    assert "bad &lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in served
    assert served.index('<body class="x"><section class="sitegen-overlay"') > 0
    assert "connect-src 'self' ws://127.0.0.1:8123" in served
    assert "sitegen-overlay" not in inject(page, origin="http://127.0.0.1:8123",
                                           errors=[]).decode()


def test_allow_origin_adds_missing_directives() -> None:
    policy = allow_origin("default-src 'none'", script="http://h:1", connect="ws://h:1")
    assert policy == "default-src 'none'; script-src 'self' http://h:1; connect-src 'self' ws://h:1"


def test_template_and_static_edits_are_watched_too(tmp_path: Path) -> None:
    # Serve from a copy of sitegen with its own theme, so the test may edit the theme.
    code = tmp_path / "code"
    root = Path(__file__).resolve().parents[1]
    skip = shutil.ignore_patterns("__pycache__")
    for folder in ("sitegen", "templates", "static"):
        shutil.copytree(root / folder, code / folder, ignore=skip)
    with serving(tmp_path, env={"PYTHONPATH": str(code)}) as served:
        assert "theme edited" not in served.page("/first-note/")
        template = code / "templates/article.html"
        template.write_text(template.read_text().replace(
            "</article>", "<p>theme edited</p></article>"))
        served.wait_for_page("/first-note/", lambda b: "theme edited" in b,
                             "the edited template")
        css = code / "static/sitegen.css"
        css.write_text(css.read_text() + "\n/* static edited */\n")
        served.wait_for_page("/assets/sitegen.css", lambda b: "static edited" in b,
                             "the edited stylesheet")
        served.assert_alive()


def test_pdf_handouts_only_when_asked(tmp_path: Path) -> None:
    with serving(tmp_path / "plain") as served:
        status, _ = served.get("/first-note/handout.pdf")
        assert status == 404
        assert "handout.pdf" not in served.page("/first-note/")
    with serving(tmp_path / "pdf", "--pdf") as served:
        request = urllib.request.Request(served.url + "first-note/handout.pdf")
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.read(5) == b"%PDF-"
        assert "handout.pdf" in served.page("/first-note/")


def test_the_annotator_of_an_imported_note_shows_in_the_preview_only(served: Served) -> None:
    """An entry import-hypothesis wrote carries ``# hypothesis: ID; by: NAME`` above it:
    the preview names the annotator in that note (explainer page and teacher key), the
    built pages never do."""
    path = served.content / "articles/first-note/annotations.yaml"
    name = "Ada <Lovelace> & co"
    # The note changes too, so the preview rebuilds the article (and says so).
    path.write_text(path.read_text("utf-8").replace(
        "  - id: costly-detour\n",
        f"  # hypothesis: aB3xY9; by: {name}\n  - id: costly-detour\n", 1).replace(
        "no figure is given", "no cost is given"), "utf-8")
    line = "Imported from Hypothesis, by Ada &lt;Lovelace&gt; &amp; co"
    for page in ("/first-note/", "/_teacher/first-note/teacher.html"):
        body = served.wait_for_page(page, lambda b: line in b, "the annotator's name")
        tree = parse(body)
        notes = [n for n in tree.find_all("div") if n.attrs.get("id") == "note-costly-detour"]
        assert len(notes) == 1, page
        shown = notes[0].find("p", cls="sitegen-imported")
        assert shown is not None and " ".join(shown.text().split()) == \
            f"Imported from Hypothesis, by {name}"
        assert len(tree.find_all("p", cls="sitegen-imported")) == 1, page  # that note only
    # The preview's own build, with the edited note, does not name the annotator.
    wait_until(lambda: any(x.startswith("Rebuilt in") and "first-note" in x
                           for x in served.stdout), "the rebuild after the edit")
    assert "no cost is given" in served.page("/first-note/")
    built = served.build_dir
    files = list(built.rglob("*.html")) + list(built.parent.rglob("*teacher*/**/*.html"))
    assert any(f.name == "teacher.html" for f in files)
    for file in files:
        text = file.read_text("utf-8")
        assert "Lovelace" not in text and "sitegen-imported" not in text, file
