"""Write a built site into an output folder that may be somebody's shared folder.

``Output`` opens a folder for one build: it refuses a folder that is not empty and not
sitegen's (its marker, ``.sitegen-output.json``, holds an id the ledger knows), locks it so
that one build writes at a time, finishes a commit a killed build left half done, and gives
the build a private staging folder. Files are staged there (``stage``), then ``commit``
checks every target, records a journal in the ledger and moves each file into place with a
rename, never through a symbolic link and never outside the folder; it removes the files
of the last build that are no longer produced only when their bytes are still the ones
sitegen wrote, and keeps and reports the others.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import NamedTuple

from sitegen.errors import UsageError
from sitegen.output import ledger
from sitegen.output.ledger import Journal, Manifest, Record, Seen

MARKER = ".sitegen-output.json"
MARKER_KIND = "sitegen-output"
STAGING_PREFIX = ".sitegen-tmp-"
DISK_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM,
                         errno.EFBIG, errno.EIO})
"""Errors of the disk, not of sitegen: reported as usage errors (exit 2) in one line."""


@dataclass
class WriteStats:
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    kept: list[str] = field(default_factory=list)
    """Files of the last build, no longer produced, kept because they were changed."""


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


def _read_marker(out: Path) -> str | None:
    """The id in ``out``'s marker, if it is a regular file holding one."""
    try:
        fd = os.open(out / MARKER, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        try:
            data = json.loads(fh.read(4096))
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


def _safe_relpath(rel: str) -> PurePosixPath:
    path = PurePosixPath(rel)
    if (path.is_absolute() or not path.parts or any(p in ("..", ".") for p in path.parts)
            or "\\" in rel or "\0" in rel or path.parts[0] == MARKER
            or path.parts[0].startswith(STAGING_PREFIX)):
        raise ValueError(f"refusing to write outside the output folder: {rel!r}")
    return path


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, then rename over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _hash_file(path: str, dir_fd: int | None = None) -> str | None:
    """The SHA-256 of a regular file (a link is not followed), or None."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=dir_fd)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            return None
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _seen(st: os.stat_result) -> ledger.Seen:
    return (st.st_mtime_ns, st.st_ino, st.st_ctime_ns)


class Staged(NamedTuple):
    """One output file of a build: its hash and size, and where its new bytes wait
    (``None`` when the file already in place has exactly these bytes). A named tuple:
    a big site has tens of thousands."""

    digest: str
    size: int
    temp: str | None = None
    seen: Seen | None = None
    """For a file found in place: its stat when found, which the ledger then records
    without a second look."""


def is_in_place(root: str, old: Mapping[str, Record], rel: str, digest: str,
                size: int, st: os.stat_result | None = None) -> Seen | None:
    """Whether the file sitegen wrote at ``rel`` in the folder ``root`` is still there
    holding these bytes: its stat if so, else None.

    The bytes are hashed unless size, mtime, inode and ctime are all as sitegen recorded
    after writing or checking them (so an edit of the same size with an old time, as
    ``cp -p`` or ``rsync -t`` make, is found). The stat is taken before hashing, so a
    change made while hashing shows at the next build. Runs for every file: plain
    strings, no pathlib (``rel`` is relative, with '/' separators). ``st`` is the file's
    ``lstat`` if this build took it already."""
    record = old.get(rel)
    if record is None or record.digest != digest or record.size != size:
        return None
    path = f"{root}/{rel}"
    if st is None:
        try:
            st = os.lstat(path)
        except OSError:
            return None
    if not stat.S_ISREG(st.st_mode) or st.st_size != size:
        return None
    seen = _seen(st)
    return seen if record.seen == seen or _hash_file(path) == digest else None


def stage(out: Path, staging: Path | None, old: Mapping[str, Record], rel: str,
          data: bytes) -> Staged:
    """Hash ``data`` and, unless the file in place already holds it, write it to a
    temporary file in ``staging`` (inside ``out``). Safe to call from worker processes."""
    _safe_relpath(rel)
    digest = hashlib.sha256(data).hexdigest()
    if staging is None:
        return Staged(digest, len(data))
    seen = is_in_place(os.fspath(out), old, rel, digest, len(data))
    if seen is not None:
        return Staged(digest, len(data), seen=seen)
    return Staged(digest, len(data), _write_new(staging, PurePosixPath(rel).suffix, data))


def _write_new(folder: Path, suffix: str, data: bytes) -> str:
    """Write ``data`` to a new file in ``folder``; its path."""
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=suffix)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(tmp, 0o644)
    return tmp


@dataclass(frozen=True)
class Previous:
    """What the last build left in an output folder, for reusing its PDFs."""

    out: Path
    files: dict[str, Record] = field(default_factory=dict)
    pdf_inputs: dict[str, str] = field(default_factory=dict)

    def reuse(self, rel: str, key: str) -> bytes | None:
        """The bytes of ``rel`` if it was made from inputs with this key and is still the
        file sitegen wrote (same hash); otherwise None, and the caller makes it again."""
        record = self.files.get(rel)
        if self.pdf_inputs.get(rel) != key or record is None:
            return None
        try:
            fd = os.open(self.out / _safe_relpath(rel), os.O_RDONLY | os.O_NOFOLLOW)
        except (OSError, ValueError):
            return None
        with os.fdopen(fd, "rb") as fh:
            data = fh.read()
        return data if hashlib.sha256(data).hexdigest() == record.digest else None


def _open_folder(name: str, dir_fd: int) -> int:
    return os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC,
                   dir_fd=dir_fd)


class _Walker:
    """Opens folders of the output folder one name at a time, never following a link, so
    no write or delete can leave it (even if a folder is swapped for a link meanwhile).
    Keeps the last folder open: files come sorted, so neighbours share it."""

    def __init__(self, root_fd: int, shown: Path):
        self.root_fd = root_fd
        self.shown = shown
        self._last: tuple[tuple[str, ...], int] | None = None

    def folder(self, parts: Sequence[str], *, create: bool) -> int | None:
        """The fd of folder ``parts``, created if asked; None if it does not exist."""
        key = tuple(parts)
        if self._last is not None and self._last[0] == key:
            return self._last[1]
        self.close()
        fd = os.dup(self.root_fd)
        try:
            for i, part in enumerate(parts):
                try:
                    sub = _open_folder(part, fd)
                except FileNotFoundError:
                    if not create:
                        os.close(fd)
                        return None
                    os.mkdir(part, 0o755, dir_fd=fd)
                    sub = _open_folder(part, fd)
                except OSError as exc:
                    if exc.errno not in (errno.ELOOP, errno.ENOTDIR):
                        raise
                    shown = self.shown.joinpath(*parts[:i + 1])
                    raise UsageError(f"{shown} is a link or a file, not a folder: sitegen "
                                     "writes nothing through links; remove it and build "
                                     "again") from None
                os.close(fd)
                fd = sub
        except BaseException:
            with contextlib.suppress(OSError):
                os.close(fd)
            raise
        self._last = (key, fd)
        return fd

    def close(self) -> None:
        if self._last is not None:
            os.close(self._last[1])
            self._last = None


def _leaf(rel: str) -> tuple[tuple[str, ...], str]:
    parts = _safe_relpath(rel).parts
    return parts[:-1], parts[-1]


class Output:
    """An output folder opened for one build (a context manager): checked and locked; then
    ``open`` finishes any commit a killed build left and makes a fresh staging folder (a
    build with nothing to do, see ``snapshot``, stops before that)."""

    def __init__(self, out: Path, content: Path | None = None):
        check_output_dir(out, content)
        self.shown = out
        self.out = out.resolve()
        self._lock_fd = self._root_fd = -1
        self.staging: Path | None = None
        self.committing = False
        self._claimed_empty = False
        self._made_folder = not self.out.exists()
        self.found: str | None = None
        """The folder's ledger id as found once locked; None for a new folder."""
        self._found_empty = False
        try:
            self.out.mkdir(parents=True, exist_ok=True)
            self._lock_fd = self._lock()
            self.found = _owner(self.out, self.shown)  # again, now that it is locked
            self._found_empty = self.found is None
        except BaseException as exc:
            self.close(failed=True)
            self._raise_disk_error(exc)
            raise

    def open(self) -> Previous:
        """Make the folder ready for a commit: claimed in the ledger, a killed build's
        commit finished, a fresh staging folder made; returns what the last build left."""
        try:
            self.ident, self.manifest = self._claim()
            self._root_fd = os.open(self.out, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            journal = ledger.load_journal(self.ident)
            if journal is not None:  # a build was killed while moving files into place
                self._apply(journal, trust_stat=False)
            self._remove_leftover_staging()
            self.staging = Path(tempfile.mkdtemp(dir=self.out, prefix=STAGING_PREFIX))
        except BaseException as exc:
            self.close(failed=True)
            self._raise_disk_error(exc)
            raise
        return Previous(self.out, self.manifest.files, self.manifest.pdf_inputs)

    # ------------------------------------------------------------------ opening

    def _lock(self) -> int:
        """Open the marker (made here only in an empty folder) and lock it; the lock goes
        with the process, so a killed build never leaves the folder locked."""
        path = self.out / MARKER
        flags = os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC
        try:
            fd = os.open(path, flags)
        except FileNotFoundError:
            fd = os.open(path, flags | os.O_CREAT, 0o644)
        except OSError as exc:
            if exc.errno != errno.ELOOP:
                raise
            raise UsageError(f"{self.shown / MARKER} is a link, not sitegen's marker; "
                             + _empty_subfolder(self.shown)) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if os.fstat(fd).st_ino != os.lstat(path).st_ino:  # removed by a failed build
                raise BlockingIOError
        except (BlockingIOError, FileNotFoundError):
            os.close(fd)
            raise UsageError(f"another build is writing {self.shown}; "
                             "wait for it to finish, then build again") from None
        return fd

    def _claim(self) -> tuple[str, Manifest]:
        """The folder's ledger id (checked again now that it is locked). A new folder gets
        one; so does a copy (or a move) of a folder sitegen made, with that folder's
        manifest but no stat taken on trust, so the two never share a record."""
        ident = self.found
        known = ledger.load(ident) if ident is not None else None
        if ident is not None and known is None:
            raise UsageError(f"sitegen's record of what it wrote into {self.shown} is damaged, "
                             "so it cannot tell its files from yours; "
                             + _empty_subfolder(self.shown))
        if ident is not None and known is not None and known.folder == str(self.out):
            return ident, known
        st = os.fstat(self._lock_fd)
        if not stat.S_ISREG(st.st_mode) or st.st_nlink != 1:
            raise UsageError(f"{self.shown / MARKER} is not a file sitegen made; "
                             + _empty_subfolder(self.shown))
        manifest = Manifest(str(self.out))
        if known is not None:
            manifest.files = {rel: Record(r.digest, r.size) for rel, r in known.files.items()}
            manifest.pdf_inputs = known.pdf_inputs
        ident = ledger.folder_id()
        ledger.save(ident, manifest)
        marker = json.dumps({"kind": MARKER_KIND, "id": ident}).encode() + b"\n"
        os.ftruncate(self._lock_fd, 0)
        os.pwrite(self._lock_fd, marker, 0)
        self._claimed_empty = known is None
        return ident, manifest

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
        if failed and self._found_empty and not self.committing:
            with contextlib.suppress(OSError):
                os.unlink(self.out / MARKER)
                if self._claimed_empty:
                    ledger.forget(self.ident)
                if self._made_folder:
                    self.out.rmdir()
        if self._root_fd >= 0:
            os.close(self._root_fd)
            self._root_fd = -1
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
               pdf_inputs: Mapping[str, str] | None = None) -> WriteStats:
        """Make the folder hold ``files`` (staged by ``stage``): check every target, then
        journal, move, remove stale files of ours, and record the new manifest."""
        assert self.staging is not None
        moves = [(Path(item.temp).name, rel) for rel, item in sorted(files.items())
                 if item.temp is not None]
        self._check_targets([rel for _, rel in moves])
        before = self.manifest
        changed = {}
        for rel, item in files.items():
            # A file found in place keeps the stat it was found with; a new one is looked at
            # once it is in place. (Records are tuples: compared without making one.)
            seen = None if item.temp is not None else item.seen
            if before.files.get(rel) != (item.digest, item.size, seen):
                changed[rel] = Record(item.digest, item.size, seen)
        journal = Journal(self.staging.name, moves, changed,
                          sorted(rel for rel in before.files if rel not in files),
                          {k: v for k, v in sorted((pdf_inputs or {}).items()) if k in files})
        if not (moves or changed or journal.removed or journal.pdf_inputs != before.pdf_inputs):
            return WriteStats(unchanged=len(files))  # nothing to do, nothing to write
        if moves or journal.removed:
            self.committing = True
            ledger.save_journal(self.ident, journal)
        stats = self._apply(journal, trust_stat=True)
        stats.unchanged = len(files) - stats.written
        return stats

    def _check_targets(self, rels: list[str]) -> None:
        """Refuse, before anything moves, a target that is a link, a folder, or a file
        sitegen did not write, or whose folder is a link."""
        walker = _Walker(self._root_fd, self.shown)
        try:
            for rel in rels:
                parents, name = _leaf(rel)
                fd = walker.folder(parents, create=False)
                if fd is None:
                    continue
                try:
                    st = os.lstat(name, dir_fd=fd)
                except FileNotFoundError:
                    continue
                if stat.S_ISLNK(st.st_mode):
                    raise UsageError(f"{self.shown / rel} is a link: sitegen writes nothing "
                                     "through links; remove it and build again")
                if not stat.S_ISREG(st.st_mode):
                    raise UsageError(f"{self.shown / rel} is not a file; move it away and "
                                     "build again")
                if rel not in self.manifest.files:
                    raise UsageError(f"{self.shown / rel} was not written by sitegen, which "
                                     "would replace it; move it away and build again")
        finally:
            walker.close()

    def _apply(self, journal: Journal, *, trust_stat: bool) -> WriteStats:
        """Carry out a journal (this build's, or one a killed build left): move what is
        still staged, remove stale files of ours, record the manifest, drop the journal."""
        stats = WriteStats()
        old = self.manifest
        walker = _Walker(self._root_fd, self.shown)
        try:
            staging_fd = _open_folder(journal.staging, self._root_fd)
        except FileNotFoundError:
            staging_fd = -1
        try:
            for temp, rel in journal.moves if staging_fd >= 0 else []:
                parents, name = _leaf(rel)
                if self._move(temp, staging_fd, name, walker.folder(parents, create=True)):
                    stats.written += 1
            for rel in journal.removed:
                if rel not in old.files:  # the killed build recorded its removal already
                    continue
                removed = self._remove(rel, old.files[rel], walker)
                if removed:
                    stats.removed += 1
                elif removed is False:
                    stats.kept.append(rel)
            walker.close()
            manifest = self._restat(journal.after(old), trust_stat)
        finally:
            walker.close()
            if staging_fd >= 0:
                os.close(staging_fd)
        if manifest != old:
            ledger.save(self.ident, manifest)
        ledger.drop_journal(self.ident)
        self.manifest = manifest
        return stats

    def _move(self, temp: str, staging_fd: int, name: str, folder_fd: int | None) -> bool:
        """Rename one staged file into place; False if it was moved before."""
        assert folder_fd is not None
        try:
            st = os.lstat(name, dir_fd=folder_fd)
        except FileNotFoundError:
            pass
        else:
            if not stat.S_ISREG(st.st_mode):
                raise UsageError(f"{self.shown}: {name} became a link or a folder during the "
                                 "build; remove it and build again")
        try:
            os.replace(temp, name, src_dir_fd=staging_fd, dst_dir_fd=folder_fd)
        except FileNotFoundError:
            return False
        return True

    def _remove(self, rel: str, record: Record, walker: _Walker) -> bool | None:
        """Remove a stale file if its bytes are still sitegen's: True if removed, False if
        kept (changed, or not a plain file), None if it is gone already."""
        try:
            parents, name = _leaf(rel)
            fd = walker.folder(parents, create=False)
        except (ValueError, UsageError):
            return False
        if fd is None:
            return None
        try:
            st = os.lstat(name, dir_fd=fd)
        except FileNotFoundError:
            return None
        if not stat.S_ISREG(st.st_mode) or _hash_file(name, fd) != record.digest:
            return False
        os.unlink(name, dir_fd=fd)
        walker.close()
        self._prune(parents)
        return True

    def _prune(self, parents: tuple[str, ...]) -> None:
        """Remove the folders of a removed file that it leaves empty (and only those)."""
        walker = _Walker(self._root_fd, self.shown)
        try:
            for depth in range(len(parents), 0, -1):
                fd = walker.folder(parents[:depth - 1], create=False)
                if fd is None:
                    return
                try:
                    os.rmdir(parents[depth - 1], dir_fd=fd)
                except OSError:
                    return
        finally:
            walker.close()

    def _restat(self, manifest: Manifest, trust_stat: bool) -> Manifest:
        """``manifest`` with each file's stat now; after a killed build nothing is taken
        on trust (no stat recorded), so the next build hashes every file again. A file
        found in place this build keeps the stat it was found with: a no-op build looks
        at each file once."""
        files: dict[str, Record] = {}
        root = os.fspath(self.out)
        for rel, record in manifest.files.items():
            if trust_stat and record.seen is not None:
                files[rel] = record
                continue
            seen = None
            if trust_stat:
                try:
                    st = os.lstat(os.path.join(root, rel))
                    if stat.S_ISREG(st.st_mode) and st.st_size == record.size:
                        seen = _seen(st)
                except OSError:
                    pass
            files[rel] = Record(record.digest, record.size, seen)
        return Manifest(manifest.folder, files, manifest.pdf_inputs)


def forget(out: Path) -> None:
    """Forget a folder sitegen made and is about to delete (the preview's)."""
    ident = _read_marker(out)
    if ident is not None:
        ledger.forget(ident)
