"""A build with a class code (SITEGEN_TEACHER_CODE): the teacher key also in the students'
site, locked, its links the site's; the code nowhere on disk; a new code locks again, and
no code removes the locked copies. The locks themselves are opened in test_lock.py."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from answers import answer_windows, file_words, leaks
from conftest import FIXTURES, run_main
from htmltree import parse
from pypdf import PdfReader
from test_lock import decrypt

from sitegen.output.folder import teacher_folder
from sitegen.output.lock import ENV

CODE = "river lantern, class 4B"
EDITIONS = ("sample", "fr/sample")


def _build(content: Path, out: Path, code: str | None, monkeypatch: pytest.MonkeyPatch,
           *more: str) -> str:
    if code is None:
        monkeypatch.delenv(ENV, raising=False)
    else:
        monkeypatch.setenv(ENV, code)
    done = run_main("build", "--content", content, "--out", out, *more)
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


def _opened(page: Path, code: str) -> bytes:
    """The locked page's key, opened as the browser does (test_lock.py's way)."""
    block = parse(page.read_text("utf-8")).by_id("locked-key")
    assert block is not None and block.tag == "script"
    return decrypt(json.loads(block.text()), code)


@pytest.fixture(scope="module")
def locked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini site built with PDFs and a class code (read only)."""
    out = tmp_path_factory.mktemp("locked") / "site"
    with pytest.MonkeyPatch.context() as monkeypatch:
        said = _build(FIXTURES / "mini", out, CODE, monkeypatch)
    assert "locked with the class code" in said and CODE not in said
    return out


def test_the_key_is_in_the_site_locked_and_opens_with_the_code(locked: Path) -> None:
    for edition in EDITIONS:
        page = locked / edition / "teacher.html"
        tree = parse(page.read_text("utf-8"))
        assert tree.find("input", type="password") is not None
        key = _opened(page, CODE).decode("utf-8")
        opened = parse(key)
        # The key as the site shows it: its links are the site's, none to the class page.
        nav = opened.find("nav")
        assert nav is not None
        hrefs = [a.attrs.get("href", "") for a in nav.find_all("a")]
        assert "class.html" not in hrefs and "index.html" in hrefs, hrefs
        for href in hrefs:
            assert (page.parent / href).resolve().is_file(), href
        # The same key as the teacher's folder has: the same notes and answers.
        plain = (teacher_folder(locked) / edition / "teacher.html").read_text("utf-8")
        assert _main_text(key) == _main_text(plain)
        reader = PdfReader(locked / edition / "teacher.pdf")
        assert reader.is_encrypted and reader.decrypt(CODE)
        mine = PdfReader(teacher_folder(locked) / edition / "teacher.pdf")
        assert [p.extract_text() for p in reader.pages] == [p.extract_text() for p in mine.pages]
    nav = parse((locked / "sample/exercise.html").read_text("utf-8")).find("nav")
    assert nav is not None
    assert "teacher.html" in [a.attrs.get("href") for a in nav.find_all("a")]


def _main_text(html: str) -> str:
    main = parse(html).find("main")
    assert main is not None
    return " ".join(main.text().split())


def test_no_answer_can_be_read_in_the_site_without_the_code(locked: Path) -> None:
    windows = answer_windows(FIXTURES / "mini", "sample")
    assert windows
    for path in sorted(locked.rglob("*")):
        if path.suffix in (".html", ".js", ".css", ".jsonld"):
            assert leaks(windows, file_words(path)) == [], path
        elif path.suffix == ".pdf":
            reader = PdfReader(path)
            text = "" if reader.is_encrypted else " ".join(p.extract_text() for p in reader.pages)
            assert leaks(windows, file_words(path, text)) == [], path
            assert reader.is_encrypted == (path.name == "teacher.pdf"), path


def test_the_code_is_written_nowhere(locked: Path) -> None:
    needle = CODE.encode()
    folders = [locked, teacher_folder(locked), Path(os.environ["XDG_CACHE_HOME"]),
               Path(os.environ["XDG_STATE_HOME"])]
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                assert needle not in path.read_bytes(), path


def test_a_new_code_locks_again_and_no_code_removes_the_locked_copies(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    _build(FIXTURES / "mini", out, CODE, monkeypatch, "--no-pdf")
    page = out / "sample/teacher.html"
    assert _opened(page, CODE)
    assert "0 written" in _build(FIXTURES / "mini", out, CODE, monkeypatch, "--no-pdf")
    _build(FIXTURES / "mini", out, "another code for 4B", monkeypatch, "--no-pdf")
    assert _opened(page, "another code for 4B")
    _build(FIXTURES / "mini", out, None, monkeypatch, "--no-pdf")
    assert not page.exists() and (teacher_folder(out) / "sample/teacher.html").is_file()
    nav = parse((out / "sample/handout.html").read_text("utf-8")).find("nav")
    assert nav is not None
    assert "teacher.html" not in [a.attrs.get("href") for a in nav.find_all("a")]


@pytest.mark.parametrize(("code", "said"), [(" ", "empty"), ("4B", "only 2 characters")])
def test_an_empty_code_is_refused_and_a_short_one_said(tmp_path: Path, code: str, said: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, code)
    done = run_main("build", "--content", FIXTURES / "mini", "--out", tmp_path / "s", "--no-pdf")
    assert said in done.stderr and "Traceback" not in done.stderr
    assert done.returncode == (2 if not code.strip() else 0)
