"""The teacher key's one-page lesson outline, fitted to the questions students hold.

A class period cannot hold every core question when several of them send students to
research (Investigate the source, Trace a claim): those take longer than reading a
passage again. So the outline keeps in class the questions on passages, at most two Stop
questions (asked before reading) and one Find question, and gives the others (the research
questions, and any Stop or Find question over those caps) one per group, or as homework
when there is only one. Everything is counted from the article's own core questions, so
every article gets an outline that fits it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from sitegen.model import SIFT_STEPS
from sitegen.views.article import ArticleView, GeneralQuestion

PERIOD = 55
"""One class period, in minutes: the outline's steps add up to it."""
IN_CLASS = {"stop": 2, "find": 1}
"""How many questions on the whole article at each SIFT step are asked in class, the first
ones written; a question with no step is asked in class too. The rest are research."""
STOP_MINUTES = 5
"""First reactions to the headline and the Stop questions, before reading."""
SIFT_MINUTES = 5
"""Handing out the research questions (or, without any, one claim to trace)."""
READING_MINUTES = 10
PER_QUESTION_MINUTES = 4
"""A question answered in class, on a passage or on the whole article."""
EXERCISE_MINUTES = (10, 25)
"""The exercise's shortest and longest time: with the Stop step, about 30 minutes at most."""
OBJECTIVES = ("sourcing", "framing", "context")
TIPS = ("evidence", "wait", "true", "people")


@dataclass(frozen=True)
class LessonStep:
    minutes: str
    name: str
    text: str


@dataclass(frozen=True)
class Lesson:
    """The one-page lesson outline of the teacher key, with the article's own counts."""

    total: str
    summary: str
    core: str
    in_class: str
    """Which questions students answer in class, by kind, and for about how long."""
    later: str | None
    """Which questions are researched one per group or as homework; None: every question
    is answered in class."""
    objectives: tuple[str, ...]
    steps: tuple[LessonStep, ...]
    tips: tuple[str, ...]


@dataclass(frozen=True)
class Split:
    """The core questions on the whole article: those asked in class, and the research."""

    stop: int
    in_class: tuple[GeneralQuestion, ...]
    later: tuple[GeneralQuestion, ...]


def split_for_class(general: tuple[GeneralQuestion, ...]) -> Split:
    """The questions on the whole article asked in class (``IN_CLASS``), and the others, in
    the order written."""
    seen: Counter[str | None] = Counter()
    in_class: list[GeneralQuestion] = []
    later: list[GeneralQuestion] = []
    for q in general:
        seen[q.step] += 1
        if q.step is None or seen[q.step] <= IN_CLASS.get(q.step, 0):
            in_class.append(q)
        else:
            later.append(q)
    return Split(sum(1 for q in in_class if q.step == SIFT_STEPS[0]), tuple(in_class),
                 tuple(later))


def _round5(minutes: float) -> int:
    return max(5, int(5 * round(minutes / 5)))


def _by_step(t: Mapping[str, str], questions: tuple[GeneralQuestion, ...]) -> str:
    """"Stop: 2, Find better coverage: 1", in SIFT order as the student copies label each
    question, then those with no step; "none" for no question."""
    counts = Counter(q.step for q in questions)
    labels = [(t[f"sift_{s}"], counts[s]) for s in SIFT_STEPS if counts[s]]
    if counts[None]:
        labels.append((t["lesson_step_others"], counts[None]))
    return ", ".join(t["lesson_step_count"].format(step=label, n=n)
                     for label, n in labels) or t["lesson_step_none"]


def _step_text(view: ArticleView, step: str, numbers: Mapping[str, int]) -> str:
    """The string that says what happens at a lesson ``step``: the Stop step asks the Stop
    questions kept for class, if any; a practice text has no outlet, author or date to look
    for; research questions are handed out at the SIFT step, and without them a key without
    sources lists none to trace a claim with."""
    if step == "stop" and numbers["stop"]:
        return "lesson_stop_questions_text"
    if step == "exercise" and view.article.practice:
        return "lesson_exercise_practice_text"
    if step == "sift" and numbers["sift"]:
        return "lesson_sift_groups_text" if numbers["sift"] > 1 else "lesson_sift_homework_text"
    if step == "sift" and not view.sources:
        return "lesson_sift_no_sources_text"
    return f"lesson_{step}_text"


def lesson(view: ArticleView, highlights: int) -> Lesson:
    """The outline of ``view``'s article, whose page has ``highlights`` highlights."""
    t = view.t
    questions = view.questions
    per_category = ", ".join(
        t["lesson_category_count"].format(letter=p.category.letter, label=p.category.label,
                                          n=len(p.highlights))
        for p in view.panels)
    core = questions.core()
    marked = len(core.per_highlight) + len(core.general)
    every = len(questions.per_highlight) + len(questions.general)
    split = split_for_class(core.general)
    passages = len(core.per_highlight)
    answered = passages + len(split.in_class) - split.stop
    low, high = EXERCISE_MINUTES
    exercise = min(high, max(low, _round5(READING_MINUTES + PER_QUESTION_MINUTES * answered)))
    rest = PERIOD - STOP_MINUTES - exercise - SIFT_MINUTES
    discuss = 5 * -(-rest // 10)
    minutes = {"stop": STOP_MINUTES, "exercise": exercise, "discuss": discuss,
               "annotated": rest - discuss, "sift": SIFT_MINUTES}
    research = len(split.later)
    numbers = {"stop": split.stop, "exercise": answered, "discuss": len(split.in_class),
               "annotated": highlights, "sift": research}
    return Lesson(
        total=t["lesson_total"].format(n=PERIOD),
        summary=t["lesson_this_article"].format(
            highlights=highlights, categories=per_category,
            questions=len(questions.per_highlight), general=len(questions.general),
            voices=len(view.voices)),
        core=t["lesson_core"].format(n=marked) if marked < every else t["lesson_core_none"],
        in_class=t["lesson_in_class"].format(minutes=STOP_MINUTES + exercise,
                                             passages=passages,
                                             general=_by_step(t, split.in_class)),
        later=(t["lesson_later_groups" if research > 1 else "lesson_later_homework"].format(
            n=research, steps=_by_step(t, split.later)) if research else None),
        objectives=tuple(t[f"lesson_objective_{k}"] for k in OBJECTIVES),
        steps=tuple(
            LessonStep(t["lesson_minutes"].format(n=m), t[f"lesson_{k}"],
                       t[_step_text(view, k, numbers)].format(
                           n=numbers[k], passages=passages,
                           general=len(split.in_class)))
            for k, m in minutes.items()),
        tips=tuple(t[f"lesson_tip_{k}"] for k in TIPS),
    )
