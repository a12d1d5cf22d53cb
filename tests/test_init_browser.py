"""A site made by `build.py init`, with its own colour and logo, passes the same checks as the real site:
the Nu HTML checker on every page and the stylesheet, axe in Chromium at 375 and 1280 px on every page, no
request that fails (the favicon included) and none to another host."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import NOW, REPO
from harness import vnu
from harness.browser import (console_messages, csp_violations_probe, external_requests, format_violations,
                             opened_page, record_requests, run_axe, screenshot)
from harness.server import serve_directory

pytestmark = pytest.mark.browser

ARTIFACTS = REPO / "test-artifacts"
LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40" width="120" height="40">'
        '<rect width="120" height="40" rx="6" fill="#1a5e8a"/><circle cx="20" cy="20" r="10" fill="#fff"/></svg>')


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=REPO, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def site_output(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("init-browser")
    (folder / "logo.svg").write_text(LOGO, encoding="utf-8")
    site = folder / "westerveld"
    made = run("init", str(site), "--gemeente", "Westerveld", "--dorpen", "Diever, Havelte", "--kleur", "#1a5e8a",
               "--logo", str(folder / "logo.svg"), "--logo-alt", "Logo van Eén tegen eenzaamheid Westerveld")
    assert made.returncode == 0, made.stderr
    built = run("--site", str(site), "--now", NOW, "-q")
    assert built.returncode == 0, built.stderr
    return site / "output"


def reader_pages(out: Path) -> list[str]:
    """Every page a reader can open, as a site path."""
    paths = []
    for page in sorted(out.rglob("index.html")):
        if 'http-equiv="refresh"' not in page.read_text(encoding="utf-8"):
            paths.append(page.parent.relative_to(out).as_posix() + "/" if page.parent != out else "")
    return paths


def test_every_page_and_the_stylesheet_pass_the_nu_html_checker(site_output):
    files = sorted([*site_output.rglob("*.html"), *site_output.rglob("*.css")])
    assert len(files) >= 10
    errors = vnu.check_all(files)
    assert errors == [], vnu.format_messages(errors, site_output)


def test_axe_is_clean_on_every_page_at_375_and_1280_px_and_nothing_fails_to_load(site_output, browser):
    pages = reader_pages(site_output)
    assert {"", "hulp/", "contact/", "privacy/", "toegankelijkheid/", "agenda/", "nieuws/"} <= set(pages)
    failed = []
    with serve_directory(site_output) as base:
        for width in (1280, 375):
            with opened_page(browser, width, axe=True) as page:
                requests = record_requests(page)
                page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
                csp = csp_violations_probe(page)
                console = console_messages(page)
                for path in pages:
                    page.goto(base + path)
                    page.wait_for_load_state("load")
                    violations = run_axe(page)
                    assert violations == [], f"{path} at {width} px:\n{format_violations(violations)}"
                    if path == "":
                        screenshot(page, ARTIFACTS / f"init-home-{width}.png")
                        logo = page.locator("img.site-logo").bounding_box()
                        assert logo and 20 <= logo["height"] <= 72, logo  # visible, at most 4rem of 18 px
                        favicon = page.evaluate("document.querySelector('link[rel=icon]').href")
                        assert page.request.get(favicon).status == 200
                assert external_requests(requests) == []
                assert csp() == [] and console == []
    assert failed == []
