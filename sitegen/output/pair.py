"""The two folders one build writes, opened together: the students' site and the teacher's
folder (the teacher keys and class pages, never published with the site).

Both are ``Output`` folders, each checked, locked, staged and committed on its own; the build
keeps one map of paths for both (``stage.Places``: the teacher's start with ``TEACHER``), and
this module splits it at the commit, and names both in the build's snapshot.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from types import TracebackType

from sitegen.output import ledger
from sitegen.output.commit import WriteStats
from sitegen.output.folder import Output, check_apart
from sitegen.output.ledger import FileRecord
from sitegen.output.stage import TEACHER, Places, Staged, split


class Pair:
    """The site's ``Output`` and the teacher's, checked apart and locked (a context
    manager); ``open`` readies both for a commit."""

    def __init__(self, out: Path, teacher: Path, content: Path):
        check_apart(out, teacher)
        self.site = Output(out, content)
        try:
            self.teacher = Output(teacher, content)
        except BaseException:
            self.site.close(failed=True)
            raise

    def __enter__(self) -> Pair:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            self.teacher.__exit__(kind, exc, tb)
        finally:
            self.site.__exit__(kind, exc, tb)

    @property
    def found(self) -> str | None:
        """Both folders' ledger ids as found once locked; None if either is new."""
        if self.site.found is None or self.teacher.found is None:
            return None
        return f"{self.site.found} {self.teacher.found}"

    @property
    def ident(self) -> str:
        """Both folders' ledger ids, once open."""
        return f"{self.site.ident} {self.teacher.ident}"

    @staticmethod
    def stamps(idents: str) -> str | None:
        """The stamps of both folders' manifests (``ledger.stamp``), for ``found`` or
        ``ident``; None while a killed build's commit waits in either."""
        stamps = [ledger.stamp(ident) for ident in idents.split(" ")]
        if None in stamps:
            return None
        return " ".join(s for s in stamps if s is not None)

    def open(self) -> Places:
        return Places(self.site.open(), self.teacher.open())

    def record(self, rel: str) -> FileRecord | None:
        """What the manifests record for ``rel`` (the teacher's starting with ``TEACHER``)."""
        is_teacher, inner = split(rel)
        return (self.teacher if is_teacher else self.site).manifest.files.get(inner)

    def commit(self, files: Mapping[str, Staged], pdf_inputs: Mapping[str, str],
               kept: Collection[str] = ()) -> WriteStats:
        """Put ``files`` in their folders, the files ``kept`` staying as recorded (see
        ``Output.commit``); the teacher's files that were kept (changed since sitegen wrote
        them) are named with ``TEACHER`` before them."""
        mine: tuple[dict[str, Staged], dict[str, Staged]] = ({}, {})
        inputs: tuple[dict[str, str], dict[str, str]] = ({}, {})
        for rel, staged in files.items():
            is_teacher, inner = split(rel)
            mine[is_teacher][inner] = staged
        for rel, key in pdf_inputs.items():
            is_teacher, inner = split(rel)
            inputs[is_teacher][inner] = key
        # Comprehensions, not ``split``: ``kept`` may name every file of a big site.
        cut = len(TEACHER)
        stats = self.site.commit(mine[0], inputs[0],
                                 {rel for rel in kept if not rel.startswith(TEACHER)})
        more = self.teacher.commit(mine[1], inputs[1],
                                   {rel[cut:] for rel in kept if rel.startswith(TEACHER)})
        return WriteStats(stats.written + more.written, stats.unchanged + more.unchanged,
                          stats.removed + more.removed,
                          [*stats.kept, *(TEACHER + rel for rel in more.kept)])


def count_pages(files: Iterable[str]) -> tuple[int, int]:
    """The HTML pages of the site, and of the teacher's folder, among ``files``."""
    pages = [rel for rel in files if rel.endswith(".html")]  # may be every file of a site
    teacher = sum(1 for rel in pages if rel.startswith(TEACHER))
    return len(pages) - teacher, teacher
