"""Content from strangers: each attack on the content folder, then sitegen's refusal.

Links out of the content folder, files that are not files, files too large to read.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import run_cli, run_main

from sitegen.build.builder import build, check
from sitegen.errors import ContentErrors, SiteError, SourceLocation
from sitegen.fs import MAX_FILE_BYTES, read_regular
from sitegen.model import Localized, Voice, localized_texts


def _errors(content: Path) -> list[str]:
    """The error lines `check` reports for ``content`` (none: an empty list)."""
    try:
        check(content)
    except ContentErrors as exc:
        return [e.format_message() for e in exc.errors]
    return []


OUTSIDE_FILE = "is a link to a file outside the content folder"
OUTSIDE_FOLDER = "is a link to a folder outside the content folder"


@pytest.mark.parametrize("name", ["site.yaml", "articles/sample/article.md",
                                  "articles/sample/annotations.yaml",
                                  "articles/sample/translation.fr.md"])
def test_a_file_linked_from_outside_is_refused(tmp_path: Path, mini: Path, name: str) -> None:
    secret = tmp_path / "secret.txt"
    target = mini / name
    secret.write_bytes(target.read_bytes())  # valid content: only the link is wrong
    target.unlink()
    target.symlink_to(secret)
    errors = _errors(mini)
    assert errors == [f"{target}: {OUTSIDE_FILE} (copy it into the content folder instead "
                      "of linking to it)"]


def test_site_yaml_linked_to_a_huge_file_outside_is_refused_unread(tmp_path: Path,
                                                                    mini: Path) -> None:
    # Hashed for the build cache before anything is loaded: that read must be the
    # content reader too, or this would read 64 GiB (sparse: costs no disk).
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as f:
        f.truncate(64 * 1024**3)
    site = mini / "site.yaml"
    site.unlink()
    site.symlink_to(huge)
    assert [e.split(" (")[0] for e in _errors(mini)] == [f"{site}: {OUTSIDE_FILE}"]


def test_site_yaml_swapped_for_a_link_with_the_same_bytes_is_refused(tmp_path: Path,
                                                                       mini: Path) -> None:
    # A build that has seen these very bytes skips loading site.yaml: the link must
    # still count.
    out = tmp_path / "site"
    build(mini, out, pdf=False)
    copy = tmp_path / "copy.yaml"
    site = mini / "site.yaml"
    copy.write_bytes(site.read_bytes())
    site.unlink()
    site.symlink_to(copy)
    with pytest.raises(ContentErrors) as caught:
        build(mini, out, pdf=False)
    assert [e.format_message().split(" (")[0] for e in caught.value.errors] == [
        f"{site}: {OUTSIDE_FILE}"]


def test_an_article_folder_linked_from_outside_is_refused(tmp_path: Path, mini: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    (mini / "articles" / "sample").rename(elsewhere)
    (mini / "articles" / "sample").symlink_to(elsewhere)
    assert [e.split(" (")[0] for e in _errors(mini)] == [
        f"{mini / 'articles' / 'sample'}: {OUTSIDE_FOLDER}"]


def test_the_articles_folder_linked_from_outside_is_refused(tmp_path: Path, mini: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    (mini / "articles").rename(elsewhere)
    (mini / "articles").symlink_to(elsewhere)
    assert [e.split(" (")[0] for e in _errors(mini)] == [
        f"{mini / 'articles'}: {OUTSIDE_FOLDER}"]


def test_links_inside_the_content_folder_are_followed(mini: Path) -> None:
    shared = mini / "shared-annotations.yaml"
    ann = mini / "articles" / "sample" / "annotations.yaml"
    ann.rename(shared)
    ann.symlink_to(os.path.relpath(shared, ann.parent))
    assert _errors(mini) == []


def test_a_link_to_dev_zero_is_refused_without_reading(mini: Path) -> None:
    article = mini / "articles" / "sample" / "article.md"
    article.unlink()
    article.symlink_to("/dev/zero")
    assert [e.split(" (")[0] for e in _errors(mini)] == [f"{article}: {OUTSIDE_FILE}"]


def test_a_device_is_not_read(tmp_path: Path) -> None:
    # Without a content folder (a file named on the command line), the type check alone.
    link = tmp_path / "article.md"
    link.symlink_to("/dev/zero")
    with pytest.raises(SiteError, match=r"not a regular file \(a device\)"):
        read_regular(link, "article.md")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="this platform has no FIFOs")
def test_a_fifo_is_refused_not_waited_on(tmp_path: Path, mini: Path) -> None:
    # In a subprocess: were the FIFO opened for a blocking read, the test would time out
    # instead of hanging the whole suite.
    article = mini / "articles" / "sample" / "article.md"
    article.unlink()
    os.mkfifo(article)
    result = run_cli("check", "--content", mini)
    assert result.returncode == 1, result.stderr
    assert f"{article}: not a regular file (a FIFO)" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_file_above_the_size_limit_is_refused(mini: Path) -> None:
    article = mini / "articles" / "sample" / "article.md"
    with article.open("r+b") as f:
        f.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk
    assert _errors(mini) == [f"{article}: the file is larger than 5 MB (split it, or remove "
                             "what the page does not need)"]


def test_a_file_at_the_size_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    path.write_bytes(b"a" * MAX_FILE_BYTES)
    assert len(read_regular(path, "big.md")) == MAX_FILE_BYTES


def test_the_model_walk_finds_every_voice_field() -> None:
    # Fields are found by walking the dataclasses, not from a list that could miss one.
    here = SourceLocation("a.yaml", 3, 5)
    voice = Voice("n", Localized((("", "role"),), (here,)), Localized((("en", "aff"),)),
                  Localized((("en", "side"), ("fr", "camp"))), "direct", False, ())
    assert list(localized_texts(voice)) == [("role", here), ("aff", None), ("side", None),
                                            ("camp", None)]


@pytest.mark.parametrize("url", ["https://[lien à retrouver]", "https://[::1", "http://a:99999999/"])
def test_a_url_urllib_cannot_parse_is_a_content_error(mini: Path, url: str) -> None:
    article = mini / "articles" / "sample" / "article.md"
    text = article.read_text("utf-8")
    article.write_text(text.replace("original_url: https://example.org/news/river-plan",
                                    f'original_url: "{url}"'), "utf-8")
    [error] = _errors(mini)
    assert error.startswith(f"{article}:7:15: not a valid URL: '{url}' (")


@pytest.mark.parametrize("number", ["9" * 5000, "0x" + "f" * 5000])
def test_an_integer_beyond_pythons_digit_limit_is_a_content_error(mini: Path,
                                                                  number: str) -> None:
    article = mini / "articles" / "sample" / "article.md"
    text = article.read_text("utf-8")
    article.write_text(text.replace("author: null", f"author: {number}")
                       .replace("language: en", f"language: {number}"), "utf-8")
    [error] = _errors(mini)  # the number is kept as the text it is: a fine author name
    assert error.startswith(f"{article}:3:11: '{number[:100]}")
    assert error.endswith("' is not a language code such as 'fr'")


LOCAL = 'quote: {en: "a local newspaper", fr: "un journal local"}'
"""The mini article's first quote, in English and in its French translation."""


def _annotate(mini: Path, old: str, new: str) -> Path:
    path = mini / "articles" / "sample" / "annotations.yaml"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    return path


def test_escape_sequences_from_content_are_printed_escaped(mini: Path) -> None:
    # YAML's "\e" is ESC: a quote that would turn the terminal red and clear it.
    _annotate(mini, LOCAL, r'quote: "\e[31m\e[2J a local \u202enewspaper"')
    result = run_main("check", "--content", mini)
    assert result.returncode == 1
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr
    assert r"quote not found in article 'sample': '\x1b[31m\x1b[2J a local \u202enewspaper'" \
        in result.stderr


def test_a_quote_matching_thousands_of_places_lists_a_few(mini: Path) -> None:
    article = mini / "articles" / "sample" / "article.md"
    article.write_text(article.read_text("utf-8").rstrip() + " the plan" * 3000, "utf-8")
    ann = _annotate(mini, LOCAL, 'quote: "the plan"')
    [error] = _errors(mini)
    assert error.startswith(f"{ann}:4:12: quote 'the plan' matches 3001 places in article "
                            "'sample': …")
    assert error.count("[the plan]") == 3
    assert "; and 2998 more (add a prefix or suffix to pick one)" in error


def test_a_whole_article_pasted_as_a_quote_gives_a_short_message(mini: Path) -> None:
    _annotate(mini, LOCAL, f'quote: "{"word " * 20000}"')
    [error] = _errors(mini)
    assert len(error) < 1000
    assert "characters …]" in error


def test_a_huge_file_outside_is_never_read_whole(tmp_path: Path, mini: Path) -> None:
    # Every reader goes through the size limit, the build's change detection included:
    # a link to a terabyte file (sparse, so it costs no disk) is refused, not loaded.
    huge = tmp_path / "huge.md"
    with huge.open("wb") as f:
        f.truncate(1 << 40)
    article = mini / "articles" / "sample" / "article.md"
    article.unlink()
    article.symlink_to(huge)
    assert [e.split(" (")[0] for e in _errors(mini)] == [f"{article}: {OUTSIDE_FILE}"]


@pytest.mark.parametrize("name", ["articles/sample/article.md", "articles/sample"])
def test_a_link_to_itself_is_refused(mini: Path, name: str) -> None:
    link = mini / name
    shutil.rmtree(link) if link.is_dir() else link.unlink()
    link.symlink_to(link.name)
    assert [e.split(" (")[0] for e in _errors(mini)] == [
        f"{link}: is a link that leads back to itself"]
