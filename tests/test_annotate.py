"""Select-to-annotate: the entry proposed for a selection anchors exactly there.

Proposals are checked the strongest way there is: pasted into a copy of the article's
annotations.yaml and run through the build's own loading and anchoring (``anchor_article``).
The preview server's endpoint is exercised over HTTP in tests/browser/test_annotate_panel.py
and below.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run_main
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sitegen.content.load import load_article, load_site
from sitegen.errors import Collector
from sitegen.model import Selector
from sitegen.serve.annotate import BROWSER_SPACE, answer, from_counts, yaml_block
from sitegen.text.anchoring import AnchoredArticle, anchor_article
from sitegen.text.quote import AnchorError, locate
from sitegen.text.selection import SelectionError, annotation_id, propose
from sitegen.text.words import key_words

SEED = ROOT / "content"
SLUG = "musk-riyadh"


def _prepared(content: Path, slug: str = SLUG) -> AnchoredArticle:
    problems = Collector()
    site = load_site(content, problems)
    assert site is not None
    article = load_article(content / "articles" / slug, site, problems)
    assert article is not None, problems.errors
    ready = anchor_article(article, problems)
    assert ready is not None and not problems.errors, [e.format_message()
                                                       for e in problems.errors]
    return ready


@pytest.fixture(scope="module")
def seed() -> AnchoredArticle:
    return _prepared(SEED)


def _counts(text: str, start: int, end: int) -> tuple[int, int, str]:
    """What the panel's script sends for ``text[start:end]``."""
    def before(i: int) -> int:
        return sum(ch not in BROWSER_SPACE for ch in text[:i])
    return before(start), before(end), text[start:end]


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def test_every_seed_highlight_is_proposed_as_an_entry_the_build_anchors_there(
        seed: AnchoredArticle, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(SEED, content)
    text = seed.plain_text
    taken = {a.id for a in seed.article.annotations}
    blocks, expected = [], {}
    for span in seed.spans:
        selector = propose(text, span.start, span.end)
        new = annotation_id(selector.quote, taken)
        taken.add(new)
        blocks.append(yaml_block(selector, span.annotation.category, new))
        expected[new] = (span.start, span.end)
    path = content / "articles" / SLUG / "annotations.yaml"
    source = path.read_text("utf-8")
    path.write_text(source.replace("annotations:\n", "annotations:\n" + "".join(blocks), 1),
                    "utf-8")
    ready = _prepared(content)
    found = {s.annotation.id: (s.start, s.end) for s in ready.spans}
    assert {k: found[k] for k in expected} == expected
    assert len(ready.spans) == 2 * len(seed.spans)


def test_a_unique_quote_gets_no_context_and_a_repeated_one_the_shortest(
        seed: AnchoredArticle) -> None:
    text = seed.plain_text
    first = text.index("Elon Musk")
    assert text.count("Elon Musk") > 1
    assert propose(text, first, first + len("Elon Musk")) == Selector("Elon Musk", None, " aux")
    second = text.index("Elon Musk", first + 1)
    assert propose(text, second, second + 9).prefix is not None
    assert propose(text, 0, len("La réaction")) == Selector("La réaction")


@st.composite
def selections(draw: st.DrawFn, text: str) -> tuple[int, int]:
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, min(len(text), start + 300)))
    return start, end


def _check(text: str, start: int, end: int) -> None:
    """The proposal for text[start:end] anchors exactly on its trimmed span, in full YAML,
    and no shorter context (one word fewer) would have done."""
    want = _trimmed(text, start, end)
    if want[0] == want[1]:
        with pytest.raises(SelectionError):
            propose(text, start, end)
        return
    selector = propose(text, start, end)
    block = yaml_block(selector, "sourcing", "x")
    entry = yaml.safe_load("annotations:\n" + block)["annotations"][0]
    assert locate(text, entry["quote"], entry.get("prefix"), entry.get("suffix")) == want
    for name in ("prefix", "suffix"):
        value = getattr(selector, name)
        if value is None or (selector.prefix and selector.suffix):
            continue
        words = value.split()
        shorter = " ".join(words[1:] if name == "prefix" else words[:-1])
        try:
            enough = locate(text, selector.quote, **{name: shorter or None}) == want
        except AnchorError:
            enough = False
        assert not enough, f"{name} {value!r} is longer than needed"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_selections_in_the_seed_anchor_where_they_were(seed: AnchoredArticle,
                                                                data: st.DataObject) -> None:
    text = seed.plain_text
    start, end = data.draw(selections(text))
    _check(text, start, end)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="ab ’'\n\u00a0«»", min_size=1, max_size=40), data=st.data())
def test_random_selections_in_repetitive_text_anchor_where_they_were(
        text: str, data: st.DataObject) -> None:
    assume(text.strip())
    start, end = data.draw(selections(text))
    _check(text, start, end)


def test_counts_from_the_page_map_back_to_the_text() -> None:
    text = "Titre\n\nUn  mot\u00a0: deux\n\nmots."
    start, end = text.index("mot"), text.index("deux") + 4
    counted = _counts(text, start, end)
    assert from_counts(text, counted[0], counted[1]) == (start, end)
    with pytest.raises(SelectionError):
        from_counts(text, 3, 3)
    with pytest.raises(SelectionError):
        from_counts(text, 0, 10_000)


def test_new_ids_are_valid_and_unique() -> None:
    assert annotation_id("L'incarnation même du leadership", set()) == "l-incarnation-meme-du"
    assert annotation_id("Élan", {"elan", "elan-2"}) == "elan-3"
    assert annotation_id("« … »", set()) == "note"


# --------------------------------------------------------------------------- the endpoint


def _ask(content: Path, text: str, start: int, end: int, **extra: str) -> tuple[int, dict]:
    s, e, shown = _counts(text, start, end)
    query = {"article": SLUG, "start": str(s), "end": str(e), "text": shown, **extra}
    found = answer(content, query)
    return found.status, json.loads(found.json())


def test_answer_proposes_an_entry_in_the_chosen_category(seed: AnchoredArticle) -> None:
    text = seed.plain_text
    start = text.index("un article de presse russe")
    status, body = _ask(SEED, text, start, start + 26, category="context")
    assert status == 200, body
    entry = yaml.safe_load("annotations:\n" + body["yaml"])["annotations"][0]
    assert entry["category"] == "context" and entry["quote"] == "un article de presse russe"
    assert entry["id"] not in {a.id for a in seed.article.annotations}
    assert [c["key"] for c in body["categories"]] == ["sourcing", "framing", "context"]


@pytest.mark.parametrize("change,status,message", [
    ({"article": "nope"}, 404, "no article 'nope'"),
    ({"article": "../content"}, 404, "no article"),
    ({"category": "framming"}, 400, "unknown category 'framming'"),
    ({"start": "x"}, 400, "start and end must be numbers"),
    ({"text": "something else"}, 409, "wait for it to reload"),
])
def test_answer_refuses_what_it_cannot_propose(seed: AnchoredArticle, change: dict[str, str],
                                               status: int, message: str) -> None:
    text = seed.plain_text
    start = text.index("Le 18 février")
    s, e, shown = _counts(text, start, start + 13)
    query = {"article": SLUG, "start": str(s), "end": str(e), "text": shown, **change}
    found = answer(SEED, query)
    assert found.status == status and message in found.body["error"]


def test_answer_asks_to_mend_an_unreadable_article_first(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(SEED, content)
    (content / "articles" / SLUG / "article.md").write_text("no front matter\n", "utf-8")
    found = answer(content, {"article": SLUG, "start": "0", "end": "2", "text": "no"})
    assert found.status == 409
    assert found.body["error"].startswith("fix the content first: ")
    assert "article.md:1:1: article.md has no front matter" in found.body["error"]


@pytest.mark.parametrize(("passage", "language", "words"), [
    ("For many, it was the first time they had voted", "en", ["first", "time", "voted"]),
    ("Young people have “tripled” turnout in the Riverton council race", "en",
     ["tripled", "turnout", "Riverton"]),
    ("youth turnout is up 300%", "en", ["youth", "turnout", "300"]),
    ("L'incarnation même du leadership compétent", "fr",
     ["incarnation", "leadership", "compétent"]),
    ("Experts say", "en", ["Experts", "say"]),  # one word of meaning: the passage's words
])
def test_a_passage_is_named_by_the_words_that_carry_its_meaning(
        passage: str, language: str, words: list[str]) -> None:
    assert key_words(passage, language) == words


def test_the_suggested_id_is_a_short_phrase_not_the_first_words(seed: AnchoredArticle) -> None:
    text = seed.plain_text
    passage = "un article de presse russe annonçant l'arrivée à Riyad"
    start = text.index(passage)
    status, body = _ask(SEED, text, start, start + len(passage))
    assert status == 200, body
    assert body["id"] == body["suggested"] == "article-annoncant-arrivee"
    assert body["id_problem"] is None
    assert yaml.safe_load("annotations:\n" + body["yaml"])["annotations"][0]["id"] == \
        "article-annoncant-arrivee"


@pytest.mark.parametrize(("wanted", "problem"), [
    ("russian-press", None),
    ("Russian press", "'Russian press' cannot be an id: use a-z, 0-9 and '-'"),
    (None, "is the id of another annotation of this article"),  # the seed's first id
])
def test_the_id_typed_in_the_panel_is_used_when_it_can_be(
        seed: AnchoredArticle, wanted: str | None, problem: str | None) -> None:
    wanted = wanted or seed.article.annotations[0].id
    text = seed.plain_text
    start = text.index("un article de presse russe")
    status, body = _ask(SEED, text, start, start + 26, id=wanted)
    assert status == 200, body
    entry = yaml.safe_load("annotations:\n" + body["yaml"])["annotations"][0]
    if problem is None:
        assert body["id_problem"] is None and entry["id"] == body["id"] == wanted
    else:
        assert problem in body["id_problem"]
        assert entry["id"] == body["id"] == body["suggested"] != wanted


def test_the_fact_check_fields_come_commented_and_pass_check_once_uncommented(
        seed: AnchoredArticle, tmp_path: Path) -> None:
    """The proposal offers ``claim`` and ``verdict`` (the site's rating keys listed) as
    comments: pasted as it is, the entry has neither; un-commented, ``sitegen check`` takes
    it (the "…" and the note are left for the author: warnings, not errors)."""
    content = tmp_path / "content"
    shutil.copytree(SEED, content)
    text = seed.plain_text
    start = text.index("un article de presse russe")
    status, body = _ask(content, text, start, start + 26)
    assert status == 200, body
    block = str(body["yaml"])
    site = load_site(content, Collector())
    assert site is not None and site.ratings
    keys = [r.key for r in site.ratings]
    assert f"    # verdict: {keys[0]}   # one of: {', '.join(keys)}\n" in block
    assert "    # claim: {text: " in block
    assert "claim" not in yaml.safe_load("annotations:\n" + block)["annotations"][0]
    uncommented = re.sub(r"(?m)^    # (claim|verdict):", r"    \1:", block)
    path = content / "articles" / SLUG / "annotations.yaml"
    path.write_text(path.read_text("utf-8").replace("annotations:\n",
                                                    "annotations:\n" + uncommented, 1),
                    "utf-8")
    done = run_main("check", "--content", content)
    assert done.returncode == 0, done.stderr
    assert " error" not in done.stderr
    entry = next(a for a in _prepared(content).article.annotations if a.id == body["id"])
    assert entry.check is not None and entry.check.verdict == keys[0]
    assert entry.check.claim is not None and entry.check.claim.by == "…"
