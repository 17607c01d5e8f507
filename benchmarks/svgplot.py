"""A log-log line chart as a standalone SVG string: seconds against number of articles.

`plot(series)` takes `{label: [(n, seconds), ...]}`; labels whose name contains "(" are
drawn dashed (sitegen's incremental builds) so they read apart from the clean builds.
"""

from __future__ import annotations

import math
from html import escape

WIDTH, HEIGHT = 780, 440
LEFT, RIGHT, TOP, BOTTOM = 70, 250, 30, 60
COLORS = ("#1b1b1b", "#1f6fb2", "#b5481d", "#2e7d4f", "#7b3fa0", "#c08a00", "#5f6b73", "#d6336c")


def _decades(low: float, high: float) -> list[float]:
    return [10.0**e for e in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)]


def _label(value: float) -> str:
    return f"{value:g}" if value >= 0.001 else f"{value:.0e}"


def plot(series: dict[str, list[tuple[float, float]]], title: str) -> str:
    points = [p for values in series.values() for p in values if p[1] > 0]
    xs = _decades(min(p[0] for p in points), max(p[0] for p in points))
    ys = _decades(min(p[1] for p in points), max(p[1] for p in points))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(n: float) -> float:
        span = math.log10(xs[-1] / xs[0]) or 1.0
        return LEFT + plot_w * math.log10(n / xs[0]) / span

    def y_of(s: float) -> float:
        span = math.log10(ys[-1] / ys[0]) or 1.0
        return TOP + plot_h * (1 - math.log10(s / ys[0]) / span)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
        f'<text x="{LEFT}" y="18" font-size="14">{escape(title)}</text>',
    ]
    for x in xs:
        out.append(
            f'<line x1="{x_of(x):.1f}" y1="{TOP}" x2="{x_of(x):.1f}" '
            f'y2="{TOP + plot_h}" stroke="#ddd"/>'
        )
        out.append(
            f'<text x="{x_of(x):.1f}" y="{TOP + plot_h + 16}" '
            f'text-anchor="middle">{_label(x)}</text>'
        )
    for y in ys:
        out.append(
            f'<line x1="{LEFT}" y1="{y_of(y):.1f}" x2="{LEFT + plot_w}" '
            f'y2="{y_of(y):.1f}" stroke="#ddd"/>'
        )
        out.append(
            f'<text x="{LEFT - 6}" y="{y_of(y) + 4:.1f}" text-anchor="end">{_label(y)}</text>'
        )
    out.append(
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#333"/>'
    )
    out.append(
        f'<text x="{LEFT + plot_w / 2}" y="{HEIGHT - 18}" text-anchor="middle">'
        "articles (N, log scale)</text>"
    )
    out.append(
        f'<text transform="translate(18 {TOP + plot_h / 2}) rotate(-90)" '
        'text-anchor="middle">wall time, seconds (log scale)</text>'
    )
    for i, (name, values) in enumerate(series.items()):
        color = COLORS[i % len(COLORS)]
        dash = ' stroke-dasharray="5 4"' if "(" in name else ""
        coords = [(x_of(n), y_of(s)) for n, s in sorted(values) if s > 0]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        out.append(
            f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"{dash}/>'
        )
        out += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color}"/>' for x, y in coords]
        ly = TOP + 10 + 20 * i
        lx = LEFT + plot_w + 14
        out.append(
            f'<line x1="{lx}" y1="{ly}" x2="{lx + 24}" y2="{ly}" stroke="{color}" '
            f'stroke-width="2"{dash}/>'
        )
        out.append(f'<text x="{lx + 30}" y="{ly + 4}">{escape(name)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
