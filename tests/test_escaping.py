"""sitegen's escaping (sitegen/theme/escaping.py), used by every template and fragment,
gives what markupsafe's ``escape`` gives, for every kind of value."""

from __future__ import annotations

import markupsafe
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from sitegen.theme import escaping, templates


class _Html:
    def __html__(self) -> str:
        return "<b>safe</b>"


class _Text(str):
    """A subclass of str: not the plain-string case."""


@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("&<>'\"")))
def test_text_is_escaped_as_markupsafe_escapes_it(text: str) -> None:
    ours = escaping.escape(text)
    assert type(ours) is Markup
    assert ours == markupsafe.escape(text)


@given(st.text(alphabet="&<>'\"a;#"))
def test_markup_and_other_values_are_escaped_as_markupsafe_escapes_them(text: str) -> None:
    for value in (Markup(text), _Text(text), len(text), -len(text), True, None, 1.5,
                  _Html(), text.encode()):
        ours = escaping.escape(value)
        assert type(ours) is Markup
        assert ours == markupsafe.escape(value)


def test_every_template_escapes_with_it() -> None:
    env = templates.environment()
    for name in env.list_templates(extensions=["html"]):
        template = env.get_template(name)
        assert template.root_render_func.__globals__["escape"] is escaping.escape, name
    page = env.from_string('<p title="{{ v }}">{{ v }}{{ m }}</p>')
    assert page.render(v="<a href='x'>&\"", m=Markup("<i>ok</i>")) == (
        '<p title="&lt;a href=&#39;x&#39;&gt;&amp;&#34;">'
        "&lt;a href=&#39;x&#39;&gt;&amp;&#34;<i>ok</i></p>")


def test_strings_kept_escaped_stay_right(monkeypatch: pytest.MonkeyPatch) -> None:
    # Plain strings are kept with their escaped form; the store is emptied when full.
    monkeypatch.setattr(escaping, "_KEPT", 3)
    monkeypatch.setattr(escaping, "_ESCAPED", {})
    texts = [f"<{i}>&'\"" for i in range(10)] * 2
    for text in texts:
        assert escaping.escape(text) == markupsafe.escape(text)
    assert len(escaping._ESCAPED) <= 3


def test_a_long_string_is_escaped_but_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(escaping, "_ESCAPED", {})
    long = "<b>" * 1000
    assert escaping.escape(long) == markupsafe.escape(long)
    assert escaping.escape("<b>") == markupsafe.escape("<b>")
    assert list(escaping._ESCAPED) == ["<b>"]
