"""What must hold for any coalition's site, whatever its content: run against this repository's own site by
default, and against any other with `make test SITE=map` (`pytest --site map`, tests/conftest.py), where only
the tests marked any_site run and the content-specific ones skip with a reason.

The site is copied (its inputs only: site.yaml, content/, templates/, static/), so nothing is written into the
folder under test, and built under a sub-path (http://127.0.0.1:PORT/eenzaamheid/), the way a municipality
hosts it beside its own website: every link must stay under that path. Then: the output's structure, every
page's landmarks, links that resolve, readable feeds and calendars, the Nu HTML Checker, and in Chromium axe,
the stylesheet, no failed request and no sideways scrolling at 320 px.
"""

from __future__ import annotations

import html.parser
import re
import shutil
import urllib.parse
from pathlib import Path

import pytest

from conftest import NOW, REPO, run_build
from harness import vnu
from harness.server import serve_directory

pytestmark = [pytest.mark.any_site, pytest.mark.browser]

PREFIX = "/eenzaamheid/"
INPUTS = ("site.yaml", "content", "templates", "static")
NOT_PAGES = {"admin", "css", "js", "feeds", "zoekindex"}


@pytest.fixture(scope="module")
def site(site_source, tmp_path_factory) -> dict:
    """The site under test built under PREFIX and served: {"out", "base", "source"}."""
    tmp = tmp_path_factory.mktemp("any-site")
    copy = tmp / "site"
    copy.mkdir()
    for name in INPUTS:
        source = site_source / name
        if source.is_dir():
            shutil.copytree(source, copy / name, symlinks=False)
        elif source.is_file():
            shutil.copy(source, copy / name)
    www = tmp / "www"
    www.mkdir()
    with serve_directory(www) as url:
        base = url + PREFIX.lstrip("/")
        out = www / PREFIX.strip("/")
        # --demo: a site whose activities are all examples (example: true; examples/medemblik) still has an
        # agenda to check, as its preview shows it; the public build leaves them out (tests/test_publish_check).
        result = run_build("--site", str(copy), "--output", str(out), "--base-url", base, "--now", NOW, "-q",
                           "--demo")
        assert result.returncode == 0, f"{site_source} does not build:\n{result.stderr}"
        shutil.copy(out / "404.html", www / "404.html")  # what the server recipes do: error_page PREFIX/404.html
        yield {"out": out, "base": base, "source": site_source}


class Tags(html.parser.HTMLParser):
    """Every start tag of one HTML file, with its attributes."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(path: Path) -> list[tuple[str, dict]]:
    parser = Tags()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tags


def reader_pages(out: Path) -> list[Path]:
    """Pages a reader sees: not the redirect stubs at old addresses, nor the editors' admin/."""
    return [p for p in sorted(out.rglob("*.html")) if p.relative_to(out).parts[0] != "admin"
            and 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")]


def built_file(out: Path, base: str, url: str) -> Path | None:
    """The file in out that a link to url (absolute, or root-relative) reaches; None if it leaves the site."""
    path = urllib.parse.urlsplit(urllib.parse.urljoin(base, url)).path
    if not path.startswith(PREFIX) and path + "/" != PREFIX:
        return None
    rel = urllib.parse.unquote(path[len(PREFIX):])
    target = out / rel
    return target / "index.html" if rel == "" or rel.endswith("/") or target.is_dir() else target


def visited_pages(out: Path) -> list[str]:
    """Home, 404, every top-level section and the first page in each: the site paths a browser opens."""
    paths = ["", "deze-pagina-bestaat-niet/"]
    for folder in sorted(p for p in out.iterdir() if p.is_dir() and p.name not in NOT_PAGES):
        if (folder / "index.html").is_file():
            paths.append(f"{folder.name}/")
        inner = sorted(p for p in folder.glob("*/index.html") if p.parent.name not in {"archief", "in", "voor"})
        if inner:
            paths.append(inner[0].parent.relative_to(out).as_posix() + "/")
    return paths


def test_the_output_has_home_404_sitemap_robots_feeds_and_one_hashed_stylesheet(site):
    out = site["out"]
    for name in ("index.html", "404.html", "sitemap.xml", "robots.txt", "favicon.svg", "agenda/index.html"):
        assert (out / name).is_file(), name
    assert len(list(out.glob("css/site.*.css"))) == 1
    assert list(out.glob("feeds/*.atom")) and list(out.glob("feeds/*.rss"))


def test_every_page_has_a_language_one_h1_a_main_landmark_and_a_skip_link(site):
    problems = []
    for path in reader_pages(site["out"]):
        found = tags(path)
        names = [tag for tag, _ in found]
        html_tag = next(attrs for tag, attrs in found if tag == "html")
        if html_tag.get("lang") != "nl" or names.count("h1") != 1 or names.count("main") != 1:
            problems.append(f"{path}: lang={html_tag.get('lang')}, {names.count('h1')} h1, "
                            f"{names.count('main')} main")
        first_link = next((attrs for tag, attrs in found if tag == "a"), {})
        if not first_link.get("href", "").startswith("#"):
            problems.append(f"{path}: the first link is not a skip link ({first_link.get('href')})")
    assert problems == []


def test_every_link_and_source_stays_under_the_sub_path_and_reaches_a_built_file(site):
    out, base = site["out"], site["base"]
    host = urllib.parse.urlsplit(base).netloc
    problems = set()
    for path in reader_pages(out):
        for tag, attrs in tags(path):
            for attr in ("href", "src"):
                url = attrs.get(attr)
                if not url or url.startswith(("#", "mailto:", "tel:", "data:")):
                    continue
                absolute = urllib.parse.urljoin(base + path.relative_to(out).as_posix(), url)
                if urllib.parse.urlsplit(absolute).netloc != host:
                    continue  # a link to another website
                target = built_file(out, base, absolute)
                if target is None or not target.is_file():
                    problems.add(f"{path.relative_to(out)}: <{tag} {attr}={url}> reaches nothing under {PREFIX}")
    assert sorted(problems) == []


def test_every_feed_reads_cleanly_and_links_into_the_site(site):
    import feedparser

    out, base = site["out"], site["base"]
    for feed in sorted([*out.glob("feeds/*.atom"), *out.glob("feeds/*.rss")]):
        parsed = feedparser.parse(feed.read_bytes())
        assert not parsed.bozo, f"{feed.name}: {parsed.get('bozo_exception')}"
        for entry in parsed.entries:
            assert entry.title and entry.link.startswith(base), (feed.name, entry.get("link"))
            assert built_file(out, base, entry.link).is_file(), (feed.name, entry.link)


def test_every_calendar_file_reads_as_icalendar_with_its_events(site):
    import icalendar

    files = sorted(site["out"].rglob("*.ics"))
    assert files, "no .ics in the site"
    for path in files:
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
        for event in calendar.walk("VEVENT"):
            assert event.get("UID") and event.get("DTSTART") and event.get("SUMMARY"), path


def test_every_page_and_the_stylesheet_pass_the_nu_checker(site):
    if site["source"] == REPO:
        pytest.skip("this repository's own site: test_accessibility.py runs the Nu checker on it already")
    out = site["out"]
    files = [*reader_pages(out), *out.glob("css/*.css")]
    errors = vnu.check_all(sorted(files))
    assert errors == [], vnu.format_messages(errors, out)


def test_images_have_a_width_and_height_so_nothing_shifts_while_loading(site):
    problems = [f"{path.relative_to(site['out'])}: {attrs.get('src')}" for path in reader_pages(site["out"])
                for tag, attrs in tags(path) if tag == "img" and not (attrs.get("width") and attrs.get("height"))]
    assert problems == []


STATE = """() => ({
  scroll: document.documentElement.scrollWidth,
  view: window.innerWidth,
  bodyMargin: getComputedStyle(document.body).marginTop,
  ownColours: getComputedStyle(document.documentElement).getPropertyValue('--text').trim() !== '',
  h1: document.querySelectorAll('h1').length,
})"""


def test_in_chromium_every_section_is_styled_axe_clean_whole_at_320_px_and_nothing_fails(browser, site):
    from harness.browser import csp_violations_probe, format_violations, new_page, run_axe
    from harness.traffic import Traffic

    base = site["base"]
    page = new_page(browser, 320)
    traffic = Traffic(page)
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(f"{request.url}: {request.failure}"))
    page.on("response", lambda response: failed.append(f"{response.url}: {response.status}")
            if response.status >= 400 and not response.url.endswith("deze-pagina-bestaat-niet/") else None)
    violations = csp_violations_probe(page)
    problems = []
    for path in visited_pages(site["out"]):
        page.set_viewport_size({"width": 320, "height": 800})
        page.goto(base + path)
        traffic.wait_until_quiet()  # a failed request shows in failed before the next page
        state = page.evaluate(STATE)
        if state["scroll"] > state["view"] or state["bodyMargin"] != "0px" or not state["ownColours"]:
            problems.append(f"{path}: {state}")
        page.set_viewport_size({"width": 1280, "height": 900})
        found = run_axe(page)
        if found:
            problems.append(f"{path}: {format_violations(found)}")
        problems.extend(f"{path}: CSP {v}" for v in violations())
    page.context.close()
    assert problems == [] and failed == []
