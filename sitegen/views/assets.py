"""The theme's files as the site has them under ``assets/``: the stylesheets and scripts
of ``static/``, and the site's own stylesheet, made from site.yaml's colours.

The build makes them once, for the site's files and for every handout PDF.

Each category gets a tint behind its text, a line style and a letter badge, so it is told
apart by more than colour; the switches of the legend hide a category by a body class.
"""

from __future__ import annotations

from sitegen.model import Site
from sitegen.theme import templates
from sitegen.views.colors import BLACK, TEXT, WHITE, contrast, projector_fill, strong, tint
from sitegen.views.edition import Edition

LINE_STYLES = ("solid", "dashed", "dotted", "double", "solid")
"""A category's underline, by its place in site.yaml."""


def theme_assets(site: Site) -> dict[str, bytes]:
    """Site path → bytes of every file under ``assets/``."""
    files = {f"assets/{p.name}": p.read_bytes() for p in sorted(templates.STATIC.iterdir())
             if p.is_file() and not p.name.startswith(".")}
    files["assets/categories.css"] = categories_css(site).encode("utf-8")
    return files


def categories_css(site: Site) -> str:
    rules: list[str] = ["/* Made by sitegen from site.yaml: category colours and cues. */"]
    for cat in site.categories:
        k = cat.key
        line_color = strong(cat.color)
        background = tint(cat.color)
        projected = projector_fill(cat.color)
        assert contrast(TEXT, background) >= 4.5 and contrast(WHITE, line_color) >= 4.5
        assert contrast(WHITE, projected) >= 3 and contrast(BLACK, projected) >= 4.5
        style = LINE_STYLES[cat.index % len(LINE_STYLES)]
        rules.append(
            f".hl-{k} {{ background-color: {background}; color: {TEXT}; "
            f"border-bottom: 3px {style} {line_color}; }}\n"
            f".badge-{k}, .hl-{k}.hl-start::before {{ background-color: {line_color}; "
            f"color: {WHITE}; }}\n"
            f".note-{k} {{ border-left-color: {line_color}; }}\n"
            f".projector mark.hl-{k} {{ background-color: {projected}; color: {BLACK}; }}\n"
            # A category switched off is hidden on screen only: printing prints every note.
            f"@media screen {{\n"
            f"  .hide-{k} mark.hl-{k} {{ background: none; border-bottom: none; }}\n"
            f"  .hide-{k} mark.hl-{k}.hl-start::before {{ display: none; }}\n"
            f"  .hide-{k} .note-{k} {{ display: none; }}\n}}"
        )
    for lang in site.languages:
        edition = Edition(site, lang)
        before, _, after = edition.t["highlight_spoken"].partition("{n}")
        for shown in edition.categories:
            # The badge is drawn, and spoken as the category's name ("Sourcing 6: "), through
            # the content's alternative text, on screen; paper (and WeasyPrint, which has no
            # alternative text) keeps the first rule.
            letter = _css_string(shown.letter)
            spoken = _css_string(before.replace("{label}", shown.label))
            badge = f'html[lang="{lang}"] .hl-{shown.key}.hl-start::before'
            rules.append(f'{badge} {{ content: {letter} attr(data-number); }}\n'
                         f'@media screen {{ {badge} {{ content: {letter} attr(data-number) / '
                         f'{spoken} attr(data-number) {_css_string(after)}; }} }}')
    return "\n".join(rules) + "\n"


def _css_string(text: str) -> str:
    """``text`` as a CSS string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
