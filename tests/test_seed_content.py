"""The shipped seed explainer (content/): it checks cleanly, meets the issue's counts,
cites only fact-sheet sources, is bilingual, and every annotation renders in both editions.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
ARTICLE = CONTENT / "articles" / "musk-riyadh"
FACTS = Path(__file__).resolve().parents[2] / "shared/seed/facts.md"
LANGS = ("fr", "en")


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sitegen.cli", *map(str, args)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    loaded = yaml.safe_load((ARTICLE / "annotations.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


@pytest.fixture(scope="module")
def front() -> dict[str, Any]:
    text = (ARTICLE / "article.md").read_text(encoding="utf-8")
    _, fm, _ = text.split("---\n", 2)
    loaded = yaml.safe_load(fm)
    assert isinstance(loaded, dict)
    return loaded


def all_sources(data: dict[str, Any]) -> list[dict[str, Any]]:
    found = [s for a in data["annotations"] for s in a.get("sources") or []]
    found += [s for v in data["voices"] for s in v.get("sources") or []]
    return found


def test_check_passes_without_warnings() -> None:
    result = run_cli("check", "--content", CONTENT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "warning" not in result.stderr.lower(), result.stderr


def test_counts(data: dict[str, Any]) -> None:
    annotations = data["annotations"]
    assert len(annotations) >= 25
    cats = Counter(a["category"] for a in annotations)
    assert cats["sourcing"] >= 8
    assert cats["framing"] >= 8
    assert cats["context"] >= 6
    assert any("quote" not in a for a in annotations), "no article-level note"
    questions = data["questions"]
    assert len(questions) >= 8
    assert all(isinstance(q, dict) and q.get("answer") for q in questions)


def test_context_notes_cite_sources(data: dict[str, Any]) -> None:
    missing = [a["id"] for a in data["annotations"]
               if a["category"] == "context" and not a.get("sources")]
    assert not missing


def test_sources_come_from_the_fact_sheet(data: dict[str, Any]) -> None:
    if not FACTS.is_file():
        pytest.skip(f"fact sheet not found at {FACTS}")
    facts = FACTS.read_text(encoding="utf-8")
    for source in all_sources(data):
        url = source["url"]
        assert url.startswith(("https://", "http://")), url
        assert url in facts, f"not in the fact sheet: {url}"


def test_every_text_is_in_both_editions(data: dict[str, Any], front: dict[str, Any]) -> None:
    def bilingual(value: Any, where: str) -> None:
        assert isinstance(value, dict), f"{where} is not per edition"
        for lang in LANGS:
            text = value.get(lang)
            assert isinstance(text, str) and text.strip(), f"{where} has no '{lang}' text"

    for a in data["annotations"]:
        for key in ("note", "question", "answer"):
            if key in a:
                bilingual(a[key], f"{a['id']}.{key}")
    for v in data["voices"]:
        for key in ("role", "affiliation", "side"):
            if key in v:
                bilingual(v[key], f"voice {v['name']}.{key}")
    for i, q in enumerate(data["questions"]):
        bilingual(q["question"], f"questions[{i}].question")
        bilingual(q["answer"], f"questions[{i}].answer")
    for key in ("provenance", "summary"):
        bilingual(front[key], key)


def _ids_and_marks(html: str) -> tuple[set[str], set[str]]:
    """Element ids, and the annotation ids of <mark> elements, in a page."""
    try:
        from htmltree import parse
    except ImportError:  # pragma: no cover - the helper ships with the tests
        from html.parser import HTMLParser

        ids: set[str] = set()
        marks: set[str] = set()

        class Collect(HTMLParser):
            def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
                a = dict(attrs)
                if a.get("id"):
                    ids.add(a["id"] or "")
                if tag == "mark" and a.get("data-annotation"):
                    marks.add(a["data-annotation"] or "")

        Collect().feed(html)
        return ids, marks
    root = parse(html)
    ids = {el.attrs["id"] for el in root.iter() if "id" in el.attrs}
    marks = {el.attrs["data-annotation"] for el in root.find_all("mark")
             if "data-annotation" in el.attrs}
    return ids, marks


def test_every_annotation_renders_in_both_editions(
        data: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = run_cli("build", "--content", CONTENT, "--out", out, "--no-pdf")
    assert result.returncode == 0, result.stdout + result.stderr
    for page in (out / "musk-riyadh" / "index.html", out / "en" / "musk-riyadh" / "index.html"):
        ids, marks = _ids_and_marks(page.read_text(encoding="utf-8"))
        for a in data["annotations"]:
            assert f"note-{a['id']}" in ids, f"{page}: no note-{a['id']}"
            if "quote" in a:
                assert a["id"] in marks, f"{page}: no <mark> for {a['id']}"
