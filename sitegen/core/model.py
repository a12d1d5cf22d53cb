"""The site as data: frozen dataclasses only, no I/O and no behaviour beyond small derived views."""

from __future__ import annotations

import functools
import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol, Union, runtime_checkable

from .errors import Location
from .hashing import bytes_digest
from .sections import DatedSection


@runtime_checkable
class StoredText(Protocol):
    """Text that a build may keep in its cache and read only when used (incremental.store.Blob).

    str() gives the text; templates print it through __html__; bool() and len() answer without reading it.
    A feature never makes one: it receives one wherever a field is typed Text."""

    def __str__(self) -> str: ...
    def __html__(self) -> str: ...
    def __len__(self) -> int: ...


# A text field that may hold a StoredText: call str() before using it as a str (split, find, regex).
Text = Union[str, StoredText]


@dataclass(frozen=True)
class Link:
    """A menu or footer entry: a title and a site path (already resolved) or an external URL."""

    title: str
    url: str
    external: bool = False


@dataclass(frozen=True)
class Contact:
    organisation: str
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Partner:
    name: str
    url: str | None = None
    logo: str | None = None


@dataclass(frozen=True)
class Helpline:
    name: str
    phone: str
    hours: str | None = None
    description: str | None = None
    url: str | None = None
    checked: dt.date | None = None  # when someone last rang or looked the number up
    checked_at: str | None = None  # where the number was checked (a web page or who confirmed it)
    home: bool = False  # also shown in the help block at the top of the home page
    location: Location | None = field(default=None, compare=False)

    @property
    def tel(self) -> str:
        """The number as a tel: URI wants it (digits and a leading +)."""
        return "".join(c for c in self.phone if c.isdigit() or c == "+")


@dataclass(frozen=True)
class FeedSettings:
    entries: int = 20


@dataclass(frozen=True)
class CmsSettings:
    """site.yaml's cms: where the web editor saves (a GitHub repository) and how editors log in."""

    repo: str
    branch: str = "main"
    auth_url: str | None = None  # an external OAuth client for GitHub (Decap's base_url)
    auth_endpoint: str = "auth"


@dataclass(frozen=True)
class SiteConfig:
    """Everything site.yaml says. Menu entries point at content files until the model resolves them."""

    title: str
    tagline: str
    base_url: str
    language: str
    timezone: str
    municipality: str
    contact: Contact
    menu: tuple[tuple[str, str, Location], ...]
    footer_links: tuple[tuple[str, str, Location], ...]
    partners: tuple[Partner, ...]
    helplines: tuple[Helpline, ...]
    feeds: FeedSettings
    source: str = "site.yaml"
    cms: CmsSettings | None = None
    help_page: tuple[str, Location] | None = None  # the content file the header's "Hulp nodig?" opens
    address_form: str = "u"  # how the site speaks to a reader: "u" or "je"
    villages: tuple[str, ...] = ()  # the villages of the municipality, for examples and hints
    theme: "Theme | None" = None
    sections: tuple[DatedSection, ...] = ()  # the site's own dated sections (`sections:`), after SECTIONS


@dataclass(frozen=True)
class Theme:
    """The theme settings of site.yaml: accent colours and a logo (a path under static/)."""

    accent: str | None = None
    accent_dark: str | None = None
    logo: str | None = None
    logo_alt: str | None = None
    logo_size: tuple[int, int] | None = None  # width, height, read from the file (no layout shift)
    where: dict = field(default_factory=dict, compare=False)  # key -> Location in site.yaml


@dataclass(frozen=True)
class SourcePage:
    """A markdown file as read from content/: front matter values and the raw body."""

    source: str  # path relative to the site root, e.g. content/over/oorzaken.md
    rel: str  # path relative to content/, e.g. over/oorzaken.md
    meta: dict
    where: dict[str, Location]  # front matter key -> Location
    body: Text  # from the cache, a StoredText
    body_line: int  # line number of the body's first line in the file
    location: Location
    digest: str = ""  # hash of the file's name and text (all the above follows from them); "" if unknown
    placeholders: tuple = ()  # (line, column, what) of each [INVULLEN: ...] left in the file
    # The schema_key of the dated section whose folder holds the file (core/sections.py), "" for none:
    # how its front matter was checked, so a page kept in the cache under another table is read again.
    dated: str = ""

    def at(self, key: str) -> Location:
        return self.where.get(key, self.location)


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str


@dataclass(frozen=True)
class Page:
    """A page ready to render: resolved URL, sanitised HTML body, and its front matter."""

    source: str
    rel: str
    url: str
    title: str
    description: str
    body_html: Text
    kind: str  # home, section, page, or a dated section's kind (core/sections.py: news, newsletter)
    section: str  # first folder under content/, "" for top-level pages
    date: dt.date | None = None
    time: dt.time | None = None  # a news item's or newsletter's time of day, when its date gives one
    updated: dt.date | None = None
    draft: bool = False
    order: int | None = None
    template: str | None = None
    tags: tuple[str, ...] = ()
    image: str | None = None  # site URL of the image
    image_alt: str | None = None
    image_size: tuple[int, int] | None = None  # width, height
    aliases: tuple[str, ...] = ()
    headings: tuple[Heading, ...] = ()
    edition: int | None = None
    summary: str | None = None
    pdf: str | None = None  # site URL of the attached PDF
    text: Text = ""  # the body's visible text (for search), from the conversion
    notice: str | None = None  # preview only: why the public site does not show this page yet

    @property
    def is_index(self) -> bool:
        return self.rel == "index.md" or self.rel.endswith("/index.md")


@dataclass(frozen=True)
class Asset:
    """A file copied as it is: from static/ or from beside the content."""

    source_path: str  # absolute path on disk
    url: str


@dataclass(frozen=True)
class FeedLink:
    """A feed the site offers, for autodiscovery links and the /volgen/ page."""

    title: str
    url: str  # site URL, e.g. /feeds/nieuws.xml
    mime: str  # application/rss+xml or application/atom+xml
    section: str = ""  # "" for the whole site, else the section whose pages advertise it


@dataclass(frozen=True)
class SearchTerms:
    """content/zoekwoorden.yaml: lines of words that find each other's pages, and the (at most three) pages
    a search that finds nothing suggests, as the editor wrote them (hulp.md or /agenda/)."""

    related: tuple[tuple[str, ...], ...] = ()
    popular: tuple[str, ...] = ()
    source: str = "content/zoekwoorden.yaml"
    popular_at: Location | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Site:
    """The whole modelled site, handed to the renderers."""

    config: SiteConfig
    base_url: str  # absolute, ends with a slash
    now: dt.datetime
    pages: tuple[Page, ...]
    assets: tuple[Asset, ...]
    menu: tuple[Link, ...]
    footer_links: tuple[Link, ...]
    stylesheet: str  # site URL of the content-hashed stylesheet
    static_urls: tuple[tuple[str, str], ...] = ()  # (path under static/, site URL): hashed names for templates
    events: tuple = ()  # agenda events (see agenda.py), set by the pipeline after loading
    feeds: tuple[FeedLink, ...] = ()
    # Every date of every activity in the window, in time order (agenda/occurrences.py expand()): worked
    # out once by the pipeline when the events are modelled; None on a site made without it.
    occurrences: tuple | None = None
    search_terms: SearchTerms = SearchTerms()  # content/zoekwoorden.yaml, set by the pipeline

    def page_by_url(self, url: str) -> Page | None:
        return self._pages_by_url.get(url)

    def derive(self, function):  # a value of the whole site: incremental/reads.py records it as one read
        return function(self)

    @functools.cached_property
    def _pages_by_url(self) -> dict[str, Page]:
        found: dict[str, Page] = {}
        for page in self.pages:
            found.setdefault(page.url, page)
        return found

    def section_pages(self, section: str) -> list[Page]:
        """The pages of a section, without its index, ordered by order, then date (newest first), then title."""
        known = self._sections
        found = known.get(section)
        if found is None:  # from the third section asked on, all at once: a site may have many sections
            for name, pages in _grouped(self.pages, section if len(known) < 2 else None).items():
                known.setdefault(name, pages)
            found = known.setdefault(section, ())
        return list(found)

    @functools.cached_property
    def _sections(self) -> dict[str, tuple[Page, ...]]:
        """section -> its pages in order, worked out when first asked: the dev server's rebuild after a save
        asks for the saved page's section alone (incremental/reads.py), and grouping and sorting the pages
        of every section took 0.015-0.02 s of it at 10,000 pages."""
        return {}


def _grouped(pages: tuple[Page, ...], section: str | None = None) -> dict[str, tuple[Page, ...]]:
    """The pages of each section (of that one section) in listing order, without its index."""
    found: dict[str, list[Page]] = {}
    for page in pages:
        if (section is None or page.section == section) and not page.is_index and page.rel.count("/") == 1:
            found.setdefault(page.section, []).append(page)
    return {name: tuple(sorted(group, key=_listing_key)) for name, group in found.items()}


def _listing_key(page: Page):
    order = page.order if page.order is not None else 10_000
    date_key = -(page.date.toordinal()) if page.date else 0
    time_key = -(page.time.hour * 60 + page.time.minute) if page.time else 0
    return (order, date_key, time_key, page.title.lower())


@dataclass(frozen=True)
class Output:
    """One file to write: its path inside output/ and its bytes."""

    path: str
    data: bytes
    source: str  # what produced it, to name both sources when two want one path

    @functools.cached_property
    def digest(self) -> str:
        """A hash of the bytes: computed once, kept with a cached output, used to skip unchanged work."""
        return bytes_digest(self.data)


# The agenda's model has a module of its own; its classes are imported from here too.
from .agenda_model import Event, Occurrence, Organiser, Recurrence, Registration, Venue  # noqa: E402,F401
