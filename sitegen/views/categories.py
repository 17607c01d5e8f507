"""Each category's letter, the badge that tells it apart from the others by more than
colour: the shortest start of its label in an edition that no other label starts with.
The pages (``edition``) and the stylesheet (``assets``) both show it."""

from __future__ import annotations

from sitegen.model import Localized, Site
from sitegen.text import typography


def _label(site: Site, value: Localized, lang: str) -> str:
    resolved = value.resolve(lang, site.default_language)
    return typography.plain(resolved.text, resolved.lang).strip()


def letters(site: Site, lang: str) -> dict[str, str]:
    """Category key → its letter in edition ``lang`` (1 to 3 letters)."""
    labels = {c.key: _label(site, c.label, lang) or c.key for c in site.categories}
    return {key: _short_name(text, [v for k, v in labels.items() if k != key])
            for key, text in labels.items()}


def _short_name(label: str, others: list[str]) -> str:
    """The shortest start of ``label`` that no other label starts with (1 to 3 letters)."""
    for size in (1, 2, 3):
        prefix = label[:size].casefold()
        if not any(o.casefold().startswith(prefix) for o in others):
            break
    return label[:size].capitalize()
