"""The output folder is somebody's folder: each attack or accident, then sitegen's refusal
or repair. Writer-level tests first, then `sitegen build` in real processes."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, run_cli, run_main, site_bytes

from sitegen import cli, fs
from sitegen.errors import UsageError
from sitegen.output import folder as output_folder
from sitegen.output import ledger
from sitegen.output import stage as output_stage
from sitegen.output.commit import WriteStats
from sitegen.output.folder import Output, check_output_dir
from sitegen.output.stage import MARKER, STAGING_PREFIX, stage


def write_site(out: Path, files: dict[str, bytes]) -> WriteStats:
    """One build of exactly ``files`` into ``out``, through the same steps as `build`."""
    with Output(out) as output:
        output.open()
        staged = {rel: stage(output.out, output.staging, output.manifest.files, rel, data)
                  for rel, data in files.items()}
        return output.commit(staged)


def manifest(out: Path) -> ledger.Manifest:
    ident = json.loads((out / MARKER).read_text("utf-8"))["id"]
    found = ledger.load(ident)
    assert found is not None
    return found


def write_json_ledger(out: Path, form: str, files: dict[str, list[object]]) -> None:
    """Replace the manifest of ``out`` by one in the whole-JSON form of the formats before
    /3, with these records (as that form holds them)."""
    ident = json.loads((out / MARKER).read_text("utf-8"))["id"]
    found = manifest(out)
    ledger._path(ident, ".json").write_text(json.dumps(
        {"format": form, "folder": found.folder, "files": files, "pdf_inputs": {},
         "identity": found.identity}), "utf-8")


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --------------------------------------------------------------------------- writing


def test_manifest_lists_what_was_written_and_stale_files_go(tmp_path: Path) -> None:
    stats = write_site(tmp_path, {"x/a.html": b"1", "b.css": b"2"})
    assert stats.written == 2
    assert set(manifest(tmp_path).files) == {"x/a.html", "b.css"}
    stats = write_site(tmp_path, {"b.css": b"2"})
    assert (stats.written, stats.unchanged, stats.removed) == (0, 1, 1)
    assert not (tmp_path / "x").exists()
    assert names(tmp_path) == [MARKER, "b.css"]


def test_a_record_of_the_first_format_is_read_without_its_stats(tmp_path: Path) -> None:
    """Records made before stats were stamps (size, mtime, ctime, inode) are read with no
    stat taken on trust: the next build hashes each file once, rewrites none, and records
    stamps."""
    write_site(tmp_path, {"a.html": b"1"})
    digest, size, seen = manifest(tmp_path).files["a.html"]
    assert seen is not None
    write_json_ledger(tmp_path, "sitegen-ledger/1",
                      {"a.html": [digest, size, [seen.mtime_ns, seen.ino, seen.ctime_ns]]})
    assert manifest(tmp_path).files["a.html"] == (hashlib.sha256(b"1").hexdigest(), 1, None)
    assert write_site(tmp_path, {"a.html": b"1"}).written == 0
    assert manifest(tmp_path).files["a.html"].seen == fs.Stamp.of(os.stat(tmp_path / "a.html"))


def test_a_record_is_read_again_only_when_its_file_changed(tmp_path: Path) -> None:
    """A long-running process (the preview) keeps the record it read or wrote; a record
    changed on disk since, by anyone, is read again."""
    write_site(tmp_path, {"a.html": b"1"})
    first = manifest(tmp_path)
    assert manifest(tmp_path) is first
    _, size, seen = first.files["a.html"]
    write_json_ledger(tmp_path, "sitegen-ledger/2", {"a.html": ["0" * 64, size, seen]})
    assert manifest(tmp_path).files["a.html"].digest == "0" * 64


def _ledger_lines(out: Path) -> tuple[Path, list[bytes]]:
    ident = json.loads((out / MARKER).read_text("utf-8"))["id"]
    path = ledger._path(ident, ".json")
    return path, path.read_bytes().split(b"\n")


def test_a_manifest_is_read_line_by_line_when_looked_up_and_written_back_as_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sealed manifest's records stay the lines they were read as until looked up, and a
    commit that changes one file writes the other lines back as they were."""
    write_site(tmp_path, {"a.html": b"1", "b.html": b"2", "c.html": b"3"})
    _, before = _ledger_lines(tmp_path)
    ledger._SEEN.clear()
    parsed: list[str] = []
    real = ledger._from_line
    monkeypatch.setattr(ledger, "_from_line", lambda line: parsed.append(line) or real(line))
    found = manifest(tmp_path)
    assert sorted(found.files) == ["a.html", "b.html", "c.html"] and parsed == []
    assert found.files["b.html"].digest == hashlib.sha256(b"2").hexdigest()
    assert parsed == [before[3].decode()]
    ledger._SEEN.clear()
    parsed.clear()
    assert write_site(tmp_path, {"a.html": b"1", "b.html": b"new", "c.html": b"3"}).written == 1
    _, after = _ledger_lines(tmp_path)
    assert after[2] == before[2] and after[4] == before[4] and after[3] != before[3]
    assert len(parsed) == 3  # each looked up once, to stage it, none to write it back


def test_a_manifest_line_of_a_name_json_escapes_is_read(tmp_path: Path) -> None:
    """A name JSON writes with escapes (one not ASCII) is read from its line whole."""
    files = {"d\u00e9j\u00e0 vu.html": b"1", "a.html": b"2"}
    write_site(tmp_path, files)
    ledger._SEEN.clear()
    found = manifest(tmp_path).files
    assert sorted(found) == sorted(files)
    assert all(found[rel].digest == hashlib.sha256(data).hexdigest()
               for rel, data in files.items())
    assert write_site(tmp_path, files).written == 0


@pytest.mark.parametrize("edit", ["digest", "size", "stat", "path", "shape"])
def test_a_manifest_edited_by_hand_is_checked_record_by_record(tmp_path: Path,
                                                               edit: str) -> None:
    """A manifest whose seal does not hold (edited by anyone but sitegen) is read as the
    formats before were: every record checked, a record of the wrong type refuses it all
    (nothing in the folder is then sitegen's), and a well-formed one is read."""
    write_site(tmp_path, {"a.html": b"1", "b.html": b"2"})
    path, lines = _ledger_lines(tmp_path)
    rel, digest, size, seen = json.loads(lines[3])
    good = {"digest": [rel, "0" * 64, size, seen], "size": [rel, digest, 7, seen],
            "stat": [rel, digest, size, None], "path": ["c.html", digest, size, seen],
            "shape": [rel, digest, size, seen]}[edit]
    bad = {"digest": [rel, 64, size, seen], "size": [rel, digest, "1", seen],
           "stat": [rel, digest, size, [1, 2.5, 3, 4]], "path": [3, digest, size, seen],
           "shape": [rel, digest, size]}[edit]
    for record, holds in ((good, True), (bad, False)):
        path.write_bytes(b"\n".join([*lines[:3], json.dumps(record).encode()]))
        ledger._SEEN.clear()
        found = ledger.load(path.stem)
        assert (found is not None) is holds
        if found is not None:
            assert found.files[str(good[0])] == (good[1], good[2], good[3] and fs.Stamp(*good[3]))
    path.write_bytes(b"\n".join([*lines[:3], json.dumps(bad).encode()]))
    with pytest.raises(UsageError, match="damaged"):
        write_site(tmp_path, {"a.html": b"1"})


def test_a_manifest_is_read_without_the_secret_that_sealed_it(tmp_path: Path) -> None:
    """The state folder's secret only spares checking each record: a manifest sealed with
    one since replaced is checked record by record, and read."""
    write_site(tmp_path, {"a.html": b"1"})
    secret = ledger._folder() / "secret"
    kept = secret.read_bytes()
    try:
        secret.unlink()
        ledger._SEEN.clear()
        assert manifest(tmp_path).files["a.html"].digest == hashlib.sha256(b"1").hexdigest()
        assert write_site(tmp_path, {"a.html": b"2"}).written == 1
    finally:
        secret.write_bytes(kept)


def test_the_marker_holds_only_an_id_the_manifest_lives_outside(tmp_path: Path) -> None:
    write_site(tmp_path / "out", {"a.html": b"1"})
    marker = json.loads((tmp_path / "out" / MARKER).read_text("utf-8"))
    assert set(marker) == {"kind", "id"}
    state = Path(os.environ["XDG_STATE_HOME"]) / "sitegen/outputs" / f"{marker['id']}.json"
    assert json.loads(state.read_bytes().split(b"\n")[2])[0] == "a.html"
    assert (state.parent.stat().st_mode & 0o777) == 0o700


@pytest.mark.parametrize("rel", ["../escape.html", "/abs.html", "a/../../b.html", MARKER,
                                 STAGING_PREFIX + "x/a.html"])
def test_paths_outside_the_folder_are_refused(tmp_path: Path, rel: str) -> None:
    with pytest.raises(ValueError):
        write_site(tmp_path / "out", {rel: b"x"})
    assert not (tmp_path / "escape.html").exists() and not (tmp_path / "b.html").exists()


def test_a_failed_commit_keeps_the_old_file_and_the_next_build_finishes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_site(tmp_path, {"a.html": b"old"})
    with monkeypatch.context() as patched:
        def broken_replace(*args: object, **kwargs: object) -> None:
            raise OSError("rename failed")

        patched.setattr(os, "replace", broken_replace)
        with pytest.raises(OSError, match="rename failed"):
            write_site(tmp_path, {"a.html": b"new"})
    assert (tmp_path / "a.html").read_bytes() == b"old"
    write_site(tmp_path, {"a.html": b"new"})
    assert (tmp_path / "a.html").read_bytes() == b"new"
    assert names(tmp_path) == [MARKER, "a.html"]  # no staging folder left behind


# --------------------------------------------------------------------------- repair


def test_a_file_changed_by_hand_is_rewritten(tmp_path: Path) -> None:
    write_site(tmp_path, {"a.html": b"built"})
    (tmp_path / "a.html").write_bytes(b"edited, longer")
    assert write_site(tmp_path, {"a.html": b"built"}).written == 1
    assert (tmp_path / "a.html").read_bytes() == b"built"


@pytest.mark.parametrize("how", ["in place, old time (cp -p)", "new file, old time (rsync -t)"])
def test_a_same_size_edit_with_the_old_time_is_found_by_content(tmp_path: Path,
                                                                how: str) -> None:
    write_site(tmp_path, {"a.html": b"built"})
    page = tmp_path / "a.html"
    before = page.stat()
    if how.startswith("in place"):
        with page.open("r+b") as fh:
            fh.write(b"BUILT")
    else:
        (tmp_path / "other").write_bytes(b"BUILT")
        os.replace(tmp_path / "other", page)
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert page.stat().st_size == before.st_size
    assert write_site(tmp_path, {"a.html": b"built"}).written == 1
    assert page.read_bytes() == b"built"


def test_a_same_size_edit_is_repaired_even_when_its_article_is_cached(tmp_path: Path,
                                                                      mini: Path) -> None:
    out = tmp_path / "out"
    build = ["build", "--content", str(mini), "--out", str(out), "--no-pdf"]
    assert cli.main(build) == 0
    page = out / "sample/index.html"
    built, before = page.read_bytes(), page.stat()
    page.write_bytes(built.replace(b"Which newspaper?", b"WHICH NEWSPAPER"))
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert cli.main(build) == 0
    assert page.read_bytes() == built


def test_an_unchanged_file_is_not_rewritten(tmp_path: Path) -> None:
    write_site(tmp_path, {"a.html": b"built"})
    inode = (tmp_path / "a.html").stat().st_ino
    assert write_site(tmp_path, {"a.html": b"built"}).written == 0
    assert (tmp_path / "a.html").stat().st_ino == inode


# --------------------------------------------------------------------------- links


@pytest.fixture(params=["posix", "without O_NOFOLLOW and dir_fd"])
def platform(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each link test on this platform, then as if it had neither ``O_NOFOLLOW`` nor
    ``dir_fd=`` (as Windows has not): sitegen's fallbacks must refuse the same links."""
    if request.param != "posix":
        for name in ("O_NOFOLLOW", "O_DIRECTORY"):
            monkeypatch.delattr(os, name)
        monkeypatch.setattr(os, "supports_dir_fd", set())


def test_a_link_at_an_output_path_is_not_written_through(tmp_path: Path, platform: None
                                                        ) -> None:
    out, victim = tmp_path / "out", tmp_path / "victim.html"
    victim.write_bytes(b"someone's page")
    write_site(out, {"a.html": b"1"})
    (out / "a.html").unlink()
    (out / "a.html").symlink_to(victim)
    with pytest.raises(UsageError, match="is a link"):
        write_site(out, {"a.html": b"2"})
    assert victim.read_bytes() == b"someone's page"
    assert (out / "a.html").is_symlink()


def test_a_linked_folder_is_not_written_through(tmp_path: Path, platform: None) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "a.html").write_bytes(b"someone's page")
    write_site(out, {"en/a.html": b"1"})
    shutil.rmtree(out / "en")
    (out / "en").symlink_to(elsewhere)
    with pytest.raises(UsageError, match="not a folder"):
        write_site(out, {"en/a.html": b"2", "en/new.html": b"3"})
    assert names(elsewhere) == ["a.html"]
    assert (elsewhere / "a.html").read_bytes() == b"someone's page"


def test_a_linked_folder_is_not_deleted_through(tmp_path: Path, platform: None) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    write_site(out, {"en/a.html": b"1", "b.html": b"2"})
    shutil.copytree(out / "en", elsewhere)  # the very bytes sitegen wrote
    shutil.rmtree(out / "en")
    (out / "en").symlink_to(elsewhere)
    stats = write_site(out, {"b.html": b"2"})
    assert stats.kept == ["en/a.html"]
    assert (elsewhere / "a.html").read_bytes() == b"1"


# --------------------------------------------------------------------------- ownership


def test_a_changed_stale_file_is_kept_and_reported(tmp_path: Path) -> None:
    write_site(tmp_path, {"a.html": b"1", "notes/b.html": b"2", "c.html": b"3"})
    (tmp_path / "notes/b.html").write_bytes(b"my own notes now")
    stats = write_site(tmp_path, {"a.html": b"1"})
    assert stats.kept == ["notes/b.html"] and stats.removed == 1
    assert (tmp_path / "notes/b.html").read_bytes() == b"my own notes now"
    assert not (tmp_path / "c.html").exists()
    assert write_site(tmp_path, {"a.html": b"1"}).kept == []  # reported once: it is yours


def test_a_file_sitegen_did_not_write_is_not_replaced(tmp_path: Path) -> None:
    write_site(tmp_path, {"a.html": b"1"})
    (tmp_path / "b.html").write_bytes(b"mine")
    with pytest.raises(UsageError, match="not written by sitegen"):
        write_site(tmp_path, {"a.html": b"1", "b.html": b"2"})
    assert (tmp_path / "b.html").read_bytes() == b"mine"


@pytest.mark.parametrize("marker", [
    {"kind": "sitegen-output", "id": secrets.token_hex(16)},
    {"kind": "sitegen-output", "files": {}},  # the old marker: a manifest anyone can write
    {"kind": "something-else"},
])
def test_a_forged_marker_does_not_make_a_folder_ours(tmp_path: Path, marker: dict[str, object],
                                                    ) -> None:
    out = tmp_path / "shared"
    out.mkdir()
    (out / "index.html").write_bytes(b"a colleague's page")
    (out / "old.html").write_bytes(b"a colleague's old page")
    if "files" in marker:
        marker["files"] = {name: hashlib.sha256((out / name).read_bytes()).hexdigest()
                           for name in ("index.html", "old.html")}
    (out / MARKER).write_text(json.dumps(marker), "utf-8")
    with pytest.raises(UsageError, match="new sub-folder such as") as refused:
        check_output_dir(out, tmp_path / "content")
    assert str(out / "site") in str(refused.value)
    result = run_main("build", "--content", FIXTURES / "mini", "--out", out, "--no-pdf")
    assert result.returncode == 2, result.stderr
    assert (out / "index.html").read_bytes() == b"a colleague's page"
    assert (out / "old.html").read_bytes() == b"a colleague's old page"


def test_a_copy_of_a_folder_gets_its_own_record(tmp_path: Path) -> None:
    write_site(tmp_path / "a", {"x.html": b"1"})
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    write_site(tmp_path / "b", {"x.html": b"2"})
    assert manifest(tmp_path / "a").files["x.html"].digest != \
        manifest(tmp_path / "b").files["x.html"].digest
    assert write_site(tmp_path / "a", {"x.html": b"1"}).written == 0


def test_a_failed_first_build_leaves_no_marker(tmp_path: Path) -> None:
    out = tmp_path / "new"
    with pytest.raises(RuntimeError), Output(out):
        raise RuntimeError("content errors")
    assert not out.exists()


# --------------------------------------------------------------------------- one at a time


@contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold the output folder's lock as a running build does."""
    fd = os.open(out / MARKER, os.O_RDWR)
    try:
        assert fs.lock(fd)
        yield
    finally:
        os.close(fd)


def test_a_second_build_is_refused_and_leaves_the_staging_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_main("build", "--content", FIXTURES / "mini", "--out", out, "--no-pdf"
                    ).returncode == 0
    staging = out / f"{STAGING_PREFIX}running"
    with locked(out):
        staging.mkdir()
        (staging / "page.html").write_bytes(b"being written")
        # A real process: the lock keeps out another process, which this one stands for.
        result = run_cli("build", "--content", FIXTURES / "mini", "--out", out, "--no-pdf")
        assert result.returncode == 2
        assert result.stderr.strip() == (f"sitegen: error: another build is writing {out}; "
                                          "wait for it to finish, then build again")
        assert (staging / "page.html").read_bytes() == b"being written"


def test_two_builds_at_once_give_the_clean_site(tmp_path: Path, mini: Path) -> None:
    shutil.copytree(mini / "articles/sample", mini / "articles/second")
    clean, out = tmp_path / "clean", tmp_path / "out"
    assert run_main("build", "--content", mini, "--out", clean, "--no-pdf").returncode == 0
    command = [sys.executable, "-m", "sitegen", "build", "--content", str(mini),
               "--out", str(out), "--no-pdf", "--no-cache"]
    procs = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    results = [(p.wait(timeout=300), p.communicate()[1]) for p in procs]
    for code, err in results:
        assert code == 0 or (code == 2 and "another build is writing" in err), err
    assert 0 in [code for code, _ in results]
    assert site_bytes(out) == site_bytes(clean)
    assert not [p for p in out.iterdir() if p.name.startswith(STAGING_PREFIX)]


# --------------------------------------------------------------------------- kill -9


KILLED_BUILD = textwrap.dedent("""
    import os, signal, sys
    from sitegen import cli
    from sitegen.output import commit

    real_move = commit._move

    def move_then_die(staging, temp, folder, name, shown):
        done = real_move(staging, temp, folder, name, shown)
        if os.readlink(f"/proc/self/fd/{folder.fd}").endswith(sys.argv[1]):
            os.kill(os.getpid(), signal.SIGKILL)
        return done

    commit._move = move_then_die
    sys.exit(cli.main(sys.argv[2:]))
""")


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="the fault point reads /proc")
@pytest.mark.parametrize("revert", [True, False], ids=["content reverted", "content kept"])
def test_a_build_killed_while_committing_is_finished_by_the_next(tmp_path: Path, mini: Path,
                                                                 revert: bool) -> None:
    """The killed build changes a note and adds an article; it dies right after moving the
    first page of the new article's second edition into place (a fault point injected in
    its process), its other pages still staged."""
    out = tmp_path / "out"
    build = ["build", "--content", str(mini), "--out", str(out), "--no-pdf", "--jobs", "1"]
    assert cli.main(build) == 0
    first = site_bytes(out)
    notes = mini / "articles/sample/annotations.yaml"
    original = notes.read_text("utf-8")
    notes.write_text(original.replace("Which newspaper?", "KILLED-BUILD Which?"), "utf-8")
    shutil.copytree(mini / "articles/sample", mini / "articles/second")

    killed = subprocess.run([sys.executable, "-c", KILLED_BUILD, "/fr/second", *build],
                            cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert killed.returncode == -9, killed.stderr
    half = site_bytes(out)
    assert [rel for rel in half if rel.startswith("fr/second/")] and "second/index.html" \
        not in half
    assert half["sample/index.html"] == first["sample/index.html"]  # still staged
    assert [p for p in out.iterdir() if p.name.startswith(STAGING_PREFIX)]

    if revert:
        notes.write_text(original, "utf-8")
        shutil.rmtree(mini / "articles/second")
    assert cli.main(build) == 0
    clean = tmp_path / "clean"
    assert cli.main(["build", "--content", str(mini), "--out", str(clean), "--no-pdf"]) == 0
    assert site_bytes(out) == site_bytes(clean)
    assert (b"KILLED-BUILD" in site_bytes(out)["sample/index.html"]) is not revert
    assert not [p for p in out.iterdir() if p.name.startswith(STAGING_PREFIX)]


KILLED_AFTER_RECORDING = textwrap.dedent("""
    import os, signal, sys
    from sitegen import cli
    from sitegen.output import ledger

    ledger.drop_journal = lambda ident: os.kill(os.getpid(), signal.SIGKILL)
    sys.exit(cli.main(sys.argv[1:]))
""")


def test_a_build_killed_after_recording_its_commit_is_finished_by_the_next(
        tmp_path: Path, mini: Path) -> None:
    """Killed with the new manifest recorded but its journal (a removal, a change) still
    there: the next build carries the journal out again, harmlessly."""
    out = tmp_path / "out"
    build = ["build", "--content", str(mini), "--out", str(out), "--no-pdf", "--jobs", "1"]
    shutil.copytree(mini / "articles/sample", mini / "articles/second")
    assert cli.main(build) == 0
    shutil.rmtree(mini / "articles/second")
    notes = mini / "articles/sample/annotations.yaml"
    notes.write_text(notes.read_text("utf-8").replace("Which newspaper?", "Which one?"),
                     "utf-8")
    killed = subprocess.run([sys.executable, "-c", KILLED_AFTER_RECORDING, *build], cwd=ROOT,
                            capture_output=True, text=True, timeout=300, check=False)
    assert killed.returncode == -9, killed.stderr
    assert not (out / "second").exists()
    assert cli.main(build) == 0
    clean = tmp_path / "clean"
    assert cli.main(["build", "--content", str(mini), "--out", str(clean), "--no-pdf"]) == 0
    assert site_bytes(out) == site_bytes(clean)


# --------------------------------------------------------------------------- disk problems


def _one_line_usage_error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert cli.main(argv) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


def test_no_space_left_is_a_usage_error_and_the_site_is_kept(
        tmp_path: Path, mini: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    build = ["build", "--content", str(mini), "--out", str(out), "--no-pdf", "--jobs", "1"]
    assert cli.main(build) == 0
    before = site_bytes(out)
    (mini / "site.yaml").write_text((mini / "site.yaml").read_text("utf-8") + "\n", "utf-8")
    notes = mini / "articles/sample/annotations.yaml"
    notes.write_text(notes.read_text("utf-8").replace("Which newspaper?", "New?"), "utf-8")
    real = output_stage._write_new
    calls = 0

    def disk_full(folder: str, suffix: str, data: bytes) -> str:
        nonlocal calls
        calls += 1
        if calls == 3:  # a few files fit, then the disk is full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), f"{folder}/x.html")
        return real(folder, suffix, data)

    monkeypatch.setattr(output_stage, "_write_new", disk_full)
    capsys.readouterr()
    err = _one_line_usage_error(capsys, build)
    assert "No space left on device" in err and "the last good site is unchanged" in err
    assert site_bytes(out) == before
    assert names(out) == sorted([MARKER, *{rel.split("/")[0] for rel in before}])


def test_a_read_only_folder_is_a_usage_error(tmp_path: Path, mini: Path,
                                             monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    build = ["build", "--content", str(mini), "--out", str(out), "--no-pdf"]
    assert cli.main(build) == 0
    before = site_bytes(out)

    class ReadOnly:
        @staticmethod
        def mkdtemp(dir: Path, prefix: str) -> str:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(dir))

    monkeypatch.setattr(output_folder, "tempfile", ReadOnly)
    capsys.readouterr()
    assert cli.main(build) == 0  # with nothing to write, nothing is written
    md = mini / "articles/sample/article.md"
    md.write_text(md.read_text("utf-8") + "\nOne more line.\n", "utf-8")
    err = _one_line_usage_error(capsys, build)
    assert f"cannot write {out}: Read-only file system" in err
    assert site_bytes(out) == before


def test_a_dangling_out_link_is_a_usage_error(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    link = tmp_path / "site"
    link.symlink_to(tmp_path / "unplugged-usb-stick")
    err = _one_line_usage_error(capsys, ["build", "--content", str(FIXTURES / "mini"),
                                         "--out", str(link), "--no-pdf"])
    assert "which does not exist" in err
    assert not (tmp_path / "unplugged-usb-stick").exists()


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="this platform has no POSIX file owners")
def test_a_state_folder_others_may_write_is_refused(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """Unlike the build cache, which a build can do without, the ledger is what makes a
    folder sitegen's: a ledger others may write is refused, and nothing is written."""
    outputs = tmp_path / "state" / "sitegen" / "outputs"
    outputs.mkdir(parents=True)
    outputs.chmod(0o777)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    err = _one_line_usage_error(capsys, ["build", "--content", str(FIXTURES / "mini"),
                                         "--out", str(tmp_path / "out"), "--no-pdf"])
    assert f"{outputs} may be written by others" in err
    assert not (tmp_path / "out").exists() and list(outputs.iterdir()) == []
