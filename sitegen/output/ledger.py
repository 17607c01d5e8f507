"""sitegen's ledger of the output folders it made, kept outside every one of them.

An output folder's marker file holds only a random id. Under that id, the ledger (in the
user's state folder: ``$XDG_STATE_HOME/sitegen/outputs``, else
``~/.local/state/sitegen/outputs``) keeps the manifest of what sitegen wrote there and,
while a build moves files into place, its journal. A marker whose id the ledger does not
know makes nothing sitegen's: writing a file into a folder cannot make sitegen delete or
rewrite what is in it.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from collections.abc import Iterator, KeysView, Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from sitegen import fs
from sitegen.errors import UsageError
from sitegen.fs import Stamp
from sitegen.output import seal

FORMAT = "sitegen-ledger/3"
"""/3: a manifest is a header line (its folder, identity and PDFs' input keys), a seal
(``output.seal``, under the state folder's secret), then one line per record, sorted: a
big site's manifest is read and written without parsing or encoding every record (see
``Records``)."""
_FORMAT_2 = "sitegen-ledger/2"
"""/2: one JSON object; a record's stat is an ``fs.Stamp`` (size, mtime, ctime, inode).
Journals are still written so: they hold only a commit's changes."""
_FORMAT_1 = "sitegen-ledger/1"
"""Records of /1 (stat as mtime, inode, ctime) are read without their stats: nothing is
taken on trust, so the next build hashes those files once, then records stamps."""
_ID = re.compile(r"[0-9a-f]{32}")


class FileRecord(NamedTuple):
    """A file sitegen wrote: the SHA-256 and size of its bytes, and its stamp when sitegen
    last wrote or checked them. (A named tuple: a big site's manifest holds tens of
    thousands.)"""

    digest: str
    size: int
    seen: Stamp | None = None


_LINE = json.JSONEncoder(separators=(",", ":")).encode
"""A record's line: ``["path","digest",size,[size,mtime,ctime,inode]]`` (or ``null`` for
no stat), in ASCII (JSON escapes any other character, and a newline)."""


def _from_line(line: str) -> FileRecord:
    """The record of a line of a sealed manifest, which sitegen wrote: it parses."""
    _, digest, size, seen = json.loads(line)
    return FileRecord(digest, size, None if seen is None else Stamp(*seen))


class Records(MutableMapping[str, FileRecord]):
    """A manifest's records, path → record. Those read from a sealed manifest (which
    sitegen wrote, so they are well formed) stay the line they were read as until first
    looked up: a build that looks at a few files of a big site parses only theirs, and
    writes the others back as read."""

    def __init__(self, items: Mapping[str, FileRecord | str] | None = None):
        self._items: dict[str, FileRecord | str] = dict(items or {})

    def __getitem__(self, rel: str) -> FileRecord:
        found = self._items[rel]
        if isinstance(found, str):
            found = self._items[rel] = _from_line(found)
        return found

    def __setitem__(self, rel: str, record: FileRecord) -> None:
        self._items[rel] = record

    def __delitem__(self, rel: str) -> None:
        del self._items[rel]

    def __contains__(self, rel: object) -> bool:
        return rel in self._items  # without parsing the line

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def keys(self) -> KeysView[str]:
        """The paths, as a dict's keys (set operations on them run without a loop here)."""
        return self._items.keys()

    def copy(self) -> Records:
        """A copy, lines not parsed yet staying lines."""
        return Records(self._items)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Records):
            return isinstance(other, Mapping) and dict(self.items()) == dict(other.items())
        if self._items == other._items:  # each record the same object, or equal
            return True
        if self._items.keys() != other._items.keys():
            return False
        # A line in one and its record in the other: parsed to compare.
        return all(mine is other._items[rel] or self[rel] == other[rel]
                   for rel, mine in self._items.items())

    def lines(self) -> list[str]:
        """Each record's line, sorted by path; a line read and not looked up as it was."""
        return [found if isinstance(found, str) else _LINE([rel, *found])
                for rel, found in sorted(self._items.items())]


@dataclass
class Manifest:
    """What sitegen wrote into one output folder (its real path): path → record, and the
    input key of each PDF (so the next build can keep a PDF whose inputs are unchanged)."""

    folder: str
    files: Records = field(default_factory=Records)
    pdf_inputs: dict[str, str] = field(default_factory=dict)
    identity: str | None = None
    """The folder's device and inode, and its marker's inode (``identity``): with its
    path, what proves a marker is this folder's own, the very file sitegen made there, and
    not one copied from another (None in records made before)."""

    def header(self) -> bytes:
        """The first line of its file: all but the records."""
        return json.dumps({"format": FORMAT, "folder": self.folder,
                           "pdf_inputs": dict(sorted(self.pdf_inputs.items())),
                           "identity": self.identity}, separators=(",", ":")).encode()

    @classmethod
    def from_json(cls, raw: dict[str, Any], files: Records) -> Manifest:
        """The manifest of a header (or, before /3, a whole file) as parsed."""
        ident = raw.get("identity")
        return cls(str(raw["folder"]), files, _pdf_inputs(raw["pdf_inputs"]),
                   ident if isinstance(ident, str) else None)


def identity(folder: os.stat_result, marker: os.stat_result) -> str:
    """An output folder's identity on this machine: its device and inode, and its marker
    file's inode (a copy of the marker, even put back where it was, is another file)."""
    return f"{folder.st_dev}:{folder.st_ino}:{marker.st_ino}"


def _records_json(files: dict[str, FileRecord]) -> dict[str, FileRecord]:
    """Records as JSON encodes them: a named tuple, like its ``seen`` stamp, is written as
    a list (``[digest, size, [size, mtime, ctime, inode]]``, or ``null`` for no stat)."""
    return dict(sorted(files.items()))


def _lines(body: bytes, sealed: bool) -> Records:
    """The records of a manifest's lines: taken as read when its seal holds (sitegen wrote
    them); else each parsed and checked, as in a file of the formats before (a ValueError
    for any of the wrong form)."""
    if not body:
        return Records()
    lines = body.decode().split("\n")
    if not sealed:
        parsed = [json.loads(line) for line in lines]
        if not all(type(p) is list and len(p) == 4 and type(p[0]) is str for p in parsed):
            raise ValueError("bad record")
        return Records(_records({p[0]: p[1:] for p in parsed}, FORMAT))
    if b"\\" not in body:  # no path has an escape: each ends at its first quote
        return Records({line[2:line.index('"', 2)]: line for line in lines})
    return Records({json.loads(line)[0]: line for line in lines})


def _records(raw: dict[str, Any], form: str) -> dict[str, FileRecord]:
    """Records from their JSON form (in the ledger format ``form``); a ValueError for any
    value of the wrong type. (Type checks rather than conversions: a big site has tens of
    thousands of records.)"""
    files = {}
    stat_kept = form != _FORMAT_1
    for rel, (digest, size, seen) in raw.items():
        if type(digest) is not str or type(size) is not int:
            raise ValueError(f"bad record for {rel!r}")
        if seen is not None and stat_kept:
            st_size, mtime, ctime, ino = seen  # unrolled: this runs for every record
            if (type(st_size) is not int or type(mtime) is not int or type(ctime) is not int
                    or type(ino) is not int):
                raise ValueError(f"bad record for {rel!r}")
            seen = Stamp(st_size, mtime, ctime, ino)
        else:
            seen = None
        files[rel] = FileRecord(digest, size, seen)
    return files


def _pdf_inputs(raw: dict[str, Any]) -> dict[str, str]:
    return {str(k): str(v) for k, v in raw.items()}


@dataclass(frozen=True)
class Journal:
    """A commit in progress: the staging folder (a name inside the output folder), the
    moves still to make (temporary file name → output path), and how the commit changes
    the manifest: the records it adds or changes, the paths it no longer makes, the PDFs'
    input keys after it. Only the changes: a whole manifest (tens of thousands of records
    on a big site) would cost as much again to write as the manifest itself."""

    staging: str
    moves: list[tuple[str, str]]
    changed: dict[str, FileRecord]
    removed: list[str]
    pdf_inputs: dict[str, str]

    def after(self, before: Manifest) -> Manifest:
        """The manifest once the commit is done; the same if ``before`` already is."""
        files = before.files.copy()  # copied whole, then changed: no loop over every record
        for rel in self.removed:
            files.pop(rel, None)
        files.update(self.changed)
        return Manifest(before.folder, files, dict(self.pdf_inputs), before.identity)


def _folder() -> Path:
    folder = fs.user_folder("XDG_STATE_HOME", ".local/state") / "sitegen" / "outputs"
    try:
        why = fs.private_folder(folder)
    except OSError as exc:  # a file on the way (XDG_STATE_HOME naming a file), no right
        raise UsageError(f"cannot use sitegen's state folder {folder}: "
                         f"{exc.strerror or exc}; set XDG_STATE_HOME to a folder of "
                         "yours") from None
    if why is not None:  # unlike the build cache, the ledger is needed: refuse
        raise UsageError(f"{folder} {why}: sitegen keeps there what it wrote into each "
                         "output folder; make it yours alone (chmod 700)")
    return folder


def valid_id(text: object) -> bool:
    return isinstance(text, str) and _ID.fullmatch(text) is not None


def folder_id() -> str:
    return secrets.token_hex(16)


def _path(ident: str, suffix: str) -> Path:
    assert valid_id(ident)
    return _folder() / f"{ident}{suffix}"


def _read(path: Path) -> Any:
    """A journal as parsed; None if missing, not a regular file (a FIFO is never waited
    on) or not JSON."""
    found = fs.read_nofollow(path)
    if found is None:
        return None
    try:
        return json.loads(found[0])
    except ValueError:  # only a foreign or damaged file: not a record of ours
        return None


def _write(path: Path, data: dict[str, Any]) -> None:
    """Write a journal whole (never in place)."""
    fs.atomic_write(path, json.dumps({"format": _FORMAT_2, **data},
                                     separators=(",", ":")).encode())


def _secret() -> bytes | None:
    """The state folder's secret, which seals the manifests; None when there is none to
    use (then every record is checked when read, as in a manifest edited by hand)."""
    try:
        return seal.secret(_folder())
    except OSError:  # a state folder that cannot be written: writing the manifest says so
        return None


def _parse(data: bytes) -> Manifest | None:
    """A manifest from its file's bytes, of this format or one before; None for a file
    of no such form, or holding a record of the wrong type."""
    head, _, rest = data.partition(b"\n")
    try:
        raw = json.loads(head)
        if not isinstance(raw, dict):
            return None
        form = raw.get("format")
        if form == FORMAT:
            found, complete, body = rest.partition(b"\n")
            if not complete:
                return None
            files = _lines(body, seal.holds(_secret(), head, found, body))
        elif form in (_FORMAT_2, _FORMAT_1) and not rest:
            files = Records(_records(raw["files"], form))
        else:
            return None
        return Manifest.from_json(raw, files)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        return None


def known(ident: str) -> bool:
    """Whether the ledger has a record under ``ident`` (without reading it)."""
    return _path(ident, ".json").is_file()


_SEEN: dict[str, tuple[Stamp, Manifest]] = {}
"""The last manifest this process read or wrote under each id, with its file's stat then:
a record is read again only when the file changed (see ``stamp``), so a long-running
process (``sitegen serve``) that builds again does not parse it again."""


def _stat_key(path: Path) -> Stamp | None:
    try:
        return Stamp.of(os.stat(path))
    except OSError:
        return None


def stamp(ident: str) -> str | None:
    """The folder's manifest as stored, named by its file's size, times and inode, without
    reading it: a manifest is never changed in place but replaced whole (a new inode), and
    any write moves the change time, which no one but root can set back. None when there
    is none, or while a commit is pending (a killed build's journal is there)."""
    if _path(ident, ".journal.json").exists():
        return None
    key = _stat_key(_path(ident, ".json"))
    return None if key is None else " ".join(map(str, key))


def load(ident: str) -> Manifest | None:
    """The manifest of the folder marked ``ident``, or None if sitegen never made it."""
    path = _path(ident, ".json")
    before = _stat_key(path)
    seen = _SEEN.get(ident)
    if seen is not None and before is not None and seen[0] == before:
        return seen[1]
    found = fs.read_nofollow(path)
    manifest = None if found is None else _parse(found[0])
    if manifest is None:
        return None
    if before is not None and _stat_key(path) == before:  # not replaced while read
        _SEEN[ident] = (before, manifest)
    return manifest


def save(ident: str, manifest: Manifest) -> None:
    path = _path(ident, ".json")
    head, body = manifest.header(), "\n".join(manifest.files.lines()).encode()
    fs.atomic_write(path, seal.sealed(_secret(), head, body))
    key = _stat_key(path)
    if key is not None:
        _SEEN[ident] = (key, manifest)


def forget(ident: str) -> None:
    """Drop the record of a folder sitegen has deleted (the preview's)."""
    _SEEN.pop(ident, None)
    for suffix in (".json", ".journal.json"):
        _path(ident, suffix).unlink(missing_ok=True)


def save_journal(ident: str, journal: Journal) -> None:
    _write(_path(ident, ".journal.json"),
           {"staging": journal.staging, "moves": journal.moves,
            "changed": _records_json(journal.changed), "removed": journal.removed,
            "pdf_inputs": journal.pdf_inputs})


def load_journal(ident: str) -> Journal | None:
    """The journal a killed build left; None if there is none, or none of this form (then
    the next commit replaces only files the manifest says are sitegen's)."""
    raw = _read(_path(ident, ".journal.json"))
    if not isinstance(raw, dict) or raw.get("format") not in (_FORMAT_2, _FORMAT_1):
        return None
    try:
        return Journal(str(raw["staging"]), [(str(a), str(b)) for a, b in raw["moves"]],
                       _records(raw["changed"], raw["format"]), [str(r) for r in raw["removed"]],
                       _pdf_inputs(raw["pdf_inputs"]))
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def drop_journal(ident: str) -> None:
    _path(ident, ".journal.json").unlink(missing_ok=True)
