"""Interface strings, one catalogue per language (``sitegen/theme/locales/<lang>.yaml``)."""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml

FALLBACK = "en"


def available() -> tuple[str, ...]:
    files = resources.files("sitegen.theme").joinpath("locales").iterdir()
    return tuple(sorted(f.name.removesuffix(".yaml") for f in files if f.name.endswith(".yaml")))


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The strings for ``lang``; English for a language that has no catalogue yet."""
    name = lang if lang in available() else FALLBACK
    text = resources.files("sitegen.theme").joinpath("locales", f"{name}.yaml").read_text("utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return {str(k): str(v) for k, v in data.items()}
