"""annotations.yaml's located YAML → the annotations, voices and questions of one article,
checked against the site's categories and editions, with every problem collected."""

from __future__ import annotations

from sitegen.content.factcheck import CHECK_KEYS, SOURCE_KEYS, parse_check, source_extras
from sitegen.content.fields import LocalizedParser, YamlMapping, check_id, check_url, parse_date
from sitegen.content.loader import YNode
from sitegen.content.placeholders import warn_placeholders
from sitegen.errors import Collector, SourceLocation, did_you_mean
from sitegen.model import SIFT_STEPS, Annotation, Question, Selector, Site, Source, Voice

QUOTED = ("direct", "paraphrase")
QUOTED_MEANING = {"indirect": "paraphrase", "indirectly": "paraphrase",
                  "paraphrased": "paraphrase", "reported": "paraphrase", "quote": "direct",
                  "quoted": "direct", "verbatim": "direct", "directly": "direct"}
"""What other words for the two ways of quoting mean (did_you_mean would read 'indirect'
as 'direct', its opposite)."""
CONTEXT = ("prefix", "suffix")


class AnnotationsParser:
    """annotations.yaml → annotations, voices and questions of one article."""

    def __init__(self, site: Site, problems: Collector, language: str | None = None):
        self.site = site
        self.problems = problems
        self.text = LocalizedParser(site.languages, problems)
        self.language = language
        """The article's language: the one a quote in a single text is in."""
        self.categories = [c.key for c in site.categories]
        self.languages = [lang for lang in dict.fromkeys((language, *site.languages)) if lang]
        """The languages a quote may be given in: the article's and the editions'."""

    def parse(self, node: YNode | None) -> tuple[list[Annotation], list[Voice], list[Question]]:
        if node is None:
            return [], [], []
        f = YamlMapping(node, "annotations.yaml", (), ("annotations", "voices", "questions"),
                        self.problems)
        if not f.ok:
            return [], [], []
        annotations = f.each("annotations", self.annotation)
        seen: dict[str, SourceLocation] = {}
        for ann in annotations:
            if ann.id in seen:
                self.problems.error(f"duplicate annotation id '{ann.id}' (first at line "
                                    f"{seen[ann.id].line})", ann.location)
            else:
                seen[ann.id] = ann.location
        return annotations, f.each("voices", self.voice), f.each("questions", self.question)

    def annotation(self, node: YNode) -> Annotation | None:
        f = YamlMapping(node, "annotation", ("id", "category", "note"),
                        ("quote", "prefix", "suffix", "scope", "sources", "question", "answer",
                         "core", *CHECK_KEYS),
                        self.problems)
        if not f.ok:
            return None
        ident = f.text("id", required=True)
        category = self._category(f)
        note = self.text(f, "note", required=True)
        selector, translated, located = self._selectors(f)
        self._scope(f, selector)
        sources = tuple(f.each("sources", self.source))
        question = self.text(f, "question")
        answer = self.text(f, "answer")
        core = f.flag("core")
        warn_placeholders((("note", note), ("question", question), ("answer", answer)),
                          self.problems)
        check = parse_check(f, self.site, self.text, self.source, self.problems)
        if core and question is None:
            self.problems.error("'core: true' needs a 'question'", f.loc("core"),
                                "add the question, or remove 'core'")
        if ident is None or category is None or note is None:
            return None
        if not check_id(ident, f.loc("id"), "annotation id", self.problems):
            return None
        where = tuple((key, child.loc) for key, child in f.items.items()) + tuple(located)
        return Annotation(ident, category, selector, note, sources, question, answer,
                          node.loc, where, core, translated, check)

    def _category(self, f: YamlMapping) -> str | None:
        """The annotation's category key, when the site defines it."""
        category = f.text("category", required=True)
        keys = self.categories
        if category is not None and category not in keys:
            hint = did_you_mean(category, keys) or "categories: " + ", ".join(keys)
            self.problems.error(f"unknown category '{category}'", f.loc("category"), hint)
            return None
        return category

    def _scope(self, f: YamlMapping, selector: Selector | None) -> None:
        """A note without a quote must say it is about the whole article (``scope:
        article``): a forgotten ``quote:`` line would otherwise turn a highlight into one."""
        scope = f.text("scope")
        if scope is not None and scope != "article":
            self.problems.error(f"'scope' can only be article, got '{scope}'", f.loc("scope"),
                                "remove it for a note on a quoted passage")
        elif scope is None and f.get("quote") is None and "note" in f.items:
            self.problems.error("no quote: add `quote:` with the passage's words, or "
                                "`scope: article` if the note is about the whole article",
                                f.node.loc)
        elif scope is not None and selector is not None:
            self.problems.error("'scope: article' is for a note about the whole article, and "
                                "this one has a quote", f.loc("scope"),
                                "remove 'scope' to highlight the quote")

    def _selectors(self, f: YamlMapping) -> tuple[
            Selector | None, tuple[tuple[str, Selector], ...], list[tuple[str, SourceLocation]]]:
        """The quoted passage with its context in the article (None for an article-level
        note), the same passage in its translations, and where each language's text is."""
        located: list[tuple[str, SourceLocation]] = []
        quotes = self._per_language(f, "quote", located)
        context = {key: self._per_language(f, key, located) for key in CONTEXT}
        if not quotes:
            if quotes is not None and any(f.get(key) for key in CONTEXT):
                self.problems.error("'prefix' and 'suffix' need a 'quote'", f.loc("prefix"))
            return None, (), located
        original = self.language or next(iter(quotes))
        for key, texts in context.items():
            for lang in texts or {}:
                if lang not in quotes:
                    self.problems.error(f"'{key}' in '{lang}' goes with a quote in '{lang}', "
                                        "and 'quote' has none", dict(located).get(
                                            f"{key}.{lang}", f.loc(key)),
                                        f'give the quote in each language: quote: '
                                        f'{{{original}: "…", {lang}: "…"}}')
        if original not in quotes:
            self.problems.error(f"'quote' has no text in the article's language ('{original}')",
                                f.loc("quote"), f'start with it: quote: {{{original}: "…", '
                                f'{next(iter(quotes))}: "…"}}')
            return None, (), located

        def selector(lang: str) -> Selector:
            return Selector(quotes[lang], *((context[key] or {}).get(lang) for key in CONTEXT))

        return selector(original), tuple(
            (lang, selector(lang)) for lang in quotes if lang != original), located

    def _per_language(self, f: YamlMapping, key: str, located: list[tuple[str, SourceLocation]]
                      ) -> dict[str, str] | None:
        """A quote, prefix or suffix: one text in the article's language, or a mapping of
        language to text (the article's language and the site's editions). Adds where each
        language's text is to ``located``; None after an error."""
        node = f.get(key)
        if node is None:
            return {}
        if node.kind == "scalar":
            text = f.text(key)
            if key == "quote" and text is not None and not text.strip():
                self.problems.error("'quote' is empty", f.loc(key),
                                    "remove it for an article-level note")
                return None
            if text is None:
                return None
            return {self.language: text} if self.language else {"": text}
        if node.kind != "mapping":
            self.problems.error(f"'{key}' must be text or a mapping of language to text",
                                node.loc)
            return None
        allowed = self.languages
        texts: dict[str, str] = {}
        ok = True
        for lang, child in node.value.items():
            if lang not in allowed:
                hint = did_you_mean(lang, allowed) or "languages: " + ", ".join(allowed)
                self.problems.error(f"'{lang}' in '{key}' is neither the article's language "
                                    f"nor an edition of this site", node.key_locs[lang], hint)
                ok = False
            elif not isinstance(child.value, str) or (key == "quote" and not child.value.strip()):
                what = "non-empty text" if key == "quote" else "text"
                self.problems.error(f"'{key}.{lang}' must be {what}", child.loc)
                ok = False
            else:
                texts[lang] = child.value
                located.append((f"{key}.{lang}", child.loc))
        return texts if ok else None

    def source(self, node: YNode) -> Source | None:
        f = YamlMapping(node, "source", ("publisher",), ("url", "title", "date", *SOURCE_KEYS),
                        self.problems)
        if not f.ok:
            return None
        publisher = f.text("publisher", required=True)
        url = f.text("url")
        title = f.text("title")
        date_node = f.get("date")
        date = parse_date(date_node, "date", self.problems, partial=True) if date_node else None
        if url is not None and not check_url(url, f.loc("url"), self.problems):
            return None
        if publisher is None:
            return None
        source = Source(publisher, url, title, date, *source_extras(f, self.problems))
        if url is None and source.archived is None:
            self.problems.warn(f"source '{publisher}' has neither a URL nor an archived copy: "
                               "readers cannot find it", node.loc,
                               "add url: or archived: (an archive copy's address)")
        return source

    def _misplaced(self, node: YNode, section: str) -> bool:
        """Whether ``node`` is an annotation (an ``id`` and a ``category``) under another
        section, as when the panel's entry is pasted at the end of the file: one error
        saying so, rather than one for each of its keys."""
        if node.kind != "mapping" or not {"id", "category"} <= set(node.value):
            return False
        self.problems.error(f"an annotation under '{section}:'", node.loc,
                            "move it under 'annotations:', above 'voices:'")
        return True

    def voice(self, node: YNode) -> Voice | None:
        if self._misplaced(node, "voices"):
            return None
        f = YamlMapping(node, "voice", ("name", "quoted", "linked"),
                        ("role", "affiliation", "side", "sources"), self.problems)
        if not f.ok:
            return None
        name = f.text("name", required=True)
        quoted = f.text("quoted", required=True)
        if quoted is not None and quoted not in QUOTED:
            meant = QUOTED_MEANING.get(quoted.casefold())
            self.problems.error(f"'quoted' must be direct or paraphrase, got '{quoted}'",
                                f.loc("quoted"), f"did you mean '{meant}'?" if meant
                                else did_you_mean(quoted, QUOTED))
            quoted = None
        linked_node = f.get("linked")
        linked = linked_node.value if linked_node else None
        if linked_node is not None and not isinstance(linked, bool):
            self.problems.error("'linked' must be true or false", linked_node.loc)
        role = self.text(f, "role")
        affiliation = self.text(f, "affiliation")
        side = self.text(f, "side")
        sources = tuple(f.each("sources", self.source))
        if name is None or quoted is None or not isinstance(linked, bool):
            return None
        return Voice(name, role, affiliation, side, quoted, linked, sources)

    def question(self, node: YNode) -> Question | None:
        if self._misplaced(node, "questions"):
            return None
        if node.kind != "mapping" or set(node.value) <= set(self.site.languages):
            text = self.text.parse(node, "question", required=True)
            return Question(text, None, None, node.loc) if text else None
        f = YamlMapping(node, "question", ("question",), ("answer", "step", "core"),
                        self.problems)
        if not f.ok:
            return None
        text = self.text(f, "question", required=True)
        answer = self.text(f, "answer")
        step = f.text("step")
        if step is not None and step not in SIFT_STEPS:
            self.problems.error(f"'step' must be one of {', '.join(SIFT_STEPS)}, got '{step}'",
                                f.loc("step"), did_you_mean(step, SIFT_STEPS))
            step = None
        core = f.flag("core")
        return Question(text, answer, step, node.loc, core) if text else None
