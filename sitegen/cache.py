"""The build cache on disk: what each article produced last time, and from what.

One JSON file per output folder, in the user's cache folder (never in the site or the
content). An entry is reused only when the article's files and the site-wide inputs are
unchanged *and* every file it produced is still in the output folder as sitegen wrote
it. A missing, truncated, corrupt or foreign cache file is ignored (the build starts
afresh), never trusted. Entries stay in their JSON form until a field is needed, so an
unchanged site of thousands of articles is checked in a fraction of a second.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from sitegen import __version__
from sitegen.errors import SiteWarning, SourceLocation
from sitegen.model import Localized
from sitegen.pages import ArticleSummary
from sitegen.writer import Staged, atomic_write

FORMAT = "sitegen-build-cache/2"

Signature = list[list[Any]]
"""[name, size, mtime in ns] of each file of an article folder: a cheap change test."""


def signature(folder: Path) -> Signature:
    items = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_file():
                st = entry.stat()
                items.append([entry.name, st.st_size, st.st_mtime_ns])
    items.sort()
    return items


def content_key(site_key: str, folder: Path, sig: Signature) -> str:
    """A hash of everything an article's pages depend on: the site-wide key and the
    bytes of each of its files."""
    h = hashlib.sha256(site_key.encode())
    for name, _, _ in sig:
        data = (folder / name).read_bytes()
        h.update(name.encode() + b"\0" + len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


@dataclass
class Entry:
    """What one article (or the site-wide files, under ``SITE``) produced, and the key of
    the inputs it was produced from. Fields are kept in their JSON form."""

    key: str
    files: dict[str, list[Any]]
    """Output path → [hash, size]."""
    signature: Signature = field(default_factory=list)
    summary_json: list[Any] = field(default_factory=list)
    warnings_json: list[list[Any]] = field(default_factory=list)
    pdf_inputs: dict[str, str] = field(default_factory=dict)

    @classmethod
    def made(cls, key: str, files: dict[str, Staged], *, sig: Signature | None = None,
             summary: ArticleSummary | None = None, warnings: list[SiteWarning] | None = None,
             pdf_inputs: dict[str, str] | None = None) -> Entry:
        s = summary
        return cls(
            key, {rel: [f.digest, f.size] for rel, f in files.items()}, sig or [],
            [s.slug, s.title, s.language,
             [list(t) for t in s.summary.texts] if s.summary else None, s.highlights]
            if s else [],
            [[w.message, w.location.path, w.location.line, w.location.column, w.hint]
             for w in warnings or []],
            pdf_inputs or {},
        )

    @cached_property
    def summary(self) -> ArticleSummary:
        slug, title, language, summary, highlights = self.summary_json
        texts = Localized(tuple((str(a), str(b)) for a, b in summary)) if summary else None
        return ArticleSummary(str(slug), str(title), str(language), texts, int(highlights))

    @cached_property
    def warnings(self) -> list[SiteWarning]:
        return [SiteWarning(str(m), SourceLocation(str(p), int(li), int(co)),
                            None if h is None else str(h))
                for m, p, li, co, h in self.warnings_json]

    def staged(self) -> dict[str, Staged]:
        return {rel: Staged(str(d), int(size)) for rel, (d, size) in self.files.items()}

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "files": self.files, "signature": self.signature,
                "summary": self.summary_json, "warnings": self.warnings_json,
                "pdf_inputs": self.pdf_inputs}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Entry:
        entry = cls(str(raw["key"]), dict(raw["files"]), list(raw["signature"]),
                    list(raw["summary"]), list(raw["warnings"]), dict(raw["pdf_inputs"]))
        for value in entry.files.values():
            if not (isinstance(value, list) and len(value) == 2):
                raise ValueError("bad file record")
        return entry


SITE = ""
"""The key under which the site-wide files (indexes, assets) are kept."""


def default_path(out: Path) -> Path:
    """Where the cache of one output folder lives: $XDG_CACHE_HOME/sitegen (or
    ~/.cache/sitegen), named by a hash of the folder's full path."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "sitegen"
    name = hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:24]
    return base / f"{name}.json"


def load(path: Path, site_key: str) -> dict[str, Entry]:
    """The entries saved for ``site_key``, or none when the file is unusable."""
    try:
        data = json.loads(path.read_bytes())
        if (not isinstance(data, dict) or data.get("format") != FORMAT
                or data.get("sitegen") != __version__ or data.get("site_key") != site_key):
            return {}
        return {str(slug): Entry.from_json(raw) for slug, raw in data["entries"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def save(path: Path, site_key: str, entries: dict[str, Entry]) -> None:
    data = {"format": FORMAT, "sitegen": __version__, "site_key": site_key,
            "entries": {slug: e.to_json() for slug, e in sorted(entries.items())}}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, json.dumps(data, separators=(",", ":")).encode("utf-8"))
    except OSError:
        pass  # a cache that cannot be written only costs speed next time
