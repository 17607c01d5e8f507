"""Each Markdown field of an article is parsed once and rendered once per language it is
shown in, however many editions, pages and handouts show it (issue 15); and the
benchmarks' synthetic corpora are valid content, as docs/performance.md says."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import ROOT

from sitegen.build.article import ArticleBuild, Job, run_steps
from sitegen.build.builder import check
from sitegen.content.load import load_site
from sitegen.errors import Collector
from sitegen.model import localized_texts
from sitegen.text import markdown

sys.path.insert(0, str(ROOT / "benchmarks"))
import synth
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
    build = ArticleBuild(SEED / "articles" / "musk-riyadh", Job(site, "", None, None, None,
                                                                  {}, None))
    assert run_steps(build) == []  # every step, without PDFs or an output folder
    assert build.article is not None
    assert len([f for f in build.files if f.endswith(".html")]) == 8  # 4 pages, 2 editions
    assert parsed and max(parsed.values()) == 1, parsed.most_common(3)
    texts = {text for text, _ in localized_texts(build.article)}
    assert 0 < rendered <= len(texts) * len(site.languages)


@pytest.mark.parametrize("corpus", [synth, synth_links])
def test_the_benchmark_corpora_are_valid_content(tmp_path: Path, corpus: object) -> None:
    content = tmp_path / "content"
    corpus.write_site(content, 3)  # type: ignore[attr-defined]
    assert check(content) == []
