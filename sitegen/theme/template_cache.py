"""Compiled templates kept on disk beside sitegen's own code, so that a new process does
not compile every template again (about 175 ms of CPU).

Loading a compiled template runs it, so the folder is trusted exactly as far as sitegen's
own modules are: it is used only by the user who owns the template files, only when that
user owns the folder and every file read from it, and only when nobody else may write to
the folder or the file (a link is never followed). Anything else is not used at all:
templates are then compiled in the process, as without this cache. Each file is keyed on
its template's name and path, and holds the hash of the source it was compiled from
(Jinja recompiles a template whose source changed).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

FOLDER = Path(__file__).resolve().parent / "__pycache__" / "templates"
"""Where compiled templates are kept: inside sitegen's package, as Python keeps its own
compiled modules."""

_OPEN_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def _ours(info: os.stat_result, uid: int) -> bool:
    """Owned by ``uid`` and writable by nobody else."""
    return info.st_uid == uid and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's bytecode cache in ``folder``, read only under the rules above."""

    def __init__(self, folder: Path, templates: Path):
        self.folder = folder
        self.templates = templates

    def _open_folder(self, *, create: bool) -> int | None:
        """The folder's descriptor, if it may be used (made, private, when asked)."""
        uid = os.geteuid()
        try:
            if os.stat(self.templates).st_uid != uid:
                return None  # someone else's install: compile in the process
            if create and not os.path.lexists(self.folder):
                self.folder.mkdir(mode=0o700, parents=True)
            fd = os.open(self.folder, _OPEN_DIR)
        except OSError:
            return None
        if not _ours(os.fstat(fd), uid):
            os.close(fd)
            return None
        return fd

    def load_bytecode(self, bucket: Bucket) -> None:
        folder = self._open_folder(create=False)
        if folder is None:
            return
        try:
            fd = os.open(f"{bucket.key}.jinja", os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC,
                         dir_fd=folder)
        except OSError:
            return
        finally:
            os.close(folder)
        with os.fdopen(fd, "rb") as fh:
            info = os.fstat(fh.fileno())
            if stat.S_ISREG(info.st_mode) and _ours(info, os.geteuid()):
                bucket.load_bytecode(fh)

    def dump_bytecode(self, bucket: Bucket) -> None:
        folder = self._open_folder(create=True)
        if folder is None:
            return
        os.close(folder)
        # Written whole, then renamed into place: a process reading at the same time sees
        # the old file or the new one. A folder that cannot be written costs only speed.
        with contextlib.suppress(OSError):
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as fh:
                    bucket.write_bytecode(fh)
                os.replace(tmp, self.folder / f"{bucket.key}.jinja")
            except BaseException:
                os.unlink(tmp)
                raise
