"""The Jinja environment: autoescaped, StrictUndefined, loading from the theme folder."""

from __future__ import annotations

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
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


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
