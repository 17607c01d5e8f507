"""The targets of issue 15 as ratios measured in one run, so a busy machine skews both
sides alike: sitegen's clean build against the bare markdown-it-py + Jinja loop
(benchmarks/baseline.py) on the same Markdown, for both synthetic corpora, then sitegen's
no-op and one-article rebuilds of the biggest site.

    .venv/bin/python benchmarks/ratios.py [--n 1000] [--big 4000] [--runs 3]

Prints a Markdown table: median wall and CPU seconds, peak memory, and each ratio. Every
command is a new process; sitegen's cache and records are private ($XDG_CACHE_HOME and
$XDG_STATE_HOME), wiped for clean builds. Quicker than `make bench` (no other generators),
which it does not replace.
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

import synth
import synth_links
from edits import edit_article
from measure import Measurement, private_env, run

from sitegen.output.folder import teacher_folder

OUT = Path(__file__).resolve().parent / "out" / "ratios"
BASELINE = Path(__file__).resolve().parent / "baseline.py"


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


def _row(label: str, ms: list[Measurement], ref: float | None) -> str:
    wall = statistics.median(m.seconds for m in ms)
    cpu = statistics.median(m.cpu_seconds for m in ms)
    peak = max(m.peak_mib for m in ms)
    ratio = f"{wall / ref:.2f}" if ref else ""
    return f"| {label} | {wall:.3f} | {cpu:.3f} | {peak:.0f} | {len(ms)} | {ratio} |"


def clean_pair(name: str, content: Path, runs: int) -> list[str]:
    """Baseline and sitegen clean builds of ``content``, interleaved run by run."""
    out, cache = OUT / f"{name}-site", OUT / f"{name}-cache"
    base_out = OUT / f"{name}-baseline"
    env = private_env(cache)
    base: list[Measurement] = []
    ours: list[Measurement] = []
    for _ in range(runs):
        shutil.rmtree(base_out, ignore_errors=True)
        base.append(run([sys.executable, str(BASELINE), str(content), str(base_out)]))
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(teacher_folder(out), ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        ours.append(run([*_sitegen(), "--content", str(content), "--out", str(out)], env=env))
    for label, ms in ((f"{name}: baseline clean", base), (f"{name}: sitegen clean", ours)):
        if any(m.returncode for m in ms):
            raise SystemExit(f"{label} failed: {ms[0].stderr[-2000:]}")
    ref = statistics.median(m.seconds for m in base)
    return [_row(f"{name}: baseline clean", base, None), _row(f"{name}: sitegen clean", ours, ref)]


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
    return [_row(f"{name}: sitegen clean", clean, None), _row(f"{name}: no-op", noop, ref),
            _row(f"{name}: one article edited", edit, ref)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1000, help="articles for the clean builds")
    parser.add_argument("--big", type=int, default=4000, help="articles for the rebuilds")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    started, load = time.time(), os.getloadavg()[0]
    rows = ["| what | median s | CPU s | peak MiB | runs | ratio |",
            "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name, module in (("synth", synth), ("links", synth_links)):
        content = OUT / f"{name}-{args.n}"
        shutil.rmtree(content, ignore_errors=True)
        module.write_site(content, args.n)
        rows += clean_pair(f"{name} {args.n}", content, args.runs)
        print("\n".join(rows), flush=True)
    if args.big:
        content = OUT / f"synth-{args.big}"
        shutil.rmtree(content, ignore_errors=True)
        synth.write_site(content, args.big)
        rows += rebuilds(f"synth {args.big}", content, args.runs)
    print("\n".join(rows))
    print(f"\n{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(started))}, "
          f"{os.cpu_count()} cores, load {load:.1f} at the start and "
          f"{os.getloadavg()[0]:.1f} at the end, {time.time() - started:.0f} s in all. "
          "Ratios: to the baseline for clean builds, to the clean build for rebuilds.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
