"""Feeds: every feed parses cleanly, dates carry the Amsterdam offset, and no relative URL is left.

Golden feed files of tests/fixtures/feeds_site are in tests/golden/feeds/. Regenerate after a deliberate change:
    REGENERATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_feeds.py
and review the diff of tests/golden/feeds/ like any other change.
"""

import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import lxml.html
import pytest

from conftest import NOW, REPO, run_build, tree_bytes

FIXTURE = Path(__file__).parent / "fixtures" / "feeds_site"
GOLDEN = Path(__file__).parent / "golden" / "feeds"
BASE = "https://voorbeeld.example.nl/coalitie/"
OFFSET = re.compile(r"[+-]\d\d:\d\d$")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("feeds") / "output"
    result = run_build("--site", str(FIXTURE), "--output", str(out), "--now", NOW)
    assert result.returncode == 0, result.stderr
    return out


def parse(out: Path, name: str):
    feed = feedparser.parse((out / "feeds" / name).read_bytes())
    assert feed.bozo == 0, f"{name}: {feed.get('bozo_exception')}"
    return feed


def urls_in(html: str) -> list[str]:
    if not html.strip():
        return []
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return [link for _, _, link, _ in root.iterlinks()]


FEEDS = ["alles", "nieuws", "nieuwsbrieven"]


@pytest.mark.slow
@pytest.mark.parametrize("name", FEEDS)
@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_every_feed_parses_without_errors_in_both_formats(built, name, kind):
    feed = parse(built, f"{name}.{kind}")
    assert feed.version == ("atom10" if kind == "atom" else "rss20")
    assert feed.feed.title.startswith("Feedcoalitie")
    assert feed.feed.get("language") == "nl"


def test_feeds_hold_the_newest_entries_up_to_the_configured_number(built):
    # site.yaml says feeds.entries: 3; there are 4 news posts and 2 newsletters.
    assert len(parse(built, "nieuws.atom").entries) == 3
    assert len(parse(built, "nieuws.rss").entries) == 3
    assert len(parse(built, "nieuwsbrieven.atom").entries) == 2
    everything = parse(built, "alles.atom")
    assert [e.title for e in everything.entries] == [
        "Maand van de ontmoeting", "Een kaartje in de zomer", "Nieuwsbrief juni 2025"]


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_every_entry_has_title_link_id_dates_author_summary_content(built, kind):
    for name in FEEDS:
        for entry in parse(built, f"{name}.{kind}").entries:
            assert entry.title
            assert entry.link.startswith(BASE)
            assert entry.id == entry.link  # the permalink is the id
            assert entry.author == "Welzijn Test"
            assert entry.summary
            assert entry.content[0].value
            assert entry.published_parsed
            if kind == "atom":
                assert entry.updated_parsed


def test_atom_dates_carry_the_amsterdam_offset(built):
    text = (built / "feeds" / "nieuws.atom").read_text(encoding="utf-8")
    stamps = re.findall(r"<(?:published|updated)>([^<]+)<", text)
    assert stamps and all(OFFSET.search(s) for s in stamps)
    assert "<published>2025-07-01T00:00:00+02:00</published>" in text  # summer time
    assert "<updated>2025-07-15T00:00:00+02:00</updated>" in text  # the 'updated' front matter
    assert "<published>2025-01-10T00:00:00+01:00</published>" in text  # winter time


def test_rss_dates_carry_the_amsterdam_offset(built):
    text = (built / "feeds" / "nieuws.rss").read_text(encoding="utf-8")
    assert "<pubDate>Tue, 01 Jul 2025 00:00:00 +0200</pubDate>" in text
    assert "<pubDate>Fri, 10 Jan 2025 00:00:00 +0100</pubDate>" in text


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_no_relative_url_is_left_in_links_or_content(built, kind):
    for name in FEEDS:
        feed = parse(built, f"{name}.{kind}")
        for link in feed.feed.links:
            assert urlsplit(link.href).scheme == "https", link
        for entry in feed.entries:
            for link in entry.links:
                assert urlsplit(link.href).scheme == "https", link
            for url in urls_in(entry.content[0].value):
                assert urlsplit(url).scheme in ("https", "mailto"), f"{name}.{kind}: {url}"


def test_content_urls_keep_the_base_path_and_fragments(built):
    feed = parse(built, "nieuws.atom")
    by_title = {e.title: e for e in feed.entries}
    summer = urls_in(by_title["Een kaartje in de zomer"].content[0].value)
    assert BASE + "nieuws/zomer-2025/kaart.png" in summer  # lead image and the image in the text
    assert BASE + "nieuws/2025-01-10-winter/" in summer
    assert BASE in summer  # the home page, under the base path
    assert "mailto:info@example.nl" in summer


def test_fragment_links_point_at_the_post_itself(tmp_path):
    out = tmp_path / "out"
    fixture = tmp_path / "site"
    shutil.copytree(FIXTURE, fixture)
    (fixture / "site.yaml").write_text((fixture / "site.yaml").read_text().replace("entries: 3", "entries: 10"))
    assert run_build("--site", str(fixture), "--output", str(out), "--now", NOW).returncode == 0
    entry = next(e for e in parse(out, "nieuws.atom").entries if e.title == "Koffie in de winter")
    assert BASE + "nieuws/2025-01-10-winter/#nog-meer" in urls_in(entry.content[0].value)
    assert BASE + "over/" in urls_in(entry.content[0].value)


def test_newsletter_entries_link_their_pdf(built):
    entry = next(e for e in parse(built, "nieuwsbrieven.rss").entries if e.title == "Nieuwsbrief juni 2025")
    assert BASE + "nieuwsbrieven/juni.pdf" in urls_in(entry.content[0].value)


def test_tags_become_categories(built):
    entry = next(e for e in parse(built, "nieuws.atom").entries if e.title == "Een kaartje in de zomer")
    assert [t.term for t in entry.tags] == ["zomer", "ontmoeting"]


@pytest.mark.slow
def test_the_id_stays_when_the_title_changes(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(FIXTURE, site)
    first, second = tmp_path / "a", tmp_path / "b"
    assert run_build("--site", str(site), "--output", str(first), "--now", NOW).returncode == 0
    post = site / "content" / "nieuws" / "2025-10-01-ontmoeting.md"
    post.write_text(post.read_text().replace("title: Maand van de ontmoeting", "title: Doe mee in oktober"))
    assert run_build("--site", str(site), "--output", str(second), "--now", NOW).returncode == 0
    before = {e.id for e in parse(first, "nieuws.atom").entries}
    after = parse(second, "nieuws.atom").entries
    assert "Doe mee in oktober" in [e.title for e in after]
    assert {e.id for e in after} == before


@pytest.mark.slow
def test_feeds_are_byte_identical_between_two_builds(tmp_path):
    outputs = []
    for name in ("a", "b"):
        out = tmp_path / name
        assert run_build("--site", str(FIXTURE), "--output", str(out), "--now", NOW).returncode == 0
        outputs.append(tree_bytes(out / "feeds"))
    assert outputs[0] == outputs[1]


@pytest.mark.slow
def test_feeds_do_not_change_with_the_build_time_alone(tmp_path):
    outputs = []
    for name, now in (("a", NOW), ("b", "2027-02-01T08:00")):
        out = tmp_path / name
        assert run_build("--site", str(FIXTURE), "--output", str(out), "--now", now).returncode == 0
        outputs.append(tree_bytes(out / "feeds"))
    assert outputs[0] == outputs[1]


def test_feeds_match_the_golden_files(built):
    produced = tree_bytes(built / "feeds")
    if os.environ.get("REGENERATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(built / "feeds", GOLDEN)
    expected = tree_bytes(GOLDEN)
    assert sorted(produced) == sorted(expected)
    for name in expected:
        assert produced[name] == expected[name], f"{name} differs from tests/golden/feeds/{name}"


def test_every_page_advertises_the_site_feeds_and_section_pages_their_own(built):
    home = (built / "index.html").read_text(encoding="utf-8")
    news = (built / "nieuws" / "2025-01-10-winter" / "index.html").read_text(encoding="utf-8")
    letter = (built / "nieuwsbrieven" / "2025-06-01-juni" / "index.html").read_text(encoding="utf-8")
    site_feed = '<link rel="alternate" type="application/atom+xml" title="Feedcoalitie (Atom)" href="/coalitie/feeds/alles.atom">'
    assert site_feed in home and site_feed in news and site_feed in letter
    assert 'href="/coalitie/feeds/alles.rss"' in home
    assert 'href="/coalitie/feeds/nieuws.atom"' in news and 'href="/coalitie/feeds/nieuws.rss"' in news
    assert "feeds/nieuws." not in home and "feeds/nieuws." not in letter
    assert 'href="/coalitie/feeds/nieuwsbrieven.rss"' in letter


@pytest.mark.slow
def test_a_site_without_news_or_newsletters_offers_no_feeds(make_site, tmp_path):
    site = make_site()
    out = tmp_path / "out"
    result = run_build("--site", str(site), "--output", str(out), "--now", NOW)
    assert result.returncode == 0, result.stderr
    assert not (out / "feeds").exists()
    assert 'rel="alternate"' not in (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_real_site_feeds_parse_and_are_absolute(tmp_path):
    out = tmp_path / "out"
    result = run_build("--site", str(REPO), "--output", str(out), "--now", NOW)
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (out / "feeds").iterdir())
    # A feed for everything and one for each feed section the site has (a fork may have no newsletters).
    sections = ["alles"] + [s for s in ("nieuws", "nieuwsbrieven") if (REPO / "content" / s).is_dir()]
    assert {f"{s}.{kind}" for s in sections for kind in ("atom", "rss")} <= set(names) and len(sections) > 1
    for name in names:
        feed = parse(out, name)
        for entry in feed.entries:
            assert entry.link.startswith("https://")
            for url in urls_in(entry.content[0].value):
                assert urlsplit(url).scheme in ("https", "http", "mailto", "tel"), f"{name}: {url}"
