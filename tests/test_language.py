"""An article in a language that is not an edition: its words carry their own ``lang`` on
every page sitegen writes, and ``sitegen check`` asks for a translation per edition."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, run_main
from htmltree import Element, parse

from sitegen.output.folder import teacher_folder

ARTICLE = "articles/sample/article.md"
# Words of the mini article's headline and body, each in one text piece of a page.
ARTICLE_WORDS = ("for the river", "The council will vote in March", "a local newspaper",
                 "2 million euros")


def _in_german(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", content)
    md = content / ARTICLE
    md.write_text(md.read_text("utf-8").replace("language: en", "language: de"), "utf-8")
    (content / "articles/sample/translation.fr.md").unlink()
    # The quotes were in English and French: now one text each, in the article's language.
    ann = content / "articles/sample/annotations.yaml"
    ann.write_text(re.sub(r'\{en: ("[^"]*"), fr: "[^"]*"\}', r"\1", ann.read_text("utf-8")),
                   "utf-8")
    return content


def _lang_of(el: Element) -> str | None:
    for node in (el, *el.ancestors()):
        if "lang" in node.attrs:
            return node.attrs["lang"]
    return None


@pytest.fixture(scope="module")
def german_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("german")
    content = _in_german(tmp)
    out = tmp / "site"
    done = run_main("build", "--content", content, "--out", out, "--no-pdf")
    assert done.returncode == 0, done.stderr
    return out


def test_the_articles_words_carry_its_language_on_every_page(german_site: Path) -> None:
    seen: dict[str, set[str]] = {}
    teacher = teacher_folder(german_site)
    for page in sorted([*german_site.rglob("*.html"), *teacher.rglob("*.html")]):
        doc = parse(page.read_text("utf-8"))
        folder = teacher if teacher in page.parents else german_site
        for el in doc.iter():
            if el.tag in ("title", "script"):  # a script block holds data, not shown text
                continue
            for piece in (c for c in el.children if isinstance(c, str)):
                for words in ARTICLE_WORDS:
                    if words in piece:
                        rel = page.relative_to(folder).as_posix()
                        assert _lang_of(el) == "de", (rel, el.tag, piece)
                        seen.setdefault(rel, set()).add(words)
    # The pages that show the article: both editions' explainers and handouts, and the index.
    for rel in ("sample/index.html", "fr/sample/index.html", "sample/handout.html",
                "sample/teacher.html", "fr/sample/teacher.html"):
        assert rel in seen, sorted(seen)
    assert "for the river" in seen["index.html"] and "for the river" in seen[
        "fr/index.html"]
    assert seen["sample/index.html"] == set(ARTICLE_WORDS)


def test_check_asks_for_a_translation_into_each_edition(tmp_path: Path) -> None:
    content = _in_german(tmp_path)
    done = run_main("check", "--content", content)
    assert done.returncode == 0, done.stderr
    warning = re.search(r"^(.*):(\d+):(\d+): warning: the article is in 'de', which is not an "
                        r"edition of this site \(en, fr\), and has no translation into en, fr "
                        r"\(.*add translation\.en\.md", done.stderr, re.M)
    assert warning, done.stderr
    assert warning.group(1).endswith("article.md") and warning.group(2, 3) == ("3", "11")

    body = (content / ARTICLE).read_text("utf-8").split("---\n", 2)[2]
    (content / "articles/sample/translation.en.md").write_text(body, "utf-8")
    done = run_main("check", "--content", content)
    assert "has no translation into fr (" in done.stderr, done.stderr
    (content / "articles/sample/translation.fr.md").write_text(body, "utf-8")
    done = run_main("check", "--content", content)
    assert done.returncode == 0 and "has no translation" not in done.stderr, done.stderr


def test_an_article_in_an_edition_needs_no_translation(mini: Path) -> None:
    done = run_main("check", "--content", mini)
    assert done.returncode == 0 and "has no translation" not in done.stderr, done.stderr
