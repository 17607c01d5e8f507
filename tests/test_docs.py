"""What the README and docs/ promise a teacher: the make targets they name, and more below."""

from __future__ import annotations

import functools
import http.server
import re
import subprocess
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
import yaml
from conftest import FIXTURES, ROOT, run_main
from htmltree import parse


@pytest.mark.parametrize("target,command", [("site", "build"), ("serve", "serve")])
def test_make_takes_another_content_folder(target: str, command: str) -> None:
    def dry_run(*extra: str) -> str:
        done = subprocess.run(["make", "-n", target, *extra], cwd=ROOT, capture_output=True,
                              text=True, timeout=60, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert f".venv/bin/sitegen {command} --content my-class" in dry_run("CONTENT=my-class")
    assert f".venv/bin/sitegen {command} --content content" in dry_run()
    readme = (ROOT / "README.md").read_text("utf-8")
    assert f"make {target} CONTENT=my-class" in readme


# --------------------------------------------------------------------------- publishing


def test_the_github_pages_example_builds_with_make_site_and_deploys() -> None:
    workflow = yaml.safe_load((ROOT / "docs/examples/github-pages.yml").read_text("utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "push" in triggers and "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build = workflow["jobs"]["build"]["steps"]
    runs = [step["run"] for step in build if "run" in step]
    assert any(run.startswith("make site") for run in runs), runs
    upload = next(s for s in build if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "_site"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages")
    guide = (ROOT / "docs/publishing.md").read_text("utf-8")
    assert "examples/github-pages.yml" in guide and ".github/workflows/" in guide


CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


def _references(page: Path, text: str) -> list[str]:
    """Every URL a built file refers to: href and src of HTML elements, url() in CSS."""
    if page.suffix == ".css":
        return CSS_URL.findall(text)
    return [url for el in parse(text).iter() for attr in ("href", "src", "srcset", "poster")
            if (url := el.attrs.get(attr)) is not None]


@pytest.fixture(scope="module")
def hosted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The mini site, PDFs included, built into a sub-folder of a web server's root, and
    that server on 127.0.0.1."""
    www = tmp_path_factory.mktemp("www")
    out = www / "school" / "media-literacy"
    done = run_main("build", "--content", FIXTURES / "mini", "--out", out)
    assert done.returncode == 0, done.stderr
    handler = functools.partial(_Quiet, directory=str(www))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield out, f"http://127.0.0.1:{server.server_address[1]}/school/media-literacy/"
    finally:
        server.shutdown()
        server.server_close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_a_site_in_a_sub_folder_has_every_reference_resolve(hosted: tuple[Path, str]) -> None:
    out, base = hosted
    files = sorted(p for p in out.rglob("*") if p.suffix in (".html", ".css"))
    assert len([p for p in files if p.suffix == ".html"]) >= 6
    checked: set[str] = set()
    for path in files:
        page_url = base + path.relative_to(out).as_posix()
        for ref in _references(path, path.read_text("utf-8")):
            scheme = urlsplit(ref).scheme
            if scheme in ("http", "https", "mailto"):
                continue  # a link a reader follows out of the site
            assert scheme in ("", "data"), (path, ref)
            if scheme == "data" or ref.startswith("#"):
                continue
            assert not ref.startswith("/"), f"{path}: root-absolute URL {ref}"
            target = urldefrag(urljoin(page_url, ref)).url
            assert target.startswith(base), f"{path}: {ref} leaves the site's folder"
            if target in checked:
                continue
            with urllib.request.urlopen(target, timeout=10) as response:
                assert response.status == 200, (path, ref)
            checked.add(target)
    assert any(t.endswith(".pdf") for t in checked) and any(t.endswith(".css") for t in checked)
