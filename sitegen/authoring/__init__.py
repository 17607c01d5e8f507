"""Authoring helpers behind ``sitegen init | new | import-hypothesis | schema``.

One module per command, each a plain function over the model. They create files and never
overwrite one: every target is checked before the first byte is written.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

from sitegen import fs
from sitegen.content.load import load_site
from sitegen.errors import Collector, ContentErrors, UsageError
from sitegen.model import Site


def create_files(files: Mapping[Path, str]) -> list[Path]:
    """Write each new file (folders made as needed); refuse if any of them already exists."""
    for path in files:
        if os.path.lexists(path):
            raise UsageError(f"{path} already exists: sitegen never overwrites a file "
                             "(move it away, or choose another name)")
    written = []
    for path, text in files.items():
        fs.atomic_write(path, text.encode("utf-8"), exclusive=True)
        written.append(path)
    return written


def yaml_string(text: str) -> str:
    """``text`` as a double-quoted YAML scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def modeline(schema: str) -> str:
    """The first line that points yaml-language-server (VS Code and others) at a schema."""
    return f"# yaml-language-server: $schema={schema}\n"


def require_site(content: Path) -> Site:
    """The site of the content folder an authoring command writes into: ``load_site``, with
    its errors raised (exit 1) rather than collected; a missing folder is a usage error."""
    if not content.is_dir():
        raise UsageError(f"content folder {content} does not exist "
                         "(make one with: sitegen init FOLDER)")
    problems = Collector()
    site = load_site(content, problems)
    if problems.errors or site is None:
        raise ContentErrors(problems.errors)
    return site
