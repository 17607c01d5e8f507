"""Output writing: atomic, only into folders sitegen owns, and the failure path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sitegen import writer
from sitegen.errors import UsageError
from sitegen.writer import MARKER, check_output_dir, read_manifest, write_site


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    write_site(tmp_path, {"a.html": b"old"})

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_site(tmp_path, {"a.html": b"new"})
    assert (tmp_path / "a.html").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == [MARKER, "a.html"]


def test_manifest_lists_what_was_written(tmp_path: Path) -> None:
    stats = write_site(tmp_path, {"x/a.html": b"1", "b.css": b"2"})
    assert stats.written == 2
    manifest = read_manifest(tmp_path)
    assert manifest is not None and set(manifest) == {"x/a.html", "b.css"}
    stats = write_site(tmp_path, {"b.css": b"2"})
    assert (stats.written, stats.unchanged, stats.removed) == (0, 1, 1)
    assert not (tmp_path / "x").exists()


def test_a_file_changed_by_hand_is_rewritten(tmp_path: Path) -> None:
    write_site(tmp_path, {"a.html": b"built"})
    (tmp_path / "a.html").write_bytes(b"edited!")
    assert write_site(tmp_path, {"a.html": b"built"}).written == 1
    assert (tmp_path / "a.html").read_bytes() == b"built"


@pytest.mark.parametrize("rel", ["../escape.html", "/abs.html", MARKER])
def test_paths_outside_the_folder_are_refused(tmp_path: Path, rel: str) -> None:
    with pytest.raises(ValueError):
        write_site(tmp_path / "out", {rel: b"x"})


def test_a_foreign_marker_does_not_make_a_folder_ours(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / MARKER).write_text('{"kind": "something-else", "files": {}}', "utf-8")
    with pytest.raises(UsageError):
        check_output_dir(out, tmp_path / "content")


def test_write_is_atomic_via_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, str]] = []
    real = os.replace

    def spy(src: str, dst: str) -> None:
        seen.append((Path(src).name, Path(dst).name))
        real(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    writer.atomic_write(tmp_path / "page.html", b"x")
    assert len(seen) == 1 and seen[0][1] == "page.html" and seen[0][0].startswith(".tmp-")
