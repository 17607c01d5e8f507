"""What the last successful build of an output folder saw, kept in one small sealed file,
so that a build with nothing to do finds that out without reading the ledger's manifest or
the build cache (several megabytes each on a big site), and a build with little to do
reads only the entries of the articles that changed.

The file's header names the site-wide key, the output folder's ledger id and its manifest
as stored (``ledger.stamp``: the file's size, times and inode); its body holds a hash of
every article folder's signature, a hash of every output file's stamp (``fs.Stamp``:
size, mtime, ctime, inode), the list of those files and what that build reported. A
build that finds the same header and, looking again, the same hashes has nothing to do:
each article's signature is the one its cache entry was made with, and each output file
has the stamp the manifest recorded after writing or checking it, which is all the full
check trusts too.

Any difference, and the build runs the full check, article by article: a second file,
read only then, holds each article's part (``Group``: its output files, one hash of its
folder's signature and of those files' stamps, its cards' hash and its warnings), so an
article whose part is as recorded, looking again with the same stats, is trusted as a
whole (``trusted``) and only the others are checked file by file, parsed and rendered.
Its header names the snapshot's own hashes, so it is used only with the snapshot it was
written with.

Both files live beside the build cache and are sealed like it, with the cache folder's
secret: a forged snapshot is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple, cast

from sitegen import __version__
from sitegen.build.cache import (
    JSON_SURROGATES,
    SITE,
    Signature,
    Store,
    warnings_from_json,
    warnings_json,
)
from sitegen.errors import SiteWarning
from sitegen.fs import Stamp
from sitegen.output.ledger import FileRecord
from sitegen.output.stage import TEACHER

FORMAT = "sitegen-snapshot/5"
"""/5: each article's part (``Group``), in a second file."""

Articles = list[tuple[str, Signature]]
"""Each article folder's name and signature, sorted by name."""


class Group(NamedTuple):
    """One article's part of a snapshot (under ``cache.SITE``, the site-wide files'). A
    named tuple: a big site has thousands."""

    outputs: list[str]
    """The files it made, sorted (the teacher's as ``output.stage`` names them)."""
    seen: str
    """The hash of its folder's signature and of its files' stamps (``group_seen``)."""
    card: str
    """The hash of its cards (``cache.Entry.card_digest``); the site-wide files' key."""
    warnings: list[list[Any]]
    """Its warnings, as the cache keeps them."""
    lines: list[str] | None = None
    """Its files' stamps as a look found them (``look``), when it was trusted."""


@dataclass(frozen=True)
class Snapshot:
    """A successful build's look at its inputs and outputs, and what it reported."""

    articles: str
    """The hash of the article folders' names and signatures (see ``articles_seen``)."""
    outputs_seen: str
    """The hash of the output files' stats (see ``look``)."""
    outputs: list[str]
    """Every file the build made, its groups' files one group after the other."""
    pages: tuple[int, int]
    """The HTML pages of the site and of the teacher's folder."""
    site_warnings: list[SiteWarning]
    article_warnings: list[SiteWarning]
    groups_header: bytes
    """The header of the file of its groups (see ``trusted``)."""


def _path(store: Store) -> Path:
    """Beside the build cache's state file of the same output folder."""
    return store.path.with_suffix(".snapshot")


def _groups_path(store: Store) -> Path:
    """Beside the snapshot: each group as [slug, files, seen, card, warnings], read only
    when the build has something to do (``trusted``)."""
    return store.path.with_suffix(".groups")


def _header(site_key: str, ident: str, manifest: str) -> bytes:
    """``ident``: the output folders' ledger ids; ``manifest``: their manifests' stamps
    (``ledger.stamp``)."""
    return json.dumps([FORMAT, __version__, site_key, ident, manifest]).encode()


def articles_seen(articles: Articles) -> str:
    """The hash of each article folder's name and signature. (Tuples and lists encode
    alike in JSON, so a look and a record of the same signatures agree.)"""
    return hashlib.sha256(json.dumps(articles).encode()).hexdigest()


def _stat_line(stamp: Stamp) -> str:
    return f"{stamp.size} {stamp.mtime_ns} {stamp.ctime_ns} {stamp.ino}"


def _outputs_seen(stat_lines: list[str]) -> str:
    """The hash of the lines joined by newlines, joined a few thousand at a time: one
    string of them all would be megabytes more at the build's peak."""
    h = hashlib.sha256()
    for at in range(0, len(stat_lines), _CHUNK):
        h.update((b"\n" if at else b"") + "\n".join(stat_lines[at:at + _CHUNK]).encode())
    return h.hexdigest()


_CHUNK = 2048


def group_seen(sig: Signature, stat_lines: list[str]) -> str:
    """One group's hash: its folder's files, each with its stamp, and its output files'
    stamps (in its ``outputs``' order)."""
    folder = "\0".join(f"{name}\0{_stat_line(stamp)}" for name, stamp in sig)
    outputs = "\n".join(stat_lines)
    # A file name that is not UTF-8 comes from ``os`` with lone surrogates: as its bytes.
    return hashlib.sha256(f"{folder}\n{outputs}".encode("utf-8", "surrogateescape")
                          ).hexdigest()


class Look:
    """The output files as one pass of ``lstat`` found them: the stat of each found (the
    full check uses them rather than looking again) and its stamp's line (None: missing,
    or not a regular file), in the snapshot's order."""

    def __init__(self, out: Path, teacher: Path, outputs: list[str]):
        # Plain strings, no pathlib, no call but the system's: it runs for every file.
        root, teacher_root = os.fspath(out) + "/", os.fspath(teacher) + "/"
        cut = len(TEACHER)
        self.stats: dict[str, os.stat_result] = {}
        self.lines: list[str | None] = []
        stats, lstat, regular, add = self.stats, os.lstat, stat.S_ISREG, self.lines.append
        for rel in outputs:
            try:
                st = lstat(teacher_root + rel[cut:] if rel.startswith(TEACHER) else root + rel)
            except OSError:
                add(None)
                continue
            stats[rel] = st
            # ``_stat_line`` of its stamp, without making one.
            add(f"{st.st_size} {st.st_mtime_ns} {st.st_ctime_ns} {st.st_ino}"
                if regular(st.st_mode) else None)

    @cached_property
    def seen(self) -> str | None:
        """The hash of every file's stamp; None if one is missing or not a regular file."""
        if None in self.lines:
            return None
        return _outputs_seen(cast(list[str], self.lines))  # not one None, as just checked


def trusted(store: Store, found: Snapshot, look: Look, folders: Mapping[str, Signature]
            ) -> dict[str, Group]:
    """The groups of ``found`` whose files ``look`` found with the stamps recorded and
    whose article folder (listed with ``folders``) has the signature recorded, by slug
    (``SITE`` for the site-wide files): their entries and files hold as they are. Empty
    when the file of groups is missing, damaged, forged or of another snapshot."""
    body = store.read_sealed(_groups_path(store), found.groups_header)
    if body is None:
        return {}
    try:
        raw = json.loads(body)
        groups: dict[str, Group] = {}
        at = 0
        for slug, count, seen, card, warnings in raw:
            part = look.lines[at:at + count]
            outputs = found.outputs[at:at + count]
            at += count
            sig = [] if slug == SITE else folders.get(slug)
            if sig is None or len(part) != count or None in part:
                continue
            lines = cast(list[str], part)  # not one None, as just checked
            if group_seen(sig, lines) == seen:
                groups[str(slug)] = Group(outputs, str(seen), str(card), list(warnings), lines)
    except (TypeError, ValueError):
        return {}
    return groups


def load(store: Store, site_key: str, ident: str, manifest: str) -> Snapshot | None:
    """The snapshot of the last build of the store's output folder, if it was made with
    this site-wide key and this very manifest; None otherwise (or when it is damaged or
    forged)."""
    header = _header(site_key, ident, manifest)
    body = store.read_sealed(_path(store), header)
    if body is None:
        return None
    try:
        raw = json.loads(body)
        articles, seen = str(raw["articles"]), str(raw["outputs_seen"])
        snapshot = Snapshot(articles, seen, [str(rel) for rel in raw["outputs"]],
                            (int(raw["pages"][0]), int(raw["pages"][1])),
                            warnings_from_json(raw["site_warnings"]),
                            warnings_from_json(raw["article_warnings"]),
                            _groups_header(header, articles, seen))
    except (KeyError, TypeError, ValueError):
        return None
    return snapshot


def _groups_header(header: bytes, articles: str, outputs_seen: str) -> bytes:
    """The snapshot's header and its hashes: the groups of one build hold only with the
    snapshot of that build."""
    return json.dumps([header.decode(), articles, outputs_seen]).encode()


Made = tuple[str, Signature, list[str], str, list[list[Any]]]
"""A group this build made or checked: its slug, its folder's signature, its files
(sorted), its cards' hash (the site-wide files' key) and its warnings as kept."""


def save(store: Store, site_key: str, ident: str, manifest: str, articles: str,
         groups: Mapping[str, Group | Made], record: Callable[[str], FileRecord | None],
         pages: tuple[int, int], site_warnings: list[SiteWarning],
         article_warnings: list[SiteWarning]) -> None:
    """Record what a successful build saw (``articles`` as ``articles_seen`` hashes them),
    group by group, in slug order: a trusted ``Group`` as it was, a ``Made`` one with
    the stamps the manifests it left hold (``record``), stored as ``manifest`` stamps
    them; nothing when a file's stat is unknown, as after a killed build's commit was
    finished: the next build then runs the full check."""
    outputs: list[str] = []
    lines: list[str] = []
    rows: list[list[Any]] = []
    for slug, group in sorted(groups.items()):
        if isinstance(group, Group):
            assert group.lines is not None
            found, row = group.lines, [slug, len(group.outputs), group.seen, group.card,
                                       group.warnings]
            outputs += group.outputs
        else:
            _, sig, files, card, warnings = group
            found = []
            for rel in files:
                recorded = record(rel)
                if recorded is None or recorded.seen is None:
                    forget(store)
                    return
                found.append(_stat_line(recorded.seen))
            row = [slug, len(files), group_seen(sig, found), card, warnings]
            outputs += files
        lines += found
        rows.append(row)
    seen = _outputs_seen(lines)
    body = json.dumps({"articles": articles, "outputs_seen": seen,
                       "outputs": outputs, "pages": pages,
                       "site_warnings": warnings_json(site_warnings),
                       "article_warnings": warnings_json(article_warnings)},
                      ensure_ascii=False).encode("utf-8", JSON_SURROGATES)
    header = _header(site_key, ident, manifest)
    # The groups first: a snapshot is never left naming groups it was not written with.
    if not store.write_sealed(_groups_path(store), _groups_header(header, articles, seen),
                              json.dumps(rows, ensure_ascii=False).encode(
                                  "utf-8", JSON_SURROGATES)):
        forget(store)
        return
    store.write_sealed(_path(store), header, body)


def forget(store: Store) -> None:
    """Remove the snapshot: the next build runs the full check."""
    for path in (_path(store), _groups_path(store)):
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
