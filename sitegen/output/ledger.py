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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from sitegen import fs
from sitegen.errors import UsageError
from sitegen.fs import Stamp

FORMAT = "sitegen-ledger/2"
"""/2: a record's stat is an ``fs.Stamp`` (size, mtime, ctime, inode)."""
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


@dataclass
class Manifest:
    """What sitegen wrote into one output folder (its real path): path → record, and the
    input key of each PDF (so the next build can keep a PDF whose inputs are unchanged)."""

    folder: str
    files: dict[str, FileRecord] = field(default_factory=dict)
    pdf_inputs: dict[str, str] = field(default_factory=dict)
    identity: str | None = None
    """The folder's device and inode, and its marker's inode (``identity``): with its
    path, what proves a marker is this folder's own, the very file sitegen made there, and
    not one copied from another (None in records made before)."""

    def to_json(self) -> dict[str, Any]:
        return {"folder": self.folder, "files": _records_json(self.files),
                "pdf_inputs": dict(sorted(self.pdf_inputs.items())),
                "identity": self.identity}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Manifest:
        ident = raw.get("identity")
        return cls(str(raw["folder"]), _records(raw["files"], raw["format"]),
                   _pdf_inputs(raw["pdf_inputs"]), ident if isinstance(ident, str) else None)


def identity(folder: os.stat_result, marker: os.stat_result) -> str:
    """An output folder's identity on this machine: its device and inode, and its marker
    file's inode (a copy of the marker, even put back where it was, is another file)."""
    return f"{folder.st_dev}:{folder.st_ino}:{marker.st_ino}"


def _records_json(files: dict[str, FileRecord]) -> dict[str, FileRecord]:
    """Records as JSON encodes them: a named tuple, like its ``seen`` stamp, is written as
    a list (``[digest, size, [size, mtime, ctime, inode]]``, or ``null`` for no stat)."""
    return dict(sorted(files.items()))


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
        files = dict(before.files)  # copied whole, then changed: no loop over every record
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
    """A record as parsed; None if missing, not a regular file (a FIFO is never waited
    on) or not JSON."""
    found = fs.read_nofollow(path)
    if found is None:
        return None
    try:
        return json.loads(found[0])
    except ValueError:  # only a foreign or damaged file: not a record of ours
        return None


def _write(path: Path, data: dict[str, Any]) -> None:
    """Write a record whole (never in place)."""
    fs.atomic_write(path, json.dumps({"format": FORMAT, **data}, separators=(",", ":")).encode())


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
    raw = _read(path)
    if not isinstance(raw, dict) or raw.get("format") not in (FORMAT, _FORMAT_1):
        return None
    try:
        manifest = Manifest.from_json(raw)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        return None
    if before is not None and _stat_key(path) == before:  # not replaced while read
        _SEEN[ident] = (before, manifest)
    return manifest


def save(ident: str, manifest: Manifest) -> None:
    path = _path(ident, ".json")
    _write(path, manifest.to_json())
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
    if not isinstance(raw, dict) or raw.get("format") not in (FORMAT, _FORMAT_1):
        return None
    try:
        return Journal(str(raw["staging"]), [(str(a), str(b)) for a, b in raw["moves"]],
                       _records(raw["changed"], raw["format"]), [str(r) for r in raw["removed"]],
                       _pdf_inputs(raw["pdf_inputs"]))
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def drop_journal(ident: str) -> None:
    _path(ident, ".journal.json").unlink(missing_ok=True)
