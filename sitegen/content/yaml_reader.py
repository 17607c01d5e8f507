"""YAML parsed to located nodes in one pass over the parser's events (``read_document``).

Output is ``YNode`` trees that remember the file, line and column of every key and value,
so validation can point at the exact place of a mistake. No tree of PyYAML's own nodes is
composed first: composing it took as long as reading the events, and converting it walked
it again. ``loader.parse_yaml`` is the entry point, with PyYAML's errors explained.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from sitegen.content import yaml_errors, yaml_hints
from sitegen.errors import SiteError, SourceLocation


@dataclass(slots=True)
class YNode:
    """A YAML value with its location; mappings also keep where each key is."""

    value: Any
    """dict[str, YNode] for a mapping, list[YNode] for a sequence, else a plain scalar."""
    loc: SourceLocation
    key_locs: dict[str, SourceLocation] = field(default_factory=dict)
    unquoted: bool = False
    """A text written without YAML's quotes (only set where it matters: a text that
    starts with a curly quotation mark, which may have been meant as YAML's)."""

    @property
    def kind(self) -> str:
        if isinstance(self.value, dict):
            return "mapping"
        if isinstance(self.value, list):
            return "list"
        return "scalar"


_SURROGATE = re.compile("[\ud800-\udfff]")
_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_MERGE = "tag:yaml.org,2002:merge"
_CURLY = "“‘«„"
_BOOLS = ("true", "false")
# Integers Python can still print in decimal (at least 3 bits per digit, under its limit).
_MAX_INT_BITS = 3 * sys.get_int_max_str_digits()
_PLAIN_TAGS = {f"tag:yaml.org,2002:{name}" for name in
               ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")}
_MAX_DEPTH = 50
_RESOLVER: Any = yaml.resolver.Resolver()
"""The resolver of both safe loaders (types plain texts by their look: 12, true, 2025-01-02)."""
_TYPED_STARTS = frozenset(_RESOLVER.yaml_implicit_resolvers)
"""The first characters of the plain texts it may give another type than text (each of
its resolvers names them: none is registered for any character, PyYAML's None)."""


@functools.lru_cache(maxsize=1024)
def _plain_tag(text: str) -> str:
    """The tag of a plain (unquoted) text, as both loaders resolve it: the same text always
    gets the same tag, and keys, categories and dates come again and again (the texts kept
    are the last 1,024 of the files read)."""
    tag: str = _RESOLVER.resolve(ScalarNode, text, (True, False))
    return tag


_location = cast(Callable[[tuple[str, int, int]], SourceLocation],
                 functools.partial(tuple.__new__, SourceLocation))
"""``SourceLocation(path, line, column)``, made as its own ``__new__`` makes it but
without that Python function's call (one is made for every key and value)."""


def _loc(where: yaml_errors.YamlText, mark: Any) -> SourceLocation:
    if where.plain:  # almost always: made here, for speed
        return _location((where.display, mark.line + 1 + where.line_offset, mark.column + 1))
    return where.at(mark)


def _refuse_cut_text(event: ScalarEvent, tag: str, where: yaml_errors.YamlText) -> None:
    """Refuse unquoted text that a `` #`` cut short: YAML reads the rest of the line as a
    comment and drops it without a word (``note: See point #3 of the plan``, or
    ``note: #Musk trends`` where nothing is left). A comment after a one-word value, or
    after no value (``category: framing  # why``, ``sources:  # none yet``), is taken
    for what it is, unless it reads like a tag or a number (``#3``)."""
    if event.style or event.end_mark is None:  # quoted or a block: '#' is text there
        return
    if not (tag == _STR or (tag == _NULL and not event.value)):
        return
    end = event.end_mark
    lines = where.lines
    rest = lines[end.line][end.column:] if end.line < len(lines) else ""
    after = rest.lstrip(" \t")
    if after.startswith("#") and (" " in event.value or after[1:2].strip()):
        raise SiteError(
            "the text after ' #' is read as a YAML comment and would be dropped",
            where.location(end.line, end.column + len(rest) - len(after)),
            "put the whole text in double quotes, or the comment on a line of its own")


class Refused(Exception):
    """A problem found in the document's events, to be raised once PyYAML's composer has
    found no syntax error in the whole document (``error`` None: a problem the composer
    reports itself, an undefined alias, a repeated anchor or a second document)."""

    def __init__(self, error: Exception | None):
        super().__init__()
        self.error = error


class _Reader:
    """One YAML document's events → located nodes (see ``read_document``). Aliases are
    refused as values; as PyYAML composes them, an alias stands for the very node its
    anchor is on, so a key's anchor may stand for a key, or once for a value."""

    def __init__(self, loader: Any, where: yaml_errors.YamlText, comments: bool):
        self.loader = loader
        self.get = loader.get_event
        self.where = where
        self.comments = comments
        self.anchors: dict[str, Any] = {}
        """Anchor → the first event of its node."""
        self.taken: set[str] = set()
        """The anchors whose node was read as a value (an alias of it is then refused)."""

    def document(self) -> YNode | None:
        get = self.get
        get()  # the stream's start
        if isinstance(get(), StreamEndEvent):  # else the document's start
            return None
        node = self.node(get(), 0)
        get()  # the document's end
        if not isinstance(get(), StreamEndEvent):  # a second document
            raise Refused(None)
        return node

    def remember(self, event: Any) -> None:
        """Keep the node an anchor is on (a repeated anchor: the composer refuses it)."""
        if event.anchor in self.anchors:
            raise Refused(None)
        self.anchors[event.anchor] = event

    def anchored(self, event: Any) -> Any:
        """The first event of the node an alias stands for (an undefined one: the composer
        refuses it)."""
        target = self.anchors.get(event.anchor)
        if target is None:
            raise Refused(None)
        return target

    def tag(self, event: ScalarEvent) -> str:
        tag: str | None = event.tag
        if tag is None or tag == "!":
            # Quoted text, a block, or a plain text no resolver looks at (most keys and
            # values): text, as the resolver would say, without asking it.
            if not event.implicit[0] or event.value[:1] not in _TYPED_STARTS:
                return _STR
            return _plain_tag(event.value)
        return tag

    def node(self, event: Any, depth: int) -> YNode:
        where = self.where
        kind = type(event)
        if kind is AliasEvent:
            return self.alias(event, depth)
        mark = event.start_mark
        loc = (_location((where.display, mark.line + 1 + where.line_offset, mark.column + 1))
               if where.plain else where.at(mark))  # almost always the first: made here
        if depth > _MAX_DEPTH:
            raise Refused(SiteError("YAML nested too deeply", loc))
        if event.anchor is not None:
            self.remember(event)
            self.taken.add(event.anchor)
        if kind is ScalarEvent:
            return self.scalar(event, loc)
        tag = event.tag
        if tag is None or tag == "!":
            tag = _RESOLVER.resolve(
                MappingNode if kind is MappingStartEvent else SequenceNode, None, event.implicit)
        if tag not in _PLAIN_TAGS:
            raise Refused(SiteError(f"unsupported YAML tag {tag}", loc, "remove the tag"))
        if kind is MappingStartEvent:
            return self.mapping(loc, depth)
        get = self.get
        items: list[YNode] = []
        event = get()
        while type(event) is not SequenceEndEvent:
            items.append(self.node(event, depth + 1))
            event = get()
        return YNode(items, loc)

    def alias(self, event: Any, depth: int) -> YNode:
        target = self.anchored(event)
        loc = _loc(self.where, target.start_mark)
        if depth > _MAX_DEPTH:
            raise Refused(SiteError("YAML nested too deeply", loc))
        if event.anchor in self.taken:
            # Refusing aliases also rules out exponential "billion laughs" expansion.
            raise Refused(SiteError("YAML anchors and aliases are not supported", loc,
                                    "write the value out"))
        self.taken.add(event.anchor)
        return self.scalar(target, loc)  # a key's text, read once as a value

    def mapping(self, loc: SourceLocation, depth: int) -> YNode:
        where = self.where
        get = self.get
        items: dict[str, YNode] = {}
        key_locs: dict[str, SourceLocation] = {}
        event = get()
        while type(event) is not MappingEndEvent:
            if type(event) is AliasEvent:
                event = self.anchored(event)
            elif event.anchor is not None:
                self.remember(event)
            mark = event.start_mark
            key_loc = (_location((where.display, mark.line + 1 + where.line_offset,
                                  mark.column + 1)) if where.plain else where.at(mark))
            if type(event) is not ScalarEvent or self.tag(event) == _MERGE:
                raise Refused(SiteError("keys must be plain names", key_loc))
            key = str(event.value)
            # No ASCII character but the space (which YAML takes for one) looks like a space.
            space = None if key.isascii() else yaml_hints.unicode_space(key)
            if space is not None:  # valid YAML: a key that starts with a no-break space
                raise Refused(SiteError(yaml_hints.unicode_indent_message(key_loc.line, space),
                                        key_loc._replace(column=1)))
            if key in items:
                first = key_locs[key]
                dash = yaml_hints.forgotten_dash(key, next(iter(items)))
                raise Refused(SiteError(
                    f"a second '{key}' in one item, whose first is at line {first.line}"
                    if dash else f"duplicate key '{key}'; it is already at line {first.line}",
                    key_loc, dash or "remove one of the two",
                ))
            items[key] = self.node(get(), depth + 1)
            key_locs[key] = key_loc
            event = get()
        return YNode(items, loc, key_locs)

    def scalar(self, event: Any, loc: SourceLocation) -> YNode:
        """A scalar's value: text as it is, other values through PyYAML's safe
        constructors. An escaped half of a UTF-16 pair is refused: only an escape makes one
        ("\\ud800"), and only PyYAML's own parser keeps it (libyaml refuses it); it is no
        character, and could not be written."""
        tag = self.tag(event)
        value: Any = event.value
        if self.comments:
            try:
                _refuse_cut_text(event, tag, self.where)
            except SiteError as error:
                raise Refused(error) from None
        if event.style == '"' and _SURROGATE.search(value):
            raise Refused(SiteError("invalid YAML: an escape of half a UTF-16 pair (\\ud800 "
                                    "to \\udfff) is no character", loc,
                                    "write the character itself"))
        if tag == _STR:
            if not event.style and value[:1] in _CURLY:  # plain: None, or libyaml's ""
                return YNode(value, loc, unquoted=True)
            return YNode(value, loc)  # most values: no constructor needed
        if tag not in _PLAIN_TAGS:
            raise Refused(SiteError(f"unsupported YAML tag {tag}", loc, "remove the tag"))
        if tag == _BOOL and value.lower() not in _BOOLS:
            # Only true and false are booleans: YAML 1.1's yes, no, on and off are text to
            # the editors' YAML 1.2 and its schemas, so they are text here too.
            return YNode(value, loc)
        node = ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
        try:
            value = self.loader.construct_object(node, deep=True)
        except Exception:  # PyYAML's constructors raise whatever they meet
            # Looks like a date but is not one (2025-13-45), a decimal number longer than
            # Python converts, or a tag with nothing a constructor can read (an empty
            # !!int makes PyYAML's own constructor fail with an IndexError): keep the
            # text, so validation reports it against the field's expected type.
            value = str(event.value)
        if isinstance(value, int) and value.bit_length() > _MAX_INT_BITS:
            value = str(event.value)  # 0xfff…: converted, but never printable as a number
        return YNode(value, loc)


def read_document(loader: Any, where: yaml_errors.YamlText, comments: bool) -> YNode | None:
    """The one document of ``loader``'s stream as located nodes (None: no document);
    ``Refused`` for a problem found, to be raised once PyYAML has found no syntax error in
    the whole document. ``comments``: the text holds a '#', so unquoted text is checked
    for a comment that cut it short."""
    return _Reader(loader, where, comments).document()
