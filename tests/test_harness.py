"""Self-tests of tests/harness/ (server, vnu, browser) on a tiny handcrafted site.

Needs the system deps from tools/install-system-deps.sh (Chromium, Java,
node_modules/). Deselect with ``-m "not browser"``.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest

from harness import vnu
from harness.browser import (
    csp_violations_probe,
    dialogs_and_script_probe,
    external_requests,
    format_violations,
    new_page,
    opened_page,
    record_requests,
    run_axe,
    screenshot,
)
from harness.server import serve_directory
from harness.traffic import Traffic

pytestmark = pytest.mark.browser

SITE = Path(__file__).parent / "fixtures" / "harness_site"
WIDTHS = [1280, 375]


def fetch(url: str):
    req = urllib.request.Request(url)
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(req, timeout=10) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# --------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def base_url():
    with serve_directory(SITE) as url:
        yield url



@pytest.fixture(scope="module")
def vnu_messages():
    """One JVM for every HTML, CSS and SVG file of the fixture site."""
    files = sorted(p for p in SITE.rglob("*") if p.suffix in {".html", ".css", ".svg"})
    return vnu.check_all(files)


def _errors_for(messages, relpath):
    target = str((SITE / relpath).resolve())
    return [m for m in messages if m["file"] == target]


# --------------------------------------------------------------------------- server

def test_server_clean_urls_404_and_types(base_url, tmp_path):
    status, headers, body = fetch(base_url)
    assert status == 200 and b"Welkom bij het harnas" in body
    assert headers["Content-Type"] == "text/html; charset=utf-8"

    status, _, body = fetch(base_url + "broken/")
    assert status == 200 and b"Kapotte pagina" in body

    status, headers, _ = fetch(base_url + "broken")
    assert status == 301 and headers["Location"].endswith("/broken/")

    status, headers, body = fetch(base_url + "bestaat/niet/")
    assert status == 404 and b"Pagina niet gevonden" in body
    assert headers["Content-Type"].startswith("text/html")

    status, _, _ = fetch(base_url + "assets/")  # folder without index.html: no listing
    assert status == 404

    status, headers, _ = fetch(base_url + "assets/style.css?v=1")
    assert status == 200 and headers["Content-Type"].startswith("text/css")

    # every type a built site ships, in a throwaway folder
    expected = {
        "a.html": "text/html", "a.css": "text/css", "a.js": "text/javascript",
        "a.xml": "application/xml", "a.ics": "text/calendar", "a.json": "application/json",
        "a.svg": "image/svg+xml", "a.png": "image/png", "a.jpg": "image/jpeg",
        "a.woff2": "font/woff2", "a.pagefind": "application/octet-stream",
        "a.wasm": "application/wasm", "a.webp": "image/webp",
    }
    for name in expected:
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "over.html").write_text("<p>over</p>")
    with serve_directory(tmp_path) as url:
        for name, ctype in expected.items():
            status, headers, _ = fetch(url + name)
            assert status == 200, name
            assert headers["Content-Type"].split(";")[0] == ctype, name
        status, _, body = fetch(url + "over")  # /over -> over.html
        assert status == 200 and body == b"<p>over</p>"
        status, _, _ = fetch(url + "missing")  # no 404.html in this folder: plain 404
        assert status == 404
    with pytest.raises(OSError):  # shut down cleanly: nothing listens any more
        urllib.request.urlopen(url, timeout=2)


# --------------------------------------------------------------------------- vnu

def test_server_keeps_the_hashed_stylesheet_as_the_hosting_recipes_do_and_nothing_else(tmp_path):
    """As docs/hosting.md's nginx recipe: css/<name>.<10 hex>.css may be kept for a year (its name changes with
    its bytes); pages and every other file are asked for again (the next build may have changed them)."""
    (tmp_path / "css").mkdir()
    for name in ("css/site.cdcc9b5e26.css", "css/site.css", "css/foto.cdcc9b5e26.png", "index.html"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    with serve_directory(tmp_path) as base:
        def cache_control(path: str) -> str:
            with urllib.request.urlopen(base + path) as answer:
                return answer.headers["Cache-Control"]

        assert cache_control("css/site.cdcc9b5e26.css") == "public, max-age=31536000, immutable"
        assert [cache_control(p) for p in ("css/site.css", "css/foto.cdcc9b5e26.png", "", "index.html")] == \
            ["no-store"] * 4


def test_vnu_valid_page_has_no_errors(vnu_messages):
    for page in ["index.html", "extern/index.html", "xss/index.html", "404.html",
                 "assets/style.css", "assets/logo.svg"]:
        assert _errors_for(vnu_messages, page) == [], vnu.format_messages(vnu_messages, SITE)


def test_vnu_reports_broken_page(vnu_messages):
    errors = _errors_for(vnu_messages, "broken/index.html")
    texts = " | ".join(m["message"] for m in errors)
    assert any("alt" in m["message"] for m in errors), texts
    assert any("span" in m["message"] for m in errors), texts  # the invalid nesting
    assert all(isinstance(m["line"], int) and m["line"] > 0 for m in errors)


def test_vnu_reports_broken_css(vnu_messages):
    errors = _errors_for(vnu_messages, "assets/broken.css")
    assert any("colr" in m["message"] for m in errors), vnu.format_messages(errors)


def test_vnu_missing_jar_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(vnu, "REPO_ROOT", tmp_path)
    monkeypatch.delenv("VNU_JAR", raising=False)
    monkeypatch.setattr(vnu.shutil, "which", lambda name: None)
    vnu.vnu_jar.cache_clear()
    try:
        with pytest.raises(vnu.VnuNotAvailable, match="install-system-deps.sh"):
            vnu.check_html([SITE / "index.html"])
    finally:
        vnu.vnu_jar.cache_clear()


# --------------------------------------------------------------------------- axe

@pytest.mark.parametrize("width", WIDTHS)
def test_axe_clean_on_valid_page(browser, base_url, width):
    with opened_page(browser, width) as page:
        csp = csp_violations_probe(page)
        page.goto(base_url)
        violations = run_axe(page)  # page keeps its CSP: no bypass needed
        assert violations == [], format_violations(violations)
        assert csp() == []  # injecting axe caused no CSP violation


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_reports_image_alt_on_broken_page(browser, base_url, width):
    with opened_page(browser, width) as page:
        page.goto(base_url + "broken/")
        violations = run_axe(page)
    ids = {v["id"] for v in violations}
    assert "image-alt" in ids, format_violations(violations)
    img = next(v for v in violations if v["id"] == "image-alt")
    assert img["impact"] == "critical" and img["targets"] == ["img"]


def test_axe_script_tag_needs_bypass_csp(browser, base_url):
    """Documents the CSP gotcha: add_script_tag is blocked unless bypass_csp=True."""
    with opened_page(browser, 1280) as page:
        page.goto(base_url + "broken/")
        with pytest.raises(Exception, match="Content Security Policy"):
            run_axe(page, inject="script_tag")
    with opened_page(browser, 1280, bypass_csp=True) as page:
        page.goto(base_url + "broken/")
        assert "image-alt" in {v["id"] for v in run_axe(page, inject="script_tag")}


def test_axe_refuses_page_without_javascript(browser, base_url):
    with opened_page(browser, 1280, javascript_enabled=False) as page:
        page.goto(base_url)
        with pytest.raises(RuntimeError, match="javascript_enabled"):
            run_axe(page)


# --------------------------------------------------------------------------- network, JS, probes

def test_third_party_request_is_recorded(browser, base_url):
    with opened_page(browser, 1280) as page:
        urls = record_requests(page)
        page.goto(base_url + "extern/")
        page.wait_for_load_state("load")
    assert "https://example.invalid/x.png" in urls
    assert external_requests(urls) == ["https://example.invalid/x.png"]


def test_local_page_makes_only_local_requests(browser, base_url):
    with opened_page(browser, 375) as page:
        urls = record_requests(page)
        page.goto(base_url)
        page.wait_for_load_state("load")
        assert page.text_content("#js-status") == "JavaScript staat aan."  # 'self' script ran
    assert base_url + "assets/app.js" in urls and base_url + "assets/logo.svg" in urls
    assert external_requests(urls) == []


LATE_PAGE = {
    "index.html": '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Laat</title>'
                  '<link rel="icon" href="/geen-icoon.svg"><script src="/laat.js" defer></script></head>'
                  '<body><p>Tekst.</p></body></html>',
    # after the load event, a fetch and, when it answers, a second one (as the search page fetches its index,
    # then the words' parts)
    "laat.js": 'addEventListener("load", () => fetch("/een.json").then(() => fetch("/twee-ontbreekt.json")));',
    "een.json": "{}",
}


def test_traffic_waits_for_the_favicon_and_what_scripts_fetch_after_the_load_event(browser, tmp_path):
    """Without networkidle's half second a page: after the load event only what is still open."""
    for name, text in LATE_PAGE.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with serve_directory(tmp_path) as base, opened_page(browser, 375) as page:
        traffic = Traffic(page)
        missing = []
        page.on("response", lambda response: missing.append(response.url) if response.status == 404 else None)
        page.goto(base)
        traffic.wait_until_quiet()
        assert sorted(missing) == [base + "geen-icoon.svg", base + "twee-ontbreekt.json"]


def test_h1_visible_without_javascript(browser, base_url, tmp_path):
    page = new_page(browser, 375, javascript_enabled=False)
    try:
        page.goto(base_url)
        assert page.is_visible("h1")
        assert page.text_content("h1") == "Welkom bij het harnas"
        assert page.text_content("#js-status") == "JavaScript staat uit."
        shot = screenshot(page, tmp_path / "shots" / "nojs-375.png")
    finally:
        page.context.close()
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_xss_probe_sees_injected_script(browser, base_url):
    with opened_page(browser, 1280) as page:
        fired = dialogs_and_script_probe(page)
        page.goto(base_url + "xss/")
        page.wait_for_load_state("load")
        page.wait_for_function("window.__xss.length > 0", timeout=5000)
        events = fired()
    assert {"source": "hook", "kind": "alert", "message": "xss-proef"} in events


def test_xss_probe_quiet_on_clean_page(browser, base_url):
    with opened_page(browser, 1280) as page:
        fired = dialogs_and_script_probe(page)
        page.goto(base_url)
        page.wait_for_load_state("load")
        assert fired() == []
