"""The search budget of a built site, in headless Chromium (run by bench/run.py, or on its own):

    python bench/search_budget.py OUTPUT_DIR [QUERY ...]

For each query: a cold search (a fresh page, nothing fetched yet) gives the requests to zoekindex/ and
their size gzipped (-9); the same query again on that page, with the files there, gives the time from
pressing Enter to the results on screen (median of 5). Prints one JSON line.
Budgets (issue 16): <= 20 KB gzip on the real site, <= 60 KB at 1,000 pages, <= 6 requests, <= 100 ms."""

from __future__ import annotations

import gzip
import json
import statistics
import sys
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from harness.browser import launch, opened_page, record_requests  # noqa: E402
from harness.server import serve_directory  # noqa: E402

# Queries for the synthetic site of bench/synth.py: one word, several, a typo, a prefix, a number.
SYNTH_QUERIES = ["koffie", "eenzaamheid", "vrijwilliger buurt", "mantelzorg ontmoeting bibliotheek", "wandel",
                 "eenzaamhied", "samen koffie drinken in de buurt", "pagina 123", "beilen", "zingen muziek"]

TIMED = """async (query) => {
  const input = document.getElementById('zoekterm');
  const status = document.getElementById('zoek-status');
  const times = [];
  for (let i = 0; i < 5; i++) {
    status.textContent = '';
    input.value = query;
    const done = new Promise((resolve) => {
      const watch = new MutationObserver(() => {
        if (status.textContent.includes('gevonden')) { watch.disconnect(); resolve(); }
      });
      watch.observe(status, { childList: true, characterData: true, subtree: true });
    });
    const started = performance.now();
    input.form.requestSubmit();
    await done;
    await new Promise((resolve) => requestAnimationFrame(() => resolve()));
    times.push(performance.now() - started);
  }
  return times;
}"""


def measure(out: Path, queries: list[str]) -> dict:
    """Per query: requests, gzip bytes of a cold search, and ms to results once the files are there."""
    rows = []
    with serve_directory(out) as base_url, launch() as browser, opened_page(browser, 1280) as page:
        requests = record_requests(page)
        for query in queries:
            requests.clear()
            page.goto(base_url + "zoeken/?q=" + urllib.parse.quote(query))
            page.locator("#zoek-status", has_text="gevonden").wait_for()
            paths = [urllib.parse.urlsplit(url).path for url in requests]
            files = [out / path.lstrip("/") for path in paths if path.startswith("/zoekindex/")]
            size = sum(len(gzip.compress(path.read_bytes(), 9)) for path in files)
            warm = statistics.median(page.evaluate(TIMED, query))
            rows.append({"query": query, "requests": len(files), "gzip_bytes": size, "warm_ms": round(warm, 1)})
    return {"queries": rows,
            "max_requests": max(row["requests"] for row in rows),
            "max_gzip_kb": max(row["gzip_bytes"] for row in rows) / 1024,
            "median_gzip_kb": statistics.median(row["gzip_bytes"] for row in rows) / 1024,
            "max_warm_ms": max(row["warm_ms"] for row in rows)}


if __name__ == "__main__":
    folder = Path(sys.argv[1])
    print(json.dumps(measure(folder, sys.argv[2:] or SYNTH_QUERIES)))
