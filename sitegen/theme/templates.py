"""The Jinja environment: autoescaped, StrictUndefined, loading from the theme folder."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, MutableMapping
from pathlib import Path
from types import CodeType
from typing import TYPE_CHECKING, Any

from sitegen.errors import SiteError, SourceLocation

if TYPE_CHECKING:
    import jinja2
    from _typeshed import DataclassInstance

THEME = Path(__file__).resolve().parents[2]
TEMPLATES = THEME / "templates"
STATIC = THEME / "static"


def environment() -> jinja2.Environment:
    import jinja2  # loaded only when something is rendered

    from sitegen.theme import escaping, fragments, notes, template_cache

    if not TEMPLATES.is_dir():
        raise RuntimeError(f"sitegen's templates are missing ({TEMPLATES}); "
                           "install sitegen from its source folder with 'pip install -e .'")

    class Template(jinja2.Template):
        @classmethod
        def from_code(cls, environment: jinja2.Environment, code: CodeType,
                      globals: MutableMapping[str, Any],
                      uptodate: Callable[[], bool] | None = None) -> jinja2.Template:
            template = super().from_code(environment, code, globals, uptodate)
            # A compiled template escapes with the ``escape`` of its module (markupsafe's):
            # the same escaping, cheaper (see sitegen/theme/escaping.py).
            template.root_render_func.__globals__["escape"] = escaping.escape
            return template

    class Environment(jinja2.Environment):
        template_class = Template

        def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
            # A template's globals as one dict rather than Jinja's ChainMap over the
            # environment's: every render, include and import lists them (an import
            # compares them with the importer's), and a ChainMap is listed in Python, about
            # 50 µs per import. The same names and values: the environment's globals are
            # Jinja's own, set when it is made, and none is changed afterwards.
            return {**self.globals, **(d or {})}

    env = Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=template_cache.CompiledTemplates(template_cache.FOLDER, TEMPLATES),
    )
    env.filters.update(fragments.FILTERS)
    env.filters.update(notes.FILTERS)
    return env


_ENV: jinja2.Environment | None = None


def _env() -> jinja2.Environment:
    # Compiled once per process, from sitegen's own compiled copies when they may be
    # trusted (see sitegen/theme/template_cache.py).
    global _ENV
    if _ENV is None:
        _ENV = environment()
    return _ENV


def compile_all() -> None:
    """Compile every template now, so that worker processes forked afterwards share the
    compiled code instead of each compiling it again. Errors wait for ``render_page``."""
    import jinja2

    env = _env()
    for name in env.list_templates(extensions=["html"]):
        with contextlib.suppress(jinja2.TemplateError):
            env.get_template(name)


def fields_of(view: DataclassInstance) -> dict[str, Any]:
    """The fields of a view (a page's frozen dataclass) by name: the names its template
    sees, or the fields to make a larger view of (``View(**fields_of(…), more=…)``)."""
    return {f.name: getattr(view, f.name) for f in dataclasses.fields(view)}


def render_page(name: str, view: DataclassInstance) -> str:
    """Render template ``name`` with the fields of ``view`` (a page's frozen dataclass) as
    its names; template mistakes become SiteErrors with the template's line."""
    import jinja2

    try:
        return _env().get_template(name).render(fields_of(view))
    except jinja2.TemplateSyntaxError as exc:
        path = exc.filename or str(TEMPLATES / name)
        raise SiteError(f"template error: {exc.message}",
                        SourceLocation(path, exc.lineno, 1)) from None
    except jinja2.UndefinedError as exc:
        raise SiteError(f"template error: {exc.message}",
                        SourceLocation(str(TEMPLATES / name))) from None
