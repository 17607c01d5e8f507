"""``sitegen check`` ends with a line per article: what it found, so an unexpected count
shows (a highlight turned into a whole-text note, a question not marked core, notes left
untranslated)."""

from __future__ import annotations

from pathlib import Path

from conftest import run_main


def _check(content: Path) -> list[str]:
    result = run_main("check", "--content", content)
    assert result.returncode == 0, result.stderr
    verdict, *lines = result.stdout.splitlines()
    assert verdict.endswith("no errors.") or "warning(s)" in verdict
    return lines


def _edit(content: Path, old: str, new: str) -> None:
    path = content / "articles" / "sample" / "annotations.yaml"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


def test_each_article_gets_its_counts(mini: Path) -> None:
    # No question is marked core: all three are, as on the student copies.
    assert _check(mini) == ["sample: 5 highlights, 1 whole-text note, 3 core questions, "
                            "2 voices; fr: 6 of 6 notes translated"]


def test_core_questions_are_the_marked_ones_when_any_is(mini: Path) -> None:
    _edit(mini, '    question: {en: "Can you find the newspaper?"',
          '    core: true\n    question: {en: "Can you find the newspaper?"')
    assert _check(mini)[0].startswith("sample: 5 highlights, 1 whole-text note, "
                                      "1 core question, 2 voices;")


def test_a_note_left_untranslated_is_counted(mini: Path) -> None:
    _edit(mini, 'note: {en: "Who are the critics?", fr: "Qui sont les critiques ?"}',
          'note: {en: "Who are the critics?"}')
    _edit(mini, 'note: {en: "No opponent is quoted.", fr: "Aucun opposant n\'est cité."}',
          'note: "No opponent is quoted."')
    assert _check(mini)[0].endswith("; fr: 4 of 6 notes translated")



# A one-language site's line has no translation part: the walkthrough's checks show it
# (tests/test_walkthrough.py compares them with docs/authoring.md).

