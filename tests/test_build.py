"""End to end: `sitegen build` on the mini fixture and the shipped content, pages parsed."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import FIXTURES, ROOT, Built, run_main, site_bytes
from htmltree import Element, parse

from sitegen.text.markdown import parse_body


def _build(content: Path, out: Path) -> str:
    result = run_main("build", "--content", content, "--out", out, "--no-pdf")
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def site(built_mini: Built) -> Path:
    return built_mini.out


def _page(site: Path, rel: str) -> Element:
    return parse((site / rel).read_text("utf-8"))


def test_pages_of_every_edition(site: Path) -> None:
    for rel in ("index.html", "fr/index.html", "sample/index.html", "fr/sample/index.html",
                "assets/sitegen.css", "assets/sitegen.js", "assets/categories.css"):
        assert (site / rel).is_file(), rel
    assert _page(site, "index.html").find("html").attrs["lang"] == "en"  # type: ignore[union-attr]
    assert _page(site, "fr/index.html").find("html").attrs["lang"] == "fr"  # type: ignore[union-attr]


def test_article_shown_word_for_word(site: Path) -> None:
    source = (FIXTURES / "mini/articles/sample/article.md").read_text("utf-8")
    body = source.split("---\n", 2)[2]
    expected = parse_body(body).text.split()
    for rel in ("sample/index.html", "fr/sample/index.html"):
        doc = _page(site, rel)
        originals = doc.find_all("div", cls="original")
        shown = " ".join(div.text() for div in originals).split()
        assert shown == expected
        headline = doc.find("h1", cls="headline")
        assert headline is not None
        assert headline.text() == "The mayor’s “historic” plan for the river"
        assert all(div.attrs["lang"] == "en" for div in originals)


def test_every_annotation_has_marks_notes_and_numbers_in_text_order(site: Path) -> None:
    doc = _page(site, "sample/index.html")
    marks = doc.find_all("mark")
    first_seen: list[str] = []
    for mark in marks:
        if mark.attrs["data-annotation"] not in first_seen:
            first_seen.append(mark.attrs["data-annotation"])
    numbers = {m.attrs["data-annotation"]: m.attrs["data-number"] for m in marks}
    # Numbered 1, 2, 3… in the order highlights start in the text (headline first).
    assert [numbers[i] for i in first_seen] == [str(n) for n in range(1, len(first_seen) + 1)]
    assert first_seen[0] == "headline-historic"
    assert set(first_seen) == {"local-newspaper", "historic", "headline-historic", "across",
                               "critics"}
    for ident in [*first_seen, "no-opposition"]:
        note = doc.by_id(f"note-{ident}")
        assert note is not None, ident
    for ident in first_seen:
        starts = [m for m in marks if m.attrs["data-annotation"] == ident and "id" in m.attrs]
        assert len(starts) == 1
        assert starts[0].attrs["aria-details"] == f"note-{ident}"
        note = doc.by_id(f"note-{ident}")
        assert note is not None
        assert f"{numbers[ident]}" in note.find("h3").text()  # type: ignore[union-attr]
    historic = [m for m in marks if m.attrs["data-annotation"] == "historic"]
    assert "".join(m.text() for m in historic) == "historic"
    assert historic[0].ancestors().__next__().tag != "h1"  # the body's, not the headline's


def test_notes_follow_the_article_in_text_order_then_article_level(site: Path) -> None:
    doc = _page(site, "sample/index.html")
    assert all(not b.find_all("div", cls="note") for b in doc.find_all("div", cls="block")), (
        "a note sits between the paragraphs of the article"
    )
    panel = doc.find("section", cls="note-panel")
    assert panel is not None
    ids = [n.attrs["id"] for n in panel.find_all("div", cls="note")]
    assert ids == ["note-headline-historic", "note-historic", "note-across",
                   "note-local-newspaper", "note-critics", "note-no-opposition"]
    body = doc.find("div", cls="article-body")
    order = list(doc.iter())
    assert body is not None and order.index(body) < order.index(panel)
    for note in panel.find_all("div", cls="note"):
        link = note.find("a", cls="note-link")
        assert link is not None and link.attrs["href"] == f"#{note.attrs['id']}"


def test_unknowns_are_said_plainly_and_provenance_is_shown(site: Path) -> None:
    doc = _page(site, "sample/index.html")
    box = doc.find("section", cls="provenance")
    assert box is not None
    facts = {f.find("dt").text(): f.find("dd").text()  # type: ignore[union-attr]
             for f in box.find_all("div", cls="fact")}
    assert facts["Author"] == "Not known"
    assert facts["Outlet"] == "The Daily Example"
    assert facts["Published"] == "2025-02-18"
    assert "Copied from the outlet’s website." in box.text()  # our text: typography


def test_translation_beside_the_original_in_its_edition_only(site: Path) -> None:
    fr = _page(site, "fr/sample/index.html")
    translations = fr.find_all("div", cls="translation")
    assert len(translations) == 3
    assert all(t.attrs["lang"] == "fr" for t in translations)
    assert "Notre traduction" in translations[0].text()
    assert "Le conseil votera en mars." in translations[2].text()
    assert not _page(site, "sample/index.html").find_all("div", cls="translation")


def test_localized_fields_follow_the_edition(site: Path) -> None:
    fr = _page(site, "fr/sample/index.html")
    note = fr.by_id("note-local-newspaper")
    assert note is not None and "Quel journal\u202f?" in note.text()  # French typography
    legend = fr.find("section", cls="legend")
    assert legend is not None and "Cadrage" in legend.text()


def test_fallback_text_carries_its_own_language(tmp_path: Path, mini: Path) -> None:
    ann = mini / "articles/sample/annotations.yaml"
    ann.write_text(ann.read_text("utf-8").replace(
        'note: {en: "Who are the critics?", fr: "Qui sont les critiques ?"}',
        'note: {en: "Who are the critics?"}'), "utf-8")
    _build(mini, tmp_path / "out")
    note = _page(tmp_path / "out", "fr/sample/index.html").by_id("note-critics")
    assert note is not None
    body = note.find("div", cls="note-body")
    assert body is not None and body.attrs["lang"] == "en"


def test_panels_voices_chart_questions_sources(site: Path) -> None:
    doc = _page(site, "sample/index.html")
    voices = doc.find("section", cls="voices")
    assert voices is not None
    rows = voices.find("tbody").find_all("tr")  # type: ignore[union-attr]
    names = [r.find("th").children[0] for r in rows]  # type: ignore[union-attr]
    assert names == ["The mayor", "Critics"]
    svg = voices.find("svg")
    assert svg is not None and svg.attrs["role"] == "img"
    assert svg.find("title") is not None
    assert len(svg.find_all("rect", where=lambda r: r.attrs.get("height") == "20")) == 2
    questions = doc.find("section", cls="questions")
    assert questions is not None
    assert "Who wrote this story?" in questions.text()
    assert "We do not know." not in doc.text()  # answers are for the teacher key only
    sources = doc.find("ol", cls="source-list")
    assert sources is not None
    assert [a.attrs["href"] for a in sources.find_all("a")] == [
        "https://example.org/council", "https://example.org/minutes"]
    panel = doc.find("section", cls="panel-context")
    assert panel is not None
    assert [a.attrs["href"] for a in panel.find_all("a")] == ["#note-across"]


def test_editions_link_to_each_other(site: Path) -> None:
    for rel, other in (("sample/index.html", "fr/sample/index.html"),
                       ("fr/sample/index.html", "sample/index.html")):
        nav = _page(site, rel).find("nav", cls="editions")
        assert nav is not None
        (link,) = nav.find_all("a")
        assert (site / rel).parent.joinpath(link.attrs["href"]).resolve() == (site / other)


def test_links_are_relative_and_resolve(site: Path) -> None:
    for page in site.rglob("*.html"):
        doc = parse(page.read_text("utf-8"))
        ids = {el.attrs["id"] for el in doc.iter() if "id" in el.attrs}
        for el in doc.iter():
            for attr in ("href", "src"):
                url = el.attrs.get(attr)
                if url is None:
                    continue
                scheme = urlparse(url).scheme
                if scheme:
                    # Only links a reader follows may leave the site; nothing is loaded.
                    assert el.tag == "a" and scheme in ("http", "https", "mailto"), url
                    continue
                assert not url.startswith("/"), url
                path, _, fragment = url.partition("#")
                if path:
                    assert (page.parent / path).resolve().is_file(), (page, url)
                elif fragment:
                    assert fragment in ids, (page, url)


def test_no_inline_script_or_style_and_a_strict_csp(site: Path) -> None:
    for page in site.rglob("*.html"):
        doc = parse(page.read_text("utf-8"))
        csp = doc.find("meta", http_equiv="Content-Security-Policy")
        assert csp is not None
        policy = csp.attrs["content"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert all("src" in s.attrs for s in doc.find_all("script"))
        assert not doc.find_all("style")
        assert not [el for el in doc.iter() if "style" in el.attrs]
        assert not [el for el in doc.iter() if any(a.startswith("on") for a in el.attrs)]


def test_same_input_gives_byte_identical_output(built_mini: Built, tmp_path: Path) -> None:
    _build(FIXTURES / "mini", tmp_path / "b")
    assert site_bytes(built_mini.out) == site_bytes(tmp_path / "b")


def test_rebuild_touches_only_what_changed(tmp_path: Path, mini: Path) -> None:
    out, teacher = tmp_path / "out", tmp_path / "out-teacher"

    def pages() -> dict[str, int]:
        return {f"{folder.name}/{p.relative_to(folder).as_posix()}": p.stat().st_mtime_ns
                for folder in (out, teacher) for p in folder.rglob("*.html")}

    _build(mini, out)
    stamps = pages()
    assert "0 written" in _build(mini, out)
    assert pages() == stamps
    ann = mini / "articles/sample/annotations.yaml"
    ann.write_text(ann.read_text("utf-8").replace("Who are the critics?", "Who?"), "utf-8")
    _build(mini, out)
    now = pages()
    # The note is on the page and in the teacher key, not in the student copy (handouts).
    assert {rel for rel, t in stamps.items() if now[rel] != t} == {
        "out/sample/index.html", "out-teacher/sample/teacher.html"}


def test_deleted_article_is_removed_but_files_of_others_are_kept(tmp_path: Path,
                                                                 mini: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(mini / "articles/sample", mini / "articles/second")
    _build(mini, out)
    (out / "notes-of-mine.txt").write_text("mine", "utf-8")
    assert (out / "second/index.html").is_file()
    shutil.rmtree(mini / "articles/second")
    _build(mini, out)
    assert not (out / "second").exists() and not (out / "fr/second").exists()
    assert (out / "notes-of-mine.txt").read_text("utf-8") == "mine"
    index = _page(out, "index.html")
    assert [a.attrs["href"] for a in index.find_all("a", where=lambda a: "card" in
            [c for p in a.ancestors() for c in p.classes])] == ["sample/index.html"]


@pytest.mark.parametrize("where", ["inside", "same", "parent", "foreign"])
def test_refused_output_folders_exit_2(tmp_path: Path, mini: Path, where: str) -> None:
    out = {"inside": mini / "_site", "same": mini, "parent": tmp_path,
           "foreign": tmp_path / "foreign"}[where]
    if where == "foreign":
        out.mkdir()
        (out / "precious.txt").write_text("keep", "utf-8")
    result = run_main("build", "--content", mini, "--out", out, "--no-pdf")
    assert result.returncode == 2, result.stderr
    assert "--out" in result.stderr and "Traceback" not in result.stderr
    assert not (mini / "_site").exists()
    if where == "foreign":
        assert [p.name for p in out.iterdir()] == ["precious.txt"]


def test_shipped_content_builds(built_seed: Built) -> None:
    result = run_main("check", "--content", ROOT / "content")
    assert result.returncode == 0, result.stderr
    assert (built_seed.out / "musk-riyadh/index.html").is_file()
    assert (built_seed.out / "en/musk-riyadh/index.html").is_file()


def test_unknowns_agree_with_their_field_in_french(mini: Path, tmp_path: Path) -> None:
    article = mini / "articles" / "sample" / "article.md"
    text = article.read_text("utf-8")
    text = text.replace("published: 2025-02-18", "published: null")
    article.write_text(text.replace("original_url: https://example.org/news/river-plan",
                                    "original_url: null"), "utf-8")
    _build(mini, tmp_path / "site")
    box = _page(tmp_path / "site", "fr/sample/index.html").find("section", cls="provenance")
    assert box is not None
    facts = {f.find("dt").text(): f.find("dd").text()  # type: ignore[union-attr]
             for f in box.find_all("div", cls="fact")}
    # un auteur inconnu, une date / une adresse inconnue
    assert facts["Auteur"] == "Inconnu"
    assert facts["Date de publication"] == facts["Adresse d’origine"] == "Inconnue"
