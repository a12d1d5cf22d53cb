"""Search as a resident uses it, in Chromium, on the real site built at a fixed moment.

The resident queries of tests/search/queries.json are typed into /zoeken/ one by one (each a cold page:
nothing fetched before); what the page lists is what counts. Every query's requests are recorded and their
files gzipped to check the budget: at most 20 KB gzip and 6 requests for a cold query on the real site.
Bad input must give a calm "Niets gevonden" with suggestions, no console error and no script run."""

from __future__ import annotations

import gzip
import json
import urllib.parse
from pathlib import Path

import pytest

from conftest import REPO
from harness.browser import (console_messages, dialogs_and_script_probe, external_requests, format_violations,
                             opened_page, record_requests, run_axe, screenshot)

pytestmark = pytest.mark.browser

NOW = "2026-11-30T12:00"
QUERIES = json.loads((REPO / "tests" / "search" / "queries.json").read_text(encoding="utf-8"))
ARTIFACTS = REPO / "test-artifacts"
MAX_GZIP = 20 * 1024
MAX_REQUESTS = 6
RESULT_LINKS = "#zoekresultaten > li > h2 > a"





def ask(page, real_site_url: str, query: str) -> None:
    """Open the search page cold and search, as a resident does: type, then press Enter."""
    page.goto(real_site_url + "zoeken/")
    page.fill("#zoekterm", query)
    page.press("#zoekterm", "Enter")
    page.locator("#zoek-status", has_text="gevonden").wait_for()


def index_files(requests: list[str], real_site_url: str, real_output: Path) -> list[Path]:
    paths = [urllib.parse.urlsplit(url).path for url in requests if url.startswith(real_site_url)]
    return [real_output / path.lstrip("/") for path in paths if path.startswith("/zoekindex/")]


def test_residents_find_the_page_they_mean_within_the_byte_and_request_budget(browser, real_site_url, real_output):
    assert len(QUERIES) >= 30
    top3 = first = 0
    missed, budgets = [], []
    with opened_page(browser, 1280) as page:
        console = console_messages(page)
        requests = record_requests(page)
        for query in QUERIES:
            requests.clear()
            ask(page, real_site_url, query["q"])
            got = [urllib.parse.urlsplit(href).path for href in
                   page.eval_on_selector_all(RESULT_LINKS, "links => links.map(a => a.href)")]
            top3 += any(url in query["expect"] for url in got[:3])
            first += bool(got) and got[0] in query["expect"]
            if not any(url in query["expect"] for url in got[:3]):
                missed.append(f"{query['q']}: {got[:3]}")
            files = index_files(requests, real_site_url, real_output)
            budgets.append((query["q"], len(files), sum(len(gzip.compress(f.read_bytes(), 9)) for f in files)))
        assert console == [], console
    assert top3 >= len(QUERIES) - 1, missed
    assert first >= len(QUERIES) - 4
    print("\nqueries:", len(QUERIES), "top 3:", top3, "first:", first)
    print("most requests:", max(budgets, key=lambda b: b[1]), "most bytes:", max(budgets, key=lambda b: b[2]))
    assert all(count <= MAX_REQUESTS for _, count, _ in budgets), budgets
    assert all(size <= MAX_GZIP for _, _, size in budgets), budgets


def test_a_result_shows_the_activity_date_village_status_and_a_marked_sentence(browser, real_site_url):
    for width in (375, 1280):
        with opened_page(browser, width, 800, axe=True) as page:
            ask(page, real_site_url, "bingo")
            item = page.locator("#zoekresultaten > li").first
            assert item.locator("h2 a").inner_text() == "Bingomiddag in Wijster"
            meta = item.locator(".result-meta").inner_text()
            assert "Afgelast" in meta.title() and "woensdag 2 december 2026" in meta and "Wijster" in meta
            assert item.locator("mark").first.inner_text().lower().startswith("bingo")
            status = page.inner_text("#zoek-status")
            assert "1 pagina gevonden voor “bingo”" in status
            assert page.get_attribute("#zoek-status", "role") == "status"
            screenshot(page, ARTIFACTS / f"search-bingo-{width}.png")
            ask(page, real_site_url, "rolstoel vervoer")
            assert page.locator(RESULT_LINKS).count() >= 2
            assert page.locator("#zoekresultaten mark").count() >= 2
            violations = run_axe(page)
            assert violations == [], format_violations(violations)
            screenshot(page, ARTIFACTS / f"search-results-{width}.png")


BAD = ["a", "koffie " * 72, "?!...,;:-", "de het een van", "😀🙈", "<script>alert(1)</script>", 'koffie"',
       "\\", "'; DROP TABLE", "<img src=x onerror=alert(1)>"]


def test_bad_input_gives_a_calm_answer_with_suggestions_and_runs_no_script(browser, real_site_url):
    with opened_page(browser, 375, 800) as page:
        requests = record_requests(page)
        console = console_messages(page)
        fired = dialogs_and_script_probe(page)
        for query in BAD:
            ask(page, real_site_url, query)
            status = page.inner_text("#zoek-status")
            found = page.locator(RESULT_LINKS).count()
            if "Niets gevonden" in status:
                assert found == 0 and page.is_visible("#zoek-tips"), query
                tips = page.eval_on_selector_all("#zoek-tips a", "links => links.map(a => a.pathname + a.hash)")
                assert "/zoeken/#a-z-kop" in tips and "/agenda/" in tips and "/hulp/" in tips
            else:  # stop words only, or a word that is there: found, calmly
                assert found > 0, (query, status)
            assert page.locator("#zoekresultaten script, #zoekresultaten img").count() == 0
            assert fired() == [], query
            if query == "<script>alert(1)</script>":
                screenshot(page, ARTIFACTS / "search-nothing-375.png")
        assert console == [], console
        assert external_requests(requests) == []
    with opened_page(browser, 1280, 800, axe=True) as page:
        ask(page, real_site_url, "xyzzyqwert")
        assert "Niets gevonden voor “xyzzyqwert”" in page.inner_text("#zoek-status")
        violations = run_axe(page)
        assert violations == [], format_violations(violations)
        screenshot(page, ARTIFACTS / "search-nothing-1280.png")


def test_without_javascript_the_a_to_z_list_stays(browser, real_site_url):
    with opened_page(browser, 375, javascript_enabled=False) as page:
        page.goto(real_site_url + "zoeken/?q=koffie")
        assert page.is_visible("#zoeken-zonder-js")
        assert page.locator(".a-z-list a").count() >= 40
        assert not page.is_visible("#zoek-tips")
