"""File primitives, and everything that differs between platforms, in one place.

Content files are read one way (``read_regular``), sitegen's files written one way
(``atomic_write``), a stat fingerprinted one way (``Stamp``), a folder trusted one way
(``private_folder``). The POSIX calls that make these safe (``O_NOFOLLOW``, ``dir_fd=``,
``flock``, file owners) are looked up when used, not needed at import, so sitegen starts
wherever Python runs; where one is missing, the strongest fallback is taken and, where a
guarantee is weaker, ``weaker`` says so once on stderr (docs/security.md lists each).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

from sitegen.errors import SiteError, SourceLocation

MAX_FILE_BYTES = 5 * 1024 * 1024
"""The largest content file sitegen reads (a long article is about 100 kB)."""
ANOTHER_USER = "belongs to another user"
OTHERS_WRITE = "may be written by others"
"""Why ``private`` finds a file or folder not private."""

_REPARSE_LINKS = (0xA000000C, 0xA0000003)
"""Windows' symbolic links and junctions (``IO_REPARSE_TAG_SYMLINK``, ``_MOUNT_POINT``):
both lead elsewhere. Other reparse points (cloud files) are files."""
_LOCK_OFFSET = 1 << 30
"""Where ``msvcrt.locking`` locks one byte: past the marker's end, as Windows' locks are
mandatory and a lock on its bytes would keep other processes from reading it."""
_READ = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
"""Non-blocking, so that a FIFO put in a file's place cannot hang the open."""
_DIR = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
_KINDS = {stat.S_IFDIR: "a folder", stat.S_IFIFO: "a FIFO", stat.S_IFCHR: "a device",
          stat.S_IFBLK: "a device", stat.S_IFSOCK: "a socket"}
_WARNED: set[str] = set()


def weaker(message: str) -> None:
    """Say once per process, on stderr, that a guarantee is weaker on this platform."""
    worker = sys.modules.get("multiprocessing")  # never imported for this alone
    if worker is not None and worker.parent_process() is not None:
        return  # a worker process: the build that started it says so
    if message not in _WARNED:
        _WARNED.add(message)
        print(f"sitegen: warning: {message}", file=sys.stderr)


def open_flags() -> int:
    """What every open adds: no newline translation (Windows), not inherited by children."""
    return getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


def is_link(st: os.stat_result) -> bool:
    """Whether an ``lstat`` result is a symbolic link, or a Windows junction."""
    return stat.S_ISLNK(st.st_mode) or getattr(st, "st_reparse_tag", 0) in _REPARSE_LINKS


class Stamp(NamedTuple):
    """A file's stat fingerprint, to know it unchanged without reading it. With the change
    time and inode: a same-size edit can keep its old mtime (``cp -p``, ``rsync -t``, a
    restored backup), but no write keeps the change time (on POSIX; see docs/security.md)."""

    size: int
    mtime_ns: int
    ctime_ns: int
    ino: int

    @classmethod
    def of(cls, st: os.stat_result) -> Stamp:
        return cls(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def stamps_may_miss_edits() -> None:
    """Say so where a stamp can miss an edit (Windows: ``st_ctime`` is the creation time)."""
    if sys.platform == "win32":
        weaker("Windows does not move a file's change time when it is written: a file "
               "edited by hand, keeping its size and setting its time back, is found only "
               "when it is hashed again")


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


def read_regular(path: Path, display: str, root: Path | None = None) -> bytes:
    """The bytes of one content file: the one place where content files are opened.

    With ``root`` (the content folder), a path whose real location is outside it (through
    a symbolic link) is refused. Only regular files are read: a FIFO, a device or a folder
    is an error, never a hang or an endless read; and no more than ``MAX_FILE_BYTES``.
    """
    loc = SourceLocation(display, 0, 0)
    if root is not None:
        outside_error(path, root, display)
    try:
        # The type is checked on the opened file itself, which cannot be swapped after.
        fd = os.open(path, _READ | open_flags())
    except OSError as exc:
        raise SiteError(f"cannot read the file: {exc.strerror or exc}", loc) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = _KINDS.get(stat.S_IFMT(mode), "not a file")
            raise SiteError(f"not a regular file ({kind})", loc,
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


def _dir_fds() -> bool:
    """Whether folders can be worked in through descriptors (``dir_fd=``): then a folder
    swapped for a link meanwhile cannot redirect a write."""
    return (hasattr(os, "O_NOFOLLOW")
            and {os.open, os.stat, os.mkdir, os.unlink, os.rmdir, os.rename} <= os.supports_dir_fd)


def open_nofollow(path: str | Path, flags: int = os.O_RDONLY, mode: int = 0o644, *,
                  dir_fd: int | None = None) -> int:
    """``os.open`` that never opens through a symbolic link: a link is an OSError (ELOOP).

    Without ``O_NOFOLLOW`` the path is looked at first, and the file opened must be the one
    looked at (same device and inode), so a link put in its place meanwhile is refused too;
    a file created (``O_CREAT``) is created exclusively, which follows no link either.
    ``O_TRUNC`` is not allowed: it would act before that check."""
    assert not flags & os.O_TRUNC
    flags |= open_flags()
    nofollow = getattr(os, "O_NOFOLLOW", 0)
    if nofollow:
        return os.open(path, flags | nofollow, mode, dir_fd=dir_fd)
    assert dir_fd is None, "a platform with dir_fd has O_NOFOLLOW"
    try:
        before = os.lstat(path)
    except FileNotFoundError:
        if not flags & os.O_CREAT:
            raise
        try:
            return os.open(path, flags | os.O_EXCL, mode)
        except FileExistsError:  # made meanwhile: opened as found, below
            before = os.lstat(path)
    if is_link(before):
        raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(path))
    fd = os.open(path, flags & ~os.O_CREAT, mode)
    after = os.fstat(fd)
    if (after.st_dev, after.st_ino) != (before.st_dev, before.st_ino):
        os.close(fd)
        raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(path))
    return fd


def read_nofollow(path: str | Path, *, limit: int = -1, dir_fd: int | None = None
                  ) -> tuple[bytes, os.stat_result] | None:
    """The bytes (at most ``limit``) and the stat of a regular file, never read through a
    link; None when it is missing, a link, or not a regular file."""
    try:
        fd = open_nofollow(path, _READ, dir_fd=dir_fd)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode):
            return None
        return fh.read(limit), st


def hash_file(path: str | Path, *, dir_fd: int | None = None) -> str | None:
    """The SHA-256 of a regular file (a link is not followed), or None."""
    found = read_nofollow(path, dir_fd=dir_fd)
    return None if found is None else hashlib.sha256(found[0]).hexdigest()


def atomic_write(path: Path, data: bytes, *, exclusive: bool = False,
                 mode: int = 0o644) -> None:
    """Write ``data`` to a temporary file in the same folder, then put it in place whole:
    a reader sees the old file or the new one, never a part. ``exclusive`` refuses an
    existing target (FileExistsError; a link put there meanwhile counts as existing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, mode)
        if not exclusive:
            os.replace(tmp, path)
        elif sys.platform == "win32":
            os.rename(tmp, path)  # Windows' rename never replaces: FileExistsError
        else:
            _link_in(tmp, path, mode)
    finally:
        with contextlib.suppress(OSError):  # gone once renamed; else a failed write's
            os.unlink(tmp)


def _link_in(tmp: str, path: Path, mode: int) -> None:
    """Put ``tmp`` at ``path`` unless something is there (FileExistsError): a hard link
    never replaces, so of two writers the first wins. A file system without hard links
    (FAT) gets the name claimed by an empty file first, then replaced."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | open_flags(), mode))
        os.replace(tmp, path)


def user_folder(variable: str, default: str) -> Path:
    """A per-user folder named by an XDG variable (``XDG_CACHE_HOME``), else ``default``
    under the home folder (``.cache``)."""
    return Path(os.environ.get(variable) or Path.home() / default)


def private(st: os.stat_result) -> str | None:
    """None when only this user may change the file or folder ``st`` describes; else why
    not (``ANOTHER_USER``, ``OTHERS_WRITE``). Without POSIX owners (Windows), the user's
    profile is trusted to be private: said once, as a weaker guarantee."""
    geteuid = getattr(os, "geteuid", None)
    if geteuid is None:
        weaker("this platform has no POSIX file owners: sitegen cannot check that its cache "
               "and records are yours alone, and relies on your profile's permissions")
        return None
    if st.st_uid != geteuid():
        return ANOTHER_USER
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return OTHERS_WRITE
    return None


def private_folder(path: Path) -> str | None:
    """Make ``path`` (0700) unless it exists; None when it is private (see ``private``),
    else why not."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)  # a file there: FileExistsError
    return private(os.stat(path))


def lock(fd: int) -> bool:
    """Lock the open file ``fd`` for this process without waiting: False when another
    process holds the lock. The lock goes with the descriptor: closing it, or the process
    ending however it ends, releases it."""
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        finally:
            os.lseek(fd, 0, os.SEEK_SET)
        return True
    try:
        import fcntl
    except ImportError:
        weaker("this platform has no file locks: two builds into one output folder at "
               "the same time are not prevented; run one at a time")
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def remove_locked(fd: int, path: Path) -> None:
    """Remove the file ``path``, locked through ``fd``, and release the lock. On POSIX it
    is removed while still locked, so a build waiting for the lock finds it gone; Windows
    cannot remove an open file, so there it is closed first."""
    try:
        if sys.platform == "win32":
            os.close(fd)
            fd = -1
        os.unlink(path)
    finally:
        if fd >= 0:
            os.close(fd)


class Folder:
    """A folder to work in without following links: held open (``dir_fd=``) where the
    platform allows, so nothing done in it can leave it even if a folder on its path is
    swapped for a link; else by path (``fd`` None), each step checked with ``lstat``."""

    def __init__(self, path: str, fd: int | None):
        self.path = path
        """For messages, and for the work itself where there are no descriptors."""
        self.fd = fd
        """Its descriptor; None when worked in by path, -1 once closed."""

    @classmethod
    def open(cls, path: Path) -> Folder:
        """The folder at ``path``, which may itself be a link (an output folder the user
        named may be one); nothing in it is reached through a link (``sub``)."""
        where = os.fspath(path)
        if not _dir_fds():
            weaker("this platform cannot hold folders open (no dir_fd): a folder swapped for "
                   "a link while sitegen works in it is not caught, only one there before")
            return cls(where, None)
        return cls._opened(where, os.open(where, _DIR | open_flags()))

    @classmethod
    def _opened(cls, path: str, fd: int) -> Folder:
        if not stat.S_ISDIR(os.fstat(fd).st_mode):
            os.close(fd)
            raise NotADirectoryError(errno.ENOTDIR, "not a folder", path)
        return cls(path, fd)

    def _at(self, name: str) -> tuple[str, int | None]:
        """``name`` as the calls take it: relative to the descriptor, or a whole path."""
        return (name, self.fd) if self.fd is not None else (os.path.join(self.path, name), None)

    def sub(self, name: str, *, create: bool) -> Folder | None:
        """The folder ``name`` in this one, made if asked; None if it does not exist; a
        NotADirectoryError when it is a link or a file."""
        try:
            return self._sub(name)
        except FileNotFoundError:
            if not create:
                return None
        where, fd = self._at(name)
        os.mkdir(where, 0o755, dir_fd=fd)
        return self._sub(name)

    def _sub(self, name: str) -> Folder:
        """The folder ``name``, never reached through a link (NotADirectoryError)."""
        where, fd = self._at(name)
        path = os.path.join(self.path, name)
        try:
            if fd is None:
                st = os.lstat(where)
                if is_link(st) or not stat.S_ISDIR(st.st_mode):
                    raise NotADirectoryError(errno.ENOTDIR, "not a folder", path)
                return Folder(path, None)
            return Folder._opened(path, open_nofollow(where, _DIR, dir_fd=fd))
        except OSError as exc:
            if exc.errno not in (errno.ELOOP, errno.ENOTDIR):
                raise
            raise NotADirectoryError(errno.ENOTDIR, "not a folder", path) from None

    def stat(self) -> os.stat_result:
        """The folder's own stat (never its link's target)."""
        return os.fstat(self.fd) if self.fd is not None else os.lstat(self.path)

    def lstat(self, name: str) -> os.stat_result:
        where, fd = self._at(name)
        return os.stat(where, dir_fd=fd, follow_symlinks=False)

    def read(self, name: str) -> tuple[bytes, os.stat_result] | None:
        """The bytes and stat of the regular file ``name`` (see ``read_nofollow``)."""
        where, fd = self._at(name)
        return read_nofollow(where, dir_fd=fd)

    def hash(self, name: str) -> str | None:
        where, fd = self._at(name)
        return hash_file(where, dir_fd=fd)

    def unlink(self, name: str) -> None:
        where, fd = self._at(name)
        os.unlink(where, dir_fd=fd)

    def rmdir(self, name: str) -> None:
        where, fd = self._at(name)
        os.rmdir(where, dir_fd=fd)

    def move_in(self, source: Folder, name: str, target: str) -> None:
        """Rename ``source``'s file ``name`` to ``target`` in this folder."""
        src, src_fd = source._at(name)
        dst, dst_fd = self._at(target)
        os.replace(src, dst, src_dir_fd=src_fd, dst_dir_fd=dst_fd)

    def close(self) -> None:
        if self.fd is not None and self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
