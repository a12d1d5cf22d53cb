"""Search: the /zoeken/ page with its A-to-Z list of pages, and the Pagefind index run over the staged output."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .errors import ContentError, Location, Problem
from .model import Link, Output, Site
from .urls import absolute, event_url, output_path

SEARCH_URL = "/zoeken/"
INDEX_FOLDER = "pagefind"  # inside output/; search.js loads pagefind.js from here
TIMEOUT_SECONDS = 120
# Pagefind's ready-made interfaces; /zoeken/ uses static/js/search.js with pagefind.js instead, so these go.
UNUSED_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


def sort_key(title: str) -> tuple[str, str]:
    """Alphabetical as a Dutch reader expects: 'Eén' with the E's, case and accents ignored."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    return plain.casefold().lstrip("'\"‘“¿¡ "), title


def initial(title: str) -> str:
    """The letter a title is listed under; '#' for titles that start with a digit or sign."""
    letter = sort_key(title)[0][:1].upper()
    return letter if letter.isalpha() else "#"


@dataclass(frozen=True)
class Entry:
    """One line of the A-to-Z list: a title, its site URL, and what kind of page it is ('' for plain pages)."""

    title: str
    url: str
    kind: str = ""


KIND_LABELS = {"news": "nieuws", "newsletter": "nieuwsbrief"}


def all_pages(site: Site) -> list[Entry]:
    """Every content page and activity, plus listing pages from the menu and footer (agenda, news)."""
    entries = {page.url: Entry(page.title, page.url, KIND_LABELS.get(page.kind, "")) for page in site.pages}
    for event in site.events:
        entries.setdefault(event_url(event.id), Entry(event.title, event_url(event.id), "activiteit"))
    for item in (*site.menu, *site.footer_links):
        if not item.external and item.url not in entries and item.url != SEARCH_URL:
            entries[item.url] = Entry(item.title, item.url)
    return sorted(entries.values(), key=lambda entry: (*sort_key(entry.title), entry.url))


def render_search(env: jinja2.Environment, site: Site) -> Output:
    """The search page: a form that needs JavaScript, and below it every page from A to Z, which does not."""
    groups: dict[str, list[Entry]] = {}
    for entry in all_pages(site):
        groups.setdefault(initial(entry.title), []).append(entry)
    html = env.get_template("search.html").render(
        page=None,
        groups=groups,
        index_url=INDEX_FOLDER,
        breadcrumbs=[Link("Home", "/"), Link("Zoeken", SEARCH_URL)],
        canonical=absolute(site.base_url, SEARCH_URL),
        search_page=True,
    )
    return Output(output_path(SEARCH_URL), html.encode("utf-8"), "templates/search.html")


def pagefind_command() -> list[str]:
    """Run the pagefind binary from the pagefind-bin package of the Python that runs the build."""
    return [sys.executable, "-m", "pagefind_bin"]


def index_site(folder: Path, language: str) -> None:
    """Write the Pagefind index into folder/pagefind/; raise ContentError when Pagefind fails.

    Called on the staging folder before it replaces output/, so a failed index never replaces a good site."""
    command = [*pagefind_command(), "--site", str(folder), "--output-subdir", INDEX_FOLDER,
               "--force-language", language, "--silent"]
    try:
        # Run inside the folder so no pagefind.yml from wherever the editor stands changes the index.
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, cwd=folder)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ContentError([Problem(Location(INDEX_FOLDER), f"de zoekindex kon niet gemaakt worden ({exc}). "
                                    "Installeer de pakketten opnieuw met 'make site'; output/ is niet veranderd.")])
    if result.returncode != 0 or not (folder / INDEX_FOLDER / "pagefind.js").is_file():
        detail = (result.stderr or result.stdout).strip().splitlines()
        why = detail[-1] if detail else f"afsluitcode {result.returncode}"
        raise ContentError([Problem(Location(INDEX_FOLDER), f"Pagefind kon de zoekindex niet maken: {why}. "
                                    "Installeer de pakketten opnieuw met 'make site'; output/ is niet veranderd.")])
    for name in UNUSED_FILES:
        (folder / INDEX_FOLDER / name).unlink(missing_ok=True)
