"""Every kind of bad input gets a clear `file:line:column: message`, exit 1, no traceback.

Each folder in fixtures/broken holds the files that differ from the valid mini site and
`expected.txt`, the exact error lines `sitegen check` must print (a YAML syntax error adds
an indented second line: the parser's own words). The cases run in this process
(`run_main`); one per exit code runs as a user runs it, in a new process.
"""

from __future__ import annotations

import gc
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from conftest import FIXTURES, ROOT, run_cli, run_main

CASES = sorted(p.name for p in (FIXTURES / "broken").iterdir())


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TROUBLESHOOTING = _script("troubleshooting")
"""scripts/troubleshooting.py: it lays a fixture over the mini site as these tests do, and
makes docs/troubleshooting.md of what check says."""
_broken_site = TROUBLESHOOTING.broken_site


def _assert_reported(case: str, result: subprocess.CompletedProcess[str]) -> None:
    """``check`` printed the case's expected lines, their count, and no traceback; a case
    whose lines are all warnings passes the check."""
    expected = (FIXTURES / "broken" / case / "expected.txt").read_text("utf-8").splitlines()
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if not line.startswith("sitegen:")]
    assert lines == expected
    errors = [line for line in expected if not line.startswith(" ") and ": warning: " not in line]
    assert result.returncode == (1 if errors else 0), result.stderr
    if errors:
        assert f"sitegen: {len(errors)} error(s)" in result.stderr


@pytest.mark.parametrize("case", CASES)
def test_bad_input_gets_its_message(case: str, tmp_path: Path) -> None:
    _broken_site(case, tmp_path)
    _assert_reported(case, run_main("check", "--content", "content", cwd=tmp_path))


def test_bad_input_gets_its_message_in_a_new_process(tmp_path: Path) -> None:
    _broken_site("yaml-tab", tmp_path)  # two lines: sitegen's and the YAML parser's
    _assert_reported("yaml-tab", run_cli("check", "--content", "content", cwd=tmp_path))


def test_the_console_script_checks_a_good_site() -> None:
    """``sitegen`` as pip installed it (beside this Python: bin/ or Scripts/) exits 0."""
    script = shutil.which("sitegen", path=str(Path(sys.executable).parent))
    assert script is not None, "sitegen is not installed beside this Python"
    result = subprocess.run([script, "check", "--content", str(FIXTURES / "mini")],
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (f"{FIXTURES / 'mini'}: no errors.\n"
                             "sample: 5 highlights, 1 whole-text note, 3 core questions, "
                             "2 voices; fr: 6 of 6 notes translated\n")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("case", ["quote-not-found", "invalid-yaml", "several-files",
                                  "slug-taken-fr"])
def test_a_failed_build_leaves_the_last_good_site_untouched(case: str, tmp_path: Path) -> None:
    out = tmp_path / "site"
    good = tmp_path / "good"
    shutil.copytree(FIXTURES / "mini", good)
    assert run_main("build", "--content", good, "--out", out, "--no-pdf").returncode == 0
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}
    content = _broken_site(case, tmp_path)
    result = run_main("build", "--content", content, "--out", out, "--no-pdf")
    assert result.returncode == 1
    assert "nothing was written" in result.stderr
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}
    assert after == before


def test_every_error_of_every_file_is_listed_sorted(tmp_path: Path) -> None:
    content = _broken_site("several-files", tmp_path)
    site = content / "site.yaml"
    site.write_text(site.read_text("utf-8").replace("label: {en: Framing", "lable: {en: Framing"),
                    "utf-8")
    result = run_main("check", "--content", "content", cwd=tmp_path)
    lines = [line for line in result.stderr.splitlines() if not line.startswith("sitegen:")]
    assert len(lines) == 3
    assert lines == sorted(lines, key=lambda x: (x.split(":")[0], int(x.split(":")[1])))
    assert any("unknown key 'lable' in category 'framing' (did you mean 'label'?)" in line
               for line in lines)


def test_warnings_do_not_fail_the_check(mini: Path) -> None:
    ann = mini / "articles" / "sample" / "annotations.yaml"
    ann.write_text(ann.read_text("utf-8").replace(
        'note: {en: "Who are the critics?", fr: "Qui sont les critiques ?"}',
        'note: {en: "Who are the critics?"}'), "utf-8")
    result = run_main("check", "--content", mini)
    assert result.returncode == 0
    assert "annotations.yaml:26:11: warning: 'note' has no 'fr' translation" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["build", "--bogus"], "unrecognized arguments"),
        (["frobnicate"], "invalid choice"),
        (["check", "--content", "does-not-exist"], "content folder does-not-exist does not exist"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str, tmp_path: Path) -> None:
    result = run_main(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_usage_error_exits_2_in_a_new_process(tmp_path: Path) -> None:
    result = run_cli("frobnicate", cwd=tmp_path)
    assert result.returncode == 2
    assert "invalid choice" in result.stderr and result.stderr.startswith("usage: sitegen")
    assert "Traceback" not in result.stderr


def test_an_edition_without_interface_strings_is_a_warning(mini: Path) -> None:
    site = mini / "site.yaml"
    site.write_text(site.read_text("utf-8").replace("languages: [en, fr]",
                                                    "languages: [en, fr, de]"), "utf-8")
    result = run_main("check", "--content", mini)
    assert result.returncode == 0, result.stderr
    assert ("site.yaml:2:12: warning: sitegen has no interface strings in 'de'"
            in result.stderr)


def test_running_main_in_this_process_leaves_the_process_as_it_was(tmp_path: Path) -> None:
    """What `run_main` promises the tests after it: a command's collector thresholds
    (gcpolicy), working folder and environment do not outlive it."""
    before = (gc.get_threshold(), Path.cwd(), dict(os.environ))
    _broken_site("yaml-tab", tmp_path)
    assert run_main("check", "--content", "content", cwd=tmp_path).returncode == 1
    assert run_main("build", "--content", FIXTURES / "mini", "--out", tmp_path / "site",
                    "--no-pdf").returncode == 0
    assert (gc.get_threshold(), Path.cwd(), dict(os.environ)) == before


def test_curly_marks_inside_straight_quotes_are_meant(mini: Path) -> None:
    """Only unquoted text wrapped in curly marks is warned about (as the fixture
    curly-quotes-around-note shows): in YAML's own quotes, the marks are the author's."""
    ann = mini / "articles" / "sample" / "annotations.yaml"
    ann.write_text(ann.read_text("utf-8").replace(
        'note: {en: "Who are the critics?"', 'note: {en: "“Who are the critics?”"'), "utf-8")
    result = run_main("check", "--content", mini)
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr
