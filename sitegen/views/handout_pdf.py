"""A handout's PDF: where it goes, the layouts it may be fitted to, and how it is made.

Apart from ``handouts`` (which builds the handouts' views) so that a worker that only makes
PDFs loads WeasyPrint and this, not the renderer (see ``build.job``).
"""

from __future__ import annotations

from collections.abc import Mapping

from sitegen.output.stage import split
from sitegen.theme import pdf

FITS = ("fit-snug", "fit-tight", "fit-roomy")
"""The layouts of handout.css a student sheet's PDF may take when its last page would hold
only a few lines (``pdf.html_to_pdf``): tighter first, to save the page, then roomier, to
fill it. Only the sheets printed for every student are fitted; the teacher key is one copy.
"""
FIT_SAVES = {"fit-snug": 0.03, "fit-tight": 0.11}
"""The share of a sheet's height the tighter layouts are counted on to save, to choose the
one layout to try first (``pdf.html_to_pdf``): on the seed's sheets and 40 synthetic ones,
with some of their questions left out, snug saved 1 to 5 % (little on a student copy,
whose boxes are kept whole) and tight 8 to 13 %; the first guess was right for 25 of the
28 sheets to fit. A wrong guess costs one more layout, never a nearly empty page: the
others are tried after it."""


def pdf_path(html_path: str) -> str:
    return html_path.removesuffix(".html") + ".pdf"


def make_pdf(html: bytes, path: str, paper: str, theme: Mapping[str, bytes],
             fits: tuple[str, ...]) -> bytes:
    """The PDF of the handout page at site ``path`` (in the site or the teacher's folder),
    on ``paper`` (``Site.paper``)."""
    return pdf.html_to_pdf(html, path=split(path)[1], assets=theme, paper=paper,
                           fits=fits, saves=FIT_SAVES)
