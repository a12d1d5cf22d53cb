"""The real built sites are usable for everyone: valid HTML, axe-clean, private, light, and searchable.

Builds the real site (content/) and examples/medemblik once per module, serves them on 127.0.0.1, and
checks every page type in one headless Chromium and every HTML and CSS file in one JVM. Page types
whose pages are not built (yet) are skipped, so the list follows the site. Screenshots of the home
and agenda pages at 1280 and 375 pixels go to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import html.parser
import re
import unicodedata
import urllib.parse
from pathlib import Path
from typing import Callable, NamedTuple

import pytest

from conftest import NOW, REPO, run_build, tree_bytes
from harness import vnu
from harness.traffic import Traffic
from harness.browser import (
    console_messages,
    csp_violations_probe,
    external_requests,
    format_violations,
    opened_page,
    record_requests,
    run_axe,
    screenshot,
)
from harness.server import serve_directory

pytestmark = pytest.mark.browser

MAIN = REPO
SITES = {"midden-drenthe": MAIN, "medemblik": REPO / "examples" / "medemblik"}
ARTIFACTS = REPO / "test-artifacts"
WIDTHS = (1280, 375)
BUDGET_BYTES = 30 * 1024  # gzip of a text page's HTML plus the stylesheet

# Every page type, by where its first page lives in output/. A glob picks the first match in sorted
# order that is not the listing itself; None as the path means "any page under the listing".
PAGE_TYPES = {
    "home": "index.html",
    "page": "over-eenzaamheid/wat-is-eenzaamheid/index.html",
    "section": "over-eenzaamheid/index.html",
    "agenda": "agenda/index.html",
    "activity": "agenda/*/index.html",
    "agenda-archive": "agenda/archief/index.html",
    "agenda-place": "agenda/in/*/index.html",
    "agenda-audience": "agenda/voor/*/index.html",
    "agenda-month": "agenda/maand/*/index.html",
    "agenda-print": "agenda/afdrukken/index.html",
    "agenda-print-village": "agenda/afdrukken/*/index.html",
    "help": "hulp/index.html",
    "news": "nieuws/index.html",
    "news-item": "nieuws/*/index.html",
    "newsletter-archive": "nieuwsbrieven/index.html",
    "newsletter": "nieuwsbrieven/*/index.html",
    "topics": "nieuws/onderwerp/index.html",
    "topic": "nieuws/onderwerp/*/index.html",
    "follow": "volgen/index.html",
    "search": "zoeken/index.html",
    "privacy": "privacy/index.html",
    "accessibility-statement": "toegankelijkheid/index.html",
    "404": "404.html",
}
LISTING_PARTS = {"pagina", "page", "tag", "tags", "onderwerp", "onderwerpen", "archief", "in", "voor"}


def find_page(out: Path, pattern: str) -> str | None:
    """The site path of the first built page matching pattern, or None when that page type is not built."""
    if "*" not in pattern:
        return pattern if (out / pattern).is_file() else None
    for path in sorted(out.glob(pattern)):
        matched = [part for part, wanted in zip(path.relative_to(out).parts, pattern.split("/")) if wanted == "*"]
        if not LISTING_PARTS & set(matched):
            return path.relative_to(out).as_posix()
    return None


def url_of(path: str) -> str:
    if path == "404.html":
        return "deze-pagina-bestaat-niet/"
    return path[: -len("index.html")] if path.endswith("index.html") else path


# --------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def built(tmp_path_factory, real_builds) -> dict[str, Path]:
    """Both sites built with --demo: with the example activities, so every agenda page type (village,
    audience) is checked. The real site is conftest's session build (the same command)."""
    outputs = {}
    for name, root in SITES.items():
        if root == REPO:
            outputs[name] = real_builds(NOW)
            continue
        out = tmp_path_factory.mktemp(name) / "output"
        result = run_build("--site", str(root), "--output", str(out), "--now", NOW, "--demo", "-q")
        assert result.returncode == 0, f"{name} does not build:\n{result.stderr}"
        outputs[name] = out
    return outputs


@pytest.fixture(scope="module")
def out(built) -> Path:
    return built["midden-drenthe"]


@pytest.fixture(scope="module")
def base_urls(built) -> dict[str, str]:
    with contextlib.ExitStack() as stack:
        yield {name: stack.enter_context(serve_directory(path)) for name, path in built.items()}


@pytest.fixture(scope="module")
def base_url(base_urls) -> str:
    return base_urls["midden-drenthe"]



@pytest.fixture(scope="module")
def page_types(out) -> dict[str, str]:
    """Page type -> site path (relative, e.g. 'agenda/'), for the types this build has."""
    found = {kind: find_page(out, pattern) for kind, pattern in PAGE_TYPES.items()}
    return {kind: url_of(path) for kind, path in found.items() if path}


def html_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.html"))


def need(page_types: dict[str, str], kind: str) -> str:
    if kind not in page_types:
        pytest.skip(f"no {kind} page in this build yet ({PAGE_TYPES[kind]})")
    return page_types[kind]


class Scan(html.parser.HTMLParser):
    """What the static checks need from one HTML file."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.in_head = False
        self.head: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "head":
            self.in_head = True
        elif self.in_head:
            self.head.append((tag, attrs))

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False

    def all(self, tag):
        return [a for t, a in self.tags if t == tag]


def scan(path: Path) -> Scan:
    parser = Scan()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def reader_pages(folder: Path) -> list[Path]:
    """Pages a reader sees (not the redirect stubs at old addresses, nor the editors' admin/ page)."""
    return [p for p in html_files(folder) if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")
            and p.relative_to(folder).parts[0] != "admin"]


# --------------------------------------------------------------------------- validity

@pytest.fixture(scope="module")
def vnu_errors(built) -> list[dict]:
    """One JVM for every HTML and CSS file of both sites."""
    files = [f for folder in built.values() for f in [*html_files(folder), *folder.rglob("*.css")]]
    return vnu.check_all(sorted(files))


def test_every_html_page_passes_the_nu_html_checker(vnu_errors, built):
    errors = [m for m in vnu_errors if not m["file"].endswith(".css")]
    assert errors == [], "\n".join(vnu.format_messages(errors, folder) for folder in built.values())


def test_the_stylesheet_passes_the_css_checker(vnu_errors, built):
    errors = [m for m in vnu_errors if m["file"].endswith(".css")]
    assert errors == [], "\n".join(vnu.format_messages(errors, folder) for folder in built.values())


# --------------------------------------------------------------------------- structure of every page

@pytest.mark.parametrize("site", sorted(SITES))
def test_every_page_has_language_landmarks_one_h1_skip_link_and_help(built, site):
    problems = []
    for path in reader_pages(built[site]):
        page = scan(path)
        name = path.relative_to(built[site]).as_posix()
        tags = [t for t, _ in page.tags]
        html_tag = page.all("html")[0]
        if html_tag.get("lang") != "nl":
            problems.append(f"{name}: lang is {html_tag.get('lang')!r}")
        if tags.count("h1") != 1:
            problems.append(f"{name}: {tags.count('h1')} h1 elements")
        for landmark in ("header", "nav", "main", "footer"):
            if landmark not in tags:
                problems.append(f"{name}: no <{landmark}>")
        links = page.all("a")
        if not links or links[0].get("href") != "#inhoud" or not page.all("main")[0].get("id") == "inhoud":
            problems.append(f"{name}: the first link is not the skip link to #inhoud")
        if not any(a.get("id") == "hulp-kop" for a in page.all("h2")):
            problems.append(f"{name}: no 'Hulp nodig?' block")
        if name not in ("index.html", "404.html") and not any(
                a.get("aria-label") == "Kruimelpad" for a in page.all("nav")):
            problems.append(f"{name}: no breadcrumbs")
    assert problems == []


@pytest.mark.parametrize("site", sorted(SITES))
def test_nothing_is_loaded_from_another_host_and_nothing_blocks_rendering_but_our_css(built, site):
    problems = []
    for path in reader_pages(built[site]):
        page = scan(path)
        name = path.relative_to(built[site]).as_posix()
        for tag, attrs in page.tags:
            for attr in ("src", "srcset", "poster", "data"):
                value = attrs.get(attr) or ""
                if re.match(r"^(https?:)?//", value):
                    problems.append(f"{name}: <{tag} {attr}={value}> loads from another host")
            if tag == "link" and attrs.get("rel") in ("stylesheet", "preload", "modulepreload", "icon",
                                                       "preconnect", "dns-prefetch"):
                allowed = r"/css/site\.[0-9a-f]{10}\.css" if attrs.get("rel") != "icon" else r"/favicon\.svg"
                if not re.fullmatch(allowed, attrs.get("href", "")):
                    problems.append(f"{name}: <link rel={attrs.get('rel')} href={attrs.get('href')}>")
            if tag in ("iframe", "video", "audio", "embed", "object"):
                problems.append(f"{name}: <{tag}>")
        for tag, attrs in page.head:
            if tag == "script" and attrs.get("type") == "application/ld+json":
                continue  # data for search engines, never run
            if tag == "script" and not (attrs.get("type") == "module" or "defer" in attrs or "async" in attrs):
                problems.append(f"{name}: render-blocking <script src={attrs.get('src')}>")
    assert problems == []


@pytest.mark.parametrize("site", sorted(SITES))
def test_images_have_a_size_and_load_lazily(built, site):
    problems = []
    for path in reader_pages(built[site]):
        for attrs in scan(path).all("img"):
            name = f"{path.relative_to(built[site]).as_posix()}: {attrs.get('src')}"
            if not (attrs.get("width") and attrs.get("height")):
                problems.append(f"{name} has no width and height")
            if attrs.get("loading") != "lazy" and "lead-image" not in attrs.get("class", ""):
                problems.append(f"{name} is not loading=lazy")
    assert problems == []


@pytest.mark.parametrize("site", sorted(SITES))
def test_every_text_page_with_its_css_stays_within_30_kb_compressed(built, site):
    folder = built[site]
    css = list(folder.glob("css/site.*.css"))
    assert len(css) == 1, "one content-hashed stylesheet"
    css_size = len(gzip.compress(css[0].read_bytes(), 9))
    sizes = {p.relative_to(folder).as_posix(): len(gzip.compress(p.read_bytes(), 9)) + css_size
             for p in reader_pages(folder)}
    too_big = {name: size for name, size in sizes.items() if size > BUDGET_BYTES}
    assert too_big == {}, f"over {BUDGET_BYTES} bytes: {too_big}"


def test_the_stylesheet_keeps_the_house_colours_readable():
    """The colour pairs the CSS uses: text 4.5:1 at least, focus ring and borders 3:1 at least."""
    css = (REPO / "static" / "css" / "site.css").read_text(encoding="utf-8")
    colours = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-f]{6})", css))
    colours["white"] = "#ffffff"

    def luminance(hex_colour):
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    def ratio(a, b):
        high, low = sorted((luminance(colours[a]), luminance(colours[b])), reverse=True)
        return (high + 0.05) / (low + 0.05)

    text_pairs = [("text", "bg"), ("muted", "bg"), ("muted", "soft"), ("accent", "bg"), ("accent", "soft"),
                  ("accent", "help-bg"), ("accent-dark", "soft"), ("white", "accent-dark"), ("focus", "white"),
                  ("text", "help-bg"), ("accent-dark", "white")]
    ui_pairs = [("focus", "bg"), ("focus", "soft"), ("focus", "help-bg"), ("line", "bg"), ("line", "white"),
                ("help-line", "help-bg")]
    weak = [f"{a} on {b}: {ratio(a, b):.2f}" for a, b in text_pairs if ratio(a, b) < 4.5]
    weak += [f"{a} next to {b}: {ratio(a, b):.2f}" for a, b in ui_pairs if ratio(a, b) < 3]
    assert weak == []


# --------------------------------------------------------------------------- in the browser

class Tab(NamedTuple):
    """A page kept open for a module's tests, with what its probes recorded since the last ``fresh()``."""
    page: object
    requests: list[str]
    csp: Callable[[], list[dict]]
    console: list[dict]

    def fresh(self) -> "Tab":
        """Empty records, for the next test: the site keeps nothing in cookies or storage (its scripts use
        neither), and the cookies are cleared too, so one test cannot change what the next one sees."""
        self.page.context.clear_cookies()
        self.requests.clear()
        self.console.clear()
        return self


@pytest.fixture(scope="module")
def probed(browser):
    """probed(width, javascript_enabled=True) -> a Tab for the module at that width: one page per kind of
    window, reused by every test, with axe-core preloaded where scripts run. A fresh context for each
    page type cost more than checking it (a new renderer each time)."""
    with contextlib.ExitStack() as stack:
        made: dict[tuple[int, bool], Tab] = {}

        def tab(width: int, javascript_enabled: bool = True) -> Tab:
            if (width, javascript_enabled) not in made:
                page = stack.enter_context(opened_page(browser, width, javascript_enabled=javascript_enabled,
                                                       axe=javascript_enabled))
                made[width, javascript_enabled] = Tab(page, record_requests(page), csp_violations_probe(page),
                                                      console_messages(page))
            return made[width, javascript_enabled].fresh()

        yield tab


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_axe_finds_no_wcag_a_or_aa_violations(probed, base_url, page_types, kind, width):
    path = need(page_types, kind)
    page, requests, csp, console = probed(width)
    page.goto(base_url + path)
    violations = run_axe(page)
    assert violations == [], format_violations(violations)
    assert external_requests(requests) == []
    assert csp() == []
    assert console == [] or kind == "404", console


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_is_clean_on_a_site_with_its_own_home_template(probed, base_urls, width):
    page = probed(width).page
    page.goto(base_urls["medemblik"])
    violations = run_axe(page)
    assert violations == [], format_violations(violations)


def test_while_any_page_type_loads_no_request_leaves_the_test_server(browser, base_url, page_types):
    with opened_page(browser, 375) as page:
        requests = record_requests(page)
        traffic = Traffic(page)
        for path in page_types.values():
            page.goto(base_url + path)
        # the search page also fetches its index when someone searches, and the words' parts when it answers
        page.goto(base_url + "zoeken/?q=eenzaamheid")
        page.locator("#zoek-status", has_text="gevonden").wait_for()
        traffic.wait_until_quiet()
        assert external_requests(requests) == []
        assert all(url.startswith(base_url) for url in requests)


FITS = """() => ({
  scroll: document.documentElement.scrollWidth, view: window.innerWidth,
  font: parseFloat(getComputedStyle(document.body).fontSize),
})"""

LINE_LENGTH = """() => {
  const probe = document.createElement('span');
  probe.textContent = 'de eenzaamheid van mensen in onze gemeente is samen te verminderen ';
  const p = document.querySelector('main p');
  p.append(probe);
  const perChar = probe.getBoundingClientRect().width / probe.textContent.length;
  probe.remove();
  return Math.round(p.getBoundingClientRect().width / perChar);
}"""


@pytest.fixture(scope="module")
def too_wide(browser, base_url, page_types) -> dict[int, list[str]]:
    """Per window width (320 and 640), the page types that scroll sideways in it. Each page is loaded once
    at 640 px and measured there and narrowed to 320 px: the layout is CSS only, so a narrowed page lays out
    as one loaded narrow."""
    problems: dict[int, list[str]] = {640: [], 320: []}
    with opened_page(browser, 640, 800) as page:
        for kind, path in page_types.items():
            page.set_viewport_size({"width": 640, "height": 800})
            page.goto(base_url + path)
            for width in problems:
                page.set_viewport_size({"width": width, "height": 800})
                got = page.evaluate(FITS)
                if got["scroll"] > got["view"]:
                    problems[width].append(f"{kind}: {got['scroll']} px wide in a {got['view']} px window")
    return problems


@pytest.mark.parametrize("width", [320, 640])
def test_every_page_type_fits_320_px_and_200_percent_zoom_without_sideways_scrolling(too_wide, width):
    """640 CSS pixels is what a 1280-pixel window shows at 200% zoom."""
    assert too_wide[width] == []


def test_text_is_at_least_18_px_and_lines_at_most_about_70_characters(browser, base_url, page_types):
    with opened_page(browser, 1280) as page:
        for kind in ("page", "home", "section"):
            page.goto(base_url + page_types[kind])
            assert page.evaluate(FITS)["font"] >= 18
            assert page.evaluate(LINE_LENGTH) <= 75, kind


def test_the_keyboard_reaches_the_skip_link_first_with_a_visible_focus_ring(browser, base_url, page_types):
    with opened_page(browser, 1280) as page:
        page.goto(base_url + page_types["page"])
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => {
          const el = document.activeElement, s = getComputedStyle(el), r = el.getBoundingClientRect();
          return {href: el.getAttribute('href'), outline: parseFloat(s.outlineWidth), style: s.outlineStyle,
                  top: r.top, bottom: r.bottom};
        }""")
        assert focused["href"] == "#inhoud"
        assert focused["outline"] >= 2 and focused["style"] != "none"
        assert 0 <= focused["top"] < focused["bottom"] <= 900
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "inhoud"
        page.keyboard.press("Tab")
        ring = page.evaluate("getComputedStyle(document.activeElement).outlineWidth")
        assert float(ring.rstrip("px")) >= 2


def test_printing_leaves_out_menus_and_keeps_the_text(browser, base_url, page_types):
    with opened_page(browser, 1280) as page:
        page.goto(base_url + page_types["page"])
        page.emulate_media(media="print")
        assert not page.is_visible(".main-nav")
        assert not page.is_visible(".search-link")
        assert page.is_visible("main h1")
        page.emulate_media(media="screen", reduced_motion="reduce")
        assert page.is_visible(".main-nav")


@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_without_javascript_every_page_type_shows_its_title_and_text(probed, base_url, page_types, kind):
    path = need(page_types, kind)
    page = probed(375, javascript_enabled=False).page
    page.goto(base_url + path)
    assert page.locator("h1").count() == 1
    assert page.locator("h1").is_visible()
    assert page.locator("h1").inner_text().strip()
    assert len(page.locator("main").inner_text()) > 150
    assert page.locator("#hulp-kop").is_visible()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", ["home", "agenda"])
def test_screenshots_of_home_and_agenda(browser, base_url, page_types, kind, width):
    path = need(page_types, kind)
    with opened_page(browser, width) as page:
        page.goto(base_url + path)
        shot = screenshot(page, ARTIFACTS / f"{kind}-{width}.png")
    assert shot.stat().st_size > 10_000


# --------------------------------------------------------------------------- search

def test_search_finds_pages_for_a_dutch_word_with_javascript(browser, base_url):
    with opened_page(browser, 375, axe=True) as page:
        requests = record_requests(page)
        console = console_messages(page)
        page.goto(base_url + "zoeken/")
        assert not page.is_visible("#zoeken-zonder-js")
        page.fill("#zoekterm", "vrijwilligers")
        page.wait_for_selector("#zoekresultaten li a")
        status = page.inner_text("#zoek-status")
        assert "gevonden voor “vrijwilligers”" in status
        first = page.locator("#zoekresultaten li a").first.get_attribute("href")
        assert first.startswith("/") and not first.startswith("//")
        # Dutch stemming: the plural finds the singular
        assert page.locator("#zoekresultaten mark").count() > 0
        marked = page.eval_on_selector_all("#zoekresultaten mark", "ms => ms.map(m => m.textContent.toLowerCase())")
        assert "vrijwilliger" in marked
        assert external_requests(requests) == []
        assert console == [], console
        violations = run_axe(page)
        assert violations == [], format_violations(violations)


def test_a_search_in_the_address_runs_and_unknown_words_say_so(browser, base_url):
    with opened_page(browser, 1280) as page:
        page.goto(base_url + "zoeken/?q=koffie")
        page.wait_for_selector("#zoekresultaten li a")
        assert page.input_value("#zoekterm") == "koffie"
        page.fill("#zoekterm", "xyzzyqwert")
        page.click("button[type=submit]")
        page.wait_for_function("document.getElementById('zoek-status').textContent.includes('Niets gevonden')")
        assert page.locator("#zoekresultaten").is_hidden()


def test_without_javascript_the_search_page_says_so_and_lists_every_page(browser, base_url, out):
    with opened_page(browser, 375, javascript_enabled=False) as page:
        page.goto(base_url + "zoeken/")
        assert page.is_visible("#zoeken-zonder-js")
        assert "JavaScript" in page.inner_text("#zoeken-zonder-js")
        listed = page.eval_on_selector_all(".a-z-list a", "links => links.map(a => [a.textContent, a.pathname])")
    titles = [title for title, _ in listed]
    assert titles == sorted(titles, key=lambda t: unicodedata.normalize("NFKD", t).casefold())
    # Every page, not the listings the sitemap also holds (villages, audiences, months, prints, topics).
    listings = LISTING_PARTS | {"maand", "afdrukken"}
    pages = {path for loc in re.findall(r"<loc>([^<]+)</loc>", (out / "sitemap.xml").read_text())
             if not listings & set((path := urllib.parse.urlsplit(loc).path).strip("/").split("/"))}
    pages |= {f"/agenda/{p.parent.name}/" for p in out.glob("agenda/*/index.html")
              if p.parent.name not in listings}
    assert pages - {path for _, path in listed} <= {"/zoeken/"}


def test_the_search_index_is_dutch_and_byte_identical_across_builds(tmp_path):
    trees = []
    for name in ("a", "b"):
        assert run_build("--site", str(MAIN), "--output", str(tmp_path / name), "--now", NOW, "-q").returncode == 0
        trees.append(tree_bytes(tmp_path / name))
    assert any(name.startswith("zoekindex/w/") for name in trees[0])
    assert trees[0] == trees[1]
    assert b'"language":"nl"' in trees[0]["zoekindex/index.json"]
    # Dutch stems: the plural and the singular find one group of documents
    shard = json.loads(trees[0]["zoekindex/w/vr.json"])
    assert shard["w"]["vrijwilligers"] == shard["w"]["vrijwilliger"]