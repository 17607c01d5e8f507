"""The smallest pieces of HTML every page repeats, made in Python rather than as Jinja
macros (a macro call costs several times a function call, and these run hundreds of times
per article). Templates call them as globals: ``{{ rich(n.note, cls="note-body") }}``."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape


def rich(value: Any, tag: str = "div", cls: str = "") -> Markup:
    """A rendered text (``pages.Rich``) in its element, with its own ``lang`` when it is
    not in the page's language; nothing for a missing text."""
    if not value:
        return Markup("")
    attrs = f' class="{escape(cls)}"' if cls else ""
    if value.lang:
        attrs += f' lang="{escape(value.lang)}"'
    return Markup(f"<{tag}{attrs}>{value.html}</{tag}>")


def badge(cat: dict[str, Any], number: int | None) -> Markup:
    """A category's letter badge, with the highlight's number when it has one."""
    shown = "" if number is None else number
    return Markup(f'<span class="badge badge-{escape(cat["key"])}" aria-hidden="true">'
                  f'{escape(cat["letter"])}{escape(shown)}</span>')


GLOBALS = {"rich": rich, "badge": badge}
