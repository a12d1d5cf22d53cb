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
