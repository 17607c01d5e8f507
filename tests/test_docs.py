"""What the README and docs/ promise a teacher: the make targets they name, and more below."""

from __future__ import annotations

import subprocess

import pytest

from tests.conftest import ROOT


@pytest.mark.parametrize("target,command", [("site", "build"), ("serve", "serve")])
def test_make_takes_another_content_folder(target: str, command: str) -> None:
    def dry_run(*extra: str) -> str:
        done = subprocess.run(["make", "-n", target, *extra], cwd=ROOT, capture_output=True,
                              text=True, timeout=60, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert f".venv/bin/sitegen {command} --content my-class" in dry_run("CONTENT=my-class")
    assert f".venv/bin/sitegen {command} --content content" in dry_run()
    readme = (ROOT / "README.md").read_text("utf-8")
    assert f"make {target} CONTENT=my-class" in readme
