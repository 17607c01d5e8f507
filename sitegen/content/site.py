"""site.yaml's located YAML → ``Site`` (title, editions, categories, handout paper), with
every problem collected."""

from __future__ import annotations

import re

from sitegen.content.factcheck import parse_publisher, parse_ratings
from sitegen.content.fields import LocalizedParser, YamlMapping, check_id
from sitegen.content.loader import YNode
from sitegen.errors import Collector, SourceLocation, did_you_mean
from sitegen.model import Category, Localized, Site
from sitegen.names import LANG_RE
from sitegen.theme import i18n

COLOR_RE = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")
PALETTE = ("#1f6fb2", "#b5481d", "#2e7d4f", "#7b3fa0", "#8a6d00", "#b0306a", "#00707a")
PAPERS = ("A4", "Letter")


def parse_site(node: YNode | None, display: str, problems: Collector) -> Site | None:
    """site.yaml → Site, or None when it is too broken to build anything."""
    if node is None:
        problems.error("site.yaml is empty", SourceLocation(display, 1, 1),
                       "it needs title, languages and categories")
        return None
    f = YamlMapping(node, "site.yaml", ("title", "languages", "categories"),
                    ("handout", "ratings", "publisher"), problems)
    if not f.ok:
        return None
    languages = _parse_languages(f, problems)
    if not languages:
        return None
    available = i18n.available()
    for lang in languages:
        if lang not in available:
            problems.warn(f"sitegen has no interface strings in '{lang}'; that edition's menus "
                          "and headings are in English", f.loc("languages"),
                          "available: " + ", ".join(available))
    loc_text = LocalizedParser(languages, problems)
    title = loc_text(f, "title", required=True)
    categories = _parse_categories(f.get("categories"), loc_text, problems)
    paper = _parse_paper(f.get("handout"), problems)
    if title is None or not categories:
        return None
    return Site(title, languages, tuple(categories), paper,
                parse_ratings(f.get("ratings"), loc_text, problems),
                parse_publisher(f.get("publisher"), problems))


def _parse_languages(f: YamlMapping, problems: Collector) -> tuple[str, ...]:
    node = f.get("languages")
    if node is None:
        return ()
    if node.kind != "list" or not node.value:
        problems.error("'languages' must be a non-empty list such as [fr, en]", node.loc)
        return ()
    langs: list[str] = []
    for item in node.value:
        if not isinstance(item.value, str) or not LANG_RE.fullmatch(item.value):
            problems.error(f"'{item.value}' is not a language code such as 'fr' or 'en'",
                           item.loc)
        elif item.value in langs:
            problems.error(f"language '{item.value}' is listed twice", item.loc)
        else:
            langs.append(item.value)
    return tuple(langs) if len(langs) == len(node.value) else ()


def _parse_categories(
    node: YNode | None, loc_text: LocalizedParser, problems: Collector
) -> list[Category]:
    if node is None:
        return []
    if node.kind != "mapping" or not node.value:
        problems.error("'categories' must be a mapping from key to {label, description, color}",
                       node.loc)
        return []
    categories = []
    for index, (key, child) in enumerate(node.value.items()):
        check_id(key, node.key_locs[key], "category key", problems)
        f = YamlMapping(child, f"category '{key}'", ("label", "description"), ("color",),
                        problems)
        if not f.ok:
            continue
        # A category with a mistake is still defined, so that annotations using it
        # do not report a second, misleading error.
        placeholder = Localized((("", key),))
        label = loc_text(f, "label", required=True) or placeholder
        description = loc_text(f, "description", required=True) or placeholder
        color = f.text("color") or PALETTE[index % len(PALETTE)]
        if not COLOR_RE.fullmatch(color):
            problems.error(f"color must look like #1f6fb2, got '{color}'", f.loc("color"))
            color = PALETTE[index % len(PALETTE)]
        if len(color) == 4:
            color = "#" + "".join(c * 2 for c in color[1:])
        categories.append(Category(key, label, description, color.lower(), index))
    return categories


def _parse_paper(node: YNode | None, problems: Collector) -> str:
    """``handout: {paper: …}`` → the paper of the printed handouts (A4 when not given)."""
    if node is None:
        return PAPERS[0]
    f = YamlMapping(node, "handout", (), ("paper",), problems)
    value = f.text("paper")
    if value is None:
        return PAPERS[0]
    if value not in PAPERS:
        problems.error(f"handout paper must be A4 or Letter, got '{value}'", f.loc("paper"),
                       did_you_mean(value, PAPERS))
        return PAPERS[0]
    return value
