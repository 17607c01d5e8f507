"""Building one article, or the site-wide files: every import a render needs (Markdown,
Jinja, the view modules) is made here, so a build that renders nothing (a no-op rebuild)
never loads them.

An article is built by the steps of ``STEPS``, in order, each a function over the
``ArticleBuild`` that carries what the earlier steps made:

    load → anchor → views → pages → handouts → render → pdfs → lock → export → stage

``build_article`` runs them in the build's worker processes, between the cache's key (before)
and its entry (after); ``job.Job`` is what they share, given to each worker once
(``job.start_worker``, see ``workers``), never once per article. The PDFs that must be made
again are left to ``job.make_pdf``, one task per handout, so that the handouts of one article
are laid out on every core (a PDF takes longer than all of its article's pages).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from sitegen.build.cache import Entry, Signature, content_key
from sitegen.build.job import Job, PdfTask, current
from sitegen.content.load import load_article
from sitegen.errors import Collector, ContentErrors, SiteError
from sitegen.model import Article, Site
from sitegen.output.lock import lock_pdf
from sitegen.output.stage import TEACHER, Staged, split
from sitegen.text.anchoring import AnchoredArticle, anchor_article
from sitegen.theme import templates
from sitegen.views import classroom, export, handouts
from sitegen.views.article import ArticleView, article_pages, article_views
from sitegen.views.assets import theme_assets
from sitegen.views.edition import Page
from sitegen.views.exercise import BareText, bare_text
from sitegen.views.handout_pdf import pdf_path
from sitegen.views.index import card_view, index_page
from sitegen.views.locked import locked_page
from sitegen.views.sheets import TEACHER as TEACHER_KEY
from sitegen.views.sheets import SheetFrame, in_the_site


def render_pages(pages: Iterable[Page]) -> dict[str, bytes]:
    """Render pages to bytes; every template error is collected and raised together."""
    files: dict[str, bytes] = {}
    errors: list[SiteError] = []
    for page in pages:
        try:
            files[page.path] = templates.render_page(page.template, page.view).encode("utf-8")
        except SiteError as exc:
            errors.append(exc)
    if errors:
        raise ContentErrors(errors)
    return files


def site_files(site: Site, cards: list[dict[str, str]],
               assets: Mapping[str, bytes] | None = None) -> dict[str, bytes]:
    """The files that do not belong to one article, in the site and in the teacher's
    folder: indexes (each article's cards, in order, edition → HTML), stylesheets, script.
    ``assets``: the theme's files, when this build made them already."""
    pages = []
    for lang in site.languages:
        pages.append(index_page(site, lang, [c[lang] for c in cards]))
        index = index_page(site, lang, [c[TEACHER + lang] for c in cards], teacher=True)
        pages.append(replace(index, path=TEACHER + index.path))
    files = render_pages(pages)
    theme = assets if assets is not None else theme_assets(site)
    files.update({rel: data for rel, data in theme.items() if rel not in classroom.ASSETS})
    files.update({TEACHER + rel: data for rel, data in theme.items()})
    return files


@dataclass
class ArticleBuild:
    """One article on its way through ``STEPS``: each step reads what the steps before it
    made, and adds its own."""

    folder: Path
    job: Job
    problems: Collector = field(default_factory=Collector)
    article: Article | None = None
    anchored: AnchoredArticle | None = None
    views: dict[str, ArticleView] = field(default_factory=dict)
    """The article's view in each edition, shared by its page and its handouts."""
    bare: BareText | None = None
    """Its text in paragraphs and lines, shared by the exercise copies and class pages."""
    pages: list[Page] = field(default_factory=list)
    """The article's page in each edition."""
    sheets: list[Page] = field(default_factory=list)
    """Its handouts in each edition."""
    files: dict[str, bytes] = field(default_factory=dict)
    """Site path → bytes of every file the article makes."""
    cards: dict[str, str] = field(default_factory=dict)
    """Edition → the article's card on its index (HTML, kept in the cache entry); the
    edition with ``TEACHER`` before it → its card on the teacher's index."""
    pdf_keys: dict[str, str] = field(default_factory=dict)
    """A PDF's site path → the key of its inputs (see ``handouts.pdf_key``)."""
    pending: dict[str, PdfTask] = field(default_factory=dict)
    """A PDF's site path → the task that makes it (see ``job.make_pdf``)."""
    staged: dict[str, Staged] = field(default_factory=dict)

    @property
    def ready(self) -> AnchoredArticle:
        """The anchored article, for the steps after ``anchor``."""
        assert self.anchored is not None, "the steps stop at the first content error"
        return self.anchored


def load(build: ArticleBuild) -> None:
    """Read and check the article's files. An article with errors goes on to be anchored
    all the same, so that one build reports every error of its content."""
    build.article = load_article(build.folder, build.job.site, build.problems)
    if build.article is None:
        raise ContentErrors(build.problems.errors)


def anchor(build: ArticleBuild) -> None:
    """Parse the Markdown, check it and anchor each quote in the text."""
    assert build.article is not None
    build.anchored = anchor_article(build.article, build.problems)
    if build.anchored is None or build.problems.errors:
        raise ContentErrors(build.problems.errors)


def views(build: ArticleBuild) -> None:
    """The article's views in every edition, and its bare text (once per article)."""
    build.views = article_views(build.ready, build.job.site, pdf=build.job.pdf,
                                locked=build.job.lock is not None)
    build.bare = bare_text(build.ready)


def pages(build: ArticleBuild) -> None:
    """The article's page in every edition, and its class page in the teacher's folder
    (rendered by ``render``)."""
    site = build.job.site
    build.pages = [*article_pages(build.ready, site, build.views),
                   *(replace(page, path=TEACHER + page.path)
                     for page in classroom.class_pages(build.ready, site, build.views,
                                                           build.bare))]


def handout_pages(build: ArticleBuild) -> None:
    """Its handouts in every edition (rendered by ``render``); the teacher key goes to the
    teacher's folder (see ``output.stage.Places``)."""
    key = f"{TEACHER_KEY}.html"
    build.sheets = [replace(page, path=TEACHER + page.path) if page.template == key else page
                    for page in handouts.handout_pages(build.ready, build.job.site,
                                                       views=build.views, bare=build.bare)]


def render(build: ArticleBuild) -> None:
    """The article's pages and handouts, in one go so that every template error of them is
    reported together; then its card on the index, in every edition."""
    job = build.job
    site = job.site
    build.files.update(render_pages([*build.pages, *build.sheets]))
    try:
        for lang in site.languages:
            build.cards[lang] = templates.render_page("_card.html",
                                                      card_view(build.ready, site, lang))
            build.cards[TEACHER + lang] = templates.render_page(
                "_card.html", card_view(build.ready, site, lang, teacher=True, pdf=job.pdf))
    except SiteError as exc:
        raise ContentErrors([exc]) from None


def pdfs(build: ArticleBuild) -> None:
    """A PDF of each handout, when the build makes them: one still good from the last
    build is taken as it is, the others are left to ``job.make_pdf``."""
    job = build.job
    if job.theme is None:
        return
    reuse = job.places.reuse if job.places is not None else None
    made, build.pdf_keys, todo = handouts.pdf_files(build.sheets, build.files, job.site,
                                                    job.theme, reuse)
    build.files.update(made)
    build.pending = {pdf_path(page.path):
                     (build.folder, page.path, build.files[page.path], fits, None)
                     for page, fits in todo}


def lock_keys(build: ArticleBuild) -> None:
    """With a class code, the teacher key of each edition also goes into the students'
    site, locked: the page as the site shows it (its links are the site's), sealed, and its
    PDF encrypted."""
    lock = build.job.lock
    if lock is None:
        return
    for page in build.sheets:
        is_teacher, rel = split(page.path)
        if not (is_teacher and isinstance(page.view, SheetFrame)):
            continue
        edition = build.views[page.view.lang]
        view = in_the_site(page.view, edition.handouts)
        build.files[rel] = locked_page(templates.render_page(page.template, view).encode(),
                                       view, lock)
        key_path = pdf_path(page.path)
        key_pdf = build.files.get(key_path)
        if key_pdf is not None:
            build.files[pdf_path(rel)] = lock_pdf(key_pdf, lock)
        elif key_path in build.pending:  # locked once made
            build.pending[key_path] = (*build.pending[key_path][:4], pdf_path(rel))


def export_annotations(build: ArticleBuild) -> None:
    """The annotations as JSON-LD."""
    build.files[f"{build.ready.article.slug}/annotations.jsonld"] = export.export_article(
        build.ready, build.job.site)


def stage_files(build: ArticleBuild) -> None:
    """Put each file that changed in the output's staging folder (nothing without one)."""
    job = build.job
    if job.places is not None:
        build.staged = {rel: job.places.stage(rel, data)
                        for rel, data in sorted(build.files.items())}


Step = Callable[[ArticleBuild], None]
STEPS: tuple[tuple[str, Step], ...] = (
    ("load", load),
    ("anchor", anchor),
    ("views", views),
    ("pages", pages),
    ("handouts", handout_pages),
    ("render", render),
    ("pdfs", pdfs),
    ("lock", lock_keys),
    ("export", export_annotations),
    ("stage", stage_files),
)
"""The steps of one article's build, in order; a step raises ContentErrors to stop."""


def run_steps(build: ArticleBuild) -> list[SiteError]:
    """Run ``STEPS`` over ``build``; the errors that stopped them (none: all ran)."""
    try:
        for _, step in STEPS:
            step(build)
    except ContentErrors as exc:
        return exc.errors
    return []


@dataclass
class Done:
    slug: str
    errors: list[SiteError]
    entry: Entry | None = None
    staged: dict[str, Staged] = field(default_factory=dict)
    pdfs: list[PdfTask] = field(default_factory=list)
    """The PDFs still to make (``job.make_pdf``), which the entry does not hold yet."""


Task = tuple[Path, Signature, str | None]
"""An article folder, its signature and its content key (None: not hashed yet)."""

def build_article(task: Task) -> Done:
    """Build one article (``STEPS``); its cache entry records what it made."""
    folder, sig, key = task
    job = current()
    if key is None:  # hashed here, in parallel, rather than in the parent beforehand
        key = content_key(job.site_key, folder, sig)
    build = ArticleBuild(folder, job)
    errors = run_steps(build)
    if errors:
        return Done(folder.name, errors)
    entry = Entry.made(key, build.staged, sig=sig, cards=build.cards,
                       warnings=build.problems.warnings, pdf_inputs=build.pdf_keys)
    return Done(folder.name, [], entry, build.staged, list(build.pending.values()))


def pending_pdfs(done: Iterable[Done]) -> list[PdfTask]:
    """The PDFs the articles of ``done`` left to make, the longest HTML first: a long
    PDF started last would keep one core busy while the others wait."""
    return sorted((task for d in done for task in d.pdfs), key=lambda t: -len(t[2]))


def add_pdfs(done: list[Done], made: Iterable[dict[str, Staged]]) -> None:
    """Put the PDFs made for ``pending_pdfs(done)`` (in that order) in their articles'
    entries and staged files."""
    by_slug = {d.slug: d for d in done}
    for task, files in zip(pending_pdfs(done), made, strict=True):
        d = by_slug[task[0].name]
        assert d.entry is not None
        d.entry.add(files)
        d.staged.update(files)
    for d in done:
        d.pdfs = []
