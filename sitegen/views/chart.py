"""The voices chart: an SVG bar per side, split by whether the original is linked.

Made at build time, with no script and no inline style (the page's CSP forbids both);
linked and unlinked parts differ by pattern as well as colour, so it prints in black
and white.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Bar:
    label: str
    linked: int
    not_linked: int


def voices_svg(bars: list[Bar], title: str, linked_label: str, not_linked_label: str,
               typeset: Callable[[str], str] = str) -> str:
    """An accessible SVG: a title, one row per side, a legend; sized by its viewBox.
    ``typeset`` puts the description it writes in the page's typography."""
    row, label_w, bar_w, unit_max = 28, 150, 260, max((b.linked + b.not_linked for b in bars),
                                                        default=1)
    unit = bar_w / max(unit_max, 1)
    height = 40 + row * len(bars) + 30
    width = label_w + bar_w + 40
    desc = typeset("; ".join(
        f"{b.label}: {b.linked} {linked_label}, {b.not_linked} {not_linked_label}" for b in bars
    ))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="voices-chart" role="img" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="chart-title chart-desc">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(desc)}</desc>',
        '<defs><pattern id="chart-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#444444" stroke-width="3"/></pattern></defs>',
    ]
    for i, bar in enumerate(bars):
        y = 20 + i * row
        parts.append(f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end" '
                     f'class="chart-label">{escape(bar.label)}</text>')
        x = float(label_w)
        for count, fill in ((bar.linked, "#1a1a1a"), (bar.not_linked, "url(#chart-hatch)")):
            if count:
                w = count * unit
                parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="20" '
                             f'fill="{fill}" stroke="#1a1a1a"/>')
                x += w
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 15}" class="chart-count">'
                     f'{bar.linked + bar.not_linked}</text>')
    ly = 20 + row * len(bars) + 10
    parts.append(f'<rect x="{label_w}" y="{ly}" width="14" height="14" fill="#1a1a1a"/>')
    parts.append(f'<text x="{label_w + 20}" y="{ly + 12}" class="chart-legend">'
                 f'{escape(linked_label)}</text>')
    lx = label_w + 130
    parts.append(f'<rect x="{lx}" y="{ly}" width="14" height="14" fill="url(#chart-hatch)" '
                 f'stroke="#1a1a1a"/>')
    parts.append(f'<text x="{lx + 20}" y="{ly + 12}" class="chart-legend">'
                 f'{escape(not_linked_label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
