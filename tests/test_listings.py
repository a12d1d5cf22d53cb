"""News and newsletter listings: newest first, pages of ten, subject pages, the archive by year, neighbours."""

import re
from pathlib import Path

import pytest

from conftest import NOW, run_build

FIXTURE = Path(__file__).parent / "fixtures" / "feeds_site"


def news_post(day: int, title: str, tags: str = "") -> str:
    return (f"---\ntitle: {title}\ndate: 2025-03-{day:02d}\n" + (f"tags: [{tags}]\n" if tags else "")
            + f"---\n\nTekst van {title.lower()}.\n")


def build(site: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    result = run_build("--site", str(site), "--output", str(out), "--now", NOW)
    assert result.returncode == 0, result.stderr
    return out


def read(out: Path, url: str) -> str:
    return (out / url.strip("/") / "index.html").read_text(encoding="utf-8")


def titles(html: str) -> list[str]:
    return re.findall(r'<h[23]><a href="[^"]+">([^<]+)</a></h[23]>', html)


@pytest.fixture
def news_site(make_site):
    files = {"content/nieuws/index.md": "---\ntitle: Nieuws\ndescription: Al het nieuws.\n---\n\nIntro van het nieuws.\n"}
    for day in range(1, 13):
        tags = "Zomer" if day % 2 else "zomer, ouderen"
        files[f"content/nieuws/bericht-{day:02d}.md"] = news_post(day, f"Bericht {day:02d}", tags)
    return make_site(files)


@pytest.mark.slow
def test_news_is_listed_newest_first_in_pages_of_ten(news_site, tmp_path):
    out = build(news_site, tmp_path)
    first, second = read(out, "/nieuws/"), read(out, "/nieuws/pagina/2/")
    assert titles(first) == [f"Bericht {d:02d}" for d in range(12, 2, -1)]
    assert titles(second) == ["Bericht 02", "Bericht 01"]
    assert "Intro van het nieuws." in first and "Intro van het nieuws." not in second
    assert "Pagina 2 van 2" in second
    assert '<link rel="next" href="https://test.example.nl/nieuws/pagina/2/">' in first
    assert '<link rel="prev" href="https://test.example.nl/nieuws/">' in second
    assert '<a href="/nieuws/pagina/2/" aria-current="page">' in second
    assert not (out / "nieuws" / "pagina" / "1").exists()


@pytest.mark.slow
def test_subject_pages_list_the_posts_with_that_tag_whatever_its_case(news_site, tmp_path):
    out = build(news_site, tmp_path)
    summer = read(out, "/nieuws/onderwerp/zomer/")
    assert "<h1>Onderwerp: zomer</h1>" in summer or "<h1>Onderwerp: Zomer</h1>" in summer
    assert len(titles(summer)) == 10 and "Pagina 1 van 2" in summer
    assert titles(read(out, "/nieuws/onderwerp/zomer/pagina/2/")) == ["Bericht 02", "Bericht 01"]
    elderly = read(out, "/nieuws/onderwerp/ouderen/")
    assert titles(elderly) == [f"Bericht {d:02d}" for d in range(12, 0, -2)]
    overview = read(out, "/nieuws/onderwerp/")
    assert '<a href="/nieuws/onderwerp/ouderen/">ouderen</a> (6 berichten)' in overview
    post = read(out, "/nieuws/bericht-02/")
    assert '<a href="/nieuws/onderwerp/ouderen/">ouderen</a>' in post


@pytest.mark.slow
def test_a_post_links_to_its_older_and_newer_neighbours(news_site, tmp_path):
    out = build(news_site, tmp_path)
    middle = read(out, "/nieuws/bericht-05/")
    assert re.search(r'href="/nieuws/bericht-04/" rel="prev"><span class="pager-label">Vorig bericht', middle)
    assert re.search(r'href="/nieuws/bericht-06/" rel="next"><span class="pager-label">Volgend bericht', middle)
    newest = read(out, "/nieuws/bericht-12/")
    assert 'rel="next"' not in newest.split("<main")[1]


@pytest.mark.slow
def test_the_newsletter_archive_is_grouped_by_year_newest_first(tmp_path):
    out = build(FIXTURE, tmp_path)
    archive = read(out, "/nieuwsbrieven/")
    assert archive.index('<h2 id="jaar-2025">2025</h2>') < archive.index('<h2 id="jaar-2024">2024</h2>')
    assert titles(archive) == ["Nieuwsbrief juni 2025", "Nieuwsbrief december 2024"]
    assert "Nieuwsbrief 2, " in archive and "De eerste nieuwsbrief." in archive


def test_a_newsletter_page_has_its_pdf_and_its_neighbours(tmp_path):
    out = build(FIXTURE, tmp_path)
    june = read(out, "/nieuwsbrieven/2025-06-01-juni/")
    assert 'href="/coalitie/nieuwsbrieven/juni.pdf"' in june
    assert "Download deze nieuwsbrief als PDF" in june
    assert "Vorige nieuwsbrief</span> Nieuwsbrief december 2024" in june
    assert "Nieuwsbrief 2, verschenen op" in june
    december = read(out, "/nieuwsbrieven/2024-12-01-december/")
    assert "Volgende nieuwsbrief</span> Nieuwsbrief juni 2025" in december
    assert ".pdf" not in december.split("<main")[1]
    assert (out / "nieuwsbrieven" / "juni.pdf").read_bytes().startswith(b"%PDF-")


@pytest.mark.slow
def test_a_long_archive_is_paginated(make_site, tmp_path):
    files = {f"content/nieuwsbrieven/{n:02d}.md": f"---\ntitle: Nummer {n}\ndate: 20{10 + n // 12}-{n % 12 + 1:02d}-01\n"
             f"edition: {n}\n---\n\nNieuwsbrief {n}.\n" for n in range(30)}
    out = build(make_site(files), tmp_path)
    assert len(titles(read(out, "/nieuwsbrieven/"))) == 24
    assert len(titles(read(out, "/nieuwsbrieven/pagina/2/"))) == 6


@pytest.mark.slow
def test_a_news_post_without_a_date_is_an_error_naming_the_file(make_site, tmp_path):
    site = make_site({"content/nieuws/zonder-datum.md": "---\ntitle: Geen datum\n---\n\nTekst.\n"})
    result = run_build("--site", str(site), "--output", str(tmp_path / "out"), "--now", NOW)
    assert result.returncode == 1
    assert "content/nieuws/zonder-datum.md:1:1: dit nieuwsbericht heeft geen datum" in result.stderr
    assert "date: 2025-03-14" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_an_empty_news_section_says_so(make_site, tmp_path):
    site = make_site({"content/nieuws/index.md": "---\ntitle: Nieuws\ndescription: Nieuws.\n---\n\nIntro.\n"})
    out = build(site, tmp_path)
    assert "Er is nog geen nieuws." in read(out, "/nieuws/")


@pytest.mark.slow
def test_news_without_an_index_page_still_gets_a_listing(make_site, tmp_path):
    out = build(make_site({"content/nieuws/a.md": news_post(3, "Alleen bericht")}), tmp_path)
    listing = read(out, "/nieuws/")
    assert "<h1>Nieuws</h1>" in listing and titles(listing) == ["Alleen bericht"]


@pytest.mark.slow
def test_a_news_item_without_date_is_reported_with_the_other_problems_of_the_build(make_site, tmp_path):
    """The date check runs with the other checks, before rendering: its error comes with every warning of
    the build (it used to be raised in the middle of rendering, and the warnings were lost)."""
    site = make_site({"content/nieuws/zonder.md": "---\ntitle: Zonder datum\n---\n\nTekst.\n",
                      "content/over.md": "---\ntitle: Over\ndescription: Over ons.\n---\n\n[klik hier](/)\n"})
    result = run_build("--site", str(site), "--now", NOW)
    assert result.returncode == 1
    assert "content/nieuws/zonder.md:1:1: dit nieuwsbericht heeft geen datum." in result.stderr
    assert re.search(r"content/over.md:6:\d+: waarschuwing: .*klik hier", result.stderr)
    assert not (site / "output").exists()
