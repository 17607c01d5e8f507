"""``sitegen serve`` in Chromium: selecting words of the article shows a ready entry for
annotations.yaml; pasted into the file, it highlights exactly the words selected."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from test_serve import TIMEOUT, serving  # tests/ is on sys.path (conftest)

from sitegen.content.load import load_article, load_site
from sitegen.errors import Collector
from sitegen.text.anchoring import AnchoredArticle, anchor_article
from sitegen.text.quote import fold_str

from .conftest import CONTENT, SEED_SLUG
from .test_accessibility import assert_no_axe_violations

TIMEOUT_MS = int(TIMEOUT * 1000)
ANNOTATIONS = f"articles/{SEED_SLUG}/annotations.yaml"


def _new_page(browser: Any, served: Any) -> tuple[Any, list[str]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served.url[:-1])
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.goto(served.url + f"{SEED_SLUG}/")
    return page, problems


def _prepared(content: Path) -> AnchoredArticle:
    problems = Collector()
    site = load_site(content, problems)
    article = load_article(content / "articles" / SEED_SLUG, site, problems) if site else None
    ready = anchor_article(article, problems) if article else None
    assert ready is not None and not problems.errors, problems.errors
    return ready


def _files(folder: Path) -> dict[Path, tuple[int, int]]:
    return {p: (p.stat().st_mtime_ns, p.stat().st_size) for p in folder.rglob("*")}


def _paste(served: Any, block: str) -> None:
    path = served.content / ANNOTATIONS
    text = path.read_text("utf-8")
    path.write_text(text.replace("annotations:\n", "annotations:\n" + block, 1), "utf-8")


def test_selecting_words_proposes_an_entry_that_anchors_there(browser: Any,
                                                              tmp_path: Path) -> None:
    with serving(tmp_path, fixture=CONTENT) as served:
        files = _files(served.content)
        page, problems = _new_page(browser, served)
        try:
            # The second "Elon Musk" of the text: the words occur many times, so the entry
            # needs a prefix or suffix to pick this one.
            target = page.evaluate("""() => {
                const texts = [];
                document.querySelectorAll('.original').forEach(el => {
                  const w = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
                  for (let n = w.nextNode(); n; n = w.nextNode()) texts.push(n);
                });
                const hits = texts.filter(n => n.data.includes('Elon Musk'));
                const node = hits[1], at = node.data.indexOf('Elon Musk');
                node.parentElement.scrollIntoView({block: 'center'});
                const r = document.createRange();
                r.setStart(node, at); r.setEnd(node, at + 'Elon Musk'.length);
                const box = r.getBoundingClientRect();
                return {x: box.left, y: box.top + box.height / 2, w: box.width};
            }""")
            page.mouse.move(target["x"] + 1, target["y"])
            page.mouse.down()
            page.mouse.move(target["x"] + target["w"] - 1, target["y"], steps=5)
            page.mouse.up()
            assert page.evaluate("String(getSelection())").strip() == "Elon Musk"

            panel = page.locator(".sitegen-annotate")
            code = panel.locator(".sitegen-annotate-yaml")
            code.wait_for(state="visible")
            page.wait_for_function("() => document.querySelector("
                                   "'.sitegen-annotate-yaml').textContent.includes('quote')")
            entry = yaml.safe_load("annotations:\n" + code.inner_text())["annotations"][0]
            assert entry["quote"] == "Elon Musk" and entry["category"] == "sourcing"
            assert entry.get("prefix") or entry.get("suffix")

            panel.get_by_label("Category").select_option("framing")
            page.wait_for_function("() => document.querySelector("
                                   "'.sitegen-annotate-yaml').textContent.includes('framing')")
            panel.get_by_role("button", name="Copy").click()
            page.wait_for_function("() => document.querySelector("
                                   "'.sitegen-annotate-status').textContent.startsWith('Copied')")
            copied = page.evaluate("navigator.clipboard.readText()")
            assert copied == code.inner_text()

            assert _files(served.content) == files, "the server wrote into the content"
            _paste(served, copied)
            new_id = yaml.safe_load("annotations:\n" + copied)["annotations"][0]["id"]
            mark = page.locator(f'mark[data-annotation="{new_id}"]')
            mark.first.wait_for(state="attached", timeout=TIMEOUT_MS * 3)
            assert "".join(mark.all_text_contents()) == "Elon Musk"
            assert "hl-framing" in (mark.first.get_attribute("class") or "")
            # The build anchors the pasted entry on the second "Elon Musk" of the body, the
            # one selected, not the headline's or any other.
            ready = _prepared(served.content)
            (span,) = [s for s in ready.spans if s.annotation.id == new_id]
            text = ready.plain_text
            first = text.index("Elon Musk", ready.body_offset)
            assert span.start == text.index("Elon Musk", first + 1)
            assert not [p for p in problems if "Content Security Policy" in p], problems
            assert not problems, problems
        finally:
            page.context.close()


def _selected(page: Any) -> str:
    return " ".join(page.evaluate("String(getSelection())").split())


def _entry(page: Any) -> dict[str, Any]:
    block = page.locator(".sitegen-annotate-yaml").inner_text()
    return yaml.safe_load("annotations:\n" + block)["annotations"][0]  # type: ignore[no-any-return]


def test_the_panel_works_from_the_keyboard_without_caret_browsing(browser: Any,
                                                                 tmp_path: Path) -> None:
    """Chromium runs without --enable-caret-browsing: the keys alone select words."""
    with serving(tmp_path, fixture=CONTENT) as served:
        files = _files(served.content)
        page, problems = _new_page(browser, served)
        try:
            button = page.get_by_role("button", name="Select with the keyboard")
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.textContent") == \
                "Select with the keyboard"
            assert_no_axe_violations(page, "the keyboard selection button")
            page.keyboard.press("Enter")
            assert button.get_attribute("aria-pressed") == "true"
            headline = page.locator("h1.headline").inner_text()
            assert _selected(page) == " ".join(headline.split())
            # Down: the next sentence, whole, with its full stop; Up: back.
            page.keyboard.press("ArrowDown")
            first = _selected(page)
            assert first.startswith("Le milliardaire Elon Musk,") and first.endswith("l'Ukraine.")
            page.keyboard.press("ArrowUp")
            assert _selected(page) == " ".join(headline.split())
            page.keyboard.press("ArrowDown")
            # Shift+Right: the start a word later; Left: the end a word earlier, its comma
            # left out.
            page.keyboard.press("Shift+ArrowRight")
            page.keyboard.press("Shift+ArrowRight")
            assert _selected(page).startswith("Elon Musk, l'un")
            for _ in range(len(first.split()) - 4):
                page.keyboard.press("ArrowLeft")
            assert _selected(page) == "Elon Musk"
            said = page.locator(".sitegen-annotate-keys [role=status]")
            assert said.inner_text() == "Selected: “Elon Musk”. Enter: annotate."
            # Shift+Down takes the next sentence too (in the next paragraph), Shift+Up
            # gives it back.
            page.keyboard.press("Shift+ArrowDown")
            assert _selected(page).startswith("Elon Musk, l'un")
            assert "Le 18 février" in _selected(page)
            page.keyboard.press("Shift+ArrowUp")
            assert _selected(page).endswith("sur l'Ukraine")
            for _ in range(len(first.split()) - 4):
                page.keyboard.press("ArrowLeft")
            assert _selected(page) == "Elon Musk"
            page.keyboard.press("Enter")

            select = page.locator(".sitegen-annotate select")
            page.wait_for_function("() => document.activeElement && "
                                   "document.activeElement.matches('.sitegen-annotate select')")
            entry = _entry(page)
            assert entry["quote"] == "Elon Musk" and (entry.get("prefix") or entry.get("suffix"))
            assert entry["id"] == "elon-musk"  # two words only: both are the name
            page.keyboard.press("ArrowDown")
            page.wait_for_function("() => document.querySelector("
                                   "'.sitegen-annotate-yaml').textContent.includes('framing')")
            assert select.input_value() == "framing"
            # The id field: a typed id goes into the entry; a wrong one is said, not used.
            page.keyboard.press("Tab")
            id_field = page.locator(".sitegen-annotate-id")
            assert id_field.input_value() == "elon-musk"
            page.keyboard.press("ControlOrMeta+a")
            page.keyboard.type("Musk praise")
            page.wait_for_function("() => document.querySelector("
                                   "'.sitegen-annotate-status').textContent.includes("
                                   "\"'Musk praise' cannot be an id\")")
            assert id_field.get_attribute("aria-invalid") == "true"
            assert _entry(page)["id"] == "elon-musk"
            page.keyboard.press("ControlOrMeta+a")
            page.keyboard.type("musk-praise")
            page.wait_for_function("() => document.querySelector("
                                   "'.sitegen-annotate-yaml').textContent.includes('musk-praise')")
            assert id_field.get_attribute("aria-invalid") is None
            assert_no_axe_violations(page, "the select-to-annotate panel")
            page.keyboard.press("Tab")
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.textContent") == "Copy"
            page.keyboard.press("Enter")
            page.wait_for_function("() => document.querySelector("
                                   "'.sitegen-annotate-status').textContent.startsWith('Copied')")
            copied = page.evaluate("navigator.clipboard.readText()")
            assert yaml.safe_load("annotations:\n" + copied)["annotations"][0]["id"] == \
                "musk-praise"
            # Escape closes the panel and gives the focus back to the walk, which goes on.
            page.keyboard.press("Escape")
            assert page.locator(".sitegen-annotate").is_hidden()
            assert page.evaluate("document.activeElement.textContent") == \
                "Select with the keyboard"
            page.keyboard.press("ArrowDown")
            assert _selected(page).startswith("Le 18 février")
            page.keyboard.press("Escape")
            assert button.get_attribute("aria-pressed") == "false"
            assert _selected(page) == ""
            assert not problems, problems
        finally:
            page.context.close()
        assert _files(served.content) == files, "the server wrote into the content"


def test_the_keyboard_walks_the_translation_too(browser: Any, tmp_path: Path) -> None:
    """On the English edition, T moves the walk into our translation; its words are
    proposed as the translation's quote."""
    with serving(tmp_path, fixture=CONTENT) as served:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        try:
            page.goto(served.url + f"en/{SEED_SLUG}/")
            page.keyboard.press("Tab")
            page.keyboard.press("Enter")
            page.keyboard.press("t")
            headline = page.evaluate("""() => Array.from(
                document.querySelector('.headline-translation').childNodes)
                .filter(n => !(n.matches && n.matches('.label')))
                .map(n => n.textContent).join('')""")
            headline = " ".join(headline.split())
            assert _selected(page) == headline
            page.keyboard.press("Enter")
            page.wait_for_function("() => document.querySelector("
                                   "'.sitegen-annotate-yaml').textContent.includes('quote')")
            quote = _entry(page)["quote"]
            # The words as translation.en.md has them: its apostrophe is typeset on the page.
            assert quote["fr"] == "…" and fold_str(quote["en"]) == fold_str(headline)
        finally:
            context.close()
