"""The smallest pieces of HTML every page repeats, made in Python rather than as Jinja
macros (a macro call costs several times a function call, and these run hundreds of times
per article). Templates call them as globals: ``{{ rich(n.note, cls="note-body") }}``."""

from __future__ import annotations

from typing import Protocol

from markupsafe import Markup, escape


class _Rich(Protocol):
    """A rendered text (``views.edition.Rich``)."""

    @property
    def html(self) -> Markup: ...
    @property
    def lang(self) -> str | None: ...


class _Category(Protocol):
    """A category as pages show it (``views.edition.Category``)."""

    @property
    def key(self) -> str: ...
    @property
    def letter(self) -> str: ...
    @property
    def label(self) -> str: ...


def rich(value: _Rich | None, tag: str = "div", cls: str = "") -> Markup:
    """A rendered text in its element, with its own ``lang`` when it is
    not in the page's language; nothing for a missing text."""
    if not value:
        return Markup("")
    attrs = f' class="{escape(cls)}"' if cls else ""
    if value.lang:
        attrs += f' lang="{escape(value.lang)}"'
    return Markup(f"<{tag}{attrs}>{value.html}</{tag}>")


def badge(cat: _Category, number: int | None) -> Markup:
    """A category's letter badge, with the highlight's number when it has one."""
    shown = "" if number is None else number
    return Markup(f'<span class="badge badge-{escape(cat.key)}" aria-hidden="true">'
                  f'{escape(cat.letter)}{escape(shown)}</span>')


GLOBALS = {"rich": rich, "badge": badge}
