"""A commit carried out: the staged files moved into the output folder, the stale files of
the last build removed, the new manifest recorded.

``journal`` says what a commit changes; ``check_targets`` refuses it, before anything
moves, if a target is not sitegen's to replace; ``apply`` carries it out (this build's, or
one a killed build left), walking the folder one name at a time and never through a link
(``fs.Folder``), so no write or delete can leave the output folder.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field
from pathlib import Path

from sitegen import fs
from sitegen.errors import UsageError
from sitegen.fs import Stamp
from sitegen.output import ledger
from sitegen.output.ledger import FileRecord, Journal, Manifest, Records
from sitegen.output.stage import Staged, safe_parts


@dataclass
class WriteStats:
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    kept: list[str] = field(default_factory=list)
    """Files of the last build, no longer produced, kept because they were changed."""


class _Walker:
    """Opens folders of the output folder one name at a time, never following a link.
    Keeps the last folder open: files come sorted, so neighbours share it."""

    def __init__(self, root: fs.Folder, shown: Path):
        self.root = root
        self.shown = shown
        self._last: tuple[tuple[str, ...], fs.Folder] | None = None

    def folder(self, parts: Sequence[str], *, create: bool) -> fs.Folder | None:
        """Folder ``parts``, created if asked; None if it does not exist."""
        key = tuple(parts)
        if self._last is not None and self._last[0] == key:
            return self._last[1]
        self.close()
        here = self.root
        try:
            for i, part in enumerate(parts):
                try:
                    sub = here.sub(part, create=create)
                except NotADirectoryError:
                    shown = self.shown.joinpath(*parts[:i + 1])
                    raise UsageError(f"{shown} is a link or a file, not a folder: sitegen "
                                     "writes nothing through links; remove it and build "
                                     "again") from None
                if here is not self.root:
                    here.close()
                if sub is None:
                    return None
                here = sub
        except BaseException:
            if here is not self.root:
                here.close()
            raise
        self._last = (key, here)
        return here

    def close(self) -> None:
        if self._last is not None:
            if self._last[1] is not self.root:
                self._last[1].close()
            self._last = None


def _leaf(rel: str) -> tuple[tuple[str, ...], str]:
    parts = safe_parts(rel)
    return parts[:-1], parts[-1]


def journal(staging: str, before: Manifest, files: Mapping[str, Staged],
            pdf_inputs: Mapping[str, str] | None, kept: Set[str] = frozenset()
            ) -> Journal | None:
    """What a commit of ``files`` (staged in the folder named ``staging``) changes in
    the folder whose manifest is ``before``, the files ``kept`` staying as it records
    them (found in place with the stat recorded, and their PDFs' input keys); None when
    it changes nothing."""
    moves = [(Path(item.temp).name, rel) for rel, item in sorted(files.items())
             if item.temp is not None]
    changed = {}
    for rel, item in files.items():
        # A file found in place keeps the stat it was found with; a new one is looked at
        # once it is in place. (Records are tuples: compared without making one.)
        seen = None if item.temp is not None else item.seen
        if before.files.get(rel) != (item.digest, item.size, seen):
            changed[rel] = FileRecord(item.digest, item.size, seen)
    inputs = {k: v for k, v in (pdf_inputs or {}).items() if k in files}
    if kept:
        inputs.update((k, v) for k, v in before.pdf_inputs.items() if k in kept)
    found = Journal(staging, moves, changed,
                    sorted(before.files.keys() - files.keys() - kept), dict(sorted(inputs.items())))
    if not (moves or changed or found.removed or found.pdf_inputs != before.pdf_inputs):
        return None
    return found


def check_targets(root: fs.Folder, shown: Path, manifest: Manifest, rels: list[str]) -> None:
    """Refuse, before anything moves, a target that is a link, a folder, or a file
    sitegen did not write, or whose folder is a link."""
    walker = _Walker(root, shown)
    try:
        for rel in rels:
            parents, name = _leaf(rel)
            folder = walker.folder(parents, create=False)
            if folder is None:
                continue
            try:
                st = folder.lstat(name)
            except FileNotFoundError:
                continue
            if fs.is_link(st):
                raise UsageError(f"{shown / rel} is a link: sitegen writes nothing "
                                 "through links; remove it and build again")
            if not stat.S_ISREG(st.st_mode):
                raise UsageError(f"{shown / rel} is not a file; move it away and "
                                 "build again")
            if rel not in manifest.files:
                raise UsageError(f"{shown / rel} was not written by sitegen, which "
                                 "would replace it; move it away and build again")
    finally:
        walker.close()


def apply(root: fs.Folder, shown: Path, ident: str, old: Manifest, done: Journal, *,
          trust_stat: bool) -> tuple[WriteStats, Manifest]:
    """Carry out a journal (this build's, or one a killed build left): move what is still
    staged, remove stale files of ours, record the manifest, drop the journal. Returns
    what was done and the manifest now."""
    stats = WriteStats()
    walker = _Walker(root, shown)
    staging = root.sub(done.staging, create=False)
    try:
        for temp, rel in done.moves if staging is not None else []:
            parents, name = _leaf(rel)
            folder = walker.folder(parents, create=True)
            assert folder is not None and staging is not None
            if _move(staging, temp, folder, name, shown):
                stats.written += 1
        for rel in done.removed:
            if rel not in old.files:  # the killed build recorded its removal already
                continue
            removed = _remove(root, shown, rel, old.files[rel], walker)
            if removed:
                stats.removed += 1
            elif removed is False:
                stats.kept.append(rel)
        walker.close()
        manifest = _restat(root.path, done.after(old), done.changed, trust_stat)
    finally:
        walker.close()
        if staging is not None:
            staging.close()
    if manifest != old:
        ledger.save(ident, manifest)
    ledger.drop_journal(ident)
    return stats, manifest


def _move(staging: fs.Folder, temp: str, folder: fs.Folder, name: str, shown: Path) -> bool:
    """Rename one staged file into place; False if it was moved before."""
    try:
        st = folder.lstat(name)
    except FileNotFoundError:
        pass
    else:
        if fs.is_link(st) or not stat.S_ISREG(st.st_mode):
            raise UsageError(f"{shown}: {name} became a link or a folder during the "
                             "build; remove it and build again")
    try:
        folder.move_in(staging, temp, name)
    except FileNotFoundError:
        return False
    return True


def _remove(root: fs.Folder, shown: Path, rel: str, record: FileRecord,
            walker: _Walker) -> bool | None:
    """Remove a stale file if its bytes are still sitegen's: True if removed, False if
    kept (changed, or not a plain file), None if it is gone already."""
    try:
        parents, name = _leaf(rel)
        folder = walker.folder(parents, create=False)
    except (ValueError, UsageError):
        return False
    if folder is None:
        return None
    try:
        st = folder.lstat(name)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(st.st_mode) or folder.hash(name) != record.digest:
        return False
    folder.unlink(name)
    walker.close()
    _prune(root, shown, parents)
    return True


def _prune(root: fs.Folder, shown: Path, parents: tuple[str, ...]) -> None:
    """Remove the folders of a removed file that it leaves empty (and only those)."""
    walker = _Walker(root, shown)
    try:
        for depth in range(len(parents), 0, -1):
            folder = walker.folder(parents[:depth - 1], create=False)
            if folder is None:
                return
            try:
                folder.rmdir(parents[depth - 1])
            except OSError:
                return
    finally:
        walker.close()


def _restat(root: str, manifest: Manifest, changed: Mapping[str, FileRecord],
            trust_stat: bool) -> Manifest:
    """``manifest`` with the stat now of each file ``changed`` records none for (a file
    found in place this build keeps the stat it was found with, so a no-op build looks
    at each file once; the others keep theirs); after a killed build nothing is taken on
    trust (no stat recorded), so the next build hashes every file again."""
    if not trust_stat:
        return Manifest(manifest.folder, Records({rel: FileRecord(r.digest, r.size)
                                                  for rel, r in manifest.files.items()}),
                        manifest.pdf_inputs, manifest.identity)
    files = manifest.files
    for rel, record in changed.items():
        if record.seen is not None or rel not in files:
            continue
        seen = None
        try:
            st = os.lstat(os.path.join(root, rel))
            if stat.S_ISREG(st.st_mode) and st.st_size == record.size:
                seen = Stamp.of(st)
        except OSError:
            pass
        files[rel] = FileRecord(record.digest, record.size, seen)
    return manifest
