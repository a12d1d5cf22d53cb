"""Search: the /zoeken/ page with its A-to-Z list of pages, and what the search index is made of.

Every page, activity and menu listing page becomes a document: its URL, title, kind, a record of what a
result shows (for an activity also the next date, the village, and "Afgelast" or "Verplaatst") and its
plain text. Each document becomes an index entry (pure, so the build memoises it per document across
builds), and the entries are joined into the files of zoekindex/ that static/js/search.js fetches only as
needed (sitegen/render/search_index.py describes them, sitegen/render/search_words.py the words). Every file is JSON
with sorted keys and no whitespace: the same site gives the same bytes.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Callable

import jinja2

from ..agenda.occurrences import all_occurrences, ends_at, full_when
from ..agenda.render import has_agenda
from ..source.markdown import plain_text
from ..core.errors import Location, Problems
from ..core.model import Event, Link, Occurrence, Output, Page, Site
from ..core.sections import all_sections
from .search_index import FOLDER as INDEX_FOLDER
from .search_index import make_entry
from .search_state import SearchIndex
from ..core.urls import AGENDA_URL, absolute, event_url, output_path

SEARCH_URL = "/zoeken/"
HELP_URL = "/hulp/"  # the page about where to find help, suggested when a search finds nothing
STATUS_LABELS = {"afgelast": "Afgelast", "verplaatst": "Verplaatst"}
INDEX_CARRY = "search index"  # the name render_search_index carries the index under (incremental/search_keep.py)


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


def kind_labels(site: Site) -> dict[tuple[str, str], str]:
    """What the list says after a dated section's post, by (section, kind): (nieuws), (nieuwsbrief)."""
    return {(s.folder, s.kind): s.search_label for s in all_sections(site.config)}


def all_pages(site: Site) -> list[Entry]:
    """Every content page and activity, plus listing pages from the menu and footer (agenda, news)."""
    labels = kind_labels(site)
    entries = {page.url: Entry(page.title, page.url, labels.get((page.section, page.kind), ""))
               for page in site.pages}
    for event in site.events:
        entries.setdefault(event_url(event.id), Entry(event.title, event_url(event.id), "activiteit"))
    for item in (*site.menu, *site.footer_links):
        if not item.external and item.url not in entries and item.url != SEARCH_URL:
            entries[item.url] = Entry(item.title, item.url)
    return sorted(entries.values(), key=lambda entry: (*sort_key(entry.title), entry.url))


def popular_pages(site: Site) -> list[Link | None]:
    """The pages content/zoekwoorden.yaml names under 'popular' (hulp.md or /agenda/), each as a link,
    None for one that is not on the site."""
    found: list[Link | None] = []
    for wanted in site.search_terms.popular:
        page = next((p for p in site.pages if p.rel == wanted.lstrip("/")), None) if wanted.endswith(".md") \
            else site.page_by_url("/" + wanted.strip("/") + "/" if wanted.strip("/") else "/")
        listing = next((item for item in (*site.menu, *site.footer_links)
                        if not item.external and item.url.strip("/") == wanted.strip("/")), None)
        if page is not None:
            found.append(Link(page.title, page.url))
        elif listing is not None and (listing.url != AGENDA_URL or has_agenda(site)):
            found.append(Link(listing.title, listing.url))
        else:
            found.append(None)
    return found


def check_search_terms(site: Site, problems: Problems) -> None:
    """Every popular page of content/zoekwoorden.yaml must be on the site."""
    for wanted, link in zip(site.search_terms.popular, popular_pages(site)):
        if link is None:
            problems.error(site.search_terms.popular_at or Location(site.search_terms.source),
                           f"bij popular staat '{wanted}', maar die pagina is er niet. Schrijf de naam van een "
                           "bestand in content/, zoals hulp.md, of een adres op de site, zoals /agenda/.")


def suggestions(site: Site) -> list[Link]:
    """Where to look when a search finds nothing: the popular pages of content/zoekwoorden.yaml, or else
    the agenda and the help page, when the site has them."""
    chosen = [link for link in popular_pages(site) if link is not None]
    if chosen:
        return chosen
    found = []
    if has_agenda(site):
        found.append(Link("Bekijk de agenda met alle activiteiten", AGENDA_URL))
    help_page = next((page for page in site.pages if page.url == HELP_URL), None)
    if help_page is not None:
        found.append(Link(f"Lees de pagina: {help_page.title}", HELP_URL))
    return found


def render_search(env: jinja2.Environment, site: Site) -> Output:
    """The search page: a form that needs JavaScript, and below it every page from A to Z, which does not."""
    groups: dict[str, list[Entry]] = {}
    for entry in all_pages(site):
        groups.setdefault(initial(entry.title), []).append(entry)
    html = env.get_template("search.html").render(
        page=None,
        groups=groups,
        suggestions=suggestions(site),
        index_url=INDEX_FOLDER,
        breadcrumbs=[Link("Home", "/"), Link("Zoeken", SEARCH_URL)],
        canonical=absolute(site.base_url, SEARCH_URL),
        search_page=True,
    )
    return Output(output_path(SEARCH_URL), html.encode("utf-8"), "templates/search.html")


def _join(*parts: str | None) -> str:
    return " ".join(part for part in parts if part)


def _sentence(label: str, text: str | None) -> str:
    """'Vervoer: Wij halen u op.' from a field of an activity; '' for an empty field."""
    if not text:
        return ""
    text = text.strip()
    return f"{label}: {text}" + ("" if text[-1:] in ".!?" else ".")


def _activity_text(event: Event) -> str:
    """What an activity says besides its description, as sentences a result can show."""
    venue = event.venue
    where = venue.one_line if venue else ("online" if event.online else "")
    return _join(
        _sentence(STATUS_LABELS.get(event.status, ""), event.status_note) if event.status in STATUS_LABELS else "",
        _sentence("Wanneer", event.recurrence.text if event.recurrence else None),
        _sentence("Waar", where),
        _sentence("Toegankelijkheid", ", ".join(event.accessibility)),
        _sentence("Vervoer", event.transport),
        _sentence("Voor wie", ", ".join(event.audience)),
        _sentence("Kosten", event.cost),
        _sentence("Organisatie", event.organiser.name if event.organiser else None))


def _next_dates(occurrences: tuple[Occurrence, ...], now) -> dict[str, str]:
    """Per activity id: its next date and time ('dinsdag 1 december 2026, 10:00 tot 11:30 uur'), or the
    last one it had ('was op ...') when it is over; occurrences in time order (all_occurrences)."""
    past: dict[str, Occurrence] = {}
    upcoming: dict[str, Occurrence] = {}
    for occurrence in occurrences:  # in time order
        if ends_at(occurrence) > now:
            upcoming.setdefault(occurrence.event.id, occurrence)
        else:
            past[occurrence.event.id] = occurrence
    # Worded once per activity, not once per date: every build does this for every date of the agenda.
    return ({key: "was op " + full_when(occurrence) for key, occurrence in past.items()}
            | {key: full_when(occurrence) for key, occurrence in upcoming.items()})


def _sources(site: Site, carry: Callable) -> list[tuple[str, str, tuple, tuple]]:
    """(url, title, record, what its text is made of) of everything the A-to-Z list shows, sorted by URL.

    The record is what a result shows: (url, title, kind) and for an activity (when, village, status).
    What the text is made of: (a description, an HTML body, the body as plain text, more plain text),
    any of them "". A page's text is a stored reference (store.Blob) that pickles as its content hash:
    then the memo key of a document is cheap, and only a document that changed is read.
    carry: as render_search_index's (the activities' part is kept while they, their dates and now are)."""
    made = carry("search pages", page_sources, site.pages, kind_labels(site))[1]
    sources: dict[str, tuple[str, str, tuple, tuple]] = {url: source for url, (_, source) in made.items()}
    for source in carry("search activities", activity_sources, site.events, all_occurrences(site), site.now)[3]:
        sources.setdefault(source[0], source)  # a page of the same address wins
    for item in (*site.menu, *site.footer_links):
        if not item.external and item.url not in sources and item.url != SEARCH_URL:
            sources[item.url] = (item.url, item.title, (item.url, item.title, ""), ("", "", "", ""))
    return [sources[url] for url in sorted(sources)]


def page_sources(previous: tuple | None, pages: tuple[Page, ...], labels: dict) -> tuple:
    """(labels, {url: (page, its search source)}): a page's source of previous when it was made from the very
    same page with the same labels (the dev server: the same source is the same key for map_pure, found
    without hashing it again). The last page of a URL counts, as in a site without the cache."""
    before = previous[1] if previous is not None and previous[0] == labels else {}
    made: dict[str, tuple] = {}
    for page in pages:
        kept = before.get(page.url)
        if kept is None or kept[0] is not page:
            kept = (page, (page.url, page.title, (page.url, page.title, labels.get((page.section, page.kind), "")),
                           (page.description, "", page.text, "")))
        made[page.url] = kept
    return labels, made


def activity_sources(previous: tuple | None, events: tuple[Event, ...], occurrences: tuple[Occurrence, ...],
                     now) -> tuple:
    """(events, occurrences, now, the search sources of the activities): previous when it was made from
    these very activities and dates at the same moment (the dev server's page edit: 5,000 activities
    worded again took a sixth of a rebuild at 10,000 pages). Frozen values: the same object, the same text."""
    if previous is not None and previous[0] is events and previous[1] is occurrences and previous[2] == now:
        return previous
    dates = _next_dates(occurrences, now) if events else {}
    made = []
    for event in events:
        url = event_url(event.id)
        village = event.venue.place if event.venue and event.venue.place else ("online" if event.online else "")
        record = (url, event.title, "activiteit", dates.get(event.id, ""), village or "",
                  STATUS_LABELS.get(event.status, ""))
        made.append((url, event.title, record, ("" if event.description_html else event.description,
                                                event.description_html, "", _activity_text(event))))
    return events, occurrences, now, tuple(made)


def _text(parts: tuple) -> str:
    """The plain text of a document: its description (unless the body has it already), body and the rest."""
    description, html, text, more = parts
    body = str(text) if text else plain_text(str(html)) if html else ""
    if description and description in body:  # often the first paragraph: the description's fallback
        description = ""
    return _join(description, body, more)


def render_search_index(site: Site, map_pure: Callable | None = None, carry: Callable | None = None) -> list[Output]:
    """The files of zoekindex/ (sitegen/render/search_index.py describes them).

    map_pure(function, arguments) gives [function(*args) for args in arguments]: the build's may reuse
    what it gave for equal arguments (function is pure), so an unchanged page costs a lookup.
    carry(name, function, *args) gives function(previous, *args), previous being what it gave under name
    in the build before (None if none): the build's keeps the index between builds, so that an edit
    writes again only the files it changes (sitegen/render/search_state.py)."""
    map_pure = map_pure or (lambda function, arguments: [function(*args) for args in arguments])
    carry = carry or (lambda name, function, *args: function(None, *args))
    entries = map_pure(document_entry, [tuple(source) for source in _sources(site, carry)])
    index = carry(INDEX_CARRY, SearchIndex.renew, entries, site.config.language, site.search_terms.related)
    return index.outputs()


def document_entry(url: str, title: str, record: tuple, parts: tuple):
    """The search index's entry of one document (a pure function of its arguments)."""
    return make_entry((*sort_key(title), url), record, title, _text(parts))
