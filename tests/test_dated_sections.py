"""Dated sections as data (issue 25, item 3): news and newsletters are entries of one table
(sitegen/core/sections.py), and a site adds its own section in site.yaml's `sections:` with a handful of
files: its pages, listing by year, feed, home-page block, sitemap and search entries follow."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import feedparser
import pytest

from conftest import NOW, run_build, tree_bytes
from sitegen.core.errors import Problems
from sitegen.core.paths import site_paths
from sitegen.core.sections import NEWS, NEWSLETTERS, SECTIONS, all_sections, folder_problem, section_of
from sitegen.source.load import load_config
from sitegen.source.schemas import NEWS_FRONT_MATTER, NEWSLETTER_FRONT_MATTER, dated_schema, front_matter_schema

FIXTURE = Path(__file__).parent / "fixtures" / "golden_site"

SECTION_ENTRY = """
sections:
  - folder: verhalen
    title: Verhalen
    singular: verhaal
    article: het
    by_year: true
    home: 2
"""

STORIES = {
    "content/verhalen/index.md": "---\ntitle: Verhalen uit het dorp\n---\nWat inwoners vertellen over samen zijn.\n",
    "content/verhalen/2025-06-01-de-moestuin.md": (
        "---\ntitle: De moestuin van Jan\ndate: 2025-06-01\nsummary: Jan deelt zijn oogst met de buren.\n"
        "tags: [ontmoeting]\n---\nJan kweekt meer dan hij op kan en deelt met de straat.\n"),
    "content/verhalen/2026-03-14-koffie-bij-truus.md": (
        "---\ntitle: Koffie bij Truus\ndate: 2026-03-14 10:30\ntags: [ontmoeting]\n---\n"
        "Elke dinsdag staat bij Truus de koffie klaar voor wie wil aanschuiven.\n"),
}


def site_copy(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(FIXTURE, site, ignore=shutil.ignore_patterns(".cache", "output"))
    return site


def add_stories(site: Path, with_entry: bool = True) -> set[str]:
    """The verhalen section added as an editor would; returns the files touched (created or changed)."""
    touched = set()
    if with_entry:
        config = site / "site.yaml"
        config.write_text(config.read_text(encoding="utf-8") + SECTION_ENTRY, encoding="utf-8")
        touched.add("site.yaml")
    for rel, text in STORIES.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        touched.add(rel)
    return touched


def build(site: Path, output: Path, *extra: str):
    return run_build("--site", str(site), "--output", str(output), "--now", NOW, *extra)


@pytest.fixture(scope="module")
def stories(tmp_path_factory):
    site = site_copy(tmp_path_factory.mktemp("stories"))
    touched = add_stories(site)
    output = site / "output"
    result = build(site, output, "--no-cache")
    assert result.returncode == 0, result.stderr
    return touched, output


def test_a_section_is_added_by_touching_at_most_five_files(stories):
    touched, _ = stories
    assert len(touched) <= 5, touched
    assert not any(name.startswith("templates/") for name in touched)


def test_the_section_has_its_pages_with_neighbours(stories):
    _, output = stories
    posts = sorted(p.parent.name for p in (output / "verhalen").glob("*/index.html")
                   if p.parent.name not in ("onderwerp", "pagina"))
    assert posts == ["2025-06-01-de-moestuin", "2026-03-14-koffie-bij-truus"]
    newest = (output / "verhalen" / "2026-03-14-koffie-bij-truus" / "index.html").read_text(encoding="utf-8")
    assert "Vorig verhaal</span> De moestuin van Jan" in newest  # het verhaal: no -e (article: het)
    assert "Alle verhalen" in newest


def test_the_listing_is_an_archive_by_year(stories):
    _, output = stories
    listing = (output / "verhalen" / "index.html").read_text(encoding="utf-8")
    assert "Verhalen uit het dorp" in listing
    assert listing.index('id="jaar-2026"') < listing.index('id="jaar-2025"')
    assert listing.index("Koffie bij Truus") < listing.index("De moestuin van Jan")
    assert (output / "verhalen" / "onderwerp" / "ontmoeting" / "index.html").is_file()


def test_the_section_has_a_feed_that_feedparser_reads(stories):
    _, output = stories
    for suffix in ("atom", "rss"):
        feed = feedparser.parse((output / "feeds" / f"verhalen.{suffix}").read_bytes())
        assert not feed.bozo, feed.bozo_exception
        assert feed.feed.title.endswith(": verhalen")
        assert [e.title for e in feed.entries] == ["Koffie bij Truus", "De moestuin van Jan"]
        assert feed.entries[0].link == "https://voorbeeld.example.nl/coalitie/verhalen/2026-03-14-koffie-bij-truus/"
    everything = feedparser.parse((output / "feeds" / "alles.atom").read_bytes())
    assert "Koffie bij Truus" in [e.title for e in everything.entries]
    home = (output / "index.html").read_text(encoding="utf-8")
    assert "feeds/verhalen.atom" in (output / "verhalen" / "index.html").read_text(encoding="utf-8")
    assert "feeds/verhalen.atom" not in home  # a section's feed is advertised on its own pages


def test_the_home_page_shows_the_newest_posts(stories):
    _, output = stories
    home = (output / "index.html").read_text(encoding="utf-8")
    block = home[home.index('aria-labelledby="verhalen-kop"'):]
    block = block[:block.index("</section>")]
    assert "Koffie bij Truus" in block and "De moestuin van Jan" in block
    assert "Alle verhalen" in block and 'href="/coalitie/verhalen/"' in block


def test_the_sitemap_and_the_search_list_the_posts(stories):
    _, output = stories
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    for path in ("verhalen/", "verhalen/2025-06-01-de-moestuin/", "verhalen/2026-03-14-koffie-bij-truus/"):
        assert f"<loc>https://voorbeeld.example.nl/coalitie/{path}</loc>" in sitemap
    a_to_z = (output / "zoeken" / "index.html").read_text(encoding="utf-8")
    assert "Koffie bij Truus</a> <span class=\"kind\">(verhaal)</span>" in a_to_z
    index = "\n".join(p.read_text(encoding="utf-8") for p in (output / "zoekindex").rglob("*.json"))
    assert "/verhalen/2026-03-14-koffie-bij-truus/" in index
    assert "moestuin" in json.dumps(index)


def test_a_site_without_the_entry_shows_the_folder_as_plain_pages(tmp_path):
    site = site_copy(tmp_path)
    add_stories(site, with_entry=False)
    (site / "content/verhalen/2026-03-14-koffie-bij-truus.md").write_text(
        "---\ntitle: Koffie bij Truus\ndate: 2026-03-14\n---\nKoffie.\n", encoding="utf-8")
    (site / "content/verhalen/2025-06-01-de-moestuin.md").write_text(
        "---\ntitle: De moestuin van Jan\ndate: 2025-06-01\n---\nOogst.\n", encoding="utf-8")
    result = build(site, site / "output", "--no-cache")
    assert result.returncode == 0, result.stderr
    assert not (site / "output" / "feeds" / "verhalen.atom").exists()


@pytest.mark.slow
def test_a_cached_build_reads_a_page_again_when_its_folder_becomes_a_section(tmp_path):
    """A page kept in the cache was checked as a plain page; once site.yaml makes its folder a section, it
    is read again (SourcePage.dated), so the cached build equals a clean one."""
    site = site_copy(tmp_path)
    add_stories(site, with_entry=False)
    plain = {"content/verhalen/2026-03-14-koffie-bij-truus.md": "---\ntitle: Koffie bij Truus\ndate: 2026-03-14\n---\nKoffie.\n",
             "content/verhalen/2025-06-01-de-moestuin.md": "---\ntitle: De moestuin van Jan\ndate: 2025-06-01\n---\nOogst.\n"}
    for rel, text in plain.items():
        (site / rel).write_text(text, encoding="utf-8")
    past = time.time() - 3600
    for path in (site / "content").rglob("*"):
        os.utime(path, (past, past))
    first = build(site, site / "output")
    assert first.returncode == 0, first.stderr
    config = site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8") + SECTION_ENTRY, encoding="utf-8")
    cached = build(site, site / "output")
    assert cached.returncode == 0, cached.stderr
    clean = build(site, tmp_path / "clean", "--no-cache")
    assert clean.returncode == 0, clean.stderr
    assert (site / "output" / "feeds" / "verhalen.atom").is_file()
    produced, expected = tree_bytes(site / "output"), tree_bytes(tmp_path / "clean")
    assert sorted(produced) == sorted(expected)
    assert [name for name in expected if produced[name] != expected[name]] == []


# --- the table ------------------------------------------------------------------------------------

def test_news_and_newsletters_are_the_two_entries_of_the_table():
    assert [s.folder for s in SECTIONS] == ["nieuws", "nieuwsbrieven"]
    assert (NEWS.kind, NEWSLETTERS.kind) == ("news", "newsletter")
    assert (NEWS.by_year, NEWSLETTERS.by_year) == (False, True)
    assert (NEWS.home, NEWSLETTERS.home) == (0, 0)
    assert NEWSLETTERS.edition_label == "Nieuwsbrief" and NEWS.edition_label == ""
    assert section_of(SECTIONS, "nieuws") is NEWS and section_of(SECTIONS, "over") is None
    assert all_sections(None) == SECTIONS


def test_a_section_s_fields_make_its_front_matter():
    assert [f.name for f in NEWS_FRONT_MATTER.fields][-1] == "summary"
    assert [f.name for f in NEWSLETTER_FRONT_MATTER.fields][-3:] == ["edition", "summary", "pdf"]
    assert front_matter_schema("nieuwsbrieven/2026-01-01-x.md") == dated_schema(NEWSLETTERS)
    assert front_matter_schema("over/x.md").what == "de kop van de pagina"


def test_site_yaml_adds_a_section_after_the_fixed_ones(tmp_path):
    site = site_copy(tmp_path)
    add_stories(site)
    problems = Problems()
    config = load_config(site_paths(site), problems)
    assert not problems.items
    stories = all_sections(config)[-1]
    assert all_sections(config)[:2] == SECTIONS
    assert (stories.folder, stories.title, stories.singular, stories.plural) == ("verhalen", "Verhalen", "verhaal", "verhalen")
    assert (stories.by_year, stories.home, stories.per_page, stories.fields) == (True, 2, 10, ("summary",))
    assert stories.new_kind == "verhaal" and stories.feed == "verhalen"


def test_folder_names_that_cannot_be_a_section():
    assert folder_problem("verhalen") is None
    assert "kleine letters" in folder_problem("Mijn Verhalen")
    assert "al in gebruik" in folder_problem("nieuws")
    assert "al in gebruik" in folder_problem("agenda")


@pytest.mark.parametrize("entry, line, message", [
    ("  - folder: Mijn Verhalen\n    title: Verhalen\n    singular: verhaal\n", 2,
     "'Mijn Verhalen' kan geen map van een rubriek zijn"),
    ("  - folder: nieuwsbrieven\n    title: Brieven\n    singular: brief\n", 2, "is al in gebruik"),
    ("  - folder: verhalen\n    title: Verhalen\n", 2, "mist de verplichte sleutel 'singular'"),
    ("  - folder: verhalen\n    title: Verhalen\n    singular: verhaal\n    home: -1\n", 5, "een getal van 0 tot"),
    ("  - folder: verhalen\n    title: Verhalen\n    singular: verhaal\n    fields: [editie]\n", 5, "Kies uit: edition"),
    ("  - folder: verhalen\n    title: Verhalen\n    singular: verhaal\n    jaar: true\n", 5, "onbekende sleutel 'jaar'"),
    ("  - folder: verhalen\n    title: Verhalen\n    singular: verhaal\n"
     "  - folder: verhalen\n    title: Meer\n    singular: meer\n", 5, "staat twee keer onder sections"),
], ids=["not-a-slug", "fixed-section", "no-singular", "home-negative", "unknown-field", "unknown-key", "twice"])
def test_a_wrong_sections_entry_is_a_dutch_error_at_its_line(tmp_path, entry, line, message):
    site = site_copy(tmp_path)
    config = site / "site.yaml"
    before = config.read_text(encoding="utf-8")
    config.write_text(before + "sections:\n" + entry, encoding="utf-8")
    first = before.count("\n") + 1  # the line of "sections:"
    result = build(site, site / "output", "--no-cache")
    assert result.returncode == 1, result.stderr
    assert f"site.yaml:{first + line - 1}:" in result.stderr, result.stderr
    assert message in result.stderr, result.stderr
    assert not (site / "output").exists()


def test_new_makes_a_post_of_the_site_s_own_section_and_says_so(tmp_path):
    site = site_copy(tmp_path)
    add_stories(site)
    result = run_build("new", "verhaal", "Wandelen met Gerrit", "--site", str(site), "--now", NOW)
    assert result.returncode == 0, result.stderr
    made = site / "content" / "verhalen" / "2026-11-23-wandelen-met-gerrit.md"
    assert made.is_file() and "de nieuwe pagina in verhalen/" in result.stdout
    text = made.read_text(encoding="utf-8")
    assert "date: 2026-11-23" in text and "summary" in text and "edition" not in text
    unknown = run_build("new", "recept", "Soep", "--site", str(site), "--now", NOW)
    assert unknown.returncode == 1 and "verhaal" in unknown.stderr


def test_a_source_page_cached_before_pages_carried_their_section_is_refused():
    """SourcePage.dated is a field of the cache's format: an entry written without it is damage (the cache is
    then made anew), never a page read as if it had no section. (cache_version changes with the code too.)"""
    from sitegen.incremental.codec import entry_codec
    from sitegen.incremental.store import CacheDamaged, MemoryStore

    codec = entry_codec(MemoryStore())
    before = b'{"SourcePage":["content/nieuws/x.md","nieuws/x.md",{"m":[]},[],"b",5,["content/nieuws/x.md",1,1],"",[]]}'
    with pytest.raises(CacheDamaged):
        codec.decode(before)
    now = codec.decode(before[:-2] + b',"nieuws:news:summary"]}')
    assert now.dated == NEWS.schema_key


def test_the_web_editor_has_a_collection_for_the_site_s_own_section(tmp_path):
    from sitegen.core import dates
    from sitegen.pipeline import BuildOptions, generate
    from sitegen.render.cms import collections

    site = site_copy(tmp_path)
    add_stories(site)
    built = generate(BuildOptions(root=site, output=site / "output", now=dates.parse_now(NOW), use_cache=False,
                                  search=False, workers=1)).site
    found = {c["name"]: c for c in collections(built)}
    assert [name for name in found if name in ("nieuws", "nieuwsbrieven", "verhalen")] == \
        ["nieuws", "nieuwsbrieven", "verhalen"]
    stories = found["verhalen"]
    assert (stories["folder"], stories["label"], stories["label_singular"]) == ("content/verhalen", "Verhalen", "Verhaal")
    fields = {f["name"]: f for f in stories["fields"]}
    assert fields["date"]["required"] is True and "summary" in fields and "edition" not in fields
    assert stories["sortable_fields"] == ["date", "title"]
