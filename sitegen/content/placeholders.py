"""The example texts sitegen writes for the author to replace: the preview panel's note and
the skeleton's of ``sitegen new``. They are listed here once, for the modules that write
them and for ``check``, which warns when one is left in an annotation (it would be
published as it is)."""

from __future__ import annotations

from collections.abc import Iterable

from sitegen.errors import Collector
from sitegen.model import Localized

NOTE_PLACEHOLDER = "What should a reader notice here? Cite a source for any outside fact."
"""The note of an entry the preview's select-to-annotate panel proposes."""
EXAMPLE_NOTE = "What should the reader notice here, and why?"
EXAMPLE_QUESTION = "A question for students."
EXAMPLE_ANSWER = "The answer, for the teacher key only."
EXAMPLE_WHOLE_ARTICLE = "What the article as a whole leaves out."
"""The texts of the commented-out examples in the skeleton ``sitegen new`` writes."""
ELLIPSIS = "…"
"""What the skeleton writes where only the author knows the words."""

PLACEHOLDERS = frozenset((NOTE_PLACEHOLDER, EXAMPLE_NOTE, EXAMPLE_QUESTION, EXAMPLE_ANSWER,
                          EXAMPLE_WHOLE_ARTICLE, ELLIPSIS))


def warn_placeholders(fields: Iterable[tuple[str, Localized | None]],
                      problems: Collector) -> None:
    """A warning for each text of ``fields`` (name, value) that is still an example text."""
    for key, value in fields:
        if value is None:
            continue
        for (_, text), loc in zip(value.texts, value.locations, strict=False):
            if text.strip() in PLACEHOLDERS:
                problems.warn(f"'{key}' is still the example text '{text.strip()}'", loc,
                              f"write your own {key}")
