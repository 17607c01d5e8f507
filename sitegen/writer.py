"""Write the built site: atomically, only changed files, removing only our own stale files.

The output folder carries a marker file that is also the manifest of what sitegen wrote
(path → SHA-256). sitegen writes only into an empty folder or one with its marker, never
into the content folder, and removes only files listed in its own manifest.

The manifest also keeps the input key of each PDF (``pdf_inputs``: path → key), so the
next build, in another process, can keep a PDF whose inputs are unchanged instead of
making it again (``Previous.reuse``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
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


def _read_marker(out: Path) -> dict[str, dict[str, str]] | None:
    try:
        data = json.loads((out / MARKER).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("kind") != MARKER_KIND:
        return None
    files = data.get("files")
    if not isinstance(files, dict):
        return None
    inputs = data.get("pdf_inputs")
    return {"files": {str(k): str(v) for k, v in files.items()},
            "pdf_inputs": {str(k): str(v) for k, v in inputs.items()}
            if isinstance(inputs, dict) else {}}


def read_manifest(out: Path) -> dict[str, str] | None:
    """The files sitegen wrote last time (path → hash), or None if the marker is absent."""
    marker = _read_marker(out)
    return None if marker is None else marker["files"]


@dataclass(frozen=True)
class Previous:
    """What the last build left in an output folder, for reusing its PDFs."""

    out: Path
    files: dict[str, str] = field(default_factory=dict)
    pdf_inputs: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, out: Path) -> Previous:
        marker = _read_marker(out) or {"files": {}, "pdf_inputs": {}}
        return cls(out, marker["files"], marker["pdf_inputs"])

    def reuse(self, rel: str, key: str) -> bytes | None:
        """The bytes of ``rel`` if it was made from inputs with this key and is still the
        file sitegen wrote (same hash); otherwise None, and the caller makes it again."""
        if self.pdf_inputs.get(rel) != key or rel not in self.files:
            return None
        try:
            data = (self.out / _safe_relpath(rel)).read_bytes()
        except (OSError, ValueError):
            return None
        return data if hashlib.sha256(data).hexdigest() == self.files[rel] else None


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


STAGING_PREFIX = ".sitegen-tmp-"


@dataclass(frozen=True)
class Staged:
    """One output file of a build: its hash and size, and where its new bytes wait
    (``None`` when the file already in place has exactly these bytes)."""

    digest: str
    size: int
    temp: str | None = None


def stage(out: Path, staging: Path | None, old: Mapping[str, str], rel: str,
          data: bytes) -> Staged:
    """Hash ``data`` and, unless the file in place already holds it, write it to a
    temporary file in ``staging`` (inside ``out``). Safe to call from worker processes."""
    target = out / _safe_relpath(rel)
    digest = hashlib.sha256(data).hexdigest()
    if old.get(rel) == digest and _size(target) == len(data):
        return Staged(digest, len(data))
    if staging is None:
        return Staged(digest, len(data))
    staging.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=staging, suffix=Path(rel).suffix)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(tmp, 0o644)
    return Staged(digest, len(data), tmp)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -1


def is_in_place(out: Path, old: Mapping[str, str], rel: str, digest: str, size: int) -> bool:
    """Whether the file sitegen wrote at ``rel`` is still there with these bytes' hash.

    Called for every file of an unchanged site, so it avoids pathlib on purpose."""
    if old.get(rel) != digest or rel.startswith("/") or ".." in rel.split("/"):
        return False
    try:
        return os.stat(os.path.join(out, rel)).st_size == size
    except OSError:
        return False


def new_staging(out: Path) -> Path:
    """A fresh private folder inside ``out`` for the files of one build."""
    out.mkdir(parents=True, exist_ok=True)
    for leftover in out.glob(STAGING_PREFIX + "*"):
        # left by a build that was killed; nothing of it was ever moved into the site
        shutil.rmtree(leftover, ignore_errors=True)
    return Path(tempfile.mkdtemp(dir=out, prefix=STAGING_PREFIX))


def commit(out: Path, staging: Path, files: Mapping[str, Staged], old: Mapping[str, str],
           pdf_inputs: Mapping[str, str] | None = None) -> WriteStats:
    """Move the staged files into place (each a rename, so atomic), remove the files of
    the last build (``old``, its manifest) that are no longer produced, and write the
    manifest."""
    stats = WriteStats()
    for rel in sorted(files):
        item = files[rel]
        if item.temp is None:
            stats.unchanged += 1
            continue
        target = out / _safe_relpath(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(item.temp, target)
        stats.written += 1
    for rel in sorted(set(old) - set(files)):
        try:
            target = out / _safe_relpath(rel)
        except ValueError:
            continue
        if target.is_file():
            target.unlink()
            stats.removed += 1
            _prune_empty_dirs(target.parent, out)
    manifest: dict[str, object] = {"kind": MARKER_KIND,
                                   "files": {k: files[k].digest for k in sorted(files)}}
    if pdf_inputs:
        manifest["pdf_inputs"] = {k: v for k, v in sorted(pdf_inputs.items()) if k in files}
    new_marker = (json.dumps(manifest, indent=0, sort_keys=True) + "\n").encode()
    try:
        unchanged = (out / MARKER).read_bytes() == new_marker
    except OSError:
        unchanged = False
    if not unchanged:
        atomic_write(out / MARKER, new_marker)
    shutil.rmtree(staging, ignore_errors=True)
    return stats


def write_site(out: Path, files: dict[str, bytes],
               pdf_inputs: Mapping[str, str] | None = None) -> WriteStats:
    """Make ``out`` hold exactly ``files`` (plus the marker), touching only what changed.

    ``pdf_inputs`` (path → input key) is kept in the manifest for the files written."""
    old = read_manifest(out) or {}
    staging = new_staging(out)
    try:
        staged = {rel: stage(out, staging, old, rel, files[rel]) for rel in sorted(files)}
        return commit(out, staging, staged, old, pdf_inputs)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _prune_empty_dirs(folder: Path, root: Path) -> None:
    while folder != root and _inside(folder, root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
