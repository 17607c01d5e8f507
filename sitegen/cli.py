"""Command line: ``sitegen build | check | serve | init | new | import-hypothesis | schema``;
exit codes 0, 1 (content), 2 (usage).

``make_parser`` declares the arguments; ``COMMANDS`` maps each command to a small function
that runs it and prints its own summary. An error's exit code is the exception's own.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from sitegen import __version__
from sitegen.build.gcpolicy import collect_less
from sitegen.errors import ContentErrors, SiteWarning, UsageError, printable

EXIT_OK, EXIT_USAGE = 0, UsageError.exit_code


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(UsageError(message).format_message(), file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="sitegen", description="Build media-literacy explainer sites.")
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    # The options every command but init shares, declared once.
    shared = _Parser(add_help=False)
    shared.add_argument("--content", type=Path, default=Path("content"), help="content folder")
    on_content = [shared]
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    b = commands.add_parser("build", parents=on_content,
                            help="build the site into an output folder")
    b.add_argument("--out", type=Path, default=Path("_site"),
                   help="the students' site: explainers, exercises, student copies")
    b.add_argument("--teacher-out", type=Path, metavar="DIR",
                   help="the teacher's folder: teacher keys and class pages, never published "
                        "with the site (default: OUT-teacher, beside OUT)")
    b.add_argument("--no-pdf", action="store_true", help="skip the PDF handouts")
    b.add_argument("--jobs", type=_jobs, default=None,
                   help="worker processes (default: one per core)")
    b.add_argument("--no-cache", action="store_true",
                   help="ignore the build cache and render every article")
    commands.add_parser("check", parents=on_content,
                        help="check the content without writing anything")
    s = commands.add_parser("serve", parents=on_content,
                            help="preview the site on 127.0.0.1, rebuilt on each save")
    s.add_argument("--port", type=_port, default=8000, help="port (0: any free port)")
    s.add_argument("--open", action="store_true", help="open the site in a web browser")
    s.add_argument("--pdf", action="store_true",
                   help="also make the PDF handouts (slower: about a second each)")
    i = commands.add_parser("init", help="make a new content folder (site.yaml, articles/)")
    i.add_argument("folder", type=Path, help="the folder to create")
    i.add_argument("--languages", default="en",
                   help="editions, the default first (for example fr,en; default en)")
    n = commands.add_parser("new", parents=on_content,
                            help="start an article: articles/SLUG/ from a text file")
    n.add_argument("slug", help="the article's folder name and URL (a-z, 0-9, '-')")
    n.add_argument("--from", dest="source", type=Path, metavar="FILE",
                   help="the article as .txt (one paragraph a line) or .md, headline first")
    n.add_argument("--language", help="the article's language (default: guessed)")
    h = commands.add_parser("import-hypothesis", parents=on_content,
                            help="add annotations made in Hypothesis (or W3C JSON-LD)")
    h.add_argument("file", type=Path, help="a Hypothesis API search result, or .jsonld")
    h.add_argument("--article", required=True, metavar="SLUG", help="the article to annotate")
    h.add_argument("--tag-map", metavar="TAG=CATEGORY,...",
                   help="which category a tag stands for, beyond keys and labels")
    sc = commands.add_parser("schema", parents=on_content,
                             help="write JSON Schemas of this site for editors")
    sc.add_argument("--out", type=Path, help="where to write them (default: CONTENT/schemas)")
    return parser


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"invalid number of jobs {text!r}: use 1 or more")
    return int(text)


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"invalid port {text!r}: use 0 to 65535")
    return int(text)


def _print_warnings(warnings: Sequence[SiteWarning]) -> None:
    for w in sorted(warnings, key=lambda w: (w.location, w.message)):
        print(w.format_message(), file=sys.stderr)


def _created(paths: Sequence[Path], next_step: str) -> None:
    for path in paths:
        print(f"wrote {path}")
    print(next_step)


def _content_dir(path: Path) -> Path:
    if not path.is_dir():
        raise UsageError(f"content folder {path} does not exist")
    return path


# Each command imports what it needs when it runs: a no-op build must not pay for the
# authoring commands, Markdown or Jinja.


def _build(args: argparse.Namespace) -> int:
    from sitegen.build.builder import build
    from sitegen.output.folder import teacher_folder
    from sitegen.output.stage import split

    teacher = args.teacher_out if args.teacher_out is not None else teacher_folder(args.out)
    code = _class_code()
    result = build(_content_dir(args.content), args.out, teacher=teacher,
                   pdf=not args.no_pdf, jobs=args.jobs, use_cache=not args.no_cache, code=code)
    _print_warnings(result.warnings)
    s = result.stats
    for rel in s.kept:
        is_teacher, inner = split(rel)
        print(printable(f"sitegen: kept {(teacher if is_teacher else args.out) / inner}: "
                        "sitegen no longer makes it, but it was changed after sitegen wrote "
                        "it"), file=sys.stderr)
    print(f"Built {result.pages} pages into {args.out} for the students and "
          f"{result.teacher_pages} into {teacher} for the teacher, never to publish "
          f"({s.written} written, {s.unchanged} unchanged, {s.removed} removed).")
    if code is not None:
        print(f"The teacher key is also in {args.out}, locked with the class code.")
    return EXIT_OK


def _class_code() -> str | None:
    """The class code from the environment, checked (an empty one is a usage error, a weak
    one is said), or None when the teacher key is to stay in the teacher's folder only."""
    from sitegen.output.lock import ENV, checked, code_warning

    raw = os.environ.get(ENV)
    if raw is None:
        return None
    code = checked(raw)
    warning = code_warning(code)
    if warning is not None:
        print(f"sitegen: warning: {warning}", file=sys.stderr)
    return code


def _check(args: argparse.Namespace) -> int:
    from sitegen.build.builder import check
    from sitegen.content.summary import summary

    warnings = check(_content_dir(args.content))
    _print_warnings(warnings)
    counted = f", {len(warnings)} warning(s)" if warnings else ""
    print(f"{args.content}: no errors{counted}.")
    for line in summary(args.content):
        print(printable(line))
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from sitegen.serve.app import serve

    return serve(_content_dir(args.content), port=args.port, open_browser=args.open,
                 pdf=args.pdf)


def _init(args: argparse.Namespace) -> int:
    from sitegen.authoring.init import init, parse_languages

    _created(init(args.folder, parse_languages(args.languages)),
             f"next: sitegen new SLUG --from ARTICLE.txt --content {args.folder}")
    return EXIT_OK


def _new(args: argparse.Namespace) -> int:
    from sitegen.authoring.new import new_article

    made = new_article(args.content, args.slug, args.source, args.language)
    for line in made.said:
        print(line, file=sys.stderr)
    guessed = " (guessed: correct it in article.md if wrong)" if made.guessed else ""
    schemas = "" if made.schemas else (
        f"\nfor your editor: sitegen schema --content {args.content}")
    _created(made.files, f"language: {made.language}{guessed}; "
             f"next: sitegen serve --content {args.content}{schemas}")
    return EXIT_OK


def _import_hypothesis(args: argparse.Namespace) -> int:
    from sitegen.authoring.import_hypothesis import import_hypothesis

    done = import_hypothesis(args.content, args.article, args.file, args.tag_map)
    for problem in done.problems:
        print(f"{problem}", file=sys.stderr)
    held = f", {done.held} written as comments to fix" if done.held else ""
    print(f"{done.path}: {done.imported} annotation(s) imported{held}; "
          f"next: sitegen check --content {args.content}")
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from sitegen.authoring import require_site
    from sitegen.authoring.schema import schema_folder, write_schemas

    site = require_site(args.content)
    _created(write_schemas(site, schema_folder(args.content, args.out)),
             "editors that read the yaml-language-server line now check these files")
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "build": _build,
    "check": _check,
    "serve": _serve,
    "init": _init,
    "new": _new,
    "import-hypothesis": _import_hypothesis,
    "schema": _schema,
}
"""Each command of ``make_parser`` → the function that runs it; it returns the exit code."""


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    collect_less()
    try:
        return COMMANDS[args.command](args)
    except (ContentErrors, UsageError) as exc:
        print(exc.format_message(), file=sys.stderr)
        return exc.exit_code

