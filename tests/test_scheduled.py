"""Scheduled publishing: a news item or newsletter dated after the build moment (--now) is not on the site,
in listings, feeds, search or sitemap until a build on or after that moment; `check` says when it goes live.
A news date may carry a time of day: it orders the items of one day and is the time in the feeds."""

import datetime as dt

import feedparser
import pytest

from conftest import REPO, run_build

NEWS = {
    "content/nieuws/index.md": "---\ntitle: Nieuws\n---\n\nHet nieuws van de coalitie.\n",
    "content/nieuws/ochtend.md": "---\ntitle: Ochtendbericht\ndate: 2026-11-12 09:00\n---\n\nDe ochtend.\n",
    "content/nieuws/middag.md": "---\ntitle: Middagbericht\ndate: 2026-11-12 15:24\n---\n\nDe middag.\n",
    "content/nieuws/kerst.md": "---\ntitle: Kerstmarkt\ndate: 2026-12-15\n---\n\nDe kerstmarkt komt eraan.\n",
    "content/nieuwsbrieven/index.md": "---\ntitle: Nieuwsbrieven\n---\n\nAlle nieuwsbrieven.\n",
    "content/nieuwsbrieven/januari.md": "---\ntitle: Nieuwsbrief januari\ndate: 2027-01-04 08:30\n"
                                        "edition: 7\n---\n\nDe nieuwsbrief van januari.\n",
}


def build(site, now: str):
    output = site / f"output-{now[:10]}"
    result = run_build("--site", str(site), "--output", str(output), "--now", now)
    assert result.returncode == 0, result.stderr
    return output, result


def everything(output) -> str:
    """Every text file of the built site, joined: pages, listings, feeds, search index, sitemap."""
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(output.rglob("*"))
                     if p.is_file() and p.suffix in (".html", ".xml", ".json", ".txt", ".js", ".ics", ".atom", ".rss"))


@pytest.fixture
def site(make_site):
    return make_site(NEWS)


@pytest.mark.slow
def test_items_dated_after_now_are_nowhere_on_the_site_until_their_moment(site):
    before, _ = build(site, "2026-11-23T12:00")
    text = everything(before)
    assert "Middagbericht" in text and "/nieuws/middag/" in (before / "sitemap.xml").read_text()
    for absent in ("Kerstmarkt", "/nieuws/kerst/", "Nieuwsbrief januari", "/nieuwsbrieven/januari/"):
        assert absent not in text, absent
    assert not (before / "nieuws" / "kerst").exists()
    assert not (before / "nieuwsbrieven" / "januari").exists()

    after, _ = build(site, "2027-01-04T08:30")
    text = everything(after)
    assert (after / "nieuws" / "kerst" / "index.html").is_file()
    assert (after / "nieuwsbrieven" / "januari" / "index.html").is_file()
    for present in ("/nieuws/kerst/", "/nieuwsbrieven/januari/"):
        assert present in (after / "sitemap.xml").read_text()
        assert present in (after / "feeds" / "alles.atom").read_text()
    assert "Kerstmarkt" in (after / "nieuws" / "index.html").read_text()
    search = "\n".join(p.read_text(errors="replace") for p in (after / "zoekindex").rglob("*") if p.is_file())
    assert "Kerstmarkt" in search


def test_one_minute_before_the_time_it_is_still_withheld(site):
    output, _ = build(site, "2027-01-04T08:29")
    assert not (output / "nieuwsbrieven" / "januari").exists()


def test_check_says_when_each_withheld_item_goes_live(site):
    result = run_build("check", "--site", str(site), "--now", "2026-11-23T12:00")
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if "komt online" in line]
    assert lines == [
        "content/nieuws/kerst.md: komt online op 15 december 2026 (de dagelijkse bouw zet het dan op de site).",
        "content/nieuwsbrieven/januari.md: komt online op 4 januari 2027 om 08:30 (de dagelijkse bouw zet het "
        "dan op de site).",
    ]


@pytest.mark.slow
def test_the_time_orders_items_of_one_day_and_is_the_time_in_the_feeds(site):
    output, _ = build(site, "2026-11-23T12:00")
    listing = (output / "nieuws" / "index.html").read_text()
    assert listing.index("Middagbericht") < listing.index("Ochtendbericht")
    feed = feedparser.parse((output / "feeds" / "nieuws.atom").read_bytes())
    assert {e.title: e.published for e in feed.entries}["Middagbericht"] == "2026-11-12T15:24:00+01:00"
    times = {e.title: dt.datetime(*e.published_parsed[:6]) for e in feed.entries}
    assert times["Middagbericht"] == dt.datetime(2026, 11, 12, 14, 24)  # 15:24 in Amsterdam, in UTC
    assert times["Ochtendbericht"] == dt.datetime(2026, 11, 12, 8, 0)


def test_a_link_to_a_withheld_item_is_an_error_that_says_when_it_comes_online(make_site):
    files = dict(NEWS)
    files["content/nieuws/middag.md"] += "\nLees ook [de kerstmarkt](kerst.md).\n"
    site = make_site(files)
    result = run_build("check", "--site", str(site), "--now", "2026-11-23T12:00")
    assert result.returncode == 1
    assert "de link 'kerst.md' wijst naar niets: die pagina komt pas online op 15 december 2026" in result.stderr


PHOTO = (REPO / "tests" / "fixtures" / "feeds_site" / "content" / "nieuws" / "zomer-2025" / "kaart.png").read_bytes()
WITH_PHOTO = "---\ntitle: Kerstmarkt\ndate: 2026-12-15\nimage: kerst.png\nimage_alt: De markt.\n---\n\n" \
             "De kerstmarkt komt eraan. Lees [de folder](folder.pdf).\n"


@pytest.fixture
def scheduled_with_files(make_site):
    site = make_site({**NEWS, "content/nieuws/kerst.md": WITH_PHOTO})
    (site / "content" / "nieuws" / "kerst.png").write_bytes(PHOTO)
    (site / "content" / "nieuws" / "folder.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    return site


def test_the_photo_and_attachment_of_a_scheduled_item_go_online_with_it(scheduled_with_files):
    before, _ = build(scheduled_with_files, "2026-11-23T12:00")
    assert not (before / "nieuws" / "kerst.png").exists()
    assert not (before / "nieuws" / "folder.pdf").exists()
    after, _ = build(scheduled_with_files, "2026-12-15T00:00")
    assert (after / "nieuws" / "kerst.png").read_bytes() == PHOTO
    assert (after / "nieuws" / "folder.pdf").is_file()
    assert '/nieuws/kerst.png"' in (after / "nieuws" / "kerst" / "index.html").read_text()


def test_a_file_a_published_page_also_shows_is_not_held_back(scheduled_with_files):
    page = scheduled_with_files / "content" / "nieuws" / "middag.md"
    page.write_text(page.read_text() + "\n![De markt](kerst.png)\n")
    before, _ = build(scheduled_with_files, "2026-11-23T12:00")
    assert (before / "nieuws" / "kerst.png").read_bytes() == PHOTO
    assert not (before / "nieuws" / "folder.pdf").exists()


def test_a_missing_photo_in_a_scheduled_item_fails_now_at_its_line(make_site):
    site = make_site({**NEWS, "content/nieuws/kerst.md": WITH_PHOTO})
    result = run_build("check", "--site", str(site), "--now", "2026-11-23T12:00")
    assert result.returncode == 1
    assert "content/nieuws/kerst.md:8:44: het bestand 'folder.pdf' is niet gevonden" in result.stderr
    assert "content/nieuws/kerst.md:4:1: de afbeelding 'kerst.png' is niet gevonden" in result.stderr


def test_a_preview_shows_scheduled_items_and_drafts_saying_they_are_not_public_yet(make_site):
    site = make_site({**NEWS, "content/concept.md": "---\ntitle: Concept\ndraft: true\n---\n\nNog bezig.\n"})
    output = site / "voorbeeld"
    result = run_build("--site", str(site), "--output", str(output), "--now", "2026-11-23T12:00", "--drafts")
    assert result.returncode == 0, result.stderr
    kerst = (output / "nieuws" / "kerst" / "index.html").read_text()
    assert "Nog niet openbaar.</strong> Deze pagina komt online op 15 december 2026." in kerst
    draft = (output / "concept" / "index.html").read_text()
    assert "Nog niet openbaar.</strong> Dit is een concept (draft: true)" in draft
    assert "preview-notice" not in (output / "nieuws" / "middag" / "index.html").read_text()
    public, _ = build(site, "2026-11-23T12:00")
    assert "preview-notice" not in everything(public)
