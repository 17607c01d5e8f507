"""``sitegen import-hypothesis FILE --article SLUG``: annotations made in Hypothesis (or any
W3C Web Annotation JSON-LD, sitegen's own export included) → entries of annotations.yaml.

Tags become categories, the text becomes the note, each quote is anchored with the build's
own code and given the shortest prefix or suffix that still picks the same passage. What
cannot be imported as it is (no category, a quote not in the article) is written as a
commented-out entry and listed. What the user wrote is never changed: the file is created,
or the new entries are inserted as new lines after a comment.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.authoring import create_files, modeline, require_site, yaml_string
from sitegen.authoring.imported import ImportedAnnotation, read_records
from sitegen.content.loader import YNode, parse_yaml, read_markdown, read_text
from sitegen.errors import ContentErrors, SiteError, SourceLocation, UsageError, did_you_mean
from sitegen.fs import atomic_write
from sitegen.model import Site
from sitegen.text.markdown import canonical_text, parse_body
from sitegen.text.quote import (
    AnchorError,
    ContextNotFound,
    Folded,
    QuoteAmbiguous,
    QuoteNotFound,
    fold,
    locate,
)
from sitegen.text.selection import MAX_CONTEXT_WORDS, SelectionError, annotation_id, propose


@dataclass
class ImportResult:
    path: Path
    imported: int = 0
    held: int = 0
    problems: list[str] = field(default_factory=list)
    """What the user must look at: held entries, unknown tags, skipped items."""


@dataclass
class _Entry:
    id: str
    record: ImportedAnnotation
    category: str | None = None
    quote: str | None = None
    """The selector once anchored; until then, ``record``'s quote is written as it was."""
    prefix: str | None = None
    suffix: str | None = None
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
    if not (folder / "article.md").is_file():
        raise UsageError(f"no article '{slug}' in {content} "
                         "(start one with: sitegen new SLUG --from FILE)")
    try:
        text = _article_text(folder / "article.md", content)
        records, skipped = read_records(read_text(source, str(source)), str(source))
        path = folder / "annotations.yaml"
        existing = read_text(path, str(path), content) if path.exists() else None
        node = parse_yaml(existing, str(path)) if existing is not None else None
    except SiteError as exc:
        raise ContentErrors([exc]) from None
    result = ImportResult(path, problems=[f"{source}: {s}" for s in skipped])
    taken = _existing_ids(node)
    folded = fold(text)
    unknown: Counter[str] = Counter()
    entries = []
    for record in records:
        entry = _Entry(_new_id(record, taken), record)
        entry.category = next((tags[t.casefold()] for t in record.tags
                               if t.casefold() in tags), None)
        unknown.update(t for t in record.tags if t.casefold() not in tags)
        if not record.note:
            entry.problem = "it has no text to use as the note"
        elif entry.category is None:
            entry.problem = ("none of its tags is a category"
                             + (f" (tags: {', '.join(record.tags)})" if record.tags else ""))
        if record.quote is not None:
            _anchor(entry, text, folded)
        entries.append(entry)
    for tag, count in sorted(unknown.items()):
        hint = did_you_mean(tag, list(tags)) or "categories: " + ", ".join(
            c.key for c in site.categories)
        result.problems.append(f"{source}: tag '{tag}' ({count} annotation(s)) is not a "
                               f"category ({hint}); map it with --tag-map '{tag}=CATEGORY'")
    for entry in entries:
        if entry.problem:
            result.problems.append(f"{source}: {entry.record.where}: {entry.problem}; "
                                   f"written as a comment (id {entry.id})")
    result.held = sum(1 for e in entries if e.problem)
    result.imported = len(entries) - result.held
    if entries:
        _write(path, existing, node, entries, site, source.name)
    return result


def _article_text(path: Path, content: Path) -> str:
    md = read_markdown(path, str(path), content)
    title = md.front.value.get("title") if md.front and md.front.kind == "mapping" else None
    if title is None or not isinstance(title.value, str) or not title.value.strip():
        raise SiteError("the article has no title yet", SourceLocation(str(path), 1, 1),
                        "give it its headline, then import")
    return canonical_text(title.value, parse_body(md.body))


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


def _anchor(entry: _Entry, text: str, folded: Folded) -> None:
    """Find the quote in the article (with its context, if that still matches), then give
    it the selector the preview's panel would propose for that passage: the article's
    words, and only as much context as they need."""
    record = entry.record
    assert record.quote is not None
    try:
        try:
            span = locate(text, record.quote, record.prefix, record.suffix, folded)
        except ContextNotFound:  # the text around it changed, but the words may be unique
            span = locate(text, record.quote, folded=folded)
    except QuoteNotFound as exc:
        closest = f" (closest passage: {exc.closest!r})" if exc.closest else ""
        entry.problem = f"quote not found in the article: {record.quote!r}{closest}"
        return
    except QuoteAmbiguous as exc:
        entry.problem = (f"quote found {len(exc.places)} times and its context does not "
                         f"pick one: {record.quote!r}")
        return
    except AnchorError:
        entry.problem = f"quote cannot be anchored: {record.quote!r}"
        return
    try:
        selector = propose(text, *span, folded)
    except SelectionError:
        entry.problem = (f"quote found more than once, and no context of up to "
                         f"{MAX_CONTEXT_WORDS} words picks this place: {record.quote!r}")
        return
    entry.quote, entry.prefix, entry.suffix = selector.quote, selector.prefix, selector.suffix


def _write(path: Path, existing: str | None, node: YNode | None, entries: list[_Entry],
           site: Site, source_name: str) -> None:
    held = sum(1 for e in entries if e.problem)
    source_name = " ".join(source_name.split())
    header = (f"# Imported from {source_name} by sitegen import-hypothesis"
              + (f"; {held} entry(s) below are commented out: see why, fix them, and "
                 "remove the '# '" if held else "") + ".\n")
    if existing is None:
        dash = 2
        text = (modeline("../../schemas/annotations.schema.json") + "annotations:\n" + header
                + _entries(entries, dash, site))
        _check_parses(text, path)
        create_files({path: text})
        return
    lines = existing.split("\n")
    at, dash, needs_key = _insertion_point(lines, node, path)
    block = header + ("annotations:\n" if needs_key else "") + _entries(entries, dash, site)
    before = "\n".join(lines[:at])
    if before and not before.endswith("\n"):
        before += "\n"
    after = "\n".join(lines[at:])
    text = before + block + after
    _check_parses(text, path)
    atomic_write(path, text.encode("utf-8"))


def _insertion_point(lines: list[str], node: YNode | None, path: Path
                     ) -> tuple[int, int, bool]:
    """(line index to insert at, the items' dash column, whether 'annotations:' is needed)."""
    if node is None or node.kind != "mapping" or "annotations" not in node.value:
        if node is not None and node.kind != "mapping":
            raise UsageError(f"{path} is not a mapping of keys: fix it (sitegen check), "
                             "then import again")
        end = len(lines) - 1 if lines and lines[-1] == "" else len(lines)
        return end, 2, True
    key_line = node.key_locs["annotations"].line
    items = node.value["annotations"]
    if items.value is not None and (items.kind != "list" or items.loc.line == key_line):
        raise UsageError(f"{path}:{key_line}: 'annotations' is written on one line; make it "
                         "a list with one '- ' item per line (or empty), then import again")
    later = [loc.line for loc in node.key_locs.values() if loc.line > key_line]
    at = (min(later) - 1) if later else len(lines)
    while at - 1 >= key_line and (not lines[at - 1].strip()
                                  or lines[at - 1].lstrip().startswith("#")):
        at -= 1
    dash = 2
    if items.value:
        first = items.value[0].loc
        dash = lines[first.line - 1].rfind("-", 0, first.column - 1)
    return at, dash, False


def _check_parses(text: str, path: Path) -> None:
    """What is written must read back (a failure here is a bug in this module)."""
    parse_yaml(text, str(path))


def _entries(entries: list[_Entry], dash: int, site: Site) -> str:
    out: list[str] = []
    for entry in entries:
        lines = _entry_lines(entry, site)
        pad = " " * dash
        if entry.problem:
            out.append(f"{pad}# {entry.record.where}: {' '.join(entry.problem.split())}\n")
            out += [f"{pad}# {line}\n" for line in lines]
        else:
            out += [f"{pad}{line}\n" if line else "\n" for line in lines]
    return "".join(out)


def _entry_lines(entry: _Entry, site: Site) -> list[str]:
    record = entry.record
    lines = [f"- id: {entry.id}", f"  category: {entry.category or '…'}"]
    for key, value in (("quote", entry.quote or record.quote), ("prefix", entry.prefix),
                       ("suffix", entry.suffix)):
        if value is not None:
            lines.append(f"  {key}: {yaml_string(value)}")
    note = {(lang or site.default_language): text for lang, text in record.note.items()}
    if len(note) == 1:
        lines += _scalar("  note:", next(iter(note.values())), "    ")
    elif note:
        lines.append("  note:")
        for lang, text in note.items():
            lines += _scalar(f"    {lang}:", text, "      ")
    else:
        lines.append('  note: "…"')
    if record.sources:
        lines.append("  sources:")
        lines += ["    - {" + ", ".join(f"{k}: {yaml_string(v)}" for k, v in src.items()) + "}"
                  for src in record.sources]
    return lines


def _scalar(key: str, text: str, indent: str) -> list[str]:
    """``key`` and ``text``: a literal block when it spans lines, else one quoted line."""
    text = text.rstrip()
    body = text.split("\n")
    if len(body) > 1 and not text[:1].isspace() and "\t" not in text and not any(
            line != line.rstrip() for line in body):
        return [f"{key} |-"] + [f"{indent}{line}" if line else "" for line in body]
    return [f"{key} {yaml_string(text)}"]
