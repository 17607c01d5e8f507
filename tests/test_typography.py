"""Typography per language (sitegen/typography.py): French no-break spaces and quotation
marks, English curly quotes and apostrophes, applied to our own texts and never to the
article's words; every rule is idempotent."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from sitegen.text.markdown import ParsedFields, parse_markdown, to_html
from sitegen.text.typography import (
    _FRENCH,
    NBSP,
    NNBSP,
    _copy,
    _typeset,
    plain,
    spacing,
    strings,
    tokens,
)

FRENCH = [
    ("Quel journal ?", f"Quel journal{NNBSP}?"),
    ("Quel journal?", f"Quel journal{NNBSP}?"),
    ("Vraiment !? Oui; non!", f"Vraiment{NNBSP}!? Oui{NNBSP}; non{NNBSP}!"),
    ("Question :", f"Question{NBSP}:"),
    ("date non indiquée:", f"date non indiquée{NBSP}:"),
    ("« isolement »", f"«{NBSP}isolement{NBSP}»"),
    ("«isolement»", f"«{NBSP}isolement{NBSP}»"),
    ('Il a dit "bonjour" à l\'ami.', f"Il a dit «{NBSP}bonjour{NBSP}» à l’ami."),
    ("20 %, 20%, 5 km, {n} min", f"20{NBSP}%, 20{NBSP}%, 5{NBSP}km, {{n}}{NBSP}min"),
    # Addresses, times and ratios are not sentences: left alone.
    ("https://example.org/?a=1 à 10:30, 3:1", "https://example.org/?a=1 à 10:30, 3:1"),
    # A no-break space an author typed (narrow or not) is kept as typed.
    (f"«{NNBSP}mot{NNBSP}» : oui{NBSP}?", f"«{NNBSP}mot{NNBSP}»{NBSP}: oui{NBSP}?"),
]

ENGLISH = [
    ("It's \"great\" and 'fine'", "It’s “great” and ‘fine’"),
    ("Question: why?", "Question: why?"),
    ("the publisher's", "the publisher’s"),
]


@pytest.mark.parametrize(("text", "expected"), FRENCH)
def test_french(text: str, expected: str) -> None:
    assert plain(text, "fr") == expected
    assert plain(expected, "fr") == expected  # idempotent


@pytest.mark.parametrize(("text", "expected"), ENGLISH)
def test_english(text: str, expected: str) -> None:
    assert plain(text, "en") == expected
    assert plain(expected, "en") == expected


def test_other_languages_keep_their_text() -> None:
    text = 'Er sagte "ja" : gut ?'
    assert plain(text, "de") == text
    assert spacing(text, "en") == text


@given(st.text(alphabet=' abc1:;!?«»"\'%\u00a0\u202f\n', max_size=40))
@example('"\'"')
@example('1;:')
def test_every_rule_is_idempotent(text: str) -> None:
    for lang in ("fr", "en"):
        once = plain(text, lang)
        assert plain(once, lang) == once


def test_markdown_texts_get_quotes_and_spaces_but_code_and_links_do_not() -> None:
    fields = ParsedFields()
    source = 'Le texte dit "isolement" : voir `a ; b` et [lien ?](https://x.org/?q=1).'
    html = fields.html(source, lang="fr")
    assert f"«{NBSP}isolement{NBSP}»{NBSP}:" in html
    assert "<code>a ; b</code>" in html
    assert 'href="https://x.org/?q=1"' in html
    assert f"lien{NNBSP}?" in html
    assert fields.html("It's \"so\"", inline=True, lang="en") == "It’s “so”"
    # The parsed tokens are shared: without a language (the article's way) nothing changes,
    # before or after a typographed rendering of the same text.
    assert fields.html(source) == (
        '<p>Le texte dit "isolement" : voir <code>a ; b</code> et '
        '<a href="https://x.org/?q=1" rel="noopener noreferrer">lien ?</a>.</p>\n'
    )


def test_interface_strings_in_french_take_no_break_spaces() -> None:
    t = strings({"q": "Question :", "n": "{n} min", "plain": "Sources"}, "fr")
    assert t == {"q": f"Question{NBSP}:", "n": f"{{n}}{NBSP}min", "plain": "Sources"}


@given(st.text(alphabet=" ab*`[]()\"'«:?\n", max_size=40),
       st.sampled_from(["en", "en-GB", "fr", "fr-CA", "de"]))
def test_a_text_typography_leaves_alone_is_not_copied_and_renders_the_same(
        text: str, lang: str) -> None:
    parsed = parse_markdown(text)
    copies = [t.copy(children=[c.copy() for c in t.children]) if t.children else t
              for t in parsed]
    _typeset(copies, lang)  # every text set, as when nothing was skipped
    assert to_html(tokens(parsed, lang)) == to_html(copies)


def _every_rule(text: str) -> str:
    """French spacing without the check that a rule has something to act on: the
    reference for ``spacing``."""
    while True:
        before = text
        for pattern, replacement in _FRENCH:
            text = pattern.sub(replacement, text)
        if text == before:
            return text


@given(st.text(alphabet=' ab1٣:;!?«»%}{\u00a0\u202f\nkm', max_size=30))
@example("un texte sans rien")
@example("5 km")
@example("20%")
@example("{n} min")
@example("٣ km")
@example("a ?")
@example("a « b")
@example("b »")
@example("a :")
def test_spacing_skips_only_text_no_rule_acts_on(text: str) -> None:
    assert spacing(text, "fr") == _every_rule(text)


@given(st.text(alphabet=" a*`[]()'\"\n", max_size=30))
def test_tokens_are_copied_as_markdown_it_copies_them(text: str) -> None:
    for token in parse_markdown(text):
        assert _copy(token) == token.copy()
        children = [c.copy() for c in token.children or []]
        copied = _copy(token, children)
        assert copied == token.copy(children=children) and copied.children is children
        assert copied is not token and copied.attrs == token.attrs
