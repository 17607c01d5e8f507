"""``sitegen import-hypothesis FILE --article SLUG``: annotations made in Hypothesis (or any
W3C Web Annotation JSON-LD, sitegen's own export included) → entries of annotations.yaml.

Tags become categories, the text becomes the note, each quote is anchored with the build's
own code and given the shortest prefix or suffix that still picks the same passage. What
cannot be imported as it is (no category, a quote not in the article) is written as a
commented-out entry and listed. What the user wrote is never changed: the file is created,
or the new entries are inserted as new lines after a comment (see ``append``). Each entry
is preceded by a comment with its id in Hypothesis (and who wrote it): a second import of
the same export adds only what is new.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sitegen import fs
from sitegen.authoring import (
    YAML_BREAKS,
    comment_text,
    disk_errors,
    modeline,
    refuse_links_out,
    require_site,
)
from sitegen.authoring import append as yaml_append
from sitegen.authoring.import_anchor import Texts, anchor, article_texts
from sitegen.authoring.imported import ImportedAnnotation, read_records
from sitegen.content.loader import YNode, parse_yaml, read_text
from sitegen.errors import (
    ContentErrors,
    SiteError,
    UsageError,
    did_you_mean,
    printable,
)
from sitegen.model import Selector, Site
from sitegen.text.selection import annotation_id


@dataclass
class ImportResult:
    path: Path
    imported: int = 0
    held: int = 0
    again: int = 0
    """Annotations skipped because an earlier import brought them already."""
    problems: list[str] = field(default_factory=list)
    """What the user must look at: held entries, unknown tags, skipped items."""


@dataclass
class _Entry:
    record: ImportedAnnotation
    id: str = ""
    """Given once the file is read under its lock (ids are unique in the article)."""
    category: str | None = None
    selector: Selector | None = None
    """The selector once anchored; until then, ``record``'s quote is written as it was."""
    translated: dict[str, Selector] = field(default_factory=dict)
    """When a translation has the passage too, the selector in each text by language, the
    article's first ('' when its front matter gives no language yet)."""
    problem: str | None = None


def parse_tag_map(text: str | None, site: Site) -> dict[str, str]:
    """``tag=category,...`` → {tag: category}; a category the site lacks is a usage error."""
    mapping: dict[str, str] = {}
    keys = [c.key for c in site.categories]
    for pair in (text or "").split(","):
        if not pair.strip():
            continue
        tag, sep, category = pair.partition("=")
        if not sep or not tag.strip():
            raise UsageError(f"invalid --tag-map entry {pair!r}: write tag=category")
        if category.strip() not in keys:
            hint = did_you_mean(category.strip(), keys) or "categories: " + ", ".join(keys)
            raise UsageError(f"--tag-map: '{category.strip()}' is not a category ({hint})")
        mapping[tag.strip().casefold()] = category.strip()
    return mapping


def import_hypothesis(content: Path, slug: str, source: Path,
                      tag_map: str | None) -> ImportResult:
    site = require_site(content)
    tags = _tag_table(site) | parse_tag_map(tag_map, site)
    folder = content / "articles" / slug
    with disk_errors():
        if not (folder / "article.md").is_file():
            raise UsageError(f"no article '{slug}' in {content} "
                             "(start one with: sitegen new SLUG --from FILE)")
    path = folder / "annotations.yaml"
    refuse_links_out(path, content)
    try:
        texts = article_texts(folder, content)
        records, skipped = read_records(read_text(source, str(source)), str(source))
    except SiteError as exc:
        raise ContentErrors([exc]) from None
    result = ImportResult(path, problems=[_said(f"{source}: {s}") for s in skipped])
    if not records and not skipped:
        result.problems.append(_said(
            f"{source}: holds no annotations (an export of a private group is empty "
            "without your API token: see docs/hypothesis.md)"))
    entries = []
    for record in records:
        entry = _Entry(record)
        entry.category = next((tags[t.casefold()] for t in record.tags
                               if t.casefold() in tags), None)
        if record.problem:
            entry.problem = record.problem
        elif not record.note:
            entry.problem = "it has no text to use as the note"
        elif entry.category is None:
            entry.problem = ("none of its tags is a category"
                             + (f" (tags: {', '.join(record.tags)})" if record.tags else ""))
        if record.quote is not None:
            _anchor(entry, texts)
        entries.append(entry)
    if entries:
        entries = _write(path, content, entries, site, source.name, result)
    unknown = Counter(t for e in entries for t in e.record.tags if t.casefold() not in tags)
    for tag, count in sorted(unknown.items()):
        hint = did_you_mean(tag, list(tags)) or "categories: " + ", ".join(
            c.key for c in site.categories)
        result.problems.append(_said(
            f"{source}: tag '{tag}' ({count} annotation(s)) is not a category ({hint}); "
            f"map it with --tag-map '{tag}=CATEGORY'"))
    for entry in entries:
        if entry.problem:
            result.problems.append(_said(f"{source}: {entry.record.where}: {entry.problem}; "
                                         f"written as a comment (id {entry.id})"))
    result.held = sum(1 for e in entries if e.problem)
    result.imported = len(entries) - result.held
    if result.again:
        result.problems.append(_said(f"{source}: {result.again} annotation(s) imported "
                                     "before were skipped"))
    return result


def _said(text: str) -> str:
    """A message safe to print: on one line, control characters escaped."""
    for char in "\n" + YAML_BREAKS:
        text = text.replace(char, f"\\u{ord(char):04x}" if char != "\n" else "\\n")
    return printable(text)


def _tag_table(site: Site) -> dict[str, str]:
    """Every way a tag may name a category: its key or any of its labels, any case."""
    table: dict[str, str] = {}
    for category in site.categories:
        for _, label in category.label.texts:
            table[label.casefold()] = category.key
        table[category.key.casefold()] = category.key
    return table


def _existing_ids(node: YNode | None) -> set[str]:
    if node is None or node.kind != "mapping":
        return set()
    items = node.value.get("annotations")
    if items is None or items.kind != "list":
        return set()
    return {str(item.value["id"].value) for item in items.value
            if item.kind == "mapping" and "id" in item.value}


def _new_id(record: ImportedAnnotation, taken: set[str]) -> str:
    """An id made from the quote (or the note), unique in the article."""
    if record.id_hint and record.id_hint not in taken:
        taken.add(record.id_hint)
        return record.id_hint
    words = record.quote or next(iter(record.note.values()), "") or "imported"
    candidate = annotation_id(words, taken, words=5, fallback="imported")
    taken.add(candidate)
    return candidate


def _anchor(entry: _Entry, texts: Texts) -> None:
    """Anchor the record's quote in the article, and its passage in each translation there
    is (one in a language the article has no translation into is left out): an entry
    whose passage is not found where it should be is held, with why."""
    record = entry.record
    assert record.quote is not None
    found = anchor(texts.article, Selector(record.quote, record.prefix, record.suffix),
                   "the article")
    if isinstance(found, str):
        entry.problem = found
        return
    entry.selector = found
    translated: dict[str, Selector] = {}
    for lang, passage in sorted(record.translated.items()):
        if lang not in texts.translations or lang == texts.language:
            continue
        there = anchor(texts.translations[lang], passage, f"translation.{lang}.md")
        if isinstance(there, str):
            entry.problem = there
            return
        translated[lang] = there
    if translated:
        entry.translated = {texts.language or "": found, **translated}


_ORIGIN_COMMENT = re.compile(r"(?m)^[ \t]*# hypothesis: ([^\s;]+)")
"""The comment before each imported entry, naming its id in Hypothesis."""
_BY_COMMENT = re.compile(r"(?m)^[ \t]*# (?:hypothesis: [^\s;]+; )?by: (.+)\n[ \t]*- id: (\S+)")
"""That comment naming the annotator too (``_entries``), and the id of the entry under it."""


def annotators(text: str) -> dict[str, str]:
    """Who wrote each imported entry of an annotations.yaml ``text`` in Hypothesis, by the
    entry's id: read from the comments an import writes, so the published pages never
    carry it (the preview shows it to the author, ``serve.overlay.mark_imported``)."""
    return {m.group(2): m.group(1).strip() for m in _BY_COMMENT.finditer(text)}


def _write(path: Path, content: Path, entries: list[_Entry], site: Site, source_name: str,
           result: ImportResult) -> list[_Entry]:
    """Create ``path``, or add to it under its lock; the entries written (those an earlier
    import brought are left out, and counted)."""
    if not os.path.lexists(path):
        _give_ids(entries, set())
        text = (modeline("../../schemas/annotations.schema.json") + "annotations:\n"
                + _header(entries, source_name) + _entries(entries, 2, site))
        yaml_append.check_written(None, text, "annotations", _live(entries, site), path)
        try:
            with disk_errors():
                fs.atomic_write(path, text.encode("utf-8"), exclusive=True)
            return entries
        except FileExistsError:
            pass  # another import made it meanwhile: add to it, as to any file
    with yaml_append.locked_file(path) as fd:
        bom, old = yaml_append.read_locked(fd, path, content)
        try:
            node = parse_yaml(old.replace("\r\n", "\n").replace("\r", "\n"), str(path))
        except SiteError as exc:
            raise ContentErrors([exc]) from None
        lines = yaml_append.yaml_lines(old)
        root = yaml.compose(old, Loader=yaml_append.Composer)
        done = set(_ORIGIN_COMMENT.findall("\n".join(map(yaml_append.strip_break, lines))))
        fresh = [e for e in entries if e.record.origin is None or e.record.origin not in done]
        result.again = len(entries) - len(fresh)
        if not fresh:
            return fresh
        _give_ids(fresh, _existing_ids(node))
        at, dash, needs_key = _insertion_point(lines, root, path)
        block = (_header(fresh, source_name) + ("annotations:\n" if needs_key else "")
                 + _entries(fresh, dash, site))
        new, unchanged = yaml_append.splice(old, at, block)
        yaml_append.check_written(old, new, "annotations", _live(fresh, site), path)
        yaml_append.write_from(fd, bom, old, new, unchanged)
    return fresh


def _give_ids(entries: list[_Entry], taken: set[str]) -> None:
    for entry in entries:
        entry.id = _new_id(entry.record, taken)


def _header(entries: list[_Entry], source_name: str) -> str:
    held = sum(1 for e in entries if e.problem)
    return (f"# Imported from {comment_text(source_name)} by sitegen import-hypothesis"
            + (f"; {held} entry(s) below are commented out: see why, fix them, and "
               "remove the '# '" if held else "") + ".\n")


def _insertion_point(lines: list[str], root: yaml.Node | None, path: Path
                     ) -> tuple[int, int, bool]:
    """(line index to insert at, the items' dash column, whether 'annotations:' is needed).

    ``lines`` (with their breaks) and ``root``'s marks are YAML's lines (see
    ``append.yaml_lines``): the loader's locations are an editor's, which differ when the
    file holds U+2028."""
    if not isinstance(root, yaml.MappingNode):
        if root is not None:
            raise UsageError(f"{path} is not a mapping of keys: fix it (sitegen check), "
                             "then import again")
        return len(lines) - 1 if lines[-1] == "" else len(lines), 2, True
    keys = {key.value: (key, value) for key, value in root.value}
    if "annotations" not in keys:
        return len(lines) - 1 if lines[-1] == "" else len(lines), 2, True
    key, items = keys["annotations"]
    key_line = key.start_mark.line  # 0-based, as every index here
    empty = isinstance(items, yaml.ScalarNode) and items.tag.endswith(":null") and not items.value
    if not empty and (not isinstance(items, yaml.SequenceNode)
                      or items.start_mark.line == key_line):
        shown = yaml_append.editor_line(lines, key_line)
        raise UsageError(f"{path}:{shown}: 'annotations' is written on one line; make it "
                         "a list with one '- ' item per line (or empty), then import again")
    later = [other.start_mark.line for other, _ in root.value
             if other.start_mark.line > key_line]
    at = min(later) if later else len(lines)
    while at - 1 > key_line and (not lines[at - 1].strip()
                                 or lines[at - 1].lstrip().startswith("#")):
        at -= 1
    dash = 2
    if isinstance(items, yaml.SequenceNode) and items.value:
        first = items.value[0].start_mark
        dash = lines[first.line].rfind("-", 0, first.column)
    return at, dash, False


def _live(entries: list[_Entry], site: Site) -> list[dict[str, Any]]:
    """What the entries not held as comments are, as YAML data."""
    return [_entry_data(e, site) for e in entries if not e.problem]


def _entries(entries: list[_Entry], dash: int, site: Site) -> str:
    """The entries as YAML list items with their dash at column ``dash``, each after a
    comment naming where it came from; held ones (with a problem) commented out."""
    out: list[str] = []
    pad = " " * dash
    for entry in entries:
        record = entry.record
        if record.origin is not None or record.by is not None:
            said = [f"hypothesis: {record.origin}"] if record.origin is not None else []
            said += [f"by: {comment_text(record.by)}"] if record.by is not None else []
            out.append(f"{pad}# {'; '.join(said)}\n")
        # Split at '\n' alone: ``str.splitlines`` would also split at what ``emit`` leaves
        # in the text, such as a form feed inside a quoted note.
        lines = yaml_append.emit([_entry_data(entry, site)]).rstrip("\n").split("\n")
        if entry.problem:
            out.append(f"{pad}# {record.where}: {comment_text(entry.problem)}\n")
            out += [f"{pad}# {line}\n" for line in lines]
        else:
            out += [f"{pad}{line}\n" if line else "\n" for line in lines]
    return "".join(out)


def _entry_data(entry: _Entry, site: Site) -> dict[str, Any]:
    """The entry as YAML data: its quote, prefix and suffix one text each, or one per
    language when a translation has the passage too."""
    record = entry.record
    data: dict[str, Any] = {"id": entry.id, "category": entry.category or "…"}
    selector = entry.selector or (Selector(record.quote, record.prefix, record.suffix)
                                  if record.quote is not None else None)
    if entry.translated:
        for key in ("quote", "prefix", "suffix"):
            words = {(lang or site.default_language): yaml_append.Quoted(getattr(sel, key))
                     for lang, sel in entry.translated.items() if getattr(sel, key) is not None}
            if words:
                data[key] = words
    elif selector is not None:
        for key in ("quote", "prefix", "suffix"):
            if getattr(selector, key) is not None:
                data[key] = yaml_append.Quoted(getattr(selector, key))
    if "quote" not in data:
        data["scope"] = "article"  # a page note: about the whole article
    note = {(lang or site.default_language): text.rstrip()
            for lang, text in record.note.items()}
    data["note"] = next(iter(note.values())) if len(note) == 1 else note or "…"
    if record.sources:
        data["sources"] = [dict(source) for source in record.sources]
    return data
