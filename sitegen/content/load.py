"""The content folder → site settings and articles (load and validate, no rendering)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from sitegen.content.annotations import AnnotationsParser
from sitegen.content.fields import YamlMapping
from sitegen.content.front_matter import front_matter_fields
from sitegen.content.loader import YNode, parse_yaml, read_markdown, read_text
from sitegen.content.site import parse_site
from sitegen.errors import Collector, SiteError, SourceLocation
from sitegen.model import Annotation, Article, Question, Site, Translation, Voice
from sitegen.output.stage import folded

TRANSLATION_RE = re.compile(r"translation\.([^.]+)\.md")
ARTICLE_FILES = ("article.md", "annotations.yaml")


def _yaml_file(path: Path, root: Path, problems: Collector) -> YNode | None:
    try:
        return parse_yaml(read_text(path, str(path), root), str(path))
    except SiteError as exc:
        problems.errors.append(exc)
        return None


def _found(path: Path, where: Path, hint: str, problems: Collector) -> bool:
    """Whether ``path`` exists; when not, "<name> not found" is reported at ``where``."""
    if os.path.lexists(path):
        return True
    problems.error(f"{path.name} not found", SourceLocation(str(where)), hint)
    return False


def load_site(content: Path, problems: Collector, *, check_markdown: bool = True) -> Site | None:
    """site.yaml → Site; ``check_markdown=False`` leaves its Markdown fields unchecked (a
    build does so when its cache shows this very site.yaml was checked)."""
    path = content / "site.yaml"
    if not _found(path, path, "every content folder needs one: title, languages, categories",
                  problems):
        return None
    node = _yaml_file(path, content, problems)
    if node is None and problems.errors:
        return None
    site = parse_site(node, str(path), problems)
    if site is not None and check_markdown:
        _check_site_fields(site, content, problems)
    return site


def _check_site_fields(site: Site, content: Path, problems: Collector) -> None:
    """Report the links and images site.yaml's Markdown fields may not use."""
    from sitegen.text import markdown  # loaded only when needed: a no-op rebuild renders nothing
    from sitegen.text.anchoring import check_fields

    check_fields(site, markdown.ParsedFields(), SourceLocation(str(content / "site.yaml")),
                 problems)


def slug_collisions(content: Path, site: Site, site_paths: Iterable[str],
                    slugs: Iterable[str]) -> list[SiteError]:
    """An error for each article whose folder name is also a name the site itself writes
    at its top (taken from ``site_paths``, the site-wide files: an edition's folder,
    ``assets``…) or an edition's code: their pages would overwrite each other. Names are
    compared as a disk that ignores case and Unicode normalisation sees them (``folded``):
    ``pt-br`` and the edition ``pt-BR`` are one folder on macOS, Windows or a USB stick."""
    taken = {folded(name): name for name in
             [*site.languages, *(rel.split("/", 1)[0] for rel in site_paths)]}
    return [SiteError(f"the article folder name '{slug}' is taken by the site itself "
                      f"('{taken[folded(slug)]}/' at the top of the site"
                      + ("" if taken[folded(slug)] == slug else
                         ", the same name on a disk that ignores case") + ")",
                      SourceLocation(str(content / "articles" / slug)),
                      "rename the article folder")
            for slug in slugs if folded(slug) in taken]


def load_article(folder: Path, site: Site, problems: Collector) -> Article | None:
    """One article folder (``<content>/articles/<slug>``) → Article, with every problem
    added to ``problems``."""
    content = folder.parent.parent
    md_path = folder / "article.md"
    if not _found(md_path, folder, "each article folder holds article.md and annotations.yaml",
                  problems):
        return None
    try:
        md = read_markdown(md_path, str(md_path), content)
    except SiteError as exc:
        problems.errors.append(exc)
        return None
    front = front_matter_fields(md.front, str(md_path), site, problems)
    if not md.body.strip():
        problems.error("the article has no text",
                       SourceLocation(str(md_path), md.body_line, 1),
                       "paste the article below the front matter")
    ann_path = folder / "annotations.yaml"
    annotations: list[Annotation] = []
    voices: list[Voice] = []
    questions: list[Question] = []
    if os.path.lexists(ann_path):
        node = _yaml_file(ann_path, content, problems)
        parser = AnnotationsParser(site, problems, front["language"] if front else None)
        annotations, voices, questions = parser.parse(node)
    else:
        problems.warn("no annotations.yaml: the article is shown without highlights",
                      SourceLocation(str(ann_path)))
    entries = sorted(folder.iterdir())
    translations = _translations(entries, content, site, front["language"] if front else None,
                                 problems)
    if front is not None:
        _warn_untranslated(front["language"], front["language_at"], translations, site, problems)
    for entry in entries:
        known = entry.name in ARTICLE_FILES or TRANSLATION_RE.fullmatch(entry.name)
        if not known and not entry.name.startswith("."):
            problems.warn("unknown file in an article folder, ignored",
                          SourceLocation(str(entry)))
    if front is None or not md.body.strip():
        return None
    return Article(
        slug=folder.name, title=front["title"], language=front["language"],
        outlet=front["outlet"], author=front["author"], published=front["published"],
        original_url=front["original_url"], provenance=front["provenance"],
        summary=front["summary"], body=md.body, body_path=str(md_path),
        body_line=md.body_line, annotations=tuple(annotations), voices=tuple(voices),
        questions=tuple(questions), translations=tuple(translations), kind=front["kind"],
        explainer=front["explainer"], rights=front["rights"],
    )


def _warn_untranslated(lang: str, where: SourceLocation, translations: list[Translation],
                       site: Site, problems: Collector) -> None:
    """An article in a language no edition is in should be translated for every edition."""
    if lang in site.languages:
        return
    missing = [e for e in site.languages if e not in {t.lang for t in translations}]
    if missing:
        problems.warn(f"the article is in '{lang}', which is not an edition of this site "
                      f"({', '.join(site.languages)}), and has no translation into "
                      f"{', '.join(missing)}", where,
                      "readers of that edition see only the original: add "
                      f"translation.{missing[0]}.md, the article translated paragraph by "
                      "paragraph")


def _translations(
    entries: list[Path], content: Path, site: Site, article_lang: str | None,
    problems: Collector,
) -> list[Translation]:
    """The translations among an article folder's ``entries`` (sorted)."""
    found = []
    for path in entries:
        m = TRANSLATION_RE.fullmatch(path.name)
        if not m:
            continue
        lang = m.group(1)
        loc = SourceLocation(str(path), 1, 1)
        if lang not in site.languages:
            problems.error(f"'{lang}' is not an edition of this site", loc,
                           "editions: " + ", ".join(site.languages))
            continue
        if lang == article_lang:
            problems.error("a translation into the article's own language", loc)
            continue
        try:
            md = read_markdown(path, str(path), content)
        except SiteError as exc:
            problems.errors.append(exc)
            continue
        title = None
        if md.front is not None:
            f = YamlMapping(md.front, "translation front matter", (), ("title",), problems)
            title = f.text("title")
        found.append(Translation(lang, title, md.body, str(path), md.body_line))
    return found
