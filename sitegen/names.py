"""The content format's names: what an article folder, an annotation id and a language tag
may look like. A module of its own, importing nothing of sitegen, so that listing the
article folders (all a build with nothing to do reads of the content) loads no model."""

from __future__ import annotations

import re

ID_RE = re.compile(r"[a-z0-9-]+")
"""An article folder's name or an annotation's id."""
LANG_RE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
"""A language tag as site.yaml and front matter give it (BCP 47, simplified)."""
