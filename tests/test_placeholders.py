"""The example texts sitegen writes for the author to replace are listed once
(sitegen/content/placeholders.py), and check warns for each one left in an annotation:
the preview panel's note (here), the skeleton's examples of ``sitegen new``
(test_authoring.py) and the fixture placeholder-left-in (test_errors.py)."""

from __future__ import annotations

from pathlib import Path

from conftest import run_main

from sitegen.model import Selector
from sitegen.serve.annotate import yaml_block


def test_the_panels_entry_pasted_as_it_is_gets_a_warning(mini: Path) -> None:
    ann = mini / "articles" / "sample" / "annotations.yaml"
    entry = yaml_block(Selector("The council will vote in March"), "context", "vote")
    text = ann.read_text("utf-8").replace("voices:\n", entry + "voices:\n", 1)
    ann.write_text(text, "utf-8")
    result = run_main("check", "--content", mini)
    assert result.returncode == 0, result.stderr
    line = text[: text.index(entry)].count("\n") + len(entry.splitlines()) - 1  # note: |
    assert (f"annotations.yaml:{line}:11: warning: 'note' is still the example text "
            "'What should a reader notice here? Cite a source for any outside fact.' "
            "(write your own note)") in result.stderr
