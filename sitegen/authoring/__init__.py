"""Authoring helpers behind ``sitegen init | new | import-hypothesis | schema``.

One module per command, each a plain function over the model. They create files and never
overwrite one: every target is checked before the first byte is written, nothing is
written through a link that leads out of the folder the command writes in, and a command
that fails half-way (a full disk, a name too long) removes what it made.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from sitegen import fs
from sitegen.content.load import load_site
from sitegen.errors import Collector, ContentErrors, SiteError, UsageError, printable
from sitegen.model import Site

YAML_BREAKS = "\x85\u2028\u2029"
"""What YAML reads as a line break besides CR and LF: inside any text sitegen writes into
YAML they must be escaped, or they end a comment or a quoted line."""


@contextlib.contextmanager
def disk_errors() -> Iterator[None]:
    """Turn a file-system failure (a full disk, a name too long, no permission) into one
    ``file: message`` line (exit 2) instead of a traceback."""
    try:
        yield
    except OSError as exc:
        where = exc.filename if exc.filename is not None else "sitegen"
        raise UsageError(printable(f"{where}: {exc.strerror or exc}")) from None


def create_files(files: Mapping[Path, str], root: Path, folders: Sequence[Path] = (),
                 replace: Mapping[Path, str] | None = None) -> list[Path]:
    """Write each new file, and make each of ``folders``, all or nothing: if any file exists
    already, nothing is written; if a write fails, what this call made is removed (never
    anything that was there before) and the failure is raised as ``disk_errors`` says.
    ``replace`` holds files an earlier run of sitegen made, each replaced whole once the new
    ones are written (one that fails leaves the old file, and undoes the new ones).

    ``root`` is the folder the command writes in: a path that would lead out of it through
    a link is refused (the build's rule for reading content, applied to writing it)."""
    replace = replace or {}
    for path in [*files, *folders, *replace]:
        refuse_links_out(path, root)
    for path in files:
        if os.path.lexists(path):
            raise UsageError(f"{path} already exists: sitegen never overwrites a file "
                             "(move it away, or choose another name)")
    made: list[Path] = []
    written: list[Path] = []
    try:
        with disk_errors():
            for folder in [*folders, *(path.parent for path in files)]:
                _make_folder(folder, made)
            for path, text in files.items():
                try:
                    fs.atomic_write(path, text.encode("utf-8"), exclusive=True)
                except FileExistsError:  # made meanwhile by someone else: theirs
                    raise UsageError(f"{path} already exists: sitegen never overwrites a "
                                     "file (move it away, or choose another name)") from None
                written.append(path)
            for path, text in replace.items():
                fs.atomic_write(path, text.encode("utf-8"))
    except BaseException:
        _undo(written, made)
        raise
    return [*written, *replace]


def _make_folder(folder: Path, made: list[Path]) -> None:
    """Make ``folder`` and its missing parents, noting each one made (outermost first)."""
    missing = []
    while not folder.is_dir():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir()
        made.append(path)


def _undo(written: list[Path], made: list[Path]) -> None:
    """Remove the files and the (then empty) folders this run made, newest first."""
    for path in reversed(written):
        with contextlib.suppress(OSError):
            path.unlink()
    for folder in reversed(made):
        with contextlib.suppress(OSError):  # not empty: someone put a file there meanwhile
            folder.rmdir()


def refuse_links_out(path: Path, root: Path) -> None:
    """Refuse ``path`` (under ``root``) when a link on its way leads out of ``root``: the
    error names the link (exit 1, as the build reports such a link in the content)."""
    current = root
    for part in path.relative_to(root).parts:
        current = current / part
        try:
            with disk_errors():
                st = os.lstat(current)
        except UsageError:
            if os.path.lexists(current):
                raise
            return  # what follows does not exist yet: it will be made, inside
        if fs.is_link(st):
            try:
                fs.outside_error(current, root, str(current))
            except SiteError as exc:
                raise ContentErrors([exc]) from None


def yaml_string(text: str) -> str:
    """``text`` as a double-quoted YAML scalar (JSON's string syntax is valid YAML), with
    the characters YAML alone reads as line breaks escaped too (JSON leaves them raw)."""
    quoted = json.dumps(text, ensure_ascii=False)
    for char in YAML_BREAKS + "\ufeff":
        quoted = quoted.replace(char, f"\\u{ord(char):04x}")
    return quoted


def comment_text(text: str) -> str:
    """``text`` made safe to write after a ``#``: on one line (YAML's line breaks, as every
    whitespace run, become one space) and with control characters escaped."""
    return printable(" ".join(text.split()))


def modeline(schema: str) -> str:
    """The first line that points yaml-language-server (VS Code and others) at a schema."""
    return f"# yaml-language-server: $schema={schema}\n"


def require_site(content: Path) -> Site:
    """The site of the content folder an authoring command writes into: ``load_site``, with
    its errors raised (exit 1) rather than collected; a missing folder is a usage error."""
    if not content.is_dir():
        raise UsageError(f"content folder {content} does not exist "
                         "(make one with: sitegen init FOLDER)")
    problems = Collector()
    site = load_site(content, problems)
    if problems.errors or site is None:
        raise ContentErrors(problems.errors)
    return site
