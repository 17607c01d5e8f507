"""New entries into a YAML file the user wrote: emitted by PyYAML, checked by reading them
back, and inserted in place under a lock, every byte the user wrote kept as it was.

Why each step: text formatted by hand can read back as something else (a value with a
newline and ``answer:`` in it adds a key; U+2028, which YAML alone reads as a line break,
ends a comment and makes a commented-out entry live); rewriting the file loses its CRLF
line ends and its byte order mark; and two imports at once, each reading the file and then
writing it whole, lose one another's entries.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from sitegen import fs
from sitegen.authoring import YAML_BREAKS, disk_errors
from sitegen.content.loader import parse_yaml, read_text
from sitegen.errors import ContentErrors, SiteError, UsageError

BREAK = re.compile("\r\n|[\r\n" + YAML_BREAKS + "]")
"""A line break as YAML counts them: its line numbers count these, and only these."""
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + YAML_BREAKS + "\ufeff\ud800-\udfff]")
"""What may not be written raw into a scalar: controls, YAML's own breaks, a BOM."""
_BOM = b"\xef\xbb\xbf"
Composer = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""What reads a file's structure with its marks (libyaml where PyYAML has it)."""
LOCK_WAIT = 30.0
"""Seconds to wait for another import into the same file to finish."""


class Quoted(str):
    """A text always written double-quoted (a quote's exact words, spaces at its ends)."""

    __slots__ = ()


class _Dumper(yaml.SafeDumper):
    pass


def _represent(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    """A literal block for text of several lines that can be one (most notes), double
    quotes (with escapes) for anything holding a character a block or a plain or
    single-quoted scalar would write raw; otherwise the emitter's choice."""
    style: str | None = None
    unsafe = _UNSAFE.search(text) or "\t" in text
    if isinstance(text, Quoted) or unsafe or "\n" in text:
        style = '"'
    if "\n" in text and not unsafe and not text[:1].isspace() and not any(
            line != line.rstrip() for line in text.split("\n")):
        style = "|"
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent)
_Dumper.add_representer(Quoted, _represent)


def emit(value: Any) -> str:
    """``value`` as YAML, one item per line, lines ended by ``\\n`` alone (no line break
    of any other kind is left raw: that is what makes it safe to comment out)."""
    text = yaml.dump(value, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=1 << 30)
    assert not BREAK.search(text.replace("\n", "")), "the emitter left a raw line break"
    return text


def yaml_lines(text: str) -> list[str]:
    """``text`` cut into lines as YAML counts them, each with its line break; the last
    has none (it is '' when the text ends with a break). Line n of a YAML mark is [n-1]."""
    lines, start = [], 0
    for match in BREAK.finditer(text):
        lines.append(text[start:match.end()])
        start = match.end()
    lines.append(text[start:])
    return lines


def strip_break(line: str) -> str:
    return BREAK.sub("", line)


def editor_line(lines: list[str], index: int) -> int:
    """The 1-based line an editor shows for YAML's line ``index`` (0-based) of ``lines``
    (``yaml_lines``, with their breaks): editors break lines at CR and LF only."""
    return 1 + sum(1 for line in lines[:index] if not line.endswith(tuple(YAML_BREAKS)))


def same_data(before: str | None, after: str, key: str, added: list[Any]) -> bool:
    """Whether ``after`` reads as ``before`` with ``added`` at the end of list ``key``:
    every other value, and every comment (a comment that ended early is new data), as it
    was."""
    try:
        old = yaml.safe_load(before) if before is not None else None
        new = yaml.safe_load(after)
    except (yaml.YAMLError, RecursionError, ValueError):
        return False
    old = old if isinstance(old, dict) else {}
    if not isinstance(new, dict) or set(new) != set(old) | {key}:
        return False
    return (all(new[k] == v for k, v in old.items() if k != key)
            and (new[key] or []) == (old.get(key) or []) + added)


def check_written(before: str | None, after: str, key: str, added: list[Any],
                  path: Path) -> None:
    """Refuse to write ``after`` unless it reads back as meant (see ``same_data``) and the
    build's own loader takes it: a failure here is a bug of sitegen, said as such."""
    try:
        parse_yaml(after, str(path))
        ok = same_data(before, after, key, added)
    except SiteError:
        ok = False
    if not ok:
        raise UsageError(f"{path}: the entries to add would not read back as they were "
                         "meant; nothing was written (this is a bug in sitegen: please "
                         "report it with the file you imported)")


@contextmanager
def locked_file(path: Path) -> Iterator[int]:
    """The regular file ``path`` open for reading and writing, locked against other
    sitegen processes (waiting up to ``LOCK_WAIT`` seconds for one to finish)."""
    with disk_errors():
        try:
            fd = fs.open_nofollow(path, os.O_RDWR)
        except OSError as exc:
            if exc.errno != errno.ELOOP:
                raise
            raise UsageError(f"{path} is a link: sitegen does not write through links "
                             "(put the file itself there)") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise UsageError(f"{path} is not a regular file")
        deadline = time.monotonic() + LOCK_WAIT
        while not fs.lock(fd):
            if time.monotonic() > deadline:
                raise UsageError(f"{path}: another sitegen command is writing it; try again "
                                 "when it is done")
            time.sleep(0.05)
        yield fd
    finally:
        os.close(fd)


def read_locked(fd: int, path: Path, root: Path) -> tuple[bool, str]:
    """(whether it starts with a byte order mark, its text as it is, line ends kept)."""
    with disk_errors():
        os.lseek(fd, 0, os.SEEK_SET)
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            if sum(map(len, chunks)) > fs.MAX_FILE_BYTES:
                break
    data = b"".join(chunks)
    bom = data.startswith(_BOM)
    try:
        if len(data) > fs.MAX_FILE_BYTES:
            raise UnicodeError
        return bom, data[len(_BOM) if bom else 0:].decode("utf-8")
    except UnicodeError:
        try:  # the loader's own error, with its line and column
            read_text(path, str(path), root)
        except SiteError as exc:
            raise ContentErrors([exc]) from None
        raise UsageError(f"{path} changed while it was read; try again") from None


def splice(old: str, at: int, block: str) -> tuple[str, int]:
    """``old`` with ``block`` (lines ended by ``\n``) inserted before its YAML line ``at``
    (0-based), in the file's own line ends; and how many characters of ``old`` come
    unchanged before the first that differs."""
    lines = yaml_lines(old)
    first = re.search("\r\n|\r|\n", old)
    newline = first.group() if first else "\n"  # the file's own
    kept = "".join(lines[:at])
    end = newline if at == len(lines) and lines[-1] else ""  # a last line without its break
    return kept + end + block.replace("\n", newline) + "".join(lines[at:]), len(kept)


def write_from(fd: int, bom: bool, old: str, new: str, unchanged: int) -> None:
    """Write ``new`` into the open file (which holds ``old``) from its character
    ``unchanged`` on, in place: the file keeps its byte order mark, its permissions and its
    other names (hard links). If the write fails (a full disk), the old bytes are put back
    where they were (their blocks are the file's already) before the error is raised."""
    offset = (len(_BOM) if bom else 0) + len(new[:unchanged].encode("utf-8"))
    with disk_errors():
        try:
            _write_at(fd, offset, new[unchanged:].encode("utf-8"))
        except OSError:
            _write_at(fd, offset, old[unchanged:].encode("utf-8"))
            raise


def _write_at(fd: int, offset: int, data: bytes) -> None:
    """Make the file ``data`` from ``offset`` on."""
    os.lseek(fd, offset, os.SEEK_SET)
    while data:
        data = data[os.write(fd, data):]
    os.ftruncate(fd, os.lseek(fd, 0, os.SEEK_CUR))
