"""The command line's table of commands. (``python -m sitegen`` is what ``run_cli`` runs: the
exit codes in a new process are tested in test_errors.py.)"""

from __future__ import annotations

import re

import pytest
from conftest import run_main

from sitegen import __version__, cli


def test_every_command_of_the_parser_has_a_function_and_the_other_way_round() -> None:
    result = run_main("frobnicate")
    assert result.returncode == 2
    choices = re.search(r"choose from (.*)\)", result.stderr)
    assert choices, result.stderr
    assert re.findall(r"'([a-z-]+)'", choices.group(1)) == list(cli.COMMANDS)


@pytest.mark.parametrize("command", sorted(cli.COMMANDS))
def test_every_command_but_init_reads_the_shared_content_option(command: str) -> None:
    result = run_main(command, "--help")
    assert result.returncode == 0
    assert ("--content CONTENT" in result.stdout) == (command != "init")


def test_the_version() -> None:
    result = run_main("--version")
    assert (result.returncode, result.stdout, result.stderr) == (0, f"sitegen {__version__}\n", "")
