"""The build cache on disk: what each article produced last time, and from what.

One state file per output folder, in the user's cache folder (never in the site or the
content): a header line, then one line per article, parsed only when its article is
looked at (``Entries``). An entry is reused only when the article's files and the
site-wide inputs are unchanged *and* every file it produced is still in the output folder
as sitegen wrote it (which the build's snapshot may vouch for, see ``snapshot``).

The cache holds data, never code, and is checked rather than trusted: the file carries an
HMAC of its bytes (the site-wide key and every entry), under a secret kept in the cache
folder, so a file edited, truncated or copied by anyone but sitegen is a miss. The folder is
created private (0700) and not used at all when another user owns it or others may write
to it. A missing, corrupt or foreign file is ignored: the build starts afresh.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from sitegen import __version__, fs
from sitegen.errors import SiteError, SiteWarning, SourceLocation
from sitegen.fs import Stamp, read_regular
from sitegen.output import seal
from sitegen.output.stage import Staged

FORMAT = "sitegen-build-cache/7"
"""/7: each line is parsed when its entry is first used (``Entries``)."""

JSON_SURROGATES = "backslashreplace"
"""How JSON written with ``ensure_ascii=False`` encodes a lone surrogate (a file name that
is not UTF-8, as ``os`` gives it): as ``\\udcff``, which is JSON's own escape for it, so
it reads back as the same name."""

Signature = list[tuple[str, Stamp]]
"""The name and stamp of each file of an article folder, sorted: a cheap change test."""


LIBRARIES = ("markdown-it-py", "mdit-py-plugins", "jinja2", "markupsafe", "pyyaml",
             "weasyprint", "pydyf", "pypdf", "cryptography")
"""Every library that shapes what a build writes: a new version of one may write other
pages or PDFs, so the site-wide key holds their versions."""


@functools.cache
def library_versions() -> str:
    """The installed version of each of ``LIBRARIES``, without importing any (a build with
    nothing to do imports none of them). Read once per process: a process that imported a
    library renders with that version, whatever is installed since.

    Installers name a package's metadata folder ``name-version.dist-info``: the folders of
    ``sys.path`` are listed in order, as Python's importer looks for the packages, and the
    first such folder of a library gives its version. A library found no such way (an egg,
    a zip) is asked of ``importlib.metadata``, which takes longer to import than the rest
    of this takes to run (about 25 ms, in every build)."""
    wanted = {_normal(name): name for name in LIBRARIES}
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:  # a zip, a folder gone
            continue
        for name in names:
            if name.endswith(".dist-info"):
                dist, dash, version = name[:-len(".dist-info")].rpartition("-")
                if dash and _normal(dist) in wanted:
                    found.setdefault(wanted[_normal(dist)], version)
    missing = [name for name in LIBRARIES if name not in found]
    if missing:
        from importlib import metadata

        for name in missing:
            try:
                found[name] = metadata.version(name)
            except metadata.PackageNotFoundError:
                found[name] = "none"
    return " ".join(f"{name}={found[name]}" for name in LIBRARIES)


def _normal(name: str) -> str:
    """A distribution's name as its metadata folder may spell it, normalised (PEP 503)."""
    return re.sub(r"[-_.]+", "_", name).lower()


def signature(folder: Path) -> Signature:
    """Runs for every article of every build: one directory read, a stat per file."""
    items = []
    with os.scandir(folder) as entries:
        for entry in entries:
            try:
                if entry.is_file():
                    items.append((entry.name, Stamp.of(entry.stat())))
            except OSError:  # a loop of links: loading the article reports it
                pass
    items.sort()
    return items


def input_bytes(path: Path, display: str, root: Path) -> bytes:
    """A content file's bytes for a cache key, read as content is (``root`` is the
    content folder); a file that may not be read counts by its error, which loading the
    content then reports."""
    try:
        return read_regular(path, display, root)
    except SiteError as exc:
        return exc.message.encode()


def content_key(site_key: str, folder: Path, sig: Signature) -> str:
    """A hash of everything an article's pages depend on: the site-wide key and the
    bytes of each of its files (``folder`` is ``<content>/articles/<slug>``)."""
    h = hashlib.sha256(site_key.encode())
    for name, _ in sig:
        data = input_bytes(folder / name, name, folder.parent.parent)
        # A name need not be UTF-8 (a file from another system): its bytes, as on disk.
        h.update(os.fsencode(name) + b"\0" + len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def warnings_json(warnings: list[SiteWarning]) -> list[list[Any]]:
    """Warnings as kept in the cache's files."""
    return [[w.message, w.location.path, w.location.line, w.location.column, w.hint]
            for w in warnings]


def warnings_from_json(raw: list[list[Any]]) -> list[SiteWarning]:
    return [SiteWarning(str(m), SourceLocation(str(p), int(li), int(co)),
                        None if h is None else str(h)) for m, p, li, co, h in raw]


@dataclass
class Entry:
    """What one article (or the site-wide files, under ``SITE``) produced, and the key of
    the inputs it was produced from. Fields are kept in their JSON form, but for the
    signature, whose stamps are rebuilt when the cache is read."""

    key: str
    files: dict[str, list[Any]]
    """Output path → [hash, size]."""
    signature: Signature = field(default_factory=list)
    cards: dict[str, str] = field(default_factory=dict)
    """Edition → the article's card on that edition's index, as HTML."""
    warnings_json: list[list[Any]] = field(default_factory=list)
    pdf_inputs: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = field(default=None, compare=False)
    """The entry's line as read from the state file, while it still holds."""

    @classmethod
    def made(cls, key: str, files: dict[str, Staged], *, sig: Signature | None = None,
             cards: dict[str, str] | None = None, warnings: list[SiteWarning] | None = None,
             pdf_inputs: dict[str, str] | None = None) -> Entry:
        return cls(
            key, {rel: [f.digest, f.size] for rel, f in files.items()}, sig or [],
            cards or {},
            warnings_json(warnings or []),
            pdf_inputs or {},
        )

    @cached_property
    def warnings(self) -> list[SiteWarning]:
        return warnings_from_json(self.warnings_json)

    @cached_property
    def card_digest(self) -> str:
        """A hash of the article's cards: what the index pages take from it."""
        return hashlib.sha256(json.dumps(self.cards, sort_keys=True).encode()).hexdigest()

    def add(self, files: dict[str, Staged]) -> None:
        """Files made after the entry (an article's PDFs, made on every core)."""
        self.files = dict(sorted({**self.files, **{rel: [f.digest, f.size]
                                                    for rel, f in files.items()}}.items()))
        self.raw = None

    def resign(self, sig: Signature) -> None:
        """The article's files were touched but not changed: record their new signature."""
        if sig != self.signature:
            self.signature = sig
            self.raw = None

    def line(self, slug: str) -> bytes:
        if self.raw is None:
            self.raw = json.dumps([slug, self.key, self.files, self.signature, self.cards,
                                   self.warnings_json, self.pdf_inputs],
                                  separators=(",", ":"), ensure_ascii=False
                                  ).encode("utf-8", JSON_SURROGATES)
        return self.raw

    @classmethod
    def from_json(cls, raw: bytes, line: list[Any]) -> tuple[str, Entry]:
        """An entry from its line in the state file, as bytes and as parsed."""
        slug, key, files, sig, cards, warnings, pdf_inputs = line
        for value in files.values():
            if not (isinstance(value, list) and len(value) == 2):
                raise ValueError("bad file record")
        if not all(isinstance(html, str) for html in cards.values()):
            raise ValueError("bad card")
        # JSON gives lists: made tuples again, to compare with a signature taken now.
        signed = [(str(name), Stamp(*stamp)) for name, stamp in sig]
        entry = cls(str(key), dict(files), signed, dict(cards), list(warnings),
                    dict(pdf_inputs), raw)
        return str(slug), entry


SITE = ""
"""The key under which the site-wide files (indexes, assets) are kept."""


class Entries(Mapping[str, Entry]):
    """The entries of a build, slug → entry; those read from the state file stay the
    line they were read as until first looked up, so a build that trusts most articles
    from the snapshot parses only the others, and writes the rest back as read. A line
    that does not parse (it cannot be forged: the file is sealed) counts as no entry."""

    def __init__(self, items: Mapping[str, Entry | bytes] | None = None):
        self._items: dict[str, Entry | bytes] = dict(items or {})

    def __getitem__(self, slug: str) -> Entry:
        found = self._items[slug]
        if isinstance(found, bytes):
            try:
                found = Entry.from_json(found, json.loads(found))[1]
            except (ValueError, TypeError, AttributeError):
                del self._items[slug]
                raise KeyError(slug) from None
            self._items[slug] = found
        return found

    def __contains__(self, slug: object) -> bool:
        return slug in self._items  # without parsing the line

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def line(self, slug: str) -> bytes:
        """The entry's line in the state file, as read when it was not looked up."""
        found = self._items[slug]
        return found if isinstance(found, bytes) else found.line(slug)

    def updated(self, changed: Mapping[str, Entry], kept: set[str]) -> Entries:
        """The entries ``changed``, and this mapping's entries of the slugs ``kept`` as
        they are (a line not parsed yet is written back as it was read)."""
        items: dict[str, Entry | bytes] = {slug: self._items[slug] for slug in kept}
        items.update(changed)
        return Entries(dict(sorted(items.items())))


def cache_folder() -> Path:
    """$XDG_CACHE_HOME/sitegen, or ~/.cache/sitegen."""
    return fs.user_folder("XDG_CACHE_HOME", ".cache") / "sitegen"


def default_path(out: Path) -> Path:
    """Where the cache of one output folder lives, named by a hash of its full path."""
    name = hashlib.sha256(os.fsencode(out.resolve())).hexdigest()[:24]
    return cache_folder() / f"{name}.state"


class Store:
    """The cache file of one output folder. ``problem`` says why it is not used, if so."""

    def __init__(self, out: Path):
        self.path = default_path(out)
        self.problem: str | None = None
        self._secret: bytes | None = None
        self._saved: tuple[str, list[bytes]] | None = None

    def _key(self) -> bytes | None:
        """The secret lines are signed with, made on first use; None if the folder is
        not safe to use (``problem`` then says why)."""
        if self._secret is None and self.problem is None:
            try:
                self._secret = _secret(self.path.parent)
            except OSError as exc:
                self.problem = f"cannot use the build cache folder: {exc.strerror or exc}"
            except _Unsafe as exc:
                self.problem = str(exc)
        return self._secret

    def read_sealed(self, path: Path, header: bytes) -> bytes | None:
        """The body of a file of the cache folder written by ``write_sealed`` with this
        very header; None when it is missing, has another header or its seal does not
        hold."""
        key = self._key()
        if key is None:
            return None
        read = fs.read_nofollow(path)  # never a FIFO, never through a link
        try:
            found, found_seal, body = (b"" if read is None else read[0]).split(b"\n", 2)
        except ValueError:
            return None
        if found != header or not seal.holds(key, header, found_seal, body):
            return None
        return body

    def write_sealed(self, path: Path, header: bytes, body: bytes) -> bool:
        """Write a header line, the seal of both, then the body; False if it could not
        be written (a cache that cannot be written only costs speed next time)."""
        key = self._key()
        if key is None:
            return False
        try:
            fs.atomic_write(path, seal.sealed(key, header, body))
        except OSError:
            return False
        return True

    def load(self, site_key: str) -> Entries:
        """The entries saved for ``site_key``, each parsed when first used (see
        ``Entries``); none when the file's seal does not hold."""
        body = self.read_sealed(self.path, _header(site_key))
        if body is None:
            return Entries()
        lines = body.split(b"\n")
        items: dict[str, Entry | bytes] = {}
        for line in lines:
            # ["<slug>",...: a slug is a folder name of ``names.ID_RE``, which JSON
            # writes as it is (the site-wide entry's is empty).
            end = line.find(b'"', 2)
            if not line.startswith(b'["') or end < 0 or b"\\" in line[:end]:
                return Entries()
            items[line[2:end].decode("utf-8", "surrogateescape")] = line
        self._saved = (site_key, lines)
        return Entries(items)

    def save(self, site_key: str, entries: Entries) -> bool:
        """Write the entries, unless they are exactly what the file already holds;
        whether the file holds them now."""
        lines = [entries.line(slug) for slug in sorted(entries)]
        if self._saved == (site_key, lines):
            return True
        if not self.write_sealed(self.path, _header(site_key), b"\n".join(lines)):
            return False
        self._saved = (site_key, lines)
        return True


def _header(site_key: str) -> bytes:
    return json.dumps([FORMAT, __version__, site_key]).encode()


class _Unsafe(Exception):
    """The cache folder could be written by someone else: it is not used."""


def _secret(folder: Path) -> bytes:
    """The cache folder's secret, after checking the folder is private; created with the
    folder (0700) and the file (0600) on first use."""
    why = fs.private_folder(folder)
    if why is not None:
        fix = ("remove it, or set XDG_CACHE_HOME" if why == fs.ANOTHER_USER
               else f"chmod 700 {folder}")
        raise _Unsafe(f"the build cache folder {folder} {why}; it is not used ({fix})")
    found = seal.secret(folder)
    if found is None:
        raise _Unsafe(f"the build cache's secret {folder / seal.SECRET_NAME} is not "
                      "sitegen's; the cache is not used (remove the file)")
    return found
