"""A build with nothing to do finds that out from the last build's snapshot: it reads
neither the ledger's manifest nor the build cache, writes nothing, and reports what the
full check would. A snapshot that does not hold is ignored."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES
from conftest import site_bytes as _tree

from sitegen.build import cache, snapshot
from sitegen.build.builder import Builder
from sitegen.errors import SiteWarning, SourceLocation
from sitegen.output import ledger
from sitegen.output.folder import teacher_folder
from sitegen.output.stage import MARKER


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """Two articles and two stray files, which the build warns about: one in an article's
    folder (the article's warning, kept in the cache), one in the articles folder."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", content)
    shutil.copytree(content / "articles/sample", content / "articles/other")
    (content / "articles/other/notes.txt").write_text("to do", "utf-8")
    (content / "articles/README.txt").write_text("one folder per article", "utf-8")
    return content


def _manifest(out: Path) -> Path:
    """Where the ledger keeps the manifest of ``out``."""
    ident = json.loads((out / MARKER).read_text("utf-8"))["id"]
    return Path(os.environ["XDG_STATE_HOME"]) / "sitegen" / "outputs" / f"{ident}.json"


def _stamps(*paths: Path) -> list[tuple[int, int]]:
    return [(p.stat().st_ino, p.stat().st_mtime_ns) for p in paths]


def _shown(warnings: list[SiteWarning]) -> list[tuple[str, SourceLocation, str | None]]:
    return [(w.message, w.location, w.hint) for w in warnings]


def _forbid(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("a no-op build read a record it did not need")

    monkeypatch.setattr(ledger, "load", refuse)
    monkeypatch.setattr(cache.Store, "load", refuse)


def test_a_no_op_build_reads_no_record_writes_nothing_and_reports_the_same(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    full = Builder(site, out, pdf=False, jobs=1).build()
    assert sorted(w.message for w in full.warnings) == [
        "not an article folder, ignored", "unknown file in an article folder, ignored"]
    tree = _tree(out)
    snap = snapshot._path(cache.Store(out))
    records = [snap, cache.default_path(out), _manifest(out)]
    before = _stamps(out, *records)
    listing = sorted(os.listdir(out))
    _forbid(monkeypatch)
    quick = Builder(site, out, pdf=False, jobs=1).build()
    assert quick.rendered == [] and quick.pages == full.pages
    assert (quick.stats.written, quick.stats.removed) == (0, 0)
    assert quick.teacher_pages == full.teacher_pages > 0
    teacher_tree = _tree(teacher_folder(out))
    assert quick.stats.unchanged == full.stats.written == len(tree) + len(teacher_tree)
    assert _shown(quick.warnings) == _shown(full.warnings)
    assert _stamps(out, *records) == before  # not even a staging folder came and went
    assert sorted(os.listdir(out)) == listing and _tree(out) == tree
    assert _tree(teacher_folder(out)) == teacher_tree


@pytest.mark.parametrize("change", ["content touched", "output touched", "output removed",
                                    "output replaced", "manifest", "pending commit",
                                    "new article folder", "teacher's file removed",
                                    "teacher's file touched"])
def test_any_difference_means_the_full_check(change: str, site: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    Builder(site, out, pdf=False, jobs=1).build()
    page = out / "other/index.html"
    if change == "content touched":  # same bytes: the full check finds nothing to render
        (site / "articles/other/article.md").touch()
    elif change == "output touched":
        page.touch()
    elif change == "output removed":
        page.unlink()
    elif change == "teacher's file removed":
        (teacher_folder(out) / "other/teacher.html").unlink()
    elif change == "teacher's file touched":
        (teacher_folder(out) / "other/teacher.html").touch()
    elif change == "output replaced":  # the same bytes and times in a new file
        st = page.stat()
        shutil.copy(page, tmp_path / "copy")
        os.replace(tmp_path / "copy", page)
        os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns))
    elif change == "manifest":  # rewritten by another sitegen run: same bytes, read again
        manifest = _manifest(out)
        data = json.loads(manifest.read_bytes())
        data["pdf_inputs"] = {"x.pdf": "0"}
        manifest.write_text(json.dumps(data), "utf-8")
    elif change == "pending commit":  # a build killed with nothing left to move
        ledger.save_journal(_manifest(out).stem, ledger.Journal("gone", [], {}, [], {}))
    else:
        shutil.copytree(site / "articles/other", site / "articles/third")
    loads: list[str] = []
    real = cache.Store.load
    monkeypatch.setattr(cache.Store, "load", lambda s, k: (loads.append(k), real(s, k))[1])
    result = Builder(site, out, pdf=False, jobs=1).build()
    assert loads, "the build trusted a snapshot that does not hold"
    assert result.rendered == (["third"] if change == "new article folder" else
                               ["other"] if "removed" in change else [])
    assert _tree(out) == _tree(_clean(site, tmp_path / "clean"))
    assert _tree(teacher_folder(out)) == _tree(teacher_folder(tmp_path / "clean"))
    _forbid(monkeypatch)  # and the build after it has a snapshot that holds
    assert Builder(site, out, pdf=False, jobs=1).build().rendered == []


def _clean(content: Path, out: Path) -> Path:
    Builder(content, out, pdf=False, jobs=1, use_cache=False).build()
    return out


@pytest.mark.parametrize("damage", ["forged", "sealed for another manifest", "truncated"])
def test_a_snapshot_that_does_not_hold_is_ignored(damage: str, site: Path,
                                                  tmp_path: Path) -> None:
    out = tmp_path / "out"
    full = Builder(site, out, pdf=False, jobs=1).build()
    path = snapshot._path(cache.Store(out))
    header, seal, body = path.read_bytes().split(b"\n", 2)
    claims = json.loads(body)
    claims["pages"] = 999
    forged = json.dumps(claims).encode()
    if damage == "forged":  # the seal is of the true body
        path.write_bytes(b"\n".join([header, seal, forged]))
    elif damage == "sealed for another manifest":
        found = json.loads(header)
        store = cache.Store(out)
        snapshot_header = json.dumps([*found[:4], "0" * 64]).encode()
        assert store.write_sealed(path, snapshot_header, forged)
    else:
        path.write_bytes(path.read_bytes()[:-10])
    again = Builder(site, out, pdf=False, jobs=1).build()
    assert again.pages == full.pages != 999
    assert _shown(again.warnings) == _shown(full.warnings)


@pytest.mark.parametrize("edit", [False, True])
def test_each_unchanged_article_folder_is_listed_once(edit: bool, site: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The quick check and the full check share one look at the article folders (an
    article that is rendered is read again, its folder listed by the loader)."""
    out = tmp_path / "out"
    Builder(site, out, pdf=False, jobs=1).build()
    if edit:
        md = site / "articles/other/article.md"
        md.write_text(md.read_text("utf-8").replace("in March", "in April"), "utf-8")
    listed: list[str] = []
    real = os.scandir

    def scandir(path: str | int | Path = ".") -> object:
        if not isinstance(path, int):
            listed.append(os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = Builder(site, out, pdf=False, jobs=1).build()
    assert result.rendered == (["other"] if edit else [])
    unchanged = ["sample"] if edit else ["other", "sample"]
    for name in unchanged:
        assert listed.count(os.fspath(site / "articles" / name)) == 1, name
