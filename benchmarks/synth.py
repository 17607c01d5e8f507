"""Deterministic synthetic content folders for benchmarks.

`write_site(root, n, seed)` writes `root/site.yaml` and `n` articles of about 800 words, each
with about 20 annotations (some nested, overlapping or crossing a paragraph break), voices
and questions. The same (n, seed) always gives the same bytes.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

CATEGORIES = ("sourcing", "framing", "context")
PARAGRAPHS = 10
WORDS_PER_PARAGRAPH = 80
FREE_TAIL = "and that is where the matter rests for now"
"""The last sentence of every article: never annotated nor emphasised, so `edits.py` can
change its final word without moving or breaking any quote."""

_WORDS = """
    about above across action activity actual added address admit adult affect after again
    against agency agree ahead allow almost alone along already also always amount analysis
    annual another answer anyone appear apply area argue around arrive article aside assess
    attack author avoid award balance based basic battle beach become before begin behind
    believe benefit better beyond bill board body border brief bring broad budget build
    business buyer cabinet call campaign capital career carry case cause center chair
    chance change charge check choice citizen claim class clear climate close coach coast
    common company concern council count country course court cover create crime critic
    crowd current cycle damage data debate decade decide deep defend degree delay demand
    deny deputy design detail develop device direct doctor donor draft early economy effort
    election energy enough entire event evidence exact expert export factor family farmer
    federal figure final finance follow force foreign former forward frame fund future
    garden general giant global govern group growth guard harbor health heavy history
    holiday housing impact import income index inquiry island issue journal judge labor
    launch leader legal letter level likely local major market measure media member method
    middle minister model moment motion nation nearly network notice number office online
    option order output owner panel parent partner party period permit person planet policy
    poll power press price private profit program project public question quota radio
    rally range rapid rate reader record reform region report result review river rural
    safety sample school season sector senate series signal source speech spokesman staff
    statement station study summit supply survey system target teacher tender theory
    trade trial union urban valley value vendor village voter wage warning water weekly
    witness worker writer yearly
    """
VOCABULARY = tuple(_WORDS.split())
NAMES = (
    "Ada Brennan",
    "Bo Castell",
    "Cleo Duarte",
    "Dev Eriksen",
    "Eli Fontaine",
    "Fay Galloway",
    "Gus Haddad",
    "Ida Ishikawa",
    "Jon Kovacs",
    "Kim Lindqvist",
    "Lou Moreau",
    "Max Novak",
)
ROLES = ("a minister", "an analyst", "a local resident", "a spokesman", "an economist", "a judge")
SIDES = ("government", "opposition", "independent", "industry")
NOTES = (
    "The article gives **no source** for this claim.",
    "A loaded word: compare with the *neutral* alternatives a reader might expect.",
    "Missing context: the figure is not compared with any earlier year.",
    "Who says so? The text attributes this only to *unnamed officials*.",
    "The order of facts here puts the **reaction** before the event itself.",
    "A reader would need to know who funds the group quoted here.",
)


@dataclass(frozen=True)
class Span:
    """Tokens `start` (inclusive) to `end` (exclusive) of the article body."""

    start: int
    end: int


@dataclass(frozen=True)
class Body:
    tokens: list[str]
    paragraph_of: list[int]
    emphasised: set[int]
    free_from: int

    @property
    def paragraphs(self) -> int:
        return self.paragraph_of[-1] + 1

    def paragraph_range(self, p: int) -> tuple[int, int]:
        first = self.paragraph_of.index(p)
        last = len(self.paragraph_of) - 1 - self.paragraph_of[::-1].index(p)
        return first, min(last + 1, self.free_from)


def _sentence(rng: random.Random, length: int) -> list[str]:
    words = [rng.choice(VOCABULARY) for _ in range(length)]
    if length > 8 and rng.random() < 0.4:
        words[rng.randrange(2, length - 3)] += ","
    words[0] = words[0].capitalize()
    words[-1] += "."
    return words


def _body(rng: random.Random, paragraphs: int = PARAGRAPHS) -> Body:
    tokens: list[str] = []
    paragraph_of: list[int] = []
    for p in range(paragraphs):
        count = 0
        while count < WORDS_PER_PARAGRAPH - 6:
            sentence = _sentence(rng, rng.randint(8, 16))
            tokens += sentence
            paragraph_of += [p] * len(sentence)
            count += len(sentence)
    free_from = len(tokens)
    tail = FREE_TAIL.split()
    tail[0] = tail[0].capitalize()
    tail[-1] += "."
    tokens += tail
    paragraph_of += [paragraphs - 1] * len(tail)
    plain_words = [i for i in range(free_from) if tokens[i].isalpha()]
    emphasised = set(rng.sample(plain_words, 8))
    return Body(tokens, paragraph_of, emphasised, free_from)


def _text(tokens: list[str], span: Span) -> str:
    return " ".join(tokens[span.start : span.end])


def _unique(plain: str, quote: str) -> bool:
    first = plain.find(quote)
    return first != -1 and plain.find(quote, first + 1) == -1


class _Picker:
    """Chooses spans whose text occurs exactly once in the article's plain text."""

    def __init__(self, rng: random.Random, body: Body, plain: str) -> None:
        self.rng, self.body, self.plain = rng, body, plain
        self.taken: set[Span] = set()

    def grow(self, start: int, end: int, limit: int) -> Span | None:
        """The shortest span from `start`, at least to `end` and below `limit`, that is unique."""
        for stop in range(end, limit + 1):
            span = Span(start, stop)
            if _unique(self.plain, _text(self.body.tokens, span)) and span not in self.taken:
                self.taken.add(span)
                return span
        return None

    def simple(self) -> Span | None:
        first, limit = self.body.paragraph_range(self.rng.randrange(self.body.paragraphs))
        start = self.rng.randrange(first, limit - 12)
        return self.grow(start, start + self.rng.randint(3, 9), min(start + 14, limit))

    def nested(self, outer: Span) -> Span | None:
        if outer.end - outer.start < 6:
            return None
        start = self.rng.randrange(outer.start + 1, outer.end - 3)
        return self.grow(start, start + 2, outer.end - 1)

    def overlapping(self, other: Span) -> Span | None:
        start = (other.start + other.end) // 2
        p = self.body.paragraph_of[start]
        limit = self.body.paragraph_range(p)[1]
        return self.grow(start, other.end + 2, min(other.end + 10, limit))

    def crossing(self, p: int) -> Span | None:
        start = self.body.paragraph_range(p + 1)[0] - self.rng.randint(2, 3)
        return self.grow(start, start + 5, start + 10)


def _spans(rng: random.Random, body: Body, plain: str) -> list[tuple[str, Span]]:
    picker = _Picker(rng, body, plain)
    found: list[tuple[str, Span | None]] = [("simple", picker.simple()) for _ in range(10)]
    simple = [s for _, s in found if s is not None]
    longest = sorted(simple, key=lambda s: s.start - s.end)[:3]
    found += [("nested", picker.nested(s)) for s in longest]
    found += [("overlapping", picker.overlapping(s)) for s in simple[3:6]]
    found += [("crossing", picker.crossing(p)) for p in rng.sample(range(PARAGRAPHS - 2), 3)]
    return [(kind, span) for kind, span in found if span is not None]


def _markdown(body: Body) -> str:
    paragraphs: list[list[str]] = [[] for _ in range(body.paragraphs)]
    for i, token in enumerate(body.tokens):
        word = f"*{token}*" if i in body.emphasised else token
        paragraphs[body.paragraph_of[i]].append(word)
    return "\n\n".join(" ".join(words) for words in paragraphs) + "\n"


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _annotation_yaml(
    rng: random.Random, article: int, number: int, quote: str | None, kind: str
) -> str:
    """One annotation. Its texts name the article: real notes are not shared between
    articles, so a cache of rendered Markdown must not look better here than in use."""
    category = CATEGORIES[number % len(CATEGORIES)]
    lines = [f"  - id: {category}-{number}", f"    category: {category}"]
    if quote is not None:
        lines.append(f"    quote: {_q(quote)}")
    else:
        lines.append("    scope: article")  # a note on the whole article says so
    lines.append(
        f"    note: {_q(rng.choice(NOTES) + f' (Report {article}, {kind} highlight {number}.)')}"
    )
    if rng.random() < 0.5:
        lines += [
            "    sources:",
            f"      - title: {_q(f'Background report {number}')}",
            "        publisher: Example Institute",
            "        date: 2025-01-02",
            f"        url: https://example.org/report/{number}",
        ]
    if rng.random() < 0.3:
        lines.append(
            f"    question: {_q(f'What would you check before trusting passage {number}?')}"
        )
        lines.append(
            f"    answer: {_q(f'Look for the original of report {article} and who published it.')}"
        )
    return "\n".join(lines)


def _annotations(rng: random.Random, article: int, body: Body, plain: str) -> str:
    spans = _spans(rng, body, plain)
    parts = ["annotations:"]
    for number, (kind, span) in enumerate(spans, 1):
        parts.append(_annotation_yaml(rng, article, number, _text(body.tokens, span), kind))
    parts.append(_annotation_yaml(rng, article, len(spans) + 1, None, "article-level"))
    parts.append("voices:")
    for name in rng.sample(NAMES, 3):
        parts += [
            f"  - name: {name}",
            f"    role: {_q(rng.choice(ROLES))}",
            f"    quoted: {rng.choice(('direct', 'paraphrase'))}",
            f"    linked: {rng.choice(('true', 'false'))}",
            f"    side: {_q(rng.choice(SIDES))}",
        ]
    parts += [
        "questions:",
        f"  - question: {_q(f'Who is quoted in report {article}, and who is not?')}",
        f"    answer: {_q(f'In report {article} only officials speak; no resident is quoted.')}",
        f"  - {_q(f'Which word in headline {article} carries a judgement?')}",
    ]
    return "\n".join(parts) + "\n"


def write_article(directory: Path, index: int, seed: int) -> None:
    """Write `article.md` and `annotations.yaml` for article `index` into `directory`."""
    rng = random.Random(f"{seed}:{index}")
    title = f"Report {index}: " + " ".join(rng.choice(VOCABULARY) for _ in range(5)).capitalize()
    body = _body(rng)
    plain = title + " " + " ".join(body.tokens)
    write_files(directory, title, _markdown(body), _annotations(rng, index, body, plain))


def write_files(directory: Path, title: str, markdown: str, annotations: str) -> None:
    """An article folder: `article.md` (English, titled) and `annotations.yaml`."""
    directory.mkdir(parents=True, exist_ok=True)
    front = f"---\ntitle: {_q(title)}\nlanguage: en\n---\n\n"
    (directory / "article.md").write_text(front + markdown, encoding="utf-8")
    (directory / "annotations.yaml").write_text(annotations, encoding="utf-8")


SITE_YAML = """\
title: "Synthetic benchmark site"
languages: [en]
categories:
  sourcing:
    label: "Sourcing"
    description: "Who speaks, and can it be traced to the original?"
    color: "#1f6fb2"
  framing:
    label: "Framing"
    description: "Word choices and emphasis: how the text steers the reader."
    color: "#b5481d"
  context:
    label: "Missing context"
    description: "What the text leaves out that a reader needs."
    color: "#2e7d4f"
"""


def slug(index: int) -> str:
    return f"article-{index:05d}"


ArticleWriter = Callable[[Path, int, int], None]


def write_site(root: Path, n: int, seed: int = 0, *, article: ArticleWriter = write_article,
               name: Callable[[int], str] = slug) -> None:
    """Write a content folder with `n` articles into `root` (created if missing); `article`
    and `name` make another corpus (synth_links.py)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    for index in range(n):
        article(root / "articles" / name(index), index, seed)


def main(argv: list[str] | None = None, site: Callable[[Path, int, int], None] = write_site,
         doc: str | None = __doc__) -> int:
    parser = argparse.ArgumentParser(description=doc)
    parser.add_argument("root", type=Path, help="content folder to write")
    parser.add_argument("-n", type=int, default=100, help="number of articles")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    site(args.root, args.n, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
