"""Preview-server benchmark: time from saving one article to its rebuilt page.

For the seed site (a copy of content/) and a synthetic site of 1,000 articles
(`synth.write_site`): how long `sitegen serve` takes to start against a clean
`sitegen build --no-pdf` of the same site (a new process, no cache; timed just before), then
two measures, each the median of several edits to different articles:

- build: one `Builder` made as `sitegen serve` makes it, kept across edits; time of
  `Builder.build()` after the save, i.e. the incremental rebuild alone;
- served: the real `sitegen serve --port 0` in a subprocess; time from the save until the
  server reports the rebuild and an HTTP GET of the page returns the new text (file
  watching, debounce, rebuild and serving), as an open page reloads when told to.

Not a test: run it by hand, `.venv/bin/python benchmarks/serve_bench.py`, and copy the table
it prints into docs/performance.md ("Preview server").
"""

from __future__ import annotations

import argparse
import functools
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from measure import private_env, run
from synth import write_site

from sitegen.build.builder import Builder

ROOT = Path(__file__).resolve().parent.parent
MARK = re.compile(r" Benchmark edit \d+\.\Z")


def save_edit(article_md: Path, n: int) -> str:
    """Add (or replace) a sentence naming edit ``n`` at the end of the article's last
    paragraph, so no paragraph is added; returns the text to look for."""
    text = MARK.sub("", article_md.read_text(encoding="utf-8").rstrip("\n"))
    marker = f"Benchmark edit {n}."
    article_md.write_text(f"{text} {marker}\n", encoding="utf-8")
    return marker


def pick_articles(content: Path, count: int) -> list[Path]:
    """``count`` article files spread over the site (the same one again on a small site)."""
    folders = sorted(p for p in (content / "articles").iterdir() if p.is_dir())
    step = max(1, len(folders) // count)
    return [folders[(i * step) % len(folders)] / "article.md" for i in range(count)]


def clean_build(content: Path) -> float:
    """Wall time of `sitegen build --no-pdf` in a new process, with no cache or output."""
    work = Path(tempfile.mkdtemp(prefix="sitegen-bench-clean-"))
    try:
        env = private_env(work)
        done = run([sys.executable, "-m", "sitegen", "build", "--no-pdf", "--content",
                    str(content), "--out", str(work / "site")], env=env, sample=False)
        if done.returncode != 0:
            raise SystemExit(f"sitegen build failed: {done.stderr[-2000:]}")
        return done.seconds
    finally:
        shutil.rmtree(work, ignore_errors=True)


def bench_builder(content: Path, edits: int) -> list[float]:
    """The time of each rebuild after one article's save."""
    out = Path(tempfile.mkdtemp(prefix="sitegen-bench-out-")) / "site"
    try:
        builder = Builder(content, out, pdf=False, use_cache=False,  # as serve makes it
                          start_method="forkserver")
        builder.build()
        times = []
        articles = pick_articles(content, edits)
        for n in range(edits * 3):
            if len(times) == edits:
                break
            article = articles[len(times)]
            save_edit(article, n)
            start = time.perf_counter()
            result = builder.build()
            if result.rendered == [article.parent.name]:
                times.append(time.perf_counter() - start)
            # else a template changed meanwhile (someone editing the theme): measure again
        return times
    finally:
        shutil.rmtree(out.parent, ignore_errors=True)


def _wait(check: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError("gave up waiting")
        time.sleep(0.005)  # leave the server's build thread the CPU (and the GIL)


def _reported(lines: list[str], before: int) -> bool:
    """Whether the server has reported a rebuild since line ``before`` of its output."""
    return any(line.startswith("Rebuilt in") for line in lines[before:])


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        body: bytes = response.read()
        return body.decode("utf-8")


def bench_server(content: Path, edits: int) -> tuple[float, list[float]]:
    """Time to the URL being printed, and save→served-page time for each edit."""
    lines: list[str] = []
    log = content.parent / "serve-stderr.txt"
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "serve", "--content", str(content), "--port", "0"],
        cwd=content.parent,
        stdout=subprocess.PIPE,
        stderr=log.open("w"),
        text=True,
    )
    assert proc.stdout is not None
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout or []), daemon=True)
    reader.start()
    try:
        _wait(lambda: any("Serving " in x for x in lines) or proc.poll() is not None, 900)
        ready = time.perf_counter() - start
        url = re.search(r"http://127\.0\.0\.1:\d+/", "".join(lines))
        assert url, lines
        times = []
        articles = pick_articles(content, edits)
        for n in range(edits * 3):
            if len(times) == edits:
                break
            article = articles[len(times)]
            page = f"{url.group(0)}{article.parent.name}/"
            time.sleep(0.5)  # let the watcher settle, as between an author's saves
            before = len(lines)
            saved = time.perf_counter()
            marker = save_edit(article, 1000 + n)
            try:
                # As an open page does: wait for the server's word that it rebuilt (the
                # reload it sends its pages follows it), then fetch the page once. Polling
                # the page instead would have the server answer hundreds of requests while
                # it builds, slowing the build it measures.
                _wait(functools.partial(_reported, lines, before), 30)
                _wait(lambda: marker in _get(page), 30)  # noqa: B023 (used at once)
            except TimeoutError:
                raise TimeoutError(
                    f"{page} never showed {marker!r}\nstdout:\n"
                    + "".join(lines)
                    + "stderr:\n"
                    + log.read_text()
                ) from None
            took = time.perf_counter() - saved
            time.sleep(0.2)  # for the server's report of that rebuild
            rebuilt = [x for x in lines[before:] if x.startswith("Rebuilt in")]
            if all(f": {article.parent.name} (" in x for x in rebuilt):
                times.append(took)
            # else a template changed meanwhile and everything was rebuilt: measure again
        return ready, times
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        reader.join(timeout=5)
        proc.stdout.close()


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=7, help="edits per site (median)")
    parser.add_argument("-n", type=int, default=1000, help="articles in the synthetic site")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="sitegen-serve-bench-"))
    rows = []
    try:
        seed = work / "seed" / "content"
        shutil.copytree(ROOT / "content", seed)
        synthetic = work / "synthetic" / "content"
        write_site(synthetic, args.n, seed=0)
        for name, content in (
            ("seed site (1 article, 2 editions)", seed),
            (f"synthetic, {args.n} articles", synthetic),
        ):
            print(f"{name}: clean build…", file=sys.stderr, flush=True)
            clean = clean_build(content)
            print(f"{name}: server…", file=sys.stderr, flush=True)
            ready, served = bench_server(content, args.edits)
            print(f"{name}: builder…", file=sys.stderr, flush=True)
            builds = bench_builder(content, args.edits)
            rows.append((name, clean, ready, builds, served))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"Python {platform.python_version()}, {platform.machine()}, "
        f"{args.edits} edits per site, each to a different article where there are several.\n"
    )
    print(
        "| site | clean `sitegen build` | serve ready (ratio) | rebuild after a save "
        "(median, max) | save → page served (median, max) |"
    )
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, clean, ready, builds, served in rows:
        print(
            f"| {name} | {clean:.2f} s | {ready:.2f} s ({ready / clean:.2f}) "
            f"| {_ms(statistics.median(builds))}, {_ms(max(builds))} "
            f"| {_ms(statistics.median(served))}, {_ms(max(served))} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
