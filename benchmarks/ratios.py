"""Issue 25's and issue 15's targets as ratios measured in one run, so a busy machine skews
both sides alike: sitegen's clean build (`build --no-pdf --no-cache --jobs 2`) against the
same-work floor (benchmarks/floor_full.py --jobs 2, issue 25) and the bare markdown-it-py +
Jinja loop (benchmarks/baseline.py, issue 15) on the same content, for each synthetic corpus
at 1,000 articles (synth_lesson.py: issue 25's corpus; synth_links.py: link-heavy;
synth.py), then sitegen's no-op and one-article rebuilds of the biggest site.

    .venv/bin/python benchmarks/ratios.py [--n 1000] [--big 4000] [--runs 3]
        [--corpora lesson,links,synth] [--no-baseline]

Prints a Markdown table: median wall and CPU seconds (user + system, the workers included),
peak memory, and each ratio. The clean builds of a corpus are interleaved run by run.
Every command is a new process; sitegen's cache and records are private ($XDG_CACHE_HOME
and $XDG_STATE_HOME, its compiled templates included), wiped for clean builds. `--big 0`
skips the rebuilds. Quicker than `make bench` (no other generators), which it does not
replace.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import synth
import synth_lesson
import synth_links
from edits import edit_article
from measure import Measurement, private_env, run

from sitegen.output.folder import teacher_folder

OUT = Path(__file__).resolve().parent / "out" / "ratios"
BASELINE = Path(__file__).resolve().parent / "baseline.py"
FLOOR = Path(__file__).resolve().parent / "floor_full.py"
CORPORA: dict[str, ModuleType] = {"lesson": synth_lesson, "links": synth_links, "synth": synth}
HEADER = ["| what | median s | CPU s | peak MiB | runs | × floor | × floor, CPU | × bare loop |",
          "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]


def _sitegen() -> list[str]:
    return [sys.executable, "-m", "sitegen", "build", "--no-pdf"]


def _timed(label: str, runs: int, step: Callable[[], Measurement]
           ) -> tuple[str, list[Measurement]]:
    results = []
    for _ in range(runs):
        m = step()
        if m.returncode != 0:
            raise SystemExit(f"{label} failed: {m.stderr[-2000:]}")
        results.append(m)
    return label, results


def _medians(ms: list[Measurement]) -> tuple[float, float]:
    """Median wall and CPU seconds."""
    return (statistics.median(m.seconds for m in ms),
            statistics.median(m.cpu_seconds for m in ms))


def _row(label: str, ms: list[Measurement], *ratios: str) -> str:
    wall, cpu = _medians(ms)
    peak = max(m.peak_mib for m in ms)
    return f"| {label} | {wall:.3f} | {cpu:.3f} | {peak:.0f} | {len(ms)} | {' | '.join(ratios)} |"


def clean_builds(name: str, content: Path, runs: int, baseline: bool) -> list[str]:
    """The floor, sitegen's clean build and (with ``baseline``) the bare loop on
    ``content``, interleaved run by run."""
    out, cache = OUT / f"{name}-site", OUT / f"{name}-cache"
    floor_out, base_out = OUT / f"{name}-floor", OUT / f"{name}-baseline"
    env = private_env(cache)
    sitegen = [*_sitegen(), "--no-cache", "--jobs", "2", "--content", str(content),
               "--out", str(out)]
    floor: list[Measurement] = []
    ours: list[Measurement] = []
    base: list[Measurement] = []
    for _ in range(runs):
        shutil.rmtree(floor_out, ignore_errors=True)
        floor.append(run([sys.executable, str(FLOOR), str(content), str(floor_out),
                          "--jobs", "2"]))
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(teacher_folder(out), ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        ours.append(run(sitegen, env=env))
        if baseline:
            shutil.rmtree(base_out, ignore_errors=True)
            base.append(run([sys.executable, str(BASELINE), str(content), str(base_out)]))
    named = ((f"{name}: floor_full.py --jobs 2", floor),
             (f"{name}: sitegen clean (--no-cache --jobs 2)", ours), (f"{name}: bare loop", base))
    for label, ms in named:
        if any(m.returncode for m in ms):
            raise SystemExit(f"{label} failed: {ms[0].stderr[-2000:]}")
    (wall, cpu), (floor_wall, floor_cpu) = _medians(ours), _medians(floor)
    to_bare = f"{wall / _medians(base)[0]:.2f}" if base else ""
    rows = [_row(named[0][0], floor, "", "", ""),
            _row(named[1][0], ours, f"{wall / floor_wall:.2f}", f"{cpu / floor_cpu:.2f}", to_bare)]
    return rows + ([_row(named[2][0], base, "", "", "")] if base else [])


def rebuilds(name: str, content: Path, runs: int) -> list[str]:
    """sitegen clean (once), then no-op and one-article-edited rebuilds, against the clean."""
    out, cache = OUT / f"{name}-site", OUT / f"{name}-cache"
    env = private_env(cache)
    command = [*_sitegen(), "--content", str(content), "--out", str(out)]
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(teacher_folder(out), ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    _, clean = _timed(f"{name}: sitegen clean", 1, lambda: run(command, env=env))
    _, noop = _timed(f"{name}: no-op", runs, lambda: run(command, env=env))
    articles = sorted((content / "articles").iterdir())
    edited = iter(articles[i * 7 % len(articles)] / "article.md" for i in range(runs))

    def one() -> Measurement:
        edit_article(next(edited))
        return run(command, env=env)

    _, edit = _timed(f"{name}: one article edited", runs, one)
    ref = clean[0].seconds
    return ["| what | median s | CPU s | peak MiB | runs | × clean |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
            _row(f"{name}: sitegen clean, cache on", clean, "1"),
            _row(f"{name}: no-op", noop, f"{_medians(noop)[0] / ref:.3f}"),
            _row(f"{name}: one article edited", edit, f"{_medians(edit)[0] / ref:.3f}")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1000, help="articles for the clean builds")
    parser.add_argument("--big", type=int, default=4000, help="articles for the rebuilds")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--corpora", default="lesson,links,synth",
                        help="which corpora to build clean, among " + ",".join(CORPORA))
    parser.add_argument("--no-baseline", dest="baseline", action="store_false",
                        help="leave out the bare loop")
    args = parser.parse_args(argv)
    if not set(args.corpora.split(",")) <= set(CORPORA):
        parser.error(f"--corpora: each of {','.join(CORPORA)}")
    started, load = time.time(), os.getloadavg()[0]
    rows = list(HEADER)
    for name in args.corpora.split(","):
        content = OUT / f"{name}-{args.n}"
        shutil.rmtree(content, ignore_errors=True)
        CORPORA[name].write_site(content, args.n)
        rows += clean_builds(f"{name} {args.n}", content, args.runs, args.baseline)
        print("\n".join(rows), flush=True)
    if args.big:
        content = OUT / f"synth-{args.big}"
        shutil.rmtree(content, ignore_errors=True)
        synth.write_site(content, args.big)
        rows += ["", *rebuilds(f"synth {args.big}", content, args.runs)]
    print("\n".join(rows))
    print(f"\n{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(started))}, "
          f"{os.cpu_count()} cores, load {load:.1f} at the start and "
          f"{os.getloadavg()[0]:.1f} at the end, {time.time() - started:.0f} s in all. "
          "Ratios: to the floor (wall, CPU) and the bare loop for clean builds, to the clean "
          "build for rebuilds.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
