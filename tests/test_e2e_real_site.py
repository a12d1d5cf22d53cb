"""Build the real content/ and examples/medemblik as a reader would find them: every link resolves."""

import html.parser
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit, unquote

import pytest

from conftest import NOW, REPO, run_build, tree_bytes

SITES = {"midden-drenthe": REPO, "medemblik": REPO / "examples" / "medemblik"}

pytestmark = pytest.mark.slow  # builds both real sites


class LinkCollector(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.h1, self.lang = [], 0, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "h1":
            self.h1 += 1
        for name in ("href", "src"):
            if attrs.get(name) and not (tag == "link" and attrs.get("rel") in ("canonical", "alternate")):
                self.links.append(attrs[name])


@pytest.fixture(scope="module", params=sorted(SITES))
def built(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(request.param) / "output"
    result = run_build("--site", str(SITES[request.param]), "--output", str(out), "--now", NOW)
    assert result.returncode == 0, result.stderr
    return request.param, out, result


def resolve(out: Path, url: str) -> Path | None:
    path = unquote(urlsplit(url).path)
    target = out / path.lstrip("/")
    if path.endswith("/"):
        target = target / "index.html"
    return target if target.is_file() else None


def html_pages(out: Path):
    return [p for p in sorted(out.rglob("*.html")) if "admin" not in p.parts]


def test_build_prints_a_one_line_summary(built):
    _, _, result = built
    lines = result.stdout.strip().splitlines()
    assert re.match(r"^\d+ pagina's, \d+ activiteiten, \d+ feeds geschreven naar .+ in \d+\.\d+ s\.$", lines[-1])


def test_every_internal_link_and_asset_resolves(built):
    name, out, _ = built
    broken = []
    for page in html_pages(out):
        parser = LinkCollector()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith("#") or not parts.path:
                continue
            if resolve(out, link) is None:
                broken.append(f"{page.relative_to(out)} -> {link}")
    assert broken == []


def test_every_page_has_one_h1_dutch_language_and_meta(built):
    _, out, _ = built
    for page in html_pages(out):
        text = page.read_text(encoding="utf-8")
        parser = LinkCollector()
        parser.feed(text)
        assert parser.lang == "nl", page
        assert parser.h1 == 1, page
        if "http-equiv=\"refresh\"" in text:
            continue  # alias redirect pages
        assert '<meta name="description" content="' in text, page
        assert 'property="og:locale" content="nl_NL"' in text, page
        assert "Content-Security-Policy" in text, page


def test_sitemap_lists_absolute_urls_that_exist(built):
    _, out, _ = built
    root = ET.parse(out / "sitemap.xml").getroot()
    locs = [el.text for el in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert len(locs) >= 6
    for loc in locs:
        assert loc.startswith("https://")
        assert resolve(out, loc) is not None, loc
    assert "Sitemap: https://" in (out / "robots.txt").read_text()


def test_real_site_has_at_least_twelve_pages(built):
    name, out, _ = built
    pages = [p for p in html_pages(out) if p.name == "index.html"]
    assert len(pages) >= (12 if name == "midden-drenthe" else 6)


def test_helplines_come_from_site_yaml_on_every_page(built):
    _, out, _ = built
    for page in html_pages(out):
        text = page.read_text(encoding="utf-8")
        if "http-equiv=\"refresh\"" not in text:
            assert "Hulp nodig?" in text, page
            assert 'href="tel:' in text, page


def test_a_broken_front_matter_leaves_output_untouched(tmp_path):
    import shutil
    site = tmp_path / "site"
    # Not its .cache/: another test process may be building examples/medemblik at this moment (pytest -n 2).
    shutil.copytree(REPO / "examples" / "medemblik", site, ignore=shutil.ignore_patterns("output", ".cache"))
    out = tmp_path / "out"
    assert run_build("--site", str(site), "--output", str(out), "--now", NOW).returncode == 0
    before = tree_bytes(out)
    page = next((site / "content").rglob("*.md"))
    page.write_text("---\ntitle: [kapot\n---\n\nTekst\n", encoding="utf-8")
    result = run_build("--site", str(site), "--output", str(out), "--now", NOW)
    assert result.returncode == 1
    assert re.search(r"^content/.+\.md:2:\d+: ", result.stderr, re.M)
    assert tree_bytes(out) == before
