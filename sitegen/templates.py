"""The Jinja environment: autoescaped, StrictUndefined, loading from the theme folder."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import jinja2

from sitegen.errors import SiteError, SourceLocation

THEME = Path(__file__).resolve().parent.parent
TEMPLATES = THEME / "templates"
STATIC = THEME / "static"


def environment() -> jinja2.Environment:
    if not TEMPLATES.is_dir():
        raise RuntimeError(f"sitegen's templates are missing ({TEMPLATES}); "
                           "install sitegen from its source folder with 'pip install -e .'")
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        bytecode_cache=_bytecode_cache(),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept in the user's cache folder: each build is a new process,
    and compiling the templates again costs more than rendering one article."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = base / "sitegen" / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


_ENV: jinja2.Environment | None = None


def render(name: str, context: dict[str, Any]) -> str:
    """Render a template; template mistakes become SiteErrors with the template's line."""
    global _ENV
    if _ENV is None:
        _ENV = environment()
    try:
        return _ENV.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        path = exc.filename or str(TEMPLATES / name)
        raise SiteError(f"template error: {exc.message}",
                        SourceLocation(path, exc.lineno, 1)) from None
    except jinja2.UndefinedError as exc:
        raise SiteError(f"template error: {exc.message}",
                        SourceLocation(str(TEMPLATES / name))) from None
