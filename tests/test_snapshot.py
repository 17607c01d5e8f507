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
from sitegen.output import ledger, stage
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
        ident = _manifest(out).stem
        found = ledger.load(ident)
        assert found is not None
        found.pdf_inputs = {"x.pdf": "0"}
        ledger.save(ident, found)
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


# ----------------------------------------------------------- article by article


@pytest.fixture
def three(site: Path) -> Path:
    """The site with a third article, so that one can change while two stay."""
    shutil.copytree(site / "articles/sample", site / "articles/third")
    return site


def _edit(content: Path, slug: str, old: str = "in March", new: str = "in April") -> None:
    md = content / "articles" / slug / "article.md"
    text = md.read_text("utf-8")
    assert old in text
    md.write_text(text.replace(old, new), "utf-8")


def _watch(monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[str]]:
    """The slugs whose cache entry a build parses, and the output paths it checks file by
    file (``is_in_place``)."""
    parsed: list[str] = []
    checked: list[str] = []
    real_parse, real_check = cache.Entry.from_json, stage.is_in_place

    def parse(raw: bytes, line: list[object]) -> tuple[str, cache.Entry]:
        parsed.append(str(line[0]))
        return real_parse(raw, line)

    def check(root: str, old: object, rel: str, *args: object) -> object:
        checked.append(f"{root}/{rel}")
        return real_check(root, old, rel, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(cache.Entry, "from_json", staticmethod(parse))
    monkeypatch.setattr(stage, "is_in_place", check)
    return parsed, checked


@pytest.mark.parametrize("card", [False, True])
def test_an_edit_parses_and_checks_only_the_article_that_changed(
        card: bool, three: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The other articles are trusted from the snapshot and the same look at the output
    files: their entries stay unread (but for their cards, when the index is made again
    because a card changed) and their files are not checked one by one."""
    out = tmp_path / "out"
    Builder(three, out, pdf=False, jobs=1).build()
    if card:
        _edit(three, "other", "A short story", "A new story")
    else:
        _edit(three, "other")
    parsed, checked = _watch(monkeypatch)
    result = Builder(three, out, pdf=False, jobs=1).build()
    assert result.rendered == ["other"]
    assert set(parsed) == ({"", "other", "sample", "third"} if card else {"", "other"})
    teacher = teacher_folder(out)
    for slug in ("sample", "third"):
        assert not [p for p in checked if p.startswith((f"{out}/{slug}/", f"{teacher}/{slug}/"))]
    monkeypatch.undo()
    assert _tree(out) == _tree(_clean(three, tmp_path / "clean"))
    assert _tree(teacher) == _tree(teacher_folder(tmp_path / "clean"))


CHANGES = {
    "two articles edited": (lambda c, o: _edit(c, "third"), ["other", "third"]),
    "an article removed": (lambda c, o: shutil.rmtree(c / "articles/third"), ["other"]),
    "an article added": (lambda c, o: shutil.copytree(c / "articles/sample",
                                                      c / "articles/fourth"),
                         ["fourth", "other"]),
    "an unchanged article's output touched": (lambda c, o: (o / "sample/index.html").touch(),
                                              ["other"]),
    "an unchanged article's output removed": (lambda c, o: (o / "sample/index.html").unlink(),
                                              ["other", "sample"]),
    "an unchanged article's output replaced": (lambda c, o: _replace(o / "sample/index.html"),
                                               ["other"]),
    "an unchanged article's output edited, same size and times": (
        lambda c, o: _scribble(o / "sample/index.html"), ["other", "sample"]),
    "a teacher's file of an unchanged article removed": (
        lambda c, o: (teacher_folder(o) / "third/teacher.html").unlink(), ["other", "third"]),
    "an unchanged article touched": (lambda c, o: (c / "articles/sample/article.md").touch(),
                                     ["other"]),
    "the index touched": (lambda c, o: (o / "index.html").touch(), ["other"]),
}


def _replace(page: Path) -> None:
    """The same bytes and times in a new file."""
    st = page.stat()
    shutil.copy(page, page.with_suffix(".copy"))
    os.replace(page.with_suffix(".copy"), page)
    os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns))


def _scribble(page: Path) -> None:
    """Other bytes of the same size, the old times put back (only the change time and
    the hash tell)."""
    st = page.stat()
    data = page.read_bytes()
    page.write_bytes(data[:-8] + b"scribble")
    os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns))


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_with_an_edit_every_other_difference_is_still_found(
        change: str, three: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    Builder(three, out, pdf=False, jobs=1).build()
    _edit(three, "other")
    make, rendered = CHANGES[change]
    make(three, out)
    result = Builder(three, out, pdf=False, jobs=1).build()
    assert sorted(result.rendered) == rendered
    assert _tree(out) == _tree(_clean(three, tmp_path / "clean"))
    assert _tree(teacher_folder(out)) == _tree(teacher_folder(tmp_path / "clean"))
    _forbid(monkeypatch)  # and the build after it has a snapshot that holds
    assert Builder(three, out, pdf=False, jobs=1).build().rendered == []


def test_an_entry_that_does_not_parse_is_no_entry(three: Path, tmp_path: Path) -> None:
    """A line of the state file is parsed only when its article is looked at: one that
    does not parse, even under a seal that holds, counts as no entry, and only that
    article is made again."""
    out = tmp_path / "out"
    Builder(three, out, pdf=False, jobs=1).build()
    store = cache.Store(out)
    path = cache.default_path(out)
    header, _, body = path.read_bytes().split(b"\n", 2)
    lines = [b'["sample",' if line.startswith(b'["sample",') else line
             for line in body.split(b"\n")]
    assert store.write_sealed(path, header, b"\n".join(lines))
    (out / "sample/index.html").touch()  # so that its entry is looked at
    _edit(three, "other")
    result = Builder(three, out, pdf=False, jobs=1).build()
    assert sorted(result.rendered) == ["other", "sample"]
    assert _tree(out) == _tree(_clean(three, tmp_path / "clean"))


def test_an_article_is_trusted_only_as_its_snapshot_part_says(three: Path,
                                                              tmp_path: Path) -> None:
    """A part that does not match what the look finds (here, sealed with the secret but
    naming other stamps) is checked in full, file by file."""
    out = tmp_path / "out"
    Builder(three, out, pdf=False, jobs=1).build()
    store = cache.Store(out)
    path = snapshot._groups_path(store)
    header, _, body = path.read_bytes().split(b"\n", 2)
    rows = json.loads(body)
    for row in rows:
        if row[0] == "sample":
            row[2] = "0" * 64
    assert store.write_sealed(path, header, json.dumps(rows).encode())
    _scribble(out / "sample/index.html")  # found only by its hash
    _edit(three, "other")
    result = Builder(three, out, pdf=False, jobs=1).build()
    assert sorted(result.rendered) == ["other", "sample"]
    assert _tree(out) == _tree(_clean(three, tmp_path / "clean"))


@pytest.mark.parametrize("damage", ["missing", "truncated", "of another build"])
def test_parts_that_do_not_hold_trust_no_article(damage: str, three: Path,
                                                 tmp_path: Path) -> None:
    """The file of the articles' parts is used only whole, sealed, and with the snapshot
    of the build that wrote it; else every article is checked in full."""
    out = tmp_path / "out"
    Builder(three, out, pdf=False, jobs=1).build()
    path = snapshot._groups_path(cache.Store(out))
    if damage == "missing":
        path.unlink()
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:-10])
    else:  # the parts of the build before, beside this build's snapshot
        kept = path.read_bytes()
        _edit(three, "third")
        Builder(three, out, pdf=False, jobs=1).build()
        path.write_bytes(kept)
    (out / "sample/index.html").touch()  # same bytes: found in place by its hash
    _edit(three, "other")
    loads: list[str] = []
    real = stage.is_in_place
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(stage, "is_in_place",
                      lambda root, old, rel, *a: (loads.append(rel), real(root, old, rel, *a))[1])
        result = Builder(three, out, pdf=False, jobs=1).build()
    assert result.rendered == ["other"]
    assert "third/index.html" in loads  # checked file by file, not trusted
    assert _tree(out) == _tree(_clean(three, tmp_path / "clean"))
