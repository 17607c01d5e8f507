"""A build's output files before they are put in place: each file hashed and, unless the
file in place already holds its bytes, written to the build's staging folder (``stage``,
safe to call from worker processes); the check that a file sitegen wrote is still in place
(``is_in_place``); and the folders a build writes, each with what its last build left, for
reusing its PDFs (``Place``, ``Places``).
"""

from __future__ import annotations

import hashlib
import itertools
import os
import stat
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from sitegen import fs
from sitegen.fs import Stamp
from sitegen.output.ledger import FileRecord

MARKER = ".sitegen-output.json"
"""The output folder's marker: it holds the folder's id in sitegen's ledger."""
STAGING_PREFIX = ".sitegen-tmp-"
"""The start of a staging folder's name, inside the output folder."""


def safe_parts(rel: str) -> tuple[str, ...]:
    """The names along an output path (relative, '/' separators, read as a POSIX path
    is: empty and '.' names dropped) that stays inside the output folder and takes none
    of the names sitegen keeps there for itself; else a ValueError. Runs for every file:
    plain strings, no pathlib."""
    parts = tuple(p for p in rel.split("/") if p and p != ".")
    if (rel.startswith("/") or not parts or ".." in parts or "\\" in rel or "\0" in rel
            or parts[0] == MARKER or parts[0].startswith(STAGING_PREFIX)):
        raise ValueError(f"refusing to write outside the output folder: {rel!r}")
    return parts


def safe_relpath(rel: str) -> PurePosixPath:
    """``safe_parts`` as a path."""
    return PurePosixPath(*safe_parts(rel))


def folded(rel: str) -> str:
    """An output path as a disk that ignores case (macOS, Windows, a USB stick) and Unicode
    normalisation (macOS) sees it: two paths with the same folded form are one file."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", rel).casefold())


def same_file_paths(rels: Iterable[str]) -> tuple[str, str] | None:
    """Two of ``rels`` that are one file on such a disk, if any."""
    seen: dict[str, str] = {}
    for rel in sorted(rels):
        other = seen.setdefault(folded(rel), rel)
        if other != rel:
            return other, rel
    return None


class Staged(NamedTuple):
    """One output file of a build: its hash and size, and where its new bytes wait
    (``None`` when the file already in place has exactly these bytes). A named tuple:
    a big site has tens of thousands."""

    digest: str
    size: int
    temp: str | None = None
    seen: Stamp | None = None
    """For a file found in place: its stat when found, which the ledger then records
    without a second look."""


def is_in_place(root: str, old: Mapping[str, FileRecord], rel: str, digest: str,
                size: int, st: os.stat_result | None = None) -> Stamp | None:
    """Whether the file sitegen wrote at ``rel`` in the folder ``root`` is still there
    holding these bytes: its stamp if so, else None.

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
    seen = Stamp.of(st)
    return seen if record.seen == seen or fs.hash_file(path) == digest else None


def stage(out: Path, staging: Path | None, old: Mapping[str, FileRecord], rel: str,
          data: bytes) -> Staged:
    """Hash ``data`` and, unless the file in place already holds it, write it to a
    temporary file in ``staging`` (inside ``out``). Safe to call from worker processes."""
    name = safe_parts(rel)[-1]
    digest = hashlib.sha256(data).hexdigest()
    if staging is None:
        return Staged(digest, len(data))
    seen = is_in_place(os.fspath(out), old, rel, digest, len(data))
    if seen is not None:
        return Staged(digest, len(data), seen=seen)
    dot = name.rfind(".")
    suffix = name[dot:] if 0 < dot < len(name) - 1 else ""  # as PurePosixPath.suffix
    return Staged(digest, len(data), _write_new(os.fspath(staging), suffix, data))


_names = itertools.count()
"""Numbers for the files this process stages: with its process id, a name no other
process of the build takes."""
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | fs.open_flags()  # O_EXCL: no link followed


def _write_new(folder: str, suffix: str, data: bytes) -> str:
    """Write ``data`` to a new file in ``folder``, readable by all (as a site's files
    are, whatever the umask); its path. The folder is the build's own, made private for
    it (``Output.open``): names from a counter, taken with O_EXCL (a name found taken is
    skipped), rather than ``tempfile.mkstemp``'s random ones. (Not ``fs.atomic_write``:
    the commit is the atomic step.)"""
    pid = os.getpid()
    while True:
        path = f"{folder}/{pid}-{next(_names)}{suffix}"
        try:
            fd = os.open(path, _CREATE, 0o600)
        except FileExistsError:
            continue
        break
    try:
        view = memoryview(data)
        while view:  # a plain write, without a file object's own look at the file
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)
    os.chmod(path, 0o644)
    return path


@dataclass(frozen=True)
class Place:
    """One output folder as a build writes it: where it is, the build's staging folder in
    it (None when checking without writing), and what the last build left there."""

    out: Path
    staging: Path | None = None
    files: Mapping[str, FileRecord] = field(default_factory=dict)
    """The last build's files, by path in the folder."""
    pdf_inputs: dict[str, str] = field(default_factory=dict)

    def stage(self, rel: str, data: bytes) -> Staged:
        return stage(self.out, self.staging, self.files, rel, data)

    def reuse(self, rel: str, key: str) -> bytes | None:
        """The bytes of ``rel`` if it was made from inputs with this key and is still the
        file sitegen wrote (same hash); otherwise None, and the caller makes it again."""
        record = self.files.get(rel)
        if self.pdf_inputs.get(rel) != key or record is None:
            return None
        try:
            found = fs.read_nofollow(self.out / safe_relpath(rel))
        except ValueError:
            return None
        if found is None:
            return None
        data = found[0]
        return data if hashlib.sha256(data).hexdigest() == record.digest else None


TEACHER = "teacher:"
"""Where a path of the teacher's folder starts, in every map of a build's files: the
build writes two folders (the students' site and the teacher's, see ``Places``) but keeps
one map of paths. No path of the site can start so: a ':' is in no slug or theme name."""


def split(rel: str) -> tuple[bool, str]:
    """Whether ``rel`` is in the teacher's folder, and its path in its own folder."""
    if rel.startswith(TEACHER):
        return True, rel[len(TEACHER):]
    return False, rel


@dataclass(frozen=True)
class Places:
    """The two folders a build writes: the students' site and the teacher's folder (the
    teacher key, the class page), which no page of the site links to. Paths starting with
    ``TEACHER`` are the teacher's; every other path is the site's."""

    site: Place
    teacher: Place

    def route(self, rel: str) -> tuple[Place, str]:
        teacher, inner = split(rel)
        return (self.teacher if teacher else self.site), inner

    def stage(self, rel: str, data: bytes) -> Staged:
        place, inner = self.route(rel)
        return place.stage(inner, data)

    def in_place(self, rel: str, digest: str, size: int,
                 st: os.stat_result | None = None) -> Stamp | None:
        place, inner = self.route(rel)
        return is_in_place(os.fspath(place.out), place.files, inner, digest, size, st)

    def reuse(self, rel: str, key: str) -> bytes | None:
        place, inner = self.route(rel)
        return place.reuse(inner, key)
