"""Dates, times and durations as editors write them in an activity: 2026-09-03 10:00, 12:00, 1,5 uur.

Times are wall-clock times in Europe/Amsterdam; a time that does not exist (spring forward) or that happens
twice (autumn back) is an error that says how to fix it, so an activity never moves an hour unnoticed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

import yaml

from ..core import dates
from ..source.bounds import MAX_DURATION_DAYS, year_problem
from ..source.dutchdates import replacement
from ..source.yamlschema import INVALID, NULL_TAG, Context, describe

ZONE = dates.AMSTERDAM
UTC = dt.timezone.utc
MOMENT_RE = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[ T]+(\d{1,2})[:.](\d{2})(?::(\d{2}))?\s*(?:uur)?\s*(Z|[+-]\d{2}:?\d{2})?)?$")
TIME_RE = re.compile(r"^(\d{1,2})[:.](\d{2})(?::(\d{2}))?\s*(?:uur)?$")


def _scalar(node: yaml.Node, ctx: Context, what: str, example: str):
    if not isinstance(node, yaml.ScalarNode) or node.tag == NULL_TAG:
        return ctx.error(node, f"hier hoort {what} (zoals {example}), maar er staat {describe(node)}.")
    return node.value.strip()


def _check_date(node, ctx, year: int, month: int, day: int, written: str):
    far = year_problem(year)
    if far:
        return ctx.error(node, far)
    if not 1 <= month <= 12:
        return ctx.error(node, f"de datum '{written}' bestaat niet: er is geen maand {month}. Schrijf "
                         "jaar-maand-dag, zoals 2026-09-03.")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return ctx.error(node, f"de datum '{written}' bestaat niet: {dates.MONTHS[month - 1]} {year} heeft "
                         f"{days} dagen. Controleer dag en maand.")
    return dt.date(year, month, day)


def _check_time(node, ctx, hour: int, minute: int, second: int, written: str):
    if hour > 23 or minute > 59 or second > 59:
        return ctx.error(node, f"de tijd '{written}' bestaat niet. Een tijd loopt van 00:00 tot 23:59, "
                         "zoals 10:00 of 19:30.")
    return dt.time(hour, minute, second)


def localise(wall: dt.datetime, offset: str | None, node, ctx: Context):
    """A wall-clock time in Amsterdam as an aware date-time; an error if it does not exist or is ambiguous."""
    shown = f"{wall.hour:02d}:{wall.minute:02d}"
    day = dates.long_date(wall.date())
    first, second = wall.replace(tzinfo=ZONE, fold=0), wall.replace(tzinfo=ZONE, fold=1)
    if offset is not None:
        sign = 1 if offset[0] == "+" else -1
        digits = offset[1:].replace(":", "")
        wanted = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])) * sign
        for candidate in (first, second):
            if candidate.utcoffset() == wanted and _exists(candidate):
                return candidate
        right = first.utcoffset()
        return ctx.error(node, f"op {day} is het in Nederland om {shown} geen {offset}, maar "
                         f"{_fmt_offset(right)}. Haal '{offset}' weg.")
    if first.utcoffset() != second.utcoffset():
        if not _exists(first):
            later = (first.astimezone(UTC).astimezone(ZONE))
            return ctx.error(node, f"op {day} bestaat {shown} niet: de klok gaat die nacht om 02:00 een uur "
                             f"vooruit (zomertijd). Kies een andere tijd, bijvoorbeeld {dates.clock(later)}.")
        return ctx.error(node, f"op {day} komt {shown} twee keer voor: de klok gaat die nacht om 03:00 een "
                         "uur terug (wintertijd). Kies een tijd voor 02:00 of vanaf 03:00, of zet erachter "
                         f"welke je bedoelt: {shown}+02:00 (de eerste keer) of {shown}+01:00 (de tweede keer).")
    return first


def _exists(moment: dt.datetime) -> bool:
    return moment.astimezone(UTC).astimezone(ZONE).replace(tzinfo=None) == moment.replace(tzinfo=None)


def _fmt_offset(delta: dt.timedelta | None) -> str:
    minutes = int((delta or dt.timedelta()).total_seconds() // 60)
    return f"{'+' if minutes >= 0 else '-'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def moment(node: yaml.Node, ctx: Context):
    """A date (all day) or a date and time in Amsterdam: 2026-09-03 or 2026-09-03 10:00."""
    value = _scalar(node, ctx, "een datum of een datum met tijd", "2026-09-03 10:00")
    if value is INVALID:
        return value
    match = MOMENT_RE.match(value)
    if not match:
        if TIME_RE.match(value):
            return ctx.error(node, f"'{value}' is alleen een tijd. Zet de datum ervoor, zoals 2026-09-03 {value}.")
        return ctx.error(node, replacement(value) or f"'{value}' is geen datum. Schrijf jaar-maand-dag en "
                         "eventueel de tijd, zoals 2026-09-03 of 2026-09-03 10:00.")
    year, month, day, hour, minute, second, offset = match.groups()
    day_value = _check_date(node, ctx, int(year), int(month), int(day), value.split()[0].split("T")[0])
    if hour is None:
        return day_value
    written = value[match.start(4):].strip()
    time_value = _check_time(node, ctx, int(hour), int(minute), int(second or 0), written.split("+")[0])
    if day_value is INVALID or time_value is INVALID:
        return INVALID
    if offset == "Z":
        return dt.datetime.combine(day_value, time_value, tzinfo=UTC).astimezone(ZONE)
    return localise(dt.datetime.combine(day_value, time_value), offset, node, ctx)


def moment_or_time(node: yaml.Node, ctx: Context):
    """For 'end': a moment, or only a time (then it is on the day the activity starts)."""
    if isinstance(node, yaml.ScalarNode) and node.tag != NULL_TAG:
        match = TIME_RE.match(node.value.strip())
        if match:
            hour, minute, second = match.groups()
            return _check_time(node, ctx, int(hour), int(minute), int(second or 0), node.value.strip())
    return moment(node, ctx)


DURATION_PART = re.compile(r"(\d+(?:[.,]\d+)?)\s*(uren|uur|u|h|minuten|minuut|min|m|dagen|dag|d)\b")


def duration(node: yaml.Node, ctx: Context):
    """'2 uur', '1,5 uur', '90 minuten', '1 uur 30 minuten', '1:30' or '3 dagen'."""
    value = _scalar(node, ctx, "een duur", "2 uur")
    if value is INVALID:
        return value
    clock_match = TIME_RE.match(value)
    if clock_match:
        return dt.timedelta(hours=int(clock_match[1]), minutes=int(clock_match[2]))
    rest, total = value.lower(), dt.timedelta()
    for number, unit in DURATION_PART.findall(rest):
        amount = float(number.replace(",", "."))
        if amount > MAX_DURATION_DAYS * 24 * 60:  # more minutes than the longest activity has: no timedelta
            return _too_long(node, ctx, value)
        if unit.startswith(("d",)):
            total += dt.timedelta(days=amount)
        elif unit.startswith(("m",)):
            total += dt.timedelta(minutes=amount)
        else:
            total += dt.timedelta(hours=amount)
    leftover = DURATION_PART.sub("", rest).replace("en", "").strip(" ,")
    if leftover or total <= dt.timedelta():
        return ctx.error(node, f"'{value}' is geen duur. Schrijf bijvoorbeeld 2 uur, 1,5 uur, 90 minuten "
                         "of 3 dagen.")
    if total > dt.timedelta(days=MAX_DURATION_DAYS):
        return _too_long(node, ctx, value)
    return total


def _too_long(node, ctx: Context, value: str):
    return ctx.error(node, f"'{value}' is te lang voor een activiteit: die duurt hoogstens {MAX_DURATION_DAYS} "
                     "dagen. Controleer het getal; voor iets dat steeds terugkomt gebruik je 'repeat'.")


def day_of(moment_value) -> dt.date:
    """The day of a moment: a date as it is, a date-time's date."""
    return moment_value.date() if isinstance(moment_value, dt.datetime) else moment_value
