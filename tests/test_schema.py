"""The published JSON Schemas accept the shipped content and the fixtures, and reject the
mistakes they can see (editors use them to flag errors while typing)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import FIXTURES, ROOT, ynode_values

from sitegen.authoring.schema import site_schema
from sitegen.content import loader
from sitegen.content.loader import YNode

SCHEMAS = ROOT / "schemas"
SITES = [ROOT / "content", FIXTURES / "mini"]


def _schema(name: str) -> dict[str, Any]:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema  # type: ignore[no-any-return]


def _plain(value: Any) -> Any:
    """YAML as an editor's schema checker sees it: dates are strings."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _yaml(path: Path) -> Any:
    return _plain(yaml.safe_load(path.read_text("utf-8")))


def _front(path: Path) -> Any:
    return _plain(yaml.safe_load(path.read_text("utf-8").split("---\n")[1]))


def _validate(name: str, data: Any) -> None:
    jsonschema.validate(data, _schema(name), cls=jsonschema.Draft202012Validator)


@pytest.mark.parametrize("root", SITES, ids=lambda p: p.name)
def test_content_matches_the_schemas(root: Path) -> None:
    _validate("site", _yaml(root / "site.yaml"))
    articles = sorted((root / "articles").iterdir())
    assert articles
    for folder in articles:
        _validate("article", _front(folder / "article.md"))
        _validate("annotations", _yaml(folder / "annotations.yaml"))


@pytest.mark.parametrize(
    ("case", "schema", "file"),
    [
        ("unknown-key", "annotations", "articles/sample/annotations.yaml"),
        ("bad-id", "annotations", "articles/sample/annotations.yaml"),
        ("bad-source-url", "annotations", "articles/sample/annotations.yaml"),
        ("voice-quoted", "annotations", "articles/sample/annotations.yaml"),
        ("no-quote", "annotations", "articles/sample/annotations.yaml"),
        ("site-missing-label", "site", "site.yaml"),
        ("bad-language-list", "site", "site.yaml"),
        ("missing-title", "article", "articles/sample/article.md"),
        ("non-http-original-url", "article", "articles/sample/article.md"),
    ],
)
def test_schemas_reject_broken_fixtures(case: str, schema: str, file: str) -> None:
    path = FIXTURES / "broken" / case / file
    data = _front(path) if path.suffix == ".md" else _yaml(path)
    with pytest.raises(jsonschema.ValidationError):
        _validate(schema, data)


def _as_an_editor_reads(node: YNode | None) -> Any:
    """A file read by sitegen's loader, which reads YAML's values as the editors' YAML 1.2
    does (``yes`` is text)."""
    return _plain(ynode_values(node))


def test_core_yes_is_refused_by_the_schema_as_by_check() -> None:
    """``core: yes`` is YAML 1.1's true, text to the editors' YAML 1.2: sitegen reads it as
    the editors do, so the schema and check both refuse it (check's message is in the
    fixture's expected.txt)."""
    path = FIXTURES / "broken" / "core-not-boolean" / "articles/sample/annotations.yaml"
    assert "    core: yes\n" in path.read_text("utf-8")
    data = _as_an_editor_reads(loader.parse_yaml(loader.read_text(path, "a"), "a"))
    assert data["questions"][0]["core"] == "yes"
    with pytest.raises(jsonschema.ValidationError, match="'yes' is not of type 'boolean'"):
        _validate("annotations", {"questions": data["questions"]})


def test_a_note_about_the_whole_article_says_so() -> None:
    entry = {"id": "a", "category": "context", "note": "About the whole text."}
    with pytest.raises(jsonschema.ValidationError):
        _validate("annotations", {"annotations": [entry]})
    _validate("annotations", {"annotations": [{**entry, "scope": "article"}]})
    with pytest.raises(jsonschema.ValidationError):  # a quote and scope: one or the other
        _validate("annotations", {"annotations": [{**entry, "scope": "article",
                                                   "quote": "the"}]})


def test_a_sites_schema_takes_only_its_own_rating_keys_as_verdicts() -> None:
    """``sitegen schema`` narrows ``verdict`` to the site's rating keys, as ``check`` does:
    the seed's annotations pass, a misspelt key is flagged while typing, and a site without
    ``ratings`` takes no verdict at all."""
    site = _yaml(ROOT / "content" / "site.yaml")
    keys = [rating["key"] for rating in site["ratings"]]
    languages, categories = site["languages"], list(site["categories"])
    narrowed = site_schema("annotations", languages, categories, keys)
    unrated = site_schema("annotations", languages, categories)
    for schema in (narrowed, unrated):
        jsonschema.Draft202012Validator.check_schema(schema)
    seed = _yaml(ROOT / "content" / "articles" / "musk-riyadh" / "annotations.yaml")
    jsonschema.validate(seed, narrowed, cls=jsonschema.Draft202012Validator)
    rated = next(item for item in seed["annotations"] if "verdict" in item)
    for schema, verdict in ((narrowed, keys[0] + "x"), (narrowed, "true"), (unrated, keys[0])):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({"annotations": [rated | {"verdict": verdict}]}, schema,
                                cls=jsonschema.Draft202012Validator)
