"""``sitegen new SLUG``: a plain-text or Markdown article → articles/SLUG/ with front matter,
the text word for word, and a commented annotations.yaml to start from."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sitegen.authoring import comment_text, create_files, modeline, require_site, yaml_string
from sitegen.authoring.plain_text import cut, read_source
from sitegen.content.placeholders import (
    EXAMPLE_ANSWER,
    EXAMPLE_NOTE,
    EXAMPLE_QUESTION,
    EXAMPLE_WHOLE_ARTICLE,
)
from sitegen.errors import ContentErrors, SiteError, SourceLocation, UsageError
from sitegen.model import Localized, Site
from sitegen.names import ID_RE, LANG_RE
from sitegen.text.markdown import BLOCK_SEPARATOR, canonical_text, parse_body
from sitegen.text.quote import AnchorError, fold, locate
from sitegen.text.words import COMMON_WORDS

# Characters Markdown could read as formatting inside a line of plain text.
_INLINE_ACTIVE = re.compile(r"([\\`*_\[\]<>~]|&(?=#?[A-Za-z0-9]+;))")
# ... and at the start of a line: headings, quotes, lists, rules, setext underlines.
_LINE_START_ACTIVE = re.compile(r"([#>+=|-])|(\d{1,9})([.)])")
_WORD = re.compile(r"[^\W\d_]+")
_MAX_WORDS = 12
"""The longest example phrase, in words."""
MAX_TRIES = 100
"""Searches of the article for example phrases, at most (each costs a pass over it)."""


@dataclass(frozen=True)
class NewArticle:
    files: list[Path]
    schemas: bool
    """The site's schemas exist, so the editor line of annotations.yaml leads somewhere."""
    language: str
    guessed: bool
    """The language was guessed from the text (not given with --language)."""
    said: list[str]
    """What the author should know about how the text was read (lines joined, or lines
    that look wrapped), each a line to print."""


def new_article(content: Path, slug: str, source: Path | None,
                language: str | None) -> NewArticle:
    """Create articles/SLUG/article.md and annotations.yaml; nothing existing is touched."""
    if not ID_RE.fullmatch(slug):
        suggestion = re.sub(r"[^a-z0-9-]+", "-", slug.lower()).strip("-") or "my-article"
        raise UsageError(f"invalid article name {slug!r}: use a-z, 0-9 and '-' "
                         f"(for example {suggestion})")
    if language is not None and not LANG_RE.fullmatch(language):
        raise UsageError(f"invalid --language {language!r}: give a language code such as "
                         "en or fr")
    site = require_site(content)
    title, body, said = ("", "", []) if source is None else split_article(read_source(source),
                                                                          source)
    guessed = language is None
    lang = language or guess_language(f"{title}\n{body}") or site.default_language
    folder = content / "articles" / slug
    files = create_files({
        folder / "article.md": article_md(title, lang, guessed, body),
        folder / "annotations.yaml": annotations_yaml(site, title, body, lang),
    }, content)
    return NewArticle(files, (content / "schemas").is_dir(), lang, guessed, said)


def split_article(text: str, source: Path) -> tuple[str, str, list[str]]:
    """The headline and the body as Markdown, paragraphs kept, words unchanged, and what
    the author should know about how they were read.

    A .txt file is cut by ``plain_text.cut``, and characters Markdown would take as
    formatting are escaped; a .md file's headline is its first line, its body is kept as
    it is.
    """
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise ContentErrors([SiteError("the file is empty", SourceLocation(str(source)),
                                       "paste the article into it, headline first")])
    markdown = source.suffix.lower() == ".md"
    if markdown and lines[first].rstrip() == "---":
        raise ContentErrors([SiteError(
            "the file already has front matter", SourceLocation(str(source), first + 1, 1),
            "start it with the headline instead, or copy it to articles/SLUG/article.md")])
    said: list[str] = []
    if markdown:
        title = lines[first].strip().lstrip("#").strip()
        body = "\n".join(lines[first + 1:]).strip("\n") + "\n"
    else:
        plain = cut(text, source)
        title, said = plain.title, plain.said
        body = "\n\n".join(escape_markdown(p) for p in plain.paragraphs) + "\n"
    return title, body if body.strip() else "", said


def escape_markdown(line: str) -> str:
    """One line of plain text as a Markdown paragraph that renders to the same words."""
    text = _INLINE_ACTIVE.sub(r"\\\1", line.strip())
    start = _LINE_START_ACTIVE.match(text)
    if start and start.group(1):
        return "\\" + text
    if start:
        return f"{start.group(2)}\\{text[start.end(2):]}"
    return text


def guess_language(text: str) -> str | None:
    """The language whose common words the text uses most, if that is clear enough."""
    words = [w.lower() for w in _WORD.findall(text[:5000])]
    scores = {lang: sum(w in common for w in words)
              for lang, common in ((k, set(v.split())) for k, v in COMMON_WORDS.items())}
    best = max(scores, key=lambda lang: scores[lang])
    runner_up = max(score for lang, score in scores.items() if lang != best)
    return best if scores[best] >= 3 and scores[best] > 1.5 * runner_up else None


def article_md(title: str, language: str, guessed: bool, body: str) -> str:
    note = "  # guessed from the text: correct it if wrong" if guessed else ""
    return (
        "---\n"
        "# The headline, exactly as published.\n"
        f"title: {yaml_string(title)}\n"
        f"language: {language}{note}\n"
        "# What is not known stays null: the page then says plainly that it is unknown.\n"
        "outlet: null          # the newspaper, site or channel\n"
        "author: null\n"
        "published: null       # YYYY-MM-DD, YYYY-MM or YYYY\n"
        "original_url: null    # https://… where it was published\n"
        "# provenance: \"What is known about where this text comes from (Markdown).\"\n"
        "# summary: \"One or two sentences for the home page.\"\n"
        "# takeaways: [\"…\", \"…\", \"…\"]   # 3 to 5 points to remember (docs/factcheck.md)\n"
        "# updated: 2025-01-31   # this edition of the explainer; corrections: [{date, text}]\n"
        "---\n\n"
        + body
    )


def annotations_yaml(site: Site, title: str, body: str, language: str) -> str:
    """A skeleton with one commented-out example per category, quoting the article itself
    where a phrase can be found that matches only once; the first says how to quote a
    translation of the article (in ``language``) too."""
    text = canonical_text(title, parse_body(body)) if body else ""
    phrases = _example_phrases(text, len(site.categories))
    per_edition = len(site.languages) > 1

    def value(words: str) -> str:
        if per_edition:
            return "{" + ", ".join(f'{lang}: "{words}"' for lang in site.languages) + "}"
        return f'"{words}"'

    out = [
        modeline("../../schemas/annotations.schema.json"),
        "# The highlights and notes of this article. Each example below is commented out:\n",
        "# remove the '# ' at the start of its lines to use it, change it, then run\n",
        "# sitegen check (or keep sitegen serve open to see the page change).\n",
        "annotations:\n",
    ]
    others = [lang for lang in site.languages if lang != language]
    for n, (category, phrase) in enumerate(zip(site.categories, phrases, strict=False)):
        label = _plain(category.label, site)
        out += [
            f"#  - id: example-{category.key}   # a-z, 0-9 and '-', unique in this article\n",
            f"#    category: {category.key}   # {label}: {_plain(category.description, site)}\n",
            f"#    quote: {yaml_string(phrase) if phrase else chr(34) + '…' + chr(34)}"
            "   # the article's exact words\n",
        ]
        if n == 0 and others:
            out.append(f"#    # with a translation.{others[0]}.md, give its words too: "
                       f'quote: {{{language}: "…", {others[0]}: "…"}}\n')
        out += [
            f"#    note: {value(EXAMPLE_NOTE)}\n",
            "#    sources:   # every outside fact in a note cites one\n",
            '#      - {title: "…", publisher: "…", date: 2025-01-31, url: "https://…"}\n',
            f"#    question: {value(EXAMPLE_QUESTION)}\n",
            f"#    answer: {value(EXAMPLE_ANSWER)}\n",
        ]
        if n == 0 and site.ratings:  # the fact-check layer (docs/factcheck.md)
            out += [
                f"#    claim: {{text: {value('The claim as stated.')}}}   # what the note checks\n",
                f"#    verdict: {site.ratings[0].key}   # one of: "
                f"{', '.join(r.key for r in site.ratings)}\n",
            ]
    out += [
        "#  - id: example-article-level\n",
        f"#    category: {site.categories[0].key}\n",
        "#    scope: article   # no quote: a note about the whole article\n",
        f"#    note: {value(EXAMPLE_WHOLE_ARTICLE)}\n",
        "\n# Who speaks in the article, as the article presents them.\n",
        "voices:\n",
        "#  - name: \"…\"\n",
        f"#    role: {value('as the article presents them')}\n",
        "#    quoted: direct   # direct or paraphrase\n",
        "#    linked: false    # does the article link to or name the original?\n",
        "\n# Questions about the whole article.\n",
        "questions:\n",
        f"#  - {value('What would you search for first?')}\n",
    ]
    return "".join(out)


def _plain(text: Localized, site: Site) -> str:
    """A text of site.yaml, to show in a comment."""
    return comment_text(text.resolve(site.default_language, site.default_language).text)


def _example_phrases(text: str, count: int) -> list[str | None]:
    """Up to ``count`` short phrases of ``text`` that each match it exactly once, taken
    from the starts of successive paragraphs.

    Each try searches the whole text, so the tries are bounded (``MAX_TRIES``), and a
    paragraph that opens as an earlier one did is not tried again: an article of
    paragraphs with the same opening would otherwise take time quadratic in its length
    (a missing example is only a "…" in a comment)."""
    paragraphs = [p for p in text.split(BLOCK_SEPARATOR)[1:] if p.strip()]
    found: list[str | None] = []
    folded = fold(text)  # once: each try below matches against the same text
    seen: set[str] = set()
    tries = 0
    for paragraph in paragraphs:
        words = paragraph.split()[:_MAX_WORDS]
        opening = " ".join(words).casefold()
        if opening in seen:
            continue
        seen.add(opening)
        for size in range(3, len(words) + 1):
            if tries == MAX_TRIES:
                return found + [None] * (count - len(found))
            tries += 1
            phrase = " ".join(words[:size])
            try:
                locate(text, phrase, folded=folded)
            except AnchorError:
                continue
            found.append(phrase)
            break
        if len(found) == count:
            break
    return found + [None] * (count - len(found))
