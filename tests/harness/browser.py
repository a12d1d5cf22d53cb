"""Drive Debian's Chromium (/usr/bin/chromium) through Playwright's sync API.

Never run ``playwright install``: the browser comes from apt
(tools/install-system-deps.sh).

    from harness.browser import launch, new_page, run_axe, record_requests, text_size_page

    with launch() as browser:
        page = new_page(browser, 375)
        urls = record_requests(page)            # before goto
        page.goto(base_url + "over/")
        assert run_axe(page) == []
        assert external_requests(urls) == []
        page.context.close()

    with launch() as browser, text_size_page(browser, 320, 800, percent=200) as page:
        page.goto(base_url)                     # the text size setting doubled, not zoom

axe under a strict Content-Security-Policy: ``page.add_script_tag`` inserts an
inline <script>, which ``default-src 'self'`` blocks. ``run_axe`` instead
evaluates axe.min.js through the DevTools protocol (``page.evaluate``), which
the page's CSP does not govern, so it works on the page exactly as served
(no ``bypass_csp`` needed, and CSP stays enforced for the rest of the test).
``run_axe(page, inject="script_tag")`` uses ``add_script_tag`` instead; that
only works in a context made with ``bypass_csp=True``.
"""

from __future__ import annotations

import contextlib
import json
import os
import urllib.parse
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator

from . import INSTALL_HINT, REPO_ROOT

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
# URL schemes that never leave the machine.
_LOCAL_SCHEMES = {"data", "blob", "about", "chrome", "chrome-error", "devtools"}


# --------------------------------------------------------------------------- launch

@contextlib.contextmanager
def launch(**launch_kwargs) -> Iterator["Browser"]:  # noqa: F821
    """Start Playwright + headless Debian Chromium; yield the Browser; close both."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} not found; {INSTALL_HINT}")
    from playwright.sync_api import sync_playwright

    kwargs = {"executable_path": CHROMIUM, "headless": True, "args": list(CHROMIUM_ARGS)}
    kwargs.update(launch_kwargs)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(**kwargs)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser, width: int, height: int = 900, javascript_enabled: bool = True,
             bypass_csp: bool = False, axe: bool = False, **context_kwargs):
    """A page in its own fresh context. Close it with ``page.context.close()``. With ``axe``, axe-core is
    loaded into every document the page opens (``preload_axe``), so ``run_axe`` need not inject it."""
    context = browser.new_context(
        viewport={"width": width, "height": height},
        java_script_enabled=javascript_enabled,
        bypass_csp=bypass_csp,
        **context_kwargs,
    )
    context.set_default_timeout(15_000)
    context.set_default_navigation_timeout(30_000)
    page = context.new_page()
    if axe:
        preload_axe(page)
    return page


@contextlib.contextmanager
def opened_page(browser, width: int, height: int = 900, **kwargs) -> Iterator:
    """``new_page`` as a context manager that closes the context afterwards."""
    page = new_page(browser, width, height, **kwargs)
    try:
        yield page
    finally:
        page.context.close()


class Tabs:
    """Pages kept open for a module's tests: ``tabs(width, height, **new_page_kwargs)`` gives the one page
    of that kind of window, reused by every test that asks for it. Opening a context costs more than most
    checks on it (a new renderer each time); a reused page only navigates.

    Each hand-out resets what a test may have changed on the page: cookies (the site's scripts keep
    nothing in cookies or storage), emulated media (print, reduced motion), the window size and the
    pointer. A test that adds listeners, routes or init scripts keeps its own ``opened_page``."""

    def __init__(self, browser) -> None:
        self.browser = browser
        self.pages: dict[tuple, object] = {}

    def __call__(self, width: int, height: int = 900, percent: int = 100, **kwargs):
        """The page at width x height, with the browser's text size at ``percent`` (``set_text_size``)."""
        key = (width, height, percent, tuple(sorted(kwargs.items())))
        if key not in self.pages:
            self.pages[key] = new_page(self.browser, width, height, **kwargs)
            if percent != 100:
                set_text_size(self.pages[key], percent)
        page = self.pages[key]
        page.context.clear_cookies()
        page.emulate_media(media="null", reduced_motion="no-preference", color_scheme="light")  # a new context's
        if page.viewport_size != {"width": width, "height": height}:
            page.set_viewport_size({"width": width, "height": height})
        page.mouse.move(0, 0)  # where a new page's pointer is: nothing hovered
        return page

    def close(self) -> None:
        for page in self.pages.values():
            page.context.close()
        self.pages.clear()


def screenshot(page, path: str | os.PathLike) -> Path:
    """Full-page PNG screenshot; creates parent folders; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


# --------------------------------------------------------------------------- text size

#: Chromium's default font sizes at 100% (Settings > Appearance > Font size "Medium").
DEFAULT_FONT_SIZES = {"standard": 16, "fixed": 13}


def font_sizes(percent: int) -> dict[str, int]:
    """The default font sizes of the browser's text size setting at ``percent`` (200: 32 px and 26 px)."""
    return {name: round(size * percent / 100) for name, size in DEFAULT_FONT_SIZES.items()}


def set_text_size(page, percent: int = 200) -> None:
    """Set the browser's text size setting (not zoom) for this page and every page it opens next.

    Through the DevTools protocol's ``Page.setFontSizes``: the same default font sizes the settings page
    writes to the profile (``webkit.webprefs.default_font_size``; see ``launch_with_text_size``). The
    viewport stays as wide as it is; every length in rem and em grows. Call before or after ``goto``.
    """
    session = page.context.new_cdp_session(page)
    session.send("Page.setFontSizes", {"fontSizes": font_sizes(percent)})


@contextlib.contextmanager
def text_size_page(browser, width: int, height: int = 900, percent: int = 200, **kwargs) -> Iterator:
    """``opened_page`` with the browser's text size at ``percent``."""
    with opened_page(browser, width, height, **kwargs) as page:
        set_text_size(page, percent)
        yield page


@contextlib.contextmanager
def launch_with_text_size(user_data_dir: str | os.PathLike, percent: int = 200, width: int = 320,
                          height: int = 800, browser=None, **context_kwargs) -> Iterator:
    """A second Chromium whose profile has the text size setting at ``percent``: a persistent context on
    ``user_data_dir`` (an empty folder) with ``Default/Preferences`` as Chromium's settings page writes it.
    Pass a running ``browser`` to start it from that browser's Playwright (a test with the module's
    browser fixture must: Playwright's sync API runs once per thread). Yields the context; closes it."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} not found; {INSTALL_HINT}")
    sizes = font_sizes(percent)
    prefs = {"webkit": {"webprefs": {"default_font_size": sizes["standard"],
                                     "default_fixed_font_size": sizes["fixed"], "minimum_font_size": 0}}}
    profile = Path(user_data_dir) / "Default"
    profile.mkdir(parents=True, exist_ok=True)
    (profile / "Preferences").write_text(json.dumps(prefs), encoding="utf-8")
    options = dict(executable_path=CHROMIUM, headless=True, args=list(CHROMIUM_ARGS),
                   viewport={"width": width, "height": height}, **context_kwargs)
    with contextlib.ExitStack() as stack:
        if browser is None:
            from playwright.sync_api import sync_playwright
            browser_type = stack.enter_context(sync_playwright()).chromium
        else:
            browser_type = browser.browser_type
        context = browser_type.launch_persistent_context(str(user_data_dir), **options)
        stack.callback(context.close)
        yield context


# --------------------------------------------------------------------------- axe

@lru_cache(maxsize=1)
def axe_path() -> Path:
    p = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
    if not p.is_file():
        raise RuntimeError(f"axe-core not found at {p}; {INSTALL_HINT}")
    return p


@lru_cache(maxsize=1)
def _axe_source() -> str:
    # Trailing "0" so Playwright does not treat the value as a function to call.
    return axe_path().read_text(encoding="utf-8") + "\n;0"


_SCRIPTING_ON = (
    "(() => { const d = document.createElement('div');"
    " d.innerHTML = '<noscript><i></i></noscript>';"
    " return d.querySelector('noscript i') === null; })()"
)


def preload_axe(page) -> None:
    """Load axe-core into every document the page opens from now on, before the page's own scripts, as an
    init script (the DevTools protocol's addScriptToEvaluateOnNewDocument, which no CSP governs). Compiled
    once per renderer instead of sent and evaluated again for every page: ``run_axe`` then finds it there.
    It only defines ``window.axe``; nothing runs until ``run_axe`` calls ``axe.run``."""
    page.add_init_script(path=str(axe_path()))


def scripting_enabled(page) -> bool:
    """True when the page's document runs scripts (False for javascript_enabled=False)."""
    return bool(page.evaluate(_SCRIPTING_ON))


def run_axe(page, tags: list[str] | None = None, inject: str = "evaluate",
            options: dict | None = None) -> list[dict]:
    """Run axe-core on the page's current document; return its violations.

    Each violation: {"id", "impact", "help", "helpUrl", "targets": [css selectors...]}.
    ``inject``: "evaluate" (default, works under any CSP) or "script_tag"
    (needs a context with bypass_csp=True when the page has a CSP).
    Needs JavaScript: axe's promises never settle in a context with
    javascript_enabled=False, so that raises instead of hanging.
    """
    if not scripting_enabled(page):
        raise RuntimeError("run_axe needs a page with javascript_enabled=True")
    if not page.evaluate("typeof window.axe === 'object'"):
        if inject == "script_tag":
            page.add_script_tag(path=str(axe_path()))
        elif inject == "evaluate":
            page.evaluate(_axe_source())
        else:
            raise ValueError(f"unknown inject mode {inject!r}")
    # Only the violations are returned: resultTypes spares axe the selectors of every passing and
    # inapplicable node (each violation still lists all its nodes).
    opts = {"runOnly": {"type": "tag", "values": list(tags or AXE_TAGS)}, "resultTypes": ["violations"]}
    if options:
        opts.update(options)
    return page.evaluate(
        """async (opts) => {
            const r = await window.axe.run(document, opts);
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                targets: v.nodes.map(n => n.target.join(' ')),
            }));
        }""",
        opts,
    )


def format_violations(violations: list[dict]) -> str:
    """Readable text for assertion messages."""
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> {', '.join(v['targets'][:5])}"
        for v in violations
    )


# --------------------------------------------------------------------------- network

def is_local_url(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme in _LOCAL_SCHEMES:
        return True
    return (parts.hostname or "") in LOCAL_HOSTS


def record_requests(page, block_external: bool = True) -> list[str]:
    """Record every request URL the page (and its frames) makes, into the returned list.

    Call before ``page.goto``. With ``block_external`` (default) requests to
    any host but 127.0.0.1/localhost are still recorded but aborted, so a test
    never sends traffic off the machine nor waits on DNS.
    """
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    if block_external:
        page.route(lambda url: not is_local_url(url), lambda route: route.abort())
    return urls


def external_requests(urls: list[str]) -> list[str]:
    """The recorded URLs that would leave the machine."""
    return [u for u in urls if not is_local_url(u)]


# --------------------------------------------------------------------------- probes

_XSS_INIT = """
(() => {
  if (window.__xssHooked) return;
  window.__xssHooked = true;
  window.__xss = [];
  for (const kind of ['alert', 'confirm', 'prompt']) {
    const hook = function (message) {
      window.__xss.push({kind, message: String(message)});
      return kind === 'confirm' ? false : (kind === 'prompt' ? null : undefined);
    };
    try {
      Object.defineProperty(window, kind, {value: hook, writable: false, configurable: false});
    } catch (e) { window[kind] = hook; }
  }
})();
"""


def dialogs_and_script_probe(page) -> Callable[[], list[dict]]:
    """Watch for injected script running: call before ``page.goto``.

    - every native dialog (alert/confirm/prompt/beforeunload) is recorded and dismissed;
    - an init script (runs first in every document and frame) defines
      ``window.__xss = []`` and replaces alert/confirm/prompt by hooks that push
      ``{kind, message}`` there, so a payload like ``<img onerror=alert(1)>`` is caught.

    Returns ``fired()``: the list of what fired so far, each
    ``{"source": "dialog"|"hook", "kind": ..., "message": ...}``; empty means clean.
    ``window.__xss`` is read from the main frame's current document (it resets on
    navigation; dialogs are kept across navigations). Page code can also push to
    ``window.__xss`` directly, e.g. a payload ``window.__xss.push(1)``.
    """
    dialogs: list[dict] = []

    def on_dialog(dialog) -> None:
        dialogs.append({"source": "dialog", "kind": dialog.type, "message": dialog.message})
        try:
            dialog.dismiss()
        except Exception:  # page already gone
            pass

    page.on("dialog", on_dialog)
    page.add_init_script(_XSS_INIT)

    def fired() -> list[dict]:
        hooks: list[dict] = []
        try:
            got = page.evaluate("Array.isArray(window.__xss) ? window.__xss : []")
            hooks = [{"source": "hook", "kind": h.get("kind", "?") if isinstance(h, dict) else "push",
                      "message": h.get("message", "") if isinstance(h, dict) else str(h)}
                     for h in got]
        except Exception:  # closed page, or mid-navigation
            pass
        return dialogs + hooks

    return fired


_CSP_INIT = """
(() => {
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push({directive: e.effectiveDirective || e.violatedDirective,
                                 blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber});
  });
})();
"""


def csp_violations_probe(page) -> Callable[[], list[dict]]:
    """Record CSP violations of the current document (call before ``page.goto``).

    Returns ``violations()`` -> [{"directive", "blocked", "source", "line"}].
    Needs javascript_enabled=True. Violations caused by the harness itself
    (e.g. ``add_script_tag`` under CSP) show up here too.
    """
    page.add_init_script(_CSP_INIT)

    def violations() -> list[dict]:
        try:
            return page.evaluate("window.__cspViolations || []")
        except Exception:
            return []

    return violations


def console_messages(page, types: tuple[str, ...] = ("error", "warning")) -> list[dict]:
    """Record console messages (default: errors and warnings) into the returned list."""
    out: list[dict] = []
    page.on("console", lambda m: out.append({"type": m.type, "text": m.text})
            if m.type in types else None)
    page.on("pageerror", lambda exc: out.append({"type": "pageerror", "text": str(exc)}))
    return out
