"""Open an output folder that may be somebody's shared folder, for one build.

``Output`` refuses a folder that is not empty and not sitegen's (its marker,
``.sitegen-output.json``, holds an id the ledger knows), locks it so that one build writes
at a time, finishes a commit a killed build left half done, and gives the build a private
staging folder. Files are staged there (``stage``), then ``commit`` checks every target,
records a journal in the ledger and moves each file into place with a rename, never
through a symbolic link and never outside the folder (``commit``); it removes the files of
the last build that are no longer produced only when their bytes are still the ones
sitegen wrote, and keeps and reports the others.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Mapping, Set
from pathlib import Path
from types import TracebackType

from sitegen import fs
from sitegen.errors import UsageError
from sitegen.output import commit, ledger
from sitegen.output.commit import WriteStats
from sitegen.output.ledger import FileRecord, Journal, Manifest, Records
from sitegen.output.stage import (
    MARKER,
    STAGING_PREFIX,
    Place,
    Staged,
    folded,
    safe_relpath,
    same_file_paths,
)

MARKER_KIND = "sitegen-output"
DISK_ERRORS = frozenset(getattr(errno, name) for name in (
    "ENOSPC", "EDQUOT", "EROFS", "EACCES", "EPERM", "EFBIG", "EIO") if hasattr(errno, name))
"""Errors of the disk, not of sitegen: reported as usage errors (exit 2) in one line."""


def _inside(child: Path, parent: Path) -> bool:
    return child == parent or parent in child.parents


def _empty_subfolder(out: Path) -> str:
    return f"choose an empty folder, or a new sub-folder such as {out / 'site'}"


def check_output_dir(out: Path, content: Path | None) -> None:
    """Refuse an output folder sitegen must not write into (a UsageError, exit 2)."""
    if out.is_symlink() and not out.exists():
        raise UsageError(f"--out {out} is a link to {os.readlink(out)}, which does not exist; "
                         "create that folder or choose another --out")
    out_r = out.resolve()
    if content is not None:
        content_r = content.resolve()
        if _inside(out_r, content_r):
            raise UsageError(f"--out {out} is inside the content folder {content}; "
                             "choose a folder outside it, such as _site")
        if _inside(content_r, out_r):
            raise UsageError(f"--out {out} contains the content folder {content}; "
                             "choose a separate folder, such as _site")
    if out_r.exists() and not out_r.is_dir():
        raise UsageError(f"--out {out} is a file, not a folder")
    _owner(out_r, out)


def teacher_folder(out: Path) -> Path:
    """The teacher's folder a build writes beside ``out`` when none is given."""
    return out.with_name(out.name + "-teacher")


def check_apart(out: Path, teacher: Path) -> None:
    """Refuse a teacher's folder inside the students' site (it would be published with it)
    or around it, or the same folder; compared as a disk that ignores case sees them."""
    out_r, teacher_r = (Path(folded(str(path.resolve()))) for path in (out, teacher))
    if _inside(teacher_r, out_r):
        raise UsageError(f"--teacher-out {teacher} is inside --out {out}, so the answers would "
                         f"be published with the site; choose a folder beside it, such as "
                         f"{teacher_folder(out)}")
    if _inside(out_r, teacher_r):
        raise UsageError(f"--teacher-out {teacher} contains --out {out}; choose a folder "
                         f"beside it, such as {teacher_folder(out)}")


def _read_marker(out: Path) -> str | None:
    """The id in ``out``'s marker, if it is a regular file holding one."""
    found = fs.read_nofollow(out / MARKER, limit=4096)
    if found is None:
        return None
    try:
        data = json.loads(found[0])
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("kind") != MARKER_KIND:
        return None
    ident = data.get("id")
    return ident if ledger.valid_id(ident) else None


def _owner(out: Path, shown: Path) -> str | None:
    """The ledger id of ``out`` if sitegen made it; None if it is new or empty (but for a
    marker); a UsageError for any other folder."""
    try:
        names = set(os.listdir(out))
    except FileNotFoundError:
        return None
    ident = _read_marker(out)
    if ident is not None and ledger.known(ident):
        return ident
    if names <= {MARKER}:
        return None
    if MARKER in names:
        raise UsageError(f"--out {shown} has a sitegen marker that this account did not "
                         "make (copied from elsewhere?), so nothing in it is sitegen's; "
                         + _empty_subfolder(shown))
    raise UsageError(f"--out {shown} is not empty and was not made by sitegen, which writes "
                     "only into an empty folder or one it made; " + _empty_subfolder(shown))


class Output:
    """An output folder opened for one build (a context manager): checked and locked; then
    ``open`` finishes any commit a killed build left and makes a fresh staging folder (a
    build with nothing to do, see ``snapshot``, stops before that)."""

    def __init__(self, out: Path, content: Path | None = None):
        check_output_dir(out, content)
        self.shown = out
        self.out = out.resolve()
        self._lock_fd = -1
        self._root: fs.Folder | None = None
        self.staging: Path | None = None
        self.committing = False
        self._claimed_empty = False
        self._made_folder = not self.out.exists()
        self.found: str | None = None
        """The folder's ledger id as found once locked; None for a new folder."""
        self._found_empty = False
        fs.stamps_may_miss_edits()
        try:
            self.out.mkdir(parents=True, exist_ok=True)
            self._lock_fd = self._lock()
            self.found = _owner(self.out, self.shown)  # again, now that it is locked
            self._found_empty = self.found is None
        except BaseException as exc:
            self.close(failed=True)
            self._raise_disk_error(exc)
            raise

    def open(self) -> Place:
        """Make the folder ready for a commit: claimed in the ledger, a killed build's
        commit finished, a fresh staging folder made; returns what the last build left."""
        try:
            self.ident, self.manifest = self._claim()
            self._root = fs.Folder.open(self.out)
            journal = ledger.load_journal(self.ident)
            if journal is not None:  # a build was killed while moving files into place
                self._apply(journal, trust_stat=False)
            self._remove_leftover_staging()
            self.staging = Path(tempfile.mkdtemp(dir=self.out, prefix=STAGING_PREFIX))
        except BaseException as exc:
            self.close(failed=True)
            self._raise_disk_error(exc)
            raise
        return Place(self.out, self.staging, self.manifest.files, self.manifest.pdf_inputs)

    # ------------------------------------------------------------------ opening

    def _lock(self) -> int:
        """Open the marker (made here only in an empty folder) and lock it; the lock goes
        with the process, so a killed build never leaves the folder locked."""
        path = self.out / MARKER
        try:
            # Non-blocking: a FIFO put there must not hang the open (it is refused after).
            fd = fs.open_nofollow(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NONBLOCK", 0))
        except OSError as exc:
            if exc.errno != errno.ELOOP:
                raise
            raise UsageError(f"{self.shown / MARKER} is a link, not sitegen's marker; "
                             + _empty_subfolder(self.shown)) from None
        try:
            if not fs.lock(fd) or os.fstat(fd).st_ino != os.lstat(path).st_ino:
                raise BlockingIOError  # locked; or removed by a failed build meanwhile
        except (BlockingIOError, FileNotFoundError):
            os.close(fd)
            raise UsageError(f"another build is writing {self.shown}; "
                             "wait for it to finish, then build again") from None
        return fd

    def _claim(self) -> tuple[str, Manifest]:
        """The folder's ledger id (checked again now that it is locked). The marker must
        prove this very folder: the ledger names the folder's real path and its identity
        (device and inode, and the marker's inode). A new folder gets an id; so does a copy
        (or a move) of a folder sitegen made, or a folder a marker was copied into: of the
        record it names, only the files this folder holds with exactly the bytes recorded
        are sitegen's (no stat taken on trust), so a file of yours at one of sitegen's
        paths is never replaced."""
        ident = self.found
        known = ledger.load(ident) if ident is not None else None
        if ident is not None and known is None:
            raise UsageError(f"sitegen's record of what it wrote into {self.shown} is damaged, "
                             "so it cannot tell its files from yours; "
                             + _empty_subfolder(self.shown))
        st = os.fstat(self._lock_fd)
        here = ledger.identity(os.stat(self.out), st)
        if (ident is not None and known is not None and known.folder == str(self.out)
                and known.identity == here):
            return ident, known
        if not stat.S_ISREG(st.st_mode) or st.st_nlink != 1:
            raise UsageError(f"{self.shown / MARKER} is not a file sitegen made; "
                             + _empty_subfolder(self.shown))
        manifest = Manifest(str(self.out), identity=here)
        if known is not None:
            manifest.files = Records(self._still_ours(known))
            manifest.pdf_inputs = {rel: key for rel, key in known.pdf_inputs.items()
                                   if rel in manifest.files}
        ident = ledger.folder_id()
        ledger.save(ident, manifest)
        os.ftruncate(self._lock_fd, 0)  # not pwrite, which Windows has not
        os.lseek(self._lock_fd, 0, os.SEEK_SET)
        os.write(self._lock_fd, json.dumps({"kind": MARKER_KIND, "id": ident}).encode() + b"\n")
        self._claimed_empty = known is None
        return ident, manifest

    def _still_ours(self, known: Manifest) -> dict[str, FileRecord]:
        """The records of ``known`` whose file is in this folder with the bytes recorded."""
        files = {}
        for rel, record in known.files.items():
            try:
                digest = fs.hash_file(self.out / safe_relpath(rel))
            except (ValueError, OSError):
                continue
            if digest == record.digest:
                files[rel] = FileRecord(record.digest, record.size)
        return files

    def _remove_leftover_staging(self) -> None:
        # Only while locked: a staging folder now is one a killed build left.
        with os.scandir(self.out) as entries:
            for entry in entries:
                if entry.name.startswith(STAGING_PREFIX) and entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path)

    def close(self, *, failed: bool = False) -> None:
        """Release the folder; a build that fails in a folder it found empty leaves it as
        it was (no marker, no ledger entry, not even the folder if it made it). A commit
        that failed half done keeps its staging folder and journal for the next build."""
        if self.staging is not None and not (failed and self.committing):
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None
        if self._root is not None:
            self._root.close()
            self._root = None
        if failed and self._found_empty and not self.committing:
            with contextlib.suppress(OSError):
                fd, self._lock_fd = self._lock_fd, -1
                fs.remove_locked(fd, self.out / MARKER)
                if self._claimed_empty:
                    ledger.forget(self.ident)
                if self._made_folder:
                    self.out.rmdir()
        if self._lock_fd >= 0:
            os.close(self._lock_fd)  # releases the lock
            self._lock_fd = -1

    def __enter__(self) -> Output:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close(failed=exc is not None)
        if exc is not None:
            self._raise_disk_error(exc)

    def _raise_disk_error(self, exc: BaseException) -> None:
        """A full, read-only or forbidden disk is the user's to fix: one line, exit 2."""
        if isinstance(exc, OSError) and exc.errno in DISK_ERRORS:
            where = exc.filename or self.shown
            after = ("the next build finishes the update" if self.committing
                     else "the last good site is unchanged")
            raise UsageError(f"cannot write {where}: {exc.strerror}; {after}") from None

    # ------------------------------------------------------------------ committing

    def commit(self, files: Mapping[str, Staged],
               pdf_inputs: Mapping[str, str] | None = None,
               kept: Set[str] = frozenset()) -> WriteStats:
        """Make the folder hold ``files`` (staged by ``stage``) and the files ``kept`` as
        the manifest records them (found in place with the stat it recorded): check every
        target, then journal, move, remove stale files of ours, and record the new
        manifest."""
        assert self.staging is not None and self._root is not None
        # The last commit's files were checked together: only a path new to the folder
        # can be one file with another on a disk that ignores case.
        if not files.keys() <= self.manifest.files.keys():
            clash = same_file_paths([*files, *kept])
            if clash is not None:
                raise UsageError(f"{self.shown / clash[0]} and {self.shown / clash[1]} would "
                                 "be one file on a disk that ignores case (macOS, Windows, "
                                 "USB sticks): rename one of them")
        journal = commit.journal(self.staging.name, self.manifest, files, pdf_inputs, kept)
        if journal is None:
            return WriteStats(unchanged=len(files) + len(kept))  # nothing to do or write
        commit.check_targets(self._root, self.shown, self.manifest,
                             [rel for _, rel in journal.moves])
        if journal.moves or journal.removed:
            self.committing = True
            ledger.save_journal(self.ident, journal)
        stats = self._apply(journal, trust_stat=True)
        stats.unchanged = len(files) + len(kept) - stats.written
        return stats

    def _apply(self, journal: Journal, *, trust_stat: bool) -> WriteStats:
        assert self._root is not None
        stats, self.manifest = commit.apply(self._root, self.shown, self.ident, self.manifest,
                                            journal, trust_stat=trust_stat)
        return stats


def forget(out: Path) -> None:
    """Forget a folder sitegen made and is about to delete (the preview's)."""
    ident = _read_marker(out)
    if ident is not None:
        ledger.forget(ident)
