"""sitegen where POSIX's extras are missing, as on Windows: no ``fcntl``, ``pwd``, ``grp`` or
``resource``, no user ids, no ``O_NOFOLLOW``/``O_DIRECTORY``, no ``dir_fd=``, no FIFOs, and
``spawn`` as the only way to start a process. Every command still works, in this very
process, and says on stderr which guarantee is weaker for it."""

from __future__ import annotations

import errno
import importlib
import multiprocessing
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest
from conftest import FIXTURES, site_bytes

from sitegen import fs
from sitegen.build import builder

POSIX_ONLY_MODULES = ("fcntl", "pwd", "grp", "resource")
POSIX_ONLY_NAMES = ("getuid", "geteuid", "O_NOFOLLOW", "O_DIRECTORY", "mkfifo")
SPAWNED: list[str | None] = []
"""Each start of worker processes (by ``multiprocessing.get_context``)."""
WEAKER = {
    "lock": "sitegen: warning: this platform has no file locks",
    "dir_fd": "sitegen: warning: this platform cannot hold folders open (no dir_fd)",
    "owners": "sitegen: warning: this platform has no POSIX file owners",
}


def _many_articles(tmp_path: Path) -> Path:
    """The mini site with enough articles that a clean build starts worker processes."""
    content = tmp_path / "many"
    shutil.copytree(FIXTURES / "mini", content)
    for i in range(builder.POOL_THRESHOLD + 1):
        shutil.copytree(FIXTURES / "mini/articles/sample", content / f"articles/copy-{i}")
    return content


@pytest.fixture
def reference(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """The many-article site, and its build made with everything POSIX offers."""
    many = _many_articles(tmp_path)
    builder.Builder(many, tmp_path / "reference", pdf=False, jobs=1, use_cache=False).build()
    return many, site_bytes(tmp_path / "reference")


@pytest.fixture
def without_posix(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                  capsys: pytest.CaptureFixture[str]
                  ) -> Iterator[Callable[[list[str]], tuple[int, str]]]:
    """A run of ``sitegen.cli.main`` (exit code, stderr) in this process, with sitegen
    imported again from scratch while the POSIX-only modules cannot be imported, so that no
    module keeps a reference to one it imported before. Afterwards the modules imported
    meanwhile are dropped (monkeypatch then puts the others back): no later test meets
    a second ``UsageError`` class."""
    for name in POSIX_ONLY_MODULES:
        monkeypatch.setitem(sys.modules, name, None)  # None: an import raises ImportError
    for name in _sitegen_modules():
        monkeypatch.delitem(sys.modules, name)  # the old modules come back afterwards
    for name in POSIX_ONLY_NAMES:
        monkeypatch.delattr(os, name)
    monkeypatch.setattr(os, "supports_dir_fd", set())
    real_context = multiprocessing.get_context

    def only_spawn(method: str | None = None) -> multiprocessing.context.BaseContext:
        if method not in (None, "spawn"):
            raise ValueError(f"cannot find context for {method!r}")
        SPAWNED.append(method)
        return real_context("spawn")

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    monkeypatch.setattr(multiprocessing, "get_context", only_spawn)

    cli = importlib.import_module("sitegen.cli")
    fs: ModuleType = importlib.import_module("sitegen.fs")
    template_cache = importlib.import_module("sitegen.theme.template_cache")
    # As conftest does for the modules it imported: compiled templates kept apart.
    monkeypatch.setattr(template_cache, "FOLDER", Path(tempfile.mkdtemp(dir=tmp_path)))

    def run(argv: list[str]) -> tuple[int, str]:
        fs._WARNED.clear()  # each command is a process of its own: each says it again
        capsys.readouterr()
        code = cli.main(argv)
        return code, capsys.readouterr().err

    yield run
    for name in _sitegen_modules():
        del sys.modules[name]


def _sitegen_modules() -> list[str]:
    return [name for name in sys.modules if name == "sitegen" or name.startswith("sitegen.")]


def test_check_build_twice_init_and_schema_without_posix(
        tmp_path: Path, without_posix: Callable[[list[str]], tuple[int, str]]) -> None:
    run = without_posix
    many, small = _many_articles(tmp_path), FIXTURES / "mini"
    code, err = run(["check", "--content", str(small)])
    assert code == 0, err

    for content, out, pool in ((many, tmp_path / "many-site", True),
                               (small, tmp_path / "small-site", False)):
        build = ["build", "--content", str(content), "--out", str(out), "--no-pdf",
                 "--jobs", "2"]
        SPAWNED.clear()
        code, err = run(build)
        assert code == 0, err
        assert (["spawn"] if pool else []) == SPAWNED
        said = [line for line in err.splitlines() if line.startswith("sitegen: warning:")]
        assert len(said) == len(WEAKER), err  # each weaker guarantee, once
        for warning in WEAKER.values():
            assert warning in err, err
        first = site_bytes(out)
        assert "sample/index.html" in first
        code, err = run(build)  # nothing to do: the snapshot says so
        assert code == 0, err
        assert WEAKER["lock"] in err, err
        assert site_bytes(out) == first

    new = tmp_path / "new-content"
    code, err = run(["init", str(new)])
    assert code == 0, err
    assert (new / "site.yaml").is_file()
    for _ in range(2):  # the second run replaces its own files
        code, err = run(["schema", "--content", str(new)])
        assert code == 0, err
        assert sorted(p.name for p in (new / "schemas").iterdir()) == [
            "annotations.schema.json", "article.schema.json", "site.schema.json"]


def test_the_site_built_without_posix_is_the_site_built_with_it(
        tmp_path: Path, reference: tuple[Path, dict[str, bytes]],
        without_posix: Callable[[list[str]], tuple[int, str]]) -> None:
    many, expected = reference
    code, err = without_posix(["build", "--content", str(many), "--out",
                               str(tmp_path / "site"), "--no-pdf", "--jobs", "2"])
    assert code == 0, err
    assert site_bytes(tmp_path / "site") == expected


# --------------------------------------------------------------------------- fs's fallbacks


def test_without_o_nofollow_a_link_or_a_swapped_file_is_not_opened(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "O_NOFOLLOW")
    target, link, other = tmp_path / "target", tmp_path / "link", tmp_path / "other"
    target.write_bytes(b"secret")
    other.write_bytes(b"other")
    link.symlink_to(target)
    with pytest.raises(OSError) as refused:
        fs.open_nofollow(link)
    assert refused.value.errno == errno.ELOOP
    assert fs.read_nofollow(link) is None and fs.hash_file(link) is None
    real_lstat = os.lstat  # the file looked at is not the file opened: a swap meanwhile
    monkeypatch.setattr(os, "lstat", lambda p, **kw: real_lstat(other if p == target else p))
    assert fs.read_nofollow(target) is None
    monkeypatch.setattr(os, "lstat", real_lstat)
    assert fs.read_nofollow(target) is not None
    fd = fs.open_nofollow(tmp_path / "new", os.O_RDWR | os.O_CREAT)  # made exclusively
    os.close(fd)
    assert (tmp_path / "new").is_file()


@pytest.mark.parametrize("hard_links", [True, False], ids=["hard links", "FAT"])
def test_an_exclusive_write_never_replaces_and_leaves_no_temporary_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hard_links: bool) -> None:
    if not hard_links:
        def no_link(*args: object) -> None:
            raise PermissionError(errno.EPERM, "Operation not permitted")

        monkeypatch.setattr(os, "link", no_link)
    path = tmp_path / "notes" / "a.yaml"
    fs.atomic_write(path, b"first", exclusive=True)
    with pytest.raises(FileExistsError):
        fs.atomic_write(path, b"second", exclusive=True)
    assert path.read_bytes() == b"first"
    assert [p.name for p in path.parent.iterdir()] == ["a.yaml"]


def test_a_failed_atomic_write_keeps_the_old_file(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.json"
    fs.atomic_write(path, b"old")

    def broken_replace(*args: object) -> None:
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        fs.atomic_write(path, b"new")
    assert path.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_without_owners_or_locks_the_weaker_guarantee_is_said_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(fs, "_WARNED", set())
    assert fs.private_folder(tmp_path / "mine") is None  # owners checked here
    monkeypatch.delattr(os, "geteuid")
    monkeypatch.setitem(sys.modules, "fcntl", None)
    for _ in range(2):
        assert fs.private_folder(tmp_path / "mine") is None
        with (tmp_path / "lock").open("w") as fh:
            assert fs.lock(fh.fileno())
    err = capsys.readouterr().err
    assert err.count("\n") == 2 and WEAKER["owners"] in err and WEAKER["lock"] in err, err
