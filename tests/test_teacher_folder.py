"""Two audiences, two folders: the students' site holds no answer and links to no teacher's
page; the teacher's folder, beside it or where --teacher-out says, holds the keys and the
class pages, with pages of its own that link only inside it."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest
from answers import answer_windows, file_words, leaks
from conftest import FIXTURES, ROOT, Built, run_main
from htmltree import parse

from sitegen.output.folder import teacher_folder

SEED_SLUG = "musk-riyadh"
EDITION_FOLDERS = ("", "en/")  # the seed's editions: the default at the root


def _links(page: Path) -> list[str]:
    """Every relative href and src of a page (what the page links to or loads)."""
    found = []
    for el in parse(page.read_text("utf-8")).iter():
        for attr in ("href", "src"):
            url = el.attrs.get(attr)
            if url is not None and not urlparse(url).scheme:
                found.append(url.partition("#")[0])
    return [url for url in found if url]


def test_the_key_and_the_class_page_are_in_the_teachers_folder_only(built_seed: Built) -> None:
    teacher = built_seed.teacher
    assert teacher == teacher_folder(built_seed.out) and teacher.name == "site-teacher"
    for edition in EDITION_FOLDERS:
        here = f"{edition}{SEED_SLUG}"
        assert (teacher / here / "teacher.html").is_file()
        assert not (built_seed.out / here / "teacher.html").exists()
        assert (built_seed.out / here / "exercise.html").is_file()
        assert not (teacher / here / "exercise.html").exists()
    assert not list(built_seed.out.rglob("teacher.*")) and not list(built_seed.out.rglob("class.*"))


def test_the_teachers_pages_link_only_inside_their_folder(built_seed: Built) -> None:
    teacher = built_seed.teacher.resolve()
    pages = sorted(teacher.rglob("*.html"))
    assert len(pages) >= 4  # an index and a key per edition, at least
    for page in pages:
        for url in _links(page):
            target = (page.parent / url).resolve()
            assert target.is_file() and teacher in target.parents, (page, url)
    index = parse((teacher / "index.html").read_text("utf-8"))
    assert f"{SEED_SLUG}/teacher.html" in [a.attrs.get("href") for a in index.find_all("a")]


def test_no_student_page_links_to_a_teachers_page(built_seed: Built) -> None:
    out = built_seed.out.resolve()
    for page in sorted(out.rglob("*.html")):
        for url in _links(page):
            target = (page.parent / url).resolve()
            assert out in target.parents, (page, url)
            assert target.name not in ("teacher.html", "teacher.pdf", "class.html"), (page, url)


def test_no_file_of_the_students_site_holds_an_answer(built_seed: Built) -> None:
    """HTML (text and attributes), scripts, stylesheets, JSON-LD: no model answer, in any
    language, anywhere in the site; the PDFs are read in test_pdf.py."""
    windows = answer_windows(ROOT / "content", SEED_SLUG)
    assert len(windows) >= 10 and all(windows.values())
    files = [p for p in sorted(built_seed.out.rglob("*")) if p.is_file()
             and p.suffix in (".html", ".js", ".css", ".json", ".jsonld", ".svg")]
    assert {p.suffix for p in files} >= {".html", ".js", ".css", ".jsonld"}
    for path in files:
        assert leaks(windows, file_words(path)) == [], path
    # The words are the ones the pages show: the teacher's folder has every answer.
    keys = " ".join(file_words(p) for p in built_seed.teacher.rglob("teacher.html"))
    assert sorted(leaks(windows, keys)) == sorted(windows)


def test_teacher_out_is_where_the_teacher_says_and_never_inside_the_site(
        tmp_path: Path) -> None:
    out, mine = tmp_path / "site", tmp_path / "elsewhere" / "keys"
    done = run_main("build", "--content", FIXTURES / "mini", "--out", out,
                    "--teacher-out", mine, "--no-pdf")
    assert done.returncode == 0, done.stderr
    assert (mine / "sample/teacher.html").is_file() and not teacher_folder(out).exists()
    assert str(out) in done.stdout and str(mine) in done.stdout  # the summary names both
    for teacher in (out / "keys", out, tmp_path):
        refused = run_main("build", "--content", FIXTURES / "mini", "--out", out,
                           "--teacher-out", teacher, "--no-pdf")
        assert refused.returncode == 2, teacher
        assert "--teacher-out" in refused.stderr and "Traceback" not in refused.stderr


@pytest.mark.parametrize("where", ["default", "given"])
def test_the_default_folder_is_beside_the_site(tmp_path: Path, where: str) -> None:
    out = tmp_path / "_site"
    args = ["--teacher-out", tmp_path / "t"] if where == "given" else []
    done = run_main("build", "--content", FIXTURES / "mini", "--out", out, "--no-pdf", *args)
    assert done.returncode == 0, done.stderr
    teacher = tmp_path / ("t" if where == "given" else "_site-teacher")
    assert (teacher / "sample/teacher.html").is_file()
    assert (teacher / "fr/sample/teacher.html").is_file()
    assert (teacher / "assets/handout.css").is_file()
