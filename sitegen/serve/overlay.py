"""What ``sitegen serve`` adds to each HTML page it sends, and only while serving: the
live-reload script, a CSP that lets that script connect back, the error overlay, the
select-to-annotate panel's script and stylesheet, and who wrote each note imported from
Hypothesis.

Pure functions on bytes, so they are easy to test and never touch the site's files.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from importlib import resources
from importlib.resources.abc import Traversable

from sitegen.theme.templates import STATIC

OVERLAY_CSS_PATH = "/__sitegen__/overlay.css"
LIVERELOAD_JS_PATH = "/livereload.js"
ANNOTATE_PATH = "/__sitegen__/annotate/"
TEACHER_PATH = "/_teacher/"
"""Where the preview shows the teacher's folder (no name of the site starts with '_')."""
_HERE = resources.files("sitegen.serve")
_JS, _CSS = "text/javascript; charset=utf-8", "text/css; charset=utf-8"
ANNOTATE_FILES: dict[str, tuple[Traversable, str]] = {
    "sentences.js": (STATIC, _JS), "panel.js": (_HERE, _JS), "panel.css": (_HERE, _CSS)}
"""The panel's files, served under ``ANNOTATE_PATH``, each with its folder and type: its
own, and the theme's sentence rule (``static/sentences.js``), which the exercise page uses
too."""

# The page's CSP forbids inline scripts and styles (script-src 'self'; style-src 'self'),
# so everything injected is an external file from the server's own origin: the overlay's
# stylesheet and the panel's files are files of this package (``own_file``).


def own_file(name: str) -> bytes:
    """A file that comes with sitegen: overlay.css, or one of ``ANNOTATE_FILES``."""
    folder = ANNOTATE_FILES[name][0] if name in ANNOTATE_FILES else _HERE
    return folder.joinpath(name).read_bytes()


_CSP_META = re.compile(
    rb'(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")', re.IGNORECASE
)
_HEAD_END = re.compile(rb"</head\s*>", re.IGNORECASE)
_BODY_START = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)


def allow_origin(policy: str, *, script: str, connect: str) -> str:
    """The CSP ``policy`` with ``script`` added to script-src and ``connect`` to connect-src
    (each directive is created, starting from 'self', if the policy lacks it)."""
    directives = [d.strip() for d in policy.split(";") if d.strip()]
    wanted = {"script-src": script, "connect-src": connect}
    out: list[str] = []
    for directive in directives:
        name = directive.split()[0].lower()
        extra = wanted.pop(name, None)
        out.append(f"{directive} {extra}" if extra else directive)
    out += [f"{name} 'self' {origin}" for name, origin in wanted.items()]
    return "; ".join(out)


OVERLAY_MAX = 50
"""The most errors the overlay lists; it counts the rest (each page carries the overlay, so
100,000 errors would otherwise weigh megabytes a page). The terminal shows them all."""


def overlay_block(errors: Sequence[str]) -> str:
    """The overlay listing the build errors (each ``file:line:column: message``), escaped:
    the first ``OVERLAY_MAX``, then how many more."""
    items = "".join(f"<li><code>{html.escape(e)}</code></li>" for e in errors[:OVERLAY_MAX])
    rest = len(errors) - OVERLAY_MAX
    more = f"<p>… and {rest:,} more: see the terminal.</p>" if rest > 0 else ""
    count = f"{len(errors):,} error" + ("" if len(errors) == 1 else "s")
    return (
        '<section class="sitegen-overlay" role="alert" aria-labelledby="sitegen-overlay-title">'
        f'<h2 id="sitegen-overlay-title">sitegen: the site could not be rebuilt ({count})</h2>'
        "<p>You are seeing the last version that built. Fix the content and save: "
        "this message goes away by itself.</p>"
        f"<ol>{items}</ol>{more}</section>"
    )


def inject(page: bytes, *, origin: str, errors: Sequence[str]) -> bytes:
    """``page`` as served: CSP widened for the live-reload script and its WebSocket at
    ``origin`` (``http://host:port``), the script added before ``</head>``, and, when there
    are ``errors``, the overlay's stylesheet and the overlay at the top of ``<body>``."""
    port = origin.rsplit(":", 1)[1]
    ws_origin = "ws" + origin.removeprefix("http")

    def widen(m: re.Match[bytes]) -> bytes:
        policy = html.unescape(m.group(2).decode("utf-8"))
        policy = allow_origin(policy, script=origin, connect=ws_origin)
        escaped = html.escape(policy, quote=False).replace('"', "&quot;")
        return m.group(1) + escaped.encode("utf-8") + m.group(3)

    page = _CSP_META.sub(widen, page, count=1)
    head = (f'<script src="{LIVERELOAD_JS_PATH}?port={port}" defer></script>'
            f'<link rel="stylesheet" href="{ANNOTATE_PATH}panel.css">'
            f'<script src="{ANNOTATE_PATH}sentences.js" defer></script>'
            f'<script src="{ANNOTATE_PATH}panel.js" defer></script>')
    if errors:
        head = f'<link rel="stylesheet" href="{OVERLAY_CSS_PATH}">' + head
    page = _insert_before(page, _HEAD_END, head.encode())
    if errors:
        page = _insert_after(page, _BODY_START, overlay_block(errors).encode("utf-8"))
    return page


def mark_imported(page: bytes, annotators: Mapping[str, str]) -> bytes:
    """``page`` with a line "Imported from Hypothesis, by NAME" at the top of the note of
    each annotation in ``annotators`` (id → who wrote it there), on the explainer page and
    the teacher key alike: the author sees whose note it was, and the built site, which
    this never touches, does not name them."""
    for ident, name in annotators.items():
        line = (f'<p class="sitegen-imported">Imported from Hypothesis, by '
                f"{html.escape(name)}</p>").encode()
        note = re.compile(rb'<div\b[^>]*\bid="note-' + re.escape(ident.encode()) + rb'"[^>]*>')
        page = note.sub(lambda m: m.group(0) + line, page, count=1)  # noqa: B023
    return page


def _insert_before(page: bytes, pattern: re.Pattern[bytes], text: bytes) -> bytes:
    m = pattern.search(page)
    return page[: m.start()] + text + page[m.start():] if m else text + page


def _insert_after(page: bytes, pattern: re.Pattern[bytes], text: bytes) -> bytes:
    m = pattern.search(page)
    return page[: m.end()] + text + page[m.end():] if m else page + text


def not_found_page(path: str) -> bytes:
    """A plain page for a path the site does not have (or does not have yet)."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>Not found · sitegen preview</title>\n</head>\n<body>\n"
        f"<main><h1>Not found</h1><p>The site has no page at <code>{html.escape(path)}</code>"
        ' (yet). <a href="/">Go to the home page</a>.</p></main>\n</body>\n</html>\n'
    ).encode()
