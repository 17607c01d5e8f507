"""The command line's frame: ``python -m sitegen``, and the table of commands."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from sitegen import __version__, cli


def _parse_only(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Exit code, standard output and standard error of a command line that argparse ends
    (--help, --version, a usage error) before any command runs."""
    with pytest.raises(SystemExit) as ended:
        cli.main(list(argv))
    shown = capsys.readouterr()
    assert isinstance(ended.value.code, int)
    return ended.value.code, shown.out, shown.err


def test_python_dash_m_sitegen_runs_the_command_line(mini: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "sitegen", "check", "--content", str(mini)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{mini}: no errors.\n"


def test_python_dash_m_sitegen_exits_with_the_usage_code(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "sitegen", "check", "--content", "nowhere"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=300,
                            check=False)
    assert (result.returncode, result.stderr) == (
        2, "sitegen: error: content folder nowhere does not exist\n")


def test_every_command_of_the_parser_has_a_function_and_the_other_way_round(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _parse_only(capsys, "frobnicate")
    assert code == 2
    choices = re.search(r"choose from (.*)\)", err)
    assert choices, err
    assert re.findall(r"'([a-z-]+)'", choices.group(1)) == list(cli.COMMANDS)


@pytest.mark.parametrize("command", sorted(cli.COMMANDS))
def test_every_command_but_init_reads_the_shared_content_option(
        command: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _parse_only(capsys, command, "--help")
    assert code == 0
    assert ("--content CONTENT" in out) == (command != "init")


def test_the_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert _parse_only(capsys, "--version") == (0, f"sitegen {__version__}\n", "")
