"""The build: phase 1 loads, validates and anchors every article and fails with every
error at once; phase 2 renders and writes. Nothing is written unless both phases succeed,
so a failed build leaves the last good site as it was.

A ``Builder`` remembers each article's output under a key made from everything the
article's pages depend on (its files, site.yaml, the theme, sitegen's version), so a
rebuild renders only the articles whose inputs changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sitegen import __version__, handout, templates
from sitegen.content import article_dirs, load_article, load_site
from sitegen.errors import ContentErrors, SiteError, SiteWarning
from sitegen.model import Site
from sitegen.pages import ArticleSummary, Page, article_pages, index_page, summary_of
from sitegen.prepare import Prepared, prepare
from sitegen.validate import Collector
from sitegen.writer import Previous, WriteStats, check_output_dir, write_site


@dataclass
class ArticleOutput:
    """Everything one article contributes to the site, and the key of its inputs."""

    key: str
    summary: ArticleSummary
    files: dict[str, bytes]
    warnings: list[SiteWarning]


@dataclass
class BuildResult:
    pages: int
    stats: WriteStats
    warnings: list[SiteWarning] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)
    """Slugs of the articles rendered in this build (the others came from the cache)."""


def _digest(parts: Iterable[bytes]) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.hexdigest()


def _folder_bytes(folder: Path) -> Iterable[bytes]:
    for path in sorted(folder.iterdir()):
        if path.is_file():
            yield path.name.encode()
            yield path.read_bytes()


def theme_files() -> list[Path]:
    """The templates and static files every page depends on."""
    return sorted(p for d in (templates.TEMPLATES, templates.STATIC) for p in d.rglob("*")
                  if p.is_file() and not p.name.startswith("."))


def render_pages(pages: Iterable[Page]) -> dict[str, bytes]:
    """Render pages to bytes; every template error is collected and raised together."""
    files: dict[str, bytes] = {}
    errors: list[SiteError] = []
    for page in pages:
        try:
            files[page.path] = templates.render(page.template, page.context).encode("utf-8")
        except SiteError as exc:
            errors.append(exc)
    if errors:
        raise ContentErrors(errors)
    return files


def render_article(prepared: Prepared, site: Site, *, pdf: bool,
                   reuse: handout.Reuse | None = None) -> dict[str, bytes]:
    """Every output file of one article, in every edition: the page, its handouts (HTML,
    and PDF unless ``pdf`` is false), each PDF taken from ``reuse`` when still good."""
    pages = article_pages(prepared, site)
    for page in pages:
        page.context["handouts"] = handout.links(page.context["t"], pdf=pdf)
    sheets = handout.handout_pages(prepared, site, pdf=pdf)
    files = render_pages([*pages, *sheets])
    if pdf:
        files.update(handout.pdf_files(sheets, files, site, reuse))
    return files


class Builder:
    """Builds a content folder, reusing the output of articles whose inputs are unchanged."""

    def __init__(self, content: Path, out: Path | None, *, pdf: bool = True):
        self.content = content
        self.out = out
        self.pdf = pdf
        self._cache: dict[str, ArticleOutput] = {}

    def _site_key(self) -> str:
        parts: list[bytes] = [__version__.encode(), b"pdf" if self.pdf else b"no-pdf"]
        site_file = self.content / "site.yaml"
        if site_file.is_file():
            parts.append(site_file.read_bytes())
        for path in theme_files():
            parts += [str(path).encode(), path.read_bytes()]
        return _digest(parts)

    def collect(self) -> tuple[Site, dict[str, ArticleOutput], list[SiteWarning]]:
        """Phases 1 and 2 for the articles that changed; raises ContentErrors."""
        out = Collector()
        site = load_site(self.content, out)
        outputs: dict[str, ArticleOutput] = {}
        changed: list[tuple[str, Prepared]] = []
        if site is not None:
            site_key = self._site_key()
            for folder in article_dirs(self.content, out):
                key = _digest([site_key.encode(), *_folder_bytes(folder)])
                cached = self._cache.get(folder.name)
                if cached is not None and cached.key == key:
                    outputs[folder.name] = cached
                    continue
                local = Collector()
                article = load_article(folder, site, local)
                ready = prepare(article, local) if article is not None else None
                out.errors += local.errors
                if ready is not None and not local.errors:
                    outputs[folder.name] = ArticleOutput(key, summary_of(ready), {},
                                                         local.warnings)
                    changed.append((key, ready))
        if out.errors or site is None:
            raise ContentErrors(out.errors)
        reuse = Previous.load(self.out).reuse if self.out is not None and self.pdf else None
        for _key, ready in changed:
            outputs[ready.article.slug].files = render_article(ready, site, pdf=self.pdf,
                                                               reuse=reuse)
        warnings = out.warnings + [w for o in outputs.values() for w in o.warnings]
        return site, outputs, warnings

    def build(self) -> BuildResult:
        """Check, render and write the whole site; the cache is updated only on success."""
        if self.out is None:
            raise ValueError("Builder.build needs an output folder")
        check_output_dir(self.out, self.content)
        site, outputs, warnings = self.collect()
        rendered = [slug for slug, o in outputs.items() if self._cache.get(slug) is not o]
        files = site_files(site, [o.summary for o in outputs.values()])
        for output in outputs.values():
            files.update(output.files)
        stats = write_site(self.out, files, handout.pdf_inputs(files, site))
        self._cache = outputs
        pages = sum(1 for path in files if path.endswith(".html"))
        return BuildResult(pages, stats, warnings, rendered)

    def check(self) -> list[SiteWarning]:
        """Everything a build checks, without writing; returns the warnings."""
        site, outputs, warnings = self.collect()
        site_files(site, [o.summary for o in outputs.values()])
        return warnings


def site_files(site: Site, summaries: list[ArticleSummary]) -> dict[str, bytes]:
    """The files that do not belong to one article: indexes, stylesheets, script."""
    files = render_pages(index_page(site, lang, summaries) for lang in site.languages)
    files.update(handout.assets(site))
    return files


def build(content: Path, out: Path, *, pdf: bool = True) -> BuildResult:
    """Build ``content`` into ``out``. Raises ContentErrors or UsageError before writing."""
    return Builder(content, out, pdf=pdf).build()


def check(content: Path) -> list[SiteWarning]:
    return Builder(content, None, pdf=False).check()
