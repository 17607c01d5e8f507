"""Colour helpers: WCAG 2.x relative luminance and contrast ratio (in Python), and JavaScript
run in the page that reads colours as sRGB [r, g, b, a] in 0..255 whatever their CSS syntax
(a 1x1 canvas converts them) and blends backgrounds from the canvas (white) upwards."""

from __future__ import annotations

# Defines rgba(css) and backdrop(el) -> [[r, g, b, 255], [elements with background images]];
# prepend to a function body.
COLOUR_HELPERS_JS = """
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  const rgba = (css) => {
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = '#000'; ctx.fillStyle = css;
    ctx.fillRect(0, 0, 1, 1);
    const d = ctx.getImageData(0, 0, 1, 1).data;
    return [d[0], d[1], d[2], d[3]];
  };
  const over = (top, bottom) => {
    const a = top[3] / 255;
    return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat([255]);
  };
  const backdrop = (el) => {
    const chain = [];
    for (let e = el; e; e = e.parentElement) chain.push(e);
    let bg = [255, 255, 255, 255];
    const images = [];
    for (const e of chain.reverse()) {
      const s = getComputedStyle(e);
      bg = over(rgba(s.backgroundColor), bg);
      if (s.backgroundImage !== 'none') images.push(e.tagName + '.' + e.className);
    }
    return [bg, images];
  };
"""


def relative_luminance(rgb: list[float]) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: list[float], background: list[float]) -> float:
    """WCAG contrast of a colour (its alpha blended over the background) with the background."""
    alpha = foreground[3] / 255 if len(foreground) > 3 else 1
    fg = [foreground[i] * alpha + background[i] * (1 - alpha) for i in range(3)]
    lighter, darker = sorted((relative_luminance(fg), relative_luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
