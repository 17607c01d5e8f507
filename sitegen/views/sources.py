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
    """As the edition writes a date ("19 févr. 2025"); ``iso_date`` is the date as given."""
    url: str | None
    number: int
    accessed: str | None = None
    archived: str | None = None
    kind: str | None = None
    iso_date: str | None = None


class SourceList:
    """Every source cited on a page, once each, in order of first citation."""

    def __init__(self, lang: str, months: str) -> None:
        self.lang = lang
        self.months = months
        """The edition's ``months_short`` string (``human_date``)."""
        self.items: list[SourceRef] = []
        self._index: dict[str, int] = {}

    def add(self, source: Source) -> int:
        # A source is the same source wherever it is cited: one address, or one name.
        key = source.url or source.archived or f"{source.publisher}\n{source.title}"
        if key not in self._index:
            # A title is the source's own words, in its own language: it is kept as written
            # ("Embassy Row: Putin taps envoy" takes no French space before its colon).
            title = source.title
            self.items.append(SourceRef(
                title, typography.plain(source.publisher, self.lang),
                human_date(source.date, self.months) if source.date else None, source.url,
                len(self.items) + 1,
                human_date(source.accessed, self.months) if source.accessed else None,
                source.archived, source.kind, source.date))
            self._index[key] = len(self.items)
        return self._index[key]

    def cite(self, sources: tuple[Source, ...]) -> tuple[SourceRef, ...]:
        return tuple(self.items[self.add(s) - 1] for s in sources)


def human_date(iso: str, months: str) -> str:
    """An ISO date (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``) as an edition writes it: day,
    short month, year ("19 févr. 2025", "19 Feb 2025"); ``months`` is its locale's
    ``months_short``, the twelve names separated by spaces."""
    parts = iso.split("-")
    names = months.split()
    shown = [str(int(parts[2]))] if len(parts) > 2 else []
    if len(parts) > 1:
        shown.append(names[int(parts[1]) - 1])
    return " ".join([*shown, parts[0]])
