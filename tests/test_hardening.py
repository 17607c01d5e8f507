"""Hostile input to the build, its output folders and content loading: each cause found by
the second red team, tried with at least two variants (issue 26: 3, 5, 6, 7, 9-12, 14)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sitegen.build import cache
from sitegen.build.builder import Builder
from sitegen.content import loader
from sitegen.errors import SiteError, SiteWarning, SourceLocation, UsageError
from sitegen.output.folder import Output, teacher_folder
from sitegen.output.stage import MARKER
from sitegen.text import markdown
from tests.conftest import FIXTURES, ROOT, run_main

POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names and FIFOs")
LOADERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])


def _build(content: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return run_main("build", "--content", content, "--out", out, "--no-pdf")


def _one_line_error(done: subprocess.CompletedProcess[str], code: int) -> str:
    assert done.returncode == code, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    return done.stderr


# 3. Output paths that are one file on a disk that ignores case or normalisation.

@pytest.mark.parametrize("slug", ["pt-br", "assets"])
def test_a_slug_equal_to_a_site_name_but_for_case_is_refused(mini: Path, tmp_path: Path,
                                                             slug: str) -> None:
    site = mini / "site.yaml"
    site.write_text(site.read_text("utf-8").replace("languages: [en, fr]",
                                                    "languages: [en, fr, pt-BR]"), "utf-8")
    shutil.copytree(mini / "articles" / "sample", mini / "articles" / slug)
    err = _one_line_error(_build(mini, tmp_path / "out"), 1)
    assert f"article folder name '{slug}' is taken by the site itself" in err
    if slug == "pt-br":
        assert "'pt-BR/'" in err and "ignores case" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("pair", [("A.html", "a.html"), ("caf\u00e9/x", "CAFE\u0301/x")])
def test_two_output_paths_that_are_one_file_on_a_folding_disk_are_refused(
        tmp_path: Path, pair: tuple[str, str]) -> None:
    with Output(tmp_path / "out") as output:
        place = output.open()
        staged = {rel: place.stage(rel, rel.encode()) for rel in pair}
        with pytest.raises(UsageError, match="one file on a disk that ignores case"):
            output.commit(staged)


@pytest.mark.parametrize("teacher", ["SITE/answers", "Site"])
def test_a_teacher_folder_in_or_at_the_site_but_for_case_is_refused(tmp_path: Path,
                                                                  teacher: str) -> None:
    done = run_main("build", "--content", FIXTURES / "mini", "--out", tmp_path / "site",
                    "--teacher-out", tmp_path / teacher, "--no-pdf")
    assert "is inside --out" in _one_line_error(done, 2)


# 5. A marker proves its own folder only.

def _copy_marker_into(built: Path, target: Path) -> None:
    target.mkdir(exist_ok=True)
    (target / "index.html").write_text("my own page", "utf-8")
    shutil.copy(built / MARKER, target / MARKER)


@pytest.mark.parametrize("how", ["another folder", "same path, new folder", "same folder"])
def test_a_copied_marker_makes_no_file_of_the_user_sitegens(tmp_path: Path, how: str) -> None:
    first = tmp_path / "first"
    assert _build(FIXTURES / "mini", first).returncode == 0
    target = first
    if how == "another folder":
        target = tmp_path / "mine"
        _copy_marker_into(first, target)
    elif how == "same path, new folder":  # the folder sitegen made is moved away
        saved = tmp_path / "saved"
        first.rename(saved)
        _copy_marker_into(saved, first)
    else:  # the folder itself emptied, and its marker copied back from a backup
        saved = tmp_path / "saved"
        shutil.copytree(first, saved)
        for entry in first.iterdir():
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        _copy_marker_into(saved, first)
    err = _one_line_error(_build(FIXTURES / "mini", target), 2)
    assert "index.html was not written by sitegen" in err
    assert (target / "index.html").read_text("utf-8") == "my own page"


def test_a_copy_of_a_whole_site_is_still_built_into(tmp_path: Path) -> None:
    first, copy = tmp_path / "first", tmp_path / "copy"
    assert _build(FIXTURES / "mini", first).returncode == 0
    shutil.copytree(first, copy)
    shutil.copytree(teacher_folder(first), teacher_folder(copy))  # both folders of the build
    done = _build(FIXTURES / "mini", copy)
    assert done.returncode == 0, done.stderr
    assert "0 written" in done.stdout


# 6. No traceback.

@POSIX
@pytest.mark.parametrize("name", [b"notes\xff.txt", b"translation.\xfe.md"])
def test_a_file_name_that_is_not_utf8_is_reported(mini: Path, tmp_path: Path,
                                                  name: bytes) -> None:
    folder = os.fsencode(mini / "articles" / "sample")
    with open(folder + b"/" + name, "w", encoding="utf-8") as fh:
        fh.write("text\n")
    done = _build(mini, tmp_path / "out")
    assert "Traceback" not in done.stderr
    shown = os.fsdecode(name).encode("unicode_escape").decode("ascii")
    assert shown in done.stderr
    again = _build(mini, tmp_path / "out")  # from the cache: the same report
    assert done.returncode == again.returncode and shown in again.stderr


@pytest.mark.parametrize("variable", ["XDG_STATE_HOME", "XDG_CACHE_HOME"])
@pytest.mark.parametrize("below", [False, True])
def test_a_state_or_cache_variable_naming_a_file_is_one_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str, below: bool) -> None:
    (tmp_path / "a-file").write_text("", "utf-8")
    monkeypatch.setenv(variable, str(tmp_path / "a-file" / "sub" if below else tmp_path / "a-file"))
    done = _build(FIXTURES / "mini", tmp_path / "out")
    assert "Traceback" not in done.stderr
    if variable == "XDG_STATE_HOME":
        assert done.returncode == 2 and "set XDG_STATE_HOME to a folder" in done.stderr
    else:  # the build cache is only a speed-up: a warning
        assert done.returncode == 0 and "cannot use the build cache folder" in done.stderr


@pytest.mark.parametrize("parser", LOADERS, ids=lambda p: p.__name__)
@pytest.mark.parametrize("text", [
    'note: "\\ud800"\n', 'x: 1\nnote: [a, "b\\uDFFF"]\n', "note: " + "[" * 10000 + "]" * 10000,
    "note:\n" + "".join(" " * i + "- \n" for i in range(1, 3000)), 'note: "\\U00110000"\n',
], ids=["surrogate", "surrogate-in-list", "deep-flow", "deep-block", "beyond-unicode"])
def test_hostile_yaml_is_an_error_in_either_parser(monkeypatch: pytest.MonkeyPatch,
                                                   parser: type, text: str) -> None:
    monkeypatch.setattr(loader, "_SafeLoader", parser)
    with pytest.raises(SiteError) as caught:
        loader.parse_yaml(text, "a.yaml")
    assert caught.value.location.line >= 1
    assert caught.value.format_message().startswith("a.yaml:")


# 7. Nothing in an output folder that is not a regular file is opened.

@POSIX
@pytest.mark.parametrize("where", [MARKER, "index.html", "teacher:sample/class.html"])
def test_a_fifo_in_an_output_folder_never_hangs_the_build(tmp_path: Path, where: str) -> None:
    out = tmp_path / "out"
    if where != MARKER:
        assert _build(FIXTURES / "mini", out).returncode == 0
    folder = out.with_name("out-teacher") if where.startswith("teacher:") else out
    path = folder / where.removeprefix("teacher:")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    done = subprocess.run([sys.executable, "-m", "sitegen", "build", "--content",
                           str(FIXTURES / "mini"), "--out", str(out), "--no-pdf"],
                          capture_output=True, text=True, timeout=60, check=False, cwd=ROOT)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr


# 9. Compiled templates only in the private cache folder.

@pytest.mark.parametrize("cache_home", ["set", "unset"])
def test_compiled_templates_are_kept_in_the_users_cache_never_in_the_source_tree(
        tmp_path: Path, cache_home: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "XDG_CACHE_HOME"}
    env["HOME"] = str(tmp_path / "home")
    if cache_home == "set":
        env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    code = "from sitegen.theme import template_cache; print(template_cache.FOLDER)"
    folder = Path(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                 check=True, env=env, cwd=ROOT).stdout.strip())
    expected = tmp_path / ("cache" if cache_home == "set" else "home/.cache")
    assert folder == expected / "sitegen" / "templates"
    assert not folder.is_relative_to(ROOT)


# 10. The article is verbatim.

@pytest.mark.parametrize("definition", ['[1]: https://example.com "Title"',
                                        "[Source]: <https://example.com/a b>"])
def test_a_link_reference_definition_stays_in_the_text(definition: str) -> None:
    html = markdown.ParsedFields().html(f"See the source.\n\n{definition}\n")
    assert "example.com" in html and "<a " not in html


@pytest.mark.parametrize("file", ["article.md", "translation.fr.md"])
def test_a_nul_in_an_article_is_refused_at_its_line(mini: Path, tmp_path: Path,
                                                    file: str) -> None:
    path = mini / "articles" / "sample" / file
    lines = path.read_text("utf-8").split("\n")
    lines[-2] += "\0"
    path.write_text("\n".join(lines), "utf-8")
    err = _one_line_error(_build(mini, tmp_path / "out"), 1)
    assert f"{file}:{len(lines) - 1}:" in err and "the text holds a NUL character" in err


# 11. Every message printed is one line of printable text.

@pytest.mark.parametrize("value", ["x\n::error::pwned", "\x1b[2J\u202eevil\u2028more\r"])
def test_messages_escape_line_breaks_controls_and_bidi(value: str) -> None:
    loc = SourceLocation(f"a{value}.yaml", 2, 3)
    for message in (SiteError(value, loc, value).format_message(),
                    SiteWarning(value, loc).format_message(),
                    UsageError(f"--out {value}").format_message(),
                    SiteError("bad", loc, detail=value).format_message().split("\n")[1]):
        assert not any(c in message for c in "\x1b\u202e\u2028\r\n")


# 12. Lines counted as an editor counts them, whatever YAML counts.

@pytest.mark.parametrize("parser", LOADERS, ids=lambda p: p.__name__)
@pytest.mark.parametrize("brk", ["\u2028", "\u2029", "\x85"])
def test_yaml_line_separators_do_not_move_locations(monkeypatch: pytest.MonkeyPatch,
                                                    parser: type, brk: str) -> None:
    monkeypatch.setattr(loader, "_SafeLoader", parser)
    node = loader.parse_yaml(f'a: "x{brk}y"\nb: 1\nc: two\n', "a.yaml")
    assert node is not None
    assert [node.key_locs[k].line for k in "abc"] == [1, 2, 3]
    assert node.value["c"].loc.column == 4
    with pytest.raises(SiteError) as caught:
        loader.parse_yaml(f'a: "x{brk}y"\nb: 1\nc: "open\n', "a.yaml")
    assert (caught.value.location.line, caught.value.location.column) == (3, 4)
    assert "at 3:4" in (caught.value.detail or "")


# 14. The build cache key holds the versions of the libraries that shape the output.

@pytest.mark.parametrize(("library", "folder"), [
    ("markdown-it-py", "markdown_it_py-999.0.dist-info"),
    ("markdown-it-py", "markdown-it-py-999.0.dist-info"),  # as older installers named it
    ("jinja2", "Jinja2-999.0.dist-info"),
])
def test_a_new_library_version_changes_the_site_key(monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path, library: str,
                                                    folder: str) -> None:
    builder = Builder(FIXTURES / "mini", None, pdf=False)
    before = builder._site_key()
    (tmp_path / folder).mkdir()  # a newer version, installed where Python looks first
    monkeypatch.setattr(sys, "path", [str(tmp_path), *sys.path])
    cache.library_versions.cache_clear()  # as in a new process, after the upgrade
    monkeypatch.setattr(cache, "library_versions", cache.library_versions.__wrapped__)
    assert f"{library}=999.0" in cache.library_versions()
    assert builder._site_key() != before


def test_library_versions_are_the_installed_ones(monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    from importlib import metadata

    monkeypatch.setattr(cache, "library_versions", cache.library_versions.__wrapped__)
    assert cache.library_versions() == " ".join(
        f"{name}={metadata.version(name)}" for name in cache.LIBRARIES)
    # Found no other way (an egg, a zip): importlib.metadata says.
    monkeypatch.setattr(sys, "path", [str(tmp_path)])
    monkeypatch.setattr(metadata, "version", lambda name: f"{len(name)}.0")
    assert cache.library_versions() == " ".join(
        f"{name}={len(name)}.0" for name in cache.LIBRARIES)
