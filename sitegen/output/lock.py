"""The class code: the teacher key published inside the students' site, locked.

With ``SITEGEN_TEACHER_CODE`` set, a build also writes the teacher key into the students'
folder, in two locked forms: ``teacher.html`` holds only ciphertext, which the browser
decrypts when the code is typed (``static/unlock.js``, with Web Crypto), and ``teacher.pdf``
is an encrypted PDF that opens with the code in any PDF reader.

The page's lock: a 256-bit key derived from the code with PBKDF2-HMAC-SHA256 (a random
salt per build, ``ITERATIONS`` rounds, so that each guess costs the guesser that much
work), and AES-256-GCM with a fresh nonce per page. GCM authenticates: a wrong code fails
as a whole, it never decrypts to garbage. The key is derived once per build (``class_code``):
every locked page of the build shares the salt, so the browser derives the same key again.

The code is never written anywhere: not into the pages (only the salt, the rounds, the
nonce and the ciphertext are), not into the cache, not into a log. A ``ClassCode`` keeps it
(the PDF lock needs it) but hides it and the key from ``repr``; it travels to worker
processes by pickling, in memory only, and must never be part of a cache key. Locked files
differ from one build to the next (a new salt and nonces): they are made afresh each build.
"""

from __future__ import annotations

import io
import os
import unicodedata
from dataclasses import dataclass, field

from sitegen.errors import UsageError

ENV = "SITEGEN_TEACHER_CODE"
"""The environment variable that holds the class code."""
ITERATIONS = 600_000
"""PBKDF2-HMAC-SHA256 rounds: OWASP's 2023 figure. About half a second in a browser."""
SALT_BYTES = 16
NONCE_BYTES = 12
"""AES-GCM's standard nonce; random per page, so never reused under one key."""
SHORT = 8
"""Codes shorter than this are accepted with a warning (``code_warning``)."""
PDF_LONGEST = 32
"""The longest code, in UTF-8 bytes, that Poppler (22.12, Debian 12) accepts for an AES-256
PDF: it cuts longer passwords short, where the standard allows 127 bytes. Longer codes are
accepted with a warning."""


@dataclass(frozen=True)
class ClassCode:
    """The class code of one build, with its salt and the key derived from them."""

    code: str = field(repr=False)
    """Normalized (``normalize``): what the teacher types, as the browser sees it."""
    salt: bytes
    iterations: int
    key: bytes = field(repr=False)
    """32 bytes, for AES-256-GCM."""


@dataclass(frozen=True)
class Sealed:
    """One page's plaintext, encrypted: all a browser needs to decrypt it with the code."""

    salt: bytes
    iterations: int
    nonce: bytes
    data: bytes
    """The ciphertext followed by GCM's 16-byte tag (as Web Crypto reads it)."""


def normalize(code: str) -> str:
    """The code as both locks use it: Unicode NFKC (as PDF readers prepare an AES-256
    password, SASLprep), without surrounding white space. The browser does the same with
    what is typed, so a code with accents opens on every platform."""
    return unicodedata.normalize("NFKC", code).strip()


def checked(code: str) -> str:
    """``code`` normalized (``normalize``); a UsageError when it is empty or only white
    space."""
    code = normalize(code)
    if not code:
        raise UsageError(f"{ENV} is set but empty: give the class code (a long passphrase is "
                         f"best), or unset {ENV} to publish the teacher key only in the "
                         "teacher's folder")
    return code


def class_code(code: str) -> ClassCode:
    """Derive the build's key from ``code``: once per build, it takes a moment on purpose.

    Raises UsageError when the code is empty or only white space."""
    from cryptography.hazmat.primitives import hashes  # loaded only when a code is set
    from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

    code = checked(code)
    salt = os.urandom(SALT_BYTES)
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=ITERATIONS)
    return ClassCode(code, salt, ITERATIONS, kdf.derive(code.encode("utf-8")))


def code_warning(code: str) -> str | None:
    """What to tell the teacher about ``code`` before the build uses it, or None when
    there is nothing to say: too short, it can be guessed quickly (anyone can copy the
    locked page and try codes offline, at their computer's speed); too long, some PDF
    readers cannot open the key's PDF."""
    code = normalize(code)
    if 0 < len(code) < SHORT:
        return (f"{ENV} has only {len(code)} characters: anyone with the published page can "
                "try codes on their own computer until one opens it. Use a passphrase of "
                f"several words ({SHORT} to {PDF_LONGEST} characters).")
    if len(code.encode("utf-8")) > PDF_LONGEST:
        return (f"{ENV} is longer than {PDF_LONGEST} bytes: the locked teacher.pdf will not "
                "open in PDF readers built on Poppler (Evince, Okular and others), which read "
                f"no more of a password. A code of {SHORT} to {PDF_LONGEST} characters opens "
                "everywhere.")
    return None


def seal(plain: bytes, lock: ClassCode) -> Sealed:
    """Encrypt one page with the build's key (AES-256-GCM, a fresh random nonce)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(NONCE_BYTES)
    return Sealed(lock.salt, lock.iterations, nonce, AESGCM(lock.key).encrypt(nonce, plain, None))


def lock_pdf(pdf: bytes, lock: ClassCode) -> bytes:
    """``pdf`` encrypted with AES-256 (PDF 2.0), opened by the class code in any reader.

    The code is both the user and the owner password: whoever opens the key may also print
    and copy from it, as from the teacher's own copy."""
    from pypdf import PdfReader, PdfWriter  # loaded only when a code is set

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=lock.code, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
