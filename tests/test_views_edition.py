"""What every page of an edition shares (``sitegen.views.edition``): its strings and its
categories, made once per process and site, are those of the site and language asked for."""

from __future__ import annotations

from dataclasses import replace

from conftest import ROOT

from sitegen.content.load import load_site
from sitegen.errors import Collector
from sitegen.model import Localized
from sitegen.text import typography
from sitegen.theme import i18n
from sitegen.views.edition import Edition


def test_categories_are_those_of_the_site_each_edition_is_made_for() -> None:
    site = load_site(ROOT / "content", Collector())
    assert site is not None and len(site.languages) > 1
    first = site.categories[0]
    renamed = replace(site, categories=(
        replace(first, label=Localized((("", "Zebra"),)),
                description=Localized((("", "Striped *text*."),))),
        *site.categories[1:]))
    for lang in site.languages:
        before = Edition(site, lang).categories
        after = Edition(renamed, lang).categories
        assert after[0].label == "Zebra" and after[0].letter == "Z"
        assert str(after[0].description.html if after[0].description else "") == (
            "Striped <em>text</em>.")
        assert before[0].label != "Zebra"
        assert Edition(site, lang).categories == before  # and back
        assert after[1:] == before[1:]


def test_strings_are_the_editions_own() -> None:
    site = load_site(ROOT / "content", Collector())
    assert site is not None
    for lang in ("en", "fr"):
        strings = Edition(site, lang).t
        assert dict(strings) == typography.strings(i18n.catalogue(lang), lang)
        assert strings.language_name == i18n.catalogue(lang)["language_name"]
