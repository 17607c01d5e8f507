"""The site's own stylesheet: one rule set per category, from site.yaml's colours.

Each category gets a tint behind its text, a line style and a letter badge, so it is told
apart by more than colour; the switches of the legend hide a category by a body class.
"""

from __future__ import annotations

from sitegen.model import Site
from sitegen.views.colors import TEXT, WHITE, contrast, strong, tint
from sitegen.views.pages import Edition


def categories_css(site: Site) -> str:
    rules: list[str] = ["/* Made by sitegen from site.yaml: category colours and cues. */"]
    for cat in site.categories:
        k = cat.key
        line_color = strong(cat.color)
        background = tint(cat.color)
        assert contrast(TEXT, background) >= 4.5 and contrast(WHITE, line_color) >= 4.5
        style = ("solid", "dashed", "dotted", "double", "solid")[cat.index % 5]
        rules.append(
            f".hl-{k} {{ background-color: {background}; color: {TEXT}; "
            f"border-bottom: 3px {style} {line_color}; }}\n"
            f".badge-{k}, .hl-{k}.hl-start::before {{ background-color: {line_color}; "
            f"color: {WHITE}; }}\n"
            f".note-{k} {{ border-left-color: {line_color}; }}\n"
            f".hide-{k} mark.hl-{k} {{ background: none; border-bottom: none; }}\n"
            f".hide-{k} mark.hl-{k}.hl-start::before {{ display: none; }}\n"
            f".hide-{k} .note-{k} {{ display: none; }}"
        )
    for lang in site.languages:
        edition = Edition(site, lang)
        for c in edition.categories:
            letter = c["letter"].replace("\\", "\\\\").replace('"', '\\"')
            rules.append(f'html[lang="{lang}"] .hl-{c["key"]}.hl-start::before '
                         f'{{ content: "{letter}" attr(data-number); }}')
    return "\n".join(rules) + "\n"
