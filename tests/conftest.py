"""Shared helpers: paths, running the command line, copying fixture sites."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

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
