"""The classroom sheets every article has (the exercise copy, the annotated student copy
and the teacher key), the links to them that its page and each sheet show (relative to the
article's folder, where they all are), and what every sheet's frame holds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sitegen.views.edition import Edition, Frame, fields_of, page_root

EXERCISE, STUDENT, TEACHER = "exercise", "handout", "teacher"
KINDS = (EXERCISE, STUDENT, TEACHER)
LABELS = {EXERCISE: "handout_exercise", STUDENT: "handout_student", TEACHER: "handout_teacher"}


@dataclass(frozen=True)
class HandoutLink:
    kind: str
    label: str
    html: str
    pdf: str | None
    """None when the build makes no PDF."""
    current: bool
    """The sheet showing the link is this one."""


def links(t: Mapping[str, str], *, pdf: bool, current: str | None = None
          ) -> tuple[HandoutLink, ...]:
    return tuple(HandoutLink(kind, t[LABELS[kind]], f"{kind}.html",
                             f"{kind}.pdf" if pdf else None, kind == current)
                 for kind in KINDS)


GLOSSARY = ("sourcing", "framing", "missing_context", "direct_quote", "paraphrase",
            "attribution", "primary_source", "scare_quotes", "lateral_reading")
SIFT = ("stop", "investigate", "find", "trace")


@dataclass(frozen=True)
class Lines:
    """Ruled lines left to write on under each question of the student copies."""

    per_highlight: int = 2
    general: int = 3
    exercise: int = 2


@dataclass(frozen=True)
class Term:
    term: str
    text: str


@dataclass(frozen=True)
class SiftMove:
    key: str
    name: str
    text: str


def sift_moves(t: Mapping[str, str]) -> tuple[SiftMove, ...]:
    """The SIFT moves, on the article page and every sheet."""
    return tuple(SiftMove(k, t[f"sift_{k}"], t[f"sift_{k}_text"]) for k in SIFT)


@dataclass(frozen=True, kw_only=True)
class SheetFrame(Frame):
    """What every sheet's frame shows (``_sheet.html`` and the reading aids)."""

    kind: str
    sheet_title: str
    interactive: bool
    """The exercise page, where students work in the browser."""
    handouts: tuple[HandoutLink, ...]
    glossary: tuple[Term, ...]
    lines: Lines
    sift: tuple[SiftMove, ...]


def sheet_fields(ed: Edition, slug: str, title: str, kind: str, *, pdf: bool
                 ) -> dict[str, Any]:
    """The frame of sheet ``kind`` of article ``slug`` in edition ``ed``, by field name
    (a sheet's view is made with ``View(**sheet_fields(…), more=…)``)."""
    root = page_root(ed.site, ed.lang, 1)
    t = ed.t
    return {
        **fields_of(ed.frame(root, f"{slug}/{kind}.html", title)), "kind": kind,
        "sheet_title": t[LABELS[kind]], "interactive": kind == EXERCISE,
        "handouts": links(t, pdf=pdf, current=kind),
        "glossary": tuple(Term(t[f"glossary_{k}"], t[f"glossary_{k}_text"]) for k in GLOSSARY),
        "lines": Lines(), "sift": sift_moves(t),
    }
