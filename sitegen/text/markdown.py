"""Markdown → HTML with highlights, through one markdown-it configuration.

The article's canonical plain text is the headline, a blank line, then the body's text
blocks separated by blank lines (inline formatting removed, soft breaks as spaces).
Anchoring works on that text; rendering cuts each text token at span edges and wraps
every piece in ``<mark>`` elements (``marks.marked``), so overlapping highlights never nest
badly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import urlparse

from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import normalizeLink
from markdown_it.token import Token

from sitegen.model import Span
from sitegen.text import typography
from sitegen.text.marks import marked

BLOCK_SEPARATOR = "\n\n"
ALLOWED_SCHEMES = ("http", "https", "mailto")
MAX_NESTING = 10
"""How many lists and block quotes content may put inside one another."""
_CONTAINERS = {"blockquote_open": 1, "bullet_list_open": 1, "ordered_list_open": 1,
               "blockquote_close": -1, "bullet_list_close": -1, "ordered_list_close": -1}
# markdown-it silently drops everything deeper than its own nesting limit (in its levels, a
# list and its item count two) and the rest of the document after it. Set far above what
# MAX_NESTING allows, so that accepted content is always rendered whole and deeper content
# is measured for its error message.
_PARSE_NESTING = 100


PLAIN_URL = re.compile(r"https?://(?=[a-z0-9.-]{1,255}(?![a-z0-9.-]))"
                       r"[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63})*(?:/[A-Za-z0-9._~/-]*)?")
"""A URL that markdown-it's normalizeLink gives back unchanged (lowercase ASCII host of at
most 255 characters in labels of at most 63, as mdurl keeps them; no port, query, fragment
or character to escape): most links in content."""


def _allowed_link(url: str) -> bool:
    if PLAIN_URL.fullmatch(url):  # most links; urlparse costs ten times more
        return True
    try:
        scheme = urlparse(url.strip()).scheme.lower()
    except ValueError:  # a host in brackets that is no IP address: not a usable link
        return False
    return scheme in ALLOWED_SCHEMES or url.startswith("#")


def normalize_link(url: str) -> str:
    # markdown-it parses, re-encodes and re-assembles every URL, a tenth of the parse
    # time on link-heavy text; for a plain URL the result is the URL itself.
    if PLAIN_URL.fullmatch(url):
        return url
    return normalizeLink(url)


def _make_parser() -> MarkdownIt:
    md = MarkdownIt(
        "commonmark", {"html": False, "xhtmlOut": False, "typographer": False, "linkify": False,
                       "maxNesting": _PARSE_NESTING}
    )
    # Every link and image is kept in the tokens, so that ``problems`` can report the ones
    # content may not use; the render rules below never write them out.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    # The article is shown verbatim: a link reference definition ("[1]: https://…") would
    # vanish from the text, so it stays text, as do the "[1]" that would have used it.
    md.disable("reference")
    md.normalizeLink = normalize_link  # type: ignore[method-assign]
    md.add_render_rule("text", _render_text)
    md.add_render_rule("code_inline", _render_code_inline)
    md.add_render_rule("code_block", _render_code_block)
    md.add_render_rule("fence", _render_code_block)
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("link_close", _render_link_close)
    md.add_render_rule("image", _render_image)
    return md


_PLAIN = re.compile(r"[^\x00-\x1f\x7f-\x9f\u2028\u2029\\`*_\[\]!<>&]+\n?")
"""A line (``_ONE_LINE``) that markdown-it reads as one text: no character that opens
inline syntax (escapes, code, emphasis, links, images, autolinks, entities). Most notes,
questions and labels are such a line."""


_ONE_LINE = re.compile(r"(?![\d#>+*=_~`<-])[^\x00-\x1f\x7f-\x9f\u2028\u2029]+\n?")
"""One line that markdown-it reads as one paragraph, whatever inline syntax it holds: no
control character, and no first character that could open a block. Most notes, questions
and answers that are not plain (``_PLAIN``) are such a line."""


def _one_paragraph(source: str) -> list[Token] | None:
    """The tokens markdown-it makes of ``source`` when it is one line of one paragraph, else
    None: a plain line's built directly, others' by the inline parser alone (the block
    parser would find the one paragraph that the line is, at twice the cost)."""
    if not _ONE_LINE.fullmatch(source):
        return None
    text = source.rstrip("\n")
    if text[0].isspace() or text[-1].isspace():  # markdown-it would trim it
        return None
    if _PLAIN.fullmatch(source):
        inline = Token("inline", "", 0, map=[0, 1], children=[Token("text", "", 0, content=text)],
                       content=text)
    else:
        [inline] = PARSER.parseInline(text, {})
    inline.level, inline.block = 1, True
    return [Token("paragraph_open", "p", 1, map=[0, 1], block=True), inline,
            Token("paragraph_close", "p", -1, block=True)]


def parse_markdown(source: str) -> list[Token]:
    """The tokens of a Markdown field: parsed once, then checked and rendered. A field of
    one line skips the block parser, and a plain one the inline parser as well, which give
    the same tokens at two and ten times the cost."""
    one = _one_paragraph(source)
    return one if one is not None else PARSER.parse(source, {})


def problems(tokens: Sequence[Token]) -> list[tuple[int, str]]:
    """(0-based line, message) for each link or image that content may not use, and for
    nesting deeper than MAX_NESTING."""
    found = nesting_problems(tokens)
    for block in tokens:
        if block.type != "inline":
            continue
        line = block.map[0] if block.map else 0
        for token in block.children or []:
            if token.type == "image":
                found.append((line, "images are not supported: pages load nothing "
                                    "from outside the site"))
            elif token.type == "link_open":
                href = str(token.attrGet("href") or "")
                if not _allowed_link(href):
                    found.append((line, f"link '{href}' must use http, https or mailto"))
    return found


def nesting_problems(tokens: Sequence[Token]) -> list[tuple[int, str]]:
    """(0-based line, message) where lists and block quotes nest deeper than MAX_NESTING:
    one problem for the whole token stream, at the first line that goes too deep."""
    depth = deepest = 0
    first_line: int | None = None
    for token in tokens:
        depth += _CONTAINERS.get(token.type, 0)
        deepest = max(deepest, depth)
        if depth > MAX_NESTING and first_line is None:
            first_line = token.map[0] if token.map else 0
    if first_line is None:
        return []
    cut = any(t.level >= _PARSE_NESTING - 1 for t in tokens)  # deeper still, not parsed
    levels = f"more than {deepest}" if cut else str(deepest)
    return [(first_line, f"nested too deeply ({levels} levels; at most {MAX_NESTING})")]


@dataclass(frozen=True)
class Block:
    """One top-level block of the body: its HTML and its range in the canonical text."""

    html: str
    start: int
    end: int


@dataclass(frozen=True)
class ParsedBody:
    """A body parsed once: tokens with canonical offsets, grouped into top-level blocks."""

    text: str
    """The body's canonical plain text (without the headline)."""
    groups: tuple[tuple[Token, ...], ...]
    ranges: tuple[tuple[int, int], ...]

    @property
    def tokens(self) -> list[Token]:
        return [token for group in self.groups for token in group]


def canonical_text(title: str, body: ParsedBody) -> str:
    """The article's canonical plain text, which quotes are anchored in: the headline,
    a blank line, then the body's text."""
    return title + BLOCK_SEPARATOR + body.text


_TEXT_OF: dict[str, str | None] = {"text": None, "code_inline": None, "softbreak": " ",
                                   "hardbreak": "\n"}
"""The inline tokens that hold canonical text: their content (None), or a break's text."""


def parse_body(source: str) -> ParsedBody:
    """Parse the body and give every text-bearing token its canonical offsets."""
    tokens = parse_markdown(source)
    parts: list[str] = []
    length = 0
    groups: list[tuple[Token, ...]] = []
    ranges: list[tuple[int, int]] = []
    current: list[Token] = []
    group_start: int | None = None
    group_end = 0
    for token in tokens:
        current.append(token)
        if token.type in ("code_block", "fence"):
            pieces = [(token, token.content.rstrip("\n"))]
        elif token.type == "inline" and token.children:
            pieces = [(child, child.content if (text := _TEXT_OF[child.type]) is None else text)
                      for child in token.children if child.type in _TEXT_OF]
        else:
            pieces = []
        if pieces:  # a new block of text
            if parts:
                parts.append(BLOCK_SEPARATOR)
                length += len(BLOCK_SEPARATOR)
            if group_start is None:
                group_start = length
            for piece, text in pieces:
                end = length + len(text)
                piece.meta["span"] = (length, end)
                parts.append(text)
                length = end
            group_end = length
        if token.level == 0 and token.nesting <= 0:
            start = group_start if group_start is not None else length
            groups.append(tuple(current))
            ranges.append((start, group_end if group_start is not None else length))
            current = []
            group_start = None
    return ParsedBody("".join(parts), tuple(groups), tuple(ranges))


def render_blocks(body: ParsedBody, spans: Sequence[Span], offset: int, *,
                  link_notes: bool = True, mirror: bool = False) -> list[Block]:
    """HTML of each top-level block, with marks for ``spans`` (offsets include ``offset``);
    without ``link_notes``, the marks do not point to notes (a copy that has none). With
    ``mirror``, the marks repeat highlights shown elsewhere on the page (in the article,
    beside a translation): they have no id and open nothing themselves.

    ``body``'s tokens may have had their text changed since it was parsed (typography):
    the marks are placed by aligning each text with the one ``spans`` count in."""
    env = {"spans": spans, "offset": offset, "link_notes": link_notes and not mirror,
           "mirror": mirror, "source": body.text}
    return [
        Block(PARSER.renderer.render(list(group), PARSER.options, env), start, end)
        for group, (start, end) in zip(body.groups, body.ranges, strict=True)
    ]


def render_text(text: str, spans: Sequence[Span], start: int, *, link_notes: bool = True,
                mirror: bool = False, shown: str | None = None) -> str:
    """Escaped plain text (a headline) with marks; ``start`` is its canonical offset.
    ``shown``: the text as it is shown, when not as ``text`` (typography); ``mirror`` as
    for ``render_blocks``."""
    return marked(text if shown is None else shown, start, spans,
                   link_notes and not mirror, mirror, text)


def to_html(tokens: Sequence[Token]) -> str:
    """HTML for a note, provenance or translation: Markdown without highlights."""
    env = {"spans": (), "offset": 0, "link_notes": False, "mirror": False}
    return str(PARSER.renderer.render(tokens, PARSER.options, env))


def unwrap(html: str) -> str:
    """A short text's HTML (a question, a label) without its paragraph wrapper."""
    html = html.strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html


class ParsedFields:
    """Markdown fields parsed once and rendered once each, whatever the number of pages,
    handouts and editions that show them: text → tokens → HTML."""

    def __init__(self) -> None:
        self._tokens: dict[str, list[Token]] = {}
        self._html: dict[tuple[str, str | None], str] = {}

    def tokens(self, text: str) -> list[Token]:
        found = self._tokens.get(text)
        if found is None:
            found = self._tokens[text] = parse_markdown(text)
        return found

    def html(self, text: str, *, inline: bool = False, lang: str | None = None) -> str:
        """With ``lang``, the text is ours, written in that language's typography."""
        found = self._html.get((text, lang))
        if found is None:
            tokens = self.tokens(text)
            if lang is not None:
                tokens = typography.tokens(tokens, lang)
            found = self._html[(text, lang)] = to_html(tokens)
        return unwrap(found) if inline else found


def _token_text(token: Token, env: dict[str, Any]) -> str:
    start, end = token.meta.get("span", (None, None)) if token.meta else (None, None)
    if start is None:
        return escape(token.content, quote=False)
    return marked(token.content, start + env["offset"], env["spans"], env["link_notes"],
                   env["mirror"], env["source"][start:end])


def _render_text(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return _token_text(tokens[idx], env)


def _render_code_inline(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return f"<code>{_token_text(tokens[idx], env)}</code>"


def _render_code_block(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    content = token.content.rstrip("\n")
    if token.meta and "span" in token.meta:
        start = token.meta["span"][0] + env["offset"]
        shown = marked(content, start, env["spans"], env["link_notes"], env["mirror"])
        return f"<pre><code>{shown}</code></pre>\n"
    return f"<pre><code>{escape(content, quote=False)}</code></pre>\n"


def _render_link_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    href = str(token.attrGet("href") or "")
    if not _allowed_link(href):
        # ``problems`` makes this a content error; should a caller skip the check, the
        # link's text is shown without the link.
        env["_dropped_link"] = True
        return ""
    if not href.startswith("#"):
        token.attrSet("rel", "noopener noreferrer")
    return str(self.renderToken(tokens, idx, options, env))


def _render_link_close(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    if env.pop("_dropped_link", False):  # links do not nest: this closes the dropped one
        return ""
    return str(self.renderToken(tokens, idx, options, env))


def _render_image(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    # Never an <img>: a page loads nothing from outside the site (``problems`` reports it).
    return escape(self.renderInlineAsText(tokens[idx].children or [], options, env), quote=False)


PARSER = _make_parser()
