"""The fact-check layer (docs/factcheck.md): verdicts on the site's rating scale, the
ClaimReview JSON-LD in each explainer page's head (checked against schema.org's own
definitions, vendored in fixtures/schemaorg with their source and licence), quotations
compared word by word, takeaways, corrections and the method box, on the seed's pages
and teacher keys; and the format's errors."""

from __future__ import annotations

import csv
import json
import re
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, ROOT, Built, run_main, teacher_file
from htmltree import Element, parse

from sitegen.content.load import load_article, load_site
from sitegen.errors import Collector
from sitegen.model import Claim, Localized
from sitegen.text.wordiff import word_diff
from sitegen.views import export

SCHEMA = "https://schema.org/"
LITERALS = {"Text", "URL", "Date", "DateTime", "Number", "Integer"}
"""schema.org data types: a JSON string or number stands for one of them."""
PAGES = {"fr": "musk-riyadh/index.html", "en": "en/musk-riyadh/index.html"}
KEYS = {"fr": "musk-riyadh/teacher.html", "en": "en/musk-riyadh/teacher.html"}
# What a ClaimReview must give (issue 23): a reader of fact-check databases needs each one.
REQUIRED = ("claimReviewed", "reviewRating", "author", "url", "itemReviewed")
RATING = ("ratingValue", "bestRating", "worstRating", "alternateName")


@cache
def vocabulary() -> tuple[dict[str, set[str]], dict[str, tuple[set[str], set[str]]]]:
    """schema.org's types (name → its supertypes, itself included) and properties (name →
    the types it may be used on, the types of its values), from the vendored rows."""
    folder = FIXTURES / "schemaorg"

    def rows(name: str) -> list[dict[str, str]]:
        with (folder / name).open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))

    def names(field: str) -> set[str]:
        return {v.strip().removeprefix(SCHEMA) for v in field.split(",") if v.strip()}

    parents = {r["label"]: names(r["subTypeOf"]) for r in rows("types.csv")}

    def supertypes(name: str) -> set[str]:
        found = {name}
        for parent in parents.get(name, ()):
            found |= supertypes(parent)
        return found

    types = {name: supertypes(name) for name in parents}
    props = {r["label"]: (names(r["domainIncludes"]), names(r["rangeIncludes"]))
             for r in rows("properties.csv")}
    return types, props


def check_node(node: dict[str, Any], where: str) -> list[str]:
    """Every way ``node`` (a JSON-LD object with an @type) breaks schema.org's definitions:
    an unknown type or property, a property not defined on the node's type, a value of a
    type the property does not take."""
    types, props = vocabulary()
    kind = node.get("@type")
    if kind not in types:
        return [f"{where}: unknown type {kind!r}"]
    problems = []
    for key, value in node.items():
        if key.startswith("@"):
            continue
        if key not in props:
            problems.append(f"{where}: unknown property {key!r}")
            continue
        domain, range_ = props[key]
        if not types[kind] & domain:
            problems.append(f"{where}: {key!r} is not a property of {kind}")
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                inner = item.get("@type", "")
                if inner not in types or not types[inner] & range_:
                    problems.append(f"{where}.{key}: {inner!r} is not one of {sorted(range_)}")
                problems += check_node(item, f"{where}.{key}")
            elif isinstance(item, (str, int, float)) and not range_ & LITERALS:
                problems.append(f"{where}.{key}: a literal where {sorted(range_)} is expected")
    return problems


def page(out: Path, rel: str) -> Element:
    return parse(teacher_file(out, rel).read_text(encoding="utf-8"))


def claim_reviews(tree: Element) -> list[dict[str, Any]]:
    scripts = tree.find_all("script", type="application/ld+json")
    assert len(scripts) == 1, "one JSON-LD block in the head"
    assert any(h.tag == "head" for h in scripts[0].ancestors())
    data = json.loads(scripts[0].text())
    assert data["@context"] == "https://schema.org"
    items: list[dict[str, Any]] = data["@graph"]
    return items


@pytest.mark.parametrize("lang", PAGES)
def test_each_checked_claim_is_a_claim_review_that_schemaorg_defines(
        built_seed: Built, lang: str) -> None:
    tree = page(built_seed.out, PAGES[lang])
    items = claim_reviews(tree)
    assert len(items) >= 8
    problems = [p for i, item in enumerate(items) for p in check_node(item, f"item {i}")]
    assert not problems, "\n".join(problems)
    table = tree.find("section", cls="claims-checked")
    assert table is not None
    shown = [v.text() for v in table.find_all("strong") if v.parent
             and "verdict" in v.parent.classes]
    for item in items:
        assert item["@type"] == "ClaimReview"
        missing = [k for k in REQUIRED if not item.get(k)]
        missing += [k for k in RATING if item["reviewRating"].get(k) in (None, "")]
        assert not missing, f"{item['url']}: missing {missing}"
        rating = item["reviewRating"]
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
        assert item["itemReviewed"]["@type"] == "Claim"
        assert item["itemReviewed"].get("appearance") or item["itemReviewed"].get("author")
        assert item["inLanguage"] == lang and item["datePublished"] and item["dateModified"]
        # The review's address is its note, and its label is shown on the page.
        note_id = item["url"].removeprefix("#")
        note = tree.by_id(note_id)
        assert note is not None and item["url"].startswith("#note-")
        verdict = note.find("span", cls="verdict")
        assert verdict is not None and rating["alternateName"] in verdict.text()
        assert rating["alternateName"] in shown


def test_the_json_ld_cannot_close_its_script() -> None:
    """A claim holding ``</script>`` stays data: <, > and & are escaped in the JSON."""
    problems = Collector()
    site = load_site(ROOT / "content", problems)
    assert site is not None
    article = load_article(ROOT / "content" / "articles" / "musk-riyadh", site, problems)
    assert article is not None and not problems.errors
    checked = next(a for a in article.annotations if a.check and a.check.verdict)
    assert checked.check is not None
    hostile = Claim(Localized((("", "</script><script>alert(1)</script> & co"),)), None, None)
    ann = replace(checked, check=replace(checked.check, claim=hostile))
    text = export.claim_reviews(article, site, "fr", [ann])
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["@graph"][0]["claimReviewed"].startswith("</script>")


@pytest.mark.parametrize("lang", PAGES)
def test_quotations_are_compared_word_by_word(built_seed: Built, lang: str) -> None:
    tree = page(built_seed.out, PAGES[lang])
    table = tree.find("section", cls="quotations-compared")
    assert table is not None
    rows = table.find_all("tr")[1:]
    assert len(rows) >= 4
    cue = {"fr": ("retiré", "ajouté"), "en": ("removed", "added")}[lang]
    for row in rows:
        removed, added = row.find_all("del"), row.find_all("ins")
        assert removed and added, row.text()
        # Said in words too, not by colour (or strike-through) alone.
        for mark, said in ((removed[0], cue[0]), (added[0], cue[1])):
            hidden = mark.find("span", cls="visually-hidden")
            assert hidden is not None and said in hidden.text()
    zelensky = next(r for r in rows if "survive" in r.text())
    assert ("gagner" if lang == "fr" else "winning") in "".join(
        i.text() for i in zelensky.find_all("ins"))


def test_the_comparison_marks_only_what_changed() -> None:
    pieces = word_diff("peu de chances de survivre", "« très peu de chances de gagner »")
    assert [(p.kind, p.text) for p in pieces] == [
        ("ins", "très"), ("same", "peu de chances de"), ("del", "survivre"), ("ins", "gagner")]


@pytest.mark.parametrize("lang", PAGES)
def test_takeaways_come_before_the_article_and_corrections_at_the_end(
        built_seed: Built, lang: str) -> None:
    tree = page(built_seed.out, PAGES[lang])
    order = [el for el in tree.iter() if el.tag == "section"]
    takeaways = tree.find("section", cls="takeaways")
    article = tree.find("section", cls="article-text")
    corrections = tree.find("section", cls="corrections")
    assert takeaways is not None and article is not None and corrections is not None
    assert order.index(takeaways) < order.index(article) < order.index(corrections)
    assert 3 <= len(takeaways.find_all("li")) <= 5
    assert len(corrections.find_all("li")) >= 2
    byline = tree.find("p", cls="explainer-byline")
    assert byline is not None and byline.find("time") is not None
    scale = tree.find_all("dl", cls="rating-scale")
    assert len(scale) == 1 and len(scale[0].find_all("dd")) == 4
    method = tree.find("section", cls="method")
    assert method is not None and len(method.find_all("li")) >= 3


@pytest.mark.parametrize("lang", KEYS)
def test_the_teacher_key_shows_the_verdicts(built_seed: Built, lang: str) -> None:
    tree = page(built_seed.out, KEYS[lang])
    assert tree.find("section", cls="claims-checked") is not None
    assert tree.find("section", cls="takeaways") is not None
    assert tree.find("section", cls="corrections") is not None
    assert len(tree.find_all("p", cls="verdict-line")) >= 8


def write_check(mini: Path, annotation: str) -> None:
    """The mini site with a rating scale and one annotation's fact-check fields."""
    site = mini / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + (
        "publisher: {name: Mini}\n"
        "ratings:\n"
        "  - {key: confirmed, label: {en: confirmed, fr: confirmé},"
        " definition: {en: Supported., fr: Appuyé.}}\n"
        "  - {key: contradicted, label: {en: contradicted, fr: contredit},"
        " definition: {en: Wrong., fr: Faux.}}\n"), encoding="utf-8")
    path = mini / "articles" / "sample" / "annotations.yaml"
    text = path.read_text(encoding="utf-8")
    category = "    category: sourcing\n"
    anchor = category + "    quote: {en: \"a local newspaper\""
    assert anchor in text
    path.write_text(text.replace(anchor, category + annotation + anchor.removeprefix(category), 1),
                    encoding="utf-8")


def test_a_mistyped_rating_names_the_nearest_one(mini: Path) -> None:
    write_check(mini, "    claim: {text: {en: \"A claim.\", fr: \"Une affirmation.\"}}\n"
                      "    verdict: contradictd\n")
    done = run_main("check", "--content", mini)
    assert done.returncode != 0
    line = next(x for x in done.stderr.splitlines() if "unknown rating" in x)
    assert "annotations.yaml:" in line and "contradictd" in line
    assert "contradicted" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_verdict_needs_its_claim_and_an_original_its_source(mini: Path) -> None:
    write_check(mini, "    verdict: confirmed\n"
                      "    original: {text: \"x\", language: en, speaker: Someone}\n")
    done = run_main("check", "--content", mini)
    assert done.returncode != 0
    assert "'verdict' needs the 'claim' it rates" in done.stderr
    assert "original is missing required key 'source'" in done.stderr


def test_a_checked_mini_site_builds_its_claim_review(mini: Path, tmp_path: Path) -> None:
    write_check(mini, "    claim: {text: {en: \"A claim.\", fr: \"Une affirmation.\"}, by: Mayor}\n"
                      "    verdict: contradicted\n")
    done = run_main("build", "--content", mini, "--out", tmp_path / "site", "--no-pdf")
    assert done.returncode == 0, done.stderr
    tree = page(tmp_path / "site", "sample/index.html")
    [item] = claim_reviews(tree)
    assert item["reviewRating"]["ratingValue"] == 1 and item["reviewRating"]["bestRating"] == 2
    assert item["itemReviewed"]["author"] == {"@type": "Person", "name": "Mayor"}
    assert item["author"] == {"@type": "Organization", "name": "Mini"}
    assert "datePublished" not in item  # the explainer gives no date: none is made up


SEED = ROOT / "content" / "articles" / "musk-riyadh"
FACTS = FIXTURES / "seed" / "facts.md"


def seed_yaml(name: str) -> dict[str, Any]:
    loaded = yaml.safe_load((SEED / name).read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_the_seed_rates_claims_with_the_fact_sheets_labels_and_cites_its_originals() -> None:
    """Each verdict is a level of the sheet's scale, whose labels are the sheet's own; each
    original and its source are in the fact sheet, word for word."""
    facts = FACTS.read_text(encoding="utf-8")
    site = yaml.safe_load((ROOT / "content" / "site.yaml").read_text(encoding="utf-8"))
    scale = {r["key"]: r for r in site["ratings"]}
    for key, rating in scale.items():
        assert f"**{rating['label']['en']}**" in facts, key  # the sheet's "Confidence labels"
    annotations = seed_yaml("annotations.yaml")["annotations"]
    rated = [a for a in annotations if "verdict" in a]
    assert len(rated) >= 8
    assert all(a["verdict"] in scale and a["claim"]["text"]["fr"] and a["claim"]["text"]["en"]
               for a in rated)
    originals = [a["original"] for a in annotations if "original" in a]
    assert len(originals) >= 4
    for original in originals:
        assert original["text"] in facts.replace("**", ""), original["text"]  # bold aside
        url = original["source"]["url"]
        assert re.search(re.escape(url) + r"(?=[\s).,]|$)", facts), url


def test_the_seed_gives_takeaways_dates_and_its_corrections() -> None:
    text = (SEED / "article.md").read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n", 2)[1])
    assert 3 <= len(front["takeaways"]) <= 5
    assert all(t["fr"] and t["en"] for t in front["takeaways"])
    dates = [c["date"] for c in front["corrections"]]
    assert len(dates) >= 2 and max(dates) == front["updated"] and min(dates) > front["created"]


def test_a_source_with_only_an_archive_copy_is_linked_and_one_with_nothing_is_warned_of(
        mini: Path, tmp_path: Path) -> None:
    path = mini / "articles" / "sample" / "annotations.yaml"
    text = path.read_text(encoding="utf-8")
    council = '{title: "River plan", publisher: "Example Council", date: 2025-02, url: "https://example.org/council"}'
    assert council in text
    more = ('\n      - {publisher: "Old Gazette", archived: "https://archive.example/gazette", '
            'accessed: 2025-03-01}\n      - {publisher: "Word of mouth"}')
    path.write_text(text.replace(council, council + more), encoding="utf-8")
    done = run_main("build", "--content", mini, "--out", tmp_path / "site", "--no-pdf")
    assert done.returncode == 0, done.stderr
    warned = [x for x in done.stderr.splitlines() if "neither a URL nor an archived copy" in x]
    assert len(warned) == 1 and "Word of mouth" in warned[0] and "annotations.yaml:" in warned[0]
    tree = page(tmp_path / "site", "sample/index.html")
    sources = tree.find("ol", cls="source-list")
    assert sources is not None
    gazette = next(li for li in sources.find_all("li") if "Old Gazette" in li.text())
    assert [a.attrs["href"] for a in gazette.find_all("a")] == ["https://archive.example/gazette"]
    assert "archived copy" in gazette.text() and "accessed 1 Mar 2025" in gazette.text()
    mouth = next(li for li in sources.find_all("li") if "Word of mouth" in li.text())
    assert not mouth.find_all("a")


def test_new_articles_offer_a_verdict_on_the_sites_scale(mini: Path) -> None:
    """`sitegen new` shows the layer's fields; its example, once uncommented, checks."""
    write_check(mini, "")
    seed_text = FIXTURES / "seed" / "article.txt"
    done = run_main("new", "other", "--from", seed_text, "--content", mini)
    assert done.returncode == 0, done.stderr
    path = mini / "articles" / "other" / "annotations.yaml"
    text = path.read_text(encoding="utf-8")
    assert "#    verdict: confirmed   # one of: confirmed, contradicted" in text
    path.write_text(re.sub(r"(?m)^#(  )", r"\1", text), encoding="utf-8")
    first = yaml.safe_load(path.read_text(encoding="utf-8"))["annotations"][0]
    assert first["verdict"] == "confirmed" and first["claim"]["text"]
    done = run_main("check", "--content", mini)
    assert done.returncode == 0, done.stderr


def test_french_typography_spares_english_titles_and_reaches_the_keys_counts(
        built_seed: Built) -> None:
    tree = page(built_seed.out, PAGES["fr"])
    titles = [c.text() for c in tree.find_all("cite")]
    assert "Embassy Row: Putin taps envoy" in titles
    key = page(built_seed.out, KEYS["fr"])
    lesson = key.find("section", cls="lesson")
    assert lesson is not None and "Sources\u00a0: " in lesson.text()
