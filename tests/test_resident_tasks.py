"""What a resident comes to do, done in Chromium at 375x800 (and 1280) on the real content, and measured.

Built once with a fixed --now (Monday 30 November 2026, noon). Each test is one task from issue 13: find a
number to ring on the first screen, reach the agenda of the village for this week, read where and how to
sign up before the story, print the village agenda on at most two A4 pages, and hear dates in link text.
Screenshots of the new pages at both widths go to test-artifacts/.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from conftest import REPO
from harness.browser import screenshot

pytestmark = pytest.mark.browser

NOW = "2026-11-30T12:00"
ARTIFACTS = REPO / "test-artifacts"
SCREEN = 800  # the height of the first screen on a phone
PAGE_TYPES = {  # one page of each type a resident meets
    "home": "", "page": "over-eenzaamheid/wat-is-eenzaamheid/", "section": "over-eenzaamheid/",
    "help": "hulp/", "agenda": "agenda/", "activity": "agenda/koffieochtend-beilen/",
    "activity-without-place": "agenda/week-tegen-eenzaamheid/", "agenda-place": "agenda/in/beilen/",
    "agenda-audience": "agenda/voor/jongeren/", "agenda-month": "agenda/maand/2027-01/",
    "agenda-print": "agenda/afdrukken/beilen/", "agenda-archive": "agenda/archief/", "news": "nieuws/",
    "news-item": "nieuws/2025-11-03-workshops-op-aanvraag/", "topic": "nieuws/onderwerp/zomer/",
    "follow": "volgen/", "search": "zoeken/", "404": "deze-pagina-bestaat-niet/",
}
LANDMARKS = ("header, footer, main, nav, aside, form[aria-label], form[aria-labelledby], section[aria-label], "
             "section[aria-labelledby], [role=region], [role=banner], [role=navigation], [role=contentinfo], "
             "[role=complementary], [role=search], [role=main]")





def top_and_bottom(page, selector: str) -> tuple[float, float]:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    scroll = page.evaluate("window.scrollY")
    return box["y"] + scroll, box["y"] + scroll + box["height"]


# --------------------------------------------------------------------------- help in the first screen

def test_the_home_page_shows_three_numbers_to_tap_without_scrolling(tabs, real_site_url):
    page = tabs(375, SCREEN)
    page.goto(real_site_url)
    _, bottom = top_and_bottom(page, ".help-top")
    assert bottom <= SCREEN, f"the help block ends at {bottom:.0f} px"
    block = page.locator(".help-top")
    for tel in ("tel:0880767000", "tel:113", "tel:0881651200"):  # De Luisterlijn, 113, Welzijnswerk
        _, link_bottom = top_and_bottom(page, f'.help-top a[href="{tel}"]')
        assert link_bottom <= SCREEN, tel
    assert "bij gedachten aan zelfdoding" in block.inner_text().lower()
    page.screenshot(path=str(ARTIFACTS / "task-home-first-screen-375.png"))


def test_the_help_page_starts_with_the_numbers(tabs, real_site_url):
    page = tabs(375, SCREEN)
    page.goto(real_site_url + "hulp/")
    _, first_tel = top_and_bottom(page, 'main a[href^="tel:"]')
    assert first_tel <= SCREEN
    tels = page.eval_on_selector_all("main a[href^='tel:']", "els => els.map(e => e.getAttribute('href'))")
    assert {"tel:0880767000", "tel:113", "tel:08001325", "tel:08000450"} <= set(tels)
    first_prose_heading = page.locator("main .prose h2").first.bounding_box()["y"]
    assert page.locator(".help-top").bounding_box()["y"] < first_prose_heading


@pytest.mark.parametrize("width", (375, 1280))
def test_every_page_type_has_a_compact_header_with_help_and_its_h1_on_the_first_screen(tabs, real_site_url, width):
    problems = []
    page = tabs(width, SCREEN)
    for kind, path in PAGE_TYPES.items():
        page.goto(real_site_url + path)
        header = page.locator(".site-header").bounding_box()["height"]
        _, h1_bottom = top_and_bottom(page, "h1")
        help_link = page.get_by_role("banner").get_by_role("link", name="Hulp nodig?")
        if width == 375 and header > 200:
            problems.append(f"{kind}: header {header:.0f} px")
        if h1_bottom > SCREEN:
            problems.append(f"{kind}: h1 ends at {h1_bottom:.0f} px")
        if help_link.count() != 1 or not help_link.get_attribute("href").endswith("/hulp/"):
            problems.append(f"{kind}: no 'Hulp nodig?' link to /hulp/ in the header")
    assert problems == []


def test_the_menu_works_without_javascript_on_a_phone(tabs, real_site_url):
    page = tabs(375, SCREEN, javascript_enabled=False)
    page.goto(real_site_url)
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    menu.get_by_text("Menu", exact=True).click()
    link = menu.get_by_role("link", name="Agenda")
    link.click()
    page.wait_for_url(re.compile(r"/agenda/$"))
    assert page.locator("h1").inner_text() == "Agenda"


def test_every_phone_number_on_an_activity_page_can_be_tapped(tabs, real_site_url, real_output):
    html = (real_output / "agenda/koffieochtend-beilen/index.html").read_text(encoding="utf-8")
    transport = html[html.index('id="vervoer"'):]
    assert '<a class="phone" href="tel:0881651200">088-1651200</a>' in transport[:600]
    page = tabs(375, SCREEN)
    page.goto(real_site_url + "agenda/koffieochtend-beilen/")
    texts = page.eval_on_selector_all(
        "main :is(p, li, dd)", "els => els.map(e => e.cloneNode(true)).map(e => {"
        " e.querySelectorAll('a[href^=\"tel:\"]').forEach(a => a.remove()); return e.textContent; })")
    untapped = [t for t in texts if re.search(r"\b0\d{2,3}[ -]?\d{6,7}\b", t)]
    assert untapped == []


# --------------------------------------------------------------------------- the agenda by time

def test_the_agenda_is_short_with_villages_first_and_the_first_activity_on_the_first_screen(tabs, real_site_url):
    page = tabs(375, SCREEN)
    page.goto(real_site_url + "agenda/")
    height = page.evaluate("document.documentElement.scrollHeight")
    first_top, _ = top_and_bottom(page, ".agenda-list .activity")
    villages_top, _ = top_and_bottom(page, "nav[aria-label='In welk dorp?']")
    assert height <= 6000, f"/agenda/ is {height} px tall"
    assert first_top < SCREEN, f"the first activity starts at {first_top:.0f} px"
    assert villages_top < first_top
    headings = page.eval_on_selector_all(".agenda-list h2", "els => els.map(e => e.textContent.trim())")
    assert headings[:2] == ["Deze week", "Volgende week"] and headings[2].startswith("Later, tot en met")
    # a weekly activity once per day it happens in four weeks (1, 8, 15, 22 December)
    assert page.locator(".agenda-list a", has_text="Koffieochtend in Beilen").count() == 4
    screenshot(page, ARTIFACTS / "task-agenda-375.png")


def test_a_village_agenda_for_this_week_is_three_taps_from_home_menu_agenda_village(tabs, real_site_url):
    page = tabs(375, SCREEN)
    page.goto(real_site_url)
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    menu.get_by_text("Menu", exact=True).click()
    menu.get_by_role("link", name="Agenda").click()
    page.get_by_role("navigation", name="In welk dorp?").get_by_role("link", name="Beilen").click()
    page.wait_for_url(re.compile(r"/agenda/in/beilen/$"))
    link = page.get_by_role("link", name=re.compile(r"^Koffieochtend in Beilen ?, dinsdag 1 december, 10:00$"))
    assert link.count() == 1
    assert top_and_bottom(page, ".agenda-list .activity")[0] < SCREEN


def test_a_month_page_shows_a_weekly_activity_on_one_line_with_previous_and_next(tabs, real_site_url, real_output):
    page = tabs(375, SCREEN)
    page.goto(real_site_url + "agenda/maand/2027-01/")
    coffee = page.locator("main li", has_text="Koffieochtend in Beilen")
    assert coffee.count() == 1
    assert "Elke week op dinsdag: 5, 12, 19 en 26 januari, 10:00 tot 11:30 uur" in coffee.inner_text()
    for rel, month in (("prev", "december 2026"), ("next", "februari 2027")):
        link = page.locator(f"a[rel={rel}]")
        assert month in link.inner_text()
        assert (real_output / link.get_attribute("href").strip("/") / "index.html").is_file()
    screenshot(page, ARTIFACTS / "task-agenda-month-375.png")


def test_an_audience_page_lists_its_own_activities_first_and_everyone_after(tabs, real_site_url):
    page = tabs(375, SCREEN)
    page.goto(real_site_url + "agenda/voor/jongeren/")
    titles = page.eval_on_selector_all(".agenda-list .activity-title", "els => els.map(e => e.textContent)")
    assert titles[0].startswith("Online praatgroep voor jongeren")
    everyone = page.locator("h2", has_text="Ook voor iedereen")
    assert everyone.count() == 1
    heading_y = everyone.bounding_box()["y"]
    coffee_y = page.locator(".agenda-list .activity", has_text="Koffieochtend").first.bounding_box()["y"]
    assert coffee_y > heading_y  # everything 'voor iedereen' comes after its own heading
    screenshot(page, ARTIFACTS / "task-agenda-audience-375.png")


# --------------------------------------------------------------------------- activity pages

@pytest.mark.parametrize("path", ["agenda/koffieochtend-beilen/", "agenda/kerstavond-bovensmilde/"])
def test_an_activity_page_says_where_and_how_to_sign_up_on_the_first_screen(tabs, real_site_url, path):
    page = tabs(375, SCREEN)
    page.goto(real_site_url + path)
    for name in ("Waar", "Aanmelden"):
        heading = page.get_by_role("heading", level=2, name=name, exact=True)
        assert heading.count() == 1, name
        assert heading.bounding_box()["y"] < SCREEN, name
    h2s = page.eval_on_selector_all("main h2", "els => els.map(e => e.textContent.trim())")
    assert h2s.index("Aanmelden") < h2s.index("Over deze activiteit")
    screenshot(page, ARTIFACTS / f"task-activity-{path.split('/')[1]}-375.png")


def test_a_weekly_activity_shows_five_dates_and_the_rest_behind_details(tabs, real_site_url):
    page = tabs(375, SCREEN)
    page.goto(real_site_url + "agenda/koffieochtend-beilen/")
    shown = page.locator("#data + ul.event-dates li")
    assert shown.count() == 5
    more = page.locator("details.more-dates")
    assert more.count() == 1 and not more.locator("li").first.is_visible()
    more.locator("summary").click()
    assert more.locator("li").first.is_visible()


def test_an_activity_without_a_place_says_so_and_has_a_location_for_search_engines(tabs, real_site_url, real_output):
    page = tabs(375, SCREEN)
    page.goto(real_site_url + "agenda/week-tegen-eenzaamheid/")
    waar = page.locator("h2#waar + p").inner_text()
    assert "Op verschillende plekken in Midden-Drenthe" in waar
    html = (real_output / "agenda/week-tegen-eenzaamheid/index.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    for event in data if isinstance(data, list) else [data]:
        assert event["location"]["@type"] == "Place"
        assert event["location"]["address"]["addressRegion"] == "Midden-Drenthe"


# --------------------------------------------------------------------------- print

VILLAGES = ["beilen", "bovensmilde", "hooghalen", "smilde", "westerbork", "wijster"]


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", data))


def test_the_agenda_links_to_a_print_for_each_village(tabs, real_site_url):
    page = tabs(375, SCREEN)
    page.goto(real_site_url + "agenda/in/beilen/")
    page.get_by_role("link", name="Print de agenda voor Beilen").click()
    page.wait_for_url(re.compile(r"/agenda/afdrukken/beilen/$"))


@pytest.mark.parametrize("path, name, target", [
    ("agenda/", "Afdrukken de agenda", "agenda/afdrukken/"),
    ("agenda/in/westerbork/", "Afdrukken de agenda voor Westerbork", "agenda/afdrukken/westerbork/"),
    ("agenda/voor/ouderen/", "Afdrukken de agenda", "agenda/afdrukken/")])
def test_every_agenda_page_has_a_print_button_at_the_top(tabs, real_site_url, path, name, target):
    page = tabs(375, SCREEN, javascript_enabled=False)
    page.goto(real_site_url + path)
    button = page.get_by_role("link", name=name, exact=True)
    assert button.inner_text().startswith("Afdrukken")  # the visible word; the rest for screen readers
    box = button.bounding_box()
    assert box["y"] + box["height"] <= 400 and box["height"] >= 44, box  # before the first activity
    button.click()
    page.wait_for_url(re.compile(re.escape(target) + "$"))


def test_the_print_page_gives_a_keyboard_shortcut_only_where_there_is_a_keyboard(tabs, real_site_url):
    page = tabs(375, SCREEN, is_mobile=True, has_touch=True)
    page.goto(real_site_url + "agenda/afdrukken/beilen/")
    phone = page.locator(".print-choose").inner_text()
    page = tabs(1280, SCREEN)
    page.goto(real_site_url + "agenda/afdrukken/beilen/")
    computer = page.locator(".print-choose").inner_text()
    assert "Ctrl+P" not in phone and "menu van de browser" in phone
    assert "Ctrl+P" in computer and "telefoon" not in computer


@pytest.mark.parametrize("village", VILLAGES)
def test_each_village_prints_on_at_most_two_a4_pages_in_large_letters_with_every_fact(tabs, real_site_url, village):
    page = tabs(1280, SCREEN)
    page.goto(real_site_url + f"agenda/afdrukken/{village}/")
    pages = pdf_pages(page.pdf(format="A4"))
    assert 1 <= pages <= 2, f"{village}: {pages} A4 pages"
    page.emulate_media(media="print")
    sizes = page.eval_on_selector_all("main p, main h2, main h3",
                                      "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert min(sizes) >= 14 * 96 / 72 - 0.01, f"smallest text {min(sizes)} px"  # 14 pt
    text = page.locator("main").inner_text().lower()
    assert not re.search(r"\b(vandaag|morgen|overmorgen|deze week|volgende week)\b", text)
    if village == "bovensmilde":  # address, time, cost, sign-up phone and deadline
        for fact in ("voorbeeldlaan 3, bovensmilde", "17:30 tot 20:00", "€ 7,50", "088-1651200",
                     "tot en met vrijdag 18 december"):
            assert fact in text, fact
    screenshot(page, ARTIFACTS / f"task-print-{village}.png")


def test_the_village_print_carries_a_qr_code_to_its_online_agenda_and_the_helplines_on_paper_only(
        tabs, real_site_url):
    page = tabs(1280, SCREEN)
    page.goto(real_site_url + "agenda/afdrukken/westerbork/")
    qr = page.get_by_role("img", name="QR-code naar de agenda op internet")
    assert not qr.is_visible()  # on screen the page itself is the agenda
    page.emulate_media(media="print")
    box = qr.bounding_box()
    assert box and box["width"] >= 130 and abs(box["width"] - box["height"]) < 1, box  # >= 35 mm at 96 dpi
    footer = page.locator(".print-footer").inner_text()
    assert "Scan de code met de camera" in footer and re.search(r"\S+/agenda/in/westerbork/", footer)
    for helpline in ("De Luisterlijn", "088 0767 000", "Welzijnswerk Midden-Drenthe"):
        assert helpline in footer, helpline
    assert pdf_pages(page.pdf(format="A4")) == 1


def test_the_whole_municipality_prints_too(tabs, real_site_url):
    page = tabs(1280, SCREEN)
    page.goto(real_site_url + "agenda/afdrukken/")
    assert pdf_pages(page.pdf(format="A4")) <= 4
    assert page.locator(".print-item").count() >= 6


# --------------------------------------------------------------------------- screen readers

def test_every_page_type_has_at_most_eight_landmarks_and_silent_breadcrumb_separators(tabs, real_site_url):
    problems = []
    page = tabs(1280, SCREEN)
    for kind, path in PAGE_TYPES.items():
        page.goto(real_site_url + path)
        count = page.locator(LANDMARKS).count()
        if count > 8:
            problems.append(f"{kind}: {count} landmarks")
        crumbs = page.locator("nav.breadcrumbs")
        if crumbs.count() and "›" in crumbs.aria_snapshot():
            problems.append(f"{kind}: a breadcrumb separator is read aloud")
    assert problems == []


def test_in_lists_each_activity_link_carries_its_date_and_time(tabs, real_site_url):
    page = tabs(375, SCREEN)
    for path in ("agenda/", ""):
        page.goto(real_site_url + path)
        names = [page.locator(".activity-title a").nth(i).evaluate("e => e.textContent")
                 for i in range(page.locator(".activity-title a").count())]
        assert names and all(re.search(r", \w+dag \d+ \w+(, \d\d:\d\d)?$", n) for n in names), names


# --------------------------------------------------------------------------- found by search engines

def test_the_sitemap_lists_every_public_page_but_not_search_or_admin(real_output):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = {e.text for e in ET.parse(real_output / "sitemap.xml").getroot().findall("s:url/s:loc", ns)}
    paths = {loc.split("middendrenthe.nl", 1)[1] for loc in locs}
    for folder in sorted(real_output.glob("agenda/*/index.html")):
        assert "/" + folder.parent.relative_to(real_output).as_posix() + "/" in paths
    for expected in ("/agenda/", "/agenda/in/beilen/", "/agenda/voor/ouderen/", "/agenda/maand/2027-01/",
                     "/nieuws/onderwerp/zomer/", "/hulp/"):
        assert expected in paths, expected
    assert not any(p.startswith(("/zoeken/", "/admin/")) for p in paths)


def test_subscribe_links_are_webcal_and_the_follow_page_explains_the_difference(real_output):
    agenda = (real_output / "agenda/index.html").read_text(encoding="utf-8")
    assert 'href="webcal://eentegeneenzaamheid-middendrenthe.nl/agenda.ics"' in agenda
    follow = (real_output / "volgen/index.html").read_text(encoding="utf-8")
    assert 'href="webcal://eentegeneenzaamheid-middendrenthe.nl/agenda.ics"' in follow
    assert "één keer" in follow  # a download is once; following keeps it up to date


# --------------------------------------------------------------------------- screenshots to look at

@pytest.mark.parametrize("width", (375, 1280))
def test_screenshots_of_the_new_pages(tabs, real_site_url, width):
    page = tabs(width, SCREEN)
    for kind in ("home", "help", "agenda", "agenda-place", "agenda-audience", "agenda-month", "activity",
                 "activity-without-place", "agenda-print"):
        page.goto(real_site_url + PAGE_TYPES[kind])
        assert screenshot(page, ARTIFACTS / f"resident-{kind}-{width}.png").stat().st_size > 0


# --------------------------------------------------------------------------- what a tap does

def test_the_calendar_button_says_it_adds_the_activity_as_a_file(tabs, real_site_url):
    page = tabs(375, SCREEN)
    page.goto(real_site_url + "agenda/koffieochtend-beilen/")
    link = page.locator("a[download][href$='.ics']")
    assert link.count() == 1
    name = page.evaluate("a => a.textContent.replace(/\\s+/g, ' ').trim()", link.element_handle())
    assert name == "In mijn agenda zetten (bestand .ics)"
    assert page.get_by_role("link", name=name, exact=True).count() == 1


def test_the_newsletters_are_in_the_footer_of_every_page(real_output):
    for file in (real_output / "index.html", real_output / "agenda/index.html", real_output / "404.html"):
        footer = file.read_text(encoding="utf-8").split('<footer class="site-footer">', 1)[1]
        assert '<a href="/nieuwsbrieven/">Nieuwsbrieven</a>' in footer, file


@pytest.mark.parametrize("percent, width", [(100, 375), (100, 600), (150, 320), (200, 375), (200, 500)])
def test_prices_and_times_never_split_over_two_lines(tabs, real_site_url, percent, width):
    """At widths and text sizes where they used to ("€" at the end of a line, "3,50" on the next), "€ 2,50"
    and "11:30 uur" each stay on one line."""
    page = tabs(width, SCREEN, percent=percent)
    split = []
    for path in ("agenda/", "agenda/in/wijster/", "agenda/bingo-wijster-december/",
                 "agenda/afdrukken/bovensmilde/", "agenda/koffieochtend-beilen/"):
        page.goto(real_site_url + path)
        found = page.evaluate("""() => {
          const out = [], walk = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
          const pattern = /€\\s?\\d+(?:[.,]\\d+)*|\\d{1,2}:\\d{2}\\s+uur/g;
          for (let node; (node = walk.nextNode());) {
            for (const m of node.data.matchAll(pattern)) {
              const range = document.createRange();
              range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
              const tops = new Set([...range.getClientRects()].filter(r => r.width).map(r => Math.round(r.top)));
              if (tops.size > 1) out.push(m[0]);
            }
          }
          return out;
        }""")
        split += [f"/{path}: {text}" for text in found]
    assert split == []
