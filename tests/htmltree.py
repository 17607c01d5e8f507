"""A small HTML tree for tests, built with the standard library's parser.

Raises on mismatched end tags so a test also catches badly nested output.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr"}
# Elements whose end tag may be omitted by HTML; the builder closes them implicitly.
OPTIONAL_END = {"p", "li", "dt", "dd", "tr", "td", "th", "option"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None = None
    children: list[Element | str] = field(default_factory=list)

    def iter(self) -> Iterator[Element]:
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None,
                 where: Callable[[Element], bool] | None = None, **attrs: str) -> list[Element]:
        found = []
        for el in self.iter():
            if tag and el.tag != tag:
                continue
            if cls and cls not in el.classes:
                continue
            if any(el.attrs.get(k.replace("_", "-")) != v for k, v in attrs.items()):
                continue
            if where and not where(el):
                continue
            found.append(el)
        return found

    def find(self, *args: str | None, **kwargs: str) -> Element | None:
        found = self.find_all(*args, **kwargs)  # type: ignore[arg-type]
        return found[0] if found else None

    def by_id(self, ident: str) -> Element | None:
        return next((el for el in self.iter() if el.attrs.get("id") == ident), None)

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def ancestors(self) -> Iterator[Element]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        el = Element(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(el)
        if tag not in VOID:
            self.current = el

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        el = Element(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(el)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        while self.current.tag != tag and self.current.tag in OPTIONAL_END:
            assert self.current.parent is not None
            self.current = self.current.parent
        if self.current.tag != tag:
            raise AssertionError(f"</{tag}> closes <{self.current.tag}>: badly nested HTML")
        assert self.current.parent is not None
        self.current = self.current.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(html: str) -> Element:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    if builder.current is not builder.root:
        raise AssertionError(f"<{builder.current.tag}> is never closed")
    return builder.root
