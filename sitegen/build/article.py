"""Rendering one article, or the site-wide files: every import a render needs (Markdown,
Jinja, the page and handout modules) is made here, so a build that renders nothing (a
no-op rebuild) never loads them.

``build_article`` runs in the build's worker processes; ``Job`` is what they share,
given to each worker once (``start_worker``, see ``workers``), never once per article.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.views import export
from sitegen.views import handouts
from sitegen.theme import templates
from sitegen.build.cache import Entry, Signature, content_key
from sitegen.content.load import load_article
from sitegen.errors import ContentErrors, SiteError
from sitegen.output.ledger import Record
from sitegen.model import Site
from sitegen.views.pages import Page, article_contexts, article_pages, card_context, index_page
from sitegen.text.anchoring import Prepared, prepare
from sitegen.errors import Collector
from sitegen.output.writer import Previous, Staged, stage


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


def render_article(prepared: Prepared, site: Site, *, theme: Mapping[str, bytes] | None,
                   reuse: handouts.Reuse | None = None
                   ) -> tuple[dict[str, bytes], dict[str, str]]:
    """Every output file of one article, in every edition: the page, its handouts (HTML,
    and PDF when ``theme``, the site's assets, is given), each PDF taken from ``reuse``
    when still good; and the input key of each PDF."""
    pdf = theme is not None
    contexts = article_contexts(prepared, site)
    pages = article_pages(prepared, site, contexts)
    for page in pages:
        page.context["handouts"] = handouts.links(page.context["t"], pdf=pdf)
    sheets = handouts.handout_pages(prepared, site, pdf=pdf, contexts=contexts)
    files = render_pages([*pages, *sheets])
    keys: dict[str, str] = {}
    if theme is not None:
        pdfs, keys = handouts.pdf_files(sheets, files, site, theme, reuse)
        files.update(pdfs)
    files[f"{prepared.article.slug}/annotations.jsonld"] = export.export_article(prepared, site)
    return files, keys


def render_cards(prepared: Prepared, site: Site) -> dict[str, str]:
    """The article's card on each edition's index, as HTML (kept in its cache entry)."""
    try:
        return {lang: templates.render("_card.html", card_context(prepared, site, lang))
                for lang in site.languages}
    except SiteError as exc:
        raise ContentErrors([exc]) from None


def site_files(site: Site, cards: list[dict[str, str]]) -> dict[str, bytes]:
    """The files that do not belong to one article: indexes (each article's cards, in
    order, edition → HTML), stylesheets, script."""
    files = render_pages(index_page(site, lang, [c[lang] for c in cards])
                         for lang in site.languages)
    files.update(handouts.assets(site))
    return files


@dataclass(frozen=True)
class Job:
    """What every article build of one run shares (sent to each worker once)."""

    site: Site
    site_key: str
    theme: dict[str, bytes] | None
    """The site's assets, which every PDF is made with; None when PDFs are off."""
    out: Path | None
    staging: Path | None
    old: Mapping[str, Record]
    previous: Previous | None


@dataclass
class Done:
    slug: str
    errors: list[SiteError]
    entry: Entry | None = None
    staged: dict[str, Staged] = field(default_factory=dict)


_JOB: Job | None = None


def start_worker(job: Job | None) -> None:
    """Set (or, with None, clear) what this process's article builds share."""
    global _JOB
    _JOB = job


Task = tuple[Path, Signature, str | None]
"""An article folder, its signature and its content key (None: not hashed yet)."""


def build_article(task: Task) -> Done:
    """Load, check, anchor and render one article; stage the files that changed."""
    folder, sig, key = task
    job = _JOB
    assert job is not None
    if key is None:  # hashed here, in parallel, rather than in the parent beforehand
        key = content_key(job.site_key, folder, sig)
    local = Collector()
    article = load_article(folder, job.site, local)
    ready = prepare(article, local) if article is not None else None
    if ready is None or local.errors:
        return Done(folder.name, local.errors)
    reuse = job.previous.reuse if job.previous is not None else None
    try:
        files, pdf_keys = render_article(ready, job.site, theme=job.theme, reuse=reuse)
        cards = render_cards(ready, job.site)
    except ContentErrors as exc:
        return Done(folder.name, exc.errors)
    staged: dict[str, Staged] = {}
    if job.out is not None:
        staged = {rel: stage(job.out, job.staging, job.old, rel, data)
                  for rel, data in sorted(files.items())}
    entry = Entry.made(key, staged, sig=sig, cards=cards, warnings=local.warnings,
                       pdf_inputs=pdf_keys)
    return Done(folder.name, [], entry, staged)


