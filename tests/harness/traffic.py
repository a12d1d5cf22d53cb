"""Wait until a page has nothing left to load, without Playwright's ``networkidle``.

``wait_until="networkidle"`` waits for 500 ms without a request after the last one, on every page: on a
test that visits twenty pages, ten seconds of waiting for nothing. ``Traffic`` follows the page's requests
instead, so a test can wait for the load event and then exactly for what is still open:

    traffic = Traffic(page)                 # before the first goto
    page.goto(url)                          # wait_until="load": the document, its styles, scripts, images
    traffic.wait_until_quiet()              # and what came after: the favicon, a script's fetch

The favicon is asked for just after the load event, by the browser, so it may not have started yet when
``goto`` returns: ``wait_until_quiet`` also waits until every icon the document links to was asked for and
answered (a missing one is a 404 the test's response listener must see).
"""

from __future__ import annotations

import time

ICONS = "() => [...document.querySelectorAll('link[rel~=icon]')].map(link => link.href)"
QUIET = 0.05  # seconds without a new request: a script that fetches on when one answer came (a chain)


class Traffic:
    """The requests of a page (and its frames) that started and have had no answer yet (nor failed)."""

    def __init__(self, page) -> None:
        self.page = page
        self.open: set = set()
        self.done: set[str] = set()
        self.last = time.monotonic()
        page.on("request", self._started)
        page.on("response", lambda response: self._ended(response.request))  # a body nobody reads never ends
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)

    def _started(self, request) -> None:
        self.open.add(request)
        self.last = time.monotonic()

    def _ended(self, request) -> None:
        self.open.discard(request)
        self.done.add(request.url)
        self.last = time.monotonic()

    def wait_until_quiet(self, timeout: float = 15.0) -> None:
        """Return when no request is open, every linked icon was answered, and nothing new started for
        QUIET seconds; an AssertionError naming what is still open after timeout seconds."""
        icons = set(self.page.evaluate(ICONS))
        deadline = time.monotonic() + timeout
        while self.open or not icons <= self.done or time.monotonic() - self.last < QUIET:
            if time.monotonic() > deadline:
                raise AssertionError(f"still loading after {timeout} s: {sorted(r.url for r in self.open)}, "
                                     f"icons not asked for: {sorted(icons - self.done)}")
            self.page.wait_for_timeout(10)  # lets Playwright deliver the page's events meanwhile
