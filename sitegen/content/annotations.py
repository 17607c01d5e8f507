"""annotations.yaml's located YAML → the annotations, voices and questions of one article,
checked against the site's categories and editions, with every problem collected."""

from __future__ import annotations

from sitegen.content.fields import LocalizedParser, YamlMapping, check_id, check_url, parse_date
from sitegen.content.loader import YNode
from sitegen.errors import Collector, SourceLocation, did_you_mean
from sitegen.model import SIFT_STEPS, Annotation, Question, Selector, Site, Source, Voice

QUOTED = ("direct", "paraphrase")


class AnnotationsParser:
    """annotations.yaml → annotations, voices and questions of one article."""

    def __init__(self, site: Site, problems: Collector):
        self.site = site
        self.problems = problems
        self.text = LocalizedParser(site.languages, problems)

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
                        ("quote", "prefix", "suffix", "sources", "question", "answer", "core"),
                        self.problems)
        if not f.ok:
            return None
        ident = f.text("id", required=True)
        category = self._category(f)
        note = self.text(f, "note", required=True)
        selector = self._selector(f)
        sources = tuple(f.each("sources", self.source))
        question = self.text(f, "question")
        answer = self.text(f, "answer")
        core = f.flag("core")
        if core and question is None:
            self.problems.error("'core: true' needs a 'question'", f.loc("core"),
                                "add the question, or remove 'core'")
        if ident is None or category is None or note is None:
            return None
        if not check_id(ident, f.loc("id"), "annotation id", self.problems):
            return None
        where = tuple((key, f.loc(key)) for key in f.items)
        return Annotation(ident, category, selector, note, sources, question, answer,
                          node.loc, where, core)

    def _category(self, f: YamlMapping) -> str | None:
        """The annotation's category key, when the site defines it."""
        category = f.text("category", required=True)
        keys = [c.key for c in self.site.categories]
        if category is not None and category not in keys:
            hint = did_you_mean(category, keys) or "categories: " + ", ".join(keys)
            self.problems.error(f"unknown category '{category}'", f.loc("category"), hint)
            return None
        return category

    def _selector(self, f: YamlMapping) -> Selector | None:
        """The quoted passage with its context, or None for an article-level note."""
        quote = f.text("quote")
        if quote is not None and not quote.strip():
            self.problems.error("'quote' is empty", f.loc("quote"),
                                "remove it for an article-level note")
        elif quote is not None:
            return Selector(quote, f.text("prefix"), f.text("suffix"))
        elif f.get("prefix") or f.get("suffix"):
            self.problems.error("'prefix' and 'suffix' need a 'quote'", f.loc("prefix"))
        return None

    def source(self, node: YNode) -> Source | None:
        f = YamlMapping(node, "source", ("publisher", "url"), ("title", "date"), self.problems)
        if not f.ok:
            return None
        publisher = f.text("publisher", required=True)
        url = f.text("url", required=True)
        title = f.text("title")
        date_node = f.get("date")
        date = parse_date(date_node, "date", self.problems, partial=True) if date_node else None
        if url is not None and not check_url(url, f.loc("url"), self.problems):
            return None
        if publisher is None or url is None:
            return None
        return Source(publisher, url, title, date)

    def voice(self, node: YNode) -> Voice | None:
        f = YamlMapping(node, "voice", ("name", "quoted", "linked"),
                        ("role", "affiliation", "side", "sources"), self.problems)
        if not f.ok:
            return None
        name = f.text("name", required=True)
        quoted = f.text("quoted", required=True)
        if quoted is not None and quoted not in QUOTED:
            self.problems.error(f"'quoted' must be direct or paraphrase, got '{quoted}'",
                                f.loc("quoted"), did_you_mean(quoted, QUOTED))
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
