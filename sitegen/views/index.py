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
    tagline: str


@dataclass(frozen=True)
class Card:
    title: str
    language: str
    href: str
    summary: Rich | None
    highlights: int
    practice: bool


@dataclass(frozen=True)
class CardView:
    """``_card.html``: the article's card on edition ``lang``'s index."""

    t: Mapping[str, str]
    c: Card


def index_page(site: Site, lang: str, cards: list[str]) -> Page:
    """An edition's index: the articles' cards (HTML rendered with each article, and
    cached with it) joined in order, so a rebuild renders no card it already has."""
    ed = Edition(site, lang)
    frame = ed.frame(page_root(site, lang, 0), "index.html", ed.plain(site.title))
    view = IndexView(**fields_of(frame), cards=Markup("".join(cards)),
                     tagline=ed.t["site_tagline"])
    return Page(edition_dir(site, lang) + "index.html", "index.html", view)


def card_view(anchored: AnchoredArticle, site: Site, lang: str) -> CardView:
    a = anchored.article
    ed = Edition(site, lang, anchored.fields)
    return CardView(ed.t, Card(a.title, a.language, f"{a.slug}/index.html", ed.text(a.summary),
                               len(anchored.spans), a.kind == "practice"))
