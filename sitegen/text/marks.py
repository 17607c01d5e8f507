"""The marks of highlights in a piece of text: the text cut at the edges of the spans that
touch it, each piece escaped and wrapped in a ``<mark>`` per span covering it, outermost the
one that starts first (then the longest), so overlapping highlights never nest badly.

A text shown in other characters than it was anchored in (a translation in its edition's
typography) is cut at the same places, found by walking the two texts side by side.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from html import escape

from sitegen.model import Span


def marked(text: str, start: int, spans: Sequence[Span], link_notes: bool,
           mirror: bool = False, source: str | None = None) -> str:
    """``text`` escaped, with marks for ``spans``; they count in ``source`` (``text`` as
    it was anchored, when it is shown in other characters), from ``start``."""
    source = text if source is None else source
    end = start + len(source)
    inside = [s for s in spans if s.start < end and s.end > start]
    if not inside:
        return escape(text, quote=False)
    cuts = sorted({start, end} | {e for s in inside for e in (s.start, s.end) if start < e < end})
    shown = dict(zip(cuts, _cut_places(cuts, start, inside, source, text), strict=True))
    out: list[str] = []
    for a, b in itertools.pairwise(cuts):
        piece = escape(text[shown[a] : shown[b]], quote=False)
        covering = sorted(
            (s for s in inside if s.start <= a and s.end >= b),
            key=lambda s: (s.start, -s.end, s.number),
        )
        opening = "".join(_mark_open(s, a, b, link_notes, mirror) for s in covering)
        out.append(opening + piece + "</mark>" * len(covering))
    return "".join(out)


def _alignment(source: str, shown: str) -> Sequence[int]:
    """For each place between the characters of ``source`` (0 to its length), the same
    place in ``shown``: the text after typography, which puts one quotation mark for
    another and adds or replaces white space (no-break spaces), nothing else. So every
    other character of ``source`` is the next one of ``shown`` that is not white space."""
    if source == shown:
        return range(len(source) + 1)
    places = []
    j = 0
    for ch in source:
        if ch.isspace():
            places.append(j)
            if j < len(shown) and shown[j].isspace():
                j += 1
        else:
            while j < len(shown) - 1 and shown[j].isspace():  # added before this character
                j += 1
            places.append(j)
            j += 1
    places.append(len(shown))
    places[0] = 0  # what is added at either end is shown too
    return places


_ADDED = "\u00a0\u202f"
"""What typography adds: no-break spaces, which stay outside the highlights they touch."""


def _cut_places(cuts: list[int], start: int, spans: Sequence[Span], source: str, shown: str
                ) -> list[int]:
    """Where each cut (a canonical offset) falls in ``shown``."""
    places = _alignment(source, shown)
    found = [places[cut - start] for cut in cuts]
    if source == shown:
        return found
    for n, cut in enumerate(cuts[1:-1], 1):  # between the pieces before and after it
        at, k, low, high = found[n], cut - start, found[n - 1], found[n + 1]
        if any(s.end == cut for s in spans) and source[k - 1] not in _ADDED:
            while at > low and shown[at - 1] in _ADDED:
                at -= 1
        elif any(s.start == cut for s in spans) and source[k] not in _ADDED:
            while at < high and shown[at] in _ADDED:
                at += 1
        found[n] = at
    return found


_NOTE_LINK = re.compile(r' aria-details="note-[^"]*">')
"""What ``link_notes`` adds to a mark: its last attribute. Only a tag has a ``>`` that is
not escaped (text, code and attribute values have it as ``&gt;``), so this finds no other."""


def without_note_links(html: str) -> str:
    """HTML rendered with ``link_notes`` (``marked``, ``markdown.render_blocks``) as it is
    rendered without: the same marks, pointing to no note. Cheaper than rendering again."""
    return _NOTE_LINK.sub(">", html)


def _mark_open(span: Span, a: int, b: int, link_notes: bool, mirror: bool) -> str:
    ann = span.annotation
    classes = f"hl hl-{ann.category}"
    extra = ""
    if span.start == a:
        classes += " hl-start"
        if not mirror:  # the highlight's one id: notes link back to it
            extra = f' id="hl-{ann.id}"'
        if link_notes:  # opens its note (note-panel.js makes it a tab stop then)
            extra += f' aria-details="note-{ann.id}"'
    if span.end == b:
        classes += " hl-end"
    return (f'<mark class="{classes}" data-annotation="{ann.id}" '
            f'data-number="{span.number}"{extra}>')
