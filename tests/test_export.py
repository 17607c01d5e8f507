"""The W3C Web Annotation export: `<slug>/annotations.jsonld`, checked against the W3C
test suite's own JSON Schemas (the ones used here, vendored in
fixtures/w3c-web-annotation-tests with the suite's license)."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, ROOT, Built, run_main
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT4

from sitegen.content.load import load_article, load_site
from sitegen.errors import Collector
from sitegen.text.anchoring import AnchoredArticle, anchor_article

W3C = FIXTURES / "w3c-web-annotation-tests"

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
# What the suite's optional ("may"/"should") schemas must see in an anchored annotation:
# proof that the MUST schemas looked at our bodies and selectors instead of passing vacuously.
FEATURES = [
    "annotations/3.3.5-annotationMotivationImplemented.json",
    "annotations/bodiesTargets/3.2.1-bodyFormat.json",
    "annotations/bodiesTargets/3.2.1-bodyLanguage.json",
    "annotations/bodiesTargets/3.3.5-bodyPurpose.json",
    "annotations/bodiesTargets/3.2.4-bodyETBTypeTextualBody.json",
    "annotations/bodiesTargets/4-targSpecificResource.json",
    "annotations/specificResource/4.2.4-textQuoteSelector.json",
    "annotations/specificResource/4.2.4-prefix.json",
    "annotations/specificResource/4.2.4-suffix.json",
    "annotations/specificResource/4.2.5-textPositionSelector.json",
]


def _absolute_iri(value: object) -> bool:
    """Format ``uri`` as the suite means it: an absolute IRI (scheme, colon, no spaces).
    jsonschema checks ``uri`` only with an optional package; this keeps the check on."""
    return not isinstance(value, str) or re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:\S+", value) \
        is not None


@cache
def _registry() -> Registry[Any]:
    """The suite's definitions, named as its schemas name them (``id.json``, …)."""
    registry: Registry[Any] = Registry()
    for path in sorted((W3C / "definitions").glob("*.json")):
        resource = DRAFT4.create_resource(json.loads(path.read_text("utf-8")))
        registry = registry.with_resource(path.name, resource)
    return registry


def _validator_for(schema: dict[str, Any]) -> Draft4Validator:
    formats = FormatChecker()
    formats.checks("uri")(_absolute_iri)
    return Draft4Validator(schema, registry=_registry(), format_checker=formats)


@cache
def _validator(name: str) -> Draft4Validator:
    """A draft-04 validator for one of the suite's schemas; ``$ref``s to ``id.json`` etc.
    resolve to the vendored definitions (the schemas' ids are relative file names)."""
    return _validator_for(json.loads((W3C / name).read_text("utf-8")))


def _lenient_json(path: Path) -> Any:
    """The suite's samples, some with trailing commas (which are not their fault)."""
    return json.loads(re.sub(r",(\s*[}\]])", r"\1", path.read_text("utf-8")))


def must_schemas() -> list[str]:
    manifest = json.loads((W3C / "annotations/annotationMusts.test").read_text("utf-8"))
    return list(manifest["assertions"])


def failures(item: object, schemas: list[str]) -> list[str]:
    """The schemas ``item`` fails, each with its first error."""
    found = []
    for name in schemas:
        errors = list(_validator(name).iter_errors(item))
        if errors:
            found.append(f"{name}: {errors[0].message[:200]}")
    return found


def build_export(content: Path, out: Path, slug: str = "sample") -> dict[str, Any]:
    result = run_main("build", "--content", content, "--out", out, "--no-pdf")
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads((out / slug / "annotations.jsonld").read_text("utf-8"))
    return data


def anchored_article(content: Path, slug: str = "sample") -> AnchoredArticle:
    problems = Collector()
    site = load_site(content, problems)
    assert site is not None
    article = load_article(content / "articles" / slug, site, problems)
    assert article is not None
    ready = anchor_article(article, problems)
    assert ready is not None and not problems.errors
    return ready


def items(data: dict[str, Any]) -> list[dict[str, Any]]:
    page = data["first"]
    assert page["type"] == "AnnotationPage"
    found: list[dict[str, Any]] = page["items"]
    assert data["total"] == len(found)
    return found


def article_target(item: dict[str, Any]) -> dict[str, Any]:
    """An anchored annotation's target in the article: its only one, or the first, before
    its targets in the translations that mark it too."""
    target = item["target"]
    found: dict[str, Any] = target if isinstance(target, dict) else target[0]
    return found


def selectors(item: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["type"]: s for s in article_target(item)["selector"]}


def anchored_items(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The annotations that target a passage (an article-level note targets the article)."""
    return [i for i in items(data) if not isinstance(i["target"], str)]


@pytest.fixture(scope="module")
def mini_export(built_mini: Built) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((built_mini.out / "sample/annotations.jsonld")
                                      .read_text("utf-8"))
    return data


def test_collection_shape(mini_export: dict[str, Any], built_mini: Built) -> None:
    data = mini_export
    assert data["@context"] == CONTEXT
    assert data["type"] == "AnnotationCollection"
    assert data["first"]["startIndex"] == 0
    found = items(data)
    assert [i["id"].rsplit(":", 1)[1] for i in found] == [
        "headline-historic", "historic", "across", "local-newspaper", "critics",
        "no-opposition"]
    for item in found:
        assert item["@context"] == CONTEXT and item["type"] == "Annotation"
        assert item["motivation"] == "commenting"
        notes = [b for b in item["body"] if b["purpose"] == "commenting"]
        assert [b["language"] for b in notes] == ["en", "fr"]
        assert all(b["format"] == "text/markdown" for b in notes)
        assert [b["value"] for b in item["body"] if b["purpose"] == "tagging"] in (
            ["sourcing"], ["framing"], ["context"])
    by_id = {i["id"]: i for i in found}
    article_level = by_id["urn:sitegen:sample:no-opposition"]
    assert article_level["target"] == "https://example.org/news/river-plan"
    links = [b["value"] for b in article_level["body"] if b["purpose"] == "linking"]
    assert links == ["[Example Council](<https://example.org/minutes>)"]
    # Only the default edition's folder holds the export.
    out = built_mini.out
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.jsonld")) == [
        "sample/annotations.jsonld"]


def test_every_annotation_meets_every_must_schema(mini_export: dict[str, Any]) -> None:
    schemas = must_schemas()
    assert len(schemas) >= 50
    for item in items(mini_export):
        assert failures(item, schemas) == [], item["id"]


def test_the_schemas_see_bodies_and_selectors(mini_export: dict[str, Any]) -> None:
    anchored = anchored_items(mini_export)
    assert anchored
    for item in anchored:
        assert failures(item, FEATURES) == [], item["id"]


def test_the_validator_rejects_what_the_suite_calls_incorrect() -> None:
    schemas = must_schemas()
    assert failures({}, schemas)  # incorrect/anno2.json: no @context, id, type or target
    checked = 0
    for path in sorted((W3C / "tools/samples/incorrect").glob("*.json")):
        try:
            sample = _lenient_json(path)
        except ValueError:
            continue  # anno1.json is not JSON at all
        assert failures(sample, schemas), path.name
        checked += 1
    assert checked >= 30
    for path in sorted((W3C / "tools/samples/correct").glob("anno*.json")):
        sample = _lenient_json(path)
        # The suite's own target schema knows no Composite, List or Independents.
        if isinstance(sample["target"], dict) and sample["target"].get("type") in (
                "Composite", "List", "Independents"):
            continue
        assert failures(sample, schemas) == [], path.name
    relative = {"@context": CONTEXT, "id": "sample/anno1", "type": "Annotation",
                "target": "urn:sitegen:sample"}
    assert any("annotationIdValidated" in f for f in failures(relative, schemas))


def test_the_collection_and_its_page_meet_the_suite_definitions(
        mini_export: dict[str, Any]) -> None:
    def check(value: object, names: list[str]) -> list[str]:
        schema = {"allOf": [{"$ref": name} for name in names]}
        return [e.message[:200] for e in _validator_for(schema).iter_errors(value)]

    collection = {k: v for k, v in mini_export.items() if k != "first"}
    defs = "collections.json#/definitions/"
    assert check(mini_export, ["id.json#/definitions/idValueFound", *(defs + d for d in (
        "annotationCollectionTypeValueFound", "labelDefinition", "totalDefinition",
        "firstFound", "firstValidIfPresent", "firstRequiredIfTotalMoreThanZero",
        "lastValidIfPresent"))]) == []
    assert collection["@context"] == CONTEXT
    assert check(mini_export["first"], ["id.json#/definitions/idValueFound", *(
        defs + d for d in ("annotationPageTypeValueFound", "partOfFound",
                           "startIndexDefinition", "itemsFound", "nextValidIfPresent",
                           "prevValidIfPresent"))]) == []
    assert mini_export["first"]["partOf"] == mini_export["id"]


def test_offsets_are_code_points_of_the_canonical_text(mini_export: dict[str, Any]) -> None:
    text = anchored_article(FIXTURES / "mini").plain_text
    anchored = anchored_items(mini_export)
    assert len(anchored) == 5
    for item in anchored:
        sel = selectors(item)
        start, end = sel["TextPositionSelector"]["start"], sel["TextPositionSelector"]["end"]
        quote = sel["TextQuoteSelector"]
        assert text[start:end] == quote["exact"]
        assert text[:start].endswith(quote.get("prefix", ""))
        assert text[end:].startswith(quote.get("suffix", ""))
        assert len(quote.get("prefix", "")) <= 32 and len(quote.get("suffix", "")) <= 32
        assert article_target(item)["source"] == "https://example.org/news/river-plan"
    across = next(i for i in anchored if i["id"].endswith(":across"))
    assert selectors(across)["TextQuoteSelector"]["exact"] == (
        "according to a local newspaper.\n\nCritics called it a costly")


def test_a_character_outside_the_bmp_counts_once(mini: Path, tmp_path: Path,
                                                 mini_export: dict[str, Any]) -> None:
    def edit(name: str, old: str, new: str) -> None:
        path = mini / "articles/sample" / name
        text = path.read_text("utf-8")
        assert old in text
        path.write_text(text.replace(old, new), "utf-8")

    edit("article.md", "Critics called", "😀 Critics called")
    edit("article.md", "original_url: https://example.org/news/river-plan", "original_url: null")
    edit("annotations.yaml", "newspaper. Critics", "newspaper. 😀 Critics")
    before = {i["id"]: i for i in items(mini_export)}
    after = {i["id"]: i for i in items(build_export(mini, tmp_path / "b"))}
    text = anchored_article(mini).plain_text
    critics = selectors(after["urn:sitegen:sample:critics"])
    position = critics["TextPositionSelector"]
    assert text[position["start"]:position["end"]] == "Critics"
    assert text[position["start"] - 2:position["start"]] == "😀 "
    old = selectors(before["urn:sitegen:sample:critics"])["TextPositionSelector"]
    # one code point and one space, though the emoji is two UTF-16 units and four bytes
    assert position["start"] == old["start"] + 2
    assert critics["TextQuoteSelector"]["prefix"].endswith("😀 ")
    across = selectors(after["urn:sitegen:sample:across"])
    start, end = (across["TextPositionSelector"][k] for k in ("start", "end"))
    assert text[start:end] == across["TextQuoteSelector"]["exact"]
    assert "😀" in across["TextQuoteSelector"]["exact"]
    old_across = selectors(before["urn:sitegen:sample:across"])["TextPositionSelector"]
    assert (start, end) == (old_across["start"], old_across["end"] + 2)
    # Without original_url the article is named by a URN, never by an invented URL.
    assert article_target(after["urn:sitegen:sample:critics"])["source"] == "urn:sitegen:sample"
    assert after["urn:sitegen:sample:no-opposition"]["target"] == "urn:sitegen:sample"
    raw = (tmp_path / "b/sample/annotations.jsonld").read_text("utf-8")
    assert "😀" in raw and "\\ud83d" not in raw


def test_an_article_without_annotations_has_an_empty_collection(mini: Path,
                                                                 tmp_path: Path) -> None:
    (mini / "articles/sample/annotations.yaml").write_text("annotations: []\n", "utf-8")
    data = build_export(mini, tmp_path / "site")
    assert data["total"] == 0 and "first" not in data
    assert data["type"] == "AnnotationCollection"


def test_two_builds_give_the_same_bytes(built_mini: Built, tmp_path: Path) -> None:
    first = built_mini.out
    second = tmp_path / "two"
    build_export(FIXTURES / "mini", second)
    a = (first / "sample/annotations.jsonld").read_bytes()
    b = (second / "sample/annotations.jsonld").read_bytes()
    assert a == b and a.endswith(b"}\n")
    assert json.loads(a) == json.loads(json.dumps(json.loads(a), sort_keys=True))


def test_the_seed_article_exports_every_annotation(built_seed: Built) -> None:
    content = ROOT / "content"
    slug = "musk-riyadh"
    data = json.loads((built_seed.out / slug / "annotations.jsonld").read_text("utf-8"))
    ready = anchored_article(content, slug)
    found = items(data)
    written = yaml.safe_load((content / "articles" / slug / "annotations.yaml").read_text("utf-8"))
    assert len(found) == len(ready.article.annotations) == len(written["annotations"])
    text = ready.plain_text
    anchored = anchored_items(data)
    assert len(anchored) == len(ready.spans)
    for item in anchored:
        position = selectors(item)["TextPositionSelector"]
        assert text[position["start"]:position["end"]] == (
            selectors(item)["TextQuoteSelector"]["exact"])
    schemas = must_schemas()
    for item in found:
        assert failures(item, schemas) == [], item["id"]


@pytest.mark.parametrize("site", ["mini", "seed"])
def test_a_highlight_marked_in_a_translation_targets_it_too(
        site: str, built_mini: Built, built_seed: Built) -> None:
    """Each highlight a translation marks has a second target: that passage of the
    translation's canonical text, by its words and their place, its source a Text in that
    language; a highlight no translation marks keeps its one target."""
    content, slug, out = ((FIXTURES / "mini", "sample", built_mini.out) if site == "mini"
                          else (ROOT / "content", "musk-riyadh", built_seed.out))
    ready = anchored_article(content, slug)
    assert ready.translated_spans and any(ready.translated_spans.values())
    data = json.loads((out / slug / "annotations.jsonld").read_text("utf-8"))
    for item in anchored_items(data):
        ann_id = item["id"].rsplit(":", 1)[1]
        expected = [lang for lang, spans in sorted(ready.translated_spans.items())
                    if any(span.annotation.id == ann_id for span in spans)]
        targets = item["target"] if isinstance(item["target"], list) else [item["target"]]
        assert [t["source"]["language"] for t in targets[1:]] == expected, ann_id
        for lang, target in zip(expected, targets[1:], strict=True):
            assert target["source"] == {"id": f"urn:sitegen:{slug}:translation.{lang}",
                                        "type": "Text", "language": lang}
            found = {s["type"]: s for s in target["selector"]}
            position, quote = found["TextPositionSelector"], found["TextQuoteSelector"]
            words = ready.translated_text(lang)
            assert words[position["start"]:position["end"]] == quote["exact"]
            assert words[:position["start"]].endswith(quote.get("prefix", ""))
            assert words[position["end"]:].startswith(quote.get("suffix", ""))
    if site == "seed":  # the English edition marks all 30 highlights in the translation
        assert all(isinstance(i["target"], list) for i in anchored_items(data))
