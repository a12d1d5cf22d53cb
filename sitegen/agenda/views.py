"""The agenda as a resident reads it: what is on soon, by week, and later months with weekly activities on one line.

Pure functions over occurrences (occurrences.py finds them): the near view (today, this week, next week, the rest
of four weeks), a month (weekly activities condensed to "elke week op dinsdag: 1, 8, 15 en 22 december"), and the
wording a screen reader needs in a link ("Koffieochtend in Beilen, dinsdag 1 december, 10:00").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import groupby

from ..core import dates
from ..core.model import Event, Occurrence
from .recurrence import describe

NEAR_DAYS = 28  # the first page of the agenda: four weeks from today


@dataclass(frozen=True)
class Day:
    """The activities of one day, under a heading such as 'Morgen: dinsdag 1 december'."""

    day: dt.date
    heading: str
    items: tuple[Occurrence, ...]


@dataclass(frozen=True)
class Repeat:
    """A weekly activity in a month or print view, once: 'elke week op dinsdag: 1, 8, 15 en 22 december'."""

    event: Event
    first: Occurrence
    dates_text: str  # 'elke week op dinsdag: 1, 8, 15 en 22 december'
    days: tuple[dt.date, ...]


@dataclass(frozen=True)
class Block:
    """A stretch of the agenda under one heading: 'Deze week', 'januari 2027'."""

    heading: str
    anchor: str
    days: tuple[Day, ...]
    repeats: tuple[Repeat, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.days and not self.repeats

    @property
    def repeats_heading(self) -> str:
        """'Elke week' only when every activity under it really comes every week."""
        weekly = all(r.dates_text.startswith("elke week op ") for r in self.repeats)
        return "Elke week" if weekly else "Vaste activiteiten"


def _order(o: Occurrence):
    start = o.start if not o.all_day else dt.datetime.combine(o.start, dt.time())
    return (start.replace(tzinfo=None), o.event.title.lower(), o.event.id)


def shown_day(o: Occurrence, today: dt.date) -> dt.date:
    """An activity that began before today (a month-long one) shows under today."""
    return max(o.day, today)


def by_day(items: list[Occurrence], today: dt.date, relative: bool = True) -> tuple[Day, ...]:
    """Dates under day headings; relative adds 'Vandaag'/'Morgen' (never in print)."""
    days = []
    ordered = sorted(items, key=lambda o: (shown_day(o, today),) + _order(o))
    for day, members in groupby(ordered, key=lambda o: shown_day(o, today)):
        heading = dates.day_heading(day, with_year=day.year != today.year)
        prefix = dates.relative_day(day, today) if relative else ""
        days.append(Day(day, f"{prefix}: {heading}" if prefix else heading, tuple(members)))
    return tuple(days)


def near_end(today: dt.date) -> dt.date:
    """The first day after the near view."""
    return today + dt.timedelta(days=NEAR_DAYS)


def near_blocks(items: list[Occurrence], now: dt.datetime) -> list[Block]:
    """Today, this week, next week and the rest of the four weeks; empty stretches are left out."""
    today = now.date()
    end_of_week = today + dt.timedelta(days=6 - today.weekday())
    end_of_next = end_of_week + dt.timedelta(days=7)
    last = near_end(today) - dt.timedelta(days=1)
    stretches = [("Vandaag", "vandaag", today, today),
                 ("Deze week", "deze-week", today + dt.timedelta(days=1), end_of_week),
                 ("Volgende week", "volgende-week", end_of_week + dt.timedelta(days=1), end_of_next),
                 (f"Later, tot en met {dates.day_heading(last)}", "later", end_of_next + dt.timedelta(days=1), last)]
    blocks = []
    for heading, anchor, first, until in stretches:
        if first > until:
            continue
        members = [o for o in items if first <= shown_day(o, today) <= until]
        if members:
            blocks.append(Block(heading, anchor, by_day(members, today)))
    return blocks


def schedule(event: Event) -> str:
    """How often a repeating activity comes, without its end: 'om de week op donderdag' ('' for a one-off).
    Worded from the rule itself (recurrence.describe), so the list, the page and the calendar agree."""
    return describe(event.recurrence.rule, event.start, short=True) if event.recurrence else ""


def registration_closed(event: Event, now: dt.datetime) -> bool:
    """Whether signing up was needed and its deadline has passed ('tot en met' a date: that whole day)."""
    reg = event.registration
    if reg is None or not reg.needed or reg.deadline is None:
        return False
    if isinstance(reg.deadline, dt.datetime):
        return now > reg.deadline
    return now.date() > reg.deadline


def is_weekly(event: Event) -> bool:
    return event.recurrence is not None and "FREQ=WEEKLY" in event.recurrence.rule


def _date_list(days: list[dt.date]) -> str:
    """'1, 8, 15 en 22 december' (month names only where the month changes)."""
    parts = []
    for i, day in enumerate(days):
        last_of_month = i + 1 == len(days) or days[i + 1].month != day.month
        parts.append(f"{day.day} {dates.MONTHS[day.month - 1]}" if last_of_month else str(day.day))
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " en " + parts[-1]


def condensed(items: list[Occurrence], today: dt.date, heading: str, anchor: str) -> Block:
    """A stretch with every weekly activity that comes twice or more as one line, the rest by day."""
    weekly: dict[str, list[Occurrence]] = {}
    for o in items:
        if is_weekly(o.event) and not o.event.cancelled:
            weekly.setdefault(o.event.id, []).append(o)
    repeats = []
    for found in weekly.values():
        if len(found) < 2:
            continue
        found.sort(key=_order)
        days = [o.day for o in found]
        repeats.append(Repeat(found[0].event, found[0], f"{schedule(found[0].event)}: {_date_list(days)}",
                              tuple(days)))
    repeats.sort(key=lambda r: _order(r.first))
    condensed_ids = {r.event.id for r in repeats}
    rest = [o for o in items if o.event.id not in condensed_ids]
    return Block(heading, anchor, by_day(rest, today, relative=False), tuple(repeats))


def month_block(items: list[Occurrence], year: int, month: int, today: dt.date) -> Block:
    """One calendar month, condensed; only what is not over yet."""
    members = [o for o in items if (shown_day(o, today).year, shown_day(o, today).month) == (year, month)]
    return condensed(members, today, dates.month_heading(year, month), f"{year}-{month:02d}")


def months_between(first: dt.date, last: dt.date) -> list[tuple[int, int]]:
    """(year, month) for every month from first's to last's."""
    found, (year, month) = [], (first.year, first.month)
    while (year, month) <= (last.year, last.month):
        found.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def later_blocks(items: list[Occurrence], now: dt.datetime) -> list[Block]:
    """What comes after the near view, a condensed block per month (for the village and audience pages)."""
    today = now.date()
    later = [o for o in items if shown_day(o, today) >= near_end(today)]
    if not later:
        return []
    months = months_between(near_end(today), max(shown_day(o, today) for o in later))
    blocks = [condensed([o for o in later if (o.day.year, o.day.month) == ym], today,
                        dates.month_heading(*ym), f"{ym[0]}-{ym[1]:02d}") for ym in months]
    return [b for b in blocks if not b.empty]


def link_label(o: Occurrence) -> str:
    """What a screen reader hears after the title in a list: ', dinsdag 1 december, 10:00'."""
    day = dates.day_heading(o.day)
    if o.all_day:
        return f", {day}"
    return f", {day}, {dates.clock(o.start)}"
