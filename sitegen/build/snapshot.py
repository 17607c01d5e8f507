"""What the last successful build of an output folder saw, kept in one small sealed file,
so that a build with nothing to do finds that out without reading the ledger's manifest or
the build cache (several megabytes each on a big site).

The file's header names the site-wide key, the output folder's ledger id and its manifest
as stored (``ledger.stamp``: the file's size, times and inode); its body holds a hash of
every article folder's signature, a hash of every output file's stamp (``fs.Stamp``:
size, mtime, ctime, inode), the list of those files and what that build reported. A
build that finds the same header and, looking again, the same hashes has nothing to do:
each article's signature is the one its cache entry was made with, and each output file
has the stamp the manifest recorded after writing or checking it, which is all the full
check trusts too. Any difference, and the build runs the full check (an article changed:
it does not look at the output files first).

The file lives beside the build cache and is sealed like it, with the cache folder's
secret: a forged snapshot is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sitegen import __version__
from sitegen.build.cache import JSON_SURROGATES, Signature, Store, warnings_from_json, warnings_json
from sitegen.errors import SiteWarning
from sitegen.fs import Stamp
from sitegen.output.ledger import FileRecord
from sitegen.output.stage import local_path

FORMAT = "sitegen-snapshot/4"
"""/4: two folders (the site's and the teacher's), pages counted in each."""

Articles = list[tuple[str, Signature]]
"""Each article folder's name and signature, sorted by name."""


@dataclass(frozen=True)
class Snapshot:
    """A successful build's look at its inputs and outputs, and what it reported."""

    articles: str
    """The hash of the article folders' names and signatures (see ``articles_seen``)."""
    outputs_seen: str
    """The hash of the output files' stats (see ``look``)."""
    outputs: list[str]
    """Every file the build made, sorted (the teacher's as ``output.stage`` names them)."""
    pages: tuple[int, int]
    """The HTML pages of the site and of the teacher's folder."""
    site_warnings: list[SiteWarning]
    article_warnings: list[SiteWarning]


def _path(store: Store) -> Path:
    """Beside the build cache's state file of the same output folder."""
    return store.path.with_suffix(".snapshot")


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
    return hashlib.sha256("\n".join(stat_lines).encode()).hexdigest()


def look(out: Path, teacher: Path, outputs: list[str]
         ) -> tuple[str | None, dict[str, os.stat_result]]:
    """The hash of the output files' stats now (None if one is missing or is not a
    regular file), and the stat of each file found, which the full check then uses
    rather than looking again. Plain strings, no pathlib: it runs for every file."""
    root, teacher_root = os.fspath(out), os.fspath(teacher)
    stats: dict[str, os.stat_result] = {}
    lines = []
    whole = True
    for rel in outputs:
        try:
            st = os.lstat(local_path(root, teacher_root, rel))
        except OSError:
            whole = False
            continue
        stats[rel] = st
        whole = whole and stat.S_ISREG(st.st_mode)
        lines.append(_stat_line(Stamp.of(st)))
    return (_outputs_seen(lines) if whole else None), stats


def _recorded(files: Mapping[str, FileRecord]) -> tuple[str, list[str]] | None:
    """The hash a look would give if nothing changed after the build that recorded
    ``files``; None if a file's stat was not recorded."""
    outputs = sorted(files)
    lines = []
    for rel in outputs:
        record = files[rel]
        if record.seen is None:
            return None
        lines.append(_stat_line(record.seen))
    return _outputs_seen(lines), outputs


def load(store: Store, site_key: str, ident: str, manifest: str) -> Snapshot | None:
    """The snapshot of the last build of the store's output folder, if it was made with
    this site-wide key and this very manifest; None otherwise (or when it is damaged or
    forged)."""
    body = store.read_sealed(_path(store), _header(site_key, ident, manifest))
    if body is None:
        return None
    try:
        raw = json.loads(body)
        snapshot = Snapshot(str(raw["articles"]), str(raw["outputs_seen"]),
                            [str(rel) for rel in raw["outputs"]],
                            (int(raw["pages"][0]), int(raw["pages"][1])),
                            warnings_from_json(raw["site_warnings"]),
                            warnings_from_json(raw["article_warnings"]))
    except (KeyError, TypeError, ValueError):
        return None
    return snapshot


def save(store: Store, site_key: str, ident: str, manifest: str,
         articles: str, recorded: Mapping[str, FileRecord], pages: tuple[int, int],
         site_warnings: list[SiteWarning], article_warnings: list[SiteWarning]) -> None:
    """Record what a successful build saw (``articles`` as ``articles_seen`` hashes them,
    ``recorded`` the files the manifests it left hold, stored as ``manifest`` stamps
    them); nothing when a
    file's stat is unknown, as after a killed build's commit was finished: the next build
    then runs the full check."""
    found = _recorded(recorded)
    if found is None:
        with contextlib.suppress(OSError):
            _path(store).unlink(missing_ok=True)
        return
    seen, outputs = found
    body = json.dumps({"articles": articles, "outputs_seen": seen,
                       "outputs": outputs, "pages": pages,
                       "site_warnings": warnings_json(site_warnings),
                       "article_warnings": warnings_json(article_warnings)},
                      ensure_ascii=False).encode("utf-8", JSON_SURROGATES)
    store.write_sealed(_path(store), _header(site_key, ident, manifest), body)
