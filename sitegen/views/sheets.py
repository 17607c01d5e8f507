"""The classroom sheets every article has (the exercise copy, the annotated student copy
and the teacher key), the links to them that its page and each sheet show (relative to the
article's folder, where they all are), and what every sheet's frame holds.

The teacher key is in the teacher's folder, with the class page, so the students' pages link
only to the student sheets (and to the key locked with a class code, when the build makes
one); the key links to its own folder's pages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Protocol, TypeVar

from sitegen.model import SIFT_STEPS, Site
from sitegen.views.edition import Frame, edition_links, frame_of

EXERCISE, STUDENT, TEACHER, CLASS = "exercise", "handout", "teacher", "class"
KINDS = (EXERCISE, STUDENT, TEACHER)
LABELS = {EXERCISE: "handout_exercise", STUDENT: "handout_student", TEACHER: "handout_teacher",
          CLASS: "teacher_class_page"}


@dataclass(frozen=True)
class HandoutLink:
    kind: str
    label: str
    html: str
    pdf: str | None
    """None when the build makes no PDF."""
    current: bool
    """The sheet showing the link is this one."""


def links(t: Mapping[str, str], *, pdf: bool, locked: bool = False,
          current: str | None = None) -> tuple[HandoutLink, ...]:
    """The links a student page shows: the student sheets, and the teacher key when the
    site holds it ``locked`` with a class code."""
    kinds = KINDS if locked else (EXERCISE, STUDENT)
    return tuple(HandoutLink(kind, t[LABELS[kind]], f"{kind}.html",
                             f"{kind}.pdf" if pdf else None, kind == current)
                 for kind in kinds)


def teacher_links(t: Mapping[str, str], *, pdf: bool) -> tuple[HandoutLink, ...]:
    """The links a page of the teacher's folder shows: the key and the class page."""
    return (HandoutLink(TEACHER, t[LABELS[TEACHER]], f"{TEACHER}.html",
                        f"{TEACHER}.pdf" if pdf else None, False),
            HandoutLink(CLASS, t[LABELS[CLASS]], f"{CLASS}.html", None, False))


GLOSSARY = ("sourcing", "framing", "missing_context", "direct_quote", "paraphrase",
            "attribution", "primary_source", "scare_quotes", "lateral_reading")


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
    return tuple(SiftMove(k, t[f"sift_{k}"], t[f"sift_{k}_text"]) for k in SIFT_STEPS)


@dataclass(frozen=True, kw_only=True)
class SheetFrame(Frame):
    """What every sheet's frame shows (``_sheet.html`` and the reading aids)."""

    kind: str
    sheet_title: str
    interactive: bool
    """The exercise page, where students work in the browser."""
    handouts: tuple[HandoutLink, ...]
    back: str
    """The link back from the sheet: the explainer, or on the teacher's pages their index."""
    back_label: str
    glossary: tuple[Term, ...]
    lines: Lines
    sift: tuple[SiftMove, ...]


V = TypeVar("V", bound="SheetFrame")


def in_the_site(view: V, handouts: tuple[HandoutLink, ...]) -> V:
    """A teacher's sheet as the students' site shows it (the key locked with a class code):
    with the site's ``handouts`` links and the link back to the explainer."""
    return replace(view, handouts=tuple(replace(link, current=link.kind == view.kind)
                                        for link in handouts),
                   back="index.html", back_label=view.t["handout_web_page"])


def sheet_fields(page: Frame, handouts: tuple[HandoutLink, ...], site: Site, slug: str,
                 kind: str) -> dict[str, Any]:
    """The frame of sheet ``kind`` of article ``slug``, by field name (a sheet's view is
    made with ``View(**sheet_fields(…), more=…)``): the frame of the article's ``page`` in
    the same edition (the sheets are in its folder) with its ``handouts`` links, but for
    the links to the sheet in the other editions. A page of the teacher's folder links to
    that folder's pages instead (see ``teacher_links``)."""
    t = page.t
    back, back_label = "index.html", t["handout_web_page"]
    if kind == TEACHER:
        pdf = any(link.pdf is not None for link in handouts)
        handouts = teacher_links(t, pdf=pdf)
        back, back_label = f"{page.root}index.html", t["teacher_index_heading"]
    return {
        **frame_of(page), "editions": edition_links(site, page.lang, page.root,
                                                    f"{slug}/{kind}.html"),
        "kind": kind, "sheet_title": t[LABELS[kind]], "interactive": kind == EXERCISE,
        "handouts": tuple(replace(link, current=link.kind == kind) for link in handouts),
        "back": back, "back_label": back_label,
        "glossary": tuple(Term(t[f"glossary_{k}"], t[f"glossary_{k}_text"]) for k in GLOSSARY),
        "lines": Lines(), "sift": sift_moves(t),
    }


FIRST_STEP = SIFT_STEPS[0]
"""The questions on the whole article at this SIFT step (Stop: before you react or read on)
are asked first: on the article page before the other questions on the whole article, and
on every sheet before the questions on passages too. The others keep the order written."""


class _Stepped(Protocol):
    @property
    def step(self) -> str | None: ...


Q = TypeVar("Q", bound=_Stepped)


def split_first(questions: Iterable[Q]) -> tuple[tuple[Q, ...], tuple[Q, ...]]:
    """Questions on the whole article, as the sheets ask them: those at ``FIRST_STEP``,
    then the others, each part in the order given."""
    every = tuple(questions)
    return (tuple(q for q in every if q.step == FIRST_STEP),
            tuple(q for q in every if q.step != FIRST_STEP))


def stop_first(questions: Iterable[Q]) -> tuple[Q, ...]:
    """Questions on the whole article in the order every page lists them (``FIRST_STEP``)."""
    first, later = split_first(questions)
    return first + later
