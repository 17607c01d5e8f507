"""article.md's front matter (located YAML) → its checked values, with every problem
collected."""

from __future__ import annotations

from typing import Any

from sitegen.content.factcheck import EXPLAINER_KEYS, parse_explainer
from sitegen.content.fields import LocalizedParser, YamlMapping, check_url, parse_date
from sitegen.content.loader import YNode
from sitegen.errors import Collector, SourceLocation, did_you_mean
from sitegen.model import Site
from sitegen.names import LANG_RE

KINDS = ("published", "practice")
"""``kind`` in article.md: a published text (the default), or one written for teaching."""


def front_matter_fields(
    node: YNode | None, display: str, site: Site, problems: Collector
) -> dict[str, Any] | None:
    """article.md front matter → a dict of checked values, or None when unusable."""
    if node is None:
        problems.error("article.md has no front matter", SourceLocation(display, 1, 1),
                       "start the file with '---', title: …, language: …, '---'")
        return None
    f = YamlMapping(node, "front matter", ("title", "language"),
                    ("outlet", "author", "published", "original_url", "provenance", "summary",
                     "kind", "rights", *EXPLAINER_KEYS), problems)
    if not f.ok:
        return None
    text = LocalizedParser(site.languages, problems)
    title = f.text("title", required=True)
    language = f.text("language", required=True)
    if language is not None and not LANG_RE.fullmatch(language):
        problems.error(f"'{language}' is not a language code such as 'fr'", f.loc("language"))
        language = None
    published_node = f.get("published")
    published = None
    if published_node is not None and published_node.value is not None:
        published = parse_date(published_node, "published", problems, partial=True)
    original_url = f.text("original_url", nullable=True)
    if original_url is not None and not check_url(original_url, f.loc("original_url"),
                                                  problems):
        original_url = None
    kind = f.text("kind") or KINDS[0]
    if kind not in KINDS:
        problems.error(f"'kind' must be {' or '.join(KINDS)}, got '{kind}'", f.loc("kind"),
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
        "rights": f.text("rights", nullable=True),
        "language_at": f.loc("language"),
        "explainer": parse_explainer(f, text, problems),
    }
    if title is None or language is None:
        return None
    return values
