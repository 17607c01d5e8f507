"""A second synthetic corpus: longer, link-heavy articles, so that results do not depend
on one shape of content.

`write_site(root, n, seed)` writes `root/site.yaml` (one edition) and `n` articles of about
940 words: six sections, each a heading, two paragraphs with four links, a code span,
emphasis and strong text, and a list of four linked items; 12 annotations (11 quotes, one
article-level note), whose notes link to their sources too; 3 voices and 2 questions. The
article ends with synth.FREE_TAIL, so benchmarks/edits.py can edit it. Deterministic.
"""

from __future__ import annotations

import random
from pathlib import Path

import synth
from synth import CATEGORIES, FREE_TAIL, NAMES, NOTES, ROLES, SIDES, VOCABULARY, _q

from sitegen.text.markdown import BLOCK_SEPARATOR, parse_body

SECTIONS = 6
LINKS_PER_PARAGRAPH = 4
QUOTES = 11


def _words(rng: random.Random, count: int) -> list[str]:
    return [rng.choice(VOCABULARY) for _ in range(count)]


def _paragraph(rng: random.Random, words: int, links: int) -> str:
    """Sentences of plain words with ``links`` links, a code span, emphasis and strong."""
    out = _words(rng, words)
    out[0] = out[0].capitalize()
    for i in range(8, words, 11):
        out[i] += "."
    out[-1] += "."
    slots = rng.sample(range(1, words - 4), links + 3)
    for k, at in enumerate(slots[:links]):
        out[at] = f"[{out[at]} {out[at + 1]}](https://example.org/{rng.choice(VOCABULARY)}/{k})"
        out[at + 1] = ""
    code, em, strong = slots[links:]
    for at, wrap in ((code, "`{}_{}`"), (em, "*{}*"), (strong, "**{}**")):
        if out[at] and out[at].isalpha():
            out[at] = wrap.format(out[at], *([rng.choice(VOCABULARY)] if "_" in wrap else []))
    return " ".join(w for w in out if w)


def _body(rng: random.Random) -> str:
    blocks: list[str] = []
    for _ in range(SECTIONS):
        blocks.append("## " + " ".join(_words(rng, 4)).capitalize())
        blocks += [_paragraph(rng, 55, LINKS_PER_PARAGRAPH) for _ in range(2)]
        blocks.append("\n".join(
            f"- {' '.join(_words(rng, 7)).capitalize()} "
            f"[{rng.choice(VOCABULARY)}](https://example.org/list/{i})." for i in range(4)))
    tail = FREE_TAIL.split()
    blocks.append(" ".join([tail[0].capitalize(), *tail[1:-1], tail[-1] + "."]))
    return "\n\n".join(blocks) + "\n"


def _quotes(rng: random.Random, plain: str) -> list[str]:
    """Runs of 3 to 7 words found exactly once in the article's plain text."""
    blocks = [b.split(" ") for b in plain.split(BLOCK_SEPARATOR)[1:-1] if b.count(" ") > 12]
    found: list[str] = []
    while len(found) < QUOTES:
        words = rng.choice(blocks)
        start = rng.randrange(0, len(words) - 8)
        quote = " ".join(words[start:start + rng.randint(3, 7)])
        if plain.count(quote) == 1 and quote not in found:
            found.append(quote)
    return found


def _annotation(rng: random.Random, article: int, number: int, quote: str | None) -> str:
    category = CATEGORIES[number % len(CATEGORIES)]
    note = (f"{rng.choice(NOTES)} See [the {category} report]"
            f"(https://example.org/report/{article}/{number}) and "
            f"[its data](https://example.org/data/{number}) (article {article}, note {number}).")
    lines = [f"  - id: {category}-{number}", f"    category: {category}"]
    if quote is not None:
        lines.append(f"    quote: {_q(quote)}")
    else:
        lines.append("    scope: article")  # a note on the whole article says so
    lines.append(f"    note: {_q(note)}")
    lines += ["    sources:", f"      - title: {_q(f'Background report {number}')}",
              "        publisher: Example Institute", "        date: 2025-01-02",
              f"        url: https://example.org/report/{number}"]
    if number % 3 == 0:
        lines.append(f"    question: {_q(f'What would you check in passage {number}?')}")
        lines.append(f"    answer: {_q(f'Follow [the link](https://example.org/{article}).')}")
    return "\n".join(lines)


def write_article(directory: Path, index: int, seed: int) -> None:
    rng = random.Random(f"links:{seed}:{index}")
    title = f"Dossier {index}: " + " ".join(_words(rng, 5)).capitalize()
    body = _body(rng)
    plain = title + BLOCK_SEPARATOR + parse_body(body).text
    parts = ["annotations:"]
    parts += [_annotation(rng, index, n, q) for n, q in enumerate(_quotes(rng, plain), 1)]
    parts.append(_annotation(rng, index, QUOTES + 1, None))
    parts.append("voices:")
    for name in rng.sample(NAMES, 3):
        parts += [f"  - name: {name}", f"    role: {_q(rng.choice(ROLES))}",
                  f"    quoted: {rng.choice(('direct', 'paraphrase'))}",
                  f"    linked: {rng.choice(('true', 'false'))}",
                  f"    side: {_q(rng.choice(SIDES))}"]
    parts += ["questions:",
              f"  - question: {_q(f'Which links in dossier {index} lead to a primary source?')}",
              f"    answer: {_q('Only [the data](https://example.org/data) does.')}",
              f"  - {_q(f'Who is missing from dossier {index}?')}"]
    synth.write_files(directory, title, body, "\n".join(parts) + "\n")


def slug(index: int) -> str:
    return f"dossier-{index:05d}"


def write_site(root: Path, n: int, seed: int = 0) -> None:
    synth.write_site(root, n, seed, article=write_article, name=slug)


if __name__ == "__main__":
    raise SystemExit(synth.main(site=write_site, doc=__doc__))
