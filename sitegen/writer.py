"""Write the built site: atomically, only changed files, removing only our own stale files.

The output folder carries a marker file that is also the manifest of what sitegen wrote
(path → SHA-256). sitegen writes only into an empty folder or one with its marker, never
into the content folder, and removes only files listed in its own manifest.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sitegen.errors import UsageError

MARKER = ".sitegen-manifest.json"
MARKER_KIND = "sitegen-output"


@dataclass
class WriteStats:
    written: int = 0
    unchanged: int = 0
    removed: int = 0


def _inside(child: Path, parent: Path) -> bool:
    return child == parent or parent in child.parents


def check_output_dir(out: Path, content: Path) -> None:
    """Refuse an output folder sitegen must not write into (a UsageError, exit 2)."""
    out_r, content_r = out.resolve(), content.resolve()
    if _inside(out_r, content_r):
        raise UsageError(f"--out {out} is inside the content folder {content}; "
                         "choose a folder outside it, such as _site")
    if _inside(content_r, out_r):
        raise UsageError(f"--out {out} contains the content folder {content}; "
                         "choose a separate folder, such as _site")
    if out_r.exists() and not out_r.is_dir():
        raise UsageError(f"--out {out} is a file, not a folder")
    if out_r.is_dir() and any(out_r.iterdir()) and read_manifest(out_r) is None:
        raise UsageError(f"--out {out} is not empty and was not made by sitegen; "
                         "sitegen only writes into an empty folder or one it made")


def read_manifest(out: Path) -> dict[str, str] | None:
    """The files sitegen wrote last time (path → hash), or None if the marker is absent."""
    try:
        data = json.loads((out / MARKER).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("kind") != MARKER_KIND:
        return None
    files = data.get("files")
    if not isinstance(files, dict):
        return None
    return {str(k): str(v) for k, v in files.items()}


def _safe_relpath(rel: str) -> PurePosixPath:
    path = PurePosixPath(rel)
    if path.is_absolute() or ".." in path.parts or not path.parts or rel == MARKER:
        raise ValueError(f"refusing to write outside the output folder: {rel!r}")
    return path


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, then rename over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_site(out: Path, files: dict[str, bytes]) -> WriteStats:
    """Make ``out`` hold exactly ``files`` (plus the marker), touching only what changed."""
    out.mkdir(parents=True, exist_ok=True)
    old = read_manifest(out) or {}
    stats = WriteStats()
    new: dict[str, str] = {}
    for rel in sorted(files):
        data = files[rel]
        digest = hashlib.sha256(data).hexdigest()
        target = out / _safe_relpath(rel)
        new[rel] = digest
        if old.get(rel) == digest and target.is_file() and target.stat().st_size == len(data):
            stats.unchanged += 1
            continue
        atomic_write(target, data)
        stats.written += 1
    for rel in sorted(set(old) - set(new)):
        try:
            target = out / _safe_relpath(rel)
        except ValueError:
            continue
        if target.is_file():
            target.unlink()
            stats.removed += 1
            _prune_empty_dirs(target.parent, out)
    manifest = {"kind": MARKER_KIND, "files": new}
    atomic_write(out / MARKER, (json.dumps(manifest, indent=0, sort_keys=True) + "\n").encode())
    return stats


def _prune_empty_dirs(folder: Path, root: Path) -> None:
    while folder != root and _inside(folder, root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
