"""The class code (sitegen/output/lock.py, sitegen/views/locked.py): the teacher key locked
inside the students' site. Each lock is opened here with the code by a party that does not
use sitegen's code: ``cryptography`` directly (the way Web Crypto does it in the browser,
see tests/browser/test_lock.py) and, for the PDF, pypdf and poppler's pdftotext."""

from __future__ import annotations

import base64
import json
import pickle
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from htmltree import Element, parse
from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError

from sitegen.content.load import load_article, load_site
from sitegen.errors import Collector, UsageError
from sitegen.output import lock
from sitegen.text.anchoring import anchor_article
from sitegen.theme import pdf
from sitegen.theme.templates import render_page
from sitegen.views.article import article_views
from sitegen.views.handouts import TeacherView, handout_pages
from sitegen.views.locked import locked_page

SEED = ROOT / "content"
SLUG = "musk-riyadh"
CODE = "trois lapins roses, 4e B"
"""A passphrase, as the documentation advises (8 to 32 characters)."""
WRONG = ("trois lapins roses", "Trois lapins roses, 4e B", "trois lapins roses, 4e", "")


def decrypt(sealed: dict[str, str | int] | lock.Sealed, code: str) -> bytes:
    """Open a sealed page as the browser does: PBKDF2-SHA256 of the code with the page's
    salt and rounds, then AES-256-GCM with the page's nonce. Raises InvalidTag."""
    if isinstance(sealed, lock.Sealed):
        salt, rounds, nonce, data = sealed.salt, sealed.iterations, sealed.nonce, sealed.data
    else:
        salt, nonce, data = (base64.b64decode(str(sealed[k])) for k in ("salt", "nonce", "data"))
        rounds = int(sealed["iterations"])
    key = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt,
                     iterations=rounds).derive(code.encode("utf-8"))
    return AESGCM(key).decrypt(nonce, data, None)


@pytest.fixture(scope="module")
def code() -> lock.ClassCode:
    return lock.class_code(CODE)


def seed_teacher() -> tuple[TeacherView, bytes]:
    """The seed's teacher key in the default edition: its view and its HTML, as a build
    renders them."""
    site = load_site(SEED, Collector())
    assert site is not None
    article = load_article(SEED / "articles" / SLUG, site, Collector())
    assert article is not None
    anchored = anchor_article(article, Collector())
    assert anchored is not None
    pages = handout_pages(anchored, site, views=article_views(anchored, site, pdf=True))
    page = next(p for p in pages if p.path == f"{SLUG}/teacher.html")
    assert isinstance(page.view, TeacherView)
    return page.view, render_page(page.template, page.view).encode("utf-8")


@pytest.fixture(scope="module")
def teacher() -> tuple[TeacherView, bytes]:
    return seed_teacher()


def key_notes(html: bytes) -> list[str]:
    """The words of every note of a teacher key."""
    tree = parse(html.decode("utf-8"))
    return [" ".join(el.text().split()) for el in tree.find_all(cls="key-note-body")]


def test_a_sealed_page_opens_with_the_code_and_only_with_it(code: lock.ClassCode) -> None:
    sealed = lock.seal(b"<p>answer: the second source is a press release</p>", code)
    assert decrypt(sealed, CODE) == b"<p>answer: the second source is a press release</p>"
    assert sealed.iterations == code.iterations >= 600_000
    assert len(sealed.salt) == 16 and len(sealed.nonce) == 12
    for wrong in WRONG:
        with pytest.raises(InvalidTag):
            decrypt(sealed, wrong)
    tampered = lock.Sealed(sealed.salt, sealed.iterations, sealed.nonce,
                           bytes([sealed.data[0] ^ 1]) + sealed.data[1:])
    with pytest.raises(InvalidTag):
        decrypt(tampered, CODE)


def test_each_page_has_its_own_nonce_and_each_build_its_own_salt(code: lock.ClassCode) -> None:
    first, second = lock.seal(b"same page", code), lock.seal(b"same page", code)
    assert first.salt == second.salt  # one key per build: derived once
    assert first.nonce != second.nonce and first.data != second.data
    again = lock.class_code(CODE)
    assert again.salt != code.salt and again.key != code.key


def test_the_code_never_shows_and_travels_to_workers(code: lock.ClassCode) -> None:
    for shown in (repr(code), str(code), f"{code!r}"):
        assert CODE not in shown and repr(code.key) not in shown and code.key.hex() not in shown
        assert "ClassCode(" in shown
    travelled = pickle.loads(pickle.dumps(code))
    assert travelled == code
    assert decrypt(lock.seal(b"from a worker", travelled), CODE) == b"from a worker"


def test_the_code_is_taken_as_typed_in_any_unicode_form() -> None:
    """NFKC, without surrounding white space: what the browser makes of what is typed,
    and what PDF readers make of a password."""
    composed = lock.class_code("  élève-4B ")
    assert composed.code == "élève-4B"
    assert lock.class_code("e\u0301le\u0300ve-4B\n").code == "élève-4B"
    assert decrypt(lock.seal(b"x", composed), "élève-4B") == b"x"


@pytest.mark.parametrize("empty", ["", "   ", "\n\t"])
def test_an_empty_code_is_a_usage_error_naming_the_variable(empty: str) -> None:
    with pytest.raises(UsageError, match="SITEGEN_TEACHER_CODE"):
        lock.class_code(empty)


def test_a_short_or_long_code_is_accepted_with_a_warning_that_does_not_print_it() -> None:
    short = lock.code_warning("4B-2026")
    assert short is not None and "SITEGEN_TEACHER_CODE" in short
    assert "4B-2026" not in short and "7 characters" in short
    assert lock.class_code("4B-2026").code == "4B-2026"
    # Longer than Poppler reads of a PDF password: counted in bytes, as it counts.
    for long in ("a" * 33, "é" * 17):
        warning = lock.code_warning(long)
        assert warning is not None and "SITEGEN_TEACHER_CODE" in warning and long not in warning
        assert "Poppler" in warning
    for fine in (CODE, "12345678", "a" * 32, "é" * 16):
        assert lock.code_warning(fine) is None, fine


def _only(tree: Element, tag: str, **attrs: str) -> Element:
    found = tree.find_all(tag, **attrs)
    assert len(found) == 1, (tag, attrs, found)
    return found[0]


def test_the_locked_page_holds_the_key_only_as_ciphertext(
        teacher: tuple[TeacherView, bytes], code: lock.ClassCode) -> None:
    view, html = teacher
    notes = key_notes(html)
    assert len(notes) > 10 and all(len(n) > 20 for n in notes)
    page = locked_page(html, view, code)
    text = page.decode("utf-8")
    tree = parse(text)

    # The key, whole, behind the code; none of its notes, nor the code, in the clear.
    sealed = json.loads(_only(tree, "script", type="application/json", id="locked-key").text())
    assert sealed["kdf"] == "PBKDF2-SHA256" and sealed["cipher"] == "AES-256-GCM"
    assert decrypt(sealed, CODE) == html
    with pytest.raises(InvalidTag):
        decrypt(sealed, WRONG[0])
    assert not [n for n in notes if n in " ".join(tree.text().split())]
    assert not [n for n in notes if n[:40] in text]
    assert CODE.encode() not in page and CODE.encode("utf-16-le") not in page
    assert code.key not in page and base64.b64encode(code.key) not in page

    # A form asking for the code (which no URL could carry: the box has no name), in the
    # edition's words, and the script from the site itself: no inline script.
    t = view.t
    form = _only(tree, "form", id="unlock")
    box = _only(form, "input", type="password")
    assert "name" not in box.attrs and box.attrs["id"] == "unlock-code"
    assert _only(form, "label").attrs["for"] == "unlock-code"
    assert form.attrs["data-wrong"] == t["locked_wrong"]
    assert _only(form, "p", role="alert") is not None
    assert _only(tree, "h1").text() == t["locked_title"]
    scripts = tree.find_all("script")
    assert [s.attrs.get("src") for s in scripts if s.attrs.get("type") != "application/json"] \
        == ["../assets/unlock.js"]
    # The sheet's frame: the same title and links as the key.
    assert _only(tree, "title").text() == f"{view.sheet_title} · {view.title}"
    links = {a.attrs["href"] for a in tree.find_all("a")}
    assert {h.html for h in view.handouts if not h.current} <= links
    assert "teacher.pdf" in links


def test_a_locked_pdf_reads_with_the_code_only(tmp_path: Path, code: lock.ClassCode) -> None:
    answer = "The first source quoted is a press release from the ministry"
    plain = pdf.html_to_pdf(f"<!DOCTYPE html><html lang='en'><title>Key</title>"
                            f"<p>{answer}</p></html>".encode(), path="a/teacher.html",
                            assets={})
    assert answer in PdfReader(_file(tmp_path / "plain.pdf", plain)).pages[0].extract_text()
    locked = _file(tmp_path / "locked.pdf", lock.lock_pdf(plain, code))
    assert CODE.encode() not in locked.read_bytes()

    reader = PdfReader(locked)
    assert reader.is_encrypted
    crypt = reader.trailer["/Encrypt"]
    assert crypt["/V"] == 5 and crypt["/R"] == 6  # AES-256, PDF 2.0
    with pytest.raises(FileNotDecryptedError):
        reader.pages[0].extract_text()
    assert not PdfReader(locked).decrypt(WRONG[0])
    reader = PdfReader(locked)
    assert reader.decrypt(CODE)
    assert answer in reader.pages[0].extract_text()

    # Another reader: poppler (as in Evince, Okular and many others).
    def poppler(*password: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["pdftotext", *password, str(locked), "-"], capture_output=True,
                              text=True, check=False)

    assert poppler().returncode != 0 and answer not in poppler().stdout
    assert poppler("-upw", WRONG[0]).returncode != 0
    opened = poppler("-upw", CODE)
    assert opened.returncode == 0 and answer in " ".join(opened.stdout.split())


def _file(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
