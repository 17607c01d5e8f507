"""The content folder's article folders, listed without reading any file: all that a
build which renders nothing needs of the content (files are read by ``fs.read_regular``).
Imports nothing but ``fs``, ``errors`` and ``names``: a no-op build stops here."""

from __future__ import annotations

import os
from pathlib import Path

from sitegen.errors import Collector, SiteError, SourceLocation
from sitegen.fs import outside_error
from sitegen.names import ID_RE


def article_dirs(content: Path, problems: Collector) -> list[Path]:
    """The article folders, sorted by slug; other entries are reported."""
    root = content / "articles"
    if not _inside(root, content, problems):
        return []
    if not root.is_dir():
        problems.warn("no articles folder", SourceLocation(str(root)),
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
        if is_link and not _inside(entry, content, problems):
            continue
        if not (entry.is_dir() if is_link else is_dir):
            problems.warn("not an article folder, ignored", SourceLocation(str(entry)))
        elif not ID_RE.fullmatch(name):
            problems.error(f"article folder name '{name}' may only use a-z, 0-9 and '-'",
                           SourceLocation(str(entry)), "the name becomes the page's URL")
        else:
            dirs.append(entry)
    return dirs


def _inside(path: Path, content: Path, problems: Collector) -> bool:
    """Whether ``path`` really is in the content folder (an error is added if not)."""
    try:
        outside_error(path, content, str(path))
    except SiteError as exc:
        problems.errors.append(exc)
        return False
    return True
