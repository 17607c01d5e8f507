"""The build cache on disk: what each article produced last time, and from what.

One JSON file per output folder, in the user's cache folder (never in the site or the
content). An entry is reused only when the article's files and the site-wide inputs are
unchanged *and* every file it produced is still in the output folder as sitegen wrote
it. A missing, truncated, corrupt or foreign cache file is ignored (the build starts
afresh), never trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitegen import __version__
from sitegen.errors import SiteWarning, SourceLocation
from sitegen.model import Localized
from sitegen.pages import ArticleSummary
from sitegen.writer import Staged, atomic_write

FORMAT = "sitegen-build-cache/1"

Signature = tuple[tuple[str, int, int], ...]
"""(name, size, mtime in ns) of each file of an article folder: a cheap change test."""


def signature(folder: Path) -> Signature:
    items = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_file():
                st = entry.stat()
                items.append((entry.name, st.st_size, st.st_mtime_ns))
    return tuple(sorted(items))


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
    """What one article produced, and the inputs it was produced from."""

    signature: Signature
    key: str
    summary: ArticleSummary
    files: dict[str, Staged]
    """Output path → hash and size (never a temporary file here)."""
    warnings: list[SiteWarning]
    pdf_inputs: dict[str, str]


def default_path(out: Path) -> Path:
    """Where the cache of one output folder lives: $XDG_CACHE_HOME/sitegen (or
    ~/.cache/sitegen), named by a hash of the folder's full path."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "sitegen"
    name = hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:24]
    return base / f"{name}.json"


def load(path: Path, site_key: str) -> dict[str, Entry]:
    """The entries saved for ``site_key``, or none when the file is unusable."""
    try:
        data = json.loads(path.read_text("utf-8"))
        if (not isinstance(data, dict) or data.get("format") != FORMAT
                or data.get("sitegen") != __version__ or data.get("site_key") != site_key):
            return {}
        return {slug: _entry(raw) for slug, raw in data["articles"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def save(path: Path, site_key: str, entries: dict[str, Entry]) -> None:
    data = {"format": FORMAT, "sitegen": __version__, "site_key": site_key,
            "articles": {slug: _raw(e) for slug, e in sorted(entries.items())}}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, json.dumps(data, separators=(",", ":")).encode("utf-8"))
    except OSError:
        pass  # a cache that cannot be written only costs speed next time


def _raw(e: Entry) -> dict[str, Any]:
    s = e.summary
    return {
        "signature": [list(item) for item in e.signature], "key": e.key,
        "summary": [s.slug, s.title, s.language,
                    [list(t) for t in s.summary.texts] if s.summary else None, s.highlights],
        "files": {rel: [f.digest, f.size] for rel, f in e.files.items()},
        "warnings": [[w.message, w.location.path, w.location.line, w.location.column, w.hint]
                     for w in e.warnings],
        "pdf_inputs": e.pdf_inputs,
    }


def _entry(raw: dict[str, Any]) -> Entry:
    slug, title, language, summary, highlights = raw["summary"]
    return Entry(
        signature=tuple((str(n), int(size), int(mtime)) for n, size, mtime in raw["signature"]),
        key=str(raw["key"]),
        summary=ArticleSummary(str(slug), str(title), str(language),
                               Localized(tuple((str(a), str(b)) for a, b in summary))
                               if summary else None, int(highlights)),
        files={str(rel): Staged(str(d), int(size)) for rel, (d, size) in raw["files"].items()},
        warnings=[SiteWarning(str(m), SourceLocation(str(p), int(li), int(co)),
                              None if h is None else str(h))
                  for m, p, li, co, h in raw["warnings"]],
        pdf_inputs={str(k): str(v) for k, v in raw["pdf_inputs"].items()},
    )
