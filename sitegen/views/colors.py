"""Category colours: a light tint behind highlighted text and a badge colour, both
checked against WCAG contrast so every category style reads at 4.5:1 or better."""

from __future__ import annotations

TEXT = "#1a1a1a"
WHITE = "#ffffff"


def _rgb(color: str) -> tuple[float, float, float]:
    return tuple(int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in rgb)


def luminance(color: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def mix(color: str, other: str, weight: float) -> str:
    """``weight`` of ``color`` and the rest of ``other``."""
    c, o = _rgb(color), _rgb(other)
    return _hex((c[0] * weight + o[0] * (1 - weight), c[1] * weight + o[1] * (1 - weight),
                 c[2] * weight + o[2] * (1 - weight)))


def tint(color: str) -> str:
    """A light background for highlighted text that keeps dark text at 4.5:1 or more."""
    weight = 0.22
    background = mix(color, WHITE, weight)
    while contrast(TEXT, background) < 4.5 and weight > 0:
        weight -= 0.02
        background = mix(color, WHITE, weight)
    return background


def strong(color: str) -> str:
    """The colour darkened until white text on it reads at 4.5:1 (badges, lines)."""
    weight = 1.0
    shade = color
    while contrast(WHITE, shade) < 4.5:
        weight -= 0.05
        shade = mix(color, "#000000", weight)
    return shade


BLACK = "#000000"


def projector_fill(color: str) -> str:
    """A fill that stands out from white at 3:1 or more, so that a projector's washed-out
    picture still shows it, with black text on it at 4.5:1 or more (the projector view)."""
    shade = strong(color)
    weight = 0.3
    fill = mix(shade, WHITE, weight)
    while contrast(WHITE, fill) < 3:
        weight += 0.02
        fill = mix(shade, WHITE, weight)
    return fill
