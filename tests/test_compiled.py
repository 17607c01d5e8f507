"""Compiled templates on disk are loaded only when nobody but their owner could have
written them; otherwise the template is compiled in the process."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import jinja2
import pytest

from sitegen.theme import template_cache, templates
from sitegen.theme.template_cache import CompiledTemplates

pytestmark = pytest.mark.skipif(not hasattr(os, "geteuid"),
                                reason="this platform has no POSIX file owners")
OTHER_USER = os.geteuid() + 4242 if hasattr(os, "geteuid") else -1


def _render(folder: Path, theme: Path, monkeypatch: pytest.MonkeyPatch, *,
            compiles: bool) -> str:
    """Render ``page.html`` in a new environment; fail if it compiles when it should
    load the compiled copy, or the other way round."""
    compiled: list[str] = []
    real = jinja2.Environment.compile

    def compile_(self: jinja2.Environment, *args: object, **kwargs: object) -> object:
        compiled.append(str(args[1] if len(args) > 1 else kwargs.get("name")))
        return real(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(jinja2.Environment, "compile", compile_)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(theme)),
                             bytecode_cache=CompiledTemplates(folder, theme))
    html = env.get_template("page.html").render(name="reader")
    assert compiled == (["page.html"] if compiles else [])
    return html


@pytest.fixture
def theme(tmp_path: Path) -> Path:
    root = tmp_path / "templates"
    root.mkdir()
    (root / "page.html").write_text("Hello {{ name }}", "utf-8")
    return root


def test_a_compiled_template_is_kept_privately_and_loaded_next_time(
        tmp_path: Path, theme: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "code" / "__pycache__" / "templates"
    assert _render(folder, theme, monkeypatch, compiles=True) == "Hello reader"
    assert folder.stat().st_mode & 0o777 == 0o700
    (kept,) = folder.iterdir()
    assert kept.stat().st_mode & 0o777 == 0o600
    assert _render(folder, theme, monkeypatch, compiles=False) == "Hello reader"
    (theme / "page.html").write_text("Bye {{ name }}", "utf-8")  # a new source: compiled
    assert _render(folder, theme, monkeypatch, compiles=True) == "Bye reader"


def _group_writable_folder(folder: Path) -> None:
    folder.chmod(0o770)


def _world_writable_file(folder: Path) -> None:
    for path in folder.iterdir():
        path.chmod(0o606)


def _folder_of_another_user(folder: Path) -> None:
    os.chown(folder, OTHER_USER, -1)


def _file_of_another_user(folder: Path) -> None:
    for path in folder.iterdir():
        os.chown(path, OTHER_USER, -1)


def _folder_is_a_link(folder: Path) -> None:
    real = folder.with_name("elsewhere")
    folder.rename(real)
    folder.symlink_to(real)


def _file_is_a_link(folder: Path) -> None:
    for path in list(folder.iterdir()):
        real = path.with_name("elsewhere")
        path.rename(real)
        path.symlink_to(real)


def _templates_of_another_user(folder: Path) -> None:
    os.chown(folder.parent.parent.parent / "templates", OTHER_USER, -1)


@pytest.mark.parametrize("damage", [
    _group_writable_folder, _world_writable_file, _folder_of_another_user,
    _file_of_another_user, _folder_is_a_link, _file_is_a_link, _templates_of_another_user,
], ids=lambda f: f.__name__.strip("_"))
def test_compiled_templates_others_could_have_written_are_not_used(
        damage: Callable[[Path], None], tmp_path: Path, theme: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    if "another_user" in damage.__name__ and os.geteuid() != 0:
        pytest.skip("giving a file to another user needs root")
    folder = tmp_path / "code" / "__pycache__" / "templates"
    _render(folder, theme, monkeypatch, compiles=True)
    damage(folder)
    assert _render(folder, theme, monkeypatch, compiles=True) == "Hello reader"


def test_sitegen_keeps_its_compiled_templates_in_the_users_cache_folder() -> None:
    """Never beside its code, where a planted file would run unseen (the tests keep theirs
    elsewhere: ask a fresh process; tests/test_hardening.py tries both ways of naming it)."""
    code = "from sitegen.theme import template_cache; print(template_cache.FOLDER)"
    folder = Path(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                 check=True).stdout.strip())
    assert folder == Path(os.environ["XDG_CACHE_HOME"]) / "sitegen" / "templates"
    cache = templates.environment().bytecode_cache
    assert isinstance(cache, CompiledTemplates)
    assert (cache.folder, cache.templates) == (template_cache.FOLDER, templates.TEMPLATES)
