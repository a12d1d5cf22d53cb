"""Cross-item checks: one URL per source, and every site link in the output leads somewhere."""

from __future__ import annotations

import html
import operator
import re
from typing import Callable
from urllib.parse import unquote, urlsplit

from ..core.errors import Location, Problems
from ..source.markdown import locate
from ..core.model import Output, Site, SourcePage
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


def check_internal_links(site: Site, outputs: list[Output], sources: list[SourcePage], problems: Problems,
                         missing_of: Callable | None = None) -> None:
    """Every link and image on our own site points at a file the build writes.

    sources: the pages' markdown, to place an error in the text that made the link.
    missing_of(pages, prefix, written) gives missing_targets(site_links(page.data, prefix), written) of each
    HTML output: the build's keeps the links by the page's bytes, so unchanged pages are not parsed again,
    and the dev server's keeps what an unchanged page misses while the written files are the same."""
    missing_of = missing_of or (lambda pages, prefix, written: [missing_targets(site_links(page.data, prefix),
                                                                                written) for page in pages])
    written = {o.path for o in outputs} | {output_path(a.url) for a in site.assets}
    prefix = base_path(site.base_url)
    pages = [output for output in outputs if output.path.endswith(".html")]
    broken = [(output, missing) for output, missing in zip(pages, missing_of(pages, prefix, written)) if missing]
    if broken:
        published = {page.source for page in site.pages}
        texts = {s.source: s for s in sources if s.source in published}
        for output, missing in broken:
            _report_broken(output, missing, texts.get(output.source), prefix, problems)


def missing_targets(links: tuple[tuple[str, str], ...], written: set[str]) -> frozenset[str]:
    """The output files that site_links' links need and written lacks (a link to a folder without its slash
    finds the folder's index.html). Most links lead to a file as they are (the menu, the stylesheet): found
    by set difference, in C; at 10,000 pages a loop over every link of every page took 0.05 s a rebuild."""
    missing = set(map(_WANTED, links)) - written
    return frozenset(wanted for wanted in missing if wanted + "/index.html" not in written) if missing else _NONE


_NONE: frozenset[str] = frozenset()


def _report_broken(output: Output, missing: frozenset[str], source: SourcePage | None, prefix: str,
                   problems: Problems) -> None:
    """An error for each link of output that leads to a missing file: at its place in the page's markdown
    (source) when the text has it, else at the page (a template's link)."""
    for target, wanted in site_links(output.data, prefix):
        if wanted not in missing:
            continue
        needle = "/" + unquote(urlsplit(target).path)[len(prefix):]
        if source is not None and needle in str(source.body):
            line, column = locate(str(source.body), needle, source.body_line)
            problems.error(Location(source.source, line, column),
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
