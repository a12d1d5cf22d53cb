"""The main menu shows what it has, measured in Chromium on the real site.

On a phone the menu is one labelled "Menu" button (a <details>, so it opens without JavaScript) that shows
every main item at once, each a big target inside the screen; with room enough (1280 px) every item stands
in a row and there is no button. Before, at 375 px five of seven items could only be reached by swiping a
strip sideways, with nothing to show that they were there.
"""

from __future__ import annotations

import re

import pytest

from conftest import REPO
from harness.browser import opened_page, text_size_page

pytestmark = pytest.mark.browser

ARTIFACTS = REPO / "test-artifacts"
SCREEN = 800
ITEMS = ["Home", "Over eenzaamheid", "Zelf doen", "De coalitie", "Agenda", "Nieuws", "Hulp"]  # site.yaml

# Each item's box and whether a tap at its centre lands on it (what is on top there is the link itself).
TARGETS = """() => [...document.querySelectorAll('nav[aria-label="Hoofdmenu"] a')].map(a => {
  const r = a.getBoundingClientRect(), hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
  return {name: a.textContent.trim(), left: r.left, right: r.right, top: r.top, bottom: r.bottom,
          width: r.width, height: r.height, tapped: hit !== null && a.contains(hit)};
})"""


def problems_with(targets: list[dict], width: int, height: int) -> list[str]:
    """The items that are outside the screen, too small to tap, or covered by something else."""
    problems = []
    for t in targets:
        if t["left"] < 0 or t["right"] > width or t["top"] < 0 or t["bottom"] > height:
            problems.append(f"{t['name']}: outside the screen ({t['left']:.0f}..{t['right']:.0f}, "
                            f"{t['top']:.0f}..{t['bottom']:.0f})")
        if t["height"] < 44 or t["width"] < 44:
            problems.append(f"{t['name']}: {t['width']:.0f} x {t['height']:.0f} px, smaller than 44 px")
        if not t["tapped"]:
            problems.append(f"{t['name']}: a tap at its centre does not reach it")
    return problems


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_on_a_phone_a_menu_button_opens_every_item_inside_the_first_screen(browser, real_site_url, javascript):
    with opened_page(browser, 375, SCREEN, javascript_enabled=javascript) as page:
        page.goto(real_site_url + "agenda/")
        menu = page.get_by_role("navigation", name="Hoofdmenu")
        button = menu.get_by_text("Menu", exact=True)
        box = button.bounding_box()
        assert box["y"] + box["height"] <= 250 and box["height"] >= 44
        assert not menu.get_by_role("link", name="Zelf doen").is_visible()  # closed until asked
        button.click()
        targets = page.evaluate(TARGETS)
        assert [t["name"] for t in targets] == ITEMS
        assert problems_with(targets, 375, SCREEN) == []
        assert menu.get_by_role("link", name="Agenda").get_attribute("aria-current") == "page"
        page.screenshot(path=str(ARTIFACTS / f"menu-open-375-{'js' if javascript else 'nojs'}.png"))
        menu.get_by_role("link", name="Zelf doen").click()
        page.wait_for_url(re.compile(r"/zelf-doen/$"))


def menu_button_state(page) -> dict:
    """The "Menu" button as a screen reader is told of it (Chromium's accessibility tree)."""
    tree = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")
    for node in tree["nodes"]:
        if node.get("name", {}).get("value") == "Menu" and node["role"]["value"] != "StaticText":
            props = {p["name"]: p["value"].get("value") for p in node.get("properties", [])}
            return {"role": node["role"]["value"], "focusable": props.get("focusable"),
                    "expanded": props.get("expanded")}
    return {}


def test_the_menu_button_says_whether_it_is_open_and_works_from_the_keyboard(browser, real_site_url):
    with opened_page(browser, 375, SCREEN) as page:
        page.goto(real_site_url)
        assert menu_button_state(page) == {"role": "DisclosureTriangle", "focusable": True, "expanded": False}
        page.keyboard.press("Tab")  # skip link, site name, help, search, then the menu button
        while page.evaluate("document.activeElement.tagName") != "SUMMARY":
            page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        assert menu_button_state(page)["expanded"] is True
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == "Home"
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Enter")  # closes again
        assert menu_button_state(page)["expanded"] is False
        menu = page.get_by_role("navigation", name="Hoofdmenu")
        assert not menu.get_by_role("link", name="Over eenzaamheid").is_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_with_room_every_item_stands_in_a_row_without_a_button(browser, real_site_url, javascript):
    with opened_page(browser, 1280, SCREEN, javascript_enabled=javascript) as page:
        page.goto(real_site_url)
        assert not page.locator("nav[aria-label='Hoofdmenu'] summary").is_visible()
        targets = page.evaluate(TARGETS)
        assert [t["name"] for t in targets] == ITEMS
        assert problems_with(targets, 1280, 300) == []  # all in the header
        assert len({round(t["top"]) for t in targets}) == 1  # one row


def test_with_large_text_on_a_small_phone_the_open_menu_shows_every_item_whole(browser, real_site_url):
    with text_size_page(browser, 320, SCREEN) as page:
        page.goto(real_site_url)
        page.get_by_role("navigation", name="Hoofdmenu").get_by_text("Menu", exact=True).click()
        problems = []
        for item in ITEMS:
            link = page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name=item, exact=True)
            link.scroll_into_view_if_needed()
            target = next(t for t in page.evaluate(TARGETS) if t["name"] == item)
            problems += problems_with([target], 320, SCREEN)
        assert problems == []
        page.screenshot(path=str(ARTIFACTS / "menu-open-320-200pct.png"))
