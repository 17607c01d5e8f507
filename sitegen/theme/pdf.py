"""HTML bytes → PDF bytes with WeasyPrint, offline and confined to the site's own files.

WeasyPrint is imported only when a PDF is first made: importing it takes about a second and
needs Pango from the system, so a build with ``--no-pdf`` (or one that reuses every PDF)
never pays for it, and a machine without Pango gets a message naming what to install.

The page is laid out as if it were at ``path`` inside the built site, but nothing is read
from the disk or the network: the only resources WeasyPrint receives are the site's theme
assets, given as bytes (the same bytes the build writes under ``assets/``). Every other
URL, ``http:``, ``file:`` or ``data:``, is refused. Fonts come from the machine
(fontconfig), never from a web font service.

The theme's stylesheets are parsed once per process, not once per layout (see
``_linked_sheets``): a build makes every handout with the same few stylesheets, and a
fitted sheet is laid out two to four times. The pages styled by those alone also share
the process's font configuration (``_font_config``).
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import logging
import posixpath
import re
import warnings
from collections.abc import Collection, Mapping, Sequence
from types import ModuleType
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from sitegen.errors import UsageError

PANGO_PACKAGES = ("libpango-1.0-0", "libpangoft2-1.0-0")
PAPER_SIZES = {"A4": "A4", "Letter": "letter"}
MIN_FILL = 0.4
"""The least share of its page the last page of a fitted PDF fills (see ``fits`` in
``html_to_pdf``): a page that holds less is paper wasted on a few lines."""
SITE_URL = "file:///sitegen-site/"
"""The base the page is laid out under; a name only, never opened (see ``_Fetcher``)."""
CONTENT_TYPES = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png",
                 ".js": "text/javascript"}

_import_module = importlib.import_module  # replaced in tests to simulate a missing library

_PLAIN_HREF = re.compile(r"[A-Za-z0-9._/-]+")
"""A link that WeasyPrint and ``urljoin`` resolve alike (no space, escape, query or other
script)."""
_PER_DOCUMENT = (b"@import", b"@font-face", b"@counter-style", b"@color-profile", b"@layer")
"""At-rules whose effect WeasyPrint keeps in the document being laid out rather than in
the stylesheet: a stylesheet with one is parsed with its page, each time."""
_parsed_sheets: dict[tuple[str, bytes], tuple[Any, tuple[str, ...]]] = {}
"""This process's parsed theme stylesheets: (site path, bytes) → the ``weasyprint.CSS``
and the warnings its parsing gave (said again for every page it is used for)."""


class PdfUnavailable(UsageError):
    """WeasyPrint or the system libraries it needs are missing (exit code 2)."""


@functools.cache
def engine_version() -> str:
    """WeasyPrint's version, read without importing it (part of each PDF's input key), once
    per process: a build asks it for every handout."""
    from importlib import metadata  # about 20 ms: only for a build that makes PDFs

    try:
        return metadata.version("weasyprint")
    except metadata.PackageNotFoundError:
        return "none"


def _weasyprint() -> ModuleType:
    install = "sudo apt-get install " + " ".join(PANGO_PACKAGES)
    try:
        return _import_module("weasyprint")
    except OSError as exc:  # cffi could not dlopen Pango, GObject or HarfBuzz
        raise PdfUnavailable(
            f"cannot make PDF handouts: WeasyPrint needs the Pango system libraries ({exc}). "
            f"On Debian or Ubuntu install them with: {install} "
            "(or build without PDFs: sitegen build --no-pdf)") from None
    except ImportError as exc:
        raise PdfUnavailable(
            f"cannot make PDF handouts: the Python package WeasyPrint is missing ({exc}). "
            "Install sitegen with 'pip install -e .', and on Debian or Ubuntu: "
            f"{install} (or build without PDFs: sitegen build --no-pdf)") from None


def warm_up() -> None:
    """Load WeasyPrint now (about a second), in a process about to make PDFs. A machine
    without it or Pango is told so by the first PDF, as without this."""
    with contextlib.suppress(PdfUnavailable):
        _weasyprint()


def _site_path(url: str) -> str | None:
    """The site-relative path a URL points to, or None when it is outside the site."""
    if not url.startswith(SITE_URL):
        return None
    rel = posixpath.normpath(unquote(urlsplit(url).path).removeprefix(urlsplit(SITE_URL).path))
    if rel.startswith(("../", "/")) or rel in ("..", "."):
        return None
    return rel


def _fetcher(assets: Mapping[str, bytes], refused: list[str],
             given: Collection[str] = ()) -> Any:
    """A fetcher of the theme's assets; each site path of ``given`` (a stylesheet
    WeasyPrint receives parsed) is answered with an empty stylesheet."""
    urls = _import_module("weasyprint.urls")
    base: Any = urls.URLFetcher

    class _Fetcher(base):  # type: ignore[misc]  # WeasyPrint is untyped
        """Serves the theme's assets from memory and refuses everything else."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            rel = _site_path(url)
            if rel in given:
                return urls.URLFetcherResponse(url, b"", {"Content-Type": "text/css"})
            if rel is None or rel not in assets:
                refused.append(url)
                raise ValueError(f"sitegen refuses to load {url!r} into a PDF")
            kind = CONTENT_TYPES.get(posixpath.splitext(rel)[1], "application/octet-stream")
            return urls.URLFetcherResponse(url, assets[rel], {"Content-Type": kind})

    return _Fetcher(allowed_protocols=("file",))


def _linked_sheets(root: Any, url: str, assets: Mapping[str, bytes]) -> list[str]:
    """The site paths of the theme stylesheets the page at ``url`` links for print, in
    document order. ``html_to_pdf`` gives WeasyPrint these parsed (``_parsed``), as user
    stylesheets, and answers their links with an empty stylesheet (``_fetcher``). The
    cascade is the one of the links followed: the page has no other author style to rank
    among them, and they keep their order and importance against each other and against
    WeasyPrint's defaults (the PDFs are the same, byte for byte).

    Empty, so that every stylesheet is loaded by its link as written, when the page has
    a style or a base of its own (a ``<style>`` or ``<base>`` element, a ``style``
    attribute), or a link to a stylesheet other than a plain ``rel="stylesheet"`` for
    screen, print or all, to a theme stylesheet without a rule WeasyPrint keeps per
    document (``_PER_DOCUMENT``). sitegen's pages have none of those."""
    linked: list[str] = []
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""  # a comment's is not
        name = tag.rpartition("}")[2]
        if name in ("style", "base") or "style" in element.attrib:
            return []
        rel, media, href = (element.get(k, "") for k in ("rel", "media", "href"))
        if name != "link" or "stylesheet" not in rel.lower():
            continue
        target = _site_path(urljoin(url, href))
        if (tag != "link" or rel != "stylesheet" or "type" in element.attrib
                or media not in ("", "all", "print", "screen")
                or not _PLAIN_HREF.fullmatch(href) or target is None
                or not target.endswith(".css") or target not in assets
                or any(rule in assets[target].lower() for rule in _PER_DOCUMENT)):
            return []
        if media != "screen":  # WeasyPrint lays out for print: it never loads this one
            linked.append(target)
    return linked


def _parsed(wp: ModuleType, rel: str, assets: Mapping[str, bytes], found: list[str]) -> Any:
    """The theme stylesheet at site path ``rel``, parsed once per process (its warnings
    added to ``found`` each time)."""
    key = (rel, assets[rel])
    if key not in _parsed_sheets:
        said: list[str] = []
        handler = _Collect(said)
        logging.getLogger("weasyprint").addHandler(handler)
        try:
            sheet = wp.CSS(url=SITE_URL + rel, url_fetcher=_fetcher(assets, []),
                           media_type="print")
        finally:
            logging.getLogger("weasyprint").removeHandler(handler)
        if len(_parsed_sheets) >= 32:  # a long-lived process whose theme keeps changing
            _parsed_sheets.clear()
        _parsed_sheets[key] = sheet, tuple(said)
    sheet, said_then = _parsed_sheets[key]
    found += said_then
    return sheet


@functools.cache
def _font_config() -> Any:
    """This process's ``weasyprint.text.fonts.FontConfiguration``: fontconfig's list of
    the system's fonts and Pango's font map, with the faces it has loaded. WeasyPrint makes
    a new one for every layout unless given one (loading the fonts again each time, about
    5 % of the seed's PDF time). Only the layouts of pages styled by the theme's parsed
    stylesheets share it: those declare no font of their own (no ``@font-face``, see
    ``_PER_DOCUMENT``), so no page can see another's, and the PDFs are the same, byte for
    byte. A font installed on the system meanwhile is seen by the next process."""
    return _import_module("weasyprint.text.fonts").FontConfiguration()


class _Collect(logging.Handler):
    def __init__(self, into: list[str]):
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(record.getMessage())


def html_to_pdf(html: bytes, *, path: str, assets: Mapping[str, bytes], paper: str = "A4",
                messages: list[str] | None = None, fits: Sequence[str] = (),
                saves: Mapping[str, float] | None = None) -> bytes:
    """Lay out ``html`` (a page at site path ``path``) on ``paper`` and return the PDF.

    ``assets`` maps site paths (``assets/handout.css``) to bytes; the page's relative links
    resolve against ``path``. WeasyPrint's warnings (bad CSS, refused URLs) are appended to
    ``messages`` when given. Raises PdfUnavailable when WeasyPrint cannot be loaded.

    ``fits`` are classes for the page's root element, each a layout its stylesheet defines
    (tighter, or roomier). When the last page of the page as written would fill less than
    ``MIN_FILL`` of its page, they are tried in turn and the first whose last page is not so
    empty, on no more pages, is kept; when none is, the page as written. The layout is
    measured, not guessed, so this holds for any text, language and paper size.

    ``saves`` gives the tighter layouts of ``fits`` the share of the page's height each is
    counted on to save. The layout tried first is the one the first layout's measurements
    point to (``_likeliest``): the first tighter one expected to save the last page, else
    the first without a share (one that adds room, to fill the last page instead). Only
    when it fails are the others tried, in their order: the kept layout may differ from
    the one the order alone would pick, but a nearly empty last page is fitted away
    whenever one of ``fits`` can fit it away, in usually one layout more instead of up to
    three.
    """
    wp = _weasyprint()
    found: list[str] = []
    refused: list[str] = []
    logger = logging.getLogger("weasyprint")
    handler = _Collect(found)
    logger.addHandler(handler)
    try:
        with warnings.catch_warnings():
            # fontTools (WeasyPrint's font subsetter) warns about harmless quirks of some
            # system fonts; the test suite turns warnings into errors, and the PDF is fine.
            warnings.filterwarnings("ignore", module=r"fontTools(\..*)?$")
            size = wp.CSS(string=f"@page {{ size: {PAPER_SIZES[paper]}; }}")
            given: list[str] = []
            fetcher = _fetcher(assets, refused, given)

            def page() -> Any:
                return wp.HTML(string=html, encoding="utf-8", base_url=SITE_URL + path,
                               url_fetcher=fetcher, media_type="print")

            first = page()
            linked = _linked_sheets(first.etree_element, SITE_URL + path, assets)
            given += linked
            # The paper size first: as before, when the theme's @page rules set one, theirs wins.
            sheets = [size, *(_parsed(wp, rel, assets, found) for rel in linked)]
            fonts = _font_config() if linked else None  # None: WeasyPrint makes its own

            def render(fit: str | None) -> Any:
                laid = first if fit is None else page()
                if fit is not None:
                    root = laid.etree_element
                    root.set("class", f"{root.get('class', '')} {fit}".strip())
                return laid.render(stylesheets=sheets, font_config=fonts)

            document = render(None)
            if _nearly_empty_end(document) and fits:
                first_try = _likeliest(document, fits, saves or {})
                for fit in (first_try, *(f for f in fits if f != first_try)):
                    fitted = render(fit)
                    if (len(fitted.pages) <= len(document.pages)
                            and not _nearly_empty_end(fitted)):
                        document = fitted
                        break
            data: bytes = document.write_pdf()
    finally:
        logger.removeHandler(handler)
    if messages is not None:
        messages += [f"refused {url}" for url in dict.fromkeys(refused)]
        messages += list(dict.fromkeys(found))  # a page laid out again warns again
    return data


def _nearly_empty_end(document: Any) -> bool:
    """The document has more than one page, and its last fills less than ``MIN_FILL``."""
    return len(document.pages) > 1 and page_fill(document.pages[-1]) < MIN_FILL


def _likeliest(document: Any, fits: Sequence[str], saves: Mapping[str, float]) -> str:
    """The layout of ``fits`` likeliest to fit away the nearly empty last page of
    ``document``, from its measurements: the first tighter one whose share of ``saves``,
    of the whole height, covers what must move from the last page (its height, less the
    room left at the foot of the page before: a block kept whole went over), else the
    first with no share (one that adds room, or of unknown effect)."""
    pages = document.pages
    last = page_fill(pages[-1])
    room = 1 - page_fill(pages[-2], lines_only=True)
    need = (last - room) / (len(pages) - 1 + last)
    return next((fit for fit in fits if fit not in saves or saves[fit] >= need), fits[-1])


def page_fill(page: Any, *, lines_only: bool = False) -> float:
    """The share of a laid-out page's content area its content fills, from the top of the
    area to the bottom of the lowest box, border included (the running title and page
    number, in the page's margins, do not count). ``lines_only``: to the lowest line of
    text or box with nothing inside, so that a box going on to the next page, which
    reaches the foot of this one, does not count. WeasyPrint has no public API for a
    page's boxes, so this reads its page box (``Page._page_box``): an update that renames
    it fails the handout tests (tests/test_pdf.py) rather than wasting paper unnoticed."""
    boxes = _import_module("weasyprint.formatting_structure.boxes")
    box = page._page_box
    top, height = box.content_box_y(), box.height
    lowest = top
    stack = [child for child in box.children if not isinstance(child, boxes.MarginBox)]
    while stack:
        current = stack.pop()
        children = getattr(current, "children", ())
        stack.extend(children)
        if not lines_only or not children or isinstance(current, boxes.LineBox):
            lowest = max(lowest, current.border_box_y() + current.border_height())
    return float((lowest - top) / height) if height else 1.0
