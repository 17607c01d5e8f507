"""The build: phase 1 loads, validates, anchors and renders every changed article and
collects every error; only when there is none are the new files moved into the site.
A failed build therefore leaves the last good site as it was.

Each article's pages depend only on its own files, site.yaml, the theme and sitegen's
version, so articles are built in parallel (a process pool sized to the cores) and an
article whose inputs are unchanged is neither parsed nor rendered: its entry in the build
cache (kept in memory between rebuilds and on disk between runs) says what it produced.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen import __version__
from sitegen.build import cache, snapshot
from sitegen.build.cache import (
    SITE,
    Entries,
    Entry,
    Signature,
    content_key,
    input_bytes,
    signature,
)
from sitegen.build.phase import Collected, Listing, all_warnings
from sitegen.build.workers import POOL_THRESHOLD, Workers, build_all
from sitegen.content.listing import article_dirs
from sitegen.errors import Collector, ContentErrors, SiteWarning, SourceLocation
from sitegen.output.commit import WriteStats
from sitegen.output.folder import teacher_folder
from sitegen.output.lock import class_code
from sitegen.output.pair import Pair, count_pages
from sitegen.output.stage import Places, Staged
from sitegen.theme import templates

if TYPE_CHECKING:
    from sitegen.build.article import Done, Task
    from sitegen.model import Site


@dataclass
class BuildResult:
    pages: int
    """The HTML pages of the students' site."""
    teacher_pages: int
    """The HTML pages of the teacher's folder."""
    stats: WriteStats
    warnings: list[SiteWarning] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)
    """Slugs of the articles rendered in this build (the others came from the cache)."""


def theme_files() -> list[Path]:
    """The templates and static files every page depends on."""
    return sorted(p for d in (templates.TEMPLATES, templates.STATIC) for p in d.rglob("*")
                  if p.is_file() and not p.name.startswith("."))


def _code_files() -> list[Path]:
    """sitegen's own modules and interface strings: a change to them (even without a new
    version number, as in a working copy) must not leave pages made by the old code."""
    files = []
    for folder, subfolders, names in os.walk(Path(__file__).resolve().parents[1]):
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        files += [Path(folder, name) for name in names
                  if name.endswith((".py", ".yaml", ".js", ".css"))]
    return sorted(files)


class Builder:
    """Builds a content folder, reusing what unchanged articles produced last time."""

    def __init__(self, content: Path, out: Path | None, *, teacher: Path | None = None,
                 pdf: bool = True, jobs: int | None = None, use_cache: bool = True,
                 start_method: str = "fork", code: str | None = None):
        """``out`` is the students' site, ``teacher`` the teacher's folder (by default
        beside it, see ``output.folder.teacher_folder``); with a class ``code``, the
        teacher key is also in the site, locked (see ``output.lock``). ``start_method``
        starts the worker processes: ``fork`` is the quickest, but only safe from a
        process without other threads (``forkserver`` is, and ``spawn``, which
        ``Workers`` takes where the platform has neither)."""
        self.content = content
        self.out = out
        self.teacher = teacher if teacher is not None or out is None else teacher_folder(out)
        self.code = code
        self.pdf = pdf
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.start_method = start_method
        self._store = cache.Store(out) if use_cache and out is not None else None
        self._entries = Entries()
        self._entries_key: str | None = None

    def _site_key(self) -> str:
        # The content folder is named by its full path, so `content` and `/x/content`
        # share a cache; theme and code files by their place in the source tree.
        h = hashlib.sha256(f"{__version__}\0{self.pdf}\0{self.content.resolve()}\0"
                           f"{cache.library_versions()}".encode())
        if self.code is not None:
            # The pages locked with another code must be locked again: the key changes
            # with a hash of the code (this machine holds the unlocked key anyway).
            h.update(b"\0code\0" + hashlib.sha256(self.code.encode()).digest())
        theme_root = templates.TEMPLATES.parent
        # Read as content is read: no link out, no FIFO, no endless file.
        site_yaml = input_bytes(self.content / "site.yaml", "site.yaml", self.content)
        h.update(b"\0" + hashlib.sha256(site_yaml).digest())
        for path in [*theme_files(), *_code_files()]:
            h.update(os.path.relpath(path, theme_root).encode() + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).digest())
        return h.hexdigest()

    def _known(self, site_key: str) -> Entries:
        """Last build's entries, when they were made with the same site-wide inputs."""
        if self._entries_key != site_key:
            self._entries = self._store.load(site_key) if self._store else Entries()
            if self._entries.get(SITE) is None:  # only a finished build's entries count
                self._entries = Entries()
            self._entries_key = site_key
        return self._entries

    def _site(self, problems: Collector, *, check: bool) -> Site:
        """site.yaml, read only when something is rendered or no build has used these
        very bytes yet (a no-op build loads neither YAML nor the model); ``check`` also
        checks its Markdown fields."""
        from sitegen.content.load import load_site

        site = load_site(self.content, problems, check_markdown=check)
        if site is None:
            raise ContentErrors(problems.errors)
        return site

    def _reusable(self, entry: Entry | None, folder: Path, sig: Signature, site_key: str,
                  places: Places | None, stats: Mapping[str, os.stat_result]
                  ) -> tuple[dict[str, Staged] | None, str | None]:
        """The files ``entry`` produced if it still holds for this folder (see
        ``_in_place``), and the folder's content key (None when there is no entry: the
        worker that renders the article hashes it, in parallel)."""
        if entry is None:
            return None, None
        key = entry.key if entry.signature == sig else content_key(site_key, folder, sig)
        if entry.key != key or places is None:
            return None, key
        return self._in_place(entry, places, stats), key

    @staticmethod
    def _in_place(entry: Entry, places: Places, stats: Mapping[str, os.stat_result]
                  ) -> dict[str, Staged] | None:
        """The files ``entry`` produced, each with the stat it was found with (``stats``
        holds those this build took already), if every one is still in the output as
        written; else None."""
        files: dict[str, Staged] = {}
        for rel, (digest, size) in entry.files.items():
            seen = places.in_place(rel, digest, size, stats.get(rel))
            if seen is None:
                return None
            files[rel] = Staged(digest, size, None, seen)
        return files

    def _early_workers(self, listing: Listing, last_entries: Mapping[str, Entry]
                       ) -> contextlib.AbstractContextManager[Workers | None]:
        """Workers started before the content is read, when so many articles have no
        entry (a clean build, new site-wide inputs) that the pool is sure to be used (an
        article whose entry may still hold is not counted): one is enough when the build
        makes PDFs, each of which takes longer than starting a worker; else nothing."""
        surely = sum(1 for folder, _ in listing.folders if folder.name not in last_entries)
        if self.jobs == 1 or surely < (1 if self.pdf else POOL_THRESHOLD):
            return contextlib.nullcontext()
        # Too few to render on workers: they wait for the PDFs (see ``build_all``).
        return Workers(self.jobs if self.pdf else min(self.jobs, surely), self.start_method,
                       pdf=self.pdf, pdf_only=surely < POOL_THRESHOLD)

    def _list_articles(self) -> Listing:
        """Each article folder with its signature, and what listing them reported."""
        problems = Collector()
        return Listing([(folder, signature(folder))
                         for folder in article_dirs(self.content, problems)], problems)

    def _collect(self, places: Places | None, site_key: str, listing: Listing) -> Collected:
        """Phase 1 and rendering into ``places``, the folders the build writes, each with
        what the last build left in it (None when checking without writing). An article
        the snapshot vouches for is neither parsed nor checked file by file."""
        last_entries = self._known(site_key) if places is not None else Entries()
        trusted = listing.trusted(self._store, last_entries) if places is not None else {}
        with self._early_workers(listing, last_entries) as workers:
            site_problems = Collector()
            # A build with this very site.yaml and code loaded and checked it: its
            # warnings were kept with the site-wide files.
            site = None if last_entries else self._site(site_problems, check=True)
            site_warnings = last_entries[SITE].warnings if last_entries else site_problems.warnings
            entries: dict[str, Entry] = {}
            tasks: list[Task] = []
            staged: dict[str, Staged] = {}
            for folder, sig in listing.folders:
                if folder.name in trusted:
                    continue
                found, key = self._reusable(last_entries.get(folder.name), folder, sig, site_key,
                                            places, listing.stats)
                if found is not None:
                    entries[folder.name] = last_entries[folder.name]
                    entries[folder.name].resign(sig)
                    staged.update(found)
                else:
                    tasks.append((folder, sig, key))
            done: list[Done] = []
            assets = None
            if tasks:
                from sitegen.build.job import Job
                from sitegen.views.assets import theme_assets

                site = site or self._site(site_problems, check=False)
                assets = theme_assets(site)  # once per build: for the PDFs and the site
                # Derived only when an article is rendered: it takes a moment on purpose.
                lock = class_code(self.code) if self.code is not None else None
                job = Job(site, site_key, assets if self.pdf else None, places, lock)
                done = build_all(job, tasks, workers, self.jobs, self.start_method)
        errors = [*site_problems.errors, *listing.problems.errors,
                  *(e for d in done for e in d.errors)]
        if errors:
            raise ContentErrors(errors)
        for d in done:
            assert d.entry is not None
            entries[d.slug] = d.entry
            staged.update(d.staged)
        site_group = trusted.pop(SITE, None)
        return Collected(site, dict(sorted(entries.items())), trusted, site_group, staged,
                          [d.slug for d in done], site_warnings, listing.problems.warnings,
                          assets)

    def build(self) -> BuildResult:
        """Check, render and write the whole site and the teacher's folder; the cache is
        updated only on success."""
        if self.out is None or self.teacher is None:
            raise ValueError("Builder.build needs an output folder")
        with Pair(self.out, self.teacher, self.content) as output:  # locked till the end
            site_key, listing = self._site_key(), self._list_articles()
            unchanged = self._unchanged(output, site_key, listing)
            if unchanged is not None:
                return unchanged
            found = output.found
            places = output.open()
            if output.ident != found:  # claimed anew: the snapshot was of another folder
                listing.found = None
            collected = self._collect(places, site_key, listing)
            made: dict[str, Entry] = dict(collected.entries)
            trusted = dict(collected.trusted)
            # The indexes and assets depend on the site-wide inputs and on each article's
            # cards, in slug order; so do the names they take (see ``_site_files``).
            slugs = sorted([*made, *trusted])
            key = hashlib.sha256("\0".join([site_key, *(f"{slug}\0{collected.cards(slug)}"
                                                          for slug in slugs)]).encode()
                                 ).hexdigest()
            files: dict[str, Staged] = {}
            if collected.site_group is not None and collected.site_group.card == key:
                trusted[SITE] = collected.site_group
            else:
                files = self._site_entry(key, places, listing, collected, slugs, made,
                                         self._known(site_key))
            files.update(collected.staged)
            pdf_inputs: dict[str, str] = {}
            for entry in made.values():
                pdf_inputs.update(entry.pdf_inputs)
            kept = [rel for group in trusted.values() for rel in group.outputs]
            stats = output.commit(files, pdf_inputs, kept)
            self._entries = self._known(site_key).updated(made, set(trusted))
            pages = count_pages([*files, *kept])
            # Under the output folder's lock, as it is its cache; a snapshot only of
            # entries the cache holds.
            if self._store is not None and not self._store.save(site_key, self._entries):
                snapshot.forget(self._store)
            elif self._store is not None:
                self._save_snapshot(output, site_key, listing, collected, pages,
                                    {**trusted, **self._groups(made)})
        return BuildResult(*pages, stats, self._with_store_problem(collected.warnings),
                           collected.rendered)

    def _site_entry(self, key: str, places: Places, listing: Listing,
                    collected: Collected, slugs: list[str], made: dict[str, Entry],
                    known: Entries) -> dict[str, Staged]:
        """The site-wide files for ``key``, found in place or made again (the cards of
        the articles not ``made`` from last build's entries, ``known``), with their entry
        put in ``made``."""
        site_before = known.get(SITE)
        files = (self._in_place(site_before, places, listing.stats)
                 if site_before is not None and site_before.key == key else None)
        if files is None:
            site = collected.site or self._site(Collector(), check=False)
            cards = [made[slug].cards if slug in made else known[slug].cards for slug in slugs]
            files = {rel: places.stage(rel, data) for rel, data
                     in self._site_files(site, cards, slugs, collected.assets).items()}
        made[SITE] = Entry.made(key, files, warnings=collected.site_warnings)
        return files

    @staticmethod
    def _groups(made: dict[str, Entry]) -> dict[str, snapshot.Made]:
        """Each entry checked or made as the snapshot records it (see ``snapshot.save``),
        with the signature its folder has in this build's listing (an entry kept or made
        now carries it) and, for the site-wide files, their key in place of cards."""
        return {slug: (slug, entry.signature, sorted(entry.files),
                       entry.key if slug == SITE else entry.card_digest, entry.warnings_json)
                for slug, entry in made.items()}

    def _with_store_problem(self, warnings: list[SiteWarning]) -> list[SiteWarning]:
        if self._store is None or not self._store.problem:
            return list(warnings)
        return [*warnings, SiteWarning(self._store.problem,
                                       SourceLocation(str(self._store.path.parent)))]

    def _unchanged(self, output: Pair, site_key: str, listing: Listing) -> BuildResult | None:
        """The result of this build if it has nothing to do, as the last build's snapshot
        shows without reading the ledger or the cache (see ``snapshot``); else None. The
        snapshot and the look at the output files go into ``listing`` for the full check."""
        idents = output.found
        if self._store is None or idents is None:
            return None
        manifest = output.stamps(idents)  # None while a killed build's commit waits
        if manifest is None:
            return None
        found = snapshot.load(self._store, site_key, idents, manifest)
        if found is None or listing.problems.errors:
            return None
        listing.found = found
        # The folders' hash first: made before the look's stats are kept, it adds
        # nothing to the build's peak of memory.
        same_articles = listing.articles_seen == found.articles
        listing.look = snapshot.Look(output.site.out, output.teacher.out, found.outputs)
        if not same_articles or listing.look.seen != found.outputs_seen:
            return None
        warnings = all_warnings(found.site_warnings, listing.problems.warnings,
                                 found.article_warnings)
        return BuildResult(*found.pages, WriteStats(unchanged=len(found.outputs)),
                           self._with_store_problem(warnings))

    def _save_snapshot(self, output: Pair, site_key: str, listing: Listing,
                       collected: Collected, pages: tuple[int, int],
                       groups: Mapping[str, snapshot.Group | snapshot.Made]) -> None:
        """What this build saw, for the next build to compare (see ``snapshot``): each
        entry holds the signature its folder had in ``listing``."""
        assert self._store is not None
        manifest = output.stamps(output.ident)
        if manifest is None:
            return
        snapshot.save(self._store, site_key, output.ident, manifest, listing.articles_seen,
                      groups, output.record, pages, collected.site_warnings,
                      collected.article_warnings)

    def _site_files(self, site: Site, cards: list[dict[str, str]], slugs: list[str],
                    assets: dict[str, bytes] | None) -> dict[str, bytes]:
        """The site-wide files, with the articles' ``cards`` in the order of their
        ``slugs``, after checking no article's folder takes one of their names (reused
        site-wide files were checked with these very articles)."""
        from sitegen.build.article import site_files
        from sitegen.content.load import slug_collisions

        files = site_files(site, cards, assets)
        collisions = slug_collisions(self.content, site, files, slugs)
        if collisions:
            raise ContentErrors(collisions)
        return files

    def check(self) -> list[SiteWarning]:
        """Everything a build checks, without writing; returns the warnings."""
        collected = self._collect(None, self._site_key(), self._list_articles())
        assert collected.site is not None  # read: nothing is known without an output folder
        entries = collected.entries
        self._site_files(collected.site, [e.cards for e in entries.values()], list(entries),
                         collected.assets)
        return collected.warnings


def build(content: Path, out: Path, *, teacher: Path | None = None, pdf: bool = True,
          jobs: int | None = None, use_cache: bool = True, code: str | None = None
          ) -> BuildResult:
    """Build ``content`` into ``out`` and the teacher's folder (by default beside it),
    with the teacher key locked in ``out`` too when a class ``code`` is given. Raises
    ContentErrors or UsageError before writing."""
    return Builder(content, out, teacher=teacher, pdf=pdf, jobs=jobs, use_cache=use_cache,
                   code=code).build()


def check(content: Path) -> list[SiteWarning]:
    return Builder(content, None, pdf=False).check()
