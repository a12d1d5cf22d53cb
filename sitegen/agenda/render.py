"""The agenda: activities modelled, expanded into dates, grouped, and rendered as pages.

Reading and checking the YAML is in agenda_load.py; the calendars are in ical.py; the JSON-LD in jsonld.py.
Everything here is a pure function of the Site (and its `now`), so output is repeatable through --now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from itertools import groupby

from . import views as views
from ..core import dates
from .load import load_events  # noqa: F401 (load_events: the pipeline's)
from .moments import UTC, ZONE
from .recurrence import rule_set, window_end
from ..core.errors import Problems
from .jsonld import event_jsonld
from ..incremental.cache import BuildCache
from ..incremental.engine import LinkContext, convert_bodies
from ..source.markdown import plain_text
from ..core.model import Event, Link, Occurrence, Output, Page, Site
from ..incremental.parallel import fork_map
from ..core.urls import (AGENDA_ARCHIVE_URL, AGENDA_CALENDAR_URL, AGENDA_URL, absolute, agenda_audience_url,
                   agenda_month_url, agenda_place_url, agenda_print_url, event_calendar_url, event_url,
                   output_path, slugify, webcal)

WINDOW_MONTHS = 12  # how far ahead repeating activities are shown
MAX_OCCURRENCES = 2000  # per activity, a safety net for rules without an end
HOME_COUNT = 4  # activities on the home page
NEXT_DATES = 30  # dates listed on a repeating activity's page: five shown, the rest behind <details>
EVERYONE = "iedereen"  # activities for everyone also show on every audience page

# --- modelling -------------------------------------------------------------------------


def model_events(events: tuple[Event, ...], site: Site, problems: Problems, cache: BuildCache | None = None,
                 workers: int = 1) -> tuple[Event, ...]:
    """Descriptions converted from markdown (links checked), images as site URLs.

    Conversions go through the engine's cache, so an unchanged description is not converted again."""
    links = LinkContext({p.rel: p.url for p in site.pages}, {a.url.lstrip("/"): a.url for a in site.assets},
                        {}, site.base_url)
    # A link in a description is relative to content/ (zelf-doen/index.md), wherever its file is: the
    # same text means the same page in content/agenda.yaml and in content/agenda/<id>.yaml.
    items = [("agenda.yaml", event.description) for event in events]
    results = convert_bodies(items, links, cache if cache is not None else BuildCache(), workers)
    modelled = []
    for event, result in zip(events, results):
        for target in result.broken_links:
            problems.error(event.at("description"), f"de link '{target}' in de beschrijving van '{event.title}' "
                           "wijst naar niets. Schrijf een adres op de site, zoals /hulp/, of een pad naar een "
                           ".md-bestand, zoals hulp.md.")
        for src in result.images_without_alt:
            problems.error(event.at("description"), f"de afbeelding '{src}' heeft geen beschrijving (alt-tekst). "
                           "Schrijf tussen de vierkante haken wat erop staat.")
        image = links.asset_urls.get(event.image) if event.image else None
        modelled.append(replace(event, description_html=result.html, image=image))  # read when shown
    return tuple(modelled)


# --- dates -----------------------------------------------------------------------------


def starts_at(occurrence: Occurrence) -> dt.datetime:
    """The moment an occurrence starts (an all-day one at local midnight)."""
    if occurrence.all_day:
        return dt.datetime.combine(occurrence.start, dt.time(), tzinfo=ZONE)
    return occurrence.start


def ends_at(occurrence: Occurrence) -> dt.datetime:
    """The moment it is over: its end, or the end of its (last) day when no end time is known."""
    if not occurrence.all_day and occurrence.end is not None:
        return occurrence.end
    return dt.datetime.combine(occurrence.last_day + dt.timedelta(days=1), dt.time(), tzinfo=ZONE)


def occurrences(event: Event, until: dt.datetime) -> list[Occurrence]:
    """Every date of an activity that starts before `until` (a one-off activity: its one date)."""
    if event.recurrence is None:
        return [Occurrence(event, event.start, event.end)]
    length = (event.end - event.start) if event.end is not None else None  # wall-clock length
    skipped = set(event.recurrence.exceptions)
    found = []
    for index, start in enumerate(rule_set(event.recurrence.rule, event.start)):
        if index >= MAX_OCCURRENCES:
            break
        if event.all_day:
            start = start.date()
            if dt.datetime.combine(start, dt.time(), tzinfo=ZONE) >= until:
                break
        else:
            # A time that falls in the spring-forward gap moves an hour on, as RFC 5545 says.
            start = start.astimezone(UTC).astimezone(ZONE)
            if start >= until:
                break
        day = start if event.all_day else start.date()
        if day in skipped:
            continue
        end = None if length is None else _wall_add(start, length, event.all_day)
        found.append(Occurrence(event, start, end))
    return found


def _wall_add(start, length: dt.timedelta, all_day: bool):
    if all_day:
        return start + length
    return (start.replace(tzinfo=None) + length).replace(tzinfo=ZONE).astimezone(UTC).astimezone(ZONE)


def _order(occurrence: Occurrence):
    return (starts_at(occurrence), occurrence.event.title.lower(), occurrence.event.id)


def all_occurrences(site: Site) -> list[Occurrence]:
    """Every date of every activity up to the end of the window, in time order.

    The agenda pages, the home page and the feeds all ask; it is worked out once per set of events."""
    memo = site.extra.setdefault("occurrences", {})
    key = (id(site.events), site.now)
    if key not in memo:
        until = window_end(site.now, WINDOW_MONTHS)
        found = [o for event in site.events for o in occurrences(event, until)]
        memo.clear()
        memo[key] = (site.events, sorted(found, key=_order))  # the events are kept so their id stays theirs
    return memo[key][1]


def upcoming_occurrences(site: Site, limit: int | None = None) -> list[Occurrence]:
    """Dates that are not over yet (cancelled ones included, marked by their event), soonest first.

    For the agenda page, the home page and the feeds."""
    found = [o for o in all_occurrences(site) if ends_at(o) > site.now]
    return found[:limit] if limit is not None else found


def past_occurrences(site: Site) -> list[Occurrence]:
    """Dates that are over, newest first: the archive."""
    return sorted((o for o in all_occurrences(site) if ends_at(o) <= site.now), key=_order, reverse=True)


# --- wording ---------------------------------------------------------------------------


def when(occurrence: Occurrence) -> str:
    """The time of an occurrence as a line under its day heading: '10:00 tot 12:00', 'hele dag'."""
    if occurrence.all_day:
        if occurrence.last_day != occurrence.day:
            return f"{dates.day_heading(occurrence.day)} tot en met {dates.day_heading(occurrence.last_day)}"
        return "de hele dag"
    start = dates.clock(occurrence.start)
    if occurrence.end is None:
        return f"vanaf {start} uur"
    if occurrence.end.date() != occurrence.start.date():
        return f"{start} tot {dates.day_heading(occurrence.end.date())} {dates.clock(occurrence.end)} uur"
    return f"{start} tot {dates.clock(occurrence.end)} uur"


def full_when(occurrence: Occurrence) -> str:
    """The date and time in one line: 'dinsdag 3 september 2026, 10:00 tot 12:00'."""
    day = dates.day_heading(occurrence.day, with_year=True)
    if occurrence.all_day:
        if occurrence.last_day != occurrence.day:
            return f"{day} tot en met {dates.day_heading(occurrence.last_day, with_year=True)}"
        return f"{day}, de hele dag"
    return f"{day}, {when(occurrence)}"


def where_short(event: Event) -> str:
    """'Dorpshuis De Brink, Beilen', or 'online'."""
    if event.venue:
        return ", ".join(p for p in (event.venue.name, event.venue.place) if p)
    return "online" if event.online else ""


def osm_link(event: Event) -> str | None:
    """A search on openstreetmap.org for the address (a link, no embedded map)."""
    from urllib.parse import quote

    if not event.venue or not (event.venue.street or event.venue.place):
        return None
    query = event.venue.address
    return "https://www.openstreetmap.org/search?query=" + quote(query)


STATUS_LABELS = {"gepland": "", "afgelast": "Afgelast", "verplaatst": "Verplaatst"}


@dataclass(frozen=True)
class DayGroup:
    day: dt.date
    heading: str
    items: tuple[Occurrence, ...]

    @property
    def month_heading(self) -> str:
        return dates.month_heading(self.day.year, self.day.month)


@dataclass(frozen=True)
class MonthGroup:
    heading: str
    anchor: str
    items: tuple[Occurrence, ...]


def group_by_day(items: list[Occurrence], now: dt.datetime) -> list[DayGroup]:
    """Upcoming dates under Dutch day headings; what already began (a month-long activity) shows under today."""
    today = now.date()
    def key(o: Occurrence) -> dt.date:
        return max(o.day, today)
    groups = []
    for day, members in groupby(sorted(items, key=lambda o: (key(o),) + _order(o)), key=key):
        heading = dates.day_heading(day, with_year=day.year != today.year)
        prefix = dates.relative_day(day, today)
        groups.append(DayGroup(day, f"{prefix}: {heading}" if prefix else heading, tuple(members)))
    return groups


def month_links(groups: list[DayGroup]) -> list[tuple[str, str]]:
    """(anchor, 'december 2026') for each month in a day-grouped list, to jump to."""
    return list(dict.fromkeys((g.day.strftime("%Y-%m"), g.month_heading) for g in groups))


def group_by_month(items: list[Occurrence]) -> list[MonthGroup]:
    """Past dates by month, newest month first, each month in date order."""
    groups = []
    for (year, month), members in groupby(items, key=lambda o: (o.day.year, o.day.month)):
        groups.append(MonthGroup(dates.month_heading(year, month), f"{year}-{month:02d}",
                                 tuple(sorted(members, key=_order))))
    return groups


# --- filters ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Filter:
    """A static page with part of the agenda: one village, or one audience."""

    kind: str  # place or audience
    name: str  # as shown: Beilen, ouderen
    url: str

    def matches(self, event: Event) -> bool:
        if self.kind == "place":
            return bool(event.venue and event.venue.place and slugify(event.venue.place) == slugify(self.name))
        return self.name in event.audience or EVERYONE in event.audience


def filters(site: Site) -> tuple[list[Filter], list[Filter]]:
    """Every village and every audience that any activity names (past ones too, so addresses stay)."""
    places = {slugify(e.venue.place): e.venue.place for e in site.events if e.venue and e.venue.place}
    tags = {t for e in site.events for t in e.audience if t != EVERYONE}
    return ([Filter("place", name, agenda_place_url(name)) for _, name in sorted(places.items())],
            [Filter("audience", tag, agenda_audience_url(tag)) for tag in sorted(tags, key=slugify)])


# --- rendering -------------------------------------------------------------------------


def has_agenda(site: Site) -> bool:
    """The agenda is made when there are activities, or when the menu or footer links to it."""
    linked = any(link.url == AGENDA_URL for link in site.menu + site.footer_links)
    return bool(site.events) or linked


class Lazy:
    """A list worked out on first use: a page taken from the render cache never needs it."""

    def __init__(self, make) -> None:
        self._make = make
        self._items: list | None = None

    def _list(self) -> list:
        if self._items is None:
            self._items = list(self._make())
        return self._items

    def __iter__(self):
        return iter(self._list())

    def __len__(self) -> int:
        return len(self._list())

    def __bool__(self) -> bool:
        return bool(self._list())

    def __getitem__(self, index):
        return self._list()[index]


def agenda_globals(site: Site) -> dict:
    """What every template may use: the next few activities for the home page, and how to word a time."""
    return {
        "agenda_next": Lazy(lambda: upcoming_occurrences(site, HOME_COUNT) if has_agenda(site) else []),
        "agenda_url": AGENDA_URL,
        "when": when,
        "full_when": full_when,
        "where_short": where_short,
        "link_label": views.link_label,
        "event_url": event_url,
        "status_label": lambda event: STATUS_LABELS.get(event.status, ""),
    }


def _page(url: str, title: str, description: str, source: str, image: str | None = None,
          image_alt: str | None = None) -> Page:
    return Page(source=source, rel="", url=url, title=title, description=description, body_html="",
                kind="agenda", section="agenda", image=image, image_alt=image_alt)


def _crumbs(*links: Link) -> list[Link]:
    return [Link("Home", "/"), *links]


def render_agenda(env, site: Site, workers: int = 1) -> list[Output]:
    """The agenda pages, filter pages and one page per activity (those across `workers` processes)."""
    if not has_agenda(site):
        return []
    upcoming = upcoming_occurrences(site)
    past = past_occurrences(site)
    places, audiences = filters(site)
    calendar = absolute(site.base_url, AGENDA_CALENDAR_URL)
    common = dict(places=places, audiences=audiences, calendar_url=AGENDA_CALENDAR_URL,
                  webcal_url=webcal(calendar), calendar_absolute=calendar, archive_url=AGENDA_ARCHIVE_URL,
                  now=site.now)
    source = site.events[0].source if site.events else site.config.source
    outputs = []

    today = site.now.date()
    near = [o for o in upcoming if views.shown_day(o, today) < views.near_end(today)]
    months = views.months_between(today, window_end(site.now, WINDOW_MONTHS).date() - dt.timedelta(days=1))
    month_pages = [Link(dates.month_heading(y, m), agenda_month_url(y, m)) for y, m in months]
    common.update(month_pages=month_pages, print_url=agenda_print_url(), near_last=views.near_end(today)
                  - dt.timedelta(days=1))

    page = _page(AGENDA_URL, "Agenda", f"Activiteiten in {site.config.municipality}: koffieochtenden, "
                 "wandelingen, workshops en meer. Iedereen is welkom.", source)
    outputs.append(_render(env, "agenda.html", site, page, [Link("Agenda", AGENDA_URL)],
                           blocks=views.near_blocks(near, site.now), later=[], others=None, chosen=None,
                           has_past=bool(past), **common))

    for index, ((year, month), link) in enumerate(zip(months, month_pages)):
        block = views.month_block(upcoming, year, month, today)
        page = _page(link.url, f"Agenda {link.title}", f"Activiteiten in {site.config.municipality} in "
                     f"{link.title}.", source)
        outputs.append(_render(env, "agenda_month.html", site, page,
                               [Link("Agenda", AGENDA_URL), Link(link.title, link.url)], block=block,
                               previous=month_pages[index - 1] if index else None,
                               next=month_pages[index + 1] if index + 1 < len(month_pages) else None, **common))

    first_day, last_day = today, views.near_end(today) - dt.timedelta(days=1)
    print_places = [Link(f"Agenda {f.name}", agenda_print_url(f.name)) for f in places]
    for chosen, link in [(None, Link(f"Agenda {site.config.municipality}", agenda_print_url()))] + list(zip(places, print_places)):
        items = [o for o in near if chosen is None or chosen.matches(o.event)]
        block = views.condensed(items, today, link.title, "agenda")
        page = _page(link.url, f"{link.title}, {dates.day_range(first_day, last_day)}",
                     f"De agenda om af te drukken: {link.title}.", source)
        outputs.append(_render(env, "agenda_print.html", site, page, [Link("Agenda", AGENDA_URL), Link(link.title, link.url)],
                               block=block, chosen=chosen, print_places=print_places, first_day=first_day,
                               last_day=last_day, **common))

    for chosen in places + audiences:
        if chosen.kind == "place":
            items, others = [o for o in upcoming if chosen.matches(o.event)], None
            title = f"Agenda in {chosen.name}"
        else:  # what is meant for this group first; what is for everyone after it, under its own heading
            items = [o for o in upcoming if chosen.name in o.event.audience]
            everyone = [o for o in near if EVERYONE in o.event.audience and chosen.name not in o.event.audience]
            others = views.condensed(everyone, today, "Ook voor iedereen", "iedereen")
            title = f"Agenda voor {chosen.name}"
        page = _page(chosen.url, title, f"Activiteiten {'in' if chosen.kind == 'place' else 'voor'} {chosen.name}.",
                     source)
        near_items = [o for o in items if views.shown_day(o, today) < views.near_end(today)]
        outputs.append(_render(env, "agenda.html", site, page, [Link("Agenda", AGENDA_URL), Link(title, chosen.url)],
                               blocks=views.near_blocks(near_items, site.now),
                               later=views.later_blocks(items, site.now), others=others, chosen=chosen,
                               chosen_print_url=agenda_print_url(chosen.name) if chosen.kind == "place" else None,
                               has_past=bool(past), **common))

    page = _page(AGENDA_ARCHIVE_URL, "Agenda: wat er al geweest is", "Activiteiten die voorbij zijn, per maand.",
                 source)
    outputs.append(_render(env, "agenda_archive.html", site, page,
                           [Link("Agenda", AGENDA_URL), Link("Archief", AGENDA_ARCHIVE_URL)],
                           months=group_by_month(past), **common))

    until = window_end(site.now, WINDOW_MONTHS)

    def event_page(event: Event) -> Output:
        dates_of = occurrences(event, until)
        coming = [o for o in dates_of if ends_at(o) > site.now]
        summary = plain_text(str(event.description_html))[:160] or f"{event.title}: {full_when(dates_of[0]) if dates_of else ''}"
        page = _page(event_url(event.id), event.title, summary, event.source, event.image, event.image_alt)
        skipped = [d for d in (event.recurrence.exceptions if event.recurrence else ())
                   if site.now.date() <= d <= until.date()]
        return _render(env, "event.html", site, page, [Link("Agenda", AGENDA_URL), Link(event.title, page.url)],
                       event=event, next_dates=coming[:NEXT_DATES], more_dates=len(coming) > NEXT_DATES,
                       first=(coming or dates_of or [Occurrence(event, event.start, event.end)])[0],
                       is_past=not coming, skipped=skipped, osm=osm_link(event),
                       ics_url=event_calendar_url(event.id),
                       jsonld=event_jsonld(site, event, coming or dates_of[-1:]), **common)

    outputs += fork_map(event_page, list(site.events), workers)
    return outputs


def _render(env, template: str, site: Site, page: Page, crumbs: list[Link], **context) -> Output:
    html = env.get_template(template).render(page=page, breadcrumbs=_crumbs(*crumbs),
                                             canonical=absolute(site.base_url, page.url), **context)
    return Output(output_path(page.url), html.encode("utf-8"), page.source)


__all__ = ["load_events", "model_events", "render_agenda", "upcoming_occurrences", "past_occurrences",
           "occurrences", "agenda_globals", "starts_at", "ends_at"]
