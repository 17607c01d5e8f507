"""The sources cited on a page, numbered once each in order of first citation: shared by the
article's notes, its voices and its fact-check layer (``views.factcheck``)."""

from __future__ import annotations

from dataclasses import dataclass

from sitegen.model import Source
from sitegen.text import typography


@dataclass(frozen=True)
class SourceRef:
    """A source cited on the page, numbered in order of first citation."""

    title: str | None
    publisher: str
    date: str | None
    url: str
    number: int
    accessed: str | None = None
    archived: str | None = None
    kind: str | None = None


class SourceList:
    """Every source cited on a page, once each, in order of first citation."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.items: list[SourceRef] = []
        self._index: dict[str, int] = {}

    def add(self, source: Source) -> int:
        if source.url not in self._index:
            title = typography.plain(source.title, self.lang) if source.title else None
            self.items.append(SourceRef(title, typography.plain(source.publisher, self.lang),
                                        source.date, source.url, len(self.items) + 1,
                                        source.accessed, source.archived, source.kind))
            self._index[source.url] = len(self.items)
        return self._index[source.url]

    def cite(self, sources: tuple[Source, ...]) -> tuple[SourceRef, ...]:
        return tuple(self.items[self.add(s) - 1] for s in sources)
