"""The fact-check layer's fields (docs/factcheck.md): ``site.yaml``'s ``ratings`` and
``publisher``; an annotation's ``claim``, ``verdict`` and ``original``; a source's ``kind``,
``accessed`` and ``archived``; the front matter's ``takeaways``, ``authors``, ``created``,
``updated`` and ``corrections``. Every problem is collected, as in the other parsers.
"""

from __future__ import annotations

from collections.abc import Callable

from sitegen.content.fields import LocalizedParser, YamlMapping, check_id, check_url, parse_date
from sitegen.content.loader import YNode
from sitegen.errors import Collector, did_you_mean
from sitegen.model import (
    SOURCE_KINDS,
    Check,
    Claim,
    Correction,
    Explainer,
    Localized,
    Original,
    Publisher,
    Rating,
    Site,
    Source,
)
from sitegen.names import LANG_RE

CHECK_KEYS = ("claim", "verdict", "original")
"""The annotation keys this layer adds."""
SOURCE_KEYS = ("kind", "accessed", "archived")
"""The source keys this layer adds."""
EXPLAINER_KEYS = ("takeaways", "authors", "created", "updated", "corrections")
"""The front-matter keys this layer adds."""
TAKEAWAYS = (3, 5)
"""How many takeaways an explainer may give: a box to remember, not a second summary."""


def parse_ratings(node: YNode | None, text: LocalizedParser, problems: Collector
                  ) -> tuple[Rating, ...]:
    """``ratings:``, a list of ``{key, label, definition}``, best first."""
    if node is None:
        return ()
    if node.kind != "list" or not node.value:
        problems.error("'ratings' must be a list of {key, label, definition}, best first",
                       node.loc)
        return ()
    ratings: list[Rating] = []
    for item in node.value:
        f = YamlMapping(item, "rating", ("key", "label", "definition"), (), problems)
        if not f.ok:
            continue
        key = f.text("key", required=True)
        label = text(f, "label", required=True)
        definition = text(f, "definition", required=True)
        if key is None or not check_id(key, f.loc("key"), "rating key", problems):
            continue
        if key in (r.key for r in ratings):
            problems.error(f"rating '{key}' is listed twice", f.loc("key"))
            continue
        placeholder = Localized((("", key),))
        ratings.append(Rating(key, label or placeholder, definition or placeholder))
    return tuple(ratings)


def parse_publisher(node: YNode | None, problems: Collector) -> Publisher | None:
    """``publisher: {name, url}``: who publishes the explainers."""
    if node is None:
        return None
    f = YamlMapping(node, "publisher", ("name",), ("url",), problems)
    name = f.text("name", required=True) if f.ok else None
    url = f.text("url")
    if url is not None and not check_url(url, f.loc("url"), problems):
        url = None
    return Publisher(name, url) if name else None


def source_extras(f: YamlMapping, problems: Collector
                  ) -> tuple[str | None, str | None, str | None]:
    """A source's ``kind``, ``accessed`` date and ``archived`` copy's address."""
    kind = f.text("kind")
    if kind is not None and kind not in SOURCE_KINDS:
        problems.error(f"unknown source kind '{kind}'", f.loc("kind"),
                       did_you_mean(kind, SOURCE_KINDS) or "kinds: " + ", ".join(SOURCE_KINDS))
        kind = None
    accessed = _date(f, "accessed", problems)
    archived = f.text("archived")
    if archived is not None and not check_url(archived, f.loc("archived"), problems):
        archived = None
    return kind, accessed, archived


def parse_check(f: YamlMapping, site: Site, text: LocalizedParser,
                source: Callable[[YNode], Source | None], problems: Collector) -> Check | None:
    """An annotation's ``claim``, ``verdict`` and ``original`` (None when it has none)."""
    if f.items.keys().isdisjoint(CHECK_KEYS):
        return None
    verdict = f.text("verdict")
    keys = [r.key for r in site.ratings]
    if verdict is not None and verdict not in keys:
        hint = did_you_mean(verdict, keys) or (
            "ratings: " + ", ".join(keys) if keys else "define 'ratings' in site.yaml")
        problems.error(f"unknown rating '{verdict}'", f.loc("verdict"), hint)
        verdict = None
    claim = _claim(f.get("claim"), text, source, problems)
    if verdict is not None and claim is None:
        problems.error("'verdict' needs the 'claim' it rates", f.loc("verdict"),
                       'add claim: {text: {fr: "…", en: "…"}, by: "…"}')
    original = _original(f.get("original"), site, text, source, problems)
    return Check(claim, verdict, original)


def _claim(node: YNode | None, text: LocalizedParser,
           source: Callable[[YNode], Source | None], problems: Collector) -> Claim | None:
    if node is None:
        return None
    f = YamlMapping(node, "claim", ("text",), ("by", "source"), problems)
    if not f.ok:
        return None
    stated = text(f, "text", required=True)
    where = f.get("source")
    made_in = source(where) if where is not None else None
    return Claim(stated, f.text("by"), made_in) if stated else None


def _original(node: YNode | None, site: Site, text: LocalizedParser,
              source: Callable[[YNode], Source | None], problems: Collector) -> Original | None:
    if node is None:
        return None
    f = YamlMapping(node, "original", ("text", "language", "speaker", "source"),
                    ("translation",), problems)
    if not f.ok:
        return None
    words = f.text("text", required=True)
    lang = f.text("language", required=True)
    if lang is not None and not LANG_RE.fullmatch(lang):
        problems.error(f"'{lang}' is not a language code such as 'en'", f.loc("language"))
        lang = None
    speaker = f.text("speaker", required=True)
    source_node = f.get("source")
    cited = source(source_node) if source_node is not None else None
    # Our translation is given into every edition but the original's own language.
    into = tuple(e for e in text.languages if e != lang)
    translation = LocalizedParser(into, problems)(f, "translation") if into else None
    if words is None or lang is None or speaker is None or cited is None:
        return None
    return Original(words, lang, speaker, cited, translation)


def parse_explainer(f: YamlMapping, text: LocalizedParser, problems: Collector) -> Explainer:
    """The front matter's fields about the explainer itself."""
    takeaways = tuple(f.each("takeaways", lambda n: text.parse(n, "takeaways", required=True)))
    low, high = TAKEAWAYS
    if f.get("takeaways") is not None and not low <= len(takeaways) <= high:
        problems.error(f"give {low} to {high} takeaways, not {len(takeaways)}",
                       f.loc("takeaways"), "a few short points a reader should keep")
    authors = tuple(a for a in f.each("authors", lambda n: _name(n, problems)))
    created, updated = (_date(f, key, problems) for key in ("created", "updated"))
    corrections = tuple(f.each("corrections", lambda n: _correction(n, text, problems)))
    return Explainer(takeaways, authors, created, updated, corrections)


def _date(f: YamlMapping, key: str, problems: Collector) -> str | None:
    node = f.get(key)
    return parse_date(node, key, problems, partial=False) if node is not None else None


def _name(node: YNode, problems: Collector) -> str | None:
    if not isinstance(node.value, str) or not node.value.strip():
        problems.error("each author must be a name", node.loc)
        return None
    return node.value


def _correction(node: YNode, text: LocalizedParser, problems: Collector) -> Correction | None:
    f = YamlMapping(node, "correction", ("date", "text"), (), problems)
    if not f.ok:
        return None
    date = _date(f, "date", problems)
    what = text(f, "text", required=True)
    return Correction(date, what) if date and what else None
