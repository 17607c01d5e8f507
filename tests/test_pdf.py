"""Handout PDFs, read back with pypdf and poppler-utils: what each copy holds, paper size,
title and page number on every page, nothing past the margins, the seed's student copy in at
most six pages, reuse of unchanged PDFs, and the message when WeasyPrint cannot load.

The first page of each of the seed's PDFs is rendered to artifacts/handouts/*.png for a
person to look at (black and white legibility is judged there, not by a test).
"""

from __future__ import annotations

import functools
import html
import io
import multiprocessing
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from answers import answer_windows, file_words, leaks
from conftest import FIXTURES, ROOT, teacher_file
from pypdf import PdfReader

from sitegen import cli
from sitegen.build.builder import Builder
from sitegen.content.load import load_article, load_site
from sitegen.errors import Collector
from sitegen.model import Localized
from sitegen.output.folder import teacher_folder
from sitegen.text.anchoring import anchor_article
from sitegen.text.markdown import parse_markdown, to_html
from sitegen.theme import i18n, pdf
from sitegen.views import exercise, handout_pdf, handouts, sheets
from sitegen.views.assets import theme_assets

SEED = ROOT / "content"
SEED_SLUG = "musk-riyadh"
SEED_EDITIONS = {"fr": SEED_SLUG, "en": f"en/{SEED_SLUG}"}
LETTER = FIXTURES / "handout-letter"
ARTIFACTS = ROOT / "artifacts" / "handouts"
A4 = (595.276, 841.89)
US_LETTER = (612.0, 792.0)
MARGIN = 42.5  # 15 mm, the side margins of handout.css's @page


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seed") / "out"
    Builder(SEED, out).build()
    return out


@pytest.fixture(scope="module")
def letter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The letter fixture built as a teacher's few articles are: rendered in this process,
    the PDFs made on two workers from a fork server (see test_workers.py)."""
    out = tmp_path_factory.mktemp("letter") / "out"
    Builder(LETTER, out, jobs=2).build()
    return out


@functools.cache
def _pages_text(path: Path, mtime: int) -> tuple[str, ...]:
    return tuple(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


def pages_text(path: Path) -> list[str]:
    """The text of each page, white space folded (read once per file version: pypdf is slow)."""
    return list(_pages_text(path, path.stat().st_mtime_ns))


def seed_title() -> str:
    text = (SEED / f"articles/{SEED_SLUG}/article.md").read_text("utf-8")
    match = re.search(r'^title: "(.*)"$', text, re.M)
    assert match is not None
    return match.group(1)


@pytest.fixture
def forked(monkeypatch: pytest.MonkeyPatch) -> None:
    """The build's PDF workers are forked from this process, so they see what a test
    changed in it: not from a fork server, as they are when this process renders the few
    articles meanwhile (see test_workers.py)."""
    methods = multiprocessing.get_all_start_methods()
    monkeypatch.setattr(multiprocessing, "get_all_start_methods",
                        lambda: [m for m in methods if m != "forkserver"])


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, forked: None
            ) -> Callable[[], list[str]]:
    """Records each page WeasyPrint is asked to lay out, in this process or in the
    build's forked workers (which make PDFs on every core): call it for the list."""
    calls = tmp_path / "laid-out"
    calls.write_text("")
    real: Callable[..., bytes] = pdf.html_to_pdf

    def counting(html: bytes, **kwargs: object) -> bytes:
        with calls.open("a", encoding="utf-8") as f:  # one short write: whole lines
            f.write(f"{kwargs['path']}\n")
        return real(html, **kwargs)

    monkeypatch.setattr(pdf, "html_to_pdf", counting)
    return lambda: calls.read_text("utf-8").splitlines()


# What the copies hold

@pytest.mark.parametrize("folder", ["river", "fr/river"])
def test_questions_in_both_answers_and_notes_only_in_the_teacher_key(letter: Path,
                                                                      folder: str) -> None:
    student = " ".join(pages_text(letter / f"{folder}/handout.pdf"))
    teacher = " ".join(pages_text(teacher_file(letter, f"{folder}/teacher.pdf")))
    questions = (["Can you find the newspaper?", "Who wrote this story?"] if folder == "river"
                 else ["Pouvez-vous trouver le journal ?", "Qui a écrit cet article ?"])
    for question in questions:
        assert question in student
        assert question in teacher
    assert "quokka" not in student.lower() and "quokka" in teacher.lower()
    assert "pangolin" not in student.lower() and "pangolin" in teacher.lower()
    assert "https://example.org/council/river-plan" in teacher
    assert "example.org/council" not in student


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_seed_pdfs_hold_the_questions_and_only_the_key_has_answers(seed: Path,
                                                                   lang: str) -> None:
    folder = SEED_EDITIONS[lang]
    student = " ".join(pages_text(seed / f"{folder}/handout.pdf"))
    teacher = " ".join(pages_text(teacher_file(seed, f"{folder}/teacher.pdf")))
    t = i18n.catalogue(lang)
    assert t["handout_questions_highlights"] in student
    assert t["handout_answer"] not in student and t["handout_answer"] in teacher
    assert t["lesson_title"] not in student and t["lesson_title"] in teacher
    assert t["glossary_title"] in student and t["sift_title"] in student


def _words(text: str) -> str:
    """Only the words, so that quotes and spaces set by typography do not matter."""
    return " ".join(re.findall(r"\w+", text))


def _plain(markdown: str) -> str:
    """A Markdown field's words as the reader sees them."""
    return _words(html.unescape(re.sub(r"<[^>]+>", "", to_html(parse_markdown(markdown)))))


def _fragments(lang: str) -> dict[str, list[str]]:
    """Words of every note, answer and provenance text of the seed, every source URL, and
    the category labels: what no student copy may print."""
    site = load_site(SEED, Collector())
    assert site is not None
    article = load_article(SEED / "articles" / SEED_SLUG, site, Collector())
    assert article is not None

    def text(value: Localized | None) -> str | None:
        return value.resolve(lang, site.default_language).text if value else None

    found: dict[str, list[str]] = {"note": [], "answer": [], "url": [], "provenance": [],
                                   "category": []}
    for ann in article.annotations:
        found["note"].append(text(ann.note) or "")
        found["answer"].append(text(ann.answer) or "")
        found["url"] += [s.url for s in ann.sources]
    found["answer"] += [text(q.answer) or "" for q in article.questions]
    found["provenance"].append(text(article.provenance) or "")
    found["provenance"] += [_words(v) for v in (article.outlet, article.author,
                                                article.published, article.original_url) if v]
    found["category"] = [text(c.label) or "" for c in site.categories]
    words = {k: [v if k in ("url", "category") else " ".join(_plain(v).split()[:10])
                 for v in values if v] for k, values in found.items()}
    return {k: [v for v in values if v] for k, values in words.items()}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_student_copies_print_no_note_answer_source_or_provenance(seed: Path,
                                                                    lang: str) -> None:
    folder = SEED_EDITIONS[lang]
    teacher = _words(" ".join(pages_text(teacher_file(seed, f"{folder}/teacher.pdf"))))
    fragments = _fragments(lang)
    assert fragments["note"] and fragments["answer"] and fragments["url"]
    for kind in ("note", "answer", "provenance"):
        # The key prints them all, so reading them back works and their absence means it.
        assert all(f in teacher for f in fragments[kind]), kind
    exercise = " ".join(pages_text(seed / f"{folder}/exercise.pdf"))
    student = " ".join(pages_text(seed / f"{folder}/handout.pdf"))
    for copy in (exercise, student):
        assert "http" not in copy and not [u for u in fragments["url"] if u in copy]
        for kind in ("note", "answer", "provenance"):
            leaked = [f for f in fragments[kind] if f in _words(copy)]
            assert leaked == [], kind
    t = i18n.catalogue(lang)
    assert t["handout_how_to_read"] not in exercise
    for label in fragments["category"]:
        assert label not in exercise


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_exercise_prints_the_article_with_line_numbers(seed: Path, lang: str) -> None:
    text = " ".join(pages_text(seed / f"{SEED_EDITIONS[lang]}/exercise.pdf"))
    site = load_site(SEED, Collector())
    assert site is not None
    article = load_article(SEED / "articles" / SEED_SLUG, site, Collector())
    assert article is not None
    anchored = anchor_article(article, Collector())
    assert anchored is not None
    lines = [line for p in exercise.paragraphs(anchored) for line in p.lines]
    assert len(lines) > 10
    text = re.sub(r"§\s*\d+\s*", " ", text)  # the paragraph numbers
    between = []
    for line in lines:  # each line whole and in order, its number next to it
        at = text.find(" ".join(line.text.split()))
        assert at >= 0, line
        between.append(text[:at])
        text = text[at + len(line.text.rstrip()):]
    numbers = [int(n) for n in re.findall(r"\d+", " ".join([*between, text]))]
    expected = iter(numbers)
    assert all(line.number in expected for line in lines)  # 1, 2, 3... in that order


# Paper, pages, margins

def pdfs_of(out: Path) -> list[Path]:
    """Every PDF a build wrote: in the students' site and in the teacher's folder."""
    return sorted([*out.rglob("*.pdf"), *teacher_folder(out).rglob("*.pdf")])


def test_letter_paper_from_site_yaml(letter: Path) -> None:
    for path in pdfs_of(letter):
        for page in PdfReader(path).pages:
            box = page.mediabox
            assert (float(box.width), float(box.height)) == pytest.approx(US_LETTER, abs=1)


def test_no_pdf_of_the_students_site_holds_an_answer(seed: Path) -> None:
    """Every PDF in the site (the exercise and student copies, both editions) is free of the
    model answers, which the teacher's key holds (see test_teacher_folder.py for the rest)."""
    windows = answer_windows(SEED, SEED_SLUG)
    found = sorted(seed.rglob("*.pdf"))
    assert len(found) == 4
    for path in found:
        assert leaks(windows, file_words(path, " ".join(pages_text(path)))) == [], path
    keys = " ".join(file_words(p, " ".join(pages_text(p)))
                    for p in teacher_folder(seed).rglob("teacher.pdf"))
    assert sorted(leaks(windows, keys)) == sorted(windows)  # read where they are


def test_seed_pdfs_are_a4(seed: Path) -> None:
    found = pdfs_of(seed)
    assert len(found) == 2 * len(sheets.KINDS)
    assert len(list(teacher_folder(seed).rglob("*.pdf"))) == 2  # the keys, one per edition
    for path in found:
        for page in PdfReader(path).pages:
            box = page.mediabox
            assert (float(box.width), float(box.height)) == pytest.approx(A4, abs=1)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_seed_exercise_fits_in_four_pages(seed: Path, lang: str) -> None:
    assert len(PdfReader(seed / f"{SEED_EDITIONS[lang]}/exercise.pdf").pages) <= 4


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_seed_student_copy_fits_in_six_pages(seed: Path, lang: str) -> None:
    assert len(PdfReader(seed / f"{SEED_EDITIONS[lang]}/handout.pdf").pages) <= 6


@pytest.mark.parametrize("kind", sheets.KINDS)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_title_and_page_number_on_every_page(seed: Path, lang: str, kind: str) -> None:
    texts = pages_text(teacher_file(seed, f"{SEED_EDITIONS[lang]}/{kind}.pdf"))
    title = seed_title()
    for number, text in enumerate(texts, 1):
        assert f"{number} / {len(texts)}" in text
        assert title in text


def test_title_and_page_number_on_letter_pages(letter: Path) -> None:
    texts = pages_text(teacher_file(letter, "river/teacher.pdf"))
    assert len(texts) > 1
    for number, text in enumerate(texts, 1):
        assert f"{number} / {len(texts)}" in text
        assert "The mayor’s “historic” plan for the river" in text


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_lesson_outline_is_one_page(seed: Path, lang: str) -> None:
    texts = pages_text(teacher_file(seed, f"{SEED_EDITIONS[lang]}/teacher.pdf"))
    t = i18n.catalogue(lang)
    assert t["lesson_title"] in texts[0]
    assert " ".join(t["lesson_tip_people"].split()) in texts[0]  # its last line
    assert all(t["lesson_title"] not in text for text in texts[1:])


def words_outside(path: Path, margin: float) -> list[str]:
    """Words whose box crosses the page's side margins or its edges (pdftotext -bbox)."""
    xml = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    bad: list[str] = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', xml, re.S):
        width, height = float(page.group(1)), float(page.group(2))
        for word in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                                r'yMax="([\d.]+)">(.*?)</word>', page.group(3)):
            x0, y0, x1, y1 = (float(word.group(i)) for i in range(1, 5))
            if x0 < margin - 1 or x1 > width - margin + 1 or y0 < 10 or y1 > height - 10:
                bad.append(f"{word.group(5)} at x {x0:.0f}-{x1:.0f}, y {y0:.0f}-{y1:.0f}")
    return bad


@pytest.mark.parametrize("kind", sheets.KINDS)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_nothing_crosses_the_margins(seed: Path, lang: str, kind: str) -> None:
    assert words_outside(teacher_file(seed, f"{SEED_EDITIONS[lang]}/{kind}.pdf"), MARGIN) == []


def test_nothing_crosses_the_margins_on_letter(letter: Path) -> None:
    for path in pdfs_of(letter):
        assert words_outside(path, MARGIN) == []


def test_handouts_render_without_weasyprint_warnings(seed: Path) -> None:
    site = load_site(SEED, Collector())
    assert site is not None
    for kind in sheets.KINDS:
        rel = f"{SEED_SLUG}/{kind}.html"
        messages: list[str] = []
        pdf.html_to_pdf(teacher_file(seed, rel).read_bytes(), path=rel,
                        assets=theme_assets(site), paper=site.paper, messages=messages)
        assert messages == []


def test_printed_web_page_is_a_clean_document(seed: Path) -> None:
    """The explainer page laid out for print (print.css): no screen-only parts, no URL
    fetched from outside, nothing past the margins."""
    site = load_site(SEED, Collector())
    assert site is not None
    rel = f"{SEED_SLUG}/index.html"
    messages: list[str] = []
    data = pdf.html_to_pdf((seed / rel).read_bytes(), path=rel, assets=theme_assets(site),
                           paper="A4", messages=messages)
    assert not [m for m in messages if m.startswith("refused")]
    printed = Path(seed.parent / "printed.pdf")
    printed.write_bytes(data)
    text = " ".join(pages_text(printed))
    t = i18n.catalogue("fr")
    for hidden in ("skip_to_content", "legend_hint", "handouts_title", "back_to_text"):
        assert t[hidden] not in text
    assert seed_title() in text
    assert words_outside(printed, 30) == []  # print.css: 15 mm side margins


# An image of the first page, for a person to look at

@pytest.mark.parametrize("kind", sheets.KINDS)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_first_page_rendered_to_png(seed: Path, lang: str, kind: str) -> None:
    assert shutil.which("pdftoppm"), "pdftoppm missing: run scripts/system-deps.sh"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stem = ARTIFACTS / f"{lang}-{SEED_SLUG}-{kind}"
    png = stem.with_suffix(".png")
    png.unlink(missing_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile",
                    str(teacher_file(seed, f"{SEED_EDITIONS[lang]}/{kind}.pdf")), str(stem)],
                   check=True, capture_output=True)
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


# Reuse: a PDF is made again only when its inputs changed

def _stats(out: Path) -> dict[str, tuple[int, int]]:
    """Each PDF of the site and of the teacher's folder (the key's name is its own)."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for folder in (out, teacher_folder(out)) for p in folder.rglob("*.pdf")}


def built_copy(letter: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A writable copy of the letter fixture and of its built output, with the teacher's
    folder (manifests included)."""
    content, out = tmp_path / "content", tmp_path / "out"
    shutil.copytree(LETTER, content)
    shutil.copytree(letter, out)
    shutil.copytree(teacher_folder(letter), teacher_folder(out))
    return content, out


def test_unchanged_inputs_reuse_every_pdf(letter: Path, tmp_path: Path,
                                          counted: Callable[[], list[str]]) -> None:
    content, out = built_copy(letter, tmp_path)
    before = _stats(out)
    assert len(before) == 2 * len(sheets.KINDS)
    result = Builder(content, out).build()  # a new builder: nothing cached in memory
    assert counted() == []
    assert _stats(out) == before
    assert result.stats.written == 0


def test_changing_a_note_remakes_only_that_teacher_key(letter: Path, tmp_path: Path,
                                                       counted: Callable[[], list[str]]) -> None:
    content, out = built_copy(letter, tmp_path)
    before = _stats(out)
    old_key = teacher_file(out, "river/teacher.pdf").read_bytes()
    ann = content / "articles/river/annotations.yaml"
    ann.write_text(ann.read_text("utf-8").replace("Strong pangolin words",
                                                  "Strong pangolin words, changed"), "utf-8")
    Builder(content, out).build()
    assert counted() == ["river/teacher.html"]
    assert teacher_file(out, "river/teacher.pdf").read_bytes() != old_key
    assert "changed" in " ".join(pages_text(teacher_file(out, "river/teacher.pdf")))
    after = _stats(out)
    for rel in ("river/handout.pdf", "fr/river/handout.pdf", "fr/river/teacher.pdf"):
        assert after[rel] == before[rel]


def test_a_pdf_edited_on_disk_is_made_again(letter: Path, tmp_path: Path,
                                            counted: Callable[[], list[str]]) -> None:
    content, out = built_copy(letter, tmp_path)
    # A copied folder's files are sitegen's once a build has claimed the copy (before, a
    # file changed in a copy could be the user's own).
    Builder(content, out).build()
    before = len(counted())
    (out / "river/handout.pdf").write_bytes(b"not the PDF sitegen wrote")
    teacher_file(out, "fr/river/teacher.pdf").unlink()
    Builder(content, out).build()
    assert sorted(counted()[before:]) == ["fr/river/teacher.html", "river/handout.html"]
    assert (out / "river/handout.pdf").read_bytes().startswith(b"%PDF-")
    assert teacher_file(out, "fr/river/teacher.pdf").read_bytes().startswith(b"%PDF-")


def test_paper_size_is_part_of_the_key(letter: Path, tmp_path: Path,
                                       counted: Callable[[], list[str]]) -> None:
    content, out = built_copy(letter, tmp_path)
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text("utf-8").replace("paper: Letter", "paper: A4"),
                         "utf-8")
    Builder(content, out).build()
    assert len(counted()) == 2 * len(sheets.KINDS)
    box = PdfReader(out / "river/handout.pdf").pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A4, abs=1)


def test_no_pdf_build_writes_no_pdf(tmp_path: Path, counted: Callable[[], list[str]]) -> None:
    out = tmp_path / "out"
    assert cli.main(["build", "--content", str(LETTER), "--out", str(out), "--no-pdf"]) == 0
    assert counted() == []
    assert not pdfs_of(out)
    assert (out / "river/handout.html").is_file()
    assert teacher_file(out, "river/teacher.html").is_file()


# Bad environment, bad URLs

@pytest.mark.parametrize("error", [
    OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared "
            "object file: No such file or directory"),
    ImportError("No module named 'weasyprint'"),
])
def test_missing_library_gives_a_clear_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str],
                                               error: Exception, forked: None) -> None:
    def failing(name: str) -> object:
        raise error

    monkeypatch.setattr(pdf, "_import_module", failing)
    out = tmp_path / "out"
    assert cli.main(["build", "--content", str(LETTER), "--out", str(out)]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert "sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0" in err
    assert "--no-pdf" in err
    assert "Traceback" not in err
    assert not out.exists() or not any(out.iterdir())  # nothing written


def test_pdf_loads_only_the_sites_own_assets() -> None:
    html = (b"<!DOCTYPE html><html><head><meta charset='utf-8'>"
            b"<link rel='stylesheet' href='../assets/ok.css'>"
            b"<link rel='stylesheet' href='https://example.org/x.css'>"
            b"<link rel='stylesheet' href='../../../../etc/passwd'></head>"
            b"<body><p class='ok'>Bonjour</p><img src='file:///etc/hostname' alt=''>"
            b"<img src='http://example.org/a.png' alt=''></body></html>")
    messages: list[str] = []
    data = pdf.html_to_pdf(html, path="article/handout.html",
                           assets={"assets/ok.css": b".ok { color: #000 }"}, messages=messages)
    assert data.startswith(b"%PDF-")
    refused = sorted(m.removeprefix("refused ") for m in messages if m.startswith("refused "))
    assert len(refused) == 4
    for url in ("file:///etc/hostname", "http://example.org/a.png", "https://example.org/x.css"):
        assert url in refused
    assert any(url.endswith("/etc/passwd") for url in refused)


@pytest.mark.parametrize(("url", "expected"), [
    (pdf.SITE_URL + "assets/handout.css", "assets/handout.css"),
    (pdf.SITE_URL + "en/../assets/x.css", "assets/x.css"),
    (pdf.SITE_URL + "../outside", None),
    ("file:///etc/passwd", None),
    ("https://example.org/", None),
    ("data:text/css,p{}", None),
])
def test_site_path(url: str, expected: str | None) -> None:
    assert pdf._site_path(url) == expected


def test_artifacts_folder_is_ignored_by_git() -> None:
    ignored = (ROOT / ".gitignore").read_text("utf-8").split()
    assert "artifacts/" in ignored


# Fitting the pages: no student sheet ends on a page that holds only a few lines

MIN_LAST_PAGE = 1 / 3
"""The least share of its page the text of a student sheet's last page fills (measured by
pdftotext, from the top of the text area to the lowest word above the footer)."""
TOP, BOTTOM = 45.35, 42.52  # the 16 mm and 15 mm top and bottom margins of handout.css


def text_fill(path: Path) -> list[float]:
    """Each page's share of its text area that holds text (pdftotext -bbox): the running
    title and the page number, in the margins, do not count."""
    xml = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    fills: list[float] = []
    for page in re.finditer(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', xml, re.S):
        height = float(page.group(1))
        lows = [y for y in map(float, re.findall(r'yMax="([\d.]+)"', page.group(2)))
                if TOP < y < height - BOTTOM]
        fills.append((max(lows, default=TOP) - TOP) / (height - TOP - BOTTOM))
    return fills


def student_sheets(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.pdf")
                  if p.name in (f"{sheets.EXERCISE}.pdf", f"{sheets.STUDENT}.pdf"))


@pytest.mark.parametrize("build", ["seed", "letter"])
def test_no_student_sheet_ends_on_a_nearly_empty_page(build: str,
                                                      request: pytest.FixtureRequest) -> None:
    """The seed in both editions (its English student copy had a 4th page holding only the
    glossary, its English exercise a 3rd page with two questions) and the letter fixture."""
    out: Path = request.getfixturevalue(build)
    found = student_sheets(out)
    assert len(found) == 4  # exercise and student copy, in two editions
    for path in found:
        fills = text_fill(path)
        assert len(fills) == 1 or fills[-1] >= MIN_LAST_PAGE, (path, fills)


def _page(body: str) -> bytes:
    """A page with a block of ``body`` height, then one line; the class ``fit-short`` on
    the root makes the block shorter, ``fit-long`` the line taller (its rule shows where
    it ends), ``fit-more`` adds a third page."""
    style = ("@page { size: A4; margin: 0 } body { margin: 0 }"
             f" .block {{ height: {body} }} html.fit-short .block {{ height: 700pt }}"
             " p { margin: 0; height: 30pt; border-bottom: 1pt solid }"
             " html.fit-long p { height: 400pt } .more { display: none }"
             " html.fit-more .more { display: block; height: 400pt; break-before: page }")
    return (f"<!DOCTYPE html><html><head><style>{style}</style></head><body>"
            "<div class='block'></div><p>The last line</p><div class='more'></div>"
            "</body></html>").encode()


def _pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def test_a_nearly_empty_last_page_is_fitted_away() -> None:
    spilled = _page("830pt")  # 830 + 30 > 842 (A4): the line alone on page 2
    plain = pdf.html_to_pdf(spilled, path="a/b.html", assets={})
    assert _pages(plain) == 2
    assert _pages(pdf.html_to_pdf(spilled, path="a/b.html", assets={},
                                  fits=("fit-short",))) == 1
    # A layout that changes nothing is passed over for the next, which fills the last
    # page instead (400pt of 842, more than MIN_FILL).
    filled = pdf.html_to_pdf(spilled, path="a/b.html", assets={}, fits=("fit-long",))
    assert _pages(filled) == 2 and filled != plain
    assert pdf.html_to_pdf(spilled, path="a/b.html", assets={},
                           fits=("fit-none", "fit-long")) == filled
    # One that adds a page is never kept, however full its last page.
    assert pdf.html_to_pdf(spilled, path="a/b.html", assets={}, fits=("fit-more",)) == plain


def test_a_page_that_fits_is_laid_out_as_written() -> None:
    fitting = _page("500pt")
    plain = pdf.html_to_pdf(fitting, path="a/b.html", assets={})
    assert pdf.html_to_pdf(fitting, path="a/b.html", assets={}, fits=("fit-short",)) == plain


def test_the_layouts_a_pdf_may_take_are_part_of_its_key() -> None:
    assert handouts.pdf_key(b"<p>", {}, "A4") != handouts.pdf_key(b"<p>", {}, "A4",
                                                                  handout_pdf.FITS)
