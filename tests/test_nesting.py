"""Nothing dropped silently: every word of a Markdown text is rendered, or the text is
refused for nesting too deeply (markdown-it stops parsing, without a word, past its limit).
"""

from __future__ import annotations

import re

from htmltree import parse
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.text.markdown import (
    MAX_NESTING,
    parse_body,
    parse_markdown,
    problems,
    render_blocks,
    to_html,
)

WORD = re.compile(r"w\d+")


def _words(text: str) -> list[str]:
    return sorted(set(WORD.findall(text)))


def _rendered_words(source: str) -> list[str]:
    """The words of the article body as it is rendered on the page."""
    body = parse_body(source)
    html = "".join(b.html for b in render_blocks(body, [], 0))
    return _words(parse(f"<div>{html}</div>").text())


def _nesting(source: str) -> list[str]:
    return [m for _, m in problems(parse_markdown(source)) if m.startswith("nested too deeply")]


# Lines that open lists and quotes inside one another (often deeply), with words,
# emphasis, code spans, headings, breaks and indented code among them.
CONTAINER = st.sampled_from(["> ", "- ", "* ", "1. ", "2) ", "+ ", ">", "   "])
INLINE = st.sampled_from(["*", "_", "**", "`", "\\", "#", "---", "===", "    ", "  \n"])
WORDS = st.lists(st.one_of(st.integers(0, 999).map(lambda n: f"w{n}"), INLINE), max_size=6)
LINE = st.tuples(st.lists(CONTAINER, max_size=3 * MAX_NESTING), WORDS).map(
    lambda parts: "".join(parts[0]) + " ".join(parts[1]))
SOURCE = st.lists(st.one_of(LINE, st.just("")), min_size=1, max_size=12).map("\n".join)


@settings(max_examples=300, deadline=None)
@given(SOURCE)
def test_every_word_is_rendered_or_the_text_refused(source: str) -> None:
    if _nesting(source):
        return
    assert _rendered_words(source) == _words(source)


def _deep_list(levels: int) -> str:
    return "".join("  " * i + f"- w{i}\n" for i in range(levels)) + "\nw999 after the list\n"


def test_a_list_at_the_limit_is_rendered_whole() -> None:
    source = _deep_list(MAX_NESTING)
    assert _nesting(source) == []
    assert _rendered_words(source) == _words(source)


def test_a_list_past_the_limit_is_refused_at_its_line() -> None:
    # markdown-it alone shows the first 9 levels and drops the rest and what follows.
    source = _deep_list(MAX_NESTING + 5)
    assert problems(parse_markdown(source)) == [
        (MAX_NESTING, f"nested too deeply ({MAX_NESTING + 5} levels; at most {MAX_NESTING})")]


def test_quotes_far_past_the_parser_limit_are_refused() -> None:
    source = ">" * 500 + " w1\n\nw2\n"
    assert _nesting(source) == [f"nested too deeply (more than 100 levels; at most "
                                f"{MAX_NESTING})"]


def test_a_field_at_the_limit_is_rendered_whole() -> None:
    source = "> - " * (MAX_NESTING // 2) + "w1\n\nw2\n"
    assert _nesting(source) == []
    assert _words(parse(f"<div>{to_html(parse_markdown(source))}</div>").text()) == ["w1", "w2"]
