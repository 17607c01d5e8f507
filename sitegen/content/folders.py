"""The content folder's files: its article folders, listed without reading any file (all
that a build which renders nothing needs of the content), the check that a path really is
inside the content folder, and ``read_bytes``, the one reader of content files. Imports
nothing but ``errors``: a no-op build stops here."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from sitegen.errors import Collector, SiteError, SourceLocation
from sitegen.model import ID_RE

"""An article folder's name (its URL), an annotation's id."""


def outside_error(path: Path, root: Path, display: str) -> None:
    """Refuse ``path`` when its real location (links followed) is outside ``root``."""
    try:
        real = path.resolve()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a loop of links (Python 3.11)
        if isinstance(exc, OSError) and exc.errno != errno.ELOOP:
            raise SiteError(f"cannot read the file: {exc.strerror or exc}",
                            SourceLocation(display, 0, 0)) from None
        raise SiteError("is a link that leads back to itself", SourceLocation(display, 0, 0),
                        "point the link at a file, or replace it with the file") from None
    if not real.is_relative_to(root.resolve()):
        what = "folder" if real.is_dir() else "file"
        raise SiteError(f"is a link to a {what} outside the content folder",
                        SourceLocation(display, 0, 0),
                        "copy it into the content folder instead of linking to it")


MAX_FILE_BYTES = 5 * 1024 * 1024
"""The largest content file sitegen reads (a long article is about 100 kB)."""


def read_bytes(path: Path, display: str, root: Path | None = None) -> bytes:
    """The bytes of one content file: the one place where content files are opened.

    With ``root`` (the content folder), a path whose real location is outside it (through
    a symbolic link) is refused. Only regular files are read: a FIFO, a device or a folder
    is an error, never a hang or an endless read; and no more than ``MAX_FILE_BYTES``.
    """
    loc = SourceLocation(display, 0, 0)
    if root is not None:
        outside_error(path, root, display)
    try:
        # Non-blocking, so that opening a FIFO returns at once; the type is then checked
        # on the opened file itself, which cannot be swapped after the check.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise SiteError(f"cannot read the file: {exc.strerror or exc}", loc) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise SiteError(f"not a regular file ({_file_kind(mode)})", loc,
                            "content files must be ordinary files")
        with os.fdopen(os.dup(fd), "rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise SiteError(f"cannot read the file: {exc.strerror or exc}", loc) from None
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:
        raise SiteError(f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB", loc,
                        "split it, or remove what the page does not need")
    return data


def _file_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def article_dirs(content: Path, out: Collector) -> list[Path]:
    """The article folders, sorted by slug; other entries are reported."""
    root = content / "articles"
    if not _inside(root, content, out):
        return []
    if not root.is_dir():
        out.warn("no articles folder", SourceLocation(str(root)),
                 "create articles/<slug>/article.md")
        return []
    dirs = []
    with os.scandir(root) as listing:
        # One directory read; only a symlink needs resolving (any other entry of a
        # folder inside the content folder is inside it too).
        entries = sorted((e.name, e.is_symlink(), e.is_dir(follow_symlinks=False))
                         for e in listing)
    for name, is_link, is_dir in entries:
        entry = root / name
        if name.startswith("."):
            continue
        if is_link and not _inside(entry, content, out):
            continue
        if not (entry.is_dir() if is_link else is_dir):
            out.warn("not an article folder, ignored", SourceLocation(str(entry)))
        elif not ID_RE.fullmatch(name):
            out.error(f"article folder name '{name}' may only use a-z, 0-9 and '-'",
                      SourceLocation(str(entry)), "the name becomes the page's URL")
        else:
            dirs.append(entry)
    return dirs


def _inside(path: Path, content: Path, out: Collector) -> bool:
    """Whether ``path`` really is in the content folder (an error is added if not)."""
    try:
        outside_error(path, content, str(path))
    except SiteError as exc:
        out.errors.append(exc)
        return False
    return True
