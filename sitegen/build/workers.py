"""The build's worker processes.

A build that knows early that it will render many articles (a clean build, a new theme)
starts its workers before it reads the content: while the build reads site.yaml and
checks the output folder, each worker imports the renderer and compiles the templates
(under ``fork``, the build does that once before starting them, and they inherit it).
What the workers share (``job.Job``: the site, the last build's records) exists only
once the content is read, so it is sent to each worker then, once, through a queue the
workers wait on after their warm-up; each task after that is only a folder and its key.
"""

from __future__ import annotations

import importlib
import os
import pickle
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING, TypeVar

from sitegen.build.gcpolicy import collect_as_usual, keep_for_good
from sitegen.errors import ContentErrors, SiteError, SourceLocation

if TYPE_CHECKING:
    from ctypes import Array, c_char
    from multiprocessing.queues import Queue
    from multiprocessing.sharedctypes import Synchronized

    from sitegen.build.article import Done, Task
    from sitegen.build.job import Job, PdfTask
    from sitegen.output.stage import Staged

In = TypeVar("In")
Out = TypeVar("Out")

CHUNK = 8
"""The most articles handed to a worker at once."""

POOL_THRESHOLD = 8
"""Fewer changed articles than this are built in-process: a pool would cost more."""

SLOT = 4096
"""Bytes of shared memory per worker for the folder of the article it builds (a path
longer than that is cut: the message still names the article)."""

_slot: tuple[Array[c_char], int] | None = None
"""In a worker: the shared memory of every worker's current article, and this worker's
place in it (see ``Workers``)."""


def _warm_up() -> None:
    """The imports and compiled templates every render needs (at once when done)."""
    from sitegen.theme import templates

    importlib.import_module("sitegen.build.article")
    templates.compile_all()


def _start(jobs: Queue[bytes | None], current: Array[c_char],
           places: Synchronized[int], pdf: bool, pdf_only: bool) -> None:
    """A worker's start: take a place in ``current``, warm up (with ``pdf``, load
    WeasyPrint too; with ``pdf_only``, nothing else: it may never render a page), then take
    the job, pickled (None when the build stopped before it had one: the worker then gets
    no task)."""
    global _slot
    with places.get_lock():
        _slot = current, places.value
        places.value += 1
    # The pool stops the other workers when one dies: each clears its place first, so
    # only the article of the one that died is left to name.
    signal.signal(signal.SIGTERM, _stopped)
    collect_as_usual()
    try:
        if not pdf_only:
            _warm_up()
        if pdf:
            from sitegen.theme import pdf as engine

            engine.warm_up()
    finally:  # whatever happened, take the one job meant for this worker
        job = jobs.get()
    from sitegen.build import job as shared

    shared.start_worker(None if job is None else pickle.loads(job))
    keep_for_good()


def _started() -> None:
    """The task that makes a worker start at once, not at the first real task."""


def _mark(text: bytes) -> None:
    """Write ``text`` in this worker's place (empty: building nothing)."""
    assert _slot is not None
    current, place = _slot
    start = place * SLOT
    memoryview(current).cast("B")[start:start + SLOT] = text[:SLOT].ljust(SLOT, b"\0")


def _stopped(signum: int, frame: object) -> None:
    _mark(b"")
    os._exit(1)


def _build(task: Task) -> Done:
    """``article.build_article``, with the article's folder in this worker's place while
    it is built."""
    from sitegen.build import article

    _mark(os.fsencode(task[0]))
    try:
        return article.build_article(task)
    finally:
        _mark(b"")


def _make_pdf(task: PdfTask) -> dict[str, Staged]:
    """``job.make_pdf``, with the article's folder in this worker's place meanwhile."""
    from sitegen.build import job

    _mark(os.fsencode(task[0]))
    try:
        return job.make_pdf(task)
    finally:
        _mark(b"")


@contextmanager
def _safe_path() -> Iterator[None]:
    """PYTHONSAFEPATH=1 for the interpreters started meanwhile: the fork server, the spawned
    workers and multiprocessing's resource tracker. Each starts as ``python -c ...``, which
    puts the working folder first on ``sys.path``, and imports ``socket`` and ``selectors``
    before multiprocessing sets the path the parent had: a ``selectors.py`` in the folder
    ``serve`` or ``build`` runs from (a teacher's lessons folder) would run. (A forked
    worker starts no interpreter.)"""
    before = os.environ.get("PYTHONSAFEPATH")
    os.environ["PYTHONSAFEPATH"] = "1"
    try:
        yield
    finally:
        if before is None:
            del os.environ["PYTHONSAFEPATH"]
        else:
            os.environ["PYTHONSAFEPATH"] = before


class Workers:
    """``count`` worker processes, started now; ``run`` gives them the job and the tasks,
    ``pdfs`` the PDFs the articles left to make. Used as a context manager: leaving it
    stops the workers, job or not."""

    def __init__(self, count: int, start_method: str, *, pdf: bool = False,
                 pdf_only: bool = False) -> None:
        """``start_method`` as ``Builder`` takes it; ``spawn`` where the platform has not
        that one (Windows has neither ``fork`` nor ``forkserver``). ``pdf``: the workers
        will make PDFs (each loads WeasyPrint while it waits for the job). ``pdf_only``:
        they are started for the PDFs of a few articles, which this process renders
        meanwhile (see ``build_all``); instead of ``fork``, they then come from a fork
        server that loads WeasyPrint once, at the same time (``pdf_server``)."""
        import multiprocessing  # only a build that renders on workers needs them
        from concurrent.futures import ProcessPoolExecutor

        methods = multiprocessing.get_all_start_methods()
        if start_method not in methods:
            start_method = "spawn"
        if pdf_only and start_method == "fork" and "forkserver" in methods:
            start_method = "forkserver"
            # One server per process, started by the first pool that needs it: a later
            # pool (``sitegen serve``) reuses it, with whatever it loaded.
            multiprocessing.get_context(start_method).set_forkserver_preload(
                ["sitegen.build.pdf_server"])
        elif start_method == "fork":  # a forked worker inherits it: done once, here
            _warm_up()
            if pdf:
                from sitegen.theme import pdf as engine

                engine.warm_up()
        context = multiprocessing.get_context(start_method)
        self._count = count
        self.pdf_only = pdf_only
        with _safe_path():  # the queue's lock may start the resource tracker
            self._jobs: Queue[bytes | None] = context.Queue()
            self._current = context.Array("c", count * SLOT, lock=False)
            places = context.Value("i", 0)
            self._pool = ProcessPoolExecutor(count, mp_context=context, initializer=_start,
                                             initargs=(self._jobs, self._current, places,
                                                       pdf and start_method != "fork",
                                                       pdf_only))
            self._sent = False
            if self.pdf_only and start_method == "forkserver":
                # Started now, loading WeasyPrint while this process renders; a worker is
                # forked from it when the first PDFs are sent (forking one waits for it).
                from multiprocessing import forkserver

                forkserver.ensure_running()
            else:
                for _ in range(count):  # a forking pool starts them all at the first task
                    self._pool.submit(_started)

    def run(self, job: Job, tasks: list[Task]) -> list[Done]:
        """Build every task on the workers; the results in the order of ``tasks``."""
        self._send(job)
        # Small chunks (a few articles, well under a second of work) keep every core busy
        # to the end; each costs one message to the worker and one back.
        chunk = max(1, min(CHUNK, len(tasks) // (self._count * 8)))
        return self._map(_build, tasks, chunk)

    def pdfs(self, job: Job, tasks: list[PdfTask]) -> list[dict[str, Staged]]:
        """Make every PDF of ``tasks``, one at a time (each takes about a second), after
        ``run`` or instead of it; the results in the order of ``tasks``."""
        self._send(job)
        return self._map(_make_pdf, tasks, 1)

    def _send(self, job: Job) -> None:
        """Give the workers the job, once."""
        if self._sent:
            return
        pickled = pickle.dumps(job, pickle.HIGHEST_PROTOCOL)  # once, not once per worker
        for _ in range(self._count):
            self._jobs.put(pickled)
        self._sent = True

    def _map(self, work: Callable[[In], Out], tasks: list[In], chunk: int) -> list[Out]:
        from concurrent.futures.process import BrokenProcessPool

        with _safe_path():  # a spawning pool may start a worker at any submission
            done = self._pool.map(work, tasks, chunksize=chunk)
        try:
            return list(done)
        except BrokenProcessPool:
            raise self._died() from None

    def _died(self) -> ContentErrors:
        """The error of a build whose worker was killed (by the system, out of memory, or
        by a user): it names the article that worker was building."""
        self._pool.shutdown(wait=True)  # the other workers are stopped: their places clear
        raw = bytes(self._current)
        folders = [os.fsdecode(raw[i:i + SLOT].rstrip(b"\0"))
                   for i in range(0, len(raw), SLOT)]
        message = ("the worker process building this article was stopped by the system "
                   "(killed, perhaps for lack of memory); nothing was written")
        hint = "--jobs 1 builds with less memory"
        return ContentErrors([SiteError(message, SourceLocation(folder), hint)
                              for folder in folders if folder]
                             or [SiteError(message.replace("this article", "an article"),
                                           SourceLocation("sitegen"), hint)])

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if not self._sent:  # release the workers waiting for a job that never came
            for _ in range(self._count):
                self._jobs.put(None)
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._jobs.close()
        # A worker that died unread leaves its job in the queue: do not wait to flush it.
        self._jobs.cancel_join_thread()


def build_all(job: Job, tasks: list[Task], workers: Workers | None, jobs: int,
              start_method: str) -> list[Done]:
    """Build ``tasks`` on ``workers`` (started early), on workers started now when there
    are enough tasks, else in this process (also when ``workers`` were started for the
    PDFs alone and the tasks are few); then make the PDFs they left to make, on the same
    workers, or on workers started for them when there are two or more (a PDF takes longer
    than starting a worker), else in this process."""
    from sitegen.build import article  # only a build that renders loads Markdown and Jinja
    from sitegen.build import job as shared

    if workers is None and jobs > 1 and len(tasks) >= POOL_THRESHOLD:
        with Workers(min(jobs, len(tasks)), start_method, pdf=job.pdf) as late:
            return build_all(job, tasks, late, jobs, start_method)
    if workers is not None and not (workers.pdf_only and len(tasks) < POOL_THRESHOLD):
        done = workers.run(job, tasks)
        article.add_pdfs(done, workers.pdfs(job, article.pending_pdfs(done)))
        return done
    shared.start_worker(job)
    try:
        done = [article.build_article(t) for t in tasks]
        pdfs = article.pending_pdfs(done)
        if workers is None and (jobs == 1 or len(pdfs) < 2):
            article.add_pdfs(done, [shared.make_pdf(t) for t in pdfs])
            return done
    finally:
        shared.start_worker(None)
    if workers is not None:
        if pdfs:  # else the job is not even sent: the workers are released unused
            article.add_pdfs(done, workers.pdfs(job, pdfs))
        return done
    # Nothing is left to do meanwhile: under ``fork`` this process loads WeasyPrint, then
    # forks the workers, which inherit it (a fork server would only start a process more).
    with Workers(min(jobs, len(pdfs)), start_method, pdf=True) as late:
        article.add_pdfs(done, late.pdfs(job, pdfs))
    return done
