"""An edition's index page, and each article's card on it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from markupsafe import Markup

from sitegen.model import Site
from sitegen.text.anchoring import AnchoredArticle
from sitegen.views.edition import Edition, Frame, Page, Rich, edition_dir, fields_of, page_root


@dataclass(frozen=True, kw_only=True)
class IndexView(Frame):
    """``index.html``."""

    cards: Markup
    heading: str
    tagline: str


@dataclass(frozen=True)
class CardLink:
    label: str
    href: str


@dataclass(frozen=True)
class Card:
    title: str
    language: str
    href: str
    summary: Rich | None
    highlights: int
    practice: bool
    links: tuple[CardLink, ...] = ()
    """More of the article's pages (on the teacher's index: the class page, the PDF)."""


@dataclass(frozen=True)
class CardView:
    """``_card.html``: the article's card on edition ``lang``'s index."""

    t: Mapping[str, str]
    c: Card


def index_page(site: Site, lang: str, cards: list[str], *, teacher: bool = False) -> Page:
    """An edition's index: the articles' cards (HTML rendered with each article, and
    cached with it) joined in order, so a rebuild renders no card it already has. The
    ``teacher``'s index lists the teacher's materials, in the teacher's folder."""
    ed = Edition(site, lang)
    frame = ed.frame(page_root(site, lang, 0), "index.html", ed.plain(site.title))
    view = IndexView(**fields_of(frame), cards=Markup("".join(cards)),
                     heading=ed.t["teacher_index_heading" if teacher else "explainers"],
                     tagline=ed.t["teacher_index_tagline" if teacher else "site_tagline"])
    return Page(edition_dir(site, lang) + "index.html", "index.html", view)


def card_view(anchored: AnchoredArticle, site: Site, lang: str, *, teacher: bool = False,
              pdf: bool = False) -> CardView:
    """The article's card on edition ``lang``'s index; on the ``teacher``'s index, it leads
    to the teacher key and the class page (and the key's PDF, when the build makes PDFs)."""
    a = anchored.article
    ed = Edition(site, lang, anchored.fields)
    t = ed.t
    href, links = f"{a.slug}/index.html", ()
    if teacher:
        href = f"{a.slug}/teacher.html"
        links = (CardLink(t["handout_teacher"], href),
                 *((CardLink(f"{t['handout_teacher']} ({t['handout_pdf']})",
                             f"{a.slug}/teacher.pdf"),) if pdf else ()),
                 CardLink(t["teacher_class_page"], f"{a.slug}/class.html"))
    return CardView(t, Card(a.title, a.language, href, ed.text(a.summary), len(anchored.spans),
                            a.kind == "practice", links))
