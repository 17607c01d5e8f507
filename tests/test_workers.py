"""A build sure to render many articles starts its workers before it reads the content,
gives them the job once it has it, and stops them whatever happens; workers started early,
late or not at all make the same site."""

from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
import signal
import time
import weakref
from pathlib import Path

import pytest
from conftest import FIXTURES
from conftest import site_bytes as _tree

from sitegen import cli
from sitegen.build import gcpolicy, workers
from sitegen.build.builder import POOL_THRESHOLD, Builder
from sitegen.content import load as content_module
from sitegen.errors import ContentErrors
from sitegen.output.folder import teacher_folder

COPIES = POOL_THRESHOLD + 2


def _big_site(root: Path) -> Path:
    content = root / "content"
    shutil.copytree(FIXTURES / "mini", content)
    for i in range(COPIES):
        shutil.copytree(FIXTURES / "mini/articles/sample", content / f"articles/copy-{i}")
    return content


def _watch_site_yaml(monkeypatch: pytest.MonkeyPatch, seen: list[int],
                     marks: Path | None = None) -> None:
    """Record how many worker processes are alive each time the build reads site.yaml;
    with ``marks``, let the reading last until two workers left a mark in that folder
    (30 s at most), and record how many did."""
    real = content_module.load_site

    def load_site(*args: object, **kwargs: object) -> object:
        seen.append(len(multiprocessing.active_children()))
        if marks is not None:
            deadline = time.monotonic() + 30
            while len(list(marks.iterdir())) < 2 and time.monotonic() < deadline:
                time.sleep(0.01)
            seen.append(len(list(marks.iterdir())))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(content_module, "load_site", load_site)


def _mark_warm_ups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder where each forked worker, once warmed up, leaves a file named by its
    process id and holding its cycle collector's thresholds."""
    marks = tmp_path / "marks"
    marks.mkdir()
    parent = os.getpid()
    real_warm_up = workers._warm_up

    def warm_up() -> None:
        real_warm_up()
        if os.getpid() != parent:  # under fork, the build warms up too
            (marks / str(os.getpid())).write_text(repr(gc.get_threshold()))

    monkeypatch.setattr(workers, "_warm_up", warm_up)
    return marks


@pytest.mark.parametrize("start_method", ["fork", "forkserver"])  # build's, and serve's
def test_a_clean_build_starts_its_workers_before_it_reads_site_yaml(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, start_method: str) -> None:
    content = _big_site(tmp_path)
    seen: list[int] = []
    _watch_site_yaml(monkeypatch, seen)
    result = Builder(content, tmp_path / "out", pdf=False, jobs=2, use_cache=False,
                     start_method=start_method).build()
    assert len(result.rendered) == COPIES + 1
    assert seen == [2]
    assert multiprocessing.active_children() == []


def test_the_workers_warm_up_while_site_yaml_is_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each forked worker is through its imports and templates, and waits for the job,
    while the build is still reading site.yaml (which waits for them here)."""
    content = _big_site(tmp_path)
    marks = _mark_warm_ups(tmp_path, monkeypatch)
    seen: list[int] = []
    _watch_site_yaml(monkeypatch, seen, marks)
    Builder(content, tmp_path / "out", pdf=False, jobs=2, use_cache=False).build()
    assert seen == [2, 2]  # two workers alive, both warmed up, before site.yaml was read


@pytest.mark.parametrize("start_method", ["fork", "forkserver"])
def test_a_build_stopped_before_the_job_stops_its_workers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, start_method: str) -> None:
    content = _big_site(tmp_path)
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text("utf-8") + "languages: [en\n", "utf-8")
    seen: list[int] = []
    _watch_site_yaml(monkeypatch, seen)
    out = tmp_path / "out"
    with pytest.raises(ContentErrors) as info:
        Builder(content, out, pdf=False, jobs=2, start_method=start_method).build()
    assert seen == [2]  # the workers were waiting for a job that never came
    assert all(e.location.path.endswith("site.yaml") for e in info.value.errors)
    assert multiprocessing.active_children() == []
    assert not out.exists() or not [p for p in out.iterdir() if not p.name.startswith(".")]


def test_many_edited_articles_start_the_workers_when_their_work_is_known(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An article with an entry may need no render, so it never starts workers early;
    once ten of them turn out to have changed, the pool builds them."""
    content = _big_site(tmp_path)
    out = tmp_path / "out"
    Builder(content, out, pdf=False, jobs=2).build()
    for i in range(COPIES):
        article = content / f"articles/copy-{i}/article.md"
        text = article.read_text("utf-8")
        article.write_text(text.replace("vote in March", f"vote on day {i}"), "utf-8")
    seen: list[int] = []
    _watch_site_yaml(monkeypatch, seen)
    runs: list[int] = []
    real_run = workers.Workers.run

    def run(self: workers.Workers, job: object, tasks: list[object]) -> object:
        runs.append(len(tasks))
        return real_run(self, job, tasks)  # type: ignore[arg-type]

    monkeypatch.setattr(workers.Workers, "run", run)
    result = Builder(content, out, pdf=False, jobs=2).build()
    assert sorted(result.rendered) == sorted(f"copy-{i}" for i in range(COPIES))
    assert seen == [0] and runs == [COPIES]
    assert multiprocessing.active_children() == []
    clean = tmp_path / "clean"
    Builder(content, clean, pdf=False, jobs=1, use_cache=False).build()
    assert _tree(out) == _tree(clean)


@pytest.mark.parametrize("start_method", ["fork", "forkserver"])
def test_the_shared_job_is_pickled_once_per_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, start_method: str) -> None:
    """The site and the last build's records go to the workers as one pickle, whatever
    the number of workers and articles; each task is only a folder and its key."""
    from sitegen.build.job import Job

    content = _big_site(tmp_path)
    pickled: list[int] = []

    def getstate(self: Job) -> dict[str, object]:
        pickled.append(os.getpid())
        return dict(self.__dict__)

    monkeypatch.setattr(Job, "__getstate__", getstate, raising=False)
    result = Builder(content, tmp_path / "out", pdf=False, jobs=2, use_cache=False,
                     start_method=start_method).build()
    assert len(result.rendered) == COPIES + 1
    assert pickled == [os.getpid()]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX: a worker killed by a signal")
def test_a_worker_killed_by_the_system_ends_the_build_with_a_message_naming_its_article(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
        ) -> None:
    """A worker killed mid-article (as the system kills a process out of memory) stops
    the build with sitegen's message at that article's folder, not Python's
    BrokenProcessPool traceback; nothing is written and no worker is left."""
    from sitegen.build import article

    content = _big_site(tmp_path)
    real = article.build_article

    def build_article(task: article.Task) -> article.Done:
        if task[0].name == "copy-3":  # inherited by the forked workers
            os.kill(os.getpid(), signal.SIGKILL)
        return real(task)

    monkeypatch.setattr(article, "build_article", build_article)
    out = tmp_path / "out"
    code = cli.main(["build", "--content", str(content), "--out", str(out), "--no-pdf",
                     "--no-cache", "--jobs", "2"])
    err = capsys.readouterr().err
    assert code == ContentErrors.exit_code
    lines = err.splitlines()
    assert lines[0].startswith(f"{content / 'articles/copy-3'}: the worker process building "
                               "this article was stopped by the system"), err
    assert lines[-1] == "sitegen: 1 error(s); nothing was written."
    assert "Traceback" not in err and "BrokenProcessPool" not in err
    assert not out.exists() or not [p for p in out.iterdir() if not p.name.startswith(".")]
    assert multiprocessing.active_children() == []


class _Node:
    """An object that can hold itself: a reference cycle."""


def test_a_command_collects_cycles_less_often_and_still_collects(tmp_path: Path) -> None:
    """sitegen's commands wait for 100,000 new objects, not 700, before looking for
    cycles (a build keeps most of what it makes); cycles are still collected then."""
    default = gc.get_threshold()
    try:
        assert cli.main(["build", "--content", str(FIXTURES / "mini"),
                         "--out", str(tmp_path / "out"), "--no-pdf"]) == 0
        assert gc.get_threshold() == (100_000, *gcpolicy.PYTHON_DEFAULT[1:])
        gc.collect()
        node = _Node()
        node.itself = node  # type: ignore[attr-defined]
        gone = weakref.ref(node)
        del node
        few = [[n] for n in range(1_000)]
        assert gone() is not None  # 700 new objects used to be enough
        many = [[n] for n in range(100_000)]
        assert gone() is None
        assert len(few) + len(many) == 101_000
    finally:
        gc.set_threshold(*default)


def test_workers_collect_cycles_as_python_does(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The command's policy pays where records are decoded, not where pages are rendered:
    a forked worker goes back to Python's default."""
    content = _big_site(tmp_path)
    marks = _mark_warm_ups(tmp_path, monkeypatch)
    before = gc.get_threshold()  # another test may have run a command in this process
    try:
        gcpolicy.collect_less()
        Builder(content, tmp_path / "out", pdf=False, jobs=2, use_cache=False).build()
        assert gc.get_threshold() == (100_000, *gcpolicy.PYTHON_DEFAULT[1:])  # unchanged
    finally:
        gc.set_threshold(*before)
    assert {m.read_text() for m in marks.iterdir()} == {repr(gcpolicy.PYTHON_DEFAULT)}


def test_tasks_reach_the_workers_in_chunks(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """With many articles, each worker takes eight at a time (one message each way per
    eight), not one by one: every run of eight articles in slug order is built by one
    process, and both workers build some."""
    from sitegen.build import article

    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", content)
    shutil.rmtree(content / "articles/sample")
    count = workers.CHUNK * 2 * 8  # enough for the largest chunk with two workers
    for i in range(count):
        shutil.copytree(FIXTURES / "mini/articles/sample", content / f"articles/a-{i:03d}")
    where = tmp_path / "where"
    where.mkdir()
    real_key = article.content_key

    def content_key(site_key: str, folder: Path, sig: list[list[object]]) -> str:
        """Where each article is built: its worker hashes it first."""
        (where / folder.name).write_text(str(os.getpid()))  # inherited by forked workers
        return real_key(site_key, folder, sig)

    monkeypatch.setattr(article, "content_key", content_key)
    result = Builder(content, tmp_path / "out", pdf=False, jobs=2, use_cache=False).build()
    assert len(result.rendered) == count
    pids = [(where / f"a-{i:03d}").read_text() for i in range(count)]
    chunks = [set(pids[i:i + workers.CHUNK]) for i in range(0, count, workers.CHUNK)]
    assert all(len(chunk) == 1 for chunk in chunks), chunks
    assert len(set(pids)) == 2 and str(os.getpid()) not in pids


@pytest.mark.skipif("forkserver" not in multiprocessing.get_all_start_methods(),
                    reason="POSIX: a fork server")
def test_few_articles_render_here_while_a_fork_server_loads_the_pdf_engine(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With PDFs to make for fewer articles than a pool is worth, the build renders them
    in its own process while its PDF workers start from a fork server (which loads
    WeasyPrint meanwhile, instead of this process loading it before forking them); only
    the PDFs go to the workers. (What those PDFs hold: test_pdf.py, whose builds take this
    path.)"""
    from sitegen.build import article, job

    rendered: list[int] = []
    real_build = article.build_article

    def build_article(task: article.Task) -> article.Done:
        rendered.append(os.getpid())
        return real_build(task)

    made_here: list[str] = []
    real_make = job.make_pdf

    def make_pdf(task: job.PdfTask) -> object:
        made_here.append(task[1])
        return real_make(task)

    pools: list[tuple[bool, str]] = []
    sent: list[str] = []
    real_init, real_pdfs = workers.Workers.__init__, workers.Workers.pdfs

    def init(self: workers.Workers, *args: object, **kwargs: object) -> None:
        real_init(self, *args, **kwargs)  # type: ignore[arg-type]
        pools.append((self.pdf_only, self._pool._mp_context.get_start_method()))  # type: ignore[attr-defined]

    def pdfs(self: workers.Workers, shared: job.Job, tasks: list[job.PdfTask]) -> object:
        sent.extend(task[1] for task in tasks)
        return real_pdfs(self, shared, tasks)

    monkeypatch.setattr(article, "build_article", build_article)
    monkeypatch.setattr(job, "make_pdf", make_pdf)
    monkeypatch.setattr(workers.Workers, "__init__", init)
    monkeypatch.setattr(workers.Workers, "pdfs", pdfs)
    out = tmp_path / "out"
    Builder(FIXTURES / "handout-letter", out, jobs=2).build()
    assert rendered == [os.getpid()]
    assert pools == [(True, "forkserver")]
    assert made_here == [] and len(sent) == 6  # three handouts in each of two editions
    assert sorted(p.name for p in [*out.rglob("*.pdf"), *teacher_folder(out).rglob("*.pdf")]
                  ) == sorted(["exercise.pdf", "handout.pdf", "teacher.pdf"] * 2)
