"""The build: phase 1 loads, validates and anchors every article and fails with every
error at once; phase 2 renders all pages and writes them. Nothing is written unless
phase 1 and rendering both succeed, so a failed build leaves the last good site as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sitegen import templates
from sitegen.content import article_dirs, load_article, load_site
from sitegen.errors import ContentErrors, SiteError, SiteWarning
from sitegen.model import Site
from sitegen.pages import Page, article_pages, index_page, summary_of
from sitegen.prepare import Prepared, prepare
from sitegen.stylesheet import categories_css
from sitegen.validate import Collector
from sitegen.writer import WriteStats, check_output_dir, write_site


@dataclass
class Loaded:
    site: Site
    articles: list[Prepared]
    warnings: list[SiteWarning]


@dataclass
class BuildResult:
    pages: int
    stats: WriteStats
    warnings: list[SiteWarning] = field(default_factory=list)


def load(content: Path) -> Loaded:
    """Phase 1: every content file read, checked and anchored; raises ContentErrors."""
    out = Collector()
    site = load_site(content, out)
    prepared: list[Prepared] = []
    if site is not None:
        for folder in article_dirs(content, out):
            article = load_article(folder, site, out)
            if article is not None:
                ready = prepare(article, out)
                if ready is not None:
                    prepared.append(ready)
    if out.errors or site is None:
        raise ContentErrors(out.errors)
    return Loaded(site, prepared, out.warnings)


def render_site(loaded: Loaded) -> dict[str, bytes]:
    """Phase 2: every output file of the site, as bytes, by relative path."""
    site = loaded.site
    pages: list[Page] = []
    summaries = [summary_of(p) for p in loaded.articles]
    for lang in site.languages:
        pages.append(index_page(site, lang, summaries))
    for prepared in loaded.articles:
        pages.extend(article_pages(prepared, site))
    files: dict[str, bytes] = {}
    errors: list[SiteError] = []
    for page in pages:
        try:
            files[page.path] = templates.render(page.template, page.context).encode("utf-8")
        except SiteError as exc:
            errors.append(exc)
    if errors:
        raise ContentErrors(errors)
    for asset in sorted(templates.STATIC.iterdir()):
        if asset.is_file() and not asset.name.startswith("."):
            files[f"assets/{asset.name}"] = asset.read_bytes()
    files["assets/categories.css"] = categories_css(site).encode("utf-8")
    return files


def build(content: Path, out: Path, *, pdf: bool = True) -> BuildResult:
    """Build ``content`` into ``out``. Raises ContentErrors or UsageError before writing."""
    check_output_dir(out, content)
    loaded = load(content)
    files = render_site(loaded)
    stats = write_site(out, files)
    pages = sum(1 for path in files if path.endswith(".html"))
    return BuildResult(pages, stats, loaded.warnings)


def check(content: Path) -> list[SiteWarning]:
    """Everything a build checks, without writing; returns the warnings."""
    loaded = load(content)
    render_site(loaded)
    return loaded.warnings
