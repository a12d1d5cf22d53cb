"""The check that every link on the site leads to a file the build writes (render/validate.py)."""

from __future__ import annotations

from conftest import NOW

from sitegen.core import dates
from sitegen.core.errors import ContentError
from sitegen.core.options import BuildOptions
from sitegen.pipeline import generate


def problems_of(site) -> list[str]:
    try:
        generate(BuildOptions(root=site, output=site / "output", now=dates.parse_now(NOW), use_cache=False))
    except ContentError as exc:
        return [p.format() for p in exc.problems]
    return []


def test_each_broken_link_once_at_its_place_and_every_good_one_passes(make_site):
    """A broken link in a page's text is named at its line and column, one in a template at the page it is on;
    a link to a folder without its slash, the menu and the stylesheet pass."""
    site = make_site({
        "content/over.md": "---\ntitle: Over ons\n---\n\nLees [de agenda](/agendaa/) of [ons](/over).\n\n"
                           "Nog eens [de agenda](/agendaa/).\n",
        "templates/page.html": '{% extends "base.html" %}{% block content %}{{ page.body_html | safe }}'
                               '<a href="/nergens/">weg</a>{% endblock %}',
    })
    problems = problems_of(site)
    assert problems == [
        "content/over.md: over/index.html linkt naar /nergens/, maar dat adres bestaat niet op de site.",
        "content/over.md:5:18: de link '/agendaa/' wijst naar een adres dat deze site niet heeft. "
        "Controleer het adres, of link naar het .md-bestand.",
    ], problems


def test_a_site_whose_links_all_lead_somewhere_has_no_problem(make_site):
    site = make_site({"content/over.md": "---\ntitle: Over ons\n---\n\nNaar [huis](/) en [ons](/over/).\n"})
    assert problems_of(site) == []


# -- the dev server: a save checks again only the links of the pages it changed -----------------------

def _five_pages_served(make_site):
    from test_serve import FIVE_PAGES, _aged_live_site

    site = make_site({**FIVE_PAGES, "content/pagina0.md": "---\ntitle: Pagina 0\n---\n\nNaar [pagina 1](/pagina1/).\n"})
    return site, _aged_live_site(site)


def test_a_dev_server_save_checks_the_links_of_the_changed_pages_only(make_site, monkeypatch):
    """At 10,000 pages comparing every page's links with the written files took 0.05-0.07 s of each save;
    a page whose output is the very same as at the build before, with the same files written, misses
    what it missed then."""
    site, live = _five_pages_served(make_site)
    calls: list[int] = []
    from sitegen.incremental import memo
    real = memo.missing_targets
    monkeypatch.setattr(memo, "missing_targets", lambda links, written: calls.append(1) or real(links, written))
    try:
        assert not live.rebuild().failed
        live.tidy()
        first = len(calls)
        assert first >= 5  # every page at the first build
        # Words the search index has (a new word is a new file written). The first save after the start checks
        # every page again (the first build's outputs are not the objects the cache keeps), the next ones not.
        for save, n in enumerate((4, 2, 4)):
            calls.clear()
            (site / "content" / "pagina3.md").write_text(f"---\ntitle: Pagina 3\n---\n\nTekst {n}.\n", "utf-8")
            assert not live.rebuild().failed
            live.tidy()
            if save:
                assert 1 <= len(calls) < first - 3, calls  # the saved page (and any listing), not all pages
    finally:
        live.close()


def test_in_the_dev_server_a_removed_page_breaks_the_unchanged_page_that_links_to_it(make_site):
    """The missing targets kept for an unchanged page hold only while the same files are written: removing
    the page it links to is an error at its link, and bringing it back clears it."""
    site, live = _five_pages_served(make_site)
    try:
        assert not live.rebuild().failed
        live.tidy()
        assert not live.rebuild().failed  # the links of every page now kept
        target = site / "content" / "pagina1.md"
        text = target.read_text(encoding="utf-8")
        target.unlink()
        snapshot = live.rebuild()
        assert [p.format() for p in snapshot.problems] == [
            "content/pagina0.md:5:17: de link '/pagina1/' wijst naar een adres dat deze site niet heeft. "
            "Controleer het adres, of link naar het .md-bestand."], snapshot.problems
        target.write_text(text, encoding="utf-8")
        assert live.rebuild().problems == []
    finally:
        live.close()
