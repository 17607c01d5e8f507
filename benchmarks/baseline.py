"""The floor sitegen is measured against: a bare markdown-it-py + Jinja loop.

For every article of a content folder: read article.md, split off the front matter, render
the body with markdown-it-py (CommonMark, HTML off), render a minimal Jinja page (title and
body, autoescaped) and write it; then an index listing every article. One process per core,
as `sitegen build` uses. No annotations, handouts, checks or cache: this is what any Python
generator built on these two libraries must pay at least.

    .venv/bin/python benchmarks/baseline.py CONTENT OUT [--jobs N]
"""

from __future__ import annotations

import argparse
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import jinja2
import yaml
from markdown_it import MarkdownIt
from markupsafe import Markup

PAGE = jinja2.Environment(autoescape=True).from_string(
    "<!doctype html>\n<html lang=\"{{ lang }}\"><meta charset=utf-8><title>{{ title }}</title>\n"
    "<h1>{{ title }}</h1>\n{{ body }}\n")
INDEX = jinja2.Environment(autoescape=True).from_string(
    "<!doctype html>\n<html><meta charset=utf-8><title>Index</title>\n<ul>\n"
    "{% for slug, title in articles %}<li><a href=\"{{ slug }}/index.html\">{{ title }}</a>\n"
    "{% endfor %}</ul>\n")
MD = MarkdownIt("commonmark", {"html": False})


def build_article(folder: Path, out: Path) -> tuple[str, str]:
    text = (folder / "article.md").read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    meta = yaml.load(front, Loader=yaml.CSafeLoader)
    html = PAGE.render(lang=meta["language"], title=meta["title"],
                       body=Markup(MD.render(body)))
    target = out / folder.name / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")
    return folder.name, str(meta["title"])


def _chunk(args: tuple[list[Path], Path]) -> list[tuple[str, str]]:
    folders, out = args
    return [build_article(folder, out) for folder in folders]


def build(content: Path, out: Path, jobs: int) -> int:
    folders = sorted(p for p in (content / "articles").iterdir() if p.is_dir())
    chunks = [(folders[i::jobs * 4], out) for i in range(jobs * 4)]
    with ProcessPoolExecutor(jobs) as pool:
        articles = sorted(a for done in pool.map(_chunk, chunks) for a in done)
    out.mkdir(parents=True, exist_ok=True)
    (out / "index.html").write_text(INDEX.render(articles=articles), encoding="utf-8")
    return len(articles) + 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("content", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    build(args.content, args.out, args.jobs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
