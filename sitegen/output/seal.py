"""Files sealed with a secret: a header line, the seal, then the body. The seal is the
HMAC of the header and body under a secret kept in the file's private folder, so only
sitegen, in this account, makes a seal that holds: a file edited, truncated or copied by
anyone else is found out in one pass of a hash, however big it is.

The build cache seals its files with the secret of the cache folder; the ledger of output
folders, its manifests with the secret of the state folder.
"""

from __future__ import annotations

import contextlib
import hmac
import os
from pathlib import Path

from sitegen import fs

SECRET_NAME = "secret"
SECRET_SIZE = 32


def secret(folder: Path) -> bytes | None:
    """The secret of ``folder`` (checked private by the caller), made on first use (0600);
    None when what is there is not a private regular file of the right size."""
    path = folder / SECRET_NAME
    if not path.exists():
        # Written whole, then linked into place: a build running at the same time sees
        # either no secret or the complete one, and the first link wins.
        with contextlib.suppress(FileExistsError):
            fs.atomic_write(path, os.urandom(SECRET_SIZE), exclusive=True, mode=0o600)
    found = fs.read_nofollow(path, limit=SECRET_SIZE + 1)
    if found is None or fs.private(found[1]) is not None or len(found[0]) != SECRET_SIZE:
        return None
    return found[0]


def seal(key: bytes, header: bytes, body: bytes) -> bytes:
    """The HMAC-SHA256 of the whole file under the folder's secret (fed in parts: a big
    body is not copied)."""
    mac = hmac.new(key, header + b"\n", "sha256")
    mac.update(body)
    return mac.hexdigest().encode()


def sealed(key: bytes | None, header: bytes, body: bytes) -> bytes:
    """The file's bytes; with no secret (``key`` None), a seal that never holds."""
    return b"\n".join([header, b"" if key is None else seal(key, header, body), body])


def holds(key: bytes | None, header: bytes, found: bytes, body: bytes) -> bool:
    """Whether the seal ``found`` is the one ``key`` gives header and body."""
    return key is not None and hmac.compare_digest(found, seal(key, header, body))
