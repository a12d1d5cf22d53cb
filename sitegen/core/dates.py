"""The one place for Dutch date and time formats and for the site's time zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")
WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def long_date(day: dt.date) -> str:
    """'3 september 2024'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def day_heading(day: dt.date, with_year: bool = False) -> str:
    """'dinsdag 3 september' (with the year when asked)."""
    text = f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if with_year else text


def month_heading(year: int, month: int) -> str:
    """'september 2024'."""
    return f"{MONTHS[month - 1]} {year}"


def clock(moment: dt.datetime | dt.time) -> str:
    """'10.00 uur' is how Dutch texts write times; we use the colon form '10:00' for clarity."""
    return f"{moment.hour:02d}:{moment.minute:02d}"


def parse_now(value: str | None, zone: ZoneInfo = AMSTERDAM) -> dt.datetime:
    """The build's notion of now: an ISO date or date-time, local to the site's zone when naive."""
    if not value:
        return dt.datetime.now(zone).replace(microsecond=0)
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(zone)


def start_of_day(day: dt.date, zone: ZoneInfo = AMSTERDAM) -> dt.datetime:
    """A date as the local midnight that starts it, for feeds that need a date-time."""
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=zone)


def day_range(first: dt.date, last: dt.date) -> str:
    """'1 tot en met 31 oktober 2026', '30 september tot en met 2 oktober 2026' (one date when equal)."""
    if first == last:
        return long_date(first)
    if first.year != last.year:
        return f"{long_date(first)} tot en met {long_date(last)}"
    if first.month != last.month:
        return f"{first.day} {MONTHS[first.month - 1]} tot en met {long_date(last)}"
    return f"{first.day} tot en met {long_date(last)}"


def relative_day(day: dt.date, today: dt.date) -> str:
    """'Vandaag', 'Morgen' or '' - said before a day heading."""
    return {0: "Vandaag", 1: "Morgen"}.get((day - today).days, "")
