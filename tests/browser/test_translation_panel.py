"""``sitegen serve`` in Chromium, English edition: words selected in our translation give an
entry whose quote is the translation's, per language; with the article's words filled in
and pasted into annotations.yaml, the build marks exactly the words selected."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from test_serve import TIMEOUT, serving  # tests/ is on sys.path (conftest)

from sitegen.content.load import load_article, load_site
from sitegen.errors import Collector
from sitegen.text.anchoring import anchor_article

from .conftest import CONTENT, SEED_SLUG

TIMEOUT_MS = int(TIMEOUT * 1000)
FRENCH = {"prefix": "partagée par ", "suffix": ", le journaliste"}
"""The article's words around its "Elon Musk" of the same passage, for either context."""

# The third "Elon Musk" of the translation's body ("In a video shared by Elon Musk"): the
# words occur several times, so the entry needs a prefix or suffix to pick this one.
SELECT_JS = """() => {
  const texts = [];
  document.querySelectorAll('.translation').forEach(el => {
    const w = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = w.nextNode(); n; n = w.nextNode()) texts.push(n);
  });
  const node = texts.find(n => n.data.includes('shared by Elon Musk'));
  const at = node.data.indexOf('Elon Musk');
  node.parentElement.scrollIntoView({block: 'center'});
  const r = document.createRange();
  r.setStart(node, at); r.setEnd(node, at + 'Elon Musk'.length);
  const box = r.getBoundingClientRect();
  return {x: box.left, y: box.top + box.height / 2, w: box.width};
}"""


def test_words_selected_in_the_translation_are_proposed_as_its_quote(
        browser: Any, tmp_path: Path) -> None:
    with serving(tmp_path, fixture=CONTENT) as served:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        problems: list[str] = []
        page.on("pageerror", lambda exc: problems.append(str(exc)))
        try:
            page.goto(served.url + f"en/{SEED_SLUG}/")
            target = page.evaluate(SELECT_JS)
            page.mouse.move(target["x"] + 1, target["y"])
            page.mouse.down()
            page.mouse.move(target["x"] + target["w"] - 1, target["y"], steps=5)
            page.mouse.up()
            assert page.evaluate("String(getSelection())").strip() == "Elon Musk"
            code = page.locator(".sitegen-annotate-yaml")
            page.wait_for_function("() => document.querySelector("
                                   "'.sitegen-annotate-yaml').textContent.includes('quote')")
            block = code.inner_text()
            entry = yaml.safe_load("annotations:\n" + block)["annotations"][0]
            assert entry["quote"] == {"fr": "…", "en": "Elon Musk"}, block
            context_key = "prefix" if "prefix" in entry else "suffix"
            assert set(entry[context_key]) == {"en"}, block
            # The author gives the article's words for the same passage, then pastes it.
            block = block.replace('fr: "…"', 'fr: "Elon Musk"').replace(
                f"{context_key}: {{", f'{context_key}: {{fr: {json.dumps(FRENCH[context_key])}, ')
            path = served.content / f"articles/{SEED_SLUG}/annotations.yaml"
            path.write_text(path.read_text("utf-8").replace("annotations:\n",
                                                            "annotations:\n" + block, 1), "utf-8")
            problems_found = Collector()
            site = load_site(served.content, problems_found)
            assert site is not None
            article = load_article(served.content / f"articles/{SEED_SLUG}", site,
                                   problems_found)
            assert article is not None
            ready = anchor_article(article, problems_found)
            assert ready is not None, [e.format_message() for e in problems_found.errors]
            (span,) = [s for s in ready.translated_spans["en"]
                       if s.annotation.id == entry["id"]]
            text = ready.translated_text("en")
            assert span.start == text.index("shared by Elon Musk") + len("shared by ")
            mark = page.locator(f'.translation mark[data-annotation="{entry["id"]}"]')
            mark.first.wait_for(state="attached", timeout=TIMEOUT_MS * 3)
            assert "".join(mark.all_text_contents()) == "Elon Musk"
            assert not problems, problems
        finally:
            context.close()

