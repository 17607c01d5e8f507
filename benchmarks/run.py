"""Time `sitegen build --no-pdf` and other generators on synthetic sites of N articles.

Writes benchmarks/out/results.json, benchmarks/out/results.md (tables) and
docs/performance.svg, and prints the tables. Run with `make bench`, or
`.venv/bin/python benchmarks/run.py --sizes 1,100 --runs 3 --skip-competitors`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import competitors
import pdfs
import report
from edits import edit_article, edited_template, page_template
from measure import Measurement, private_env, run
from synth import slug, write_site

from sitegen.output.folder import teacher_folder

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "benchmarks" / "out"
SCENARIOS = ("clean", "no-op", "one article edited", "one template edited")


@dataclass
class Result:
    generator: str
    n: int
    scenario: str
    seconds: list[float]
    peak_mib: float
    pages: int
    error: str = ""
    cpu_seconds: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")


def runs_for(n: int, runs: int) -> int:
    """Fewer repeats at large N to keep a full run under about 20 minutes on 2 cores."""
    if n <= 100:
        return runs
    return min(runs, 3) if n <= 1000 else 1


def sitegen_command() -> list[str]:
    script = Path(sys.executable).parent / "sitegen"
    return [str(script)] if script.exists() else [sys.executable, "-m", "sitegen"]


def _html_count(out: Path) -> int:
    return sum(1 for _ in out.rglob("*.html"))


def _fail(result: Result, m: Measurement) -> Result:
    result.error = f"exit {m.returncode}: {m.stderr.strip()[-800:]}"
    print(f"  {result.generator} {result.scenario} failed: {result.error}", file=sys.stderr)
    return result


def _repeat(result: Result, times: int, step: Callable[[], Measurement]) -> Result:
    """Run `step` `times` times, adding its timings to `result`; stop at the first failure."""
    for _ in range(times):
        m = step()
        if m.returncode != 0:
            return _fail(result, m)
        result.seconds.append(m.seconds)
        result.cpu_seconds.append(m.cpu_seconds)
        result.peak_mib = max(result.peak_mib, m.peak_mib)
    return result


def time_sitegen(content: Path, n: int, runs: int, templates: Path) -> list[Result]:
    out = OUT / "sites" / f"sitegen-{n}"
    cache = OUT / "cache" / f"sitegen-{n}"
    env = private_env(cache)
    command = [
        *sitegen_command(),
        "build",
        "--content",
        str(content),
        "--out",
        str(out),
        "--no-pdf",
    ]

    def build(sample: bool = True) -> Measurement:
        return run(command, sample=sample, env=env)

    times = runs_for(n, runs)
    results = [Result("sitegen", n, s, [], 0.0, 0) for s in SCENARIOS]

    def clean() -> Measurement:
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(teacher_folder(out), ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        return build()

    _repeat(results[0], times, clean)
    if results[0].error:
        return results[:1]
    results[0].pages = _html_count(out)
    _repeat(results[1], times, build)
    edited = [content / "articles" / slug(i % n) / "article.md" for i in range(times)]

    def one_article() -> Measurement:
        edit_article(edited.pop())
        return build()

    _repeat(results[2], times, one_article)
    template = page_template(templates)
    count = iter(range(times))

    def one_template() -> Measurement:
        with edited_template(template, f"{n}-{next(count)}"):
            m = build()
        build(sample=False)  # restoring the template is an edit too: settle untimed
        return m

    _repeat(results[3], times, one_template)
    return results


def time_competitor(
    tool: competitors.Tool, content: Path, n: int, runs: int, noop: bool
) -> list[Result]:
    root = OUT / "projects" / f"{tool.name.lower()}-{n}"
    out = OUT / "sites" / f"{tool.name.lower()}-{n}"
    competitors.prepare(tool, competitors.read_articles(content), root)
    command = tool.command(root, out)
    clean = Result(tool.name, n, "clean", [], 0.0, 0)

    def build_clean() -> Measurement:
        shutil.rmtree(out, ignore_errors=True)
        return run(command, cwd=root)

    _repeat(clean, runs_for(n, runs), build_clean)
    clean.pages = _html_count(out) if not clean.error else 0
    results = [clean]
    if noop and not clean.error:
        results.append(
            _repeat(Result(tool.name, n, "no-op", [], 0.0, 0), 1, lambda: run(command, cwd=root))
        )
    return results


def check_content(content: Path) -> str:
    """'' when `sitegen check` accepts the synthetic content, else its complaint."""
    done = subprocess.run(
        [*sitegen_command(), "check", "--content", str(content)], capture_output=True, text=True
    )
    return "" if done.returncode == 0 else f"exit {done.returncode}: {done.stderr[-2000:]}"


def merged(data: dict[str, Any], previous: Path) -> dict[str, Any]:
    """`data` plus the results in `previous` of every generator that `data` does not hold."""
    if not previous.exists():
        return data
    old = json.loads(previous.read_text(encoding="utf-8"))
    measured = {r["generator"] for r in data["results"]}
    kept = [r for r in old["results"] if r["generator"] not in measured]
    return {
        **data,
        "versions": {**old["versions"], **data["versions"]},
        "commands": {**old["commands"], **data["commands"]},
        "sizes": sorted({*old["sizes"], *data["sizes"]}),
        "runs": {**old["runs"], **data["runs"]},
        "merged_from": {k: old.get(k) for k in ("date", "load_average", "seconds_total")},
        "results": kept + data["results"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1,100,1000,4000", help="comma-separated N")
    parser.add_argument("--runs", type=int, default=5, help="repeats at N <= 100 (fewer above)")
    parser.add_argument("--skip-competitors", action="store_true")
    parser.add_argument("--skip-sitegen", action="store_true")
    parser.add_argument("--templates", type=Path, default=REPO / "templates")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pdf-runs", type=int, default=3,
                        help="clean builds of the seed site with and without PDFs")
    parser.add_argument(
        "--merge",
        action="store_true",
        help="keep the previous results.json's results for the generators not run this time",
    )
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    tools = [] if args.skip_competitors else list(competitors.ALL)
    for tool in tools:
        tool.install()
    versions = {tool.name: tool.version() for tool in tools}
    results: list[Result] = []
    problems: dict[str, str] = {}
    started, load_before = time.time(), os.getloadavg()
    for n in sizes:
        content = OUT / "content" / f"n{n}"
        shutil.rmtree(content, ignore_errors=True)
        write_site(content, n, args.seed)
        print(f"N = {n}", flush=True)
        if not args.skip_sitegen:
            problem = check_content(content)
            if problem:
                problems[f"sitegen check, N={n}"] = problem
                print(f"  sitegen check failed: {problem}", file=sys.stderr)
            results += time_sitegen(content, n, args.runs, args.templates)
        for tool in tools:
            results += time_competitor(tool, content, n, args.runs, noop=n == max(sizes))
    if not args.skip_sitegen:
        versions["sitegen"] = report.sitegen_version(REPO, sitegen_command())
        print("PDF handouts (the seed site)", flush=True)
        handouts = pdfs.time_pdfs(REPO / "content", args.pdf_runs)
    data = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(started)),
        "machine": report.machine(),
        "versions": versions,
        "commands": report.commands(tools, sitegen_command()),
        "sizes": sizes,
        "runs": {str(n): runs_for(n, args.runs) for n in sizes},
        "seconds_total": round(time.time() - started, 1),
        # Other work on the machine skews timings: the 1-minute load before and after.
        "load_average": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
        "problems": problems,
        "results": [{**asdict(r), "median": r.median} for r in results],
        **({"pdfs": handouts} if not args.skip_sitegen else {}),
    }
    if args.merge:
        data = merged(data, OUT / "results.json")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    tables = report.tables(data)
    (OUT / "results.md").write_text(tables, encoding="utf-8")
    (REPO / "docs" / "performance.svg").write_text(report.svg(data), encoding="utf-8")
    print(tables)
    return 1 if problems or any(r.error for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
