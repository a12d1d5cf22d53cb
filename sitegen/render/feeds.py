"""RSS 2.0 and Atom 1.0 feeds: the whole site, each dated section (core/sections.py) and the agenda.

Every feed is a list of FeedEntry values made by a small function per section; one function
(`feed_files`) turns any such list into both formats. Feeds are deterministic: every date comes from
the content (date / updated), a date alone becomes local midnight in the site's time zone, and the
build's `now` is used only where the content has no date at all (an empty feed, the agenda).

Every URL inside an entry's content is absolute, parsed with lxml rather than patched with regexes:
feed readers and RSS-to-e-mail services ignore xml:base, so a relative link there leads nowhere.

Text stays text (feed readers render whatever a feed calls HTML). Per element:
- Atom: title, subtitle, summary, author and category are text constructs (no type: text); content is
  type="html". lxml escapes each once, so `<b>` in a title reads as the characters `<b>`.
- RSS has no types, and readers (feedparser among them) treat <description> and, as soon as it holds a
  `<` or `&`, <title> as HTML. So RSS titles and descriptions (the channel's and every item's) are
  HTML-escaped text: `<script>` arrives as the characters, never as an element. content:encoded is HTML.
- Every entry's HTML is only what the pages' allowlist lets through: a body or an activity's description
  is the HTML the sanitiser (`source.markdown.sanitise`) made when it was converted, and what this module
  puts around it (an activity's facts, an image) is built from escaped values. Making its URLs absolute
  (lxml: parsed, URL attributes resolved, serialised) adds no element or attribute and keeps each URL's
  scheme, so the entry is not sanitised a second time (that cost a cold build 0.2 s at 1,000 pages).
- Control characters, which XML 1.0 cannot hold (the build used to stop on them), are left out.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from markupsafe import escape

from ..core import dates
from ..agenda.occurrences import full_when, upcoming_occurrences, where_short
from ..core.model import FeedLink, Output, Page, Site
from ..core.sections import DatedSection, all_sections
from .pages import posts_of
from ..core.urls import AGENDA_URL, FEED_FORMATS, absolute, event_url, feed_url, href, tag_index_url

AGENDA_SECTION = "agenda"  # the section of the agenda's pages (agenda.py)
SITE_FEED = "alles"
GENERATOR = "sitegen (Eén tegen eenzaamheid)"
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed, whatever it came from: a news post, a newsletter, an activity."""

    id: str  # a stable absolute URL: the permalink, which does not change with the title
    title: str
    link: str  # absolute URL of the HTML page
    published: dt.datetime  # time-zone aware
    updated: dt.datetime  # time-zone aware, never before published
    summary: str  # plain text
    content_html: str  # HTML with absolute URLs only
    author: str
    categories: tuple[tuple[str, str], ...] = ()  # (scheme, tag): the absolute URL of the subject list, the tag


@dataclass(frozen=True)
class Feed:
    """One feed, before it is written as Atom and as RSS."""

    name: str  # the file name: alles, agenda, a dated section's feed (nieuws, nieuwsbrieven)
    title: str
    subtitle: str
    section: str  # "" for the whole site; else the section whose pages advertise it
    home: str  # site URL of the HTML page the feed follows
    entries: tuple[FeedEntry, ...]


def feed_links(site: Site) -> tuple[FeedLink, ...]:
    """The feeds this site offers (known before rendering, so every page can advertise them)."""
    links = []
    for feed in site_feeds(site, entries=False):
        for kind, mime in FEED_FORMATS.items():
            label = "Atom" if kind == "atom" else "RSS"
            links.append(FeedLink(f"{feed.title} ({label})", feed_url(feed.name, kind), mime, feed.section))
    return tuple(links)


def render_feeds(site: Site) -> list[Output]:
    """Every feed in both formats."""
    outputs: list[Output] = []
    for feed in site_feeds(site):
        outputs += feed_files(site, feed)
    return outputs


def site_feeds(site: Site, entries: bool = True) -> list[Feed]:
    """The section feeds that have something to follow, and the whole-site feed when any of them does.

    entries=False leaves every feed empty: enough to know which feeds exist, at no cost."""
    limit = site.config.feeds.entries
    title = site.config.title
    feeds, everything = [], []
    for section in all_sections(site.config):
        if any(p.section == section.folder for p in site.pages):
            posts = section_entries(site, section) if entries else []
            everything += posts
            feeds.append(Feed(section.feed, f"{title}: {section.feed_title}",
                              section.feed_subtitle.replace("{site}", title), section.folder, section.url,
                              newest(posts, limit)))
    if site.events:
        agenda = agenda_entries(site) if entries else []
        everything += agenda
        feeds.append(Feed("agenda", f"{title}: agenda", f"Nieuwe en komende activiteiten van {title}",
                          AGENDA_SECTION, AGENDA_URL, newest(agenda, limit)))
    if feeds:
        feeds.insert(0, Feed(SITE_FEED, title, site.config.tagline, "", "/", newest(everything, limit)))
    return feeds


def newest(entries: list[FeedEntry], limit: int) -> tuple[FeedEntry, ...]:
    """Newest first (by publication, then last change, then id, so ties never depend on input order)."""
    ordered = sorted(entries, key=lambda e: (e.published, e.updated, e.id), reverse=True)
    return tuple(ordered[:max(limit, 0)])


# -- entries per section ---------------------------------------------------------------------------

def section_entries(site: Site, section: DatedSection) -> list[FeedEntry]:
    """The dated posts of a section (its index and undated pages are not entries), as listed."""
    return [page_entry(site, p, section) for p in posts_of(site, section)]


def agenda_entries(site: Site) -> list[FeedEntry]:
    """Upcoming activities, one entry per activity (a weekly one is one entry, with its next date).

    An activity has no publication date of its own, so an entry is dated at local midnight of its
    first date, or of the build's day when that first date is still to come (a feed entry cannot be
    published in the future); an `added` date on the activity, when the agenda gains one, wins."""
    zone = ZoneInfo(site.config.timezone)
    today = dates.start_of_day(site.now.astimezone(zone).date(), zone)
    next_dates: dict[str, object] = {}
    for occurrence in upcoming_occurrences(site):
        next_dates.setdefault(occurrence.event.id, occurrence)
    entries = []
    for occurrence in next_dates.values():
        event = occurrence.event
        link = absolute(site.base_url, event_url(event.id))
        first_day = event.start.astimezone(zone).date() if isinstance(event.start, dt.datetime) else event.start
        added = getattr(event, "added", None)
        published = dates.start_of_day(added, zone) if added else min(dates.start_of_day(first_day, zone), today)
        when = full_when(occurrence)
        if event.recurrence:
            when = f"{event.recurrence.text}; de eerstvolgende keer: {when}"
        where = where_short(event)
        status = {"afgelast": "Afgelast: ", "verplaatst": "Verplaatst: "}.get(event.status, "")
        facts = [f"<p><strong>Wanneer:</strong> {escape(when)}</p>"]
        if where:
            facts.append(f"<p><strong>Waar:</strong> {escape(where)}</p>")
        if status:
            facts.append(f"<p><strong>{escape(status.rstrip(': '))}.</strong> {escape(event.status_note or '')}</p>")
        if event.cost:
            facts.append(f"<p><strong>Kosten:</strong> {escape(event.cost)}</p>")
        body = "\n".join(facts) + "\n" + str(event.description_html)
        if event.image:
            body = (f'<p><img src="{escape(href(site.base_url, event.image))}" '
                    f'alt="{escape(event.image_alt or "")}"></p>\n') + body
        entries.append(FeedEntry(
            id=link,
            title=status + event.title,
            link=link,
            published=published,
            updated=published,
            summary=" ".join(p for p in (when + ".", where and f"{where}.") if p),
            content_html=entry_html(body, link),
            author=event.organiser.name if event.organiser else site.config.contact.organisation,
            categories=tuple((absolute(site.base_url, AGENDA_URL), tag) for tag in event.audience),
        ))
    return entries


def page_entry(site: Site, page: Page, section: DatedSection) -> FeedEntry:
    """A post of a dated section (a news post, a newsletter) as a feed entry."""
    zone = ZoneInfo(site.config.timezone)
    link = absolute(site.base_url, page.url)
    published = dt.datetime.combine(page.date, page.time or dt.time(0), tzinfo=zone)
    updated = dates.start_of_day(page.updated, zone) if page.updated else published
    parts = []
    if page.image:
        parts.append(f'<p><img src="{escape(href(site.base_url, page.image))}" '
                     f'alt="{escape(page.image_alt or "")}"></p>')
    parts.append(str(page.body_html))
    if page.pdf:
        parts.append(f'<p><a href="{escape(href(site.base_url, page.pdf))}">Lees de oorspronkelijke '
                     f'{escape(section.singular)} (PDF)</a></p>')
    return FeedEntry(
        id=link,
        title=page.title,
        link=link,
        published=published,
        updated=max(updated, published),
        summary=page.summary or page.description,
        content_html=entry_html("\n".join(parts), link),
        author=site.config.contact.organisation,
        categories=tuple((absolute(site.base_url, tag_index_url(page.section)), tag) for tag in page.tags),
    )


def entry_html(html: str, page_url: str) -> str:
    """An entry's HTML (sanitised when converted, see the module's docstring) with its URLs absolute and
    without the control characters that XML cannot hold."""
    return absolutize(text(html), page_url)


def absolutize(html: str, page_url: str) -> str:
    """The fragment with every link, image and srcset URL made absolute, resolved from the page's URL.

    The fragment's site links already carry the base path (they are written for our own pages)."""
    import lxml.html  # here, not at the top: a rebuild that reuses the feeds never loads it

    if not html.strip():
        return ""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for element, attribute, _, _ in list(root.iterlinks()):
        if attribute is None:
            continue  # a url() inside a style: content has none (the sanitiser removes style)
        value = element.get(attribute) or ""
        if attribute == "srcset":
            candidates = [c.strip().partition(" ") for c in value.split(",") if c.strip()]
            element.set(attribute, ", ".join((urljoin(page_url, url) + " " + size.strip()).strip()
                                             for url, _, size in candidates))
        else:
            element.set(attribute, urljoin(page_url, value.strip()))
    return str(escape(root.text or "")) + "".join(lxml.html.tostring(child, encoding="unicode")
                                                   for child in root)


# -- writing ---------------------------------------------------------------------------------------

def feed_files(site: Site, feed: Feed) -> list[Output]:
    """The feed as Atom (/feeds/<name>.atom) and RSS 2.0 (/feeds/<name>.rss)."""
    atom_url, rss_url = feed_url(feed.name, "atom"), feed_url(feed.name, "rss")
    atom = _generator(site, feed, atom_url, text).atom_str(pretty=True)
    rss = _generator(site, feed, rss_url, html_text).rss_str(pretty=True)
    source = f"feed {feed.name}"
    return [Output(atom_url.lstrip("/"), atom, source), Output(rss_url.lstrip("/"), rss, source)]


def text(value: str) -> str:
    """Plain text as XML can hold it (lxml escapes it): an Atom text construct, an attribute, a name."""
    return NOT_XML.sub("", value)


def html_text(value: str) -> str:
    """Plain text for an RSS element that readers render as HTML: HTML-escaped, so it shows as written."""
    return str(escape(text(value)))


def _generator(site: Site, feed: Feed, self_url: str, plain) -> "FeedGenerator":  # noqa: F821
    """The feed in feedgen's terms; `plain` writes a text that readers may take for HTML (title, summary)."""
    from feedgen.feed import FeedGenerator  # here, not at the top: as for lxml above

    home = absolute(site.base_url, feed.home)
    fg = FeedGenerator()
    fg.load_extension("dc", atom=False, rss=True)
    fg.id(absolute(site.base_url, feed_url(feed.name, "atom")))
    fg.title(plain(feed.title))
    fg.subtitle(plain(feed.subtitle))  # also the RSS description, which RSS requires
    fg.link(href=absolute(site.base_url, self_url), rel="self")
    fg.link(href=home, rel="alternate")  # the last link set is RSS's channel link
    fg.language(site.config.language)
    fg.author({"name": text(site.config.contact.organisation)})
    fg.generator(GENERATOR)
    fg.updated(max((e.updated for e in feed.entries), default=site.now))
    for entry in feed.entries:
        fe = fg.add_entry(order="append")
        fe.id(entry.id)
        fe.guid(entry.id, permalink=True)
        fe.title(plain(entry.title))
        fe.link(href=entry.link, rel="alternate")
        fe.published(entry.published)
        fe.updated(entry.updated)
        fe.author({"name": text(entry.author)})
        fe.dc.dc_creator(text(entry.author))
        fe.summary(plain(entry.summary))
        fe.content(entry.content_html, type="html")
        for scheme, tag in entry.categories:
            fe.category(term=text(tag), label=text(tag), scheme=scheme)
    return fg
