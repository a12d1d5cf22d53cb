"""The agenda as pages: the overview, a page per month, print pages, a page per village and audience, the
archive, and one page per activity; and the descriptions modelled (markdown converted, links checked).

Reading and checking the YAML is in load.py; which dates there are, and their wording, in occurrences.py; the
resident's views of them (near, by month) in views.py; the calendars in ical.py; the JSON-LD in jsonld.py.
Everything here is a function of the Site (and its `now`), so output is repeatable through --now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any, Callable

from . import views as views
from ..core import dates
from ..core.errors import Problems
from ..core.model import Event, Link, Occurrence, Output, Page, Site
from ..core.urls import (AGENDA_ARCHIVE_URL, AGENDA_CALENDAR_URL, AGENDA_URL, absolute, agenda_month_url,
                         agenda_print_url, event_calendar_url, event_url, output_path, webcal)
from ..source.links import LinkContext, convert_all
from ..source.markdown import plain_text
from .jsonld import event_jsonld
from .occurrences import (EVERYONE, WINDOW_MONTHS, Filter, ends_at, filters, full_when, group_by_month, occurrences,
                          past_occurrences, upcoming_occurrences, when, where_short)
from .recurrence import window_end

HOME_COUNT = 4  # activities on the home page
NEXT_DATES = 30  # dates listed on a repeating activity's page: five shown, the rest behind <details>

# --- modelling -------------------------------------------------------------------------


def model_events(events: tuple[Event, ...], site: Site, problems: Problems,
                 convert: Callable[[list, LinkContext], list] = convert_all,
                 carry: Callable | None = None) -> tuple[Event, ...]:
    """Descriptions converted from markdown (links checked), images as site URLs.

    convert(items, links) converts each (rel, markdown) pair (the build passes its cached one, so an
    unchanged description is not converted again). carry(name, function, *arguments): function(previous,
    *arguments), previous being what it gave the build before (the dev server's; see model_activities)."""
    links = LinkContext({p.rel: p.url for p in site.pages}, {a.url.lstrip("/"): a.url for a in site.assets},
                        {}, site.base_url)
    # A link in a description is relative to content/ (zelf-doen/index.md), wherever its file is: the
    # same text means the same page in content/agenda.yaml and in content/agenda/<id>.yaml.
    results = convert([("agenda.yaml", event.description) for event in events], links)
    images = [links.asset_urls.get(event.image) if event.image else None for event in events]
    modelled = (carry or _first)("events", model_activities, events, results, images, problems)
    return tuple(found[3] for found in modelled.values())


def _first(name: str, function: Callable, *arguments):
    return function(None, *arguments)


def model_activities(previous: dict | None, events: tuple[Event, ...], results: list, images: list,
                     problems: Problems) -> dict:
    """Per activity id (in the order of events): (event, conversion, image, the modelled event, its
    problems). previous: what this gave the build before (the dev server's), whose modelled activities are
    given again, with their problems, for the same event and conversion (the same objects) and image URL:
    5,000 activities modelled anew took a sixth of a rebuild after a page edit at 10,000 pages."""
    previous = previous or {}
    modelled = {}
    for event, result, image in zip(events, results, images):
        before = previous.get(event.id)
        if before is not None and before[0] is event and before[1] is result and before[2] == image \
                and event.id not in modelled:
            problems.extend(before[4])
            modelled[event.id] = before
            continue
        found = Problems()
        for target in result.broken_links:
            found.error(event.at("description"), f"de link '{target}' in de beschrijving van '{event.title}' "
                        "wijst naar niets. Schrijf een adres op de site, zoals /hulp/, of een pad naar een "
                        ".md-bestand, zoals hulp.md.")
        for src in result.images_without_alt:
            found.error(event.at("description"), f"de afbeelding '{src}' heeft geen beschrijving (alt-tekst). "
                        "Schrijf tussen de vierkante haken wat erop staat.")
        problems.extend(found)
        made = replace(event, description_html=result.html, image=image)  # read when shown
        modelled[event.id if event.id not in modelled else object()] = (event, result, image, made, found.items)
    return modelled


# --- rendering -------------------------------------------------------------------------


def osm_link(event: Event) -> str | None:
    """A search on openstreetmap.org for the address (a link, no embedded map)."""
    from urllib.parse import quote

    if not event.venue or not (event.venue.street or event.venue.place):
        return None
    query = event.venue.address
    return "https://www.openstreetmap.org/search?query=" + quote(query)


STATUS_LABELS = {"gepland": "", "afgelast": "Afgelast", "verplaatst": "Verplaatst"}


def has_agenda(site: Site) -> bool:
    """The agenda is made when there are activities, or when the menu or footer links to it."""
    linked = any(link.url == AGENDA_URL for link in site.menu + site.footer_links)
    return bool(site.events) or linked


class Lazy:
    """A list worked out on first use: a page that does not show it never reads the activities or the date."""

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


def _worded_once(schedule: Callable[[Event], str]) -> Callable[[Event], str]:
    """schedule(event), worked out once per rule and start: a list shows a repeating activity at each date."""
    known: dict = {}

    def worded(event: Event) -> str:
        if event.recurrence is None:
            return ""
        key = (event.recurrence.rule, event.start)
        if key not in known:
            known[key] = schedule(event)
        return known[key]

    return worded


def agenda_globals(site: Site) -> dict:
    """What every template may use: the next few activities for the home page, and how to word a time."""
    return {
        "agenda_next": Lazy(lambda: upcoming_occurrences(site, HOME_COUNT) if has_agenda(site) else []),
        "agenda_url": AGENDA_URL,
        "when": when,
        "full_when": full_when,
        "where_short": where_short,
        "link_label": views.link_label,
        "schedule": _worded_once(views.schedule),
        "registration_closed": lambda event: views.registration_closed(event, site.now),
        "event_url": event_url,
        "status_label": lambda event: STATUS_LABELS.get(event.status, ""),
    }


def _page(url: str, title: str, description: str, source: str, image: str | None = None,
          image_alt: str | None = None) -> Page:
    return Page(source=source, rel="", url=url, title=title, description=description, body_html="",
                kind="agenda", section="agenda", image=image, image_alt=image_alt)


def _crumbs(*links: Link) -> list[Link]:
    return [Link("Home", "/"), *links]


def render_agenda(env, site: Site, map_fn: Callable = lambda function, items: list(map(function, items))
                  ) -> list[Output]:
    """The agenda pages, filter pages and one page per activity (those through map_fn(function, items),
    which the build runs across its workers)."""
    if not has_agenda(site):
        return []
    agenda = _agenda(env, site)
    return [_overview_page(agenda), *_month_pages(agenda), *_print_pages(agenda), *_filter_pages(agenda),
            _archive_page(agenda), *_event_pages(agenda, map_fn)]


@dataclass(frozen=True)
class _Agenda:
    """What the agenda's pages are made from, worked out once for all of them."""

    env: Any
    site: Site
    upcoming: list[Occurrence]
    past: list[Occurrence]
    near: list[Occurrence]  # what the first page shows: the next four weeks
    places: list[Filter]
    audiences: list[Filter]
    months: list[tuple[int, int]]
    month_pages: list[Link]
    common: dict  # what every agenda page's template is given
    source: str  # the file a page's problems point to

    def render(self, template: str, page: Page, crumbs: list[Link], **context) -> Output:
        """A page under Home > Agenda, with the shared values."""
        return _render(self.env, template, self.site, page, [Link("Agenda", AGENDA_URL), *crumbs], **context,
                       **self.common)


def _agenda(env, site: Site) -> _Agenda:
    upcoming = upcoming_occurrences(site)
    past = past_occurrences(site)
    places, audiences = filters(site)
    calendar = absolute(site.base_url, AGENDA_CALENDAR_URL)
    common = dict(places=places, audiences=audiences, calendar_url=AGENDA_CALENDAR_URL,
                  webcal_url=webcal(calendar), calendar_absolute=calendar, archive_url=AGENDA_ARCHIVE_URL,
                  now=site.now)
    source = site.events[0].source if site.events else site.config.source
    today = site.now.date()
    near = [o for o in upcoming if views.shown_day(o, today) < views.near_end(today)]
    months = views.months_between(today, window_end(site.now, WINDOW_MONTHS).date() - dt.timedelta(days=1))
    month_pages = [Link(dates.month_heading(y, m), agenda_month_url(y, m)) for y, m in months]
    common.update(month_pages=month_pages, print_url=agenda_print_url(), near_last=views.near_end(today)
                  - dt.timedelta(days=1))
    return _Agenda(env, site, upcoming, past, near, places, audiences, months, month_pages, common, source)


def _overview_page(agenda: _Agenda) -> Output:
    """/agenda/: the next four weeks."""
    site = agenda.site
    page = _page(AGENDA_URL, "Agenda", f"Activiteiten in {site.config.municipality}: koffieochtenden, "
                 "wandelingen, workshops en meer. Iedereen is welkom.", agenda.source)
    # Nothing in the next four weeks: say so, give the helplines, and show what comes after (two months).
    later = [] if agenda.near else views.later_blocks(agenda.upcoming, site.now)[:2]
    today = site.now.date()
    busy = {agenda_month_url(d.year, d.month) for d in (views.shown_day(o, today) for o in agenda.upcoming)}
    return agenda.render("agenda.html", page, [], blocks=views.near_blocks(agenda.near, site.now), later=later,
                         others=None, chosen=None, has_past=bool(agenda.past), busy_months=busy)


def _month_pages(agenda: _Agenda) -> list[Output]:
    """A page per month of the window, each linking to the month before and after."""
    today, pages, outputs = agenda.site.now.date(), agenda.month_pages, []
    for index, ((year, month), link) in enumerate(zip(agenda.months, pages)):
        block = views.month_block(agenda.upcoming, year, month, today)
        page = _page(link.url, f"Agenda {link.title}", f"Activiteiten in {agenda.site.config.municipality} in "
                     f"{link.title}.", agenda.source)
        outputs.append(agenda.render("agenda_month.html", page, [Link(link.title, link.url)], block=block,
                                     previous=pages[index - 1] if index else None,
                                     next=pages[index + 1] if index + 1 < len(pages) else None))
    return outputs


def _print_pages(agenda: _Agenda) -> list[Output]:
    """The next four weeks to print: the whole municipality, and each village on its own."""
    site, today = agenda.site, agenda.site.now.date()
    first_day, last_day = today, views.near_end(today) - dt.timedelta(days=1)
    print_places = [Link(f"Agenda {f.name}", agenda_print_url(f.name)) for f in agenda.places]
    everywhere = (None, Link(f"Agenda {site.config.municipality}", agenda_print_url()))
    outputs = []
    for chosen, link in [everywhere] + list(zip(agenda.places, print_places)):
        items = [o for o in agenda.near if chosen is None or chosen.matches(o.event)]
        block = views.condensed(items, today, link.title, "agenda")
        page = _page(link.url, f"{link.title}, {dates.day_range(first_day, last_day)}",
                     f"De agenda om af te drukken: {link.title}.", agenda.source)
        outputs.append(agenda.render("agenda_print.html", page, [Link(link.title, link.url)], block=block,
                                     chosen=chosen, print_places=print_places, first_day=first_day,
                                     last_day=last_day))
    return outputs


def _filter_pages(agenda: _Agenda) -> list[Output]:
    """A page per village and per audience."""
    site, today, outputs = agenda.site, agenda.site.now.date(), []
    for chosen in agenda.places + agenda.audiences:
        if chosen.kind == "place":
            items, others = [o for o in agenda.upcoming if chosen.matches(o.event)], None
            title = f"Agenda in {chosen.name}"
        else:  # what is meant for this group first; what is for everyone after it, under its own heading
            items = [o for o in agenda.upcoming if chosen.name in o.event.audience]
            everyone = [o for o in agenda.near
                        if EVERYONE in o.event.audience and chosen.name not in o.event.audience]
            others = views.condensed(everyone, today, "Ook voor iedereen", "iedereen")
            title = f"Agenda voor {chosen.name}"
        page = _page(chosen.url, title, f"Activiteiten {'in' if chosen.kind == 'place' else 'voor'} {chosen.name}.",
                     agenda.source)
        near_items = [o for o in items if views.shown_day(o, today) < views.near_end(today)]
        outputs.append(agenda.render("agenda.html", page, [Link(title, chosen.url)],
                                     blocks=views.near_blocks(near_items, site.now),
                                     later=views.later_blocks(items, site.now), others=others, chosen=chosen,
                                     chosen_print_url=agenda_print_url(chosen.name) if chosen.kind == "place" else None,
                                     has_past=bool(agenda.past)))
    return outputs


def _archive_page(agenda: _Agenda) -> Output:
    """/agenda/archief/: what has been, by month."""
    page = _page(AGENDA_ARCHIVE_URL, "Agenda: wat er al geweest is", "Activiteiten die voorbij zijn, per maand.",
                 agenda.source)
    return agenda.render("agenda_archive.html", page, [Link("Archief", AGENDA_ARCHIVE_URL)],
                         months=group_by_month(agenda.past))


def _event_pages(agenda: _Agenda, map_fn: Callable) -> list[Output]:
    """A page per activity: its next dates (or that it is over), the map link, its calendar file and JSON-LD."""
    site = agenda.site
    until = window_end(site.now, WINDOW_MONTHS)

    def event_page(event: Event) -> Output:
        dates_of = occurrences(event, until)
        coming = [o for o in dates_of if ends_at(o) > site.now]
        summary = (plain_text(str(event.description_html))[:160]
                   or f"{event.title}: {full_when(dates_of[0]) if dates_of else ''}")
        page = _page(event_url(event.id), event.title, summary, event.source, event.image, event.image_alt)
        skipped = [d for d in (event.recurrence.exceptions if event.recurrence else ())
                   if site.now.date() <= d <= until.date()]
        return agenda.render("event.html", page, [Link(event.title, page.url)],
                             event=event, next_dates=coming[:NEXT_DATES], more_dates=len(coming) > NEXT_DATES,
                             first=(coming or dates_of or [Occurrence(event, event.start, event.end)])[0],
                             is_past=not coming, skipped=skipped, osm=osm_link(event),
                             ics_url=event_calendar_url(event.id),
                             jsonld=event_jsonld(site, event, coming or dates_of[-1:]))

    return map_fn(event_page, list(site.events))


def _render(env, template: str, site: Site, page: Page, crumbs: list[Link], **context) -> Output:
    html = env.get_template(template).render(page=page, breadcrumbs=_crumbs(*crumbs),
                                             canonical=absolute(site.base_url, page.url), **context)
    return Output(output_path(page.url), html.encode("utf-8"), page.source)


__all__ = ["model_events", "render_agenda", "agenda_globals", "has_agenda"]
