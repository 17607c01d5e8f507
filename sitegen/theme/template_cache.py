"""Compiled templates kept in the user's private cache folder, so that a new process does
not compile every template again (about 175 ms of CPU).

Loading a compiled template runs it, so they are never kept in the source tree or beside
sitegen's code (a git-ignored ``__pycache__`` there is a place nobody looks), but only in
``$XDG_CACHE_HOME/sitegen/templates`` (else ``~/.cache/sitegen/templates``), beside the
build cache: used only when the user owns the folder, its parent and every file read from
it, and nobody else may write to them (a link is never followed), and only by the user
who owns the template files. Anything else is not used at all: templates are then
compiled in the process, as without this cache. Each file is keyed on its template's name
and path, and holds the hash of the source it was compiled from (Jinja recompiles a
template whose source changed).
"""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

from sitegen import fs

FOLDER = fs.user_folder("XDG_CACHE_HOME", ".cache") / "sitegen" / "templates"
"""Where compiled templates are kept: in the user's cache folder, beside the build cache
(``build.cache.cache_folder``), never in the source tree."""


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's bytecode cache in ``folder``, read only under the rules above."""

    def __init__(self, folder: Path, templates: Path):
        self.folder = folder
        self.templates = templates

    def _open_folder(self, *, create: bool) -> fs.Folder | None:
        """The folder, if it may be used (made, private, when asked)."""
        try:
            if fs.private(os.stat(self.templates)) == fs.ANOTHER_USER:
                return None  # someone else's install: compile in the process
            if create and not os.path.lexists(self.folder):
                self.folder.mkdir(mode=0o700, parents=True)
            parent = fs.Folder.open(self.folder.parent)
            try:
                if fs.private(parent.stat()) is not None:  # others could swap the folder
                    return None
                folder = parent.sub(self.folder.name, create=False)  # never through a link
            finally:
                parent.close()
        except OSError:
            return None
        if folder is None:
            return None
        if fs.private(folder.stat()) is not None:
            folder.close()
            return None
        return folder

    def load_bytecode(self, bucket: Bucket) -> None:
        folder = self._open_folder(create=False)
        if folder is None:
            return
        try:
            found = folder.read(f"{bucket.key}.jinja")
        finally:
            folder.close()
        if found is not None and fs.private(found[1]) is None:
            bucket.load_bytecode(io.BytesIO(found[0]))

    def dump_bytecode(self, bucket: Bucket) -> None:
        folder = self._open_folder(create=True)
        if folder is None:
            return
        folder.close()
        # Written whole, then renamed into place: a process reading at the same time sees
        # the old file or the new one. A folder that cannot be written costs only speed.
        data = io.BytesIO()
        bucket.write_bytecode(data)
        with contextlib.suppress(OSError):
            fs.atomic_write(self.folder / f"{bucket.key}.jinja", data.getvalue(), mode=0o600)
