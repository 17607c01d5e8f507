"""What every page of an edition shares: its language, strings and frame, and the
rendering of content into it.

A page is a template and a *view*: a frozen dataclass holding exactly what the template
shows, Markdown rendered, localized fields resolved for the edition (with their own
``lang`` when they fall back), links relative to the page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import cache
from typing import Any

from markupsafe import Markup

from sitegen.model import Localized, Site
from sitegen.text import typography
from sitegen.text.markdown import ParsedFields
from sitegen.theme import i18n
from sitegen.theme.templates import fields_of as fields_of  # where views take it from
from sitegen.views import categories


@dataclass(frozen=True)
class Rich:
    """Rendered HTML and, when it differs from the page's, the language it is in."""

    html: Markup
    lang: str | None


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    description: Rich | None
    letter: str
    """Its badge (see ``categories.letters``)."""


@dataclass(frozen=True)
class EditionLink:
    """A link to the same page in another edition."""

    lang: str
    name: str
    href: str


@dataclass(frozen=True, kw_only=True)
class Frame:
    """What the frame of every page shows (``base.html``, ``_sheet.html``); each page's
    view adds its own fields to these."""

    lang: str
    t: Mapping[str, str]
    """The interface strings, in the edition's typography."""
    root: str
    """The site's root, relative to the page ('../../')."""
    title: str
    site_title: str
    categories: tuple[Category, ...]
    editions: tuple[EditionLink, ...]
    home: str


def frame_of(view: Frame) -> dict[str, Any]:
    """Only the ``Frame`` fields of a (larger) view, by name."""
    return {f.name: getattr(view, f.name) for f in fields(Frame)}


@dataclass(frozen=True)
class Page:
    path: str
    """Output path relative to the site root, with '/' separators."""
    template: str
    view: Frame


def edition_dir(site: Site, lang: str) -> str:
    return "" if lang == site.default_language else f"{lang}/"


def page_root(site: Site, lang: str, depth: int) -> str:
    """The site's root seen from a page ``depth`` folders into edition ``lang``."""
    return "../" * (depth + (0 if lang == site.default_language else 1))


def edition_links(site: Site, lang: str, root: str, page: str) -> tuple[EditionLink, ...]:
    """Links from edition ``lang``'s ``page`` (whose root is ``root``) to the same page in
    every other edition."""
    return tuple(EditionLink(other, i18n.catalogue(other)["language_name"],
                             root + edition_dir(site, other) + page)
                 for other in site.languages if other != lang)


class Strings(dict[str, str]):
    """The interface strings of an edition. Templates read them as ``t.key``, which Jinja
    tries as an attribute before the key: answering the attribute at once spares an
    exception per string read, hundreds per page."""

    def __getattr__(self, name: str) -> str:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


@cache
def _strings(lang: str) -> Strings:
    """Edition ``lang``'s strings, made once per process (three editions are made per
    article and language); shared by every page, which only reads them."""
    return Strings(typography.strings(i18n.catalogue(lang), lang))


_CATEGORIES: dict[str, tuple[Site, tuple[Category, ...]]] = {}
"""By language, the categories of the site they were made for: every article of a build
shows the same (a build's articles share one ``Site``; another one makes them again)."""


class Edition:
    """Resolves and renders content for one edition (page language). Markdown comes from
    ``fields``, shared by every edition of an article, so each text is rendered once."""

    def __init__(self, site: Site, lang: str, fields: ParsedFields | None = None):
        self.site = site
        self.lang = lang
        self.t = _strings(lang)
        self.fields = fields if fields is not None else ParsedFields()

    def text(self, value: Localized | None, *, inline: bool = False) -> Rich | None:
        if value is None:
            return None
        resolved = value.resolve(self.lang, self.site.default_language)
        html = self.fields.html(resolved.text, inline=inline, lang=resolved.lang)
        return Rich(Markup(html), None if resolved.lang == self.lang else resolved.lang)

    def plain(self, value: Localized) -> str:
        resolved = value.resolve(self.lang, self.site.default_language)
        return typography.plain(resolved.text, resolved.lang)

    @property
    def categories(self) -> tuple[Category, ...]:
        made = _CATEGORIES.get(self.lang)
        if made is None or made[0] is not self.site:
            letters = categories.letters(self.site, self.lang)
            made = _CATEGORIES[self.lang] = (self.site, tuple(
                Category(c.key, self.plain(c.label), self.text(c.description, inline=True),
                         letters[c.key])
                for c in self.site.categories))
        return made[1]

    def category(self, key: str) -> Category:
        return next(c for c in self.categories if c.key == key)

    def editions(self, root: str, page: str) -> tuple[EditionLink, ...]:
        """Links to this page in every other edition."""
        return edition_links(self.site, self.lang, root, page)

    def frame(self, root: str, page: str, title: str) -> Frame:
        return Frame(lang=self.lang, t=self.t, root=root, title=title,
                     site_title=self.plain(self.site.title), categories=self.categories,
                     editions=self.editions(root, page),
                     home=root + edition_dir(self.site, self.lang) + "index.html")
