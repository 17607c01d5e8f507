"""The theme's stylesheets given to WeasyPrint parsed, once per process (``pdf._parsed``):
the same PDF as with the page's links followed, their warnings said for every page, and
every stylesheet loaded by its link when the page is not one of sitegen's plain sheets;
the font configuration those pages share."""

from __future__ import annotations

import pytest
from conftest import ROOT, Built

from sitegen.content.load import load_site
from sitegen.errors import Collector
from sitegen.theme import pdf
from sitegen.views.assets import theme_assets

SHEET = "musk-riyadh/handout.html"
ASSETS = {"assets/a.css": b"p { color: #000 }", "assets/b.css": b"p { margin: 0 }",
          "assets/font.css": b"@font-face { font-family: X; src: local(X) }",
          "assets/logo.svg": b"<svg xmlns='http://www.w3.org/2000/svg'/>"}


def test_parsed_stylesheets_print_the_same_pdf(built_seed: Built,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The student copy uses both ways of ranking a rule (``!important`` in handout.css
    over categories.css, the @page margin boxes, columns): byte for byte the same."""
    site = load_site(ROOT / "content", Collector())
    assert site is not None
    html = (built_seed.out / SHEET).read_bytes()
    assets = theme_assets(site)
    root = pdf._weasyprint().HTML(string=html).etree_element
    assert pdf._linked_sheets(root, pdf.SITE_URL + SHEET, assets) == [
        "assets/categories.css", "assets/handout.css"]
    parsed = pdf.html_to_pdf(html, path=SHEET, assets=assets, fits=("fit-snug",))
    monkeypatch.setattr(pdf, "_linked_sheets", lambda *args: [])
    assert pdf.html_to_pdf(html, path=SHEET, assets=assets, fits=("fit-snug",)) == parsed


def test_a_stylesheets_warnings_are_said_for_every_page() -> None:
    html = b"<!DOCTYPE html><html><head><link rel='stylesheet' href='../assets/bad.css'>"
    assets = {"assets/bad.css": b"p { colr: #000 }"}
    for _ in range(2):  # parsed by the first page, taken parsed by the second
        messages: list[str] = []
        pdf.html_to_pdf(html + b"<p>Bonjour", path="a/b.html", assets=assets,
                        messages=messages)
        assert any("colr" in m for m in messages), messages


@pytest.mark.parametrize(("head", "expected"), [
    ("<link rel='stylesheet' href='../assets/a.css'>"
     "<link rel='stylesheet' href='../assets/b.css' media='print'>"
     "<link rel='stylesheet' href='../assets/a.css' media='screen'>"
     "<link rel='icon' href='../assets/logo.svg'>", ["assets/a.css", "assets/b.css"]),
    ("<link rel='stylesheet' href='../assets/a.css'><style>p { margin: 0 }</style>", []),
    ("<link rel='stylesheet' href='../assets/a.css'><base href='https://example.org/'>", []),
    ("<link rel='stylesheet' href='../assets/a.css'><p style='margin: 0'>", []),
    ("<link rel='alternate stylesheet' href='../assets/a.css'>", []),
    ("<link rel='Stylesheet' href='../assets/a.css'>", []),
    ("<link rel='stylesheet' href='../assets/a.css' type='text/css'>", []),
    ("<link rel='stylesheet' href='../assets/a.css' media='print, screen'>", []),
    ("<link rel='stylesheet' href='../assets/a.css?v=1'>", []),
    ("<link rel='stylesheet' href='../assets/font.css'>", []),
    ("<link rel='stylesheet' href='../assets/logo.svg'>", []),
    ("<link rel='stylesheet' href='../assets/missing.css'>", []),
])
def test_which_stylesheets_are_given_parsed(head: str, expected: list[str]) -> None:
    """Anything but sitegen's plain links, even what would rank the same, is left to
    WeasyPrint: every stylesheet of that page is then loaded by its link."""
    root = pdf._weasyprint().HTML(string=f"<!DOCTYPE html><html><head>{head}</head>"
                                         "<body><p>Bonjour</p></body></html>").etree_element
    assert pdf._linked_sheets(root, pdf.SITE_URL + "a/b.html", ASSETS) == expected


def test_pages_of_theme_stylesheets_share_the_font_configuration(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The process's fonts, loaded once (``pdf._font_config``); a page that may declare
    fonts of its own (here an ``@font-face``) is laid out with a configuration of its own."""
    given: list[object] = []
    html_class = pdf._weasyprint().HTML
    render = html_class.render

    def spy(self: object, *args: object, **kwargs: object) -> object:
        given.append(kwargs.get("font_config"))
        return render(self, *args, **kwargs)

    monkeypatch.setattr(html_class, "render", spy)
    page = "<!DOCTYPE html><html><head><link rel='stylesheet' href='../assets/{}'></head>"
    for sheet in ("a.css", "b.css", "font.css"):
        pdf.html_to_pdf(page.format(sheet).encode() + b"<body><p>Bonjour", path="a/b.html",
                        assets=ASSETS)
    assert given[0] is not None and given[1] is given[0] and given[2] is None
