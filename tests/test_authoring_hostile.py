"""import-hypothesis, init, new and schema under hostile input: what they write reads back
as meant, never through a link out of the content folder, never half; the user's file keeps
its bytes; no traceback. (docs/security.md, "Authoring commands".)"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, run_main

from sitegen import fs
from sitegen.authoring import new as new_module
from sitegen.authoring.import_hypothesis import import_hypothesis
from sitegen.text.quote import locate

POSIX = pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges")


def _annotations(content: Path) -> Path:
    return content / "articles" / "sample" / "annotations.yaml"


def _row(ident: str, text: str, tags: list[str], quote: str | None = None,
         **more: Any) -> dict[str, Any]:
    target = ({"selector": [{"type": "TextQuoteSelector", "exact": quote}]}
              if quote is not None else {"source": "https://example.org/news/river-plan"})
    return {"id": ident, "text": text, "tags": tags, "target": [target], **more}


def _export(folder: Path, rows: list[Any], name: str = "export.json") -> Path:
    path = folder / name
    path.write_text(json.dumps({"total": len(rows), "rows": rows}), "utf-8")
    return path


def _import(content: Path, export: Path) -> subprocess.CompletedProcess[str]:
    result = run_main("import-hypothesis", export, "--article", "sample", "--content", content)
    assert "Traceback" not in result.stderr
    return result


def _entries(content: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load(_annotations(content).read_text("utf-8"))
    return data.get("annotations") or []


@pytest.fixture
def bare(mini: Path) -> Path:
    """The mini site with its article not annotated yet."""
    _annotations(mini).unlink()
    return mini


# ------------------------------------------------- cause 1: what is written reads back as meant


@pytest.mark.parametrize("text", [
    "Line one\nanswer: leaked\ncore: true",
    "A line\u2028answer: leaked\u2028core: true",
    "A line\x85- id: injected\x85  category: framing",
    "Ends\u2029note: replaced",
    '"Quoted" #not a comment: [x] {y} & *z !tag %',
    "  starts with spaces\n\tand a tab\nends with spaces   \nbell\x07",
])
@pytest.mark.parametrize("existing", [False, True])
def test_a_note_reads_back_exactly_as_imported(text: str, existing: bool, bare: Path) -> None:
    if existing:
        _annotations(bare).write_text("annotations:\n  - id: mine\n    category: framing\n"
                                      "    note: Mine.\nvoices:\n", "utf-8")
    export = _export(bare.parent, [_row("r1", text, ["sourcing"], "a local newspaper")])
    result = _import(bare, export)
    assert result.returncode == 0, result.stderr
    entries = _entries(bare)
    assert entries[-1] == {"id": "a-local-newspaper", "category": "sourcing",
                           "quote": "a local newspaper", "note": text.rstrip()}
    assert len(entries) == (2 if existing else 1)


@pytest.mark.parametrize("language", ["en\nanswer: leaked\ncore: true",
                                      "fr: x\n  answer: leaked", "en\u2028core: true"])
def test_a_w3c_language_is_no_place_for_keys(language: str, bare: Path) -> None:
    item = {"type": "Annotation", "id": "https://example.org/a/1",
            "body": [{"type": "TextualBody", "value": "A note.", "language": language},
                     {"type": "TextualBody", "value": "sourcing", "purpose": "tagging"}],
            "target": {"selector": {"type": "TextQuoteSelector",
                                    "exact": "a local newspaper"}}}
    export = bare.parent / "export.jsonld"
    export.write_text(json.dumps([item]), "utf-8")
    result = _import(bare, export)
    assert result.returncode == 0, result.stderr
    assert "its note's language is not a language code" in result.stderr
    assert _entries(bare) == []  # held as a comment, to fix
    text = _annotations(bare).read_text("utf-8")
    assert all(line.lstrip().startswith("#") for line in text.splitlines()
               if "answer" in line or "core" in line)


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85"])
@pytest.mark.parametrize("existing", [False, True])
def test_commented_out_entries_stay_comments(char: str, existing: bool, bare: Path) -> None:
    """A held entry's text holds what YAML alone reads as a line break: it must not end
    the comment and make the rest live."""
    if existing:
        _annotations(bare).write_text("annotations:\n  - id: mine\n    category: framing\n"
                                      "    scope: article\n    note: Mine.\n", "utf-8")
    before = _entries(bare) if existing else []
    hostile = f"no category{char}- id: live{char}  category: framing{char}  note: x"
    export = _export(bare.parent, [
        _row("r1", hostile, ["untagged"], "a local newspaper"),
        _row("r2", "Fine.", [f"not{char}a tag"], f"The mayor{char}said"),
        _row("r3", "Fine.", ["framing"], f"nowhere{char}answer: x"),
    ])
    result = _import(bare, export)
    assert result.returncode == 0, result.stderr
    assert "0 annotation(s) imported, 3 written as comments" in result.stdout
    assert _entries(bare) == before
    assert run_main("check", "--content", bare).returncode == 0


@pytest.mark.parametrize("tag", ["\x1b[31mframing", "fram\ning\n::error::x", "a\u2028b",
                                 "\u202eevil"])
def test_tags_with_control_characters_are_shown_escaped(tag: str, bare: Path) -> None:
    result = _import(bare, _export(bare.parent, [_row("r1", "A note.", [tag],
                                                      "a local newspaper")]))
    assert result.returncode == 0, result.stderr
    for line in result.stderr.splitlines():
        assert line.startswith(str(bare.parent / "export.json")), line
    assert not any(c in result.stderr for c in "\x1b\u2028\u202e")
    assert _entries(bare) == []
    assert run_main("check", "--content", bare).returncode == 0


@pytest.mark.parametrize("name", ["a\u2028answer: x.json", "b\x85c\x1b[2J.json"])
def test_an_export_name_stays_in_its_comment(name: str, bare: Path) -> None:
    export = _export(bare.parent, [_row("r1", "A note.", ["nothing"])], name)
    result = _import(bare, export)
    assert result.returncode == 0, result.stderr
    assert _entries(bare) == []
    assert not any(c in result.stderr for c in "\x1b\x85\u2028")


# ------------------------------------------------------- cause 6: messages, not tracebacks


@pytest.mark.parametrize(("json_text", "code", "message"), [
    ('{"rows": [{"id": "r1", "text": "bell\\u0007 \\u001b[2J", "tags": ["sourcing"]}]}', 0,
     "1 annotation(s) imported"),
    ('{"rows": [{"id": "r1", "text": "half \\ud800", "tags": ["sourcing"]}]}', 0,
     "row 1: holds a lone surrogate"),
    ('{"rows": [{"id": "r1", "text": "ok", "tags": ["\\udfff"]}]}', 0,
     "row 1: holds a lone surrogate"),
    ("[" * 100_000 + "]" * 100_000, 1, "JSON nested too deeply"),
    ('{"a":' * 50_000 + "1" + "}" * 50_000, 1, "JSON nested too deeply"),
    ('{"rows": []}', 0, "holds no annotations (an export of a private group is empty "
                        "without your API token"),
    ('{"rows": [{"text": "raw \x1b[2J escape"}]}', 1,
     "odd.json:1:25: not valid JSON: Invalid control character"),
])
def test_odd_json_gives_a_message(json_text: str, code: int, message: str, bare: Path
                                  ) -> None:
    export = bare.parent / "odd.json"
    export.write_text(json_text, "utf-8")
    result = _import(bare, export)
    assert result.returncode == code, result.stderr
    assert message in result.stdout + result.stderr
    assert "\ud800" not in result.stderr and "\x1b" not in result.stderr


def _failing_write(monkeypatch: pytest.MonkeyPatch, fail_at: int, error: int) -> None:
    """Make the ``fail_at``-th file write fail as a full disk (or other ``error``) does."""
    real = fs.atomic_write
    calls = [0]

    def write(path: Path, data: bytes, **kwargs: Any) -> None:
        calls[0] += 1
        if calls[0] == fail_at:
            raise OSError(error, os.strerror(error), str(path))
        real(path, data, **kwargs)

    monkeypatch.setattr(fs, "atomic_write", write)


def _tree(folder: Path) -> dict[str, bytes | None]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None)
            for p in folder.rglob("*")}


@pytest.mark.parametrize("fail_at", [1, 2, 4])
def test_init_on_a_full_disk_leaves_nothing(fail_at: int, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "had").mkdir()
    (tmp_path / "had" / "notes.txt").write_text("mine", "utf-8")
    _failing_write(monkeypatch, fail_at, errno.ENOSPC)
    for folder in ("site", "had"):
        result = run_main("init", folder, cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        assert ": No space left on device" in result.stderr
        assert "Traceback" not in result.stderr
        _failing_write(monkeypatch, fail_at, errno.ENOSPC)
    assert not (tmp_path / "site").exists()
    assert _tree(tmp_path / "had") == {"notes.txt": b"mine"}


def test_new_and_schema_on_a_full_disk_leave_nothing(mini: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Headline\nThe mayor said so.\n", "utf-8")
    before = _tree(mini)
    _failing_write(monkeypatch, 2, errno.ENOSPC)
    result = run_main("new", "story", "--from", story, "--content", mini)
    assert result.returncode == 2 and "No space left on device" in result.stderr
    assert _tree(mini) == before
    _failing_write(monkeypatch, 3, errno.ENOSPC)
    result = run_main("schema", "--content", mini)
    assert result.returncode == 2 and "No space left on device" in result.stderr
    assert _tree(mini) == before


def test_a_name_too_long_is_a_message(mini: Path, tmp_path: Path) -> None:
    long = "x" * 300
    before = _tree(tmp_path)
    for args in (["init", long], ["new", long, "--content", mini],
                 ["schema", "--content", mini, "--out", tmp_path / long],
                 ["init", f"{long}/site"]):
        result = run_main(*args, cwd=tmp_path)
        assert result.returncode == 2, (args, result.stderr)
        assert "File name too long" in result.stderr and "Traceback" not in result.stderr
    assert _tree(tmp_path) == before


# ---------------------------------------------- cause 8: no write through a link leading out


@POSIX
def test_no_command_writes_through_a_link_out_of_its_folder(mini: Path, tmp_path: Path
                                                            ) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    story = tmp_path / "story.txt"
    story.write_text("Headline\nThe mayor said so.\n", "utf-8")
    (mini / "schemas").symlink_to(outside)
    result = run_main("schema", "--content", mini)
    assert result.returncode == 1
    assert f"{mini / 'schemas'}: is a link to a folder outside the content folder" in \
        result.stderr
    (mini / "schemas").unlink()

    (mini / "articles" / "story").symlink_to(outside)
    result = run_main("new", "story", "--from", story, "--content", mini)
    assert result.returncode == 1
    assert f"{mini / 'articles' / 'story'}: is a link to a folder outside" in result.stderr

    site = tmp_path / "site"
    site.mkdir()
    (site / "schemas").symlink_to(outside)
    result = run_main("init", site)
    assert result.returncode == 1 and "is a link to a folder outside" in result.stderr
    assert not (site / "site.yaml").exists()

    theirs = outside / "annotations.yaml"
    theirs.write_text("annotations:\n", "utf-8")
    _annotations(mini).unlink()
    _annotations(mini).symlink_to(theirs)
    result = _import(mini, _export(tmp_path, [_row("r1", "A note.", ["sourcing"])]))
    assert result.returncode == 1 and "is a link to a file outside" in result.stderr
    assert _tree(outside) == {"annotations.yaml": b"annotations:\n"}


@POSIX
def test_a_link_that_stays_inside_is_followed(mini: Path) -> None:
    (mini / "editor").mkdir()
    (mini / "schemas").symlink_to(mini / "editor")
    result = run_main("schema", "--content", mini)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (mini / "editor").iterdir()) == [
        "annotations.schema.json", "article.schema.json", "site.schema.json"]


# ------------------------------- causes 12 and 13: the user's bytes kept, lines counted as YAML


def _inserted(before: bytes, after: bytes, at: bytes) -> bytes:
    """What was inserted into ``before`` just before ``at``; fails if anything else
    changed."""
    cut = before.index(at)
    added = after[cut:len(after) - (len(before) - cut)]
    assert after == before[:cut] + added + before[cut:]
    return added


@pytest.mark.parametrize(("bom", "newline"), [(True, "\r\n"), (False, "\r\n"), (True, "\n"),
                                              (False, "\r")])
def test_the_file_keeps_its_line_ends_and_bom(bom: bool, newline: str, mini: Path) -> None:
    path = _annotations(mini)
    text = path.read_text("utf-8").replace("\n", newline)
    before = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    path.write_bytes(before)
    if sys.platform != "win32":
        path.chmod(0o600)
    export = _export(mini.parent, [_row("r1", "One\n\nTwo.", ["sourcing"], "Critics called"),
                                   _row("r2", "Held.", ["nothing"])])
    assert _import(mini, export).returncode == 0
    after = path.read_bytes()
    added = _inserted(before, after, b"voices:").decode("utf-8")
    assert added.startswith("# Imported from export.json")
    assert added.replace(newline, "") == added.replace(newline, "").replace("\n", "").replace(
        "\r", ""), "a line end other than the file's"
    assert yaml.safe_load(after.decode("utf-8-sig"))["annotations"][-1]["note"] == "One\n\nTwo."
    if sys.platform != "win32":
        assert path.stat().st_mode & 0o777 == 0o600
    assert run_main("check", "--content", mini).returncode == 0


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85"])
def test_entries_land_where_yaml_counts_lines(char: str, mini: Path) -> None:
    """YAML (and only YAML) breaks lines at these: the new entries still go just before
    'voices:', and the rest of the file is kept byte for byte."""
    path = _annotations(mini)
    text = path.read_text("utf-8")
    text = (f"# A comment{char}# and another{char}# and a third\n"
            + text.replace("    note: {en: \"Who are the critics?\"",
                           f"    # who?{char}# really{char}\n"
                           f"    note: {{en: \"Who are{char}the critics?\""))
    before = text.encode("utf-8")
    path.write_bytes(before)
    result = _import(mini, _export(mini.parent, [_row("r1", "A note.", ["sourcing"],
                                                      "Critics called")]))
    assert result.returncode == 0, result.stderr
    added = _inserted(before, path.read_bytes(), b"voices:")
    assert added.startswith(b"# Imported from export.json")
    assert _entries(mini)[-1]["quote"] == "Critics called"


def test_an_import_waits_for_another_and_reads_the_file_again(mini: Path) -> None:
    path = _annotations(mini)
    export = _export(mini.parent, [_row("r1", "A note.", ["sourcing"], "Critics called")])
    fd = os.open(path, os.O_RDWR)
    assert fs.lock(fd)
    done: list[Any] = []
    worker = threading.Thread(target=lambda: done.append(
        import_hypothesis(mini, "sample", export, None)))
    worker.start()
    time.sleep(0.5)
    assert worker.is_alive() and not done  # waiting for the lock
    # Meanwhile the holder adds an entry with the id the import would have chosen.
    text = path.read_text("utf-8").replace("voices:", "  - id: critics-called\n"
                                           "    category: framing\n    note: Theirs.\nvoices:")
    path.write_text(text, "utf-8")
    os.close(fd)
    worker.join(30)
    assert done and done[0].imported == 1
    ids = [entry["id"] for entry in _entries(mini)]
    assert ids[-2:] == ["critics-called", "critics-called-2"]


def test_two_imports_at_once_lose_nothing(mini: Path) -> None:
    rows = [[_row(f"{side}{n}", f"Note {side}{n}.", ["sourcing"], "Critics called")
             for n in range(20)] for side in "ab"]
    exports = [_export(mini.parent, side, f"{n}.json") for n, side in enumerate(rows)]
    runs = [subprocess.Popen([sys.executable, "-m", "sitegen", "import-hypothesis", str(e),
                              "--article", "sample", "--content", str(mini)], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for e in exports]
    for run in runs:
        _, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
    notes = [entry["note"] for entry in _entries(mini)]
    assert sorted(n for n in notes if isinstance(n, str)) == sorted(
        f"Note {side}{n}." for side in "ab" for n in range(20))
    ids = [entry["id"] for entry in _entries(mini)]
    assert len(ids) == len(set(ids)) == 6 + 40


# ------------------------------------------------------- cause 16: new --from is not quadratic


@pytest.mark.parametrize("paragraph", [
    "The mayor said that the plan was a good plan for the city, number {n}.",
    "The mayor said that the plan was a good plan for the city.",
])
def test_new_from_a_long_article_of_alike_paragraphs(paragraph: str, site_folder: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """85 kB of paragraphs that all open alike: quadratic, this took a minute; the
    searches for example phrases are now bounded."""
    story = site_folder.parent / "story.txt"
    lines = ["Headline"] + [paragraph.format(n=n) for n in range(1500)]
    story.write_text("\n".join(lines) + "\n", "utf-8")
    assert story.stat().st_size > 80_000
    searches = [0]

    def counted(*args: Any, **kwargs: Any) -> Any:
        searches[0] += 1
        return locate(*args, **kwargs)

    monkeypatch.setattr(new_module, "locate", counted)
    result = run_main("new", "story", "--from", story, "--content", site_folder)
    assert result.returncode == 0, result.stderr
    assert 0 < searches[0] <= new_module.MAX_TRIES


@pytest.fixture
def site_folder(tmp_path: Path) -> Path:
    assert run_main("init", "site", cwd=tmp_path).returncode == 0
    return tmp_path / "site"


# ---------------------------------------------------- issue 24: imports that can be repeated


def test_a_second_import_adds_only_new_rows_and_keeps_who_wrote_them(bare: Path) -> None:
    first = [_row("h1", "First.", ["sourcing"], "Critics called",
                  user="acct:alice@hypothes.is", user_info={"display_name": "Alice B."}),
             _row("h2", "Held.", ["nothing"], user="acct:bob@hypothes.is")]
    assert _import(bare, _export(bare.parent, first)).returncode == 0
    text = _annotations(bare).read_text("utf-8")
    assert "  # hypothesis: h1; by: Alice B.\n" in text
    assert "  # hypothesis: h2; by: bob\n" in text
    assert _entries(bare) == [{"id": "critics-called", "category": "sourcing",
                               "quote": "Critics called", "note": "First."}]
    second = [*first, _row("h3", "Third.", ["framing"], "The council will vote")]
    result = _import(bare, _export(bare.parent, second))
    assert result.returncode == 0, result.stderr
    assert "1 annotation(s) imported" in result.stdout
    assert "2 annotation(s) imported before were skipped" in result.stderr
    assert "nothing" not in result.stderr  # the held one's tag was said the first time
    assert [entry["id"] for entry in _entries(bare)] == ["critics-called",
                                                         "the-council-will-vote"]


# -------------------------------------------- what new writes reads back as meant, too


@pytest.mark.parametrize("char", ["\u2028", "\x85"])
def test_new_keeps_yaml_line_breaks_out_of_values_and_comments(char: str, site_folder: Path
                                                               ) -> None:
    site_yaml = site_folder / "site.yaml"
    site_yaml.write_text(site_yaml.read_text("utf-8").replace(
        '"Sourcing"', f'"Sourcing{char}- id: live{char}  note: x"'), "utf-8")
    assert run_main("check", "--content", site_folder).returncode == 0
    story = site_folder.parent / "story.txt"
    story.write_text(f"The plan{char}answer: leaked\nThe mayor said so.\n", "utf-8")
    result = run_main("new", "story", "--from", story, "--content", site_folder)
    assert result.returncode == 0, result.stderr
    folder = site_folder / "articles" / "story"
    assert yaml.safe_load((folder / "annotations.yaml").read_text("utf-8")) == {
        "annotations": None, "voices": None, "questions": None}
    front = (folder / "article.md").read_text("utf-8").split("---\n")[1]
    assert yaml.safe_load(front)["title"] == f"The plan{char}answer: leaked"


@pytest.mark.parametrize("written", [0, 100])
def test_an_import_on_a_full_disk_leaves_the_file_as_it_was(written: int, mini: Path,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    """The disk fills after ``written`` bytes of the new lines: the old bytes go back."""
    path = _annotations(mini)
    before = path.read_bytes()
    real = os.write
    target = os.stat(path).st_ino
    calls = [0]

    def write(fd: int, data: bytes) -> int:
        if os.fstat(fd).st_ino != target:
            return real(fd, data)
        calls[0] += 1
        if calls[0] == 1 and written:
            return real(fd, data[:written])
        if calls[0] == (2 if written else 1):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd, data)  # putting the old bytes back

    monkeypatch.setattr(os, "write", write)
    result = _import(mini, _export(mini.parent, [_row("r1", "A note.", ["sourcing"],
                                                      "Critics called")] * 3))
    monkeypatch.undo()
    assert result.returncode == 2 and "No space left on device" in result.stderr
    assert path.read_bytes() == before


@pytest.mark.parametrize("char", ["\u2028", "\n"])
def test_a_one_line_list_is_shown_at_the_editors_line(char: str, mini: Path) -> None:
    path = _annotations(mini)
    path.write_text(f"# a{char}# b\nannotations: []\n", "utf-8")
    result = _import(mini, _export(mini.parent, [_row("r1", "A note.", ["sourcing"])]))
    assert result.returncode == 2
    line = 2 if char == "\u2028" else 3
    assert f"{path}:{line}: 'annotations' is written on one line" in result.stderr
