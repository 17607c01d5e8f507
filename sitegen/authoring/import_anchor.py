"""Where an imported quote is: found in the article, or in one of its translations, with the
build's own code, and given the selector the preview's panel would propose for that passage
(its words, and only as much context as they need).

Each text is the canonical plain text the build anchors in: the headline (a translation's
``title``, empty when it has none), a blank line, then the body as rendered.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from sitegen.content.load import TRANSLATION_RE
from sitegen.content.loader import read_markdown
from sitegen.errors import SiteError, SourceLocation
from sitegen.model import Selector
from sitegen.text.markdown import canonical_text, parse_body
from sitegen.text.quote import (
    AnchorError,
    ContextNotFound,
    Folded,
    QuoteAmbiguous,
    QuoteNotFound,
    fold,
    locate,
)
from sitegen.text.selection import MAX_CONTEXT_WORDS, SelectionError, propose


@dataclass
class Text:
    """One canonical text, folded once for every quote looked up in it (when one is)."""

    words: str

    @cached_property
    def folded(self) -> Folded:
        return fold(self.words)


@dataclass
class Texts:
    """What an import anchors in: the article, in its language, and each translation there
    is, by language."""

    article: Text
    language: str | None
    """The article's ``language`` as its front matter gives it (None: not given yet)."""
    translations: dict[str, Text]


def article_texts(folder: Path, content: Path) -> Texts:
    """The canonical texts of the article in ``folder`` and of its translations; a
    SiteError when the article has no headline yet, or a file cannot be read."""
    path = folder / "article.md"
    md = read_markdown(path, str(path), content)
    front = md.front.value if md.front and md.front.kind == "mapping" else {}
    title, language = front.get("title"), front.get("language")
    if title is None or not isinstance(title.value, str) or not title.value.strip():
        raise SiteError("the article has no title yet", SourceLocation(str(path), 1, 1),
                        "give it its headline, then import")
    translations = {}
    for entry in sorted(folder.iterdir()):
        match = TRANSLATION_RE.fullmatch(entry.name)
        if match:
            tr = read_markdown(entry, str(entry), content)
            tr_front = tr.front.value if tr.front and tr.front.kind == "mapping" else {}
            tr_title = tr_front.get("title")
            headline = tr_title.value if tr_title and isinstance(tr_title.value, str) else ""
            translations[match.group(1)] = Text(canonical_text(headline, parse_body(tr.body)))
    return Texts(Text(canonical_text(title.value, parse_body(md.body))),
                 language.value if language and isinstance(language.value, str) else None,
                 translations)


def anchor(text: Text, given: Selector, where: str) -> Selector | str:
    """The selector the passage ``given`` should have (its quote found with its context, if
    that still matches) in ``text``, or why it cannot be used; ``where`` names the text in
    that message ("the article")."""
    quote = given.quote
    try:
        try:
            span = locate(text.words, quote, given.prefix, given.suffix, text.folded)
        except ContextNotFound:  # the text around it changed, but the words may be unique
            span = locate(text.words, quote, folded=text.folded)
    except QuoteNotFound as exc:
        closest = f" (closest passage: {exc.closest!r})" if exc.closest else ""
        return f"quote not found in {where}: {quote!r}{closest}"
    except QuoteAmbiguous as exc:
        return (f"quote found {len(exc.places)} times in {where} and its context does not "
                f"pick one: {quote!r}")
    except AnchorError:
        return f"quote cannot be anchored in {where}: {quote!r}"
    try:
        return propose(text.words, *span, text.folded)
    except SelectionError:
        return (f"quote found more than once in {where}, and no context of up to "
                f"{MAX_CONTEXT_WORDS} words picks this place: {quote!r}")
