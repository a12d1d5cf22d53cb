"""The agenda's dates: every date an activity has within the window, which are still to come and which are
past, grouped by day or month, worded in Dutch, and the villages and audiences to filter by.

Pure functions of the Site and its `now`, shared by the agenda pages, the home page, the feeds and search,
so all of them show the same dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import groupby

from ..core import dates
from ..core.model import Event, Occurrence, Site
from ..core.urls import agenda_audience_url, agenda_place_url, slugify
from .moments import UTC, ZONE
from .recurrence import rule_set, window_end

WINDOW_MONTHS = 12  # how far ahead repeating activities are shown
MAX_OCCURRENCES = 2000  # per activity, a safety net for rules without an end
EVERYONE = "iedereen"  # activities for everyone also show on every audience page

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
    skipped = set(event.recurrence.skipped)
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


def expand(site: Site) -> tuple[Occurrence, ...]:
    """Every date of every activity up to the end of the window, in time order."""
    until = window_end(site.now, WINDOW_MONTHS)
    return tuple(sorted((o for event in site.events for o in occurrences(event, until)), key=_order))


def all_occurrences(site: Site) -> tuple[Occurrence, ...]:
    """The site's dates: the agenda pages, the home page, the feeds and search all ask, so the pipeline
    expands them once (Site.occurrences); a site made without the pipeline gets them worked out anew."""
    return site.occurrences if site.occurrences is not None else expand(site)


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
        venue = event.venue
        place = venue.place if venue.address_after_name else None  # a name made of the address holds the place
        return ", ".join(p for p in (venue.name, place) if p)
    return "online" if event.online else ""


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
