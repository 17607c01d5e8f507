"""Read content files: strict UTF-8, front matter split, YAML parsed to located nodes
(``yaml_reader``), PyYAML's errors explained (``yaml_errors``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sitegen.content import yaml_errors
from sitegen.content.yaml_reader import Refused, YNode, read_document
from sitegen.errors import SiteError, SourceLocation
from sitegen.fs import read_regular

__all__ = ["MarkdownFile", "YNode", "parse_yaml", "read_markdown", "read_text"]


def read_text(path: Path, display: str, root: Path | None = None) -> str:
    """File contents as text (through ``fs.read_regular``); invalid UTF-8 is reported at its
    line and column."""
    data = read_regular(path, display, root)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise SiteError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            SourceLocation(display, line, column),
            "save the file as UTF-8",
        ) from None
    if "\r" not in text:  # almost always: the replacements copy the text, slowly
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_yaml(text: str, display: str, line_offset: int = 0) -> YNode | None:
    """Parse one YAML document safely into located nodes; None for an empty document.

    ``line_offset`` is added to every line (for front matter inside a Markdown file).
    Duplicate keys, aliases and non-string keys are errors.
    """
    loader = _SafeLoader(text)
    where = yaml_errors.YamlText(text, display, line_offset)
    try:
        try:
            # Unquoted text is checked for a comment cutting it only where there may be one.
            return read_document(loader, where, "#" in text)
        except Refused as refused:
            # PyYAML reports a syntax error anywhere in the document before any problem of
            # its values: its composer reads the whole document again to say so first.
            loader.dispose()
            loader = _SafeLoader(text)
            loader.get_single_node()
            if refused.error is None:
                raise AssertionError("PyYAML composed a document its events refused") from None
            raise refused.error from None
    except yaml.MarkedYAMLError as exc:
        raise yaml_errors.explain(exc, where) from None
    except RecursionError:
        # PyYAML's own parser (where PyYAML was built without libyaml) recurses once per
        # level: 10,000 nested brackets exhaust Python's stack. libyaml stops at 1,000.
        raise SiteError("YAML nested too deeply", _reached(loader, where),
                        "nest lists and mappings a few levels at most") from None
    except yaml.reader.ReaderError as exc:
        # A character YAML refuses (NUL, ESC…): reported where it is, not at line 1.
        # libyaml counts the position in UTF-8 bytes, PyYAML in characters.
        before = (text.encode()[: exc.position].decode("utf-8", "ignore")
                  if _SafeLoader is not yaml.SafeLoader else text[: exc.position])
        loc = SourceLocation(display, before.count("\n") + 1 + line_offset,
                             len(before) - (before.rfind("\n") + 1) + 1)
        char = exc.character if isinstance(exc.character, int) else ord(exc.character[:1] or " ")
        raise SiteError(f"invalid YAML: the character U+{char:04X} is not allowed", loc,
                        "remove it") from None
    except yaml.YAMLError as exc:
        raise SiteError(f"invalid YAML: {exc}", SourceLocation(display, 1, 1)) from None
    except ValueError as exc:
        # PyYAML's own parser turns "\U00110000" into chr(), which refuses it; libyaml
        # reports a scanner error instead. Any other ValueError is a bug: its traceback.
        if "chr()" not in str(exc):
            raise
        raise SiteError("invalid YAML: a \\U escape beyond the last Unicode character",
                        _reached(loader, where), "remove it") from None
    finally:
        loader.dispose()


# libyaml's safe loader when PyYAML was built with it (about ten times faster); the same
# safe constructors and marks either way.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _reached(loader: Any, where: yaml_errors.YamlText) -> SourceLocation:
    """Where the parser stopped (PyYAML's own parser knows; libyaml's does not say)."""
    get_mark = getattr(loader, "get_mark", None)
    return where.at(get_mark() if get_mark is not None else None)


@dataclass(frozen=True)
class MarkdownFile:
    """A Markdown file split into its front matter and body."""

    front: YNode | None
    body: str
    body_line: int
    """1-based line of the file where the body starts."""


def read_markdown(path: Path, display: str, root: Path | None = None) -> MarkdownFile:
    """Split ``---`` front matter from the body; parse the front matter as YAML. A NUL
    is refused: Markdown would show it as U+FFFD, and the article is shown verbatim."""
    text = read_text(path, display, root)
    nul = text.find("\0")
    if nul >= 0:
        line_start = text.rfind("\n", 0, nul) + 1
        raise SiteError("the text holds a NUL character",
                        SourceLocation(display, text.count("\n", 0, nul) + 1,
                                       nul - line_start + 1),
                        "remove it (a file saved as UTF-16 is full of them: save it as UTF-8)")
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return MarkdownFile(None, text, 1)
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            front_text = "\n".join(lines[1:i])
            front = parse_yaml(front_text, display, line_offset=1)
            body = "\n".join(lines[i + 1 :])
            return MarkdownFile(front, body, i + 2)
    raise SiteError(
        "front matter is not closed", SourceLocation(display, 1, 1),
        "end it with a line '---'",
    )
