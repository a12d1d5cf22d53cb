"""A data table from a newsletter stays within a 375 px phone screen: the page never scrolls sideways and
every cell can be read. Measured in Chromium."""

import pytest

from conftest import MINIMAL_SITE_YAML, NOW, REPO, run_build, write_tree
from harness.browser import opened_page, run_axe, screenshot
from harness.server import serve_directory

pytestmark = pytest.mark.browser

TABLE = """\
---
title: Nieuwsbrief oktober
date: 2026-10-05
---

De activiteiten van deze maand:

| Wat | Waar | Wanneer |
|---|---|---|
| Koffieochtend met de buurtvereniging | Dorpshuis De Brink, Brinkstraat 12, Beilen | elke dinsdag van 10:00 tot 11:30 uur |
| Wandeling voor iedereen | Start bij de Nederlands Hervormde kerk, Westerbork | zaterdag 17 oktober om 14:00 uur |
| Mantelzorgcafé | Bibliotheek Smilde, Hoofdweg 89 | donderdag 22 oktober, inloop vanaf 19:30 uur |
"""


@pytest.fixture(scope="module")
def table_site_url(tmp_path_factory):
    """conftest's minimal site with the newsletter, built once and served for both widths."""
    site = write_tree(tmp_path_factory.mktemp("table") / "site", {
        "site.yaml": MINIMAL_SITE_YAML,
        "content/index.md": "---\ntitle: Welkom\ndescription: De beginpagina.\n---\n\nWelkom op de site.\n",
        "content/nieuwsbrieven/2026-10-05-oktober.md": TABLE})
    output = site.parent / "out"
    result = run_build("--site", str(site), "--output", str(output), "--now", NOW)
    assert result.returncode == 0, result.stderr
    with serve_directory(output) as base:
        yield base


@pytest.mark.parametrize("width", [375, 1280])
def test_a_three_column_table_fits_the_screen_and_every_cell_is_readable(browser, table_site_url, width):
    base = table_site_url
    with opened_page(browser, width, 800) as page:
        page.goto(base + "nieuwsbrieven/2026-10-05-oktober/")
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
        table = page.locator(".prose table")
        box = table.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
        for cell in page.locator(".prose td").all():  # nothing cut off: each cell shows all of its text
            assert cell.evaluate("c => c.scrollWidth <= c.clientWidth + 1")
        font = page.locator(".prose td").first.evaluate("c => parseFloat(getComputedStyle(c).fontSize)")
        assert font >= 16
        assert run_axe(page) == []
        screenshot(page, REPO / "test-artifacts" / f"newsletter-table-{width}.png")
