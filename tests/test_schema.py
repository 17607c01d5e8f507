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
from conftest import FIXTURES, ROOT

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
