"""sitemap.xml and robots.txt."""

from __future__ import annotations

from html import escape
from urllib.parse import urlsplit

from ..core.model import Output, Site
from ..core.urls import absolute


def render_sitemap(site: Site, extra_urls: list[str] = ()) -> Output:
    """Absolute URLs of every page, with the last change date when the page has one."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    entries = {page.url: (page.updated or page.date) for page in site.pages}
    for url in extra_urls:
        entries.setdefault(url, None)
    for url in sorted(entries):
        lines.append(f"  <url><loc>{escape(absolute(site.base_url, url), quote=False)}</loc>"
                     + (f"<lastmod>{entries[url].isoformat()}</lastmod>" if entries[url] else "") + "</url>")
    lines.append("</urlset>\n")
    return Output("sitemap.xml", "\n".join(lines).encode("utf-8"), "sitemap")


NOT_LISTED = ("zoeken/", "admin/")  # the search page and the editors' page are no pages to be found


def listed_urls(site: Site, outputs: list[Output]) -> list[str]:
    """Every public HTML page the build made besides the content pages: agenda, activities, villages,
    audiences, months, topics, listing pages 2 and on. Not the search page, admin, 404 or old addresses."""
    aliases = {alias if alias.endswith(("/", ".html")) else alias + "/" for page in site.pages for alias in page.aliases}
    found = []
    for output in outputs:
        path = output.path
        if not path.endswith("index.html") or path.startswith(NOT_LISTED):
            continue
        url = "/" + path[: -len("index.html")]
        if url not in aliases:
            found.append(url)
    return sorted(found)


def render_robots(site: Site) -> Output:
    """Crawlers read robots.txt only at the root of a host: under a subpath this file says so, and which
    line the host's own robots.txt should take over (docs/hosting.md)."""
    text = f"User-agent: *\nAllow: /\n\nSitemap: {absolute(site.base_url, '/sitemap.xml')}\n"
    path = urlsplit(site.base_url).path
    if path not in ("", "/"):
        text = (f"# Deze site staat onder {path}. Zoekmachines lezen alleen /robots.txt in de hoofdmap van de\n"
                "# webserver, niet dit bestand. Zet de regel 'Sitemap: ...' hieronder in die robots.txt.\n") + text
    return Output("robots.txt", text.encode("utf-8"), "robots")
