"""Profile one article build in one process: load, check, anchor, render, export.

Writes a synthetic site (benchmarks/synth.py) and builds every article of it in this
process, as a worker of `sitegen build --no-pdf` does (no files written): first timed phase
by phase (CPU time per article), then under cProfile, printing the functions with the most
cumulative and own time; and beside it the same articles built by the same-work floor's own
article build (floor_full.py, in this process, files written), CPU per article, so the
ratio of issue 25 is seen article by article, without processes or the machine's load
between them. Use it before and after a change to the pipeline:

    .venv/bin/python benchmarks/profile_build.py -n 40 [--top 25] [--corpus links|lesson]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import synth
import synth_lesson
import synth_links

from sitegen.build.article import STEPS, ArticleBuild, Job
from sitegen.content.listing import article_dirs
from sitegen.content.load import load_site
from sitegen.errors import Collector

Phases = defaultdict[str, float]
CORPORA = {"synth": synth, "links": synth_links, "lesson": synth_lesson}


def build_all(content: Path, phases: Phases | None = None) -> int:
    """Build every article of ``content`` in memory, adding each phase's CPU time to
    ``phases``; the number of files made. The phases are the steps of ``build_article``."""
    times: Phases = phases if phases is not None else defaultdict(float)

    def timed(name: str, step: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        result = step(*args, **kwargs)
        times[name] += time.process_time() - start
        return result

    problems = Collector()
    site = load_site(content, problems)
    assert site is not None, problems.errors
    job = Job(site, "", None, None)  # no PDFs, no output folder
    made = 0
    for folder in article_dirs(content, problems):
        build = ArticleBuild(folder, job)
        for name, step in STEPS:
            timed(name, step, build)
        made += len(build.files)
    return made


def floor_per_article(content: Path, out: Path) -> float:
    """CPU seconds per article of ``floor_full.py``'s own article build on ``content``, in
    this process after a warm-up round, as its workers build (it writes its five files)."""
    import floor_full

    floor_full._init(str(out))
    root = content / "articles"
    folders = sorted(str(root / name) for name in os.listdir(root))
    for folder in folders:  # warm up
        floor_full.build(folder)
    start = time.process_time()
    for folder in folders:
        floor_full.build(folder)
    return (time.process_time() - start) / len(folders)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=40, help="number of articles")
    parser.add_argument("--top", type=int, default=20, help="lines of each table")
    parser.add_argument("--corpus", choices=tuple(CORPORA), default="synth",
                        help="benchmarks/synth.py, the link-heavy synth_links.py or issue "
                             "25's synth_lesson.py")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        CORPORA[args.corpus].write_site(content, args.n)
        build_all(content)  # warm up: imports, compiled templates
        phases: Phases = defaultdict(float)
        start = time.process_time()  # CPU time: the machine may be shared
        build_all(content, phases)
        plain = time.process_time() - start
        profile = cProfile.Profile()
        profile.runcall(build_all, content)
        floor = floor_per_article(content, Path(tmp) / "floor")
    stats = pstats.Stats(profile)
    parses = {kind: sum(calls for (path, _, name), (_, calls, *_) in vars(stats)["stats"].items()
                        if name == kind and path.endswith("markdown_it/main.py"))
              for kind in ("parse", "parseInline")}
    print(f"{args.n} articles: {plain / args.n * 1000:.1f} ms of CPU per article without the "
          f"profiler; Markdown parses per article: {parses['parse'] / args.n:.1f} whole, "
          f"{parses['parseInline'] / args.n:.1f} inline only (one-line fields)\n")
    print(f"floor_full.py's build of the same articles: {floor * 1000:.1f} ms of CPU per "
          f"article (its files written); sitegen {plain / args.n / floor:.2f} times that\n")
    print("| phase | ms per article | share |\n| --- | ---: | ---: |")
    for name, seconds in sorted(phases.items(), key=lambda item: -item[1]):
        print(f"| {name} | {seconds / args.n * 1000:.2f} | {seconds / plain:.0%} |")
    print()
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
