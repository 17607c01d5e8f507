"""Annotations made elsewhere → ``ImportedAnnotation`` records: from a Hypothesis API
search result, or W3C Web Annotation JSON-LD (what sitegen exports, and what other tools write).

Only reading and reshaping here; mapping to categories, anchoring and writing YAML are
``import_hypothesis``'s job.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sitegen.errors import SiteError, SourceLocation
from sitegen.model import Selector
from sitegen.names import LANG_RE

# sitegen's export writes a source as "[title](<url>), publisher, date" (see export.py).
_CITATION = re.compile(r"\[(?P<name>(?:\\.|[^\]\\])*)\]\(<(?P<url>[^>]*)>\)(?P<rest>.*)")
_DATE = re.compile(r"\d{4}(?:-\d{2}){0,2}")
_URN = re.compile(r"urn:sitegen:[a-z0-9-]+:(?P<id>[a-z0-9-]+)")
_TRANSLATION = re.compile(r"urn:sitegen:[a-z0-9-]+:translation\.(?P<lang>[^.:/]+)")
"""The source of a target in a translation, as sitegen's export names it."""
_SURROGATE = re.compile("[\ud800-\udfff]")
_ORIGIN = re.compile(r"[A-Za-z0-9_:./@?=&%+~-]{1,200}")
"""An annotation id worth remembering: Hypothesis' own, or a W3C item's IRI."""


@dataclass
class ImportedAnnotation:
    """One annotation as the other tool saw it."""

    where: str
    """How to find it in the input file, for messages: 'row 3' or 'item 3'."""
    note: dict[str, str]
    """Note text per language; '' when the tool did not say."""
    tags: list[str]
    quote: str | None = None
    prefix: str | None = None
    suffix: str | None = None
    translated: dict[str, Selector] = field(default_factory=dict)
    """The passage in a translation by language, when sitegen's export gave it as a second
    target."""
    sources: list[dict[str, str]] = field(default_factory=list)
    id_hint: str | None = None
    """The id it had in sitegen, when it came from sitegen's own export."""
    origin: str | None = None
    """Its id in the tool it comes from, kept so that a second import skips it."""
    by: str | None = None
    """Who wrote it there (a name, for the teacher; no student sees it)."""
    problem: str | None = None
    """Why it cannot be imported as it is (it is then written as a comment)."""


def read_records(text: str, display: str) -> tuple[list[ImportedAnnotation], list[str]]:
    """The records of a Hypothesis or W3C file, and what was skipped (with why)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SiteError(f"not valid JSON: {exc.msg}", SourceLocation(display, exc.lineno,
                                                                     exc.colno)) from None
    except RecursionError:  # Python's parser recurses once per level of nesting
        raise SiteError("JSON nested too deeply", SourceLocation(display, 1, 1),
                        "an export of annotations nests a few levels at most") from None
    if isinstance(data, dict) and isinstance(data.get("rows"), list):
        records, skipped = _hypothesis(data["rows"])
    else:
        items = _w3c_items(data)
        if items is None:
            raise SiteError("neither a Hypothesis search result (with 'rows') nor W3C Web "
                            "Annotations", SourceLocation(display, 1, 1),
                            "export from the Hypothesis API, or give an annotations.jsonld")
        records, skipped = _w3c(items)
    kept = []
    for record in records:  # JSON can say "\ud800", which is no text any file can hold
        if any(_SURROGATE.search(text) for text in _texts(record)):
            skipped.append(f"{record.where}: holds a lone surrogate (a half of a character "
                           "escaped as \\ud800 to \\udfff), not text; not imported")
        else:
            kept.append(record)
    return kept, skipped


def _texts(record: ImportedAnnotation) -> Iterator[str]:
    """Every text of ``record`` that may be written out."""
    yield from record.note
    yield from record.note.values()
    yield from record.tags
    for source in record.sources:
        yield from source.values()
    for text in (record.quote, record.prefix, record.suffix, record.origin, record.by):
        if text is not None:
            yield text
    for lang, passage in record.translated.items():
        yield lang
        yield from (t for t in (passage.quote, passage.prefix, passage.suffix) if t is not None)


def _hypothesis(rows: list[Any]) -> tuple[list[ImportedAnnotation], list[str]]:
    records, skipped = [], []
    for n, row in enumerate(rows, 1):
        where = f"row {n}"
        if not isinstance(row, dict):
            skipped.append(f"{where}: not an annotation")
            continue
        if row.get("references"):
            skipped.append(f"{where}: a reply to another annotation, not imported")
            continue
        tags = [t for t in row.get("tags") or [] if isinstance(t, str)]
        text = row.get("text")
        note = {"": text} if isinstance(text, str) and text.strip() else {}
        record = ImportedAnnotation(where, note, tags, origin=_origin(row.get("id")),
                                    by=_hypothesis_user(row))
        targets = row.get("target")
        for target in targets if isinstance(targets, list) else []:
            if isinstance(target, dict):
                _quote_into(record, _selector(target.get("selector")))
        records.append(record)
    return records, skipped


def _w3c_items(data: Any) -> list[Any] | None:
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        return None
    kind = data.get("type")
    if kind == "AnnotationCollection":
        first = data.get("first")
        return first.get("items", []) if isinstance(first, dict) else []
    if kind == "AnnotationPage":
        return data.get("items") if isinstance(data.get("items"), list) else []
    if kind == "Annotation":
        return [data]
    return None


def _w3c(items: list[Any]) -> tuple[list[ImportedAnnotation], list[str]]:
    records, skipped = [], []
    for n, item in enumerate(items, 1):
        where = f"item {n}"
        if not isinstance(item, dict) or item.get("type") != "Annotation":
            skipped.append(f"{where}: not an Annotation")
            continue
        record = ImportedAnnotation(where, {}, [])
        bodies = item.get("body", [])
        for body in bodies if isinstance(bodies, list) else [bodies]:
            _body_into(record, body)
        target = item.get("target")
        for one in target if isinstance(target, list) else [target]:
            _target_into(record, one)
        urn = _URN.fullmatch(str(item.get("id", "")))
        record.id_hint = urn.group("id") if urn else None
        record.origin = _origin(item.get("id"))
        creator = item.get("creator")
        name = creator.get("name") if isinstance(creator, dict) else creator
        record.by = name if isinstance(name, str) and name.strip() else None
        records.append(record)
    return records, skipped


def _body_into(record: ImportedAnnotation, body: Any) -> None:
    if isinstance(body, str):
        record.note.setdefault("", body)
        return
    if not isinstance(body, dict) or not isinstance(body.get("value"), str):
        return
    value, purpose = body["value"], body.get("purpose", "commenting")
    if purpose == "tagging":
        record.tags.append(value)
    elif purpose == "linking":
        source = _source(value)
        if source:
            record.sources.append(source)
    elif value.strip():
        language = body.get("language")
        if isinstance(language, str) and not LANG_RE.fullmatch(language):
            record.problem = f"its note's language is not a language code: {language!r}"
            language = None
        record.note[language if isinstance(language, str) else ""] = value


def _source(citation: str) -> dict[str, str] | None:
    match = _CITATION.fullmatch(citation.strip())
    if not match:
        return None
    name = re.sub(r"\\(.)", r"\1", match.group("name"))
    rest = [part.strip() for part in match.group("rest").split(",") if part.strip()]
    date = rest.pop() if rest and _DATE.fullmatch(rest[-1]) else None
    source = ({"title": name, "publisher": re.sub(r"\\(.)", r"\1", ", ".join(rest))}
              if rest else {"publisher": name})
    source["url"] = match.group("url").replace("%3C", "<").replace("%3E", ">").replace(
        "%20", " ")
    if date:
        source["date"] = date
    return source


def _target_into(record: ImportedAnnotation, target: Any) -> None:
    """A target's passage: in a translation, as sitegen's export names one, or else in the
    article (the first such target: a quote in another document is not this article's)."""
    if not isinstance(target, dict):
        return
    source = target.get("source")
    found = _TRANSLATION.fullmatch(source.get("id", "")) if isinstance(source, dict) \
        and isinstance(source.get("id"), str) else None
    passage = _selector(target.get("selector"))
    if found is None:
        if record.quote is None:
            _quote_into(record, passage)
    elif passage is not None and LANG_RE.fullmatch(found.group("lang")):
        record.translated[found.group("lang")] = passage


def _selector(selectors: Any) -> Selector | None:
    """The first ``TextQuoteSelector`` of a target's selectors (one, or a list)."""
    for selector in selectors if isinstance(selectors, list) else [selectors]:
        if isinstance(selector, dict) and selector.get("type") == "TextQuoteSelector" \
                and isinstance(selector.get("exact"), str):
            return Selector(selector["exact"], _text_or_none(selector.get("prefix")),
                            _text_or_none(selector.get("suffix")))
    return None


def _quote_into(record: ImportedAnnotation, found: Selector | None) -> None:
    if found is not None:
        record.quote, record.prefix, record.suffix = found.quote, found.prefix, found.suffix


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _origin(value: Any) -> str | None:
    return value if isinstance(value, str) and _ORIGIN.fullmatch(value) else None


def _hypothesis_user(row: dict[str, Any]) -> str | None:
    """The annotator's display name, else their account name (``acct:NAME@hypothes.is``)."""
    info = row.get("user_info")
    name = info.get("display_name") if isinstance(info, dict) else None
    if isinstance(name, str) and name.strip():
        return name
    user = row.get("user")
    if not isinstance(user, str) or not user.strip():
        return None
    return user.removeprefix("acct:").removesuffix("@hypothes.is")
