"""Cross-item checks: one URL per source, and every site link in the output leads somewhere."""

from __future__ import annotations

import html
import operator
import re
from typing import Callable
from urllib.parse import unquote, urlsplit

from ..core.errors import Location, Problems
from ..source.markdown import locate
from ..core.model import Output, Page, Site
from ..core.urls import base_path, output_path


def check_unique_urls(site: Site, problems: Problems) -> None:
    """Two sources that want one URL is an error naming both; so is an alias that takes a page's URL."""
    owners: dict[str, str] = {}
    for page in site.pages:
        if page.url in owners:
            problems.error(Location(page.source), f"deze pagina krijgt het adres {page.url}, net als "
                           f"{owners[page.url]}. Geef een van beide een andere bestandsnaam of 'slug'.")
        else:
            owners[page.url] = page.source
    for page in site.pages:
        for alias in page.aliases:
            target = alias if alias.endswith(("/", ".html")) else alias + "/"
            if target in owners:
                problems.error(Location(page.source), f"het oude adres {alias} in 'aliases' is al het "
                               f"adres van {owners[target]}. Haal het uit 'aliases'.")
            else:
                owners[target] = page.source


def check_duplicate_outputs(outputs: list[Output], problems: Problems) -> None:
    """One output path, one source."""
    seen: dict[str, str] = {}
    for output in outputs:
        if output.path in seen and seen[output.path] != output.source:
            problems.error(Location(output.source), f"dit wil het bestand {output.path} maken, maar "
                           f"{seen[output.path]} maakt dat al. Geef een van beide een ander adres.")
        seen.setdefault(output.path, output.source)


_ATTR_RE = re.compile(r'\s(?:href|src)="([^"]*)"')
_WANTED = operator.itemgetter(1)  # of a (target, output file it needs) pair of site_links


def check_internal_links(site: Site, outputs: list[Output], bodies: dict[str, tuple[str, int]],
                         problems: Problems, links_of: Callable | None = None) -> None:
    """Every link and image on our own site points at a file the build writes.

    bodies maps a page's source to its markdown body and first line, to place the error.
    links_of(pages, prefix) gives site_links(page.data, prefix) of each HTML output: the build's keeps
    them by the page's bytes, so unchanged pages are not parsed again."""
    links_of = links_of or (lambda pages, prefix: [site_links(page.data, prefix) for page in pages])
    written = {o.path for o in outputs} | {output_path(a.url) for a in site.assets}
    prefix = base_path(site.base_url)
    sources: dict[str, Page] = {}  # made at the first broken link
    pages = [output for output in outputs if output.path.endswith(".html")]
    for output, links in zip(pages, links_of(pages, prefix)):
        # Most links lead to a file as they are (the menu, the stylesheet): found by set difference, in C.
        # At 10,000 pages a loop over every link of every page took 0.05 s of each dev server rebuild.
        missing = set(map(_WANTED, links)) - written
        if not missing:
            continue
        for target, wanted in links:
            if wanted not in missing or wanted + "/index.html" in written:
                continue
            sources = sources or {p.source: p for p in site.pages}
            page = sources.get(output.source)
            needle = "/" + unquote(urlsplit(target).path)[len(prefix):]
            if page is not None and page.source in bodies and needle in str(bodies[page.source][0]):
                body, first_line = str(bodies[page.source][0]), bodies[page.source][1]
                line, column = locate(body, needle, first_line)
                problems.error(Location(page.source, line, column),
                               f"de link '{needle}' wijst naar een adres dat deze site niet heeft. "
                               "Controleer het adres, of link naar het .md-bestand.")
            else:
                problems.error(Location(output.source), f"{output.path} linkt naar {target}, maar dat "
                               "adres bestaat niet op de site.")


def site_links(data: bytes, prefix: str) -> tuple[tuple[str, str], ...]:
    """Every href and src of a page that stays on this site, with the output file it needs."""
    found = []
    for raw in _ATTR_RE.findall(data.decode("utf-8")):
        target = html.unescape(raw)
        parts = urlsplit(target)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        path = unquote(parts.path)
        if path.startswith(prefix):
            found.append((target, output_path("/" + path[len(prefix):])))
    return tuple(dict.fromkeys(found))
