"""The article folders of a content folder, listed without reading any file (all that a
build which renders nothing needs of the content), and the check that a path really is
inside the content folder. Imports nothing but ``errors``: a no-op build stops here."""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

from sitegen.errors import Collector, SiteError, SourceLocation

ID_RE = re.compile(r"[a-z0-9-]+")
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
