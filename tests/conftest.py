"""Shared helpers: paths, running the command line, copying fixture sites."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from sitegen.output.writer import MARKER
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
    """Run ``sitegen`` in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "sitegen.cli", *map(str, args)],
        cwd=cwd or ROOT, capture_output=True, text=True, timeout=300, check=False,
    )


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
