"""docs/publishing.md and its template repository: a repository of content only (site.yaml,
articles/ and a workflow) that builds the students' site and publishes nothing else; the
guide puts the class-only routes first, names the no-git steps and the copyright question."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import yaml
from conftest import ROOT, run_main

TEMPLATE = ROOT / "docs" / "examples" / "content-repository"
WORKFLOW = TEMPLATE / ".github" / "workflows" / "pages.yml"
GUIDE = ROOT / "docs" / "publishing.md"


def _steps() -> list[dict[str, Any]]:
    workflow = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "push" in triggers and "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["jobs"]["deploy"]["needs"] == "build"
    assert workflow["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages")
    return workflow["jobs"]["build"]["steps"]  # type: ignore[no-any-return]


def test_the_template_holds_content_only_and_the_walkthroughs_article() -> None:
    files = sorted(p.relative_to(TEMPLATE).as_posix() for p in TEMPLATE.rglob("*")
                   if p.is_file())
    assert files == [".github/workflows/pages.yml", "README.md",
                     "articles/town-bridge/annotations.yaml",
                     "articles/town-bridge/article.md", "site.yaml"]
    walkthrough = (ROOT / "docs" / "authoring.md").read_text("utf-8")
    for name in ("article.md", "annotations.yaml"):
        block = re.search(rf"```\w+ file=my-class/articles/town-bridge/{re.escape(name)}\n"
                          r"(.*?)```", walkthrough, re.S)
        assert block is not None
        assert (TEMPLATE / "articles/town-bridge" / name).read_text("utf-8") == block.group(1)


def test_the_workflow_fetches_sitegen_and_publishes_the_students_folder_only() -> None:
    steps = _steps()
    checkouts = [s for s in steps if s.get("uses", "").startswith("actions/checkout")]
    assert [c["with"]["path"] for c in checkouts] == ["content", "sitegen"]
    assert checkouts[1]["with"]["repository"] == "${{ env.SITEGEN_REPOSITORY }}"
    runs = [s["run"] for s in steps if "run" in s]
    # An editable install: the theme's templates and stylesheets stay beside the package.
    assert "python -m pip install -e ./sitegen" in runs
    assert "sitegen build --content content --out site" in runs
    upload = next(s for s in steps if s.get("uses", "").startswith(
        "actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "site"


def test_the_template_builds_as_the_workflow_builds_it(tmp_path: Path) -> None:
    shutil.copytree(TEMPLATE, tmp_path / "content")
    (build,) = [s["run"] for s in _steps() if s.get("run", "").startswith("sitegen build")]
    args = build.split()[1:]
    done = run_main(*[tmp_path / a if a in ("content", "site") else a for a in args],
                    "--no-pdf")
    assert done.returncode == 0, done.stderr
    site, teacher = tmp_path / "site", tmp_path / "site-teacher"
    assert (site / "index.html").is_file() and (site / "town-bridge" / "index.html").is_file()
    assert not list(site.rglob("teacher*")), "the published folder holds a teacher key"
    assert list(teacher.rglob("teacher.html"))


def _headings(text: str) -> list[str]:
    return re.findall(r"(?m)^##+ (.+)$", text)


def test_the_guide_puts_class_only_routes_first_and_names_the_no_git_steps() -> None:
    guide = GUIDE.read_text("utf-8")
    headings = _headings(guide)
    order = [next(i for i, h in enumerate(headings) if h.startswith(start))
             for start in ("A school platform", "A USB stick", "GitHub Pages", "Copyright")]
    assert order == sorted(order), headings
    assert "Publish `_site/`, never `_site-teacher/`" in guide
    no_git = guide.split("### Without git")[1].split("###")[0]
    for words in ("**+**", "**New repository**", "**Add file → Create new file**",
                  "`.github/workflows/pages.yml`", "**Add file → Upload files**",
                  "**Settings**", "**Pages**", "**GitHub Actions**", "**Run workflow"):
        assert words in no_git, words
    assert no_git.index("Upload files") < no_git.index("**GitHub Actions**")
    for link in re.findall(r"\]\(([^)#]+)\)", guide):
        if "://" not in link:
            assert (GUIDE.parent / link).exists(), link


def test_the_copyright_section_shows_the_rights_field() -> None:
    copyright_part = GUIDE.read_text("utf-8").split("## Copyright")[1]
    assert "class-only host" in copyright_part and "public host" in copyright_part
    example = re.search(r'```yaml\n(rights: .*)\n```', copyright_part)
    assert example is not None
    assert yaml.safe_load(example.group(1)) == {
        "rights": "© Le Monde 2025, reproduced for classroom use"}
