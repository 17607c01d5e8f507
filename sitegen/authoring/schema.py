"""``sitegen schema``: the published JSON Schemas narrowed to one site → schemas/*.json.

The copies list the site's own category keys, rating keys and editions, so an editor flags
``category: framming``, ``verdict: flase`` or a ``de:`` text while the teacher types.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sitegen import fs
from sitegen.authoring import create_files, disk_errors, refuse_links_out
from sitegen.errors import UsageError
from sitegen.model import Site
from sitegen.theme.templates import THEME

PUBLISHED = THEME / "schemas"
NAMES = ("site", "article", "annotations")
MARKER = "Made by 'sitegen schema' for this site; run it again after editing site.yaml."
"""A file carrying this ``$comment`` is sitegen's own, so a new run may replace it."""


def site_schema(name: str, languages: Sequence[str], categories: Sequence[str],
                ratings: Sequence[str] = ()) -> dict[str, Any]:
    """The published schema ``name`` with this site's editions, category keys and rating
    keys (a site without ``ratings`` takes no ``verdict``, as ``sitegen check`` says)."""
    schema: dict[str, Any] = json.loads((PUBLISHED / f"{name}.schema.json").read_text("utf-8"))
    schema["$comment"] = MARKER
    per_edition = schema["$defs"]["localized"]["oneOf"][1]
    per_edition["propertyNames"] = {"enum": list(languages),
                                    "description": "An edition of this site."}
    if name == "annotations":
        fields = schema["properties"]["annotations"]["items"]["properties"]
        category = fields["category"]
        category.pop("$ref", None)
        category["enum"] = list(categories)
        verdict = fields["verdict"]
        verdict.pop("$ref", None)
        if ratings:
            verdict["enum"] = list(ratings)
        else:
            verdict["not"] = {}
            verdict["description"] = ("This site has no rating scale: define 'ratings' in "
                                      "site.yaml, then run 'sitegen schema' again.")
    return schema


def schema_files(languages: Sequence[str], categories: Sequence[str], out: Path,
                 ratings: Sequence[str] = ()) -> dict[Path, str]:
    """Each schema's path in ``out`` and its text."""
    return {out / f"{name}.schema.json":
            json.dumps(site_schema(name, languages, categories, ratings), ensure_ascii=False,
                       indent=2) + "\n" for name in NAMES}


def write_schemas(site: Site, out: Path) -> list[Path]:
    """Write the three schemas into ``out``, replacing only files an earlier run made."""
    new, ours = {}, {}
    keys = [c.key for c in site.categories]
    ratings = [r.key for r in site.ratings]
    for path, text in schema_files(site.languages, keys, out, ratings).items():
        if _is_ours(path):
            ours[path] = text  # made by an earlier run, from an older site.yaml
        else:
            new[path] = text
    return create_files(new, out, replace=ours)


def _is_ours(path: Path) -> bool:
    """Whether ``path`` is a regular file (not a link) that an earlier run wrote."""
    found = fs.read_nofollow(path, limit=fs.MAX_FILE_BYTES)
    try:
        data = json.loads(found[0]) if found is not None else None
    except ValueError:
        return False
    return isinstance(data, dict) and data.get("$comment") == MARKER


def schema_folder(content: Path, out: Path | None) -> Path:
    """Where the schemas go: ``out`` as given, else the content folder's ``schemas/``,
    which may not be a link leading out of the content folder."""
    folder = out if out is not None else content / "schemas"
    if out is None:
        refuse_links_out(folder, content)
    with disk_errors():
        if folder.exists() and not folder.is_dir():
            raise UsageError(f"{folder} is not a folder")
    return folder
