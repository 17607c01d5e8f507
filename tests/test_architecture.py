"""Data flows one way: a module may import only the modules below it in the pipeline."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

from sitegen import i18n

PACKAGE = ROOT / "sitegen"
# module → sitegen modules it must not import; {"*", a, b} means "only a and b"
FORBIDDEN: dict[str, set[str]] = {
    "errors": {"*"},
    "compiled": {"*"},
    "folders": {"*", "errors"},
    "model": {"*", "errors"},
    "anchor": {"*"},
    "loader": {"*", "errors", "folders", "yaml_errors"},
    "yaml_errors": {"*", "errors"},
    "markdown": {"*", "model", "typography"},
    "typography": {"*"},
    "validate": {"anchor", "markdown", "templates", "pages", "build", "writer", "cli"},
    "writer": {"*", "errors", "ledger"},
    "ledger": {"*", "errors"},
    "gcpolicy": {"*"},
    "workers": {"build", "cli", "serve"},
    "snapshot": {"*", "__version__", "cache", "errors", "ledger"},
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


def test_a_build_that_renders_nothing_loads_no_renderer(tmp_path: Path) -> None:
    """A no-op rebuild, in a new process, must not pay for importing what only rendering
    (or reading content) needs: it reads no YAML and builds no model."""
    content, out = tmp_path / "content", tmp_path / "out"
    shutil.copytree(FIXTURES / "mini", content)
    argv = ["build", "--content", str(content), "--out", str(out), "--no-pdf"]
    code = ("import sys; from sitegen import cli; assert cli.main(sys.argv[1:]) == 0; "
            "print(' '.join(sorted(sys.modules)))")
    for _ in range(2):  # the first build renders and fills the cache
        loaded = set(subprocess.run([sys.executable, "-c", code, *argv], capture_output=True,
                                    text=True, check=True).stdout.split("\n")[-2].split())
    heavy = {"jinja2", "markdown_it", "weasyprint", "tornado", "livereload", "yaml",
             "concurrent.futures.process", "sitegen.render", "sitegen.pages",
             "sitegen.authoring", "sitegen.serve", "sitegen.content", "sitegen.loader",
             "sitegen.model", "sitegen.validate"}
    assert "sitegen.build" in loaded and not heavy & loaded, heavy & loaded


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
