"""Profile one article build in one process: load, check, anchor, render, export.

Writes a synthetic site (benchmarks/synth.py) and builds every article of it in this
process under cProfile, as a worker of `sitegen build --no-pdf` does (no files written),
then prints the functions with the most cumulative and own time. Use it before and after a
change to the pipeline:

    .venv/bin/python benchmarks/profile_build.py -n 40 [--top 25] [--corpus links]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
import time
from pathlib import Path

import synth
import synth_links

from sitegen.content import article_dirs, load_article, load_site
from sitegen.prepare import prepare
from sitegen.render import render_article
from sitegen.validate import Collector


def build_all(content: Path) -> int:
    """Build every article of ``content`` in memory; the number of files made."""
    out = Collector()
    site = load_site(content, out)
    assert site is not None, out.errors
    made = 0
    for folder in article_dirs(content, out):
        article = load_article(folder, site, out)
        assert article is not None, out.errors
        ready = prepare(article, out)
        assert ready is not None, out.errors
        files, _ = render_article(ready, site, theme=None)
        made += len(files)
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=40, help="number of articles")
    parser.add_argument("--top", type=int, default=20, help="lines of each table")
    parser.add_argument("--corpus", choices=("synth", "links"), default="synth",
                        help="benchmarks/synth.py or the link-heavy synth_links.py")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        (synth_links if args.corpus == "links" else synth).write_site(content, args.n)
        build_all(content)  # warm up: imports, compiled templates
        start = time.process_time()  # CPU time: the machine may be shared
        build_all(content)
        plain = time.process_time() - start
        profile = cProfile.Profile()
        profile.runcall(build_all, content)
    stats = pstats.Stats(profile)
    parses = sum(calls for (path, _, name), (_, calls, *_) in vars(stats)["stats"].items()
                 if name == "parse" and path.endswith("markdown_it/main.py"))
    print(f"{args.n} articles: {plain / args.n * 1000:.1f} ms of CPU per article without the "
          f"profiler; {parses / args.n:.1f} Markdown parses per article")
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
