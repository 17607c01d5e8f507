"""Follow docs/authoring.md as a teacher would, in a folder of its own: write each file it
shows (a code block whose info string says ``file=PATH``), run each command of its ``sh``
blocks (``sitegen`` being this Python's), and start ``sitegen serve`` for as long as a
callback looks at it. tests/test_walkthrough.py runs it; with ``--screenshots`` it also
takes the pictures the walkthrough shows, with Chromium, from that very build:

    .venv/bin/python scripts/walkthrough.py --screenshots docs/images
"""

from __future__ import annotations

import argparse
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "authoring.md"
FENCE = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```$", re.M | re.S)
URL = re.compile(r"http://127\.0\.0\.1:\d+/")
CHROMIUM = "/usr/bin/chromium"


@dataclass(frozen=True)
class Step:
    kind: str
    """``file`` (write ``text`` to ``path``) or ``run`` (the command line ``text``)."""
    text: str
    path: str = ""


def steps(doc: str) -> list[Step]:
    """The walkthrough's files and commands, in order."""
    found: list[Step] = []
    for m in FENCE.finditer(doc):
        lang, info, body = m.group(1), m.group(2), m.group(3)
        target = re.search(r"\bfile=(\S+)", info)
        if target:
            found.append(Step("file", body, target.group(1)))
        elif lang == "sh":
            found += [Step("run", line) for line in body.splitlines()
                      if line.strip() and not line.lstrip().startswith("#")]
    return found


def command(line: str) -> list[str]:
    argv = shlex.split(line, comments=True)
    if not argv or argv[0] != "sitegen":
        raise ValueError(f"the walkthrough may only run sitegen, not: {line}")
    return [sys.executable, "-m", "sitegen", *argv[1:]]


@dataclass
class Outcome:
    ran: list[tuple[str, subprocess.CompletedProcess[str]]] = field(default_factory=list)
    replaced: dict[str, str] = field(default_factory=dict)
    """Files the walkthrough rewrote (the teacher edits them), with what was there before."""


def run(folder: Path, on_serve: Callable[[str], None]) -> Outcome:
    """Carry out every step in ``folder``; ``on_serve(url)`` while the preview runs."""
    outcome = Outcome()
    for step in steps(DOC.read_text("utf-8")):
        if step.kind == "file":
            path = folder / step.path
            if path.exists():
                outcome.replaced[step.path] = path.read_text("utf-8")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(step.text, "utf-8")
        elif shlex.split(step.text)[:2] == ["sitegen", "serve"]:
            _serve(folder, [*command(step.text), "--port", "0"], on_serve)
        else:
            done = subprocess.run(command(step.text), cwd=folder, capture_output=True,
                                  text=True, timeout=600, check=False)
            outcome.ran.append((step.text, done))
    return outcome


def _serve(folder: Path, argv: list[str], on_serve: Callable[[str], None]) -> None:
    proc = subprocess.Popen(argv, cwd=folder, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 120
        for line in proc.stdout:
            found = URL.search(line)
            if found:
                on_serve(found.group(0))
                return
            if time.monotonic() > deadline:
                break
        raise RuntimeError("sitegen serve printed no URL")
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


# ------------------------------------------------------------------------ the screenshots


def _select(page: Any, words: str, nth: int) -> None:
    """Select the ``nth`` occurrence of ``words`` in the article with the mouse."""
    box = page.evaluate("""([words, nth]) => {
        const nodes = [];
        document.querySelectorAll('.original').forEach(el => {
          const w = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
          for (let n = w.nextNode(); n; n = w.nextNode()) nodes.push(n);
        });
        const node = nodes.filter(n => n.data.includes(words))[nth];
        node.parentElement.scrollIntoView({block: 'center'});
        const r = document.createRange(), at = node.data.indexOf(words);
        r.setStart(node, at); r.setEnd(node, at + words.length);
        const b = r.getBoundingClientRect();
        return {x: b.left, y: b.top + b.height / 2, w: b.width};
    }""", [words, nth])
    page.mouse.move(box["x"] + 1, box["y"])
    page.mouse.down()
    page.mouse.move(box["x"] + box["w"] - 1, box["y"], steps=5)
    page.mouse.up()


def screenshots(images: Path) -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="sitegen-walkthrough-") as tmp, \
            sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1100, "height": 760})

        def panel(url: str) -> None:
            page.goto(url + "town-bridge/")
            _select(page, "the mayor", 1)
            page.wait_for_function("() => (document.querySelector('.sitegen-annotate-yaml')"
                                   " || {}).textContent")
            page.screenshot(path=str(images / "authoring-panel.png"))

        outcome = run(Path(tmp), panel)
        failed = [(line, d.stderr) for line, d in outcome.ran if d.returncode != 0]
        if failed:
            raise SystemExit(f"walkthrough failed: {failed}")
        site = Path(tmp) / "my-site" / "town-bridge"
        page.set_viewport_size({"width": 1100, "height": 1500})
        page.goto((site / "index.html").as_uri())
        page.screenshot(path=str(images / "authoring-page.png"))
        page.set_viewport_size({"width": 1100, "height": 760})
        page.emulate_media(media="print")
        page.goto((site / "handout.html").as_uri())
        page.screenshot(path=str(images / "authoring-handout.png"), full_page=False)
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screenshots", type=Path, required=True,
                        help="folder for the pictures (docs/images)")
    args = parser.parse_args()
    args.screenshots.mkdir(parents=True, exist_ok=True)
    screenshots(args.screenshots)


if __name__ == "__main__":
    main()
