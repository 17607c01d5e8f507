"""The YAML slips named in sitegen/content/yaml_hints.py, in more forms than the broken
fixtures show, with both parsers (PyYAML's own and libyaml): the first line of the error,
where it points and what it says."""

from __future__ import annotations

import pytest
import yaml

from sitegen.content import loader
from sitegen.errors import SiteError

PARSERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])
ITEM = "annotations:\n  - id: x\n    category: c\n"


@pytest.mark.parametrize("parser", PARSERS, ids=lambda p: p.__name__)
@pytest.mark.parametrize(("text", "said"), [
    ("a:\n\u2003\u2003b: c\n",
     "f:2:1: line 2 is indented with em spaces (U+2003): indent with plain spaces"),
    ("a:\n\u3000b: c\n",
     "f:2:1: line 2 is indented with ideographic spaces (U+3000): indent with plain spaces"),
    (ITEM + "    sources\n      - {publisher: p, url: \"https://x\"}\n",
     "f:4:12: a colon is missing after 'sources' (write 'sources:')"),
    ("annotations:\n  - id x\n    note: a\n",
     "f:2:7: a colon is missing after 'id' (write 'id: …')"),
    ('title "x"\nlanguages: [en]\n',
     "f:1:6: a colon is missing after 'title' (write 'title: …')"),
    (ITEM + "    note: >\n    A folded text.\n    quote: \"a\"\n",
     "f:5:5: the text under 'note: >' must be indented more than 'note:' (add spaces "
     "before each of its lines)"),
    (ITEM + "    note: a\n  - category: d\n    note: b\n    id: y\n",
     None),  # a second item whose id comes later: valid YAML
    (ITEM + "    note: a\n    category: d\n",
     "f:5:5: duplicate key 'category'; it is already at line 3 (remove one of the two)"),
    (ITEM + "    note: |\n      text\n      \u00a0more\n    quote: \"a\n",
     'f:7:12: this " starts a text that is never closed (end the text with " on the same '
     "line)"),  # a no-break space inside a block is text, not indentation
])
def test_the_slip_is_named(text: str, said: str | None, parser: type,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "_SafeLoader", parser)
    if said is None:
        loader.parse_yaml(text, "f")
        return
    with pytest.raises(SiteError) as info:
        loader.parse_yaml(text, "f")
    assert info.value.format_message().split("\n")[0] == said
