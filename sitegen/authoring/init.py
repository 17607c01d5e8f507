"""``sitegen init DIR``: a new content folder → site.yaml (commented), articles/, schemas/."""

from __future__ import annotations

from pathlib import Path

from sitegen.authoring import create_files, disk_errors, modeline, yaml_string
from sitegen.authoring.schema import schema_files
from sitegen.content.site import PALETTE
from sitegen.errors import UsageError
from sitegen.names import LANG_RE

# The three categories every explainer starts with, in the languages sitegen speaks.
_TITLE = {"en": "Reading the news closely", "fr": "Lire l'actualité de près"}
_CATEGORIES = {
    "sourcing": {
        "en": ("Sourcing", "Who speaks, where the information comes from, and can it be "
                           "traced to the original?"),
        "fr": ("Sources", "Qui parle, d'où vient l'information, et peut-on remonter à "
                          "l'original ?"),
    },
    "framing": {
        "en": ("Framing", "Word choices, quotation marks, order and emphasis: how the text "
                          "steers the reader."),
        "fr": ("Cadrage", "Choix des mots, guillemets, ordre et mise en avant : comment le "
                          "texte oriente la lecture."),
    },
    "context": {
        "en": ("Missing context", "What the text leaves out that a reader needs in order to "
                                  "judge it."),
        "fr": ("Contexte manquant", "Ce que le texte ne dit pas et qu'il faudrait savoir pour "
                                    "en juger."),
    },
}


def parse_languages(text: str) -> tuple[str, ...]:
    """``fr,en`` → ("fr", "en"); anything but language codes is a usage error."""
    codes = tuple(code.strip() for code in text.split(",") if code.strip())
    bad = [code for code in codes if not LANG_RE.fullmatch(code)]
    if not codes or bad or len(set(codes)) != len(codes):
        raise UsageError(f"invalid --languages {text!r}: give language codes separated by "
                         "commas, the default first (for example fr,en)")
    return codes


def init(folder: Path, languages: tuple[str, ...]) -> list[Path]:
    """Create the content folder's files, all or nothing: if any of them exists, nothing is
    written; if a write fails, what was made is removed."""
    with disk_errors():
        if folder.exists() and not folder.is_dir():
            raise UsageError(f"{folder} exists and is not a folder")
    return create_files({folder / "site.yaml": _site_yaml(languages),
                         **schema_files(languages, list(_CATEGORIES), folder / "schemas")},
                        folder, folders=[folder / "articles"])


def _text(texts: dict[str, str], languages: tuple[str, ...], indent: str) -> str:
    """One YAML value: plain text for one edition, else one line per edition we can fill."""
    if len(languages) == 1:
        lang = languages[0]
        if lang in texts:
            return " " + yaml_string(texts[lang])
        return f" {yaml_string(texts['en'])}  # in English: write it in '{lang}'"
    lines = [f"\n{indent}  {lang}: {yaml_string(texts[lang])}"
             for lang in languages if lang in texts]
    missing = [lang for lang in languages if lang not in texts]
    if not lines:
        lines = [f"\n{indent}  {languages[0]}: {yaml_string(texts['en'])}"
                 f"  # in English: write it in '{languages[0]}'"]
    if missing:
        lines.append(f"\n{indent}  # add: " + ", ".join(f'{m}: "…"' for m in missing))
    return "".join(lines)


def _site_yaml(languages: tuple[str, ...]) -> str:
    out = [
        modeline("schemas/site.schema.json"),
        "# The site's settings. After each change, run: sitegen check\n",
        "# (sitegen schema updates schemas/ for your editor after you change the languages\n",
        "# or the categories.)\n\n",
        "# The site's name, on its home page.\n",
        f"title:{_text(_TITLE, languages, '')}\n\n",
        "# The editions, as language codes; the first is the default. Any text below can be\n",
        "# one text, or one per edition: {fr: \"…\", en: \"…\"}.\n",
        f"languages: [{', '.join(languages)}]\n\n",
        "# The kinds of highlight. Each key (a-z, 0-9 and '-') is what annotations.yaml\n",
        "# uses as 'category'; the label and description are shown in each page's legend,\n",
        "# the color (optional) marks the highlights. Add, rename or remove categories.\n",
        "categories:\n",
    ]
    for i, (key, texts) in enumerate(_CATEGORIES.items()):
        labels = {lang: pair[0] for lang, pair in texts.items()}
        descriptions = {lang: pair[1] for lang, pair in texts.items()}
        out += [f"  {key}:\n",
                f"    label:{_text(labels, languages, '    ')}\n",
                f"    description:{_text(descriptions, languages, '    ')}\n",
                f'    color: "{PALETTE[i]}"\n']
    out += ["\n# Paper for the printed handouts: A4 or Letter.\n",
            "handout:\n  paper: A4\n"]
    return "".join(out)
