"""What phase 1 of a build looks at and finds (see ``builder``): the article folders with
their signatures and the last build's snapshot with a look at the output files
(``Listing``), then each article's entry, trusted from the snapshot, checked or rendered
(``Collected``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.build import snapshot
from sitegen.build.cache import Entries, Entry, Signature, Store, warnings_from_json
from sitegen.errors import Collector, SiteWarning
from sitegen.output.stage import Staged

if TYPE_CHECKING:
    from sitegen.model import Site


@dataclass
class Collected:
    """What phase 1 found: the entry of every article it checked or rendered, the
    articles the snapshot vouched for, the files of those it rendered."""

    site: Site | None
    """None when nothing needed site.yaml read (nothing rendered)."""
    entries: dict[str, Entry]
    """The entries of the articles checked or rendered."""
    trusted: dict[str, snapshot.Group]
    """The articles whose entry and files hold as the snapshot recorded them."""
    site_group: snapshot.Group | None
    """The site-wide files, when they hold as the snapshot recorded them."""
    staged: dict[str, Staged]
    rendered: list[str]
    site_warnings: list[SiteWarning]
    """site.yaml's, kept with the site-wide files for builds that do not read it."""
    listing_warnings: list[SiteWarning]
    """What listing the article folders reported."""
    assets: dict[str, bytes] | None = None
    """The theme's files, when an article was rendered (see ``views.assets``)."""

    @cached_property
    def article_warnings(self) -> list[SiteWarning]:
        return [w for slug in sorted([*self.entries, *self.trusted])
                for w in (self.entries[slug].warnings if slug in self.entries
                          else warnings_from_json(self.trusted[slug].warnings))]

    @property
    def warnings(self) -> list[SiteWarning]:
        return all_warnings(self.site_warnings, self.listing_warnings, self.article_warnings)

    def cards(self, slug: str) -> str:
        """The hash of an article's cards, which the index pages join."""
        trusted = self.trusted.get(slug)
        return trusted.card if trusted is not None else self.entries[slug].card_digest


def all_warnings(site: list[SiteWarning], listing: list[SiteWarning],
                 articles: list[SiteWarning]) -> list[SiteWarning]:
    """Every warning of a build, in the order it reports them."""
    return [*site, *listing, *articles]


@dataclass
class Listing:
    """What a build looks at before it knows whether it has work: each article folder
    with its signature, what listing them reported, and the last build's snapshot with
    a look at each output file it names (taken once, used by the full check too)."""

    folders: list[tuple[Path, Signature]]
    problems: Collector
    """What listing the article folders reported."""
    found: snapshot.Snapshot | None = None
    look: snapshot.Look | None = None

    @property
    def stats(self) -> Mapping[str, os.stat_result]:
        return self.look.stats if self.look is not None else {}

    @cached_property
    def articles_seen(self) -> str:
        """The folders' hash as a snapshot keeps it: compared, then saved, once."""
        return snapshot.articles_seen([(folder.name, sig) for folder, sig in self.folders])

    def trusted(self, store: Store | None, known: Entries) -> dict[str, snapshot.Group]:
        """The articles (and ``SITE``) whose entry and files hold as the snapshot has
        them (see ``snapshot.trusted``), of those with an entry in ``known``."""
        if store is None or self.found is None or self.look is None:
            return {}
        groups = snapshot.trusted(store, self.found, self.look,
                                  {folder.name: sig for folder, sig in self.folders})
        return {slug: group for slug, group in groups.items() if slug in known}
