"""What ``sitegen check`` saw, one line per article, so that an unexpected count shows
(a highlight that became a whole-text note, a question not marked core, notes left
untranslated): "riverton-turnout: 30 highlights, 1 whole-text note, 7 core questions,
6 voices; fr: 12 of 31 notes translated"."""

from __future__ import annotations

from pathlib import Path

from sitegen.content.listing import article_dirs
from sitegen.content.load import load_article, load_site
from sitegen.errors import Collector
from sitegen.model import Article, Site


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def core_questions(article: Article) -> int:
    """The questions that go on the student copies: those marked ``core: true``, or all of
    them when none is marked."""
    asked = [a.core for a in article.annotations if a.question is not None]
    asked += [q.core for q in article.questions]
    return sum(asked) if any(asked) else len(asked)


def article_line(article: Article, site: Site) -> str:
    """The counts of one article, and of its notes translated into each edition but the
    default (whose text a plain note is)."""
    highlights = sum(1 for a in article.annotations if a.selector is not None)
    whole = len(article.annotations) - highlights
    line = (f"{article.slug}: {_count(highlights, 'highlight')}, "
            f"{_count(whole, 'whole-text note')}, "
            f"{_count(core_questions(article), 'core question')}, "
            f"{_count(len(article.voices), 'voice')}")
    notes = [dict(a.note.texts) for a in article.annotations]
    editions = [lang for lang in site.languages if lang != site.default_language]
    if notes and editions:
        line += "; " + ", ".join(
            f"{lang}: {sum(1 for n in notes if lang in n)} of {_count(len(notes), 'note')} "
            "translated" for lang in editions)
    return line


def summary(content: Path) -> list[str]:
    """One line per article of ``content``, a folder ``check`` found no error in."""
    problems = Collector()  # already reported by the check
    site = load_site(content, problems, check_markdown=False)
    if site is None:
        return []
    articles = (load_article(folder, site, problems) for folder in
                article_dirs(content, problems))
    return [article_line(article, site) for article in articles if article is not None]
