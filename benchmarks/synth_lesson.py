"""A third synthetic corpus, the one issue 25 measures its clean build on: lesson-ready
articles of about 900 words, each with 12 annotations that all have a note, a question
and an answer.

`write_site(root, n, seed)` writes `root/site.yaml` (one edition) and `n` articles: eleven
paragraphs of plain sentences with a few emphasised words, ending with synth.FREE_TAIL (so
benchmarks/edits.py can edit it), and 12 quoted annotations (simple, nested and crossing a
paragraph break), no voices and no article-level questions. Deterministic.
"""

from __future__ import annotations

import random
from pathlib import Path

import synth
from synth import CATEGORIES, NOTES, VOCABULARY, Span, _body, _markdown, _Picker, _q, _text

PARAGRAPHS = 11
ANNOTATIONS = 12


def _spans(picker: _Picker) -> list[Span]:
    """``ANNOTATIONS`` spans whose texts each occur once: two nested in longer ones, two
    across a paragraph break, the rest simple."""
    found = [s for s in (picker.simple() for _ in range(ANNOTATIONS - 4)) if s is not None]
    found += [s for s in map(picker.nested, sorted(found, key=lambda s: s.start - s.end)[:2])
              if s is not None]
    crossing = picker.rng.sample(range(PARAGRAPHS - 2), 2)
    found += [s for s in map(picker.crossing, crossing) if s is not None]
    while len(found) < ANNOTATIONS:
        span = picker.simple()
        if span is not None:
            found.append(span)
    return found


def _annotation(rng: random.Random, article: int, number: int, quote: str) -> str:
    category = CATEGORIES[number % len(CATEGORIES)]
    note = f"{rng.choice(NOTES)} (Lesson {article}, highlight {number}.)"
    question = f"What would a reader check before trusting passage {number} of lesson {article}?"
    answer = (f"Who said it and where: lesson {article} names no **source** for passage "
              f"{number}, so look for the *original* report.")
    return "\n".join([f"  - id: {category}-{number}", f"    category: {category}",
                      f"    quote: {_q(quote)}", f"    note: {_q(note)}",
                      f"    question: {_q(question)}", f"    answer: {_q(answer)}"])


def write_article(directory: Path, index: int, seed: int) -> None:
    rng = random.Random(f"lesson:{seed}:{index}")
    title = f"Lesson {index}: " + " ".join(rng.choice(VOCABULARY) for _ in range(5)).capitalize()
    body = _body(rng, PARAGRAPHS)
    picker = _Picker(rng, body, title + " " + " ".join(body.tokens))
    spans = sorted(_spans(picker), key=lambda s: (s.start, s.end))
    parts = ["annotations:"]
    parts += [_annotation(rng, index, n, _text(body.tokens, s)) for n, s in enumerate(spans, 1)]
    synth.write_files(directory, title, _markdown(body), "\n".join(parts) + "\n")


def slug(index: int) -> str:
    return f"lesson-{index:05d}"


def write_site(root: Path, n: int, seed: int = 0) -> None:
    synth.write_site(root, n, seed, article=write_article, name=slug)


if __name__ == "__main__":
    raise SystemExit(synth.main(site=write_site, doc=__doc__))
