"""Write docs/troubleshooting.md: the common mistakes and what ``sitegen check`` says about
each, made from the broken fixture sites (tests/fixtures/broken), so the page shows the
messages as sitegen prints them today. Each fixture holds the files that differ from the
valid mini site; this script lays it over a copy of the mini site, runs ``check`` on it,
and writes what it printed beside the line it points at.

    .venv/bin/python scripts/troubleshooting.py

tests/test_troubleshooting.py makes the page again in memory and compares it with the file,
so a changed message, or a new fixture without a line in ``MISTAKES``, fails the tests.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import sys
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitegen.cli import main  # noqa: E402  (after the path is set: run as a script)
from sitegen.errors import printable  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
BROKEN = FIXTURES / "broken"
PAGE = ROOT / "docs" / "troubleshooting.md"
_WHERE = re.compile(r"^content/([^:]+):(\d+):\d+: ")
_INVISIBLE = re.compile("[\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff]")

MISTAKES: dict[str, list[tuple[str, str]]] = {
    "YAML: spaces, dashes and colons": [
        ("yaml-tab", "A tab instead of spaces"),
        ("yaml-unicode-indent", "Indentation pasted from a web page (no-break spaces)"),
        ("yaml-indent-key", "A key indented one space too few"),
        ("yaml-indent-item", "An entry pasted at the wrong column"),
        ("yaml-indent-under-item", "The first key after '- ' not lined up with the next"),
        ("yaml-key-at-dash-column", "A key of an annotation lined up with its '- '"),
        ("yaml-block-text", "The text of a `note: |` indented less than the note"),
        ("yaml-block-not-indented", "The text under `note: |` not indented at all"),
        ("yaml-forgotten-dash", "A forgotten '- ' before the `id:` of a new annotation"),
        ("yaml-dash-without-space", "No space after the dash ('-id:')"),
        ("yaml-key-without-space", "No space after a colon ('category:sourcing')"),
        ("yaml-key-without-colon", "A key without its colon ('quote \"Critics\"')"),
        ("yaml-front-matter-key-without-colon", "A key without its colon in the front matter"),
        ("yaml-language-colon", "A language without its colon ('fr \"…\"'), in a block"),
        ("language-without-colon", "A language without its colon, on one line"),
        ("duplicate-yaml-key", "A key written twice in one annotation"),
        ("yaml-colon-in-text", "': ' in unquoted text"),
        ("yaml-colon-in-list-text", "': ' in an unquoted question"),
        ("yaml-front-matter-colon", "': ' in unquoted text in the front matter"),
        ("yaml-hash-in-text", "' #' in unquoted text"),
    ],
    "YAML: quotation marks and brackets": [
        ("yaml-curly-quotes", "Curly quotation marks around a text"),
        ("quote-curly-quotes", "Curly quotation marks around a quote"),
        ("prefix-curly-quotes", "Curly quotation marks around a prefix"),
        ("curly-quotes-around-note", "Curly quotation marks around a note (a warning)"),
        ("yaml-doubled-quote", "Two double quotes at the start"),
        ("yaml-quote-inside-quotes", "A straight quote inside a text in straight quotes"),
        ("invalid-yaml", "A quote never closed"),
        ("yaml-unclosed-at-end", "An apostrophe that opens a text in single quotes"),
        ("yaml-unclosed-brace", "A { never closed"),
        ("yaml-alias", "A YAML anchor or alias"),
        ("front-matter-not-closed", "Front matter without its closing '---'"),
    ],
    "Quotes that are not found": [
        ("quote-not-found", "A typo in a quote"),
        ("quote-cut-word", "A word of the quote that the text has in another form"),
        ("quote-wrong-case", "A quote without the text's capitals"),
        ("quote-with-ellipsis", "A quote shortened with '…'"),
        ("quote-from-summary", "A quote copied from the summary"),
        ("quote-ambiguous", "A quote that occurs more than once"),
        ("prefix-mismatch", "A prefix that is not the text just before the quote"),
        ("several-files", "Mistakes in several files: all are listed"),
        ("translation-paragraphs", "A translation with a paragraph missing"),
    ],
    "Annotations": [
        ("no-quote", "A forgotten `quote:` line"),
        ("annotation-under-questions", "An annotation pasted at the end, under `questions:`"),
        ("placeholder-left-in", "The panel's example note left in (a warning)"),
        ("unknown-category", "A misspelt category"),
        ("unknown-key", "A misspelt key"),
        ("bad-id", "An id with capitals or underscores"),
        ("duplicate-id", "The same id twice"),
        ("core-not-boolean", "`core: yes`, or `core:` without a question"),
        ("not-an-edition", "A text in a language the site has no edition in"),
        ("voice-quoted", "A voice's `quoted:` misspelt"),
        ("voice-quoted-indirect", "A voice's `quoted:` in other words"),
        ("bad-date", "A source's date that is no date"),
        ("bad-source-url", "A source's address that is not a web address"),
    ],
    "The article and site.yaml": [
        ("missing-title", "No title in the front matter"),
        ("practice-typo", "`kind:` misspelt"),
        ("non-http-original-url", "An original address that is not a web address"),
        ("nested-too-deeply", "Lists nested too deeply in the text"),
        ("image-in-body", "An image in the text"),
        ("image-in-voice-fields", "An image in a voice's fields"),
        ("image-in-category-description", "An image in a category's description"),
        ("bad-link-in-note", "A link that is not a web or mail address"),
        ("site-missing-label", "A category without its label"),
        ("bad-language-list", "`languages:` not a list"),
        ("slug-taken-assets", "An article folder named as a folder of the site"),
        ("slug-taken-fr", "An article folder named as an edition"),
    ],
    "Files": [
        ("invalid-utf8", "A file not saved as UTF-8"),
        ("nul-byte", "A file with a NUL character (saved as UTF-16)"),
    ],
}
"""Each broken fixture, by section, with the mistake it shows in plain words."""


def broken_site(case: str, dest: Path) -> Path:
    """The mini site with the files of the broken fixture ``case`` laid over it, as
    ``dest/content``."""
    content = dest / "content"
    shutil.copytree(FIXTURES / "mini", content)
    source = BROKEN / case
    for path in source.rglob("*"):
        if path.is_file() and path.name != "expected.txt":
            target = content / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)  # a file of a new article
            shutil.copy(path, target)
    return content


def reported(case: str) -> list[str]:
    """What ``sitegen check --content content`` prints on standard error for ``case``,
    but for its count line."""
    folder = Path.cwd()
    err = io.StringIO()
    with tempfile.TemporaryDirectory() as tmp:
        broken_site(case, Path(tmp))
        try:
            os.chdir(tmp)
            with redirect_stdout(io.StringIO()), redirect_stderr(err):
                main(["check", "--content", "content"])
        finally:
            os.chdir(folder)
    return [line for line in err.getvalue().splitlines() if not line.startswith("sitegen:")]


def _written(case: str, rel: str, line: int) -> str | None:
    """Line ``line`` of the fixture's file ``rel``, as the author wrote it, with what does
    not show written as an escape (a tab as ``\\t``, a no-break space as ``\\xa0``)."""
    path = BROKEN / case / rel
    if not path.is_file() or line <= 0:
        return None
    lines = path.read_bytes().decode("utf-8", "replace").split("\n")
    if line > len(lines):
        return None
    return printable(_INVISIBLE.sub(lambda m: m.group().encode("unicode_escape").decode(),
                                    lines[line - 1].rstrip()))


def _section(case: str, title: str) -> list[str]:
    said = reported(case)
    out = [f"### {title}", ""]
    for message in said:
        where = _WHERE.match(message)
        written = where and _written(case, where.group(1), int(where.group(2)))
        if where and written:
            kind = "yaml" if where.group(1).endswith(".yaml") else "text"
            out += [f"`{where.group(1)}`, line {where.group(2)}:", "", f"```{kind}", written,
                    "```", ""]
    out += ["`sitegen check` says:", "", "```text",
            *(line.removeprefix("content/") for line in said), "```", ""]
    return out


def render() -> str:
    """The page, made from the fixtures as they are."""
    out = [
        "# Common mistakes and what `sitegen check` says",
        "",
        "<!-- Made by scripts/troubleshooting.py from tests/fixtures/broken: run it again "
        "rather than editing this page. -->",
        "",
        "Each mistake below was made on purpose in a small site, and the page shows what",
        "`sitegen check` (and the preview's error box) answers, word for word. A message",
        "starts with the file, the line and the column to look at; the words in brackets say",
        "how to mend it. A YAML mistake adds a second, indented line with the YAML parser's",
        "own words, for readers who know YAML: the first line is the one to follow.",
        "",
        "Paths are those inside the content folder (`articles/<slug>/annotations.yaml`).",
        "Nothing is written while `check` reports an error; a warning does not stop the",
        "build. A character that does not show is written as an escape: `\\t` for a tab,",
        "`\\xa0` for a no-break space.",
        "",
    ]
    for heading, cases in MISTAKES.items():
        out += [f"## {heading}", ""]
        for case, title in cases:
            out += _section(case, title)
    return "\n".join(out).rstrip("\n") + "\n"


if __name__ == "__main__":
    PAGE.write_text(render(), "utf-8")
    print(f"wrote {PAGE.relative_to(ROOT)}")
