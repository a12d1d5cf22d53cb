"""Dates as Dutch editors write them (30-11-2026, 30 november 2026 om 9.30 uur), turned into the exact
replacement the site wants (2026-11-30 09:30), or the reason there is none.

The site reads only year-month-day: it is the one order nobody misreads. This module never accepts the
other forms; it only says what to write instead, so the file keeps one way of writing a date.
"""

from __future__ import annotations

import calendar
import re

from ..core.dates import MONTHS, WEEKDAYS

MONTH_NAMES = {name: i + 1 for i, name in enumerate(MONTHS)}
MONTH_NAMES.update({name[:3]: i + 1 for i, name in enumerate(MONTHS)})
MONTH_NAMES.update({"sept": 9, "mrt": 3})
WEEKDAY_RE = "|".join(WEEKDAYS + tuple(d[:2] for d in WEEKDAYS))

TIME_PART = r"(?:\s*,?\s*(?:om\s+|vanaf\s+)?(?P<hour>\d{1,2})[:.](?P<minute>\d{2})\s*(?:uur|u)?)?"
NUMERIC_RE = re.compile(r"^(?:(?:" + WEEKDAY_RE + r")\.?,?\s+)?(?P<a>\d{1,4})[-/.](?P<b>\d{1,2})[-/.](?P<c>\d{1,4})"
                        + TIME_PART + r"$", re.I)
WORDS_RE = re.compile(r"^(?:(?:" + WEEKDAY_RE + r")\.?,?\s+)?(?P<day>\d{1,2})(?:e|ste|de)?\s+(?P<month>[a-z]+)\.?"
                      r"(?:\s+(?P<year>\d{2,4}))?" + TIME_PART + r"$", re.I)


def why_not(year: int, month: int, day: int) -> str | None:
    """Why a year-month-day does not exist, or None when it does."""
    if not 1 <= month <= 12:
        return f"er is geen maand {month}"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return f"{MONTHS[month - 1]} {year} heeft {days} dagen"
    return None


def _clock(match: re.Match) -> tuple[str, str | None]:
    """(' 09:30' or '', why the time cannot be) for the time part of a match."""
    if match.group("hour") is None:
        return "", None
    hour, minute = int(match.group("hour")), int(match.group("minute"))
    if hour > 23 or minute > 59:
        return "", f"de tijd {match.group('hour')}:{match.group('minute')} bestaat niet (een dag loopt van 00:00 tot 23:59)"
    return f" {hour:02d}:{minute:02d}", None


def replacement(value: str, with_time: bool = True) -> str | None:
    """A Dutch sentence with the exact value to write instead of value, or why there is none;
    None when value does not look like a date at all."""
    text = value.strip()
    if re.fullmatch(r"\d{4}-\d{1,2}", text):
        return f"bij '{text}' ontbreekt de dag. Schrijf jaar-maand-dag, zoals {text}-01 voor de eerste van de maand."
    match = NUMERIC_RE.match(text)
    if match:
        a, b, c = match.group("a"), match.group("b"), match.group("c")
        if len(a) == 4:  # year first, but not year-month-day as the site wants (2026/11/30, 2026-30-11)
            year, first, second = int(a), int(b), int(c)
            if first > 12 >= second:
                return _sentence(year, second, first, match, with_time, note="(jaar-dag-maand omgedraaid)")
            return _sentence(year, first, second, match, with_time)
        if len(c) == 2:
            return (f"het jaar '{c}' is niet voluit geschreven, dus het is niet zeker welk jaar je bedoelt. "
                    f"Schrijf jaar-maand-dag met het hele jaar, zoals 20{c}-{int(b):02d}-{int(a):02d}.")
        if len(c) != 4:
            return None
        day, month, year = int(a), int(b), int(c)
        if month > 12 >= day:
            return (f"in '{text}' staat eerst de maand en dan de dag (de Amerikaanse volgorde), of een tikfout: "
                    f"er is geen maand {month}. Bedoel je {month} {MONTHS[day - 1]} {year}? Schrijf dan "
                    f"{year}-{day:02d}-{month:02d}.")
        return _sentence(year, month, day, match, with_time)
    match = WORDS_RE.match(text)
    if match:
        month = MONTH_NAMES.get(match.group("month").lower())
        if month is None:
            return None
        day = int(match.group("day"))
        if match.group("year") is None:
            return (f"bij '{text}' staat geen jaar. Schrijf jaar-maand-dag met het jaar ervoor, zoals "
                    f"JJJJ-{month:02d}-{day:02d} (JJJJ is het jaar, bijvoorbeeld 2027).")
        year = match.group("year")
        if len(year) != 4:
            return (f"het jaar '{year}' is niet voluit geschreven. Schrijf jaar-maand-dag met het hele jaar, "
                    f"zoals 20{year[-2:]}-{month:02d}-{day:02d}.")
        return _sentence(int(year), month, day, match, with_time)
    return None


def _sentence(year: int, month: int, day: int, match: re.Match, with_time: bool, note: str = "") -> str:
    why = why_not(year, month, day)
    if why:
        return f"de datum '{match.string.strip()}' bestaat niet: {why}. Controleer dag en maand."
    clock, clock_why = _clock(match)
    if clock_why:
        return f"{clock_why}. Controleer de tijd."
    if clock and not with_time:
        return (f"hier hoort alleen een datum, zonder tijd ('{match.string.strip()}'). Schrijf "
                f"{year}-{month:02d}-{day:02d}.")
    written = f"{year}-{month:02d}-{day:02d}{clock}"
    return (f"'{match.string.strip()}' is niet geschreven als jaar-maand-dag{' ' + note if note else ''}. "
            f"Schrijf {written}.")
