"""Repeating activities: the editor's repeat mapping (every: week, on: dinsdag) -> an RFC 5545 RRULE and
its Dutch wording ("elke dinsdag"), the expert's own rrule, and the checks that the start is the rule's first
date and every exception one of its dates.

The agenda pages (occurrences.py) and the calendars (ical.py) expand the same RRULE, so what a resident
reads and what their calendar shows cannot differ.
"""

from __future__ import annotations

import datetime as dt
import re

import yaml
from dateutil.relativedelta import relativedelta

from ..core import dates
from ..core.errors import Location, Problems
from ..core.suggest import did_you_mean
from ..source.yamlschema import INVALID, Context, Field, Record, Schema, date, integer, list_of, text
from .moments import UTC, ZONE, day_of
from .skipwords import skip_items

FREQUENCIES = {"dag": "DAILY", "dagen": "DAILY", "day": "DAILY", "daily": "DAILY",
               "week": "WEEKLY", "weken": "WEEKLY", "weekly": "WEEKLY",
               "maand": "MONTHLY", "maanden": "MONTHLY", "month": "MONTHLY", "monthly": "MONTHLY",
               "jaar": "YEARLY", "jaren": "YEARLY", "year": "YEARLY", "yearly": "YEARLY"}
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAY_WORDS = {name: i for i, name in enumerate(dates.WEEKDAYS)}
WEEKDAY_WORDS.update({name + "en": i for i, name in enumerate(dates.WEEKDAYS)})  # dinsdagen
WEEKDAY_WORDS.update({a: i for i, a in enumerate(("ma", "di", "wo", "do", "vr", "za", "zo"))})
WEEKDAY_WORDS.update({e: i for i, e in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday",
                                                   "saturday", "sunday"))})
ORDINALS = {"eerste": 1, "1e": 1, "1ste": 1, "tweede": 2, "2e": 2, "2de": 2, "derde": 3, "3e": 3, "3de": 3,
            "vierde": 4, "4e": 4, "4de": 4, "vijfde": 5, "5e": 5, "5de": 5, "laatste": -1,
            "voorlaatste": -2}
ORDINAL_WORDS = {1: "eerste", 2: "tweede", 3: "derde", 4: "vierde", 5: "vijfde", -1: "laatste",
                 -2: "voorlaatste"}
MONTH_WORDS = {name: i + 1 for i, name in enumerate(dates.MONTHS)}
MAX_CHECKED = 5000  # occurrences looked at when checking a rule (a daily rule over 10 years is 3650)

REPEAT = Schema("de herhaling (repeat)", (
    Field("every", text, required=True, doc="dag, week, maand of jaar"),
    Field("interval", integer, doc="om de hoeveel: 2 is om de week of om de maand"),
    Field("on", list_of(text, allow_single=True), doc="dinsdag, [dinsdag, donderdag], eerste maandag of 15"),
    Field("month", text, doc="bij every: jaar, de maand, zoals september"),
    Field("until", date, doc="de laatste datum, zoals 2026-06-30"),
    Field("count", integer, doc="hoe vaak in totaal"),
    Field("except", skip_items, doc="wanneer het niet doorgaat: een datum, zoals 2026-12-29, een maand, zoals "
          "juli, of een periode, zoals 13 juli tot en met 21 augustus (zonder jaartal: elk jaar)"),
))


def _on_parts(record: Record, nodes: dict, ctx: Context) -> list[tuple[int | None, int | None, int | None]]:
    """Each 'on' entry as (ordinal, weekday, day of month); raises nothing, reports errors."""
    parts, node = [], nodes.get("on")
    for raw in record.get("on", ()):
        for piece in re.split(r"\s*(?:,|\ben\b)\s*", raw.lower().strip()):
            if not piece:
                continue
            words = piece.split()
            if len(words) == 1 and re.fullmatch(r"\d{1,2}(?:e|de|ste)?", words[0]):
                number = int(re.match(r"\d+", words[0])[0])
                if not 1 <= number <= 31:
                    parts.append(_error_part(ctx, node, f"dag {number} bestaat in geen enkele maand."))
                else:
                    parts.append((None, None, number))
                continue
            ordinal = None
            if len(words) == 2:
                if words[0] not in ORDINALS:
                    parts.append(_error_part(ctx, node, _word_msg(words[0], ORDINALS,
                                                                  "geen rangtelwoord (zoals eerste of laatste)")))
                    continue
                ordinal = ORDINALS[words[0]]
                words = words[1:]
            if len(words) != 1:
                parts.append(_error_part(ctx, node, f"'{piece}' begrijpt de agenda niet. Schrijf een dag, zoals "
                                         "dinsdag, of een dag in de maand, zoals eerste maandag."))
                continue
            if words[0] not in WEEKDAY_WORDS:
                parts.append(_error_part(ctx, node, _word_msg(words[0], dates.WEEKDAYS, "geen dag van de week")))
                continue
            parts.append((ordinal, WEEKDAY_WORDS[words[0]], None))
    return parts


def _word_msg(value: str, options, what: str) -> str:
    """'vrijdg' is geen dag van de week. Bedoel je 'vrijdag'?"""
    return f"'{value}' is {what}.{did_you_mean(value, options)}"


def _error_part(ctx: Context, node, message: str):
    ctx.error(node, message)
    return None


def build_recurrence(record: Record, nodes: dict, start, ctx: Context):
    """The repeat mapping -> (RRULE value, Dutch wording), or INVALID after reporting why."""
    frequency = _frequency(record, nodes, ctx)
    if frequency is INVALID:
        return INVALID
    freq, interval = frequency
    parts = _on_parts(record, nodes, ctx)
    failed = None in parts
    parts = [p for p in parts if p is not None]
    month = _month(record, nodes, freq, ctx)
    failed = month is INVALID or failed
    failed = not _parts_fit(freq, parts, nodes.get("on"), ctx) or failed
    failed = not _end_fits(record, nodes, ctx) or failed
    if failed:
        return INVALID
    weekdays = [p for p in parts if p[1] is not None]
    monthdays = [p[2] for p in parts if p[2] is not None]
    rule = _rule(freq, interval, weekdays, monthdays, month, record.get("until"), record.get("count"), start)
    wording = describe(rule, start)
    return rule, wording


def _frequency(record: Record, nodes: dict, ctx: Context):
    """'every' (with 'interval', or written together as 'every: 2 weken') -> (FREQ, interval), or INVALID."""
    every = record.get("every", "").lower().strip()
    interval = record.get("interval", 1)
    if re.fullmatch(r"\d+\s+\w+", every):  # 'every: 2 weken'
        number, every = every.split()
        interval = int(number)
    freq = FREQUENCIES.get(every)
    if freq is None:
        hint = did_you_mean(every, FREQUENCIES)
        return ctx.error(nodes["every"], f"'{record.get('every')}' kent de agenda niet als herhaling. Kies uit: "
                         f"dag, week, maand, jaar.{hint} Om de week: every: week met interval: 2.")
    if interval < 1:
        return ctx.error(nodes["interval"], "interval is 1 of meer: 1 is elke keer, 2 is om de keer.")
    return freq, interval


def _month(record: Record, nodes: dict, freq: str, ctx: Context):
    """'month' as a number (None when not given), or INVALID: an unknown month, or one beside a non-yearly rule."""
    if "month" not in record.values:
        return None
    month = MONTH_WORDS.get(record.get("month").lower())
    if month is None:
        return ctx.error(nodes["month"], _word_msg(record.get("month"), MONTH_WORDS, "geen maand"))
    if freq != "YEARLY":
        return ctx.error(nodes["month"], "'month' hoort alleen bij every: jaar. Haal 'month' weg.")
    return month


def _parts_fit(freq: str, parts: list, on_node, ctx: Context) -> bool:
    """Whether the 'on' entries suit the frequency (weekdays for a week, no mix of weekdays and month days)."""
    fits = True
    if parts and freq == "DAILY":
        ctx.error(on_node, "bij every: dag hoort geen 'on'. Voor bepaalde dagen: every: week met on: [maandag, "
                  "woensdag].")
        fits = False
    if freq == "WEEKLY" and any(p[0] is not None or p[2] is not None for p in parts):
        ctx.error(on_node, "bij every: week schrijf je alleen dagen, zoals on: dinsdag. Voor 'eerste maandag' "
                  "gebruik je every: maand.")
        fits = False
    if any(p[2] is not None for p in parts) and any(p[1] is not None for p in parts):
        ctx.error(on_node, "schrijf in 'on' dagen van de week of dagen van de maand, niet allebei.")
        fits = False
    return fits


def _end_fits(record: Record, nodes: dict, ctx: Context) -> bool:
    """Whether the repetition ends one way at most ('until' or 'count'), and a count counts at least once."""
    fits = True
    if "until" in record.values and "count" in record.values:
        ctx.error(nodes["count"], "schrijf 'until' (tot een datum) of 'count' (zo vaak), niet allebei.")
        fits = False
    if "count" in record.values and record.get("count") < 1:
        ctx.error(nodes["count"], "count is 1 of meer.")
        fits = False
    return fits


def _rule(freq: str, interval: int, weekdays, monthdays, month, until, count, start) -> str:
    """The RRULE value; an UNTIL for a timed activity is the end of that day in Amsterdam, written in UTC."""
    rule = [f"FREQ={freq}"]
    if interval > 1:
        rule.append(f"INTERVAL={interval}")
    if weekdays:
        rule.append("BYDAY=" + ",".join(f"{p[0] if p[0] else ''}{DAY_CODES[p[1]]}" for p in weekdays))
    if monthdays:
        rule.append("BYMONTHDAY=" + ",".join(str(d) for d in monthdays))
    if month:
        rule.append(f"BYMONTH={month}")
    if until is not None:
        if isinstance(start, dt.datetime):
            last = dt.datetime.combine(until, dt.time(23, 59, 59), tzinfo=ZONE).astimezone(UTC)
            rule.append("UNTIL=" + last.strftime("%Y%m%dT%H%M%SZ"))
        else:
            rule.append("UNTIL=" + until.strftime("%Y%m%d"))
    if count is not None:
        rule.append(f"COUNT={count}")
    return ";".join(rule)


FALLBACK_WORDING = "op vaste dagen (zie de data hieronder)"
DESCRIBED = {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "UNTIL", "COUNT", "WKST"}


def describe(rule: str, start, short: bool = False, skips: tuple[str, ...] = ()) -> str:
    """The schedule of an RRULE in plain Dutch: 'elke week op dinsdag', 'om de week op donderdag',
    'elke tweede dinsdag van de maand', 'elke maand op de 15e, behalve in juli en augustus', with its end
    ('tot en met 29 juni 2027', '6 keer') unless short. One function for the editor's repeat mapping and the
    expert's own rrule, so a resident always reads the rule the calendar follows. A rule it cannot word
    exactly says so instead of guessing. skips: the periods of 'except' in words ('van 13 juli tot en met
    21 augustus'), added to the months the rule leaves out unless short."""
    try:
        parts = dict(piece.split("=", 1) for piece in rule.upper().split(";") if piece)
        wording = _schedule(parts, day_of(start))
    except (ValueError, KeyError, IndexError):
        return FALLBACK_WORDING
    if wording is None:
        return FALLBACK_WORDING
    if short:
        return wording
    if skips:  # 'behalve in juli en augustus, van 21 december tot en met 3 januari en op 3 november'
        joiner = (", " if len(skips) > 1 else " en ") if ", behalve in " in wording else ", behalve "
        wording += joiner + _join(list(skips))
    if "UNTIL" in parts:
        wording += f", tot en met {dates.long_date(_until_day(parts['UNTIL']))}"
    if "COUNT" in parts:
        wording += f", {int(parts['COUNT'])} keer"
    return wording


def _until_day(value: str) -> dt.date:
    """UNTIL as the local date it ends on (a UTC moment is turned to Amsterdam time first)."""
    if "T" not in value:
        return dt.datetime.strptime(value, "%Y%m%d").date()
    moment = dt.datetime.strptime(value.rstrip("Z"), "%Y%m%dT%H%M%S")
    return moment.replace(tzinfo=UTC).astimezone(ZONE).date() if value.endswith("Z") else moment.date()


def _days_of(parts: dict) -> list[tuple[int | None, int]]:
    """BYDAY (with BYSETPOS for one weekday) as (ordinal, weekday) pairs: '2TU' -> (2, 1)."""
    found = []
    for code in filter(None, parts.get("BYDAY", "").split(",")):
        match = re.fullmatch(r"([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)", code)
        if match is None:
            raise ValueError(code)
        found.append((int(match[1]) if match[1] else None, DAY_CODES.index(match[2])))
    if "BYSETPOS" in parts:
        position = int(parts["BYSETPOS"])
        if len(found) != 1 or found[0][0] is not None or position not in ORDINAL_WORDS:
            raise ValueError(parts["BYSETPOS"])
        found = [(position, found[0][1])]
    if any(o is not None and o not in ORDINAL_WORDS for o, _ in found):
        raise ValueError(parts["BYDAY"])
    return found


def _schedule(parts: dict, day: dt.date) -> str | None:
    """The words for FREQ, INTERVAL, BYDAY, BYMONTHDAY and BYMONTH; None for a rule with other parts."""
    if set(parts) - DESCRIBED:
        return None
    freq, interval = parts["FREQ"], int(parts.get("INTERVAL", "1"))
    weekdays = _days_of(parts)
    monthdays = [int(d) for d in filter(None, parts.get("BYMONTHDAY", "").split(","))]
    months = sorted({int(m) for m in filter(None, parts.get("BYMONTH", "").split(","))})
    if any(not 1 <= d <= 31 for d in monthdays) or any(not 1 <= m <= 12 for m in months) or interval < 1:
        return None
    days = _join([(ORDINAL_WORDS[o] + " " if o else "") + dates.WEEKDAYS[w] for o, w in weekdays])
    if freq == "DAILY" and not weekdays and not monthdays:
        wording = {1: "elke dag", 2: "om de dag"}.get(interval, f"elke {interval} dagen")
    elif freq == "WEEKLY" and not monthdays and all(o is None for o, _ in weekdays):
        days = days or dates.WEEKDAYS[day.weekday()]
        wording = {1: f"elke week op {days}", 2: f"om de week op {days}"}.get(interval,
                                                                             f"elke {interval} weken op {days}")
    elif freq == "MONTHLY" and not (weekdays and monthdays):
        return _monthly(interval, weekdays, days, monthdays or ([] if weekdays else [day.day]), months)
    elif freq == "YEARLY" and len(months) <= 1 and not (weekdays and monthdays):
        month_name = dates.MONTHS[(months[0] if months else day.month) - 1]
        what = (f"de {days} van {month_name}" if weekdays
                else _join([f"{d} {month_name}" for d in (monthdays or [day.day])]))
        return f"elk jaar op {what}" if interval == 1 else f"elke {interval} jaar op {what}"
    else:
        return None
    return wording + _only_in(months) if months else wording


def _monthly(interval: int, weekdays, days: str, monthdays: list[int], months: list[int]) -> str | None:
    """'elke tweede dinsdag van de maand', 'om de maand op de 15e', '..., behalve in juli en augustus'."""
    every = {1: "elke maand", 2: "om de maand"}.get(interval, f"elke {interval} maanden")
    if weekdays and any(o is None for o, _ in weekdays):
        if interval > 1 or any(o is not None for o, _ in weekdays):
            return None  # every Tuesday of every other month: better no words than wrong ones
        wording = f"elke week op {days}"
    elif weekdays:
        wording = f"elke {days} van de maand" if interval == 1 else f"{every} op de {days} van de maand"
    else:
        wording = f"{every} op de " + _join([f"{d}e" for d in monthdays])
    return wording + _only_in(months)


def _only_in(months: list[int]) -> str:
    """', behalve in juli en augustus' when most months are in BYMONTH, else ', alleen in maart en april'."""
    if not months or len(months) == 12:
        return ""
    missing = [m for m in range(1, 13) if m not in months]
    if len(missing) <= len(months):
        return ", behalve in " + _join([dates.MONTHS[m - 1] for m in missing])
    return ", alleen in " + _join([dates.MONTHS[m - 1] for m in months])


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


def rule_set(rule: str, start):
    """The dateutil rrule for an RRULE value starting at start (a date or an aware date-time)."""
    from dateutil.rrule import rrulestr  # here, not at the top: a rebuild whose activities are kept never loads it

    first = start if isinstance(start, dt.datetime) else dt.datetime.combine(start, dt.time())
    return rrulestr(rule, dtstart=first)


def check_recurrence(rule: str, start, exceptions, rule_loc: Location, except_loc: Location,
                     problems: Problems) -> bool:
    """The start must be the first date of the rule, and every exception one of its dates."""
    try:
        rrule = rule_set(rule, start)
    except (ValueError, TypeError) as exc:
        problems.error(rule_loc, f"deze herhaling klopt niet ({exc}). Schrijf bijvoorbeeld "
                       "FREQ=WEEKLY;BYDAY=TU, of gebruik 'repeat'.")
        return False
    first = rrule[0] if _nonempty(rrule) else None
    if first is None:
        problems.error(rule_loc, "volgens deze herhaling is er geen enkele datum. Controleer 'until' en 'on'.")
        return False
    first_day, start_day = first.date(), day_of(start)
    if first_day != start_day:
        problems.error(rule_loc, f"de activiteit begint op {dates.day_heading(start_day, True)}, maar volgens "
                       f"de herhaling is de eerste keer op {dates.day_heading(first_day, True)}. Zet 'start' "
                       f"op {first_day.isoformat()}, of pas de herhaling aan.")
        return False
    if exceptions:
        last = max(exceptions)
        days = set()
        for index, occurrence in enumerate(rrule):
            if occurrence.date() > last or index > MAX_CHECKED:
                break
            days.add(occurrence.date())
        for day in exceptions:
            if day not in days:
                problems.error(except_loc, f"op {dates.day_heading(day, True)} is er volgens de herhaling geen "
                               "activiteit, dus die datum hoort niet in 'except'. Controleer de datum.")
                return False
    return True


def _nonempty(rrule) -> bool:
    try:
        rrule[0]
        return True
    except IndexError:
        return False


def raw_rule(node: yaml.Node, ctx: Context):
    """An RFC 5545 RRULE value for experts, such as FREQ=WEEKLY;BYDAY=TU."""
    value = text(node, ctx)
    if value is INVALID:
        return value
    value = value.removeprefix("RRULE:").strip().upper()
    if not value.startswith("FREQ=") and ";FREQ=" not in value:
        return ctx.error(node, f"'{value}' is geen herhalingsregel: FREQ ontbreekt. Schrijf bijvoorbeeld "
                         "FREQ=WEEKLY;BYDAY=TU, of gebruik 'repeat'.")
    return value


def window_end(now: dt.datetime, months: int = 12) -> dt.datetime:
    """The end of the window over which repeating activities are expanded."""
    return now + relativedelta(months=months)
