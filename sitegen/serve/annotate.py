"""A selection in the preview → a ready ``annotations.yaml`` entry that anchors there.

The quote, and the shortest prefix or suffix that makes it unique, are chosen by
``selection.propose`` (the same search as ``sitegen import-hypothesis``), which asks the
build's own matching until it answers with the selected span, so what is proposed always
anchors where the words were selected. A selection in the translation beside the article
gets that translation's quote, in the per-language form, with the article's own left for
the author to copy. ``answer`` reads the article through the content loader (it writes
nothing).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitegen.authoring import yaml_string
from sitegen.content.load import load_article, load_site
from sitegen.content.placeholders import ELLIPSIS, NOTE_PLACEHOLDER
from sitegen.errors import Collector
from sitegen.model import Selector
from sitegen.names import ID_RE
from sitegen.text.markdown import canonical_text, parse_body
from sitegen.text.quote import fold_str
from sitegen.text.selection import SelectionError, annotation_id, propose
from sitegen.text.words import key_words

# The characters the page's script skips when it counts a selection's position: exactly
# JavaScript's \s, so both sides count the same characters.
BROWSER_SPACE = frozenset(
    " \t\n\v\f\r\u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
)


def visible(text: str) -> list[int]:
    """Positions in ``text`` of the characters the browser counts (all but white space)."""
    return [i for i, ch in enumerate(text) if ch not in BROWSER_SPACE]


def from_counts(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of ``text`` between the ``start``-th and the ``end``-th counted character
    (as the page's script counts them: white space is not counted)."""
    positions = visible(text)
    if not 0 <= start < end <= len(positions):
        raise SelectionError("select some words of the article text")
    return positions[start], positions[end - 1] + 1


def yaml_block(selector: Selector, category: str, annotation_id: str,
               languages: tuple[str, str] | None = None, ratings: Sequence[str] = ()) -> str:
    """The entry as YAML, indented to go under ``annotations:``. With ``languages`` (the
    article's and a translation's), ``selector`` is in the translation: the quote is given
    per language, the article's to be filled in. The fact-check fields come commented out,
    for the author to un-comment when the note checks a claim: ``claim``, and ``verdict``
    (the first of the site's ``ratings`` keys, all listed) when the site rates claims."""
    def value(text: str) -> str:
        if languages is None:
            return yaml_string(text)
        return f"{{{languages[1]}: {yaml_string(text)}}}"

    quote = (f'{{{languages[0]}: "…", {languages[1]}: {yaml_string(selector.quote)}}}'
             if languages else yaml_string(selector.quote))
    lines = [f"  - id: {annotation_id}", f"    category: {category}", f"    quote: {quote}"]
    if selector.prefix is not None:
        lines.append(f"    prefix: {value(selector.prefix)}")
    if selector.suffix is not None:
        lines.append(f"    suffix: {value(selector.suffix)}")
    lines.append(f'    # claim: {{text: "{ELLIPSIS}", by: "{ELLIPSIS}"}}'
                 "   # the claim the note checks, as stated, and who made it")
    if ratings:
        lines.append(f"    # verdict: {ratings[0]}   # one of: {', '.join(ratings)}")
    lines += ["    note: |", f"      {NOTE_PLACEHOLDER}"]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Answer:
    """What the preview server sends back: an HTTP status and a JSON body."""

    status: int
    body: dict[str, Any]

    def json(self) -> str:
        return json.dumps(self.body, ensure_ascii=False)


def _error(status: int, message: str) -> Answer:
    return Answer(status, {"error": message})


_QUOTE_MARKS = str.maketrans({"«": '"', "»": '"', "‹": "'", "›": "'"})


def _same_text(shown: str, text: str) -> bool:
    """Whether the page shows ``text``: the same characters but for white space and, in our
    translation, the quotation marks and apostrophes typography gives it."""
    def letters(value: str) -> list[str]:
        return [c for c in fold_str(value).translate(_QUOTE_MARKS) if c not in BROWSER_SPACE]
    return letters(shown) == letters(text)


def _chosen_id(wanted: str, taken: set[str], suggested: str) -> tuple[str, str | None]:
    """The id the entry gets: ``wanted`` (typed in the panel) when it can be used, else the
    suggestion, with what is wrong with ``wanted``."""
    if not wanted:
        return suggested, None
    if not ID_RE.fullmatch(wanted):
        return suggested, (f"'{wanted}' cannot be an id: use a-z, 0-9 and '-' "
                           "(for example turnout-claim)")
    if wanted in taken:
        return suggested, f"'{wanted}' is the id of another annotation of this article"
    return wanted, None


def answer(content: Path, query: Mapping[str, str]) -> Answer:
    """The proposal for ``query`` (``article``, ``start``, ``end``, ``text``, optional
    ``category``, ``lang`` and ``id``, the id typed in the panel; without it, the entry's
    id is a few words that carry the passage's meaning): ``start`` and ``end`` count the
    non-space characters of the article's plain text (headline, then body) before the
    selection's start and end, or of its translation into ``lang`` when the selection is
    there; ``text`` is the selected text, to check that the page still shows the article
    as it is on disk."""
    slug = query.get("article", "")
    if not ID_RE.fullmatch(slug) or not (content / "articles" / slug).is_dir():
        return _error(404, f"no article '{slug}' in {content}")
    try:
        start, end = int(query.get("start", "")), int(query.get("end", ""))
    except ValueError:
        return _error(400, "start and end must be numbers")
    problems = Collector()
    site = load_site(content, problems)
    article = load_article(content / "articles" / slug, site, problems) if site else None
    if site is None or article is None:
        first = (problems.errors[0].format_message() if problems.errors
                 else "the article cannot be read")
        return _error(409, f"fix the content first: {first}")
    lang = query.get("lang") or article.language
    translation = article.translation(lang)
    if lang != article.language and translation is None:
        return _error(400, f"the article has no translation into '{lang}'")
    text = (canonical_text(translation.title or "", parse_body(translation.body))
            if translation else canonical_text(article.title, parse_body(article.body)))
    category = query.get("category") or site.categories[0].key
    keys = [c.key for c in site.categories]
    if category not in keys:
        return _error(400, f"unknown category '{category}' (categories: {', '.join(keys)})")
    try:
        span = from_counts(text, start, end)
        if not _same_text(query.get("text", ""), text[span[0] : span[1]]):
            return _error(409, "the page does not show the article as it is now: "
                               "wait for it to reload, then select again")
        selector = propose(text, *span)
    except SelectionError as exc:
        return _error(400, str(exc))
    taken = {a.id for a in article.annotations}
    suggested = annotation_id(" ".join(key_words(selector.quote, lang)), taken)
    chosen, id_problem = _chosen_id(query.get("id", ""), taken, suggested)
    block = yaml_block(selector, category, chosen,
                       (article.language, lang) if translation else None,
                       [r.key for r in site.ratings])
    default = site.default_language
    labels = [{"key": c.key, "label": c.label.resolve(default, default).text}
              for c in site.categories]
    return Answer(200, {"yaml": block, "id": chosen, "suggested": suggested,
                        "id_problem": id_problem, "category": category, "categories": labels,
                        "quote": selector.quote, "prefix": selector.prefix,
                        "suffix": selector.suffix, "lang": lang,
                        "translation": translation is not None})
