"""The build's worker processes.

A build that knows early that it will render many articles (a clean build, a new theme)
starts its workers before it reads the content: while the build reads site.yaml and
checks the output folder, each worker imports the renderer and compiles the templates
(under ``fork``, the build does that once before starting them, and they inherit it).
What the workers share (``article.Job``: the site, the last build's records) exists only
once the content is read, so it is sent to each worker then, once, through a queue the
workers wait on after their warm-up; each task after that is only a folder and its key.
"""

from __future__ import annotations

import importlib
import pickle
from types import TracebackType
from typing import TYPE_CHECKING

from sitegen.build.gcpolicy import collect_as_usual

if TYPE_CHECKING:
    from multiprocessing.queues import Queue

    from sitegen.build.article import Done, Job, Task

CHUNK = 8
"""The most articles handed to a worker at once."""


def _warm_up() -> None:
    """The imports and compiled templates every render needs (at once when done)."""
    from sitegen.theme import templates

    importlib.import_module("sitegen.build.article")
    templates.compile_all()


def _start(jobs: Queue[bytes | None]) -> None:
    """A worker's start: warm up, then take the job, pickled (None when the build stopped
    before it had one: the worker then gets no task)."""
    collect_as_usual()
    try:
        _warm_up()
    finally:  # whatever happened, take the one job meant for this worker
        job = jobs.get()
    from sitegen.build import article

    article.start_worker(None if job is None else pickle.loads(job))


def _started() -> None:
    """The task that makes a worker start at once, not at the first real task."""


class Workers:
    """``count`` worker processes, started now; ``run`` gives them the job and the tasks.
    Used as a context manager: leaving it stops the workers, job or not."""

    def __init__(self, count: int, start_method: str) -> None:
        """``start_method`` as ``Builder`` takes it; ``spawn`` where the platform has not
        that one (Windows has neither ``fork`` nor ``forkserver``)."""
        import multiprocessing  # only a build that renders on workers needs them
        from concurrent.futures import ProcessPoolExecutor

        if start_method not in multiprocessing.get_all_start_methods():
            start_method = "spawn"
        if start_method == "fork":  # a forked worker inherits it: done once, here
            _warm_up()
        context = multiprocessing.get_context(start_method)
        self._count = count
        self._jobs: Queue[bytes | None] = context.Queue()
        self._pool = ProcessPoolExecutor(count, mp_context=context, initializer=_start,
                                         initargs=(self._jobs,))
        self._sent = False
        for _ in range(count):  # a forking pool starts them all at the first task
            self._pool.submit(_started)

    def run(self, job: Job, tasks: list[Task]) -> list[Done]:
        """Build every task on the workers; the results in the order of ``tasks``."""
        from sitegen.build.article import build_article

        assert not self._sent, "a pool of workers runs one job"
        pickled = pickle.dumps(job, pickle.HIGHEST_PROTOCOL)  # once, not once per worker
        for _ in range(self._count):
            self._jobs.put(pickled)
        self._sent = True
        # Small chunks (a few articles, well under a second of work) keep every core busy
        # to the end; each costs one message to the worker and one back.
        chunk = max(1, min(CHUNK, len(tasks) // (self._count * 8)))
        return list(self._pool.map(build_article, tasks, chunksize=chunk))

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
