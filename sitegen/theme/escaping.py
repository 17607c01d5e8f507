"""The escaping every template and fragment applies to the values it places: markupsafe's
``escape``, with its most common case made cheaper.

markupsafe 3 made ``escape`` a Python function around its C core, and ``Markup(…)`` checks
its argument in Python too: about a microsecond for each of the 2,000 and more values an
article's pages show. Here a plain string (most of them) is escaped as markupsafe's own
Python implementation does it, five replacements in C, and made ``Markup`` without a
second check; and since most of them recur on every page (the interface strings, the
categories, the links to the site's root), each is kept with its escaped form, which is a
function of the string alone. ``Markup`` is kept as it is (HTML already), an ``int``
written out; anything else goes to markupsafe. The result is the same text either way
(tests/test_escaping.py compares them).
"""

from __future__ import annotations

import markupsafe
from markupsafe import Markup

_markup = str.__new__
"""``Markup(text)`` for a text already escaped, without ``Markup.__new__``'s ``__html__`` check."""

_ESCAPED: dict[str, Markup] = {}
"""Short plain strings escaped so far; emptied when it holds ``_KEPT``."""
_KEPT = 20_000
_SHORT = 200
"""The longest string kept: the ones that recur are short, and a long one kept would hold
its memory for the whole build (20,000 of them, a few megabytes at most)."""


def escape(value: object) -> Markup:
    """``markupsafe.escape(value)``: ``&<>'"`` replaced by entities, as ``Markup``; a
    value with ``__html__`` (``Markup``) is trusted as HTML, as markupsafe trusts it."""
    if type(value) is str:
        escaped = _ESCAPED.get(value)
        if escaped is None:
            escaped = _markup(
                Markup, value.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
                .replace("'", "&#39;").replace('"', "&#34;"))
            if len(value) <= _SHORT:
                if len(_ESCAPED) >= _KEPT:
                    _ESCAPED.clear()
                _ESCAPED[value] = escaped
        return escaped
    if type(value) is Markup:
        return value
    if type(value) is int:  # digits and a sign: nothing to replace
        return _markup(Markup, str(value))
    return markupsafe.escape(value)
