"""docs/authoring.md works as written: every file it shows and every command it gives, run
in order in an empty folder (scripts/walkthrough.py), ends in a built site and a printable
handout, and what it says the commands answer is what they answer."""

from __future__ import annotations

import importlib.util
import re
import sys
import urllib.request
from pathlib import Path
from types import ModuleType

import pytest
from conftest import ROOT, run_main
from htmltree import parse
from pypdf import PdfReader

DOC = ROOT / "docs" / "authoring.md"
ARTICLE = "my-class/articles/town-bridge"


def _walkthrough() -> ModuleType:
    spec = importlib.util.spec_from_file_location("walkthrough", ROOT / "scripts/walkthrough.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


WALKTHROUGH = _walkthrough()


@pytest.fixture(scope="module")
def walked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object, list[str]]:
    folder = tmp_path_factory.mktemp("walkthrough")
    served: list[str] = []

    def look(url: str) -> None:
        with urllib.request.urlopen(url + "town-bridge/", timeout=30) as response:
            served.append(response.read().decode("utf-8"))

    return folder, WALKTHROUGH.run(folder, look), served


def test_every_command_of_the_walkthrough_succeeds(walked: tuple[Path, object, list[str]]
                                                  ) -> None:
    _, outcome, served = walked
    lines = [line for line, _ in outcome.ran]  # type: ignore[attr-defined]
    assert lines[0].startswith("sitegen init") and lines[1].startswith("sitegen new")
    assert any(line.startswith("sitegen build") for line in lines)
    for line, done in outcome.ran:  # type: ignore[attr-defined]
        assert done.returncode == 0, (line, done.stderr)
        assert "Traceback" not in done.stderr
        if line.startswith("sitegen check"):
            verdict, counts = done.stdout.splitlines()
            assert verdict == "my-class: no errors.", done.stdout
            # The doc shows each check's line of counts, as it is.
            assert f"`{counts}`" in " ".join(DOC.read_text("utf-8").split()), counts
    # The preview served the article, with the select-to-annotate panel.
    assert served and "/__sitegen__/annotate/panel.js" in served[0]


def test_the_article_is_kept_word_for_word_by_new(walked: tuple[Path, object, list[str]]
                                                  ) -> None:
    """The article.md the walkthrough shows has the very body `sitegen new` made."""
    _, outcome, _ = walked
    made = outcome.replaced[f"{ARTICLE}/article.md"]  # type: ignore[attr-defined]
    shown = next(s.text for s in WALKTHROUGH.steps(DOC.read_text("utf-8"))
                 if s.path == f"{ARTICLE}/article.md")
    assert made.split("---\n", 2)[2] == shown.split("---\n", 2)[2]


def test_the_site_has_the_practice_text_and_its_handouts(walked: tuple[Path, object, list[str]]
                                                         ) -> None:
    folder, _, _ = walked
    site = folder / "my-site"
    page = parse((site / "town-bridge/index.html").read_text("utf-8"))
    assert page.find(cls="practice-badge") is not None
    marks = {m.attrs["data-annotation"] for m in page.find_all("mark")}
    assert marks == {"new-era", "unnamed-blog", "unnamed-critics", "only-named-voice",
                     "traffic-promise"}
    (voice,) = [m for m in page.find_all("mark") if m.attrs["data-annotation"] ==
                "only-named-voice"]
    assert voice.text() == "the mayor"
    assert voice.parent is not None and " said" in "".join(
        c for c in voice.parent.children if isinstance(c, str))
    for sheet in (site / "town-bridge/handout.pdf",
                  folder / "my-site-teacher/town-bridge/teacher.pdf"):
        text = " ".join(p.extract_text() for p in PdfReader(sheet).pages)
        assert "Town council approves" in " ".join(text.split())


def test_the_error_the_walkthrough_shows_is_the_one_check_gives(
        walked: tuple[Path, object, list[str]]) -> None:
    folder, _, _ = walked
    doc = DOC.read_text("utf-8")
    shown = re.search(r"^(my-class/\S+: quote not found.*)$", doc, re.M)
    assert shown
    annotations = folder / ARTICLE / "annotations.yaml"
    good = annotations.read_text("utf-8")
    try:
        annotations.write_text(good.replace("according to a local blog",
                                            "acording to a local blog"), "utf-8")
        done = run_main("check", "--content", "my-class", cwd=folder)
    finally:
        annotations.write_text(good, "utf-8")
    assert done.returncode == 1
    assert shown.group(1) in done.stderr.splitlines(), done.stderr


def test_the_screenshots_it_shows_are_there() -> None:
    doc = DOC.read_text("utf-8")
    images = re.findall(r"\]\((images/[^)]+)\)", doc)
    assert len(images) == 3
    for image in images:
        data = (ROOT / "docs" / image).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 10_000, image
