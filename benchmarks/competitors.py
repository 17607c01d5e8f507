"""Other generators on the same articles: install them, lay out their projects, build them.

Each tool gets the synthetic articles' front matter and body (no annotations), a minimal
page template (title and body) and an index listing every article, with feeds, sitemaps,
taxonomies and themes turned off: one page per article plus one index, as close to
sitegen's work as each tool allows. Tools live in `benchmarks/.tools/` (gitignored).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

TOOLS = Path(__file__).resolve().parent / ".tools"
VENV_BIN = TOOLS / "venv" / "bin"
ELEVENTY = TOOLS / "node_modules" / ".bin" / "eleventy"
PYPI_TOOLS = ("pelican", "markdown", "mkdocs")

PAGE = "<!doctype html>\n<html lang=en><meta charset=utf-8><title>{title}</title>\n{body}\n"


@dataclass(frozen=True)
class Article:
    slug: str
    title: str
    front: str
    """The front matter block as written, between the `---` lines."""
    body: str


@dataclass(frozen=True)
class Tool:
    name: str
    install: Callable[[], None]
    version: Callable[[], str]
    lay_out: Callable[[list[Article], Path], None]
    """Write the tool's project for these articles into a folder."""
    command: Callable[[Path, Path], list[str]]
    """The build command for a project folder and an output folder; run it in the former."""


def read_articles(content: Path) -> list[Article]:
    articles = []
    for path in sorted(content.glob("articles/*/article.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        title_line = next(line for line in front.splitlines() if line.startswith("title:"))
        title = json.loads(title_line.removeprefix("title:").strip())
        articles.append(Article(path.parent.name, title, front, body.lstrip("\n")))
    return articles


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _output(command: list[str]) -> str:
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return (done.stdout or done.stderr).strip().splitlines()[0]


# Hugo (Debian package) ------------------------------------------------------------------

HUGO_CONFIG = """\
baseURL = "/"
title = "bench"
relativeURLs = true
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404", "section"]
"""


def _hugo_install() -> None:
    if shutil.which("hugo"):
        return
    if os.geteuid() != 0:
        raise RuntimeError("hugo is missing: run `sudo apt-get install hugo`")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "hugo"], check=True, env=env)


def _hugo_lay_out(articles: list[Article], root: Path) -> None:
    _write(root / "config.toml", HUGO_CONFIG)
    page = PAGE.format(title="{{ .Title }}", body="{{ .Content }}")
    _write(root / "layouts" / "_default" / "single.html", page)
    items = '{{ range .Site.RegularPages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>'
    _write(root / "layouts" / "index.html", PAGE.format(title="bench", body=items + "{{ end }}"))
    for a in articles:
        _write(root / "content" / f"{a.slug}.md", f"---\n{a.front}---\n\n{a.body}")


HUGO = Tool(
    "Hugo",
    _hugo_install,
    lambda: _output(["hugo", "version"]).split()[1],
    _hugo_lay_out,
    lambda root, out: ["hugo", "--quiet", "--source", str(root), "--destination", str(out)],
)


# Eleventy (npm, local install) ----------------------------------------------------------


def _eleventy_install() -> None:
    if ELEVENTY.exists():
        return
    TOOLS.mkdir(parents=True, exist_ok=True)
    package = TOOLS / "package.json"
    if not package.exists():
        package.write_text('{"name": "sitegen-bench-tools", "private": true}\n')
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--silent", "@11ty/eleventy@3"],
        cwd=TOOLS,
        check=True,
    )


def _eleventy_lay_out(articles: list[Article], root: Path) -> None:
    page = PAGE.format(title="{{ title }}", body="{{ content | safe }}")
    _write(root / "_includes" / "page.njk", page)
    _write(root / "articles" / "articles.11tydata.json", '{"layout": "page.njk"}\n')
    items = (
        '{% for p in collections.all %}<li><a href="{{ p.url }}">{{ p.data.title }}</a>{% endfor %}'
    )
    _write(root / "index.njk", PAGE.format(title="bench", body=items))
    for a in articles:
        _write(root / "articles" / f"{a.slug}.md", f"---\n{a.front}---\n\n{a.body}")


ELEVENTY_TOOL = Tool(
    "Eleventy",
    _eleventy_install,
    lambda: _output([str(ELEVENTY), "--version"]),
    _eleventy_lay_out,
    # Run in the project folder: with an absolute --input, Eleventy 3 misses directory data.
    lambda root, out: [str(ELEVENTY), "--quiet", "--input=.", f"--output={out}"],
)


# Pelican and MkDocs (PyPI, their own venv) ----------------------------------------------


def _pypi_install() -> None:
    if all((VENV_BIN / name).exists() for name in ("pelican", "mkdocs")):
        return
    subprocess.run(["python3", "-m", "venv", str(TOOLS / "venv")], check=True)
    pip = [str(VENV_BIN / "python"), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, *PYPI_TOOLS], check=True)


PELICAN_CONFIG = """\
AUTHOR = "bench"
SITENAME = "bench"
SITEURL = ""
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
PATH = {content!r}
THEME = {theme!r}
DEFAULT_DATE = (2025, 1, 2)
DEFAULT_PAGINATION = False
DIRECT_TEMPLATES = ["index"]
ARTICLE_URL = "{{slug}}/"
ARTICLE_SAVE_AS = "{{slug}}/index.html"
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
STATIC_PATHS = []
THEME_STATIC_PATHS = []
"""


def _pelican_lay_out(articles: list[Article], root: Path) -> None:
    content, theme = root / "content", root / "theme"
    _write(root / "pelicanconf.py", PELICAN_CONFIG.format(content=str(content), theme=str(theme)))
    page = PAGE.format(title="{{ article.title }}", body="{{ article.content }}")
    _write(theme / "templates" / "article.html", page)
    items = '{% for a in articles %}<li><a href="{{ a.url }}">{{ a.title }}</a>{% endfor %}'
    _write(theme / "templates" / "index.html", PAGE.format(title="bench", body=items))
    for a in articles:
        # Pelican's Markdown reader takes `Key: value` metadata, not YAML front matter.
        _write(content / f"{a.slug}.md", f"Title: {a.title}\nSlug: {a.slug}\n\n{a.body}")


PELICAN = Tool(
    "Pelican",
    _pypi_install,
    lambda: _output([str(VENV_BIN / "pelican"), "--version"]),
    _pelican_lay_out,
    lambda root, out: [
        str(VENV_BIN / "pelican"),
        "-q",
        "-s",
        str(root / "pelicanconf.py"),
        "-o",
        str(out),
    ],
)

MKDOCS_CONFIG = """\
site_name: bench
docs_dir: docs
theme:
  name: null
  custom_dir: theme
plugins: []
"""


def _mkdocs_lay_out(articles: list[Article], root: Path) -> None:
    _write(root / "mkdocs.yml", MKDOCS_CONFIG)
    page = PAGE.format(title="{{ page.title }}", body="{{ page.content }}")
    _write(root / "theme" / "main.html", page)
    index = "".join(f"- [{a.title}]({a.slug}.md)\n" for a in articles)
    _write(root / "docs" / "index.md", f"# bench\n\n{index}")
    for a in articles:
        _write(root / "docs" / f"{a.slug}.md", f"---\n{a.front}---\n\n{a.body}")


MKDOCS = Tool(
    "MkDocs",
    _pypi_install,
    lambda: _output([str(VENV_BIN / "mkdocs"), "--version"]).split()[2].rstrip(","),
    _mkdocs_lay_out,
    lambda root, out: [
        str(VENV_BIN / "mkdocs"),
        "build",
        "-q",
        "-f",
        str(root / "mkdocs.yml"),
        "-d",
        str(out),
    ],
)

ALL = (HUGO, ELEVENTY_TOOL, PELICAN, MKDOCS)


def prepare(tool: Tool, articles: list[Article], root: Path) -> None:
    """A fresh project folder for `tool` holding `articles`."""
    shutil.rmtree(root, ignore_errors=True)
    tool.lay_out(articles, root)
