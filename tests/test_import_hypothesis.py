"""sitegen import-hypothesis: Hypothesis rows and W3C JSON-LD → annotations.yaml entries that
check, with every annotation it could not place listed and kept as a comment."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, run_cli, run_main

from sitegen.authoring.import_hypothesis import annotators
from sitegen.content.load import load_article, load_site
from sitegen.errors import Collector
from sitegen.text.markdown import canonical_text, parse_body
from sitegen.text.quote import locate
from sitegen.text.selection import propose

SEARCH = FIXTURES / "hypothesis" / "search.json"


def _annotations(content: Path) -> Path:
    return content / "articles" / "sample" / "annotations.yaml"


@pytest.fixture
def bare(mini: Path) -> Path:
    """The mini site with its article not annotated yet."""
    _annotations(mini).unlink()
    return mini


def test_hypothesis_rows_become_entries_that_check(bare: Path) -> None:
    result = run_main("import-hypothesis", SEARCH, "--article", "sample", "--content", bare)
    assert result.returncode == 0, result.stderr
    assert "4 annotation(s) imported, 2 written as comments to fix" in result.stdout
    data = yaml.safe_load(_annotations(bare).read_text("utf-8"))
    entries = {a["id"]: a for a in data["annotations"]}
    assert list(entries) == ["a-local-newspaper", "the-mayor-said", "no-opponent-is-quoted",
                             "a-local-newspaper-2"]
    # A label names its category as well as a key does; the text is the note, kept whole.
    assert entries["a-local-newspaper"] == {
        "id": "a-local-newspaper", "category": "sourcing", "quote": "a local newspaper",
        "note": "Which newspaper?\n\nIt is **not** named."}
    # Unique on its own: Hypothesis' 32 characters of context are dropped; otherwise the
    # shortest context that picks the same passage is kept (one word after it, here).
    assert entries["the-mayor-said"]["suffix"] == " the"
    assert "prefix" not in entries["the-mayor-said"]
    assert entries["no-opponent-is-quoted"] == {
        "id": "no-opponent-is-quoted", "category": "context", "scope": "article",
        "note": "No opponent is quoted."}
    assert run_main("check", "--content", bare).returncode == 0


def test_each_passage_gets_the_selector_the_preview_panel_proposes(bare: Path) -> None:
    """One search for the shortest context: importing a passage and selecting it in the
    preview give the same entry."""
    assert run_main("import-hypothesis", SEARCH, "--article", "sample",
                    "--content", bare).returncode == 0
    problems = Collector()
    site = load_site(bare, problems)
    assert site is not None
    article = load_article(bare / "articles" / "sample", site, problems)
    assert article is not None, problems.errors
    text = canonical_text(article.title, parse_body(article.body))
    selectors = [a.selector for a in article.annotations if a.selector is not None]
    assert len(selectors) == 3
    for selector in selectors:
        span = locate(text, selector.quote, selector.prefix, selector.suffix)
        assert propose(text, *span) == selector


def test_what_cannot_be_placed_is_listed_and_kept_as_a_comment(bare: Path) -> None:
    result = run_main("import-hypothesis", SEARCH, "--article", "sample", "--content", bare)
    problems = result.stderr.splitlines()
    assert problems == [
        f"{SEARCH}: row 6: a reply to another annotation, not imported",
        f"{SEARCH}: tag 'framming' (1 annotation(s)) is not a category (did you mean "
        "'framing'?); map it with --tag-map 'framming=CATEGORY'",
        f"{SEARCH}: tag 'todo' (1 annotation(s)) is not a category (categories: sourcing, "
        "framing, context); map it with --tag-map 'todo=CATEGORY'",
        f"{SEARCH}: row 3: none of its tags is a category (tags: framming, todo); written as "
        "a comment (id costly-mistake)",
        f"{SEARCH}: row 4: quote not found in the article: 'a costly mistak!' (closest "
        "passage: 'a costly mistake'); written as a comment (id a-costly-mistak)",
    ]
    text = _annotations(bare).read_text("utf-8")
    assert "  # row 4: quote not found in the article" in text
    assert '  #   quote: "a costly mistak!"' in text


def test_a_tag_map_names_more_categories(bare: Path) -> None:
    result = run_main("import-hypothesis", SEARCH, "--article", "sample", "--content", bare,
                      "--tag-map", "framming=framing")
    assert result.returncode == 0, result.stderr
    assert "5 annotation(s) imported, 1 written as comments" in result.stdout
    data = yaml.safe_load(_annotations(bare).read_text("utf-8"))
    assert {"id": "costly-mistake", "category": "framing", "quote": "costly mistake",
            "note": "Loaded."} in data["annotations"]
    assert run_main("check", "--content", bare).returncode == 0


def test_entries_are_inserted_without_changing_a_written_line(mini: Path) -> None:
    before = _annotations(mini).read_text("utf-8")
    result = run_main("import-hypothesis", SEARCH, "--article", "sample", "--content", mini)
    assert result.returncode == 0, result.stderr
    after = _annotations(mini).read_text("utf-8")
    at = before.index("voices:")
    inserted = after[at:len(after) - (len(before) - at)]
    assert after == before[:at] + inserted + before[at:]
    assert inserted.startswith("# Imported from search.json")
    ids = [a["id"] for a in yaml.safe_load(after)["annotations"]]
    assert len(ids) == len(set(ids)) == 6 + 4
    checked = run_main("check", "--content", mini)
    assert checked.returncode == 0, checked.stderr


def test_import_into_the_skeleton_of_sitegen_new(tmp_path: Path) -> None:
    assert run_main("init", "site", cwd=tmp_path).returncode == 0
    article = tmp_path / "story.txt"
    article.write_text("The plan\nThe mayor said the plan was historic, according to "
                       "a local newspaper.\n", "utf-8")
    assert run_main("new", "sample", "--from", article, "--content", "site",
                    cwd=tmp_path).returncode == 0
    skeleton = _annotations(tmp_path / "site").read_text("utf-8")
    result = run_main("import-hypothesis", SEARCH, "--article", "sample", "--content", "site",
                      cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = _annotations(tmp_path / "site").read_text("utf-8")
    assert skeleton.split("annotations:\n")[0] in text and skeleton.split("#  - id:")[1] in text
    checked = run_main("check", "--content", tmp_path / "site")
    assert checked.returncode == 0, checked.stderr


def test_sitegens_own_export_reads_back_the_same(mini: Path, tmp_path: Path) -> None:
    """Build, import the export into a bare copy, build again: the same annotations."""
    first = tmp_path / "first"
    assert run_main("build", "--content", mini, "--out", first, "--no-pdf").returncode == 0
    exported = first / "sample" / "annotations.jsonld"
    _annotations(mini).unlink()
    result = run_main("import-hypothesis", exported, "--article", "sample", "--content", mini)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    second = tmp_path / "second"
    built = run_main("build", "--content", mini, "--out", second, "--no-pdf")
    assert built.returncode == 0, built.stderr
    again = second / "sample" / "annotations.jsonld"
    assert json.loads(again.read_text("utf-8")) == json.loads(exported.read_text("utf-8"))


def test_a_passage_in_a_translation_comes_back_in_its_language(mini: Path, tmp_path: Path
                                                                ) -> None:
    """sitegen's export gives a highlight marked in a translation a second target: imported,
    it is that language's quote again, anchored in the translation (left out for an article
    without that translation; held, with why, where the translation no longer has it)."""
    first = tmp_path / "first"
    assert run_main("build", "--content", mini, "--out", first, "--no-pdf").returncode == 0
    exported = first / "sample" / "annotations.jsonld"
    before = {a["id"]: a for a in yaml.safe_load(_annotations(mini).read_text("utf-8"))
              ["annotations"]}
    _annotations(mini).unlink()
    translation = mini / "articles" / "sample" / "translation.fr.md"
    french = translation.read_text("utf-8")
    assert "historique" in french
    translation.write_text(french.replace("historique", "historiq"), "utf-8")
    result = run_main("import-hypothesis", exported, "--article", "sample", "--content", mini)
    assert result.returncode == 0, result.stderr
    assert "quote not found in translation.fr.md: 'historique'" in result.stderr
    data = yaml.safe_load(_annotations(mini).read_text("utf-8"))
    entries = {a["id"]: a for a in data["annotations"]}
    assert "historic" not in entries and "headline-historic" not in entries  # held
    assert entries["local-newspaper"]["quote"] == before["local-newspaper"]["quote"]  # en, fr
    _annotations(mini).unlink()
    translation.unlink()
    result = run_main("import-hypothesis", exported, "--article", "sample", "--content", mini)
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load(_annotations(mini).read_text("utf-8"))
    for entry in data["annotations"]:
        if "quote" in entry:
            assert entry["quote"] == before[entry["id"]]["quote"]["en"], entry["id"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--article", "nope"], 2, "no article 'nope'"),
        (["--article", "sample", "--tag-map", "x=framming"], 2,
         "--tag-map: 'framming' is not a category (did you mean 'framing'?)"),
        (["--article", "sample", "--tag-map", "oops"], 2, "invalid --tag-map entry 'oops'"),
    ],
)
def test_usage_errors(args: list[str], code: int, message: str, bare: Path) -> None:
    result = run_main("import-hypothesis", SEARCH, "--content", bare, *args)
    assert result.returncode == code
    assert message in result.stderr
    assert not _annotations(bare).exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "bad.json:1:2: not valid JSON: Expecting property name"),
        ('{"hello": 1}', "bad.json:1:1: neither a Hypothesis search result"),
    ],
)
def test_a_file_that_is_not_annotations(text: str, message: str, bare: Path) -> None:
    (bare.parent / "bad.json").write_text(text, "utf-8")
    # A real process: a file that is not annotations gives a message, not a traceback.
    result = run_cli("import-hypothesis", "bad.json", "--article", "sample", "--content",
                     "content", cwd=bare.parent)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not _annotations(bare).exists()


def test_annotations_on_one_line_are_not_rewritten(mini: Path) -> None:
    path = _annotations(mini)
    path.write_text("annotations: []\n", "utf-8")
    result = run_main("import-hypothesis", SEARCH, "--article", "sample", "--content", mini)
    assert result.returncode == 2
    assert "'annotations' is written on one line" in result.stderr
    assert path.read_text("utf-8") == "annotations: []\n"


def test_the_annotators_are_read_back_from_the_comments_an_import_writes(
        bare: Path, tmp_path: Path) -> None:
    """The preview names who wrote each imported note (``serve.overlay.mark_imported``)
    from the comment above the entry; held entries (commented out) have no id to name."""
    export = json.loads(SEARCH.read_text("utf-8"))
    for row in export["rows"]:
        row["user"] = "acct:ada@hypothes.is"
    export["rows"][0]["user_info"] = {"display_name": "Grace H."}
    search = tmp_path / "search.json"
    search.write_text(json.dumps(export), "utf-8")
    result = run_main("import-hypothesis", search, "--article", "sample", "--content", bare)
    assert result.returncode == 0, result.stderr
    names = annotators(_annotations(bare).read_text("utf-8"))
    assert names == {"a-local-newspaper": "Grace H.", "the-mayor-said": "ada",
                     "no-opponent-is-quoted": "ada", "a-local-newspaper-2": "ada"}
