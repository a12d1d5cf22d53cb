"""No payload an editor can write runs script in a reader's browser.

73 payloads from the OWASP and PortSwigger cheat sheets go into markdown bodies, raw HTML, titles,
descriptions, tags and site.yaml; the built pages are loaded in headless Chromium, with and without
our Content-Security-Policy (so the sanitiser is proven on its own), watching dialogs and script hooks.
"""

import json
import re
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import MINIMAL_SITE_YAML, NOW, run_build, write_tree

pytestmark = pytest.mark.browser

PAYLOADS = [line for line in (Path(__file__).parent / "fixtures" / "xss" / "payloads.txt")
            .read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("xss")
    config = yaml.safe_load(MINIMAL_SITE_YAML)
    config["tagline"] = PAYLOADS[0]
    config["helplines"][0]["description"] = PAYLOADS[5]
    files = {"site.yaml": yaml.safe_dump(config, allow_unicode=True),
             "content/index.md": "---\ntitle: Welkom\n---\n\nWelkom.\n"}
    for number, payload in enumerate(PAYLOADS):
        front = {"title": f"Pagina {number} {payload}", "description": payload, "tags": [payload, "x"]}
        body = f"Veilige tekst.\n\n{payload}\n\nTekst met {payload} erin.\n\n- {payload}\n\n> {payload}\n"
        files[f"content/xss/p{number}.md"] = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n\n" + body
    events = []
    for number, payload in enumerate(PAYLOADS):
        events.append({"id": f"xss-{number}", "title": f"Activiteit {number} {payload}",
                       "start": f"2026-12-{1 + number % 28:02d} 10:00", "end": "11:00",
                       "location": {"name": payload, "place": "Beilen"}, "cost": payload,
                       "transport": payload, "description": f"Veilig.\n\n{payload}\n"})
    files["content/agenda.yaml"] = yaml.safe_dump(events, allow_unicode=True)
    # A newsletter exported from a mailing tool, full of payloads, through the importer.
    from sitegen.tools.newsletter.convert import convert
    import datetime as dt
    exported = "<html><body><table><tr><td><h1>Nieuwsbrief</h1><p>Veilige tekst.</p>" + "".join(
        f"<p>{payload}</p>" for payload in PAYLOADS) + "</td></tr></table></body></html>"
    files["content/nieuwsbrieven/2026-11-01-xss.md"] = convert(exported).document(dt.date(2026, 11, 1))
    write_tree(root, files)
    result = run_build("--site", str(root), "--now", NOW)
    refused, refused_events = set(), set()
    for _ in range(3):  # errors come in phases (pages, then activities)
        if result.returncode != 1:
            break
        # A payload the build refuses as a content error is safe too (it never reaches a reader);
        # drop those pages and activities and prove the rest run nothing.
        assert "Traceback" not in result.stderr
        assert not re.search(r"^content/nieuwsbrieven\S*: (?!waarschuwing)", result.stderr, re.M), result.stderr
        pages = set(re.findall(r"^(content/xss/p\d+\.md):\d*:?\d*:? (?!waarschuwing)", result.stderr, re.M))
        for name in pages:
            (root / name).unlink()
        refused |= pages
        refused_events |= {int(n) for n in re.findall(r"^content/agenda.yaml:.*'Activiteit (\d+) ", result.stderr, re.M)}
        kept = [e for n, e in enumerate(events) if n not in refused_events]
        (root / "content" / "agenda.yaml").write_text(yaml.safe_dump(kept, allow_unicode=True), encoding="utf-8")
        result = run_build("--site", str(root), "--now", NOW)
    assert len(refused) <= 5 and len(refused_events) <= 5
    assert result.returncode == 0, result.stderr
    return root / "output"


def test_corpus_is_large_enough():
    assert len(PAYLOADS) >= 50


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []
        self.json_ld = []
        self._in_json = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        self._in_json = tag == "script" and dict(attrs).get("type") == "application/ld+json"

    def handle_endtag(self, tag):
        self._in_json = False

    def handle_data(self, data):
        if self._in_json:
            self.json_ld.append(data)


# Our own templates use svg icons and the search form; payload versions of those are caught by the
# attribute checks below (no on* handler, no script: URL, forms only to our own pages).
FORBIDDEN_TAGS = {"iframe", "object", "embed", "style", "base", "math", "textarea", "select", "video",
                  "audio", "source", "marquee", "keygen", "xss", "animate", "foreignobject"}


def test_no_script_handler_or_dangerous_url_survives_in_the_html(xss_site):
    for page in sorted(xss_site.rglob("*.html")):
        parser = TagCollector()
        parser.feed(page.read_text(encoding="utf-8"))
        for data in parser.json_ld:
            json.loads(data)  # a payload that broke out of the JSON-LD would make it invalid
        for tag, attrs in parser.tags:
            assert tag not in FORBIDDEN_TAGS, (page, tag)
            if tag == "script":
                # Our own scripts by URL, or inert JSON-LD data (proven parseable below).
                kind = dict(attrs).get("type", "")
                assert dict(attrs).get("src", "").startswith("/") or kind == "application/ld+json", page
            if tag == "form":
                assert dict(attrs).get("action", "").startswith("/"), page
            if tag == "meta":
                assert dict(attrs).get("http-equiv", "").lower() in ("", "content-security-policy"), page
            for name, value in attrs:
                assert not name.startswith("on"), (page, tag, name)
                if name in ("href", "src", "action", "formaction", "background") and value:
                    assert not re.match(r"\s*(javascript|vbscript|data):", value, re.I), (page, tag, value)


SETTLE = 0.03  # seconds a page gets after the pointer and the Tab key, for what fires late (animations, toggles)


def visit_every_page(browser, base: str, pages: list[str], bypass_csp: bool) -> list[tuple[str, list]]:
    """Each page loaded, hovered and tabbed into, then given SETTLE seconds before its probe is read: what
    fired where. Two tabs take turns, so one page settles while the other loads (the settling was a third
    of the time); a page's probe is read just before its tab loads the next page."""
    from harness.browser import dialogs_and_script_probe, new_page

    first = new_page(browser, 1280, bypass_csp=bypass_csp)
    tabs = [first, first.context.new_page()]
    probes = [dialogs_and_script_probe(tab) for tab in tabs]
    waiting: dict[int, tuple[str, float]] = {}  # tab -> the page it shows, when its Tab key went
    fired_anywhere = []

    def read(n: int) -> None:
        path, tabbed = waiting.pop(n)
        time.sleep(max(0.0, SETTLE - (time.monotonic() - tabbed)))
        if probes[n]():
            fired_anywhere.append((path, probes[n]()))

    try:
        for number, path in enumerate(pages):
            n = number % len(tabs)
            if n in waiting:
                read(n)
            tabs[n].goto(base.rstrip("/") + path, wait_until="load")
            tabs[n].mouse.move(200, 300)
            tabs[n].keyboard.press("Tab")
            waiting[n] = (path, time.monotonic())
        for n in sorted(waiting):
            read(n)
    finally:
        first.context.close()
    return fired_anywhere


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "sanitiser-only"])
def test_no_payload_runs_in_chromium(xss_site, browser, bypass_csp):
    from harness.server import serve_directory

    pages = ["/", "/agenda/", "/nieuwsbrieven/"] + sorted(
        "/" + p.parent.relative_to(xss_site).as_posix() + "/"
        for pattern in ("xss/p*/index.html", "agenda/xss-*/index.html", "nieuwsbrieven/*/index.html")
        for p in xss_site.glob(pattern))
    assert len(pages) > 120
    with serve_directory(xss_site) as base:
        assert visit_every_page(browser, base, pages, bypass_csp) == []
