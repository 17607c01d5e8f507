"""``rights:`` in article.md: plain text on reusing the article, shown on its page under the
text, checked like any other field, known to the editor's schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from conftest import FIXTURES, ROOT, Built, run_main
from htmltree import parse

RIGHTS = "© The Daily Example 2025, reproduced for classroom use"
ARTICLE = "articles/sample/article.md"


def test_the_fixture_says_its_rights() -> None:
    assert f'rights: "{RIGHTS}"\n' in (FIXTURES / "mini" / ARTICLE).read_text("utf-8")


@pytest.mark.parametrize("rel", ["sample/index.html", "fr/sample/index.html"])
def test_rights_are_shown_under_the_text(built_mini: Built, rel: str) -> None:
    doc = parse((built_mini.out / rel).read_text("utf-8"))
    section = doc.find("section", cls="article-text")
    assert section is not None
    (shown,) = section.find_all("p", cls="article-rights")
    assert shown.text() == RIGHTS
    # After the text, not inside it: selecting or highlighting the article never takes it.
    assert shown.parent is section
    assert not doc.find_all(cls="article-body")[0].find_all("p", cls="article-rights")


@pytest.mark.parametrize("rel", ["sample/handout.html", "sample/exercise.html"])
def test_student_copies_leave_rights_out(built_mini: Built, rel: str) -> None:
    """They ask students to find the outlet, which the rights line would name."""
    page = built_mini.out / rel
    assert not parse(page.read_text("utf-8")).find_all(cls="article-rights")
    assert "Daily Example" not in parse(page.read_text("utf-8")).text()


def test_rights_are_plain_text(mini: Path) -> None:
    md = mini / ARTICLE
    md.write_text(md.read_text("utf-8").replace(f'rights: "{RIGHTS}"',
                                                "rights: [Le Monde, 2025]"), "utf-8")
    result = run_main("check", "--content", mini)
    assert result.returncode == 1
    assert f"{md}:8:9: 'rights' must be text, not a list" in result.stderr, result.stderr


def test_rights_in_markup_stay_text(mini: Path, tmp_path: Path) -> None:
    md = mini / ARTICLE
    md.write_text(md.read_text("utf-8").replace(
        f'rights: "{RIGHTS}"', 'rights: "<b>© *Le Monde*</b>"'), "utf-8")
    out = tmp_path / "site"
    result = run_main("build", "--content", mini, "--out", out, "--no-pdf")
    assert result.returncode == 0, result.stderr
    doc = parse((out / "sample/index.html").read_text("utf-8"))
    (shown,) = doc.find_all("p", cls="article-rights")
    assert shown.children == ["<b>© *Le Monde*</b>"]


def test_the_schema_knows_rights() -> None:
    schema = json.loads((ROOT / "schemas/article.schema.json").read_text("utf-8"))
    front = {"title": "A text", "language": "en"}
    jsonschema.validate({**front, "rights": RIGHTS}, schema)
    jsonschema.validate({**front, "rights": None}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**front, "rights": ["Le Monde", 2025]}, schema)
