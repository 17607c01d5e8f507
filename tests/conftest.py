"""Shared helpers: paths, running the command line, copying fixture sites, and the fixture
sites built once per session."""

from __future__ import annotations

import gc
import io
import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import HealthCheck, settings

from sitegen import fs
from sitegen.cli import main
from sitegen.content.loader import YNode
from sitegen.output.folder import teacher_folder
from sitegen.output.stage import MARKER
from sitegen.theme import template_cache

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Property tests are judged on what they find, not on how fast examples come on a shared
# machine: no deadline, and no "too slow" health check failing a run under load.
settings.register_profile("sitegen", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("sitegen")

# The build cache and the ledger of output folders go to the user's cache and state
# folders; tests keep theirs apart.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="sitegen-test-cache-")
os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="sitegen-test-state-")
# Tests compile copies of the templates in temporary folders: their compiled copies are
# kept apart from sitegen's own (subprocesses, which build with the real templates, use it).
template_cache.FOLDER = Path(tempfile.mkdtemp(prefix="sitegen-test-compiled-"))


def run_cli(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``sitegen`` in a subprocess, as a user would. Most tests want `run_main`: this is
    for what only a new process shows (its exit status, a traceback, the start-up)."""
    return subprocess.run(
        [sys.executable, "-m", "sitegen", *map(str, args)],
        cwd=cwd or ROOT, capture_output=True, text=True, timeout=300, check=False,
    )


def run_main(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``sitegen.cli.main`` in this process, with what `run_cli` gives: the exit code,
    standard output and standard error, without a new interpreter's 0.3 s of start-up.

    What a command changes in the process is put back afterwards, so that no test depends on
    the ones before it: the cycle collector's thresholds (commands set their own), the
    environment, the working folder, and which platform warnings were said (once per process).
    """
    argv = [str(arg) for arg in args]
    out, err = io.StringIO(), io.StringIO()
    thresholds = gc.get_threshold()
    environment = dict(os.environ)
    folder = Path.cwd()
    warned = set(fs._WARNED)
    fs._WARNED.clear()
    try:
        os.chdir(cwd or ROOT)
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exit_:  # argparse's usage errors, --help and --version
                code = exit_.code if isinstance(exit_.code, int) else int(exit_.code is not None)
    finally:
        os.chdir(folder)
        gc.set_threshold(*thresholds)
        os.environ.clear()
        os.environ.update(environment)
        fs._WARNED.clear()
        fs._WARNED.update(warned)
    return subprocess.CompletedProcess(["sitegen", *argv], code, out.getvalue(), err.getvalue())


def teacher_file(out: Path, rel: str) -> Path:
    """Where a build into ``out`` writes ``rel``: the teacher key and the class page go to
    the teacher's folder beside it, everything else to the students' site."""
    name = rel.rsplit("/", 1)[-1]
    if name.startswith("teacher.") or name == "class.html":
        return teacher_folder(out) / rel
    return out / rel


def site_bytes(out: Path) -> dict[str, bytes]:
    """Every file of a built site (path → bytes), but for the marker, which holds the
    folder's own random id."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name != MARKER}


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the mini fixture site, as ``<tmp>/content``."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", target)
    return target


class Built(NamedTuple):
    """A site built once per session, for the tests that only read it: its output folder and
    what the build said on standard error (its warnings)."""

    out: Path
    stderr: str

    @property
    def teacher(self) -> Path:
        """The teacher's folder the build wrote beside ``out``."""
        return teacher_folder(self.out)


def build_once(content: Path, out: Path) -> Built:
    """Build ``content`` into ``out`` without PDFs, as a session fixture does."""
    done = run_main("build", "--content", content, "--out", out, "--no-pdf")
    assert done.returncode == 0, done.stdout + done.stderr
    return Built(out, done.stderr)


@pytest.fixture(scope="session")
def built_mini(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The mini fixture site, built without PDFs (read only: the whole session shares it)."""
    return build_once(FIXTURES / "mini", tmp_path_factory.mktemp("built-mini") / "site")


@pytest.fixture(scope="session")
def built_seed(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The shipped content (content/), built without PDFs (read only: the whole session
    shares it)."""
    return build_once(ROOT / "content", tmp_path_factory.mktemp("built-seed") / "site")


def ynode_values(node: YNode | None) -> object:
    """What sitegen's YAML reader read, as plain Python: mappings, lists and values."""
    if node is None:
        return None
    if node.kind == "mapping":
        return {key: ynode_values(child) for key, child in node.value.items()}
    if node.kind == "list":
        return [ynode_values(child) for child in node.value]
    return node.value
