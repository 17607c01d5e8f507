"""Rendering: marks on the token stream, well-formed for nested, overlapping and crossing
highlights; the article's text unchanged; hostile markup escaped."""

from __future__ import annotations

from urllib.parse import urlparse

import jinja2
import pytest
from htmltree import Element, parse
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it.common.normalize_url import normalizeLink
from markupsafe import Markup

from sitegen.model import Annotation, Localized, Span
from sitegen.text import markdown
from sitegen.text.markdown import (
    parse_body,
    parse_markdown,
    problems,
    render_blocks,
    render_text,
    to_html,
)
from sitegen.text.marks import without_note_links
from sitegen.theme import templates

NOTE = Localized((("", "n"),))


def _span(ident: str, start: int, end: int, number: int, category: str = "framing") -> Span:
    return Span(Annotation(ident, category, None, NOTE, (), None, None, None), start, end,
                number)  # type: ignore[arg-type]


def _render(source: str, spans: list[Span]) -> tuple[str, Element]:
    body = parse_body(source)
    html = "".join(b.html for b in render_blocks(body, spans, 0))
    return body.text, parse(html)


def _marked_text(doc: Element, ident: str) -> str:
    """The text of every piece of one highlight, outermost pieces only, in order."""
    pieces = [m for m in doc.find_all("mark") if m.attrs["data-annotation"] == ident
              and not any(a.tag == "mark" and a.attrs["data-annotation"] == ident
                          for a in m.ancestors())]
    return "".join(m.text() for m in pieces)


def test_plain_text_drops_formatting_and_joins_blocks() -> None:
    body = parse_body("One *two* `three`\nfour.\n\n> Five **six**.\n")
    assert body.text == "One two three four.\n\nFive six."


def test_a_highlight_across_formatting_and_paragraphs_repeats_id_and_number() -> None:
    text, doc = _render("Alpha *beta* gamma.\n\nDelta epsilon.", [_span("x", 6, 22, 1)])
    marks = doc.find_all("mark")
    assert {m.attrs["data-annotation"] for m in marks} == {"x"}
    assert {m.attrs["data-number"] for m in marks} == {"1"}
    assert [m.text() for m in marks] == ["beta", " gamma.", "Del"]
    assert marks[0].parent is not None and marks[0].parent.tag == "em"
    assert marks[2].parent is not None and marks[2].parent.tag == "p"
    assert _marked_text(doc, "x") == text[6:22].replace("\n\n", "")
    assert marks[0].attrs["id"] == "hl-x" and "hl-start" in marks[0].classes
    assert "hl-end" in marks[-1].classes
    # only the first piece opens the note; none is a tab stop until the script runs
    assert sum(1 for m in marks if "aria-details" in m.attrs) == 1
    assert not [m for m in marks if "tabindex" in m.attrs]


def test_overlapping_highlights_stay_well_formed() -> None:
    source = "The quick brown fox jumps over the lazy dog."
    spans = [_span("a", 4, 19, 1), _span("b", 10, 30, 2, "context"), _span("c", 16, 19, 3)]
    _, doc = _render(source, spans)  # parse() raises on badly nested tags
    assert _marked_text(doc, "a") == "quick brown fox"
    assert _marked_text(doc, "b") == "brown fox jumps over"
    assert _marked_text(doc, "c") == "fox"
    category = {"a": "framing", "b": "context", "c": "framing"}
    for mark in doc.find_all("mark"):
        assert mark.classes[:2] == ["hl", f"hl-{category[mark.attrs['data-annotation']]}"]
        # a mark holds the article's text and, where highlights overlap, other marks only
        assert all(isinstance(c, str) or c.tag == "mark" for c in mark.children)


def test_text_is_unchanged_by_highlighting() -> None:
    source = "Il a dit « non » & <b>pas</b> *vraiment* ça.\n\nFin `du` texte."
    plain = parse("".join(b.html for b in render_blocks(parse_body(source), [], 0))).text()
    marked = _render(source, [_span("x", 3, 20, 1), _span("y", 10, 40, 2)])[1].text()
    assert marked == plain


def test_hostile_markup_is_text() -> None:
    html = to_html(parse_markdown('<script>alert(1)</script> <img src=x onerror=alert(1)> '
                        '[x](javascript:alert(1)) [ok](https://example.org) '
                        '![tracker](https://example.org/t.png) <javascript:alert(2)>'))
    doc = parse(html)
    assert not doc.find_all("script") and not doc.find_all("img")
    links = doc.find_all("a")
    assert [a.attrs["href"] for a in links] == ["https://example.org"]
    assert "<script>" in doc.text()
    assert "tracker" in doc.text()  # an image, were it not refused, shows its text only


def test_headline_marks() -> None:
    doc = parse("<h1>" + render_text("A <big> headline", [_span("h", 2, 7, 1)], 0) + "</h1>")
    assert _marked_text(doc, "h") == "<big>"


def _draw_spans(data: st.DataObject, n: int) -> list[Span]:
    """Up to four highlights over a text of ``n`` characters, anywhere, nested or not."""
    spans = []
    for i in range(data.draw(st.integers(0, 4))):
        a = data.draw(st.integers(0, n))
        b = data.draw(st.integers(a, n))
        if b > a:
            spans.append(_span(f"s{i}", a, b, i + 1))
    return spans


@settings(max_examples=60, deadline=None)
@given(
    data=st.data(),
    source=st.text(alphabet="ab *_`\n>#-", min_size=1, max_size=80),
)
def test_any_spans_on_any_markdown_render_well_formed(data: st.DataObject, source: str) -> None:
    body = parse_body(source)
    spans = _draw_spans(data, len(body.text))
    html = "".join(b.html for b in render_blocks(body, spans, 0))
    doc = parse(html)
    plain = parse("".join(b.html for b in render_blocks(body, [], 0)))
    assert doc.text() == plain.text()
    for span in spans:
        covered = "".join(ch for ch in body.text[span.start:span.end] if not ch.isspace())
        assert "".join(_marked_text(doc, span.annotation.id).split()) == covered


_HOSTILE = st.sampled_from([*"ab *_`\n>#-<&\"", ' aria-details="note-s0">', "[x](https://e.org/?a=\">)",
                            "`>`", "    code >\n", '"'])


@settings(max_examples=200, deadline=None)
@given(data=st.data(), source=st.lists(_HOSTILE, min_size=1, max_size=20).map("".join))
def test_marks_without_note_links_are_as_rendered_without(data: st.DataObject, source: str
                                                          ) -> None:
    body = parse_body(source)
    spans = _draw_spans(data, len(body.text))
    for linked, bare in zip(render_blocks(body, spans, 0),
                            render_blocks(body, spans, 0, link_notes=False), strict=True):
        assert without_note_links(linked.html) == bare.html
    assert (without_note_links(render_text(body.text, spans, 0))
            == render_text(body.text, spans, 0, link_notes=False))


BAD_JS = "link 'javascript:alert(1)' must use http, https or mailto"


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("[x](javascript:alert(1))", [BAD_JS]),
        # A reference definition stays text (the article is verbatim), so no link is made.
        ("[x][r]\n\n[r]: javascript:alert(1)", []),
        ("<ftp://example.org/f>", ["link 'ftp://example.org/f' must use http, https or mailto"]),
        ("![chart](c.png)", ["images are not supported: pages load nothing from outside the site"]),
        ("[ok](https://example.org) <mailto:a@example.org> [in page](#note-x)", []),
        ("no link at all, just 3 < 4 and [brackets]", []),
    ],
)
def test_link_problems(source: str, found: list[str]) -> None:
    assert [message for _, message in problems(parse_markdown(source))] == found


@settings(deadline=None)
@given(st.from_regex(markdown.PLAIN_URL, fullmatch=True) | st.sampled_from(
    ["https://example.org/a/b-c_d.e~f", "http://x", "https://ex.org/"]))
def test_plain_urls_skip_normalizing_and_parsing_with_the_same_result(url: str) -> None:
    assert markdown.normalize_link(url) == normalizeLink(url) == url
    assert urlparse(url.strip()).scheme.lower() in markdown.ALLOWED_SCHEMES


_FIELD_CHARS = st.sampled_from([*"ab dé,.:;'\"?«»()-09#>+*=_~`[]!<>&\\|\n\t\u00a0\u2028中",
                                "word", " ", "a"])


@settings(max_examples=500, deadline=None)
@given(st.lists(_FIELD_CHARS, min_size=1, max_size=25).map("".join)
       | st.from_regex(markdown._PLAIN, fullmatch=True)
       | st.from_regex(markdown._ONE_LINE, fullmatch=True))
def test_one_line_fields_skip_the_parser_with_the_same_tokens(source: str) -> None:
    fast = markdown._one_paragraph(source)
    slow = markdown.PARSER.parse(source, {})
    if fast is not None:
        assert [t.as_dict() for t in fast] == [t.as_dict() for t in slow]
    assert [t.as_dict() for t in parse_markdown(source)] == [t.as_dict() for t in slow]


@pytest.mark.parametrize("source", ["A plain note.", "Une note « simple » : oui.\n",
                                    "Says 3 o'clock, not 4.",
                                    "Only *unnamed officials*, see [this](https://x.org).\n",
                                    "A `code` & an <https://x.org> \\* escape"])
def test_a_line_is_recognised(source: str) -> None:
    assert markdown._one_paragraph(source) is not None


@pytest.mark.parametrize("source", ["# Heading", "- item", "1. item", "> quote", "***",
                                    "```code", "    code", "two\nlines", "<p>html</p>"])
def test_a_line_that_may_open_a_block_is_parsed(source: str) -> None:
    assert markdown._one_paragraph(source) is None


@pytest.mark.parametrize("source", [
    "{{ d.a }}", "{{ d.items is callable }}", "{{ d['items'] }}", "{{ d.get('a') }}",
    "{{ n.texts }}", "{{ d.a.b }}", "{{ d.missing is defined }}", "{{ d.keys is callable }}",
])
def test_templates_read_dicts_as_jinja_does(source: str) -> None:
    # Templates read dicts (the interface strings) exactly as plain Jinja does.
    values = {"d": {"a": {"b": "<x>"}, "items": 2, "keys": 3}, "n": Localized((("", "text"),))}
    ours = templates.environment().from_string(source)
    plain = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    assert ours.render(values) == plain.from_string(source).render(values)


def test_a_missing_key_is_still_an_error_in_templates() -> None:
    with pytest.raises(jinja2.UndefinedError, match="missing"):
        templates.environment().from_string("{{ d.missing }}").render(d={})


def test_templates_have_the_environments_globals() -> None:
    # A template's globals are one dict (not Jinja's ChainMap): the same names and values,
    # seen from a page and from what it imports.
    env = templates.environment()
    assert dict(env.get_template("_factcheck.html").globals) == env.globals
    page = env.from_string('{% import "_factcheck.html" as fc %}{{ fc.jsonld(f) }}{{ note }}')
    assert page.render(f={"jsonld": Markup("<x>")}, note="n") == (
        '<script type="application/ld+json"><x></script>n')
