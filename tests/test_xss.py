"""No payload an editor can write runs script in a reader's browser.

73 payloads from the OWASP and PortSwigger cheat sheets go into markdown bodies, raw HTML, titles,
descriptions, tags and site.yaml; the built pages are loaded in headless Chromium, with and without
our Content-Security-Policy (so the sanitiser is proven on its own), watching dialogs and script hooks.
"""

import re
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
    write_tree(root, files)
    result = run_build("--site", str(root), "--now", NOW)
    if result.returncode == 1:
        # A payload the build refuses as a content error is safe too (it never reaches a reader);
        # drop those pages and prove the rest run nothing.
        assert "Traceback" not in result.stderr
        refused = set(re.findall(r"^(content/xss/p\d+\.md):", result.stderr, re.M))
        for name in refused:
            (root / name).unlink()
        result = run_build("--site", str(root), "--now", NOW)
        assert len(refused) <= 5
    assert result.returncode == 0, result.stderr
    return root / "output"


def test_corpus_is_large_enough():
    assert len(PAYLOADS) >= 50


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


FORBIDDEN_TAGS = {"iframe", "object", "embed", "form", "style", "base", "svg", "math", "input", "button",
                  "textarea", "select", "video", "audio", "source", "marquee", "keygen", "xss"}


def test_no_script_handler_or_dangerous_url_survives_in_the_html(xss_site):
    for page in sorted(xss_site.rglob("*.html")):
        parser = TagCollector()
        parser.feed(page.read_text(encoding="utf-8"))
        for tag, attrs in parser.tags:
            assert tag not in FORBIDDEN_TAGS, (page, tag)
            if tag == "script":
                assert dict(attrs).get("src", "").startswith("/"), page
            if tag == "meta":
                assert dict(attrs).get("http-equiv", "").lower() in ("", "content-security-policy"), page
            for name, value in attrs:
                assert not name.startswith("on"), (page, tag, name)
                if name in ("href", "src", "action", "formaction", "background") and value:
                    assert not re.match(r"\s*(javascript|vbscript|data):", value, re.I), (page, tag, value)


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "sanitiser-only"])
def test_no_payload_runs_in_chromium(xss_site, bypass_csp):
    from harness.browser import dialogs_and_script_probe, launch, new_page
    from harness.server import serve_directory

    pages = ["/"] + sorted("/" + p.parent.relative_to(xss_site).as_posix() + "/"
                           for p in xss_site.glob("xss/p*/index.html"))
    assert len(pages) > 50
    fired_anywhere = []
    with serve_directory(xss_site) as base, launch() as browser:
        page = new_page(browser, 1280, bypass_csp=bypass_csp)
        fired = dialogs_and_script_probe(page)
        for path in pages:
            page.goto(base.rstrip("/") + path, wait_until="load")
            page.mouse.move(200, 300)
            page.keyboard.press("Tab")
            page.wait_for_timeout(30)
            if fired():
                fired_anywhere.append((path, fired()))
        page.context.close()
    assert fired_anywhere == []
