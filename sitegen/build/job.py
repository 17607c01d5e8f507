"""What every article build of one run shares (``Job``), and the one piece of a build that
needs nothing else: making a handout's PDF (``make_pdf``).

Light on purpose: a worker that only makes PDFs imports this, ``views.handout_pdf`` and
WeasyPrint, never the renderer (Markdown, Jinja, the views), and the job it is sent
unpickles with the model alone (see ``workers``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sitegen.model import Site
from sitegen.output.lock import ClassCode, lock_pdf
from sitegen.output.stage import Places, Staged
from sitegen.views import handout_pdf


@dataclass(frozen=True)
class Job:
    """What every article build of one run shares (sent to each worker once)."""

    site: Site
    site_key: str
    theme: dict[str, bytes] | None
    """The site's assets, which every PDF is made with; None when PDFs are off."""
    places: Places | None
    """The folders the build writes; None when it only checks."""
    lock: ClassCode | None = None
    """The class code that locks the teacher key in the students' site, if one is set."""

    @property
    def pdf(self) -> bool:
        """The build makes PDFs of the handouts."""
        return self.theme is not None


_JOB: Job | None = None


def start_worker(job: Job | None) -> None:
    """Set (or, with None, clear) what this process's article builds share."""
    global _JOB
    _JOB = job


def current() -> Job:
    """What this process's article builds share (set by ``start_worker``)."""
    assert _JOB is not None, "start_worker first"
    return _JOB


PdfTask = tuple[Path, str, bytes, tuple[str, ...], str | None]
"""A handout's PDF to make: its article's folder, the handout page's site path and HTML,
the layouts it may be fitted to (``handout_pdf.FITS``), and the site path of the PDF locked
with the class code (None: no locked copy)."""


def make_pdf(task: PdfTask) -> dict[str, Staged]:
    """Make one handout's PDF (and its locked copy), staged as the article's files are."""
    job = current()
    assert job.theme is not None and job.places is not None
    _, path, html, fits, locked = task
    data = handout_pdf.make_pdf(html, path, job.site.paper, job.theme, fits)
    files = {handout_pdf.pdf_path(path): data}
    if locked is not None:
        assert job.lock is not None
        files[locked] = lock_pdf(data, job.lock)
    return {rel: job.places.stage(rel, data) for rel, data in sorted(files.items())}
