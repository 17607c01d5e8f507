"""Readers of YAML fields: one located mapping → typed values (text, lists, flags, ids, URLs,
dates, localized texts), every problem added to a ``Collector`` instead of raised.

The parsers of each file kind (``site``, ``annotations``, ``front_matter``) are built on these.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlparse

from sitegen.content.loader import YNode
from sitegen.errors import Collector, SourceLocation, did_you_mean
from sitegen.model import Localized
from sitegen.names import ID_RE
from sitegen.text.advice import STRAIGHT_QUOTES, curly_quoted

# `en "text"` under `note:` is valid YAML (one plain text) but meant `en: "text"`.
_LANG_WITHOUT_COLON = re.compile(r"([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\s+[\"'“‘«„]")
PARTIAL_DATE_RE = re.compile(r"(\d{4})(?:-(\d{2}))?")
_SPACE = re.compile(r"\s")
"""Any character ``str.isspace`` finds (the same Unicode table)."""

T = TypeVar("T")


class YamlMapping:
    """Typed access to one YAML mapping; unknown or missing keys are reported once."""

    def __init__(
        self, node: YNode, what: str, required: tuple[str, ...], optional: tuple[str, ...],
        problems: Collector,
    ):
        self.node = node
        self.problems = problems
        self.ok = node.kind == "mapping"
        self.items: dict[str, YNode] = node.value if self.ok else {}
        if not self.ok:
            problems.error(f"{what} must be a mapping of keys to values, not {_describe(node)}",
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
                problems.error(f"unknown key '{key}' in {what}", node.key_locs[key], hint)
        for key in required:
            if key not in self.items and key not in misspelt and not text_as_key:
                problems.error(f"{what} is missing required key '{key}'", node.loc)

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
                self.problems.error(f"'{key}' is empty", node.loc)
            return None
        if isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            return str(node.value)
        if not isinstance(node.value, str):
            self.problems.error(f"'{key}' must be text, not {_describe(node)}", node.loc)
            return None
        if required and not node.value.strip():
            self.problems.error(f"'{key}' is empty", node.loc)
            return None
        return node.value

    def flag(self, key: str) -> bool:
        """An optional true/false field (false when absent or wrong, with an error)."""
        node = self.items.get(key)
        if node is None:
            return False
        if not isinstance(node.value, bool):
            got = f", got '{node.value}'" if isinstance(node.value, str) else ""
            self.problems.error(f"'{key}' must be true or false{got}", node.loc,
                                f"write '{key}: true' or '{key}: false'" if got else None)
            return False
        return node.value

    def each(self, key: str, parse: Callable[[YNode], T | None]) -> list[T]:
        node = self.items.get(key)
        if node is None or node.value is None:
            return []
        if node.kind != "list":
            self.problems.error(f"'{key}' must be a list, not {_describe(node)}", node.loc,
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


def check_id(value: str, loc: SourceLocation, what: str, problems: Collector) -> bool:
    if not ID_RE.fullmatch(value):
        suggestion = re.sub(r"[^a-z0-9-]+", "-", value.lower()).strip("-")
        hint = f"for example '{suggestion}'" if suggestion else None
        problems.error(f"{what} '{value}' may only use a-z, 0-9 and '-'", loc, hint)
        return False
    return True


def check_url(value: str, loc: SourceLocation, problems: Collector) -> bool:
    try:
        parsed = urlparse(value)
        parsed.port  # noqa: B018 (raises for a port that is not a number from 0 to 65535)
    except ValueError as exc:
        problems.error(f"not a valid URL: '{value}' ({exc})", loc,
                       "write the address as your browser shows it, or leave the field out")
        return False
    bad = parsed.scheme not in ("http", "https") or not parsed.netloc
    if bad or _SPACE.search(value):
        problems.error(f"URL must start with http:// or https://, got '{value}'", loc)
        return False
    return True


def parse_date(node: YNode, key: str, problems: Collector, *, partial: bool) -> str | None:
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
    problems.error(f"'{key}' must be a date ({forms}), got {value!r}", node.loc)
    return None


class LocalizedParser:
    """Parses human-readable fields: plain text or one text per edition."""

    def __init__(self, languages: tuple[str, ...], problems: Collector):
        self.languages = languages
        self.problems = problems

    def __call__(self, fields: YamlMapping, key: str, *, required: bool = False
                 ) -> Localized | None:
        node = fields.get(key)
        if node is None:
            return None
        return self.parse(node, key, required=required)

    def parse(self, node: YNode, key: str, *, required: bool = False) -> Localized | None:
        if node.kind == "scalar":
            return self._one_text(node, key, required=required)
        if node.kind != "mapping":
            self.problems.error(f"'{key}' must be text or a mapping of language to text",
                                node.loc)
            return None
        return self._per_edition(node, key, required=required)

    def _one_text(self, node: YNode, key: str, *, required: bool) -> Localized | None:
        """``note: "…"``: one text for every edition."""
        if node.value is None or (isinstance(node.value, str) and not node.value.strip()):
            if required:
                self.problems.error(f"'{key}' is empty", node.loc)
            return None
        if not isinstance(node.value, str):
            self.problems.error(f"'{key}' must be text, not {_describe(node)}", node.loc)
            return None
        self._curly(node)
        forgot = _LANG_WITHOUT_COLON.match(node.value)
        if forgot and forgot.group(1) in self.languages:
            code = forgot.group(1)
            self.problems.error(f"'{key}' is one text that starts with '{code}': the colon "
                                f"after the language is missing", node.loc,
                                f'write {code}: "…"')
            return None
        return Localized((("", node.value),), (node.loc,))

    def _curly(self, node: YNode) -> None:
        """A warning for a text wrapped in curly quotation marks: valid YAML, but they were
        meant as YAML's quotes, and would be shown as part of the text."""
        if node.unquoted and curly_quoted(node.value):
            self.problems.warn(f"{node.value.strip()[0]} is not a YAML quote: {STRAIGHT_QUOTES}, "
                               "so these marks are shown as part of the text", node.loc,
                               'write "…" instead of “…”, or keep them if they are meant')

    def _per_edition(self, node: YNode, key: str, *, required: bool) -> Localized | None:
        """``note: {fr: "…", en: "…"}``: a text per edition, a warning for each one missing."""
        texts: list[tuple[str, str]] = []
        locations: list[SourceLocation] = []
        for lang, child in node.value.items():
            if lang not in self.languages:
                hint = did_you_mean(lang, self.languages) or (
                    "editions: " + ", ".join(self.languages))
                self.problems.error(f"'{lang}' in '{key}' is not an edition of this site",
                                    node.key_locs[lang], hint)
                continue
            if not isinstance(child.value, str) or not child.value.strip():
                self.problems.error(f"'{key}.{lang}' must be non-empty text", child.loc)
                continue
            self._curly(child)
            texts.append((lang, child.value))
            locations.append(child.loc)
        if not texts:
            if node.value == {} and required:
                self.problems.error(f"'{key}' is empty", node.loc)
            return None
        for lang in self.languages:
            if lang not in dict(texts):
                self.problems.warn(f"'{key}' has no '{lang}' translation", node.loc,
                                   "the default edition's text is shown instead")
        return Localized(tuple(texts), tuple(locations))
