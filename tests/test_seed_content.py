"""The shipped seed explainer (content/): a lesson's worth of notes in each edition, every
outside fact traced to the fact sheet, no point made twice, and both editions building
without a warning.

Words are counted as a reader sees them: a Markdown link counts its text, not its address,
and a lone punctuation mark (« » : ;) is not a word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import Built, run_main
from htmltree import parse

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
SLUG = "musk-riyadh"
ARTICLE = CONTENT / "articles" / SLUG
FACTS = Path(__file__).resolve().parent / "fixtures" / "seed" / "facts.md"
LANGS = ("fr", "en")
PAGES = {"fr": Path(SLUG, "index.html"), "en": Path("en", SLUG, "index.html")}

MAX_HIGHLIGHTS = 30
MAX_NOTE_WORDS = 2000  # all notes of one edition, answers and sources not counted
MAX_WORDS_PER_NOTE = 90
CORE_QUESTIONS = range(8, 13)  # "about ten" questions a lesson cannot skip

NBSP, NNBSP = "\u00a0", "\u202f"
LINK = re.compile(r"\[([^\]]*)\]\(([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)\)")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


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


@pytest.fixture(scope="module")
def built(built_seed: Built) -> tuple[Path, str]:
    """Both editions, built once for the session: the output folder and the build's stderr."""
    return built_seed.out, built_seed.stderr


def words(markdown: str) -> int:
    visible = LINK.sub(lambda m: m.group(1), markdown)
    return sum(1 for token in visible.split() if re.search(r"\w", token))


def notes(data: dict[str, Any], lang: str) -> dict[str, str]:
    return {a["id"]: a["note"][lang] for a in data["annotations"]}


def questions(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Every question, on an annotation or at article level, as {question, answer, core}."""
    found = [a for a in data["annotations"] if "question" in a]
    return found + list(data["questions"])


def texts(data: dict[str, Any], front: dict[str, Any], lang: str) -> Iterator[tuple[str, str]]:
    """(where, text) for every text of ours in one edition; the article itself is not ours."""
    for a in data["annotations"]:
        for key in ("note", "question", "answer"):
            if key in a:
                yield f"{a['id']}.{key}", a[key][lang]
    for v in data["voices"]:
        for key in ("role", "affiliation", "side"):
            if key in v:
                yield f"voice {v['name']}.{key}", v[key][lang]
    for i, q in enumerate(data["questions"]):
        yield f"questions[{i}].question", q["question"][lang]
        yield f"questions[{i}].answer", q["answer"][lang]
    for key in ("provenance", "summary"):
        yield key, front[key][lang]


def test_check_passes_without_warnings() -> None:
    result = run_main("check", "--content", CONTENT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "warning" not in result.stderr.lower(), result.stderr


def test_both_editions_build_without_warnings(built: tuple[Path, str]) -> None:
    out, stderr = built
    assert "warning" not in stderr.lower(), stderr
    for page in PAGES.values():
        assert (out / page).is_file()


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


def test_every_category_and_an_article_level_note(data: dict[str, Any]) -> None:
    site = yaml.safe_load((CONTENT / "site.yaml").read_text(encoding="utf-8"))
    used = {a["category"] for a in data["annotations"]}
    assert used == set(site["categories"])
    assert any("quote" not in a for a in data["annotations"]), "no article-level note"


@pytest.mark.parametrize("lang", LANGS)
def test_highlights_per_edition(built: tuple[Path, str], data: dict[str, Any],
                                lang: str) -> None:
    out, _ = built
    doc = parse((out / PAGES[lang]).read_text(encoding="utf-8"))
    marked = {m.attrs["data-annotation"] for m in doc.find_all("mark")
              if "data-annotation" in m.attrs}
    assert marked == {a["id"] for a in data["annotations"] if "quote" in a}
    assert len(marked) <= MAX_HIGHLIGHTS


@pytest.mark.parametrize("lang", LANGS)
def test_note_word_limits(data: dict[str, Any], lang: str) -> None:
    counts = {ident: words(text) for ident, text in notes(data, lang).items()}
    too_long = {ident: n for ident, n in counts.items() if n > MAX_WORDS_PER_NOTE}
    assert not too_long, f"{lang} notes over {MAX_WORDS_PER_NOTE} words: {too_long}"
    assert sum(counts.values()) <= MAX_NOTE_WORDS, f"{lang}: {sum(counts.values())} words"


def test_about_ten_core_questions_and_the_rest_to_go_further(data: dict[str, Any]) -> None:
    asked = questions(data)
    core = [q for q in asked if q.get("core")]
    assert len(core) in CORE_QUESTIONS, len(core)
    assert len(core) < len(asked), "no question left to go further"
    for q in asked:
        assert isinstance(q.get("answer"), dict), f"no answer for {q['question']}"


def test_context_notes_cite_sources(data: dict[str, Any]) -> None:
    missing = [a["id"] for a in data["annotations"]
               if a["category"] == "context" and not a.get("sources")]
    assert not missing


def test_sources_come_from_the_fact_sheet(data: dict[str, Any], front: dict[str, Any]) -> None:
    facts = FACTS.read_text(encoding="utf-8")
    listed = [s["url"] for a in data["annotations"] for s in a.get("sources") or []]
    listed += [s["url"] for v in data["voices"] for s in v.get("sources") or []]
    linked = [m.group(2) for lang in LANGS for _, text in texts(data, front, lang)
              for m in LINK.finditer(text) if not m.group(2).startswith("#")]
    assert linked, "no link found: the link pattern no longer matches"
    for url in listed + linked:
        assert url.startswith(("https://", "http://")), url
        assert re.search(re.escape(url) + r"(?=[\s).,]|$)", facts), f"not in the fact sheet: {url}"


def test_links_between_notes_point_to_notes(built: tuple[Path, str],
                                            data: dict[str, Any]) -> None:
    ids = {a["id"] for a in data["annotations"]}
    targets = [m.group(2) for lang in LANGS for text in notes(data, lang).values()
               for m in LINK.finditer(text) if m.group(2).startswith("#")]
    assert targets, "no note links to another"
    for target in targets:
        assert target.removeprefix("#note-") in ids, target
    out, _ = built
    pages = [p for page in PAGES.values() for p in (out / page).parent.glob("*.html")]
    assert len(pages) > len(PAGES), "no handout pages were built"
    for page in pages:
        doc = parse(page.read_text(encoding="utf-8"))
        page_ids = {el.attrs["id"] for el in doc.iter() if "id" in el.attrs}
        for a in doc.find_all("a"):
            href = a.attrs.get("href", "")
            if href.startswith("#"):
                assert href[1:] in page_ids, (page, href)


@pytest.mark.parametrize("lang", LANGS)
def test_no_note_repeats_another_notes_sentence(data: dict[str, Any], lang: str) -> None:
    seen: dict[str, str] = {}
    for ident, text in notes(data, lang).items():
        visible = " ".join(LINK.sub(lambda m: m.group(1), text).split())
        for sentence in SENTENCE_END.split(visible):
            key = re.sub(r"\W+", " ", sentence).strip().lower()
            if len(key.split()) < 4:
                continue
            assert seen.setdefault(key, ident) == ident, \
                f"{lang}: {ident} repeats a sentence of {seen[key]}: {sentence!r}"


def test_every_annotation_renders_in_both_editions(built: tuple[Path, str],
                                                   data: dict[str, Any]) -> None:
    out, _ = built
    for page in PAGES.values():
        doc = parse((out / page).read_text(encoding="utf-8"))
        ids = {el.attrs["id"] for el in doc.iter() if "id" in el.attrs}
        for a in data["annotations"]:
            assert f"note-{a['id']}" in ids, f"{page}: no note-{a['id']}"


FRENCH_SPACING = {
    "« not followed by a no-break space": re.compile(f"«(?!{NBSP})"),
    "» not preceded by a no-break space": re.compile(f"(?<!{NBSP})»"),
    "; ! ? without a narrow no-break space before": re.compile(f"(?<![{NNBSP}{NBSP}])[;!?]"),
    ": without a no-break space before": re.compile("(?<=\\w):|(?<=[)»]):| :"),
    "thousands not grouped with a no-break space": re.compile(r"(?<!\d)\d{1,3}[ ,]\d{3}(?!\d)"),
    "% without a no-break space before": re.compile(f"(?<!{NBSP})%"),
}


def test_french_typography(data: dict[str, Any], front: dict[str, Any]) -> None:
    """Our French text is spaced the French way; the article's own words are left as they are."""
    problems = []
    for where, text in texts(data, front, "fr"):
        visible = LINK.sub(lambda m: f"[{m.group(1)}]", text)
        problems += [f"{where}: {what}: {visible[max(0, m.start() - 20):m.end() + 20]!r}"
                     for what, pattern in FRENCH_SPACING.items()
                     for m in pattern.finditer(visible)]
    assert not problems, "\n".join(problems)
    quotes = [q for a in data["annotations"] if "quote" in a  # one text, or one per language
              for q in (a["quote"].values() if isinstance(a["quote"], dict) else [a["quote"]])]
    assert not any(NBSP in q or NNBSP in q for q in quotes), "a quote no longer copies the article"
