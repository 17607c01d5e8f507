"""Each Markdown field of an article is parsed once and rendered once per language it is
shown in, however many editions, pages and handouts show it (issue 15); and the
benchmarks' synthetic corpora are valid content, as docs/performance.md says; and an
article's pages and handouts are rendered together, so one build reports every template
error of them."""

from __future__ import annotations

import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

from sitegen.build.article import ArticleBuild, Job, run_steps
from sitegen.build.builder import check
from sitegen.content.load import load_site
from sitegen.errors import Collector
from sitegen.model import localized_texts
from sitegen.text import markdown
from sitegen.theme import templates

sys.path.insert(0, str(ROOT / "benchmarks"))
import synth
import synth_lesson
import synth_links

SEED = ROOT / "content"


def test_the_seed_article_parses_each_text_once_and_renders_it_once_per_language(
        monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: Counter[str] = Counter()
    rendered = 0
    real_parse, real_render = markdown.PARSER.parse, markdown.to_html

    def counting_parse(source: str, env: dict[str, object]) -> object:
        parsed[source] += 1
        return real_parse(source, env)

    def counting_render(tokens: object) -> str:
        nonlocal rendered
        rendered += 1
        return real_render(tokens)  # type: ignore[arg-type]

    monkeypatch.setattr(markdown.PARSER, "parse", counting_parse)
    monkeypatch.setattr(markdown, "to_html", counting_render)
    problems = Collector()
    site = load_site(SEED, problems)
    assert site is not None and len(site.languages) == 2
    build = ArticleBuild(SEED / "articles" / "musk-riyadh", Job(site, "", None, None))
    assert run_steps(build) == []  # every step, without PDFs or an output folder
    assert build.article is not None
    # 5 pages in 2 editions: the explainer, exercise and student copy in the site, the
    # teacher key and the class page in the teacher's folder
    assert len([f for f in build.files if f.endswith(".html")]) == 10
    assert parsed and max(parsed.values()) == 1, parsed.most_common(3)
    texts = {text for text, _ in localized_texts(build.article)}
    assert 0 < rendered <= len(texts) * len(site.languages)


@pytest.mark.parametrize("corpus", [synth, synth_links, synth_lesson])
def test_the_benchmark_corpora_are_valid_content(tmp_path: Path, corpus: object) -> None:
    content = tmp_path / "content"
    corpus.write_site(content, 3)  # type: ignore[attr-defined]
    assert check(content) == []


def test_a_broken_article_template_and_a_broken_sheet_template_are_reported_together(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    theme = tmp_path / "templates"
    shutil.copytree(templates.TEMPLATES, theme)
    monkeypatch.setattr(templates, "TEMPLATES", theme)
    monkeypatch.setattr(templates, "_ENV", None)
    for name in ("article.html", "teacher.html"):
        with (theme / name).open("a", encoding="utf-8") as f:
            f.write("{% endif %}\n")  # a tag closing nothing
    site = load_site(FIXTURES / "handout-letter", Collector())
    assert site is not None
    build = ArticleBuild(FIXTURES / "handout-letter" / "articles" / "river",
                         Job(site, "", None, None))
    errors = run_steps(build)
    broken = {str(theme / "article.html"), str(theme / "teacher.html")}
    assert {e.location.path for e in errors} == broken
    assert all("endif" in e.message for e in errors)
