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

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Property tests are judged on what they find, not on how fast examples come on a shared
# machine: no deadline, and no "too slow" health check failing a run under load.
settings.register_profile("sitegen", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("sitegen")

# The build cache goes to the user's cache folder; tests keep theirs apart.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="sitegen-test-cache-")


def run_cli(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``sitegen`` in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "sitegen.cli", *map(str, args)],
        cwd=cwd or ROOT, capture_output=True, text=True, timeout=300, check=False,
    )


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the mini fixture site, as ``<tmp>/content``."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", target)
    return target
