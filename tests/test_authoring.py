"""sitegen init, new and schema, run as a teacher would: new files only, each one checked."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import FIXTURES, run_cli, run_main
from hypothesis import given
from hypothesis import strategies as st

from sitegen.authoring.new import escape_markdown, guess_language
from sitegen.content.loader import read_markdown
from sitegen.text.markdown import BLOCK_SEPARATOR, parse_body

SEED = FIXTURES / "seed" / "article.txt"


def _snapshot(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _schema_of(yaml_file: Path) -> Path:
    """The schema a file's yaml-language-server line points to, resolved from the file."""
    first = yaml_file.read_text("utf-8").split("\n", 1)[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert match, first
    return (yaml_file.parent / match.group(1)).resolve()


def _uncomment_examples(path: Path) -> None:
    """What a teacher does with an example: remove the '#' in front of its lines."""
    text = path.read_text("utf-8")
    path.write_text(re.sub(r"(?m)^#(  )", r"\1", text), "utf-8")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    assert run_main("init", "site", cwd=tmp_path).returncode == 0
    return tmp_path / "site"


# --------------------------------------------------------------------------- init


@pytest.mark.parametrize("languages", ["en", "fr,en", "de"])
def test_init_makes_a_site_that_checks(languages: str, tmp_path: Path) -> None:
    result = run_main("init", "new-site", "--languages", languages, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    site = tmp_path / "new-site"
    assert (site / "articles").is_dir()
    data = yaml.safe_load((site / "site.yaml").read_text("utf-8"))
    assert data["languages"] == languages.split(",")
    assert list(data["categories"]) == ["sourcing", "framing", "context"]
    assert _schema_of(site / "site.yaml") == (site / "schemas/site.schema.json").resolve()
    checked = run_main("check", "--content", site)
    assert checked.returncode == 0, checked.stderr


def test_init_comments_every_setting(site: Path) -> None:
    text = (site / "site.yaml").read_text("utf-8")
    for key in ("title:", "languages:", "categories:", "handout:"):
        before = text[: text.index(key)].rstrip("\n").rsplit("\n", 1)[-1]
        assert before.startswith("#"), key


def test_init_never_overwrites(site: Path) -> None:
    (site / "site.yaml").write_text("title: mine\n", "utf-8")
    before = _snapshot(site)
    result = run_main("init", site)
    assert result.returncode == 2
    assert f"{site / 'site.yaml'} already exists: sitegen never overwrites a file" in result.stderr
    assert _snapshot(site) == before


def test_init_refuses_a_half_made_folder_before_writing(tmp_path: Path) -> None:
    schemas = tmp_path / "site" / "schemas"
    schemas.mkdir(parents=True)
    (schemas / "article.schema.json").write_text("{}", "utf-8")
    result = run_main("init", "site", cwd=tmp_path)
    assert result.returncode == 2 and "already exists" in result.stderr
    assert not (tmp_path / "site" / "site.yaml").exists()


@pytest.mark.parametrize("value", ["english", "fr,,fr", "FR", ""])
def test_init_refuses_bad_languages(value: str, tmp_path: Path) -> None:
    result = run_main("init", "site", "--languages", value, cwd=tmp_path)
    assert result.returncode == 2
    assert "invalid --languages" in result.stderr
    assert not (tmp_path / "site").exists()


# --------------------------------------------------------------------------- new


def test_new_from_text_keeps_every_paragraph_word_for_word(site: Path) -> None:
    result = run_main("new", "musk-riyadh", "--from", SEED, "--content", site)
    assert result.returncode == 0, result.stderr
    assert "language: fr (guessed" in result.stdout
    article = site / "articles" / "musk-riyadh" / "article.md"
    md = read_markdown(article, "article.md")
    assert md.front is not None
    front = {k: v.value for k, v in md.front.value.items()}
    lines = [line.strip() for line in SEED.read_text("utf-8").split("\n") if line.strip()]
    assert front == {"title": lines[0], "language": "fr", "outlet": None, "author": None,
                     "published": None, "original_url": None}
    assert parse_body(md.body).text == BLOCK_SEPARATOR.join(lines[1:])


def test_new_skeleton_checks_as_it_is_and_with_its_examples(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert run_main("init", site, "--languages", "fr,en").returncode == 0
    assert run_main("new", "musk", "--from", SEED, "--content", site).returncode == 0
    annotations = site / "articles" / "musk" / "annotations.yaml"
    assert _schema_of(annotations) == (site / "schemas/annotations.schema.json").resolve()
    result = run_main("check", "--content", site)
    assert result.returncode == 0, result.stderr
    _validate(_schema_of(annotations), yaml.safe_load(annotations.read_text("utf-8")))
    _uncomment_examples(annotations)
    data = yaml.safe_load(annotations.read_text("utf-8"))
    assert [a["category"] for a in data["annotations"]] == [
        "sourcing", "framing", "context", "sourcing"]
    assert all(a["quote"] in SEED.read_text("utf-8") for a in data["annotations"][:3])
    result = run_main("check", "--content", site)
    assert result.returncode == 0, result.stderr
    # The examples' texts are placeholders: check says so for each one left in.
    warnings = [line for line in result.stderr.splitlines() if ": warning: " in line]
    assert warnings and all("is still the example text" in line for line in warnings)


def test_new_in_a_folder_without_schemas_says_how_to_make_them(mini: Path) -> None:
    result = run_main("new", "other", "--from", SEED, "--content", mini)
    assert result.returncode == 0, result.stderr
    assert f"for your editor: sitegen schema --content {mini}" in result.stdout
    assert run_main("schema", "--content", mini).returncode == 0
    annotations = mini / "articles" / "other" / "annotations.yaml"
    assert _schema_of(annotations).is_file()


def test_new_from_markdown_keeps_the_body_as_written(site: Path, tmp_path: Path) -> None:
    source = tmp_path / "draft.md"
    body = "The *mayor* said the plan was [historic](https://example.org).\n\n> A quote.\n"
    source.write_text("# The plan\n\n" + body, "utf-8")
    result = run_main("new", "plan", "--from", source, "--content", site, "--language", "en")
    assert result.returncode == 0, result.stderr
    assert "guessed" not in result.stdout
    md = read_markdown(site / "articles" / "plan" / "article.md", "article.md")
    assert md.front is not None and md.front.value["title"].value == "The plan"
    assert md.body.strip() == body.strip()
    assert run_main("check", "--content", site).returncode == 0


def test_new_never_overwrites(site: Path) -> None:
    assert run_main("new", "one", "--from", SEED, "--content", site).returncode == 0
    before = _snapshot(site)
    result = run_main("new", "one", "--from", SEED, "--content", site)
    assert result.returncode == 2 and "already exists" in result.stderr
    assert _snapshot(site) == before


def test_new_without_a_file_says_what_to_fill_in(site: Path) -> None:
    assert run_main("new", "blank", "--content", site).returncode == 0
    result = run_main("check", "--content", site)
    assert result.returncode == 1
    article = site / "articles" / "blank" / "article.md"
    assert f"{article}:3:8: 'title' is empty" in result.stderr, result.stderr
    assert "the article has no text" in result.stderr


WRAPPED = ("Young voters “tripled” turnout and swung\nRiverton council race, campaign says\n\n"
           "Young people have tripled turnout in the\nRiverton council race, the campaign "
           "said on\nTuesday.\n\nExperts say the figure is not\ncertified.\n")


def _body(site: Path, slug: str) -> tuple[str, list[str]]:
    md = read_markdown(site / "articles" / slug / "article.md", "article.md")
    assert md.front is not None
    return md.front.value["title"].value, parse_body(md.body).text.split(BLOCK_SEPARATOR)


def test_new_joins_wrapped_lines_when_blank_lines_separate_paragraphs(site: Path) -> None:
    source = site.parent / "wrapped.txt"
    source.write_text(WRAPPED, "utf-8")
    result = run_main("new", "wrapped", "--from", source, "--content", site)
    assert result.returncode == 0, result.stderr
    assert f"{source}: joined 4 wrapped line(s)" in result.stderr
    assert (f"{source}: the headline runs over lines 1 to 2: 'Young voters “tripled” turnout "
            "and swung Riverton council race, campaign says'") in result.stderr
    assert _body(site, "wrapped") == (
        "Young voters “tripled” turnout and swung Riverton council race, campaign says",
        ["Young people have tripled turnout in the Riverton council race, the campaign said "
         "on Tuesday.", "Experts say the figure is not certified."])
    assert run_main("check", "--content", site).returncode == 0


def test_a_long_first_block_is_the_headline_and_a_paragraph(site: Path) -> None:
    """The seed's file: the headline, then the first paragraph with no blank line between."""
    lines = [line for line in SEED.read_text("utf-8").split("\n") if line.strip()]
    assert run_main("new", "seed", "--from", SEED, "--content", site).returncode == 0
    assert _body(site, "seed") == (lines[0], lines[1:])


def test_new_warns_of_lines_that_end_mid_sentence_when_it_cannot_tell(site: Path) -> None:
    source = site.parent / "flat.txt"
    source.write_text(WRAPPED.replace("\n\n", "\n"), "utf-8")
    result = run_main("new", "flat", "--from", source, "--content", site)
    assert result.returncode == 0, result.stderr
    assert (f"{source}:2:1: warning: 4 line(s) end mid-sentence, the first at line 2; each "
            "line is a paragraph (if the text was copied from a PDF, put a blank line between "
            "its paragraphs") in result.stderr
    title, paragraphs = _body(site, "flat")
    assert title == "Young voters “tripled” turnout and swung" and len(paragraphs) == 6


@pytest.mark.parametrize(("name", "data", "message"), [
    ("story.docx", b"PK\x03\x04", "story.docx: a Word document; sitegen reads plain text: "
                                   "save it as a .txt file in UTF-8. Word: File → Save As"),
    ("story.odt", b"PK\x03\x04", "story.odt: a LibreOffice document"),
    ("story.rtf", b"{\\rtf1 x}", "story.rtf: a rich-text (RTF) document"),
    ("story.txt", b"{\\rtf1\\ansi Title}", "story.txt: this is a rich-text (RTF) document, "
                                           "not plain text (save it as plain text in UTF-8. "),
    ("story.txt", "Le café\n".encode("latin-1"), "story.txt:1:7: not valid UTF-8 (byte 0xe9): "
                                                 "the file is in another encoding (save it"),
])
def test_a_document_that_is_not_plain_text_says_how_to_save_one(
        name: str, data: bytes, message: str, site: Path) -> None:
    (site.parent / name).write_bytes(data)
    result = run_cli("new", "ok", "--from", name, "--content", "site", cwd=site.parent)
    assert result.returncode in (1, 2) and message in result.stderr, result.stderr
    for editor in ("Word: ", "LibreOffice: ", "Google Docs: ", "TextEdit: "):
        assert editor in result.stderr
    assert not (site / "articles" / "ok").exists()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["new", "Mon Article", "--from", "a.txt"], 2, "invalid article name 'Mon Article'"),
        (["new", "ok", "--from", "a.html"], 2, "give a .txt or .md file"),
        (["new", "ok", "--from", "a.pdf"], 2, "a.pdf: a PDF; sitegen reads plain text: open it, "
                                              "select all its text"),
        (["new", "ok", "--from", "missing.txt"], 1, "missing.txt: cannot read the file"),
        (["new", "ok", "--from", "folder.txt"], 1, "folder.txt: not a regular file"),
        (["new", "ok", "--from", "empty.txt"], 1, "empty.txt: the file is empty"),
        (["new", "ok", "--from", "front.md"], 1, "front.md:1:1: the file already has front matter"),
        (["new", "ok", "--from", "a.txt", "--language", "French"], 2, "invalid --language"),
        (["new", "ok", "--content", "nowhere"], 2, "content folder nowhere does not exist"),
    ],
)
def test_new_errors(args: list[str], code: int, message: str, site: Path) -> None:
    (site.parent / "a.txt").write_text("Title\nText.\n", "utf-8")
    (site.parent / "a.pdf").write_text("Title\nText.\n", "utf-8")
    (site.parent / "a.html").write_text("Title\nText.\n", "utf-8")
    (site.parent / "empty.txt").write_text("\n\n", "utf-8")
    (site.parent / "front.md").write_text("---\ntitle: x\n---\nText.\n", "utf-8")
    (site.parent / "folder.txt").mkdir()
    if "--content" not in args:
        args = [*args, "--content", "site"]
    # A real process: what a user sees for a bad argument is a message, not a traceback.
    result = run_cli(*args, cwd=site.parent)
    assert result.returncode == code, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (site / "articles" / "ok").exists()


def test_new_reports_a_broken_site_yaml(site: Path) -> None:
    (site / "site.yaml").write_text("title: x\nlanguages: [en\n", "utf-8")
    result = run_main("new", "x", "--from", SEED, "--content", site)
    assert result.returncode == 1
    assert "site.yaml:2:12: this [ is never closed" in result.stderr


_LINE = st.text(alphabet=st.sampled_from(list("ab1 .)#>-+=*_`[]()<>!&;\\|~:'\"é")),
                max_size=30)


@given(_LINE)
def test_escaped_plain_text_renders_to_the_same_words(line: str) -> None:
    assert parse_body(escape_markdown(line)).text == line.strip(" ")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The mayor said on Tuesday that the plan was historic, according to the paper.", "en"),
        ("Le maire a dit mardi que le projet était historique, selon un journal local.", "fr"),
        ("Der Bürgermeister sagte, der Plan sei historisch und nicht zu teuer für die Stadt.",
         "de"),
        ("Xq zzv plorb.", None),
    ],
)
def test_the_language_is_guessed_from_common_words(text: str, language: str | None) -> None:
    assert guess_language(text) == language


# --------------------------------------------------------------------------- schema


def _validate(schema: Path, data: object) -> None:
    jsonschema.validate(data, json.loads(schema.read_text("utf-8")),
                        cls=jsonschema.Draft202012Validator)


def test_schema_lists_the_sites_categories_and_editions(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", content)
    result = run_main("schema", "--content", content, "--out", tmp_path / "schemas")
    assert result.returncode == 0, result.stderr
    schema = tmp_path / "schemas" / "annotations.schema.json"
    ann = yaml.safe_load((content / "articles/sample/annotations.yaml").read_text("utf-8"))
    for item in ann["annotations"]:
        for source in item.get("sources", []):
            source["date"] = str(source.get("date", "2025"))
    _validate(schema, ann)
    for wrong in ({"category": "framming"}, {"note": {"en": "x", "de": "y"}}):
        item = {"id": "x", "category": "framing", "note": "x"} | wrong
        with pytest.raises(jsonschema.ValidationError):
            _validate(schema, {"annotations": [item]})
    site_data = yaml.safe_load((content / "site.yaml").read_text("utf-8"))
    _validate(tmp_path / "schemas" / "site.schema.json", site_data)


def test_schema_replaces_only_its_own_files(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", content)
    assert run_main("schema", "--content", content).returncode == 0
    site = content / "site.yaml"
    site.write_text(site.read_text("utf-8").replace("  context:", "  opinion:"), "utf-8")
    assert run_main("schema", "--content", content).returncode == 0  # sitegen's own: updated
    schema = json.loads((content / "schemas/annotations.schema.json").read_text("utf-8"))
    category = schema["properties"]["annotations"]["items"]["properties"]["category"]
    assert category["enum"] == ["sourcing", "framing", "opinion"]
    mine = content / "schemas" / "site.schema.json"
    mine.write_text('{"title": "my own"}', "utf-8")
    before = _snapshot(content)
    result = run_main("schema", "--content", content)
    assert result.returncode == 2 and f"{mine} already exists" in result.stderr
    assert _snapshot(content) == before


def test_only_the_command_line_uses_the_authoring_commands() -> None:
    """The build pipeline knows nothing of init, new, import or schema."""
    package = Path(__file__).resolve().parent.parent / "sitegen"
    users = {path.name for path in package.glob("*.py")
             if "sitegen.authoring" in path.read_text("utf-8")}
    assert users == {"cli.py"}
