"""An edition's translation of the article, as the article page shows it: our own text, in
the edition's typography, with the article's highlights mirrored where their quote in that
language is given (the same numbers and categories; the marks open the one note through
the article's own highlight, so they have no id and no tab stop of their own)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from markupsafe import Markup

from sitegen.text import typography
from sitegen.text.anchoring import AnchoredArticle, translated_title
from sitegen.text.markdown import Block, render_blocks, render_text


@dataclass(frozen=True)
class TranslatedText:
    lang: str
    title: str | None
    """The translated headline, plain (None when the translation gives none)."""
    headline: Markup | None
    """The same, with the highlights that start or end in it."""
    blocks: tuple[Block, ...]
    """Block by block, without highlights (a page that asks students to find them)."""
    marked: tuple[Block, ...]
    """Block by block, with the highlights."""
    quotes: dict[str, str]
    """By annotation id, its passage in the translation, on one line."""

    def block(self, index: int) -> tuple[Markup | None, Markup | None]:
        """The block at ``index`` of the article, plain and marked (None: not translated)."""
        if index >= len(self.blocks):
            return None, None
        return Markup(self.blocks[index].html), Markup(self.marked[index].html)


def translated_text(anchored: AnchoredArticle, lang: str) -> TranslatedText | None:
    """The translation into ``lang``, or None when there is none."""
    translation = anchored.translations.get(lang)
    if translation is None:
        return None
    # our own text, so in the edition's typography
    ours = replace(translation, groups=tuple(tuple(typography.tokens(g, lang))
                                             for g in translation.groups))
    spans, offset = anchored.translated_spans.get(lang, ()), anchored.translated_offset(lang)
    source = translated_title(anchored.article, lang)
    title = typography.plain(source, lang) if source else None
    text = anchored.translated_text(lang)
    return TranslatedText(
        lang, title,
        Markup(render_text(source, spans, 0, mirror=True, shown=title)) if title else None,
        tuple(render_blocks(ours, (), 0)), tuple(render_blocks(ours, spans, offset, mirror=True)),
        {s.annotation.id: typography.plain(" ".join(text[s.start : s.end].split()), lang)
         for s in spans})
