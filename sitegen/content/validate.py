"""Located YAML nodes → typed model, collecting every problem instead of stopping at one.

Checks required fields, types, unknown keys (with the nearest known key), ids, category
references, URLs, dates and localized fields against the site's editions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlparse

from sitegen.content.loader import YNode
from sitegen.errors import Collector, SourceLocation, did_you_mean
from sitegen.model import (
    ID_RE,
    LANG_RE,
    Annotation,
    Category,
    Localized,
    Question,
    Selector,
    Site,
    Source,
    Voice,
)
from sitegen.theme import i18n

COLOR_RE = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")
# `en "text"` under `note:` is valid YAML (one plain text) but meant `en: "text"`.
_LANG_WITHOUT_COLON = re.compile(r"([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\s+[\"'“‘«„]")
PARTIAL_DATE_RE = re.compile(r"(\d{4})(?:-(\d{2}))?")
PALETTE = ("#1f6fb2", "#b5481d", "#2e7d4f", "#7b3fa0", "#8a6d00", "#b0306a", "#00707a")
QUOTED = ("direct", "paraphrase")
SIFT_STEPS = ("stop", "investigate", "find", "trace")
PAPERS = ("A4", "Letter")
KINDS = ("published", "practice")
"""``kind`` in article.md: a published text (the default), or one written for teaching."""

T = TypeVar("T")


class Fields:
    """Typed access to one YAML mapping; unknown or missing keys are reported once."""

    def __init__(
        self, node: YNode, what: str, required: tuple[str, ...], optional: tuple[str, ...],
        out: Collector,
    ):
        self.node = node
        self.out = out
        self.ok = node.kind == "mapping"
        self.items: dict[str, YNode] = node.value if self.ok else {}
        if not self.ok:
            out.error(f"{what} must be a mapping of keys to values, not {_describe(node)}",
                      node.loc)
            return
        known = required + optional
        misspelt: set[str] = set()
        text_as_key = False
        for key in self.items:
            if key not in known:
                close = did_you_mean(key, [k for k in known if k not in self.items])
                if close:
                    misspelt.add(close.split("'")[1])
                hint = close or "known keys: " + ", ".join(known)
                if " " in key.strip():  # `- Who said it: the mayor?` is a mapping in YAML
                    hint = ("a text with ': ' inside reads as a key: put the whole text in "
                            'double quotes: "…"')
                    text_as_key = True
                out.error(f"unknown key '{key}' in {what}", node.key_locs[key], hint)
        for key in required:
            if key not in self.items and key not in misspelt and not text_as_key:
                out.error(f"{what} is missing required key '{key}'", node.loc)

    def get(self, key: str) -> YNode | None:
        return self.items.get(key)

    def loc(self, key: str) -> SourceLocation:
        child = self.items.get(key)
        return child.loc if child else self.node.loc

    def text(self, key: str, *, required: bool = False, nullable: bool = False) -> str | None:
        node = self.items.get(key)
        if node is None:
            return None
        if node.value is None and (nullable or not required):
            if not nullable:
                self.out.error(f"'{key}' is empty", node.loc)
            return None
        if isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            return str(node.value)
        if not isinstance(node.value, str):
            self.out.error(f"'{key}' must be text, not {_describe(node)}", node.loc)
            return None
        if required and not node.value.strip():
            self.out.error(f"'{key}' is empty", node.loc)
            return None
        return node.value

    def each(self, key: str, parse: Callable[[YNode], T | None]) -> list[T]:
        node = self.items.get(key)
        if node is None or node.value is None:
            return []
        if node.kind != "list":
            self.out.error(f"'{key}' must be a list, not {_describe(node)}", node.loc,
                           "start each item with '- '")
            return []
        return [item for item in (parse(n) for n in node.value) if item is not None]


def _describe(node: YNode) -> str:
    if node.kind != "scalar":
        return f"a {node.kind}"
    value = node.value
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, (dt.date, dt.datetime)):
        return f"the date {value.isoformat()}"
    return "text"


def check_id(value: str, loc: SourceLocation, what: str, out: Collector) -> bool:
    if not ID_RE.fullmatch(value):
        suggestion = re.sub(r"[^a-z0-9-]+", "-", value.lower()).strip("-")
        hint = f"for example '{suggestion}'" if suggestion else None
        out.error(f"{what} '{value}' may only use a-z, 0-9 and '-'", loc, hint)
        return False
    return True


def check_url(value: str, loc: SourceLocation, out: Collector) -> bool:
    try:
        parsed = urlparse(value)
        parsed.port  # noqa: B018 (raises for a port that is not a number from 0 to 65535)
    except ValueError as exc:
        out.error(f"not a valid URL: '{value}' ({exc})", loc,
                  "write the address as your browser shows it, or leave the field out")
        return False
    bad = parsed.scheme not in ("http", "https") or not parsed.netloc
    if bad or any(c.isspace() for c in value):
        out.error(f"URL must start with http:// or https://, got '{value}'", loc)
        return False
    return True


def parse_date(node: YNode, key: str, out: Collector, *, partial: bool) -> str | None:
    """A date as ISO text; ``partial`` also allows ``YYYY-MM`` and ``YYYY``."""
    value = node.value
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if partial and isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return str(value)
    if partial and isinstance(value, str):
        m = PARTIAL_DATE_RE.fullmatch(value.strip())
        if m and (m.group(2) is None or 1 <= int(m.group(2)) <= 12):
            return value.strip()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    forms = "YYYY-MM-DD, YYYY-MM or YYYY" if partial else "YYYY-MM-DD"
    out.error(f"'{key}' must be a date ({forms}), got {value!r}", node.loc)
    return None


class LocalizedParser:
    """Parses human-readable fields: plain text or one text per edition."""

    def __init__(self, languages: tuple[str, ...], out: Collector):
        self.languages = languages
        self.out = out

    def __call__(self, fields: Fields, key: str, *, required: bool = False) -> Localized | None:
        node = fields.get(key)
        if node is None:
            return None
        return self.parse(node, key, required=required)

    def parse(self, node: YNode, key: str, *, required: bool = False) -> Localized | None:
        if node.kind == "scalar":
            if node.value is None or (isinstance(node.value, str) and not node.value.strip()):
                if required:
                    self.out.error(f"'{key}' is empty", node.loc)
                return None
            if not isinstance(node.value, str):
                self.out.error(f"'{key}' must be text, not {_describe(node)}", node.loc)
                return None
            forgot = _LANG_WITHOUT_COLON.match(node.value)
            if forgot and forgot.group(1) in self.languages:
                code = forgot.group(1)
                self.out.error(f"'{key}' is one text that starts with '{code}': the colon "
                               f"after the language is missing", node.loc,
                               f'write {code}: "…"')
                return None
            return Localized((("", node.value),), (node.loc,))
        if node.kind != "mapping":
            self.out.error(f"'{key}' must be text or a mapping of language to text", node.loc)
            return None
        texts: list[tuple[str, str]] = []
        locations: list[SourceLocation] = []
        for lang, child in node.value.items():
            if lang not in self.languages:
                hint = did_you_mean(lang, self.languages) or (
                    "editions: " + ", ".join(self.languages))
                self.out.error(f"'{lang}' in '{key}' is not an edition of this site",
                               node.key_locs[lang], hint)
                continue
            if not isinstance(child.value, str) or not child.value.strip():
                self.out.error(f"'{key}.{lang}' must be non-empty text", child.loc)
                continue
            texts.append((lang, child.value))
            locations.append(child.loc)
        if not texts:
            if node.value == {} and required:
                self.out.error(f"'{key}' is empty", node.loc)
            return None
        for lang in self.languages:
            if lang not in dict(texts):
                self.out.warn(f"'{key}' has no '{lang}' translation", node.loc,
                              "the default edition's text is shown instead")
        return Localized(tuple(texts), tuple(locations))


def parse_site(node: YNode | None, display: str, out: Collector) -> Site | None:
    """site.yaml → Site, or None when it is too broken to build anything."""
    if node is None:
        out.error("site.yaml is empty", SourceLocation(display, 1, 1),
                  "it needs title, languages and categories")
        return None
    f = Fields(node, "site.yaml", ("title", "languages", "categories"), ("handout",), out)
    if not f.ok:
        return None
    languages = _parse_languages(f, out)
    if not languages:
        return None
    for lang in languages:
        if lang not in i18n.available():
            out.warn(f"sitegen has no interface strings in '{lang}'; that edition's menus "
                     "and headings are in English", f.loc("languages"),
                     "available: " + ", ".join(i18n.available()))
    loc_text = LocalizedParser(languages, out)
    title = loc_text(f, "title", required=True)
    categories = _parse_categories(f.get("categories"), loc_text, out)
    paper = "A4"
    handout = f.get("handout")
    if handout is not None:
        hf = Fields(handout, "handout", (), ("paper",), out)
        value = hf.text("paper")
        if value is not None:
            if value in PAPERS:
                paper = value
            else:
                out.error(f"handout paper must be A4 or Letter, got '{value}'", hf.loc("paper"),
                          did_you_mean(value, PAPERS))
    if title is None or not categories:
        return None
    return Site(title, languages, tuple(categories), paper)


def _parse_languages(f: Fields, out: Collector) -> tuple[str, ...]:
    node = f.get("languages")
    if node is None:
        return ()
    if node.kind != "list" or not node.value:
        out.error("'languages' must be a non-empty list such as [fr, en]", node.loc)
        return ()
    langs: list[str] = []
    for item in node.value:
        if not isinstance(item.value, str) or not LANG_RE.fullmatch(item.value):
            out.error(f"'{item.value}' is not a language code such as 'fr' or 'en'", item.loc)
        elif item.value in langs:
            out.error(f"language '{item.value}' is listed twice", item.loc)
        else:
            langs.append(item.value)
    return tuple(langs) if len(langs) == len(node.value) else ()


def _parse_categories(
    node: YNode | None, loc_text: LocalizedParser, out: Collector
) -> list[Category]:
    if node is None:
        return []
    if node.kind != "mapping" or not node.value:
        out.error("'categories' must be a mapping from key to {label, description, color}",
                  node.loc)
        return []
    categories = []
    for index, (key, child) in enumerate(node.value.items()):
        check_id(key, node.key_locs[key], "category key", out)
        f = Fields(child, f"category '{key}'", ("label", "description"), ("color",), out)
        if not f.ok:
            continue
        # A category with a mistake is still defined, so that annotations using it
        # do not report a second, misleading error.
        placeholder = Localized((("", key),))
        label = loc_text(f, "label", required=True) or placeholder
        description = loc_text(f, "description", required=True) or placeholder
        color = f.text("color") or PALETTE[index % len(PALETTE)]
        if not COLOR_RE.fullmatch(color):
            out.error(f"color must look like #1f6fb2, got '{color}'", f.loc("color"))
            color = PALETTE[index % len(PALETTE)]
        if len(color) == 4:
            color = "#" + "".join(c * 2 for c in color[1:])
        categories.append(Category(key, label, description, color.lower(), index))
    return categories


class AnnotationsParser:
    """annotations.yaml → annotations, voices and questions of one article."""

    def __init__(self, site: Site, out: Collector):
        self.site = site
        self.out = out
        self.text = LocalizedParser(site.languages, out)

    def parse(
        self, node: YNode | None, display: str
    ) -> tuple[list[Annotation], list[Voice], list[Question]]:
        if node is None:
            return [], [], []
        f = Fields(node, "annotations.yaml", (), ("annotations", "voices", "questions"), self.out)
        if not f.ok:
            return [], [], []
        annotations = f.each("annotations", self.annotation)
        seen: dict[str, SourceLocation] = {}
        for ann in annotations:
            if ann.id in seen:
                self.out.error(f"duplicate annotation id '{ann.id}' (first at line "
                               f"{seen[ann.id].line})", ann.location)
            else:
                seen[ann.id] = ann.location
        return annotations, f.each("voices", self.voice), f.each("questions", self.question)

    def annotation(self, node: YNode) -> Annotation | None:
        f = Fields(node, "annotation", ("id", "category", "note"),
                   ("quote", "prefix", "suffix", "sources", "question", "answer", "core"),
                   self.out)
        if not f.ok:
            return None
        ident = f.text("id", required=True)
        category = f.text("category", required=True)
        keys = [c.key for c in self.site.categories]
        if category is not None and category not in keys:
            hint = did_you_mean(category, keys) or "categories: " + ", ".join(keys)
            self.out.error(f"unknown category '{category}'", f.loc("category"), hint)
            category = None
        note = self.text(f, "note", required=True)
        selector = None
        quote = f.text("quote")
        if quote is not None and not quote.strip():
            self.out.error("'quote' is empty", f.loc("quote"),
                           "remove it for an article-level note")
        elif quote is not None:
            selector = Selector(quote, f.text("prefix"), f.text("suffix"))
        elif f.get("prefix") or f.get("suffix"):
            self.out.error("'prefix' and 'suffix' need a 'quote'", f.loc("prefix"))
        sources = tuple(f.each("sources", self.source))
        question = self.text(f, "question")
        answer = self.text(f, "answer")
        core = self.flag(f, "core")
        if core and question is None:
            self.out.error("'core: true' needs a 'question'", f.loc("core"),
                           "add the question, or remove 'core'")
        if ident is None or category is None or note is None:
            return None
        if not check_id(ident, f.loc("id"), "annotation id", self.out):
            return None
        where = tuple((key, f.loc(key)) for key in f.items)
        return Annotation(ident, category, selector, note, sources, question, answer,
                          node.loc, where, core)

    def source(self, node: YNode) -> Source | None:
        f = Fields(node, "source", ("publisher", "url"), ("title", "date"), self.out)
        if not f.ok:
            return None
        publisher = f.text("publisher", required=True)
        url = f.text("url", required=True)
        title = f.text("title")
        date_node = f.get("date")
        date = parse_date(date_node, "date", self.out, partial=True) if date_node else None
        if url is not None and not check_url(url, f.loc("url"), self.out):
            return None
        if publisher is None or url is None:
            return None
        return Source(publisher, url, title, date)

    def voice(self, node: YNode) -> Voice | None:
        f = Fields(node, "voice", ("name", "quoted", "linked"),
                   ("role", "affiliation", "side", "sources"), self.out)
        if not f.ok:
            return None
        name = f.text("name", required=True)
        quoted = f.text("quoted", required=True)
        if quoted is not None and quoted not in QUOTED:
            self.out.error(f"'quoted' must be direct or paraphrase, got '{quoted}'",
                           f.loc("quoted"), did_you_mean(quoted, QUOTED))
            quoted = None
        linked_node = f.get("linked")
        linked = linked_node.value if linked_node else None
        if linked_node is not None and not isinstance(linked, bool):
            self.out.error("'linked' must be true or false", linked_node.loc)
        role = self.text(f, "role")
        affiliation = self.text(f, "affiliation")
        side = self.text(f, "side")
        sources = tuple(f.each("sources", self.source))
        if name is None or quoted is None or not isinstance(linked, bool):
            return None
        return Voice(name, role, affiliation, side, quoted, linked, sources)

    def question(self, node: YNode) -> Question | None:
        if node.kind != "mapping" or set(node.value) <= set(self.site.languages):
            text = self.text.parse(node, "question", required=True)
            return Question(text, None, None, node.loc) if text else None
        f = Fields(node, "question", ("question",), ("answer", "step", "core"), self.out)
        if not f.ok:
            return None
        text = self.text(f, "question", required=True)
        answer = self.text(f, "answer")
        step = f.text("step")
        if step is not None and step not in SIFT_STEPS:
            self.out.error(f"'step' must be one of {', '.join(SIFT_STEPS)}, got '{step}'",
                           f.loc("step"), did_you_mean(step, SIFT_STEPS))
            step = None
        core = self.flag(f, "core")
        return Question(text, answer, step, node.loc, core) if text else None

    def flag(self, f: Fields, key: str) -> bool:
        """An optional true/false field (false when absent or wrong, with an error)."""
        node = f.get(key)
        if node is None:
            return False
        if not isinstance(node.value, bool):
            self.out.error(f"'{key}' must be true or false", node.loc)
            return False
        return node.value


def front_matter_fields(
    node: YNode | None, display: str, site: Site, out: Collector
) -> dict[str, Any] | None:
    """article.md front matter → a dict of checked values, or None when unusable."""
    if node is None:
        out.error("article.md has no front matter", SourceLocation(display, 1, 1),
                  "start the file with '---', title: …, language: …, '---'")
        return None
    f = Fields(node, "front matter", ("title", "language"),
               ("outlet", "author", "published", "original_url", "provenance", "summary",
                "kind"), out)
    if not f.ok:
        return None
    text = LocalizedParser(site.languages, out)
    title = f.text("title", required=True)
    language = f.text("language", required=True)
    if language is not None and not LANG_RE.fullmatch(language):
        out.error(f"'{language}' is not a language code such as 'fr'", f.loc("language"))
        language = None
    published_node = f.get("published")
    published = None
    if published_node is not None and published_node.value is not None:
        published = parse_date(published_node, "published", out, partial=True)
    original_url = f.text("original_url", nullable=True)
    if original_url is not None and not check_url(original_url, f.loc("original_url"), out):
        original_url = None
    kind = f.text("kind") or KINDS[0]
    if kind not in KINDS:
        out.error(f"'kind' must be {' or '.join(KINDS)}, got '{kind}'", f.loc("kind"),
                  did_you_mean(kind, KINDS))
    values = {
        "title": title,
        "language": language,
        "kind": kind,
        "outlet": f.text("outlet", nullable=True),
        "author": f.text("author", nullable=True),
        "published": published,
        "original_url": original_url,
        "provenance": text(f, "provenance"),
        "summary": text(f, "summary"),
        "language_at": f.loc("language"),
    }
    if title is None or language is None:
        return None
    return values
