"""The build cache is never trusted blindly: after any kind of change, an incremental build
gives exactly the tree a clean build gives, and a broken cache is detected and rebuilt."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

import htmltree
import pytest
from conftest import FIXTURES
from conftest import site_bytes as _tree

from sitegen import fs
from sitegen.build import builder as build_module
from sitegen.build import cache
from sitegen.build.builder import Builder
from sitegen.output.seal import SECRET_NAME
from sitegen.theme import templates


@pytest.fixture
def theme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the templates and static files, so tests may edit them."""
    root = tmp_path / "theme"
    shutil.copytree(templates.TEMPLATES, root / "templates")
    shutil.copytree(templates.STATIC, root / "static")
    monkeypatch.setattr(templates, "TEMPLATES", root / "templates")
    monkeypatch.setattr(templates, "STATIC", root / "static")
    monkeypatch.setattr(templates, "_ENV", None)
    return root


@pytest.fixture
def site(tmp_path: Path, theme: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", content)
    shutil.copytree(content / "articles/sample", content / "articles/other")
    return content


def _clean_build(content: Path, out: Path) -> dict[str, bytes]:
    templates._ENV = None
    Builder(content, out, pdf=False, jobs=1, use_cache=False).build()
    return _tree(out)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


def _edit_keeping_time(path: Path, old: str, new: str) -> None:
    """A same-size edit that restores the file's old times, as ``cp -p``, ``rsync -t`` or
    a restored backup leave it."""
    assert len(old.encode()) == len(new.encode())
    before = path.stat()
    _edit(path, old, new)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size


CHANGES: dict[str, Callable[[Path, Path, pytest.MonkeyPatch], None]] = {
    "article text": lambda c, t, m: _edit(c / "articles/other/article.md", "in March",
                                          "in April"),
    "annotation": lambda c, t, m: _edit(c / "articles/other/annotations.yaml",
                                        "Who are the critics?", "Who criticised it?"),
    "site.yaml": lambda c, t, m: _edit(c / "site.yaml", "Mini explainers", "Tiny explainers"),
    "template": lambda c, t, m: _edit(t / "templates/article.html", "</article>",
                                      "<p>edited</p></article>"),
    "static file": lambda c, t, m: _edit(t / "static/sitegen.css", ":root {",
                                         "/* edited */\n:root {"),
    "sitegen version": lambda c, t, m: (m.setattr(build_module, "__version__", "9.9"),
                                        m.setattr(cache, "__version__", "9.9"))[0],
    "deleted article": lambda c, t, m: shutil.rmtree(c / "articles/other"),
    "renamed article": lambda c, t, m: (c / "articles/other").rename(c / "articles/renamed"),
    "translation": lambda c, t, m: _edit(c / "articles/other/translation.fr.md", "en mars",
                                         "en avril"),
    "card": lambda c, t, m: _edit(c / "articles/other/article.md", "A short story",
                                  "A new story"),
    "card template": lambda c, t, m: _edit(t / "templates/_card.html", "card-meta",
                                           "card-meta edited"),
    "same-size edit, old time": lambda c, t, m: _edit_keeping_time(
        c / "articles/other/article.md", "in March", "in Marsh"),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_incremental_build_equals_clean_build(change: str, site: Path, theme: Path,
                                              tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    Builder(site, out, pdf=False, jobs=1).build()
    before = _tree(out)
    CHANGES[change](site, theme, monkeypatch)
    templates._ENV = None
    result = Builder(site, out, pdf=False, jobs=1).build()  # a new process: the disk cache
    incremental = _tree(out)
    assert incremental == _clean_build(site, tmp_path / "clean")
    if change == "sitegen version":  # changes no byte of output, but every article is redone
        assert sorted(result.rendered) == ["other", "sample"]
    else:
        assert incremental != before
    if change in ("article text", "annotation", "translation", "card",
                  "same-size edit, old time"):
        assert result.rendered == ["other"]  # the other article came from the cache
    if change == "card":  # the index shows the new summary; its other card is reused
        index = htmltree.parse((out / "index.html").read_text("utf-8"))
        cards = [c.text() for c in index.find_all("li", "card")]
        assert ["A new story" in c for c in cards] == [True, False]


def test_unchanged_rebuild_renders_nothing_and_writes_nothing(site: Path,
                                                              tmp_path: Path) -> None:
    out = tmp_path / "out"
    Builder(site, out, pdf=False, jobs=1).build()
    result = Builder(site, out, pdf=False, jobs=1).build()
    assert result.rendered == []
    assert result.stats.written == 0 and result.stats.removed == 0


def test_touching_a_file_without_changing_it_renders_nothing(site: Path,
                                                             tmp_path: Path) -> None:
    out = tmp_path / "out"
    Builder(site, out, pdf=False, jobs=1).build()
    md = site / "articles/other/article.md"
    md.write_bytes(md.read_bytes())
    assert Builder(site, out, pdf=False, jobs=1).build().rendered == []


def test_an_output_file_removed_by_hand_is_made_again(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    Builder(site, out, pdf=False, jobs=1).build()
    (out / "other/index.html").unlink()
    result = Builder(site, out, pdf=False, jobs=1).build()
    assert result.rendered == ["other"]
    assert _tree(out) == _clean_build(site, tmp_path / "clean")


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().split(b"\n")


def _tamper_entry(line: bytes) -> bytes:
    """An article's entry with its card, shown on the index as it is, forged."""
    entry = json.loads(line)
    entry[4] = dict.fromkeys(entry[4], "<script>forged</script>")  # the site's: none
    return json.dumps(entry).encode()


@pytest.mark.parametrize(
    "damage",
    ["truncated", "corrupt", "foreign", "wrong digests", "empty", "tampered", "resealed",
     "other secret"],
)
def test_a_broken_cache_is_detected_and_rebuilt(damage: str, site: Path,
                                                tmp_path: Path) -> None:
    out = tmp_path / "out"
    Builder(site, out, pdf=False, jobs=1).build()
    path = cache.default_path(out)
    data = path.read_bytes()
    header, seal, *entries = _lines(path)
    forged = b"\n".join(_tamper_entry(line) for line in entries)
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "corrupt":
        path.write_bytes(b"\x00\xff" + data[10:])
    elif damage == "foreign":
        path.write_text(json.dumps({"format": "something-else", "entries": {}}), "utf-8")
    elif damage == "wrong digests":
        path.write_bytes(data.replace(b'"sample/index.html":["', b'"sample/index.html":["0'))
    elif damage == "tampered":
        path.write_bytes(b"\n".join([header, seal, forged]))
    elif damage == "resealed":  # a seal computed without the secret
        guess = hashlib.sha256(header + b"\n" + forged).hexdigest().encode()
        path.write_bytes(b"\n".join([header, guess, forged]))
    elif damage == "other secret":
        (path.parent / SECRET_NAME).unlink()  # the file was sealed with another one
    else:
        path.write_text("", "utf-8")
    _edit(site / "articles/other/article.md", "in March", "in May")
    result = Builder(site, out, pdf=False, jobs=1).build()
    assert sorted(result.rendered) == ["other", "sample"]
    assert _tree(out) == _clean_build(site, tmp_path / "clean")
    assert b"forged" not in b"".join(_tree(out).values())
    assert json.loads(_lines(path)[0])[0] == cache.FORMAT


def test_an_unchanged_rebuild_leaves_the_cache_file_alone(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    Builder(site, out, pdf=False, jobs=1).build()
    path = cache.default_path(out)
    before = path.stat()
    assert Builder(site, out, pdf=False, jobs=1).build().rendered == []
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_site_yaml_warnings_are_reported_by_builds_that_do_not_read_it(
        site: Path, tmp_path: Path) -> None:
    _edit(site / "site.yaml", '{en: "Mini explainers", fr: "Mini explications"}',
          '{en: "Mini explainers"}')
    out = tmp_path / "out"
    first = Builder(site, out, pdf=False, jobs=1).build()
    again = Builder(site, out, pdf=False, jobs=1).build()  # a new process: the disk cache
    assert again.rendered == []
    for result in (first, again):
        assert [w.message for w in result.warnings] == ["'title' has no 'fr' translation"]


def test_a_no_op_build_looks_at_each_output_file_once(site: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Found in place by its stat, a file is recorded with that stat, not looked at again;
    a file found by its hash (touched, same bytes) is recorded with its new stat, so the
    build after that does not hash it again."""
    out = tmp_path / "out"
    Builder(site, out, pdf=False, jobs=1).build()
    files = sorted(_tree(out))
    (out / files[0]).touch()
    looked: list[str] = []
    hashed: list[str] = []
    real_lstat, real_hash = os.lstat, fs.hash_file
    monkeypatch.setattr(os, "lstat", lambda p, **kw: (looked.append(os.fspath(p)),
                                                      real_lstat(p, **kw))[1])
    monkeypatch.setattr(fs, "hash_file", lambda p, **kw: (hashed.append(p),
                                                          real_hash(p, **kw))[1])
    for expected in ([str(out / files[0])], []):
        looked.clear()
        hashed.clear()
        assert Builder(site, out, pdf=False, jobs=1).build().rendered == []
        assert hashed == expected
        paths = {f"{out}/{rel}" for rel in files}
        assert sorted(p for p in looked if p in paths) == sorted(paths)


def test_the_cache_folder_is_private(site: Path, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    out = tmp_path / "out"
    Builder(site, out, pdf=False, jobs=1).build()
    folder = cache.cache_folder()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / SECRET_NAME).stat().st_mode) == 0o600
    assert cache.default_path(out).parent == folder
    assert not list(folder.glob("templates")) and not list(folder.rglob("*.cache"))


def _foreign_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, uid: int,
                    mode: int) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    folder = cache.cache_folder()
    folder.mkdir(parents=True)
    folder.chmod(mode)
    os.chown(folder, uid, -1)
    return folder


POSIX_OWNERS = pytest.mark.skipif(not hasattr(os, "geteuid"),
                                  reason="this platform has no POSIX file owners")


@POSIX_OWNERS
@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="giving a folder to another user needs root")
def test_a_cache_folder_owned_by_another_user_is_not_used(site: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    folder = _foreign_folder(tmp_path, monkeypatch, uid=os.geteuid() + 4242, mode=0o777)
    out = tmp_path / "out"
    first = Builder(site, out, pdf=False, jobs=1).build()
    assert list(folder.iterdir()) == []  # nothing read, nothing written there
    assert any("belongs to another user" in w.message for w in first.warnings)
    again = Builder(site, out, pdf=False, jobs=1).build()
    assert sorted(again.rendered) == ["other", "sample"]
    assert _tree(out) == _clean_build(site, tmp_path / "clean")


@POSIX_OWNERS
def test_a_cache_folder_others_may_write_is_not_used(site: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _foreign_folder(tmp_path, monkeypatch, uid=os.geteuid(), mode=0o777)
    out = tmp_path / "out"
    result = Builder(site, out, pdf=False, jobs=1).build()
    assert list(folder.iterdir()) == []
    assert any("may be written by others" in w.message for w in result.warnings)


@pytest.mark.parametrize("start_method", ["fork", "forkserver"])  # build's, and serve's
def test_parallel_build_equals_serial_build(tmp_path: Path, theme: Path,
                                            start_method: str) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", content)
    for i in range(build_module.POOL_THRESHOLD + 2):
        shutil.copytree(FIXTURES / "mini/articles/sample", content / f"articles/copy-{i}")
    parallel = Builder(content, tmp_path / "a", pdf=False, jobs=2, use_cache=False,
                       start_method=start_method).build()
    assert len(parallel.rendered) == build_module.POOL_THRESHOLD + 3
    Builder(content, tmp_path / "b", pdf=False, jobs=1, use_cache=False).build()
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")


def test_errors_in_a_worker_are_all_reported_and_nothing_is_written(tmp_path: Path,
                                                                     theme: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", content)
    for i in range(build_module.POOL_THRESHOLD + 2):
        shutil.copytree(FIXTURES / "mini/articles/sample", content / f"articles/copy-{i}")
    out = tmp_path / "out"
    Builder(content, out, pdf=False, jobs=2).build()
    before = _tree(out)
    for i in (1, 5):
        _edit(content / f"articles/copy-{i}/annotations.yaml", 'quote: {en: "Critics"',
              'quote: {en: "Critters"')
    (content / "articles/copy-3/article.md").write_text("no front matter", "utf-8")
    from sitegen.errors import ContentErrors
    with pytest.raises(ContentErrors) as info:
        Builder(content, out, pdf=False, jobs=2).build()
    paths = sorted({e.location.path.split("/articles/")[1].split("/")[0]
                    for e in info.value.errors})
    assert paths == ["copy-1", "copy-3", "copy-5"]
    assert _tree(out) == before
    assert not [p for p in out.iterdir() if p.name.startswith(".sitegen-tmp-")]
