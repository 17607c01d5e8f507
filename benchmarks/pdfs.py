"""Time a clean build of a content folder with its PDF handouts against the same build
without them, so the PDFs' share is known per PDF page and per handout, in wall time and
in CPU time (the build's and its workers'; on a shared machine the steadier of the two):

    .venv/bin/python benchmarks/pdfs.py [--content content] [--runs 3]

`make bench` runs it on the seed site (content/) and reports it under "PDF handouts".
Every build is a new process with a private, wiped cache and state folder (a clean build);
the two kinds are interleaved run by run so that a busy machine skews both alike.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
from pathlib import Path
from typing import Any

from measure import Measurement, private_env, run
from pypdf import PdfReader

from sitegen.output.folder import teacher_folder

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "benchmarks" / "out" / "pdfs"


def _pdfs(out: Path) -> list[Path]:
    return sorted([*out.rglob("*.pdf"), *teacher_folder(out).rglob("*.pdf")])


def time_pdfs(content: Path, runs: int) -> dict[str, Any]:
    """Median wall and CPU seconds of clean builds of ``content`` with and without PDFs,
    the PDFs and their pages counted, and the difference per PDF page and per handout."""
    out, cache = OUT / "site", OUT / "cache"
    env = private_env(cache)
    # Without first: the last build of all made the PDFs counted below.
    timings: dict[str, list[Measurement]] = {"without": [], "with": []}
    for _ in range(runs):
        for kind in timings:
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(teacher_folder(out), ignore_errors=True)
            shutil.rmtree(cache, ignore_errors=True)
            command = [sys.executable, "-m", "sitegen", "build", "--content", str(content),
                       "--out", str(out), *(["--no-pdf"] if kind == "without" else [])]
            m = run(command, env=env)
            if m.returncode != 0:
                raise SystemExit(f"build {kind} PDFs failed: {m.stderr[-2000:]}")
            timings[kind].append(m)
    pdfs = _pdfs(out)
    pages = sum(len(PdfReader(p).pages) for p in pdfs)
    wall = {k: statistics.median(m.seconds for m in v) for k, v in timings.items()}
    cpu = {k: statistics.median(m.cpu_seconds for m in v) for k, v in timings.items()}
    extra = wall["with"] - wall["without"]
    extra_cpu = cpu["with"] - cpu["without"]
    return {
        "content": str(content), "runs": runs, "pdfs": len(pdfs), "pdf_pages": pages,
        "seconds": {k: [m.seconds for m in v] for k, v in timings.items()},
        "cpu_seconds": {k: [m.cpu_seconds for m in v] for k, v in timings.items()},
        "median": wall, "cpu_median": cpu,
        "per_page": extra / pages if pages else None,
        "per_pdf": extra / len(pdfs) if pdfs else None,
        "cpu_per_page": extra_cpu / pages if pages else None,
    }


def table(pdfs: dict[str, Any]) -> str:
    """The result as a Markdown table."""
    wall, cpu = pdfs["median"], pdfs["cpu_median"]
    per_page = pdfs["per_page"]
    per_pdf = pdfs["per_pdf"]
    if per_page is None or per_pdf is None:
        return "no PDF was made\n"
    return (
        "| build | median s | CPU s | runs |\n| --- | ---: | ---: | ---: |\n"
        f"| with PDFs ({pdfs['pdfs']} PDFs, {pdfs['pdf_pages']} pages) | {wall['with']:.3f} | "
        f"{cpu['with']:.3f} | {pdfs['runs']} |\n"
        f"| without (`--no-pdf`) | {wall['without']:.3f} | {cpu['without']:.3f} | "
        f"{pdfs['runs']} |\n\n"
        f"PDF time (wall, with minus without): {per_page * 1000:.0f} ms per PDF page, "
        f"{per_pdf:.2f} s per handout.{_cpu(pdfs)}\n")


def _cpu(pdfs: dict[str, Any]) -> str:
    """The CPU time per page, when measured (a result saved before it was has none)."""
    cpu_per_page = pdfs.get("cpu_per_page")
    return "" if cpu_per_page is None else f" CPU: {cpu_per_page * 1000:.0f} ms per PDF page."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--content", type=Path, default=REPO / "content")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    print(table(time_pdfs(args.content.resolve(), args.runs)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
