"""YAML syntax errors get the same plain fix from PyYAML's own parser and from libyaml.

The cases are the broken fixtures whose expected error has a 'YAML parser:' second line;
test_errors.py checks them through the command line with the parser sitegen picks.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, ynode_values
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sitegen.content import loader
from sitegen.errors import SiteError

BROKEN = FIXTURES / "broken"
SYNTAX_CASES = sorted(
    case.name for case in BROKEN.iterdir()
    if "YAML parser:" in (case / "expected.txt").read_text("utf-8")
)
PARSERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])


def _broken_file(case: str) -> Path:
    (path,) = [p for p in (BROKEN / case).rglob("*") if p.is_file() and p.name != "expected.txt"]
    return path


@pytest.mark.parametrize("parser", PARSERS, ids=lambda p: p.__name__)
@pytest.mark.parametrize("case", SYNTAX_CASES)
def test_both_parsers_give_the_same_advice(case: str, parser: type,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "_SafeLoader", parser)
    path = _broken_file(case)
    display = "content/" + path.relative_to(BROKEN / case).as_posix()
    expected = (BROKEN / case / "expected.txt").read_text("utf-8").splitlines()
    with pytest.raises(SiteError) as info:
        if path.suffix == ".md":
            loader.read_markdown(path, display)
        else:
            loader.parse_yaml(loader.read_text(path, display), display)
    first, second = info.value.format_message().split("\n")
    assert first == expected[0]
    assert second.startswith("    YAML parser: ")


MINI = (FIXTURES / "mini" / "articles" / "sample" / "annotations.yaml").read_text("utf-8")


@settings(max_examples=150, deadline=None)
def _mangled(edits: list[tuple[int, int, str]]) -> str:
    """The mini site's annotations.yaml with each edit made: at, characters cut, inserted."""
    text = MINI
    for at, cut, insert in edits:
        text = text[:at] + insert + text[at + cut:]
    return text


@given(st.lists(st.tuples(st.integers(0, len(MINI)), st.integers(0, 3),
                          st.sampled_from(['"', "'", ":", ": ", " #", "\t", "“", "{", "}",
                                           "- ", "  ", "\n", ""])),
                min_size=1, max_size=3))
def test_any_mangled_file_gets_an_error_inside_it(edits: list[tuple[int, int, str]]) -> None:
    text = _mangled(edits)
    try:
        loader.parse_yaml(text, "a.yaml")
    except SiteError as err:
        lines = text.split("\n")
        assert 1 <= err.location.line <= len(lines)
        assert 1 <= err.location.column <= len(lines[err.location.line - 1]) + 1
        assert err.message.strip()


def _text_keys(parser: type) -> type:
    """``parser`` with every plain key taken as the text it is written as, as sitegen
    reads keys (``1:``, ``true:``, ``~:`` and an empty ``? `` are the keys '1', 'true', '~'
    and ''; PyYAML types them): the values are PyYAML's own."""

    class TextKeys(parser):  # type: ignore[valid-type, misc]
        def construct_mapping(self, node: yaml.MappingNode,
                              deep: bool = False) -> dict[object, object]:
            self.flatten_mapping(node)
            return {(key.value if isinstance(key, yaml.ScalarNode)
                     else self.construct_object(key, deep=deep)):
                    self.construct_object(value, deep=deep) for key, value in node.value}

    return TextKeys


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(MINI)), st.integers(0, 3),
                          st.sampled_from(['"', "'", ": ", "- ", "  ", "\n", "", "{", "[", "]",
                                           "&a ", "*a", "!!str ", "1", "---\n", "? "])),
                min_size=1, max_size=3),
       st.sampled_from(PARSERS))
@example(edits=[(len(MINI), 0, "? ")], parser=yaml.SafeLoader)  # an empty key: ''
@example(edits=[(len(MINI), 0, "1: ")], parser=PARSERS[-1])  # a number as a key: '1'
def test_a_file_read_holds_what_pyyaml_reads_in_it(edits: list[tuple[int, int, str]],
                                                   parser: type) -> None:
    """The reader checks values as the parser gives them: whatever it accepts is what
    PyYAML's own loader makes of the file."""
    text = _mangled(edits)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(loader, "_SafeLoader", parser)
        try:
            node = loader.parse_yaml(text, "a.yaml")
        except SiteError:
            return
    assert ynode_values(node) == yaml.load(text, Loader=_text_keys(parser))
