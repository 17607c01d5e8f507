"""Quotes in each translation: ``quote: {en: "…", fr: "…"}`` is anchored in the article and
in translation.<lang>.md with the same rules and errors, and that edition shows the same
highlights in the translation, with both quotes in each note's title."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, Built, build_once, run_main, site_bytes
from htmltree import Element, parse
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sitegen.content.load import load_article, load_site
from sitegen.errors import Collector
from sitegen.model import Annotation, Localized, Span
from sitegen.serve.annotate import BROWSER_SPACE, answer
from sitegen.text import typography
from sitegen.text.anchoring import AnchoredArticle, anchor_article
from sitegen.text.markdown import parse_body, render_blocks, render_text

ANNOTATIONS = "articles/sample/annotations.yaml"
SEED_ENGLISH = "en/musk-riyadh/index.html"


def _edit(content: Path, old: str, new: str) -> None:
    path = content / ANNOTATIONS
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), "utf-8")


def _check(content: Path) -> tuple[int, str]:
    done = run_main("check", "--content", content)
    return done.returncode, done.stderr


def anchored_seed(content: Path) -> AnchoredArticle:
    problems = Collector()
    site = load_site(content, problems)
    assert site is not None
    article = load_article(content / "articles/musk-riyadh", site, problems)
    assert article is not None
    anchored = anchor_article(article, problems)
    assert anchored is not None, [e.format_message() for e in problems.errors]
    return anchored


def _line_of(content: Path, needle: str) -> int:
    lines = (content / ANNOTATIONS).read_text("utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if needle in line)


# --- Anchoring per language, and its errors -------------------------------------------

def test_a_translated_quote_not_found_is_an_error_with_the_closest_passage(mini: Path) -> None:
    _edit(mini, 'fr: "un journal local"', 'fr: "un journal locale"')
    code, err = _check(mini)
    line = _line_of(mini, 'fr: "un journal locale"')
    column = (mini / ANNOTATIONS).read_text("utf-8").splitlines()[line - 1].index(
        '"un journal locale"') + 1
    assert code == 1
    assert (f"annotations.yaml:{line}:{column}: quote not found in translation.fr.md of "
            "article 'sample': 'un journal locale' (closest passage: 'un journal local')"
            ) in err, err


def test_a_translated_quote_follows_the_articles_rules(mini: Path) -> None:
    # Ambiguous without its prefix, as in the article; a prefix that matches nowhere.
    _edit(mini, 'prefix: {en: "the plan was “", fr: "était « "}', 'prefix: {en: "the plan was “"}')
    _edit(mini, 'quote: {en: "Critics", fr: "critiques"}',
          'quote: {en: "Critics", fr: "critiques"}\n    suffix: {fr: "ont qualifié"}')
    code, err = _check(mini)
    assert code == 1
    assert re.search(r"annotations\.yaml:\d+:\d+: quote 'historique' matches 2 places in "
                     r"translation\.fr\.md of article 'sample': …Le projet « \[historique\]",
                     err), err
    assert "suffix 'ont qualifié' does not match at any of the 1 place(s)" in err, err


@pytest.mark.parametrize(("old", "new", "message"), [
    ('quote: {en: "Critics", fr: "critiques"}', 'quote: {en: "Critics", de: "Kritiker"}',
     "'de' in 'quote' is neither the article's language nor an edition of this site "
     "(languages: en, fr)"),
    ('quote: {en: "Critics", fr: "critiques"}', 'quote: {fr: "critiques"}',
     "'quote' has no text in the article's language ('en') (start with it: "
     'quote: {en: "…", fr: "…"})'),
    ('quote: {en: "Critics", fr: "critiques"}', 'quote: {en: "Critics", fr: ""}',
     "'quote.fr' must be non-empty text"),
    ('quote: {en: "Critics", fr: "critiques"}',
     'quote: "Critics"\n    prefix: {fr: "Des "}',
     "'prefix' in 'fr' goes with a quote in 'fr', and 'quote' has none"),
])
def test_a_quote_in_a_language_it_cannot_be_in_is_an_error(mini: Path, old: str, new: str,
                                                          message: str) -> None:
    _edit(mini, old, new)
    code, err = _check(mini)
    assert code == 1 and message in err, err
    assert "Traceback" not in err


def test_a_quote_for_a_translation_the_article_lacks_is_an_error(mini: Path) -> None:
    (mini / "articles/sample/translation.fr.md").unlink()
    code, err = _check(mini)
    line = _line_of(mini, 'fr: "critiques"')
    assert code == 1
    assert re.search(rf"annotations\.yaml:{line}:\d+: a quote in 'fr', but the article has no "
                     r"translation into 'fr' \(add translation\.fr\.md", err), err


def test_check_warns_for_each_highlight_without_its_translated_quote(mini: Path) -> None:
    _edit(mini, 'quote: {en: "Critics", fr: "critiques"}', 'quote: "Critics"')
    code, err = _check(mini)
    line = _line_of(mini, 'quote: "Critics"')
    assert code == 0
    warnings = [w for w in err.splitlines() if ": warning: " in w]
    assert warnings == [
        f"{mini / ANNOTATIONS}:{line}:12: warning: highlight 'critics' has no quote in "
        "translation.fr.md: the 'fr' edition does not mark it in the translation (give the "
        'quote in each language: quote: {en: "…", fr: "…"}, copied from translation.fr.md)']


# --- Rendering: the translation's marks -----------------------------------------------

def _span(ident: str, start: int, end: int, number: int) -> Span:
    note = Localized((("", "n"),))
    return Span(Annotation(ident, "framing", None, note, (), None, None, None), start, end,
                number)  # type: ignore[arg-type]


def _outer_text(doc: Element, ident: str) -> str:
    return "".join(m.text() for m in doc.find_all("mark") if m.attrs["data-annotation"] == ident
                   and not any(a.tag == "mark" and a.attrs.get("data-annotation") == ident
                               for a in m.ancestors()))


def test_nested_and_overlapping_marks_in_a_typeset_translation() -> None:
    # French typography adds no-break spaces and changes the quotation marks: the marks are
    # placed on the text as shown, nested and overlapping as in the original.
    source = 'Il a dit "oui": le projet, dit-il, est "historique"; *vraiment* fini.'
    body = parse_body(source)
    text = body.text
    a = text.index('"oui"')
    b = text.index("le projet")
    c = text.index('"historique"')
    spans = [_span("a", a, c + len('"historique"'), 1), _span("b", b, text.index(", dit"), 2),
             _span("c", c + 1, c + len('"historique'), 3),
             _span("d", text.index("historique"), text.index("fini") + 4, 4)]
    ours = body.__class__(body.text, tuple(tuple(typography.tokens(g, "fr"))
                                           for g in body.groups), body.ranges)
    html = "".join(block.html for block in render_blocks(ours, spans, 0, mirror=True))
    doc = parse(f"<div>{html}</div>")  # raises on badly nested marks
    assert _outer_text(doc, "a") == ("«\u00a0oui\u00a0»\u00a0: le projet, dit-il, est "
                                     "«\u00a0historique\u00a0»")
    assert _outer_text(doc, "b") == "le projet"
    assert _outer_text(doc, "c") == "historique"
    assert _outer_text(doc, "d") == "historique\u00a0»\u202f; vraiment fini"
    assert doc.text() == parse(f"<div>{''.join(b.html for b in render_blocks(ours, [], 0))}"
                               "</div>").text()
    marks = doc.find_all("mark")
    assert {m.attrs["data-number"] for m in marks if m.attrs["data-annotation"] == "c"} == {"3"}
    assert not [m for m in marks if {"id", "tabindex", "aria-details"} & set(m.attrs)]
    # d starts where c does and ends after it: it holds c, as in the original
    assert [m.attrs["data-annotation"] for m in marks if "hl-start" in m.classes] == [
        "a", "b", "d", "c"]


def test_a_typeset_headline_keeps_its_marks_on_the_words_shown() -> None:
    shown = typography.plain("Le projet \"historique\" du maire", "fr")
    html = render_text("Le projet \"historique\" du maire", [_span("x", 10, 22, 1)], 0,
                       mirror=True, shown=shown)
    (mark,) = parse(f"<p>{html}</p>").find_all("mark")
    assert mark.text() == "«\u00a0historique\u00a0»" and "id" not in mark.attrs


# --- The seed's English edition -------------------------------------------------------

def _in_translation(mark: Element) -> bool:
    return any(a.classes and a.classes[0] in ("translation", "headline-translation")
               for a in mark.ancestors())


@pytest.fixture(scope="module")
def english(built_seed: Built) -> Element:
    return parse((built_seed.out / SEED_ENGLISH).read_text("utf-8"))


def test_the_english_edition_marks_the_highlights_in_the_translation(english: Element) -> None:
    marks = english.find_all("mark", where=lambda m: "data-annotation" in m.attrs)
    original = {m.attrs["data-annotation"]: m for m in marks
                if "hl-start" in m.classes and not _in_translation(m)}
    mirrored = {m.attrs["data-annotation"]: m for m in marks
                if "hl-start" in m.classes and _in_translation(m)}
    assert len(original) == 30
    assert len(mirrored) >= 0.9 * len(original)
    for ident, mark in mirrored.items():
        assert mark.attrs["class"] == original[ident].attrs["class"]
        assert mark.attrs["data-number"] == original[ident].attrs["data-number"]
        assert mark.attrs.get("id") is None and "tabindex" not in mark.attrs
        assert original[ident].attrs["id"] == f"hl-{ident}"
    ids = [el.attrs["id"] for el in english.iter() if "id" in el.attrs]
    assert len(ids) == len(set(ids))
    # The headline's highlight is marked in the translated headline.
    heading = english.find("p", cls="headline-translation")
    assert heading is not None and heading.find("mark", data_annotation="headline-musk-first")
    # Nested highlights nest the same way in the translation: 16 inside 15.
    inner = mirrored["military-operation"]
    assert any(a.tag == "mark" and a.attrs["data-annotation"] == "un-aggression-vote"
               for a in inner.ancestors())
    assert _outer_text(english.find("div", cls="article-body"), "military-operation") == (  # type: ignore[arg-type]
        "opération militairemilitary operation")


def test_each_note_title_holds_both_quotes(english: Element) -> None:
    titles = {n.attrs["data-annotation"]: n.find("h3", cls="note-title")
              for n in english.find_all("div", cls="note")}
    quotes = titles["unnamed-outlet"].find_all("q")  # type: ignore[union-attr]
    assert [(q.attrs["lang"], q.text()) for q in quotes] == [
        ("fr", "un article de presse russe"), ("en", "a Russian press article")]
    both = [i for i, h in titles.items() if h is not None and len(h.find_all("q")) == 2]
    assert len(both) == 30
    assert not titles["no-byline"].find_all("q")  # type: ignore[union-attr]


def test_the_french_edition_gains_nothing_from_the_english_quotes(
        built_seed: Built, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    path = content / "articles/musk-riyadh/annotations.yaml"
    one_language = re.sub(r'(quote|prefix):\n +fr: (".*")\n +en: ".*"\n', r"\1: \2\n",
                          path.read_text("utf-8"))
    assert "en: " not in one_language.split("note:")[0]
    path.write_text(one_language, "utf-8")
    plain = build_once(content, tmp_path / "site")
    assert plain.stderr.count("warning: highlight") == 30
    before, after = site_bytes(plain.out), site_bytes(built_seed.out)
    changed = sorted(rel for rel in before if before[rel] != after.get(rel))
    # The English explainer marks its translation; the English exercise quotes it; the
    # article's export (one for both editions) targets those passages too.
    assert changed == ["en/musk-riyadh/exercise.html", SEED_ENGLISH,
                       "musk-riyadh/annotations.jsonld"]
    assert sorted(before) == sorted(after)


def test_the_mini_sites_french_edition_marks_its_translation(built_mini: Built) -> None:
    doc = parse((built_mini.out / "fr/sample/index.html").read_text("utf-8"))
    mirrored = {m.attrs["data-annotation"] for m in doc.find_all("mark") if _in_translation(m)}
    assert mirrored == {"local-newspaper", "historic", "headline-historic", "across", "critics"}
    assert not FIXTURES.joinpath("mini/articles/sample/translation.en.md").exists()


# --- Proposing the translation's quote (the preview's select-to-annotate panel) ---------

def _counted(text: str, start: int, end: int, lang: str) -> dict[str, str]:
    """What the panel's script sends for a selection of ``text[start:end]`` in our
    translation, as the page shows it (in the edition's typography)."""
    def before(i: int) -> str:
        return str(sum(ch not in BROWSER_SPACE for ch in text[:i]))
    return {"article": "musk-riyadh", "start": before(start), "end": before(end),
            "text": typography.plain(text[start:end], lang), "lang": lang}


def test_a_selection_in_the_translation_is_proposed_as_its_quote(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    seed = anchored_seed(content)
    text = seed.translated_text("en")
    spans = {s.annotation.id: s for s in seed.translated_spans["en"]}
    blocks, wanted = [], {}
    for ident in ("earlier-contacts", "we-will-see", "headline-musk-first"):
        span = spans[ident]
        done = answer(content, _counted(text, span.start, span.end, "en"))
        assert done.status == 200, done.body
        assert done.body["translation"] and done.body["lang"] == "en"
        block = str(done.body["yaml"])
        assert '    quote: {fr: "…", en: ' in block
        # The author puts the article's own words in place of "…".
        french = span.annotation.selector
        assert french is not None
        block = block.replace('{fr: "…", ', "{fr: " + json.dumps(french.quote) + ", ")
        if french.prefix:  # and its context, beside the translation's or on its own
            fr = f"fr: {json.dumps(french.prefix)}"
            block = (block.replace("    prefix: {", f"    prefix: {{{fr}, ")
                     if "    prefix: {" in block else
                     re.sub(r"(?m)^(    quote: .*)$", rf"\1\n    prefix: {{{fr}}}", block))
        new = f"copy-of-{ident}"
        blocks.append(re.sub(r"(?m)^  - id: .*$", f"  - id: {new}", block))
        wanted[new] = (span.start, span.end)
    path = content / "articles/musk-riyadh/annotations.yaml"
    path.write_text(path.read_text("utf-8").replace("annotations:\n", "annotations:\n"
                                                    + "".join(blocks), 1), "utf-8")
    again = {s.annotation.id: (s.start, s.end)
             for s in anchored_seed(content).translated_spans["en"]}
    assert {ident: again[ident] for ident in wanted} == wanted
    assert "prefix: {en: " in "".join(blocks) or "suffix: {en: " in "".join(blocks)


def test_a_selection_in_a_translation_the_article_lacks_is_refused() -> None:
    done = answer(ROOT / "content", {"article": "musk-riyadh", "start": "0", "end": "3",
                                     "text": "abc", "lang": "de"})
    assert done.status == 400 and "no translation into 'de'" in str(done.body["error"])


def test_the_english_exercise_quotes_each_passage_in_both_languages(built_seed: Built) -> None:
    doc = parse((built_seed.out / "en/musk-riyadh/exercise.html").read_text("utf-8"))
    quoted = [[(q.attrs["lang"], q.text()) for q in span.find_all("q")]
              for span in doc.find_all("span", cls="question-quote")]
    assert quoted and all(len(pair) == 2 and pair[1][0] == "en" for pair in quoted), quoted
    assert [lang for lang, _ in quoted[0]] == ["fr", "en"]
    assert not doc.find_all("mark")  # the exercise still shows no highlight


def test_new_says_how_to_quote_a_translation(mini: Path) -> None:
    done = run_main("new", "other", "--from", FIXTURES / "seed/article.txt", "--language", "fr",
                    "--content", mini)
    assert done.returncode == 0, done.stderr
    text = (mini / "articles/other/annotations.yaml").read_text("utf-8")
    assert ('#    # with a translation.en.md, give its words too: quote: {fr: "…", en: "…"}'
            in text.splitlines())


WORDS = st.lists(st.sampled_from(['"mot"', "mot", "l'eau", ":", ";", "?", "«", "»", "*em*",
                                  "10 %", "'a'"]), min_size=1, max_size=12).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(source=WORDS, data=st.data())
def test_typeset_marks_keep_every_character_and_nest_well(source: str,
                                                          data: st.DataObject) -> None:
    body = parse_body(source)
    assume(body.text)
    ours = body.__class__(body.text, tuple(tuple(typography.tokens(g, "fr"))
                                           for g in body.groups), body.ranges)
    bounds = st.integers(0, len(body.text))
    spans = [_span(f"s{n}", *sorted(data.draw(st.tuples(bounds, bounds))), n + 1)
             for n in range(data.draw(st.integers(1, 4)))]
    spans = [s for s in spans if s.start < s.end]
    plain = parse(f"<div>{''.join(b.html for b in render_blocks(ours, [], 0))}</div>")
    marked = parse(f"<div>{''.join(b.html for b in render_blocks(ours, spans, 0, mirror=True))}"
                   "</div>")  # raises on badly nested marks
    assert marked.text() == plain.text()
    for span in spans:  # each highlight shows its words, but for quotation marks and spaces
        assert _letters(_outer_text(marked, span.annotation.id)) == _letters(
            body.text[span.start:span.end])


def _letters(text: str) -> str:
    return "".join('"' if c in "\"'«»“”‘’" else c for c in text if not c.isspace())
