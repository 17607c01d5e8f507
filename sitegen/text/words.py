"""The short words of a language: to guess an article's language from its commonest words,
and to name a passage by the words that carry its meaning."""

from __future__ import annotations

import re

COMMON_WORDS = {
    "en": "the of and to in is that for on with was said as by it at from his has have",
    "fr": "le la les de des du et est un une dans que qui pour sur par au aux avec a été",
    "de": "der die das und ist nicht mit von den dem zu ein eine auf für sich wurde auch",
    "es": "el la los las de del y que en un una por con para es se al lo como fue",
    "it": "il lo la gli le di del della che e è un una per con non sono nel alla",
    "pt": "o a os as de do da que e em um uma para com não por no na foi",
    "nl": "de het een en van is dat op te in met voor niet zijn door aan er",
}
"""The commonest short words of each language, enough to tell a news article's language."""

# Words that say little about a passage, besides the commonest: pronouns, auxiliaries,
# quantifiers, verbs of saying. A passage is named by the words left.
_LITTLE_WORDS = {
    "en": "a an are be been being but can could did do does had he her him i if into its "
          "just may might more most much my no not now or our she so some such than their "
          "them then there these they this those too us very we were what when which who "
          "will would you your many also about after before over up out say says one all "
          "any how only other own same each here",
    "fr": "ce cet cette ces il elle ils elles on nous vous je tu se ne pas plus mais ou son "
          "sa ses leur leurs y en très aussi comme tout tous toute toutes entre sans sous "
          "dont où si ont sont dit selon lui eux été être avoir fait c l d qu n s j m",
}
_WORD = re.compile(r"[^\W_]+")
PHRASE_WORDS = 3
"""Words of a passage's name at most."""


def key_words(passage: str, language: str) -> list[str]:
    """The words that carry the meaning of ``passage`` (in ``language``), as a short phrase
    in their order: its ``PHRASE_WORDS`` longest words that are not little words (the
    earliest of equally long ones). Fewer than two such words: the passage's first words,
    since a name of one word says too little."""
    base = language.split("-")[0].lower()
    little = set(f"{COMMON_WORDS.get(base, '')} {_LITTLE_WORDS.get(base, '')}".split())
    words = _WORD.findall(passage)
    content = [(i, w) for i, w in enumerate(words) if w.casefold() not in little]
    if len(content) < 2:
        return words[:PHRASE_WORDS + 1]
    longest = sorted(content, key=lambda item: (-len(item[1]), item[0]))[:PHRASE_WORDS]
    return [w for _, w in sorted(longest)]
