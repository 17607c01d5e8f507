"""The two edits the benchmark times: one article's word, and one template.

`edit_article` changes the last word of a synthetic article (a word no annotation covers);
`edited_template` adds an HTML comment to a real template and restores it afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from synth import FREE_TAIL

_LAST = FREE_TAIL.split()[-1]
_EDITED = "today"
_TAIL_WORD = re.compile(rf"\b({_LAST}|{_EDITED})\.\n\Z")


def edit_article(article_md: Path) -> None:
    """Swap the article's final word between two values: each call is one real edit."""
    text = article_md.read_text(encoding="utf-8")
    match = _TAIL_WORD.search(text)
    if match is None:
        raise ValueError(f"{article_md}: not a synthetic article (no free final word)")
    word = _EDITED if match.group(1) == _LAST else _LAST
    article_md.write_text(text[: match.start()] + f"{word}.\n", encoding="utf-8")


def page_template(templates: Path) -> Path:
    """The template every page goes through: `base.html`, else the first holding `</body>`."""
    candidates = sorted(templates.rglob("*.html"), key=lambda p: (p.name != "base.html", p))
    for path in candidates:
        if "</body>" in path.read_text(encoding="utf-8"):
            return path
    if not candidates:
        raise FileNotFoundError(f"no templates in {templates}")
    return candidates[0]


@contextmanager
def edited_template(template: Path, mark: str) -> Iterator[None]:
    """Within the block `template` carries a comment naming `mark`; then it is restored."""
    original = template.read_bytes()
    text = original.decode("utf-8")
    comment = f"<!-- benchmark edit {mark} -->\n"
    at = text.rfind("</body>")
    edited = text[:at] + comment + text[at:] if at != -1 else text + comment
    try:
        template.write_text(edited, encoding="utf-8")
        yield
    finally:
        # Someone may have saved the real template meanwhile: never overwrite their work.
        if template.read_text(encoding="utf-8") != edited:
            raise RuntimeError(f"{template} changed during the benchmark; left as it is")
        template.write_bytes(original)
