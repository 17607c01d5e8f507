"""The class page in a real Chromium, with questions keyed by names that are also Object's own
("constructor", "__proto__"): a student's file that lacks one answer, or gives the other,
shows just that (nothing inherited, no error). The seed's class page is served with its two
first question keys renamed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from htmltree import parse

from .conftest import SEED_SLUG, TEACHER_MOUNT, Browsing
from .test_class import no_dialog, page_data, saved_file

ODD = ("constructor", "__proto__")


def test_question_keys_named_like_object_s_own(browsing: Browsing, teacher_dir: Path,
                                                tmp_path: Path) -> None:
    path = f"{SEED_SLUG}/class.html"
    html = (teacher_dir / path).read_text("utf-8")
    data = page_data(teacher_dir / path)
    for key, odd in zip(data["questions"][:2], ODD, strict=True):
        html = html.replace(f'"{key}"', f'"{odd}"')
    renamed = parse(html).by_id("class-data")
    assert renamed is not None and json.loads(renamed.text())["questions"][:2] == list(ODD)
    data = {**data, "questions": list(ODD)}
    student = tmp_path / "ana.html"
    student.write_text(saved_file(data, "Ana", [], answers={"__proto__": "Ana's answer"}),
                       "utf-8")

    def renamed_page(route: Any) -> None:
        route.fulfill(body=html, content_type="text/html; charset=utf-8")

    page = browsing.new_page()
    page.route(f"{browsing.base_url}{TEACHER_MOUNT}/{path}", renamed_page)
    page.goto(f"{TEACHER_MOUNT}/{path}")
    dialogs = no_dialog(page)
    page.set_input_files("#class-files", [str(student)])
    S = data["strings"]
    page.locator("#class-status").filter(has_text=S["read"].format(n=1)).wait_for()

    def answer(key: str) -> list[str]:
        return page.locator(f'[data-answers="{key}"] .class-answer-text').all_text_contents()

    assert answer("constructor") == [S["no_answer"]]
    assert answer("__proto__") == ["Ana's answer"]
    assert dialogs == []
