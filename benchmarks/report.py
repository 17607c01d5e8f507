"""What a benchmark run records besides timings, and how its results are shown.

Machine facts, versions and commands go into results.json; `tables` turns the results into
Markdown tables (with ratios to sitegen and the issue's targets), `svg` into the plot.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
from pathlib import Path
from typing import Any

import competitors
import pdfs
import svgplot

TARGETS = (
    # (scenario, N, limit, unit, what): issue 15's absolute limits
    ("clean", 1000, 2.5, "s", "1,000 articles, clean build"),
    ("no-op", 4000, 0.3, "s", "4,000 articles, no-op rebuild"),
    ("one article edited", 4000, 0.3, "s", "4,000 articles, one article edited"),
    ("*", 4000, 300.0, "MiB", "4,000 articles, peak memory"),
)
RELATIVE = (
    # (what, (generator, N, scenario) measured, the ones it must not be slower than)
    ("4,000 articles, one template edited, no slower than a clean build",
     ("sitegen", 4000, "one template edited"), [("sitegen", 4000, "clean")]),
    ("1,000 articles clean, faster than Pelican and MkDocs",
     ("sitegen", 1000, "clean"), [("Pelican", 1000, "clean"), ("MkDocs", 1000, "clean")]),
)


def machine() -> dict[str, Any]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    kib = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(kib / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
    }


def sitegen_version(repo: Path, sitegen: list[str]) -> str:
    """`sitegen --version` and the commit, marked when sitegen's files differ from it."""

    def output(*command: str) -> str:
        done = subprocess.run(command, cwd=repo, capture_output=True, text=True)
        return done.stdout.strip()

    changed = output("git", "status", "--porcelain", "--", "sitegen", "templates", "static")
    commit = output("git", "rev-parse", "--short", "HEAD") + (" with changes" if changed else "")
    return f"{output(*sitegen, '--version') or 'sitegen'} (git {commit})"


def commands(tools: list[competitors.Tool], sitegen: list[str]) -> dict[str, str]:
    project, out = Path("PROJECT"), Path("OUT")
    found = {
        "sitegen": " ".join(
            [Path(sitegen[0]).name, *sitegen[1:], "build --content CONTENT --out OUT --no-pdf"]
        )
    }
    for tool in tools:
        words = tool.command(project, out)
        found[tool.name] = " ".join([Path(words[0]).name, *words[1:]])
    return found


def _median(data: dict[str, Any], generator: str, n: int, scenario: str) -> float | None:
    for r in data["results"]:
        if (r["generator"], r["n"], r["scenario"]) == (generator, n, scenario) and r["seconds"]:
            return float(r["median"])
    return None


def _row(r: dict[str, Any], base: float | None) -> str:
    seconds = r["seconds"]
    if not seconds:
        return f"| {r['generator']} | {r['scenario']} | failed | | | | | | |"
    rate = f"{r['pages'] / r['median']:,.0f}" if r["pages"] else ""
    cpu_list = r.get("cpu_seconds") or []
    cpu = f"{statistics.median(cpu_list):.3f}" if cpu_list else ""
    ratio = f"{r['median'] / base:.2f}" if base and r["scenario"] == "clean" else ""
    return (
        f"| {r['generator']} | {r['scenario']} | {r['median']:.3f} | {min(seconds):.3f} | "
        f"{cpu} | {len(seconds)} | {rate} | {r['peak_mib']:.0f} | {ratio} |"
    )


def targets(data: dict[str, Any]) -> list[str]:
    lines = ["| target | limit | measured | verdict |", "| --- | --- | --- | --- |"]
    for scenario, n, limit, unit, what in TARGETS:
        rows = [
            r
            for r in data["results"]
            if r["generator"] == "sitegen"
            and r["n"] == n
            and r["seconds"]
            and scenario in ("*", r["scenario"])
        ]
        if not rows:
            lines.append(f"| {what} | ≤ {limit:g} {unit} | not measured | pending |")
            continue
        value = max(r["peak_mib"] for r in rows) if unit == "MiB" else float(rows[0]["median"])
        verdict = "met" if value <= limit else f"missed: {value / limit:.1f} × the limit"
        lines.append(f"| {what} | ≤ {limit:g} {unit} | {value:.3g} {unit} | {verdict} |")
    for what, measured, others in RELATIVE:
        value = _median(data, *measured)
        limits = [(other[0], _median(data, *other)) for other in others]
        if value is None or any(limit is None for _, limit in limits):
            lines.append(f"| {what} | | not measured | pending |")
            continue
        limit = min(seconds for _, seconds in limits if seconds is not None)
        shown = ", ".join(f"{name} {seconds:.3g} s" for name, seconds in limits)
        verdict = "met" if value <= limit else f"missed: {value / limit:.1f} × the limit"
        lines.append(f"| {what} | {shown} | {value:.3g} s | {verdict} |")
    return lines


def tables(data: dict[str, Any]) -> str:
    head = (
        "| generator | scenario | median s | best s | CPU s | runs | pages/s | peak MiB | "
        "ratio to sitegen |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    )
    parts = []
    for n in data["sizes"]:
        base = _median(data, "sitegen", n, "clean")
        rows = [_row(r, base) for r in data["results"] if r["n"] == n]
        parts.append(f"### N = {n:,}\n\n{head}\n" + "\n".join(rows))
    parts.append("### Targets (sitegen, PDFs off)\n\n" + "\n".join(targets(data)))
    if "pdfs" in data:
        parts.append("### PDF handouts (the seed site, clean builds)\n\n"
                     + pdfs.table(data["pdfs"]).rstrip("\n"))
    return "\n\n".join(parts) + "\n"


def svg(data: dict[str, Any]) -> str:
    series: dict[str, list[tuple[float, float]]] = {}
    for r in data["results"]:
        if not r["seconds"]:
            continue
        if r["scenario"] == "clean":
            name = r["generator"]
        elif r["generator"] == "sitegen" and r["scenario"] != "one template edited":
            name = f"sitegen ({r['scenario']})"
        else:
            continue
        series.setdefault(name, []).append((float(r["n"]), float(r["median"])))
    return svgplot.plot(series, "Build time against number of articles (median, PDFs off)")
