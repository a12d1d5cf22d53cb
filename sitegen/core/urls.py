"""The one place for URL rules: content path -> site URL -> output file, and absolute URLs."""

from __future__ import annotations

import posixpath
import re
import unicodedata
from urllib.parse import urljoin, urlsplit


def slugify(text: str) -> str:
    """A URL-safe lowercase slug: 'Eén tegen eenzaamheid!' -> 'een-tegen-eenzaamheid'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "pagina"


def page_url(rel: str, slug: str | None = None) -> str:
    """The clean URL of a markdown file under content/: over/oorzaken.md -> /over/oorzaken/."""
    parts = rel[:-3].split("/") if rel.endswith(".md") else rel.split("/")
    if parts[-1] == "index":
        parts = parts[:-1]
        if slug and parts:
            parts[-1] = slug
    elif slug:
        parts[-1] = slug
    return "/" + "".join(p + "/" for p in parts)


def asset_url(rel: str) -> str:
    """The URL of a file copied from content/ or static/: kept at the same relative path."""
    return "/" + rel


def output_path(url: str) -> str:
    """Where a site URL is written inside output/: /over/ -> over/index.html."""
    path = url.lstrip("/")
    if not path or path.endswith("/"):
        return path + "index.html"
    return path


def resolve_relative(from_rel: str, target: str) -> str:
    """A relative link in content/<from_rel>, as a path relative to content/ (may start with ../)."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(from_rel), target))


def base_path(base_url: str) -> str:
    """The path part of the base URL, always ending with a slash: '/' or '/coalitie/'."""
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


def href(base_url: str, url: str) -> str:
    """A link to a site URL as written in our pages: root-relative, under the base path."""
    if is_external(url) or url.startswith("#"):
        return url
    return base_path(base_url) + url.lstrip("/")


def absolute(base_url: str, url: str) -> str:
    """The absolute URL of a site URL, for feeds, sitemaps, canonical links and calendars."""
    if is_external(url):
        return url
    return urljoin(base_url, url.lstrip("/"))


def is_external(url: str) -> bool:
    """True for links that leave the site (a scheme or a protocol-relative //host)."""
    return bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", url)) or url.startswith("//")


def normalise_base_url(base_url: str) -> str:
    return base_url if base_url.endswith("/") else base_url + "/"


# --- what an editor may write as an address (issue 24: every URL stays on the site) ---------------------
# One rule each for a slug, a path on the site (aliases, menu links) and a menu link to another site, so that
# no written address can make a link that leaves the site: `//host` and `\\host` are another host to a
# browser, `javascript:` runs code, `..` climbs out of output/.

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_PATH_RE = re.compile(r"/(?:[A-Za-z0-9._~!$&'()*+,;=:@%-]+/?)*")  # RFC 3986 path characters only
# %2F, %5C and %2E are /, \\ and . in disguise; a % must start an escape; %00-%1F are control characters.
_BAD_ESCAPE_RE = re.compile(r"%(?![0-9A-Fa-f]{2})|%(?:2[FfEe]|5[Cc]|[01][0-9A-Fa-f]|7[Ff])")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
_EXTERNAL_RE = re.compile(r"https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?::\d{1,5})?(?:[/?#][^\s\\]*)?")


def shown(value: str) -> str:
    """A written value quoted in a message, its control characters made visible."""
    return _CONTROL_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", value)


def slug_problem(value: str) -> str | None:
    """Why a slug is refused (None when it is right): one word of small letters, digits and dashes."""
    if SLUG_RE.fullmatch(value):
        return None
    return (f"'{shown(value)}' kan geen slug zijn: een slug is één woord met kleine letters, cijfers en "
            f"streepjes, zoals `mijn-pagina`, zonder / of andere tekens. Schrijf bijvoorbeeld: slug: {slugify(value)}")


def site_path_problem(value: str) -> str | None:
    """Why a path on this site is refused (None when it is right): it starts with one /, has no //, no scheme,
    no . or .. part, no backslash, no spaces or control characters, and only the characters of a URL path."""
    segments = value.split("/")[1:]
    if (_PATH_RE.fullmatch(value) and "//" not in value and not _BAD_ESCAPE_RE.search(value)
            and not any(part in (".", "..") for part in segments)):
        return None
    return (f"'{shown(value)}' is geen adres op deze site. Schrijf een pad dat met één / begint, zoals "
            "/oude-pagina/: zonder //, \\, .. of spaties, en zonder http:// of https:// ervoor.")


def menu_target_problem(value: str) -> str | None:
    """Why a menu link's url is refused (None when it is right): a path on this site, or a full https://
    address of another site."""
    if value.startswith("/"):
        return site_path_problem(value)
    if _EXTERNAL_RE.fullmatch(value):
        return None
    return (f"'{shown(value)}' kan hier niet. Schrijf een adres op deze site als pad, zoals /agenda/, of een "
            "andere website voluit met https://, zoals https://www.voorbeeld.nl/ (voor een pagina uit "
            "content/ gebruik je 'page').")


# --- the agenda -------------------------------------------------------------------------

AGENDA_URL = "/agenda/"
AGENDA_ARCHIVE_URL = "/agenda/archief/"
AGENDA_CALENDAR_URL = "/agenda.ics"


def event_url(event_id: str) -> str:
    """/agenda/koffieochtend-beilen/"""
    return f"{AGENDA_URL}{event_id}/"


def event_calendar_url(event_id: str) -> str:
    """/agenda/koffieochtend-beilen.ics: the 'In mijn agenda' download."""
    return f"{AGENDA_URL}{event_id}.ics"


def agenda_place_url(place: str) -> str:
    """/agenda/in/beilen/: the activities in one village."""
    return f"{AGENDA_URL}in/{slugify(place)}/"


def agenda_audience_url(tag: str) -> str:
    """/agenda/voor/ouderen/: the activities for one group."""
    return f"{AGENDA_URL}voor/{slugify(tag)}/"


def agenda_month_url(year: int, month: int) -> str:
    """/agenda/maand/2027-01/: one month further ahead than the agenda's first four weeks."""
    return f"{AGENDA_URL}maand/{year}-{month:02d}/"


AGENDA_PRINT_URL = "/agenda/afdrukken/"


def agenda_print_url(place: str | None = None) -> str:
    """/agenda/afdrukken/ (the whole municipality) or /agenda/afdrukken/beilen/: the coming month on paper."""
    return AGENDA_PRINT_URL + (f"{slugify(place)}/" if place else "")


def webcal(absolute_url: str) -> str:
    """The subscribe link calendar apps understand: https://... -> webcal://..."""
    return re.sub(r"^https?://", "webcal://", absolute_url)


# Listings and feeds (issue 4). The first page of a listing is the section's own URL.
FEED_FORMATS = {"atom": "application/atom+xml", "rss": "application/rss+xml"}


def listing_url(first: str, number: int) -> str:
    """Page `number` of a paginated listing: /nieuws/ for the first, /nieuws/pagina/2/ after it."""
    return first if number <= 1 else f"{first}pagina/{number}/"


def tag_index_url(section: str) -> str:
    """The overview of a section's subjects: /nieuws/onderwerp/."""
    return f"/{section}/onderwerp/"


def tag_url(section: str, tag: str) -> str:
    """The page of one subject: 'Maand van de ontmoeting' -> /nieuws/onderwerp/maand-van-de-ontmoeting/."""
    return f"{tag_index_url(section)}{slugify(tag)}/"


def feed_url(name: str, kind: str) -> str:
    """A feed file: feed_url('nieuws', 'atom') -> /feeds/nieuws.atom; 'rss' -> /feeds/nieuws.rss."""
    if kind not in FEED_FORMATS:
        raise ValueError(f"unknown feed format {kind!r}")
    return f"/feeds/{name}.{kind}"
