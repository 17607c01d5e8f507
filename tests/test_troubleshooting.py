"""docs/troubleshooting.md is made from the broken fixtures by scripts/troubleshooting.py:
made again here, it must be the page as committed, and every fixture must be on it, so the
page can neither drift from sitegen's messages nor miss a mistake."""

from __future__ import annotations

from conftest import FIXTURES, ROOT
from test_errors import TROUBLESHOOTING


def test_every_broken_fixture_is_on_the_page_once() -> None:
    listed = [case for cases in TROUBLESHOOTING.MISTAKES.values() for case, _ in cases]
    assert sorted(listed) == sorted(p.name for p in (FIXTURES / "broken").iterdir())


def test_the_page_is_what_the_script_makes_today() -> None:
    page = (ROOT / "docs" / "troubleshooting.md").read_text("utf-8")
    assert TROUBLESHOOTING.render() == page, (
        "docs/troubleshooting.md is out of date: run .venv/bin/python scripts/troubleshooting.py")


def test_the_page_shows_the_advice_the_teachers_asked_for() -> None:
    """A few messages, word for word, as the page shows them (the fixtures' expected.txt
    files hold every one)."""
    page = (ROOT / "docs" / "troubleshooting.md").read_text("utf-8")
    for said in [
        "(add '- ' before `id:` to start a new annotation)",
        "line 10 is indented with no-break spaces (U+00A0): indent with plain spaces",
        "a colon is missing after 'quote' (write 'quote: …')",
        "the text under 'note: |' must be indented more than 'note:'",
        'YAML needs straight quotes " " around text',
        "(closest passage: 'Critics called it')",
        "(these words are in the summary, not in the article: only the headline and the "
        "text can be quoted)",
        "(quote the words as they are, without …: use two annotations or a shorter quote)",
        "no quote: add `quote:` with the passage's words, or `scope: article` if the note is "
        "about the whole article",
        "'core' must be true or false, got 'yes' (write 'core: true' or 'core: false')",
    ]:
        assert said in page, said
