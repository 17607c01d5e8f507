"""Data flows one way: a module may import only the modules below it in the pipeline."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

from sitegen.theme import i18n

PACKAGE = ROOT / "sitegen"
LAYERS: list[set[str]] = [
    {"__main__"},
    {"cli"},
    {"serve"},
    {"build", "authoring"},
    {"content", "views"},
    {"text"},
    {"model", "theme", "output"},
    {"fs"},
    {"errors", "names", "__init__"},
]
"""The layer rule, top to bottom. Each module of sitegen belongs to one room: a top-level
module (``cli``, ``errors``, ``fs``, …) or a subpackage (``content``, ``text``, …). A room may
import itself and any room on a lower layer, never one on its own layer or above."""
LAYER_OF = {room: depth for depth, rooms in enumerate(LAYERS) for room in rooms}


def _modules() -> dict[str, Path]:
    """Every module of the package by dotted name below ``sitegen``: ``build.cache``."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _room(module: str) -> str:
    room = module.split(".")[0]
    return "__init__" if room == "__version__" else room


def _imports(path: Path) -> set[str]:
    """The sitegen modules ``path`` imports, lazily and under TYPE_CHECKING included."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sitegen"):
            name = node.module.removeprefix("sitegen").lstrip(".")
            found |= {f"{name}.{a.name}" if name else a.name for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name.removeprefix("sitegen.") for a in node.names
                      if a.name.startswith("sitegen.")}
    return found


MODULES = _modules()


def test_every_module_is_in_a_room_of_the_layer_rule() -> None:
    assert {_room(m) for m in MODULES} <= set(LAYER_OF), {_room(m) for m in MODULES} - set(LAYER_OF)
    assert "writer" not in MODULES and "build.builder" in MODULES  # the rule sees the wings


@pytest.mark.parametrize("module", sorted(MODULES))
def test_a_module_imports_only_its_own_room_and_lower_layers(module: str) -> None:
    mine = LAYER_OF[_room(module)]
    wrong = {name for name in _imports(MODULES[module])
             if _room(name) != _room(module) and LAYER_OF.get(_room(name), -1) <= mine}
    assert not wrong, f"{module} (layer {mine}) imports {sorted(wrong)}"


def test_the_top_folder_stays_small_and_no_module_swells() -> None:
    top = [m for m in MODULES if "." not in m and (PACKAGE / f"{m}.py").exists()]
    assert len(top) <= 10, top
    long = {m: n for m, p in MODULES.items() if (n := len(p.read_text("utf-8").splitlines())) > 400}
    assert not long, long


POSIX_ONLY = {"fcntl", "msvcrt", "pwd", "grp", "resource", "getuid", "geteuid", "O_NOFOLLOW",
              "O_DIRECTORY", "mkfifo", "flock", "dir_fd", "supports_dir_fd", "pwrite"}
"""Names that exist on one platform only: sitegen uses them in fs.py and nowhere else."""


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m != "fs"))
def test_platform_specific_calls_stay_in_fs(module: str) -> None:
    tree = ast.parse(MODULES[module].read_text("utf-8"))
    used = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    used |= {node.arg for node in ast.walk(tree) if isinstance(node, ast.keyword) and node.arg}
    used |= {alias.name.split(".")[0] for node in ast.walk(tree)
             if isinstance(node, ast.Import | ast.ImportFrom) for alias in node.names}
    used |= {node.module for node in ast.walk(tree)
             if isinstance(node, ast.ImportFrom) and node.module}
    assert not used & POSIX_ONLY, f"{module} uses {sorted(used & POSIX_ONLY)}: move it into fs.py"


def test_the_build_key_covers_every_file_of_the_package() -> None:
    """A change to any module, catalogue or preview file, in any sub-folder, must make the
    cache's entries stale: the code files are globbed through the whole package."""
    from sitegen.build.builder import _code_files

    wanted = {p for pattern in ("*.py", "*.yaml", "*.js", "*.css") for p in PACKAGE.rglob(pattern)
              if "__pycache__" not in p.parts}
    assert {p.resolve() for p in wanted} == set(_code_files())
    assert PACKAGE.resolve() / "text" / "quote.py" in set(_code_files())


def test_the_architecture_page_names_every_room_and_only_modules_that_exist() -> None:
    page = (ROOT / "docs" / "architecture.md").read_text("utf-8")
    rooms = {room for rooms in LAYERS for room in rooms} - {"__init__"}
    for room in rooms:
        name = f"{room}.py" if (PACKAGE / f"{room}.py").exists() else f"{room}/"
        assert f"`{name}`" in page or f" {name} " in page, name
    for name in re.findall(r"`((?:[a-z_]+/)*[a-z_]+\.py)`", page):
        assert (ROOT / name).exists() or any(p.as_posix().endswith(f"/{name}")
                                             for p in MODULES.values()), name


def test_the_architecture_page_lists_the_per_article_steps_as_the_build_runs_them() -> None:
    from sitegen.build.article import STEPS

    page = (ROOT / "docs" / "architecture.md").read_text("utf-8")
    assert "STEPS = " + " → ".join(name for name, _ in STEPS) + "\n" in page


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
             "concurrent.futures.process", "sitegen.build.article", "sitegen.authoring",
             "sitegen.model"}
    # Of the content stage, only the listing of article folders runs in a no-op; nothing
    # parses, renders or serves.
    heavy |= {m for m in loaded if m.startswith(("sitegen.content.", "sitegen.text",
                                                 "sitegen.views", "sitegen.serve"))
              and m != "sitegen.content.listing"}
    assert "sitegen.build.builder" in loaded and not heavy & loaded, heavy & loaded


def test_anchoring_knows_nothing_of_markdown_or_templates() -> None:
    source = (PACKAGE / "text" / "quote.py").read_text("utf-8")
    assert "markdown_it" not in source and "jinja2" not in source


def test_every_catalogue_has_the_same_keys() -> None:
    langs = i18n.available()
    assert {"en", "fr"} <= set(langs)
    keys = {lang: set(i18n.catalogue(lang)) for lang in langs}
    for lang in langs:
        assert keys[lang] == keys["en"], (lang, keys[lang] ^ keys["en"])
        assert all(value.strip() for value in i18n.catalogue(lang).values())
