"""Reading files: YAML safely with positions, odd encodings and hostile YAML."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import ynode_values

from sitegen.content import loader
from sitegen.content.loader import parse_yaml, read_markdown, read_text
from sitegen.errors import SiteError


def test_positions_are_one_based_and_offset_for_front_matter() -> None:
    node = parse_yaml("a: 1\nb:\n  c: x\n", "f.yaml", line_offset=1)
    assert node is not None
    assert node.key_locs["b"].line == 3
    assert node.value["b"].value["c"].loc.line == 4
    assert node.value["b"].value["c"].loc.column == 6


def test_python_tags_are_refused() -> None:
    with pytest.raises(SiteError) as info:
        parse_yaml("x: !!python/object/apply:os.system ['true']\n", "f.yaml")
    assert info.value.location.line == 1


def test_billion_laughs_is_refused_not_expanded() -> None:
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"
    with pytest.raises(SiteError, match="aliases are not supported"):
        parse_yaml(bomb, "f.yaml")


def test_several_documents_are_an_error() -> None:
    with pytest.raises(SiteError, match="a second YAML document starts here") as info:
        parse_yaml("a: 1\n---\nb: 2\n", "f.yaml")
    assert str(info.value.location) == "f.yaml:2:1"


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "article.md"
    path.write_bytes(b"\xef\xbb\xbf---\r\ntitle: T\r\nlanguage: en\r\n---\r\nBody\r\n")
    md = read_markdown(path, "article.md")
    assert md.front is not None and md.front.value["title"].value == "T"
    assert md.body.strip() == "Body" and md.body_line == 5


def test_invalid_utf8_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"a: 1\nb: caf\xe9\n")
    with pytest.raises(SiteError) as info:
        read_text(path, "x.yaml")
    assert str(info.value.location) == "x.yaml:2:7"


def test_an_unreadable_file_is_a_content_error(tmp_path: Path) -> None:
    path = tmp_path / "annotations.yaml"
    path.symlink_to(tmp_path / "gone.yaml")  # a link whose target was deleted
    with pytest.raises(SiteError, match="cannot read the file: No such file or directory"):
        read_text(path, "annotations.yaml")


def test_a_folder_where_a_file_should_be_is_a_content_error(tmp_path: Path) -> None:
    folder = tmp_path / "annotations.yaml"
    folder.mkdir()
    with pytest.raises(SiteError, match=r"not a regular file \(a folder\)"):
        read_text(folder, "annotations.yaml")


@pytest.fixture(params=["libyaml", "pure Python"])
def yaml_loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run a test with each of PyYAML's safe loaders (marks and styles differ slightly)."""
    if request.param == "pure Python":
        monkeypatch.setattr(loader, "_SafeLoader", yaml.SafeLoader)
    elif not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML built without libyaml")


@pytest.mark.parametrize(("text", "where"), [
    ("note: See point #3 of the plan.\n", "f.yaml:1:17"),
    ("note:\n  en: Who are they? See #3\n  fr: Qui ?\n", "f.yaml:2:25"),
    ("note: Voir #Musk\n", "f.yaml:1:12"),
    ("note: #Musk trends today\n", "f.yaml:1:7"),
    ("note: a text on\n  two lines # and a third part\n", "f.yaml:2:13"),
    ("- id: x\n  notes:\n    - one two #three\n", "f.yaml:3:15"),
])
def test_text_cut_short_by_a_hash_is_refused(yaml_loader: None, text: str, where: str) -> None:
    with pytest.raises(SiteError, match="read as a YAML comment") as info:
        parse_yaml(text, "f.yaml")
    assert str(info.value.location) == where
    assert "double quotes" in (info.value.hint or "")


@pytest.mark.parametrize(("text", "value"), [
    ("category: framing  # why this one\n", {"category": "framing"}),
    ('note: "See point #3"\n', {"note": "See point #3"}),
    ("note: |\n  See point #3\n", {"note": "See point #3\n"}),
    ("sources:  # none yet\n", {"sources": None}),
    ("outlet: null  # unknown\n", {"outlet": None}),
    ("note: C# and F#, no space before\n", {"note": "C# and F#, no space before"}),
    ("# a comment of its own\nnote: a text\n# another\n", {"note": "a text"}),
])
def test_comments_that_cut_no_text_are_comments(yaml_loader: None, text: str,
                                                 value: dict[str, object]) -> None:
    node = parse_yaml(text, "f.yaml")
    assert node is not None
    assert {key: item.value for key, item in node.value.items()} == value


@pytest.mark.parametrize(("text", "value"), [
    ("a: true\nb: False\nc: TRUE\n", {"a": True, "b": False, "c": True}),
    # YAML 1.1's other booleans are text in the editors' YAML 1.2, and so here.
    ("a: yes\nb: No\nc: on\nd: OFF\n", {"a": "yes", "b": "No", "c": "on", "d": "OFF"}),
    ("languages: [en, no]\n", {"languages": ["en", "no"]}),
])
def test_only_true_and_false_are_booleans(yaml_loader: None, text: str,
                                          value: dict[str, object]) -> None:
    assert ynode_values(parse_yaml(text, "f.yaml")) == value


@pytest.mark.parametrize(("text", "where"), [
    ("a: 1\na: 2\nb: [\n", "f.yaml:4:1"),  # a repeated key, then a bracket never closed
    ('a: &x 1\nb: *x\nc: "\n', "f.yaml:3:4"),  # an alias, then a quote never closed
    ("a: !!set {x}\nb: c: d\n", "f.yaml:2:5"),  # a tag refused, then a colon in a text
    ("a: [" * 52 + "]" * 52 + "\nb: [\n", "f.yaml:3:1"),  # too deep, then a bracket
    ("a: 1\na: 2\n---\nb: 1\n", "f.yaml:3:1"),  # a repeated key in the first of two documents
])
def test_a_syntax_error_further_down_is_reported_first(yaml_loader: None, text: str,
                                                       where: str) -> None:
    """The values are checked as the parser reads them; a syntax error anywhere in the
    document is still the error reported, as PyYAML's composer finds it first."""
    with pytest.raises(SiteError) as info:
        parse_yaml(text, "f.yaml")
    assert str(info.value.location) == where
    assert (info.value.detail or "").startswith("YAML parser: ")


@pytest.mark.parametrize(("text", "value"), [
    ("a: !!int\n", ""),  # PyYAML's own constructor fails with an IndexError on it
    ("a: !!float\n", ""),
    ("a: !!int 12x\n", "12x"),
    ("a: !!timestamp 2025-13-45\n", "2025-13-45"),
])
def test_a_tagged_value_no_constructor_reads_is_kept_as_text(yaml_loader: None, text: str,
                                                             value: str) -> None:
    """The field's own check then says what it expected, instead of a traceback."""
    node = parse_yaml(text, "f.yaml")
    assert node is not None
    assert node.value["a"].value == value
