"""Data flows one way: a module may import only the modules below it in the pipeline."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest
from conftest import ROOT

from sitegen import i18n

PACKAGE = ROOT / "sitegen"
# module → sitegen modules it must not import; {"*", a, b} means "only a and b"
FORBIDDEN: dict[str, set[str]] = {
    "errors": {"*"},
    "compiled": {"*"},
    "model": {"*", "errors"},
    "anchor": {"*"},
    "loader": {"*", "errors", "yaml_errors"},
    "yaml_errors": {"*", "errors"},
    "markdown": {"*", "model", "typography"},
    "typography": {"*"},
    "validate": {"anchor", "markdown", "templates", "pages", "build", "writer", "cli"},
    "writer": {"*", "errors", "ledger"},
    "ledger": {"*", "errors"},
    "pages": {"build", "writer", "cli"},
    "export": {"*", "model", "prepare", "pages"},
    "build": {"cli", "markdown", "pages", "prepare", "export"},
    "render": {"build", "cli", "serve"},
    "annotate": {"templates", "pages", "build", "writer", "serve", "cli"},
}


def _imports(module: str) -> set[str]:
    tree = ast.parse((PACKAGE / f"{module}.py").read_text("utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sitegen"):
            name = node.module.removeprefix("sitegen").lstrip(".")
            found |= {name} if name else {alias.name for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name.removeprefix("sitegen.") for a in node.names
                      if a.name.startswith("sitegen.")}
    return found


@pytest.mark.parametrize("module", sorted(FORBIDDEN))
def test_import_direction(module: str) -> None:
    imported = _imports(module)
    rule = FORBIDDEN[module]
    if "*" in rule:
        # "*" minus a set: only the modules in that set may be imported
        assert imported <= rule - {"*"}, imported
    else:
        assert not imported & rule, imported & rule


def test_a_build_that_renders_nothing_loads_no_renderer() -> None:
    """A no-op rebuild must not pay for importing what only rendering needs."""
    code = ("import sys, sitegen.cli, sitegen.build, sitegen.cache, sitegen.content; "
            "print(' '.join(sorted(sys.modules)))")
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                check=True).stdout.split())
    heavy = {"jinja2", "markdown_it", "weasyprint", "tornado", "livereload",
             "concurrent.futures.process", "sitegen.render", "sitegen.pages",
             "sitegen.authoring", "sitegen.serve"}
    assert not heavy & loaded, heavy & loaded


def test_anchoring_knows_nothing_of_markdown_or_templates() -> None:
    source = (PACKAGE / "anchor.py").read_text("utf-8")
    assert "markdown_it" not in source and "jinja2" not in source


def test_every_catalogue_has_the_same_keys() -> None:
    langs = i18n.available()
    assert {"en", "fr"} <= set(langs)
    keys = {lang: set(i18n.catalogue(lang)) for lang in langs}
    for lang in langs:
        assert keys[lang] == keys["en"], (lang, keys[lang] ^ keys["en"])
        assert all(value.strip() for value in i18n.catalogue(lang).values())
