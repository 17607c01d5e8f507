"""The locked teacher key: the page published in the students' site, with a class code, in
place of ``teacher.html`` (``sitegen.output.lock`` says what the lock is).

The page is the teacher sheet's frame (its title, strings and links, which give nothing
away) around a form asking for the code, and the key itself only as ciphertext, in a
``<script type="application/json">`` block the browser never runs. ``static/unlock.js``
decrypts it when the code is typed and puts the key on screen in place of this page; the
locked page sits where the key would, so the key's relative links work unchanged.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, fields

from sitegen.output.lock import ClassCode, seal
from sitegen.theme.templates import render_page
from sitegen.views.sheets import SheetFrame

CIPHER = "AES-256-GCM"
KDF = "PBKDF2-SHA256"


@dataclass(frozen=True, kw_only=True)
class LockedView(SheetFrame):
    """``locked.html``: a sheet's frame and the sealed key. It has no field for anything
    of the key but its ciphertext."""

    sealed: dict[str, str | int]
    """What ``unlock.js`` reads: the key derivation and cipher, with the salt, nonce and
    ciphertext in base64."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def locked_page(teacher_html: bytes, frame: SheetFrame, lock: ClassCode) -> bytes:
    """The locked page for a teacher key whose HTML is ``teacher_html``; ``frame`` is the
    key's view (``TeacherView``) or any view of the same sheet: only its frame is kept."""
    sealed = seal(teacher_html, lock)
    # Only the fields of SheetFrame: a TeacherView's notes and answers stay behind.
    sheet = {f.name: getattr(frame, f.name) for f in fields(SheetFrame)}
    view = LockedView(**sheet, sealed={
        "kdf": KDF, "iterations": sealed.iterations, "salt": _b64(sealed.salt),
        "cipher": CIPHER, "nonce": _b64(sealed.nonce), "data": _b64(sealed.data)})
    return render_page("locked.html", view).encode("utf-8")
