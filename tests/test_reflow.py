"""Large text on a small phone (WCAG 1.4.4 Resize text and 1.4.10 Reflow), measured in Chromium.

Residents are elderly and many set their browser's TEXT SIZE to 200% (not zoom: the viewport stays 320 px
wide and every rem and em doubles). With that setting, at 320 px, every page of the real site must fit the
screen: nothing scrolls sideways, no phone number is cut off (it may wrap onto its own line), a long Dutch
word breaks or hyphenates instead of sticking out, and the header stays compact. The same at 375 and 1280
px with normal text. One built site and one browser for the module; screenshots go to test-artifacts/.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from conftest import REPO
from harness.browser import font_sizes, launch_with_text_size, opened_page, screenshot, set_text_size

pytestmark = pytest.mark.browser

NOW = "2026-11-30T12:00"
ARTIFACTS = REPO / "test-artifacts"
SCREEN = 800
ROOT_FONT = {100: "18px", 200: "36px"}  # the stylesheet's 112.5% of the browser's 16 or 32 px

# Everything that sticks out of the screen: the page's width, tel: links that leave the screen or do not
# show their whole number, and the outermost elements that reach past an edge (to say what to fix).
MEASURE = """() => {
  const vw = window.innerWidth, out = [];
  const shown = e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden'
    && !e.closest('.visually-hidden, .skip-link');
  const lines = e => { const range = document.createRange(); range.selectNodeContents(e);
    return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size; };
  const tels = [...document.querySelectorAll('a[href^="tel:"]')].filter(shown).filter(a => {
    const r = a.getBoundingClientRect();
    return r.left < -0.5 || r.right > vw + 0.5 || a.scrollWidth > a.clientWidth + 1 || lines(a) > 1;
  }).map(a => a.textContent.trim());
  for (const e of document.body.querySelectorAll('*')) {
    if (!shown(e)) continue;
    const r = e.getBoundingClientRect();
    if (r.width && (r.right > vw + 0.5 || r.left < -0.5)) {
      const p = e.parentElement.getBoundingClientRect();
      if (p.right <= vw + 0.5 && p.left >= -0.5)
        out.push(`${e.tagName.toLowerCase()}.${e.className} ${Math.round(r.left)}..${Math.round(r.right)}: `
                 + e.textContent.trim().slice(0, 40));
    }
  }
  return {width: document.documentElement.scrollWidth, view: vw, tels, out: out.slice(0, 5),
          font: getComputedStyle(document.documentElement).fontSize};
}"""


def site_paths(output: Path) -> list[str]:
    """Every HTML page of the built site as a path to ask the server for (404.html at a missing address),
    without the redirect stubs at old addresses."""
    paths = []
    for file in sorted(output.rglob("*.html")):
        if 'http-equiv="refresh"' in file.read_text(encoding="utf-8"):
            continue
        rel = file.relative_to(output).as_posix()
        paths.append("deze-pagina-bestaat-niet/" if rel == "404.html" else rel[: -len("index.html")])
    return paths


WINDOWS = [(320, 200), (375, 100), (1280, 100)]  # width, text size in percent


@pytest.fixture(scope="module")
def misfits(browser, real_site_url, real_output) -> dict[tuple[int, int], list[str]]:
    """What does not fit in each window of WINDOWS, page by page: an empty list when every page fits.

    Each page is loaded once, in the widest window, then measured in every window in turn: narrowed
    (set_viewport_size) and with its text size set (the DevTools setting of set_text_size). The pages'
    layout is CSS only, so a narrowed page lays out as one loaded narrow, and the loads were most of the
    time. The root font size is checked in every window: a text size that did not take is a misfit."""
    problems: dict[tuple[int, int], list[str]] = {window: [] for window in WINDOWS}
    windows = sorted(WINDOWS, key=lambda window: (-window[0], window[1]))

    def resize(page, session, width: int, percent: int) -> None:
        page.set_viewport_size({"width": width, "height": SCREEN})
        session.send("Page.setFontSizes", {"fontSizes": font_sizes(percent)})

    with opened_page(browser, windows[0][0], SCREEN) as page:
        session = page.context.new_cdp_session(page)
        for path in site_paths(real_output):
            resize(page, session, *windows[0])
            page.goto(real_site_url + path)
            for width, percent in windows:
                resize(page, session, width, percent)
                got = page.evaluate(MEASURE)
                if got["font"] != ROOT_FONT[percent]:
                    problems[width, percent].append(f"/{path}: the text size setting did not take: {got['font']}")
                if got["width"] > got["view"] or got["tels"]:
                    problems[width, percent].append(
                        f"/{path}: {got['width']} px wide in {got['view']}; phone numbers cut off: "
                        f"{got['tels']}; sticking out: {got['out']}")
    return problems


# --------------------------------------------------------------------------- every page

@pytest.mark.parametrize("width, percent", WINDOWS)
def test_every_page_fits_the_screen_and_shows_every_phone_number_whole(misfits, real_output, width, percent):
    assert len(site_paths(real_output)) >= 90
    assert misfits[width, percent] == []


def test_with_large_text_the_open_menu_fits_too(tabs, real_site_url):
    page = tabs(320, SCREEN, percent=200)
    for path in ("", "agenda/", "coalitie/partners/", "toegankelijkheid/"):
        page.goto(real_site_url + path)
        page.get_by_role("navigation", name="Hoofdmenu").get_by_text("Menu", exact=True).click()
        got = page.evaluate(MEASURE)
        assert got["width"] <= got["view"] and got["out"] == [], (path, got)


# --------------------------------------------------------------------------- the setting itself

def test_the_text_size_setting_is_the_profile_setting_not_zoom(real_site_url, browser):
    """set_text_size (DevTools) gives what the profile's own setting gives: the same root font size and
    the same layout, in a viewport that stays 320 px wide."""
    probe = ("() => [getComputedStyle(document.documentElement).fontSize, window.innerWidth,"
             " Math.round(document.querySelector('.site-header').getBoundingClientRect().height),"
             " document.documentElement.scrollHeight]")
    with tempfile.TemporaryDirectory() as profile, launch_with_text_size(profile, 200, 320, SCREEN, browser) as context:
        page = context.new_page()
        page.goto(real_site_url + "hulp/")
        from_profile = page.evaluate(probe)
    with opened_page(browser, 320, SCREEN) as page:
        set_text_size(page, 200)
        page.goto(real_site_url + "hulp/")
        from_devtools = page.evaluate(probe)
    assert from_profile == from_devtools
    assert from_profile[:2] == ["36px", 320]


# --------------------------------------------------------------------------- what the resident sees

def test_with_large_text_the_header_stays_compact_and_the_title_is_on_the_first_screen(tabs, real_site_url):
    page = tabs(320, SCREEN, percent=200)
    for path in ("", "hulp/", "agenda/", "agenda/koffieochtend-beilen/", "toegankelijkheid/"):
        page.goto(real_site_url + path)
        header = page.locator(".site-header").bounding_box()
        h1 = page.locator("h1").bounding_box()
        assert header["height"] <= SCREEN * 0.6, f"/{path}: header {header['height']:.0f} px"
        assert h1["y"] < SCREEN, f"/{path}: the title starts at {h1['y']:.0f} px"
        for name in ("Hulp nodig?", "Zoeken", "Menu"):
            box = page.locator(".site-header").get_by_text(name, exact=True).bounding_box()
            assert box and box["y"] + box["height"] <= header["height"], name


def test_long_dutch_words_hyphenate_or_break_and_urls_are_never_hyphenated(tabs, real_site_url):
    page = tabs(320, SCREEN, percent=200)
    page.goto(real_site_url + "toegankelijkheid/")
    assert page.evaluate("document.documentElement.lang") == "nl"
    style = page.evaluate("""() => { const s = e => getComputedStyle(document.querySelector(e));
      return {body: [s('main p').hyphens, s('main p').overflowWrap], h1: s('h1').hyphens,
              url: s('.footer-contact a[href^="http"]').hyphens}; }""")
    assert style == {"body": ["auto", "anywhere"], "h1": "auto", "url": "manual"}
    link = page.locator(".footer-links a", has_text="Toegankelijkheid")
    box = link.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320


@pytest.mark.parametrize("kind, path", [("home", ""), ("help", "hulp/"), ("coalition", "coalitie/"),
                                        ("agenda", "agenda/"), ("activity", "agenda/koffieochtend-beilen/")])
def test_screenshots_at_320_px_with_the_text_size_doubled(tabs, real_site_url, kind, path):
    page = tabs(320, SCREEN, percent=200)
    page.goto(real_site_url + path)
    page.screenshot(path=str(ARTIFACTS / f"reflow-{kind}-320-200pct-first-screen.png"))
    assert screenshot(page, ARTIFACTS / f"reflow-{kind}-320-200pct.png").stat().st_size > 0
