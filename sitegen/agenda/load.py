"""Reading the agenda: content/agenda/<id>.yaml (or one list, content/agenda.yaml) -> checked Events.

Every value keeps its place in the file, so each mistake is reported as path:line:column in Dutch.
Times are wall-clock times in Europe/Amsterdam; a time that does not exist (spring forward) or that
happens twice (autumn back) is an error that says how to fix it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from pathlib import Path

import yaml
from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrulestr

from ..core import dates
from ..source.dutchdates import replacement
from ..core.errors import Location, Problems, relative_name
from ..core.suggest import did_you_mean
from ..source.load import SitePaths, inside, read_text, read_unless_unchanged, safe_files
from ..core.model import Event, Organiser, Recurrence, Registration, Venue
from ..core.urls import resolve_relative, slugify
from ..source.yamlschema import (INVALID, NULL_TAG, Context, Field, Record, Schema, boolean, compose, date, describe,
                         email, http_url, integer, list_of, one_of, text)

ZONE = dates.AMSTERDAM
UTC = dt.timezone.utc
AGENDA_FILE = "agenda.yaml"
AGENDA_DIR = "agenda"
STATUSES = ("gepland", "afgelast", "verplaatst")
RESERVED_IDS = {"archief", "in", "voor"}  # sub-paths of /agenda/ that the agenda itself uses

# --- dates and times ---------------------------------------------------------------------

MOMENT_RE = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[ T]+(\d{1,2})[:.](\d{2})(?::(\d{2}))?\s*(?:uur)?\s*(Z|[+-]\d{2}:?\d{2})?)?$")
TIME_RE = re.compile(r"^(\d{1,2})[:.](\d{2})(?::(\d{2}))?\s*(?:uur)?$")


def _scalar(node: yaml.Node, ctx: Context, what: str, example: str):
    if not isinstance(node, yaml.ScalarNode) or node.tag == NULL_TAG:
        return ctx.error(node, f"hier hoort {what} (zoals {example}), maar er staat {describe(node)}.")
    return node.value.strip()


def _check_date(node, ctx, year: int, month: int, day: int, written: str):
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
    return total


def event_id(node: yaml.Node, ctx: Context):
    value = text(node, ctx)
    if value is INVALID:
        return value
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", value):
        return ctx.error(node, f"'{value}' kan geen id zijn. Een id bestaat uit kleine letters, cijfers en "
                         f"streepjes, zoals {slugify(value)}.")
    if value in RESERVED_IDS:
        return ctx.error(node, f"het id '{value}' gebruikt de agenda zelf al. Kies een ander, zoals {value}-1.")
    return value


def tag(node: yaml.Node, ctx: Context):
    value = text(node, ctx)
    return value if value is INVALID else value.lower()


# --- recurrence ----------------------------------------------------------------------------

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
    Field("except", list_of(date, allow_single=True), doc="data waarop het niet doorgaat"),
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
                    parts.append(_error_part(ctx, node, _word_msg(words[0], ORDINALS, "geen rangtelwoord (zoals eerste of laatste)")))
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
    every_node = nodes["every"]
    every = record.get("every", "").lower().strip()
    interval = record.get("interval", 1)
    if re.fullmatch(r"\d+\s+\w+", every):  # 'every: 2 weken'
        number, every = every.split()
        interval = int(number)
    freq = FREQUENCIES.get(every)
    if freq is None:
        hint = did_you_mean(every, FREQUENCIES)
        return ctx.error(every_node, f"'{record.get('every')}' kent de agenda niet als herhaling. Kies uit: dag, "
                         f"week, maand, jaar.{hint} Om de week: every: week met interval: 2.")
    if interval < 1:
        return ctx.error(nodes["interval"], "interval is 1 of meer: 1 is elke keer, 2 is om de keer.")
    failed = False
    parts = _on_parts(record, nodes, ctx)
    if None in parts:
        failed = True
    parts = [p for p in parts if p is not None]
    rule = [f"FREQ={freq}"]
    if interval > 1:
        rule.append(f"INTERVAL={interval}")
    month = None
    if "month" in record.values:
        month = MONTH_WORDS.get(record.get("month").lower())
        if month is None:
            ctx.error(nodes["month"], _word_msg(record.get("month"), MONTH_WORDS, "geen maand"))
            failed = True
        elif freq != "YEARLY":
            ctx.error(nodes["month"], "'month' hoort alleen bij every: jaar. Haal 'month' weg.")
            failed = True
    on_node = nodes.get("on")
    if parts and freq == "DAILY":
        ctx.error(on_node, "bij every: dag hoort geen 'on'. Voor bepaalde dagen: every: week met on: [maandag, "
                  "woensdag].")
        failed = True
    if freq == "WEEKLY" and any(p[0] is not None or p[2] is not None for p in parts):
        ctx.error(on_node, "bij every: week schrijf je alleen dagen, zoals on: dinsdag. Voor 'eerste maandag' "
                  "gebruik je every: maand.")
        failed = True
    if any(p[2] is not None for p in parts) and any(p[1] is not None for p in parts):
        ctx.error(on_node, "schrijf in 'on' dagen van de week of dagen van de maand, niet allebei.")
        failed = True
    if "until" in record.values and "count" in record.values:
        ctx.error(nodes["count"], "schrijf 'until' (tot een datum) of 'count' (zo vaak), niet allebei.")
        failed = True
    if "count" in record.values and record.get("count") < 1:
        ctx.error(nodes["count"], "count is 1 of meer.")
        failed = True
    if failed:
        return INVALID
    weekdays = [p for p in parts if p[1] is not None]
    monthdays = [p[2] for p in parts if p[2] is not None]
    if weekdays:
        rule.append("BYDAY=" + ",".join(f"{p[0] if p[0] else ''}{DAY_CODES[p[1]]}" for p in weekdays))
    if monthdays:
        rule.append("BYMONTHDAY=" + ",".join(str(d) for d in monthdays))
    if month:
        rule.append(f"BYMONTH={month}")
    until = record.get("until")
    if until is not None:
        if isinstance(start, dt.datetime):
            last = dt.datetime.combine(until, dt.time(23, 59, 59), tzinfo=ZONE).astimezone(UTC)
            rule.append("UNTIL=" + last.strftime("%Y%m%dT%H%M%SZ"))
        else:
            rule.append("UNTIL=" + until.strftime("%Y%m%d"))
    if "count" in record.values:
        rule.append(f"COUNT={record.get('count')}")
    wording = _wording(freq, interval, weekdays, monthdays, month, start)
    if until is not None:
        wording += f", tot en met {dates.long_date(until)}"
    if "count" in record.values:
        wording += f", {record.get('count')} keer"
    return ";".join(rule), wording


def _wording(freq: str, interval: int, weekdays, monthdays, month, start) -> str:
    day = start if not isinstance(start, dt.datetime) else start.date()
    days = _join([(ORDINAL_WORDS[o] + " " if o else "") + dates.WEEKDAYS[w] for o, w, _ in weekdays])
    if freq == "DAILY":
        return "elke dag" if interval == 1 else ("om de dag" if interval == 2 else f"elke {interval} dagen")
    if freq == "WEEKLY":
        days = days or dates.WEEKDAYS[day.weekday()]
        if interval == 1:
            return f"elke {days}"
        return f"om de week op {days}" if interval == 2 else f"elke {interval} weken op {days}"
    if freq == "MONTHLY":
        if weekdays:
            what = f"de {days} van de maand"
        else:
            what = "de " + _join([f"{d}e" for d in (monthdays or [day.day])])
        if interval == 1:
            return f"elke maand op {what}" if not weekdays else f"elke {days} van de maand"
        return f"om de maand op {what}" if interval == 2 else f"elke {interval} maanden op {what}"
    month_name = dates.MONTHS[(month or day.month) - 1]
    if weekdays:
        what = f"de {days} van {month_name}"
    else:
        what = _join([f"{d} {month_name}" for d in (monthdays or [day.day])])
    return f"elk jaar op {what}" if interval == 1 else f"elke {interval} jaar op {what}"


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


def rule_set(rule: str, start):
    """The dateutil rrule for an RRULE value starting at start (a date or an aware date-time)."""
    first = start if isinstance(start, dt.datetime) else dt.datetime.combine(start, dt.time())
    return rrulestr(rule, dtstart=first)


def _day(moment_value) -> dt.date:
    return moment_value.date() if isinstance(moment_value, dt.datetime) else moment_value


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
    first_day = first.date()
    if first_day != _day(start):
        problems.error(rule_loc, f"de activiteit begint op {dates.day_heading(_day(start), True)}, maar volgens "
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


# --- the activity ------------------------------------------------------------------------

VENUE = Schema("de plaats (location)", (
    Field("name", text, required=True, doc="naam van het gebouw of de plek, zoals Dorpshuis De Brink"),
    Field("street", text, doc="straat en huisnummer"),
    Field("postcode", text, doc="postcode, zoals 9411 AA"),
    Field("place", text, doc="het dorp of de stad"),
))

ORGANISER = Schema("de organisator (organiser)", (
    Field("name", text, required=True, doc="naam van de organisatie of persoon"),
    Field("phone", text, doc="telefoonnummer"),
    Field("email", email, doc="e-mailadres"),
    Field("url", http_url, doc="website"),
))

REGISTRATION = Schema("het aanmelden (registration)", (
    Field("needed", boolean, required=True, doc="true als aanmelden nodig is, false als het niet hoeft"),
    Field("phone", text, doc="aanmelden per telefoon"),
    Field("email", email, doc="aanmelden per e-mail"),
    Field("url", http_url, doc="aanmelden via een website"),
    Field("deadline", moment, doc="uiterlijk aanmelden op, zoals 2026-09-01"),
    Field("note", text, doc="een extra zin, zoals 'Vol is vol.'"),
))

EVENT = Schema("een activiteit", (
    Field("id", event_id, doc="vast kort adres, zoals koffieochtend-dorpshuis (anders gemaakt van titel en datum)"),
    Field("title", text, required=True, doc="de naam van de activiteit"),
    Field("start", moment, required=True, doc="datum en tijd, zoals 2026-09-03 10:00; alleen een datum is de hele dag"),
    Field("end", moment_or_time, doc="eindtijd (12:00) of einddatum en -tijd"),
    Field("duration", duration, doc="hoe lang, zoals 2 uur (in plaats van end)"),
    Field("location", VENUE, doc="waar het is"),
    Field("online", http_url, doc="link om online mee te doen"),
    Field("organiser", ORGANISER, doc="wie het organiseert"),
    Field("cost", text, doc="wat het kost, zoals gratis of € 2,50"),
    Field("registration", REGISTRATION, doc="of en hoe je je aanmeldt"),
    Field("audience", list_of(tag, allow_single=True), doc="voor wie, zoals [ouderen, mantelzorgers]"),
    Field("accessibility", list_of(text, allow_single=True), doc="zoals [rolstoeltoegankelijk, ringleiding]"),
    Field("transport", text, doc="vervoer, zoals gratis ophalen en hoe je dat regelt"),
    Field("description", text, doc="uitleg in markdown"),
    Field("image", text, doc="afbeelding naast het YAML-bestand, zoals koffie.jpg"),
    Field("image_alt", text, doc="wat er op de afbeelding staat"),
    Field("status", one_of(*STATUSES), doc="gepland, afgelast of verplaatst"),
    Field("status_note", text, doc="uitleg bij afgelast of verplaatst"),
    Field("repeat", REPEAT, doc="herhaling, zoals {every: week, on: dinsdag}"),
    Field("rrule", raw_rule, doc="herhaling als RRULE voor gevorderden, zoals FREQ=WEEKLY;BYDAY=TU"),
    Field("example", boolean, doc="true voor een voorbeeld dat nog vervangen moet worden"),
))


def agenda_sources(paths: SitePaths, problems: Problems) -> list[Path]:
    """The agenda's files: content/agenda/<id>.yaml (one activity each), or the one list content/agenda.yaml.

    Both at once is an error: an editor would not know where an activity is, nor the web editor where to
    write one. Both are still read, so every other mistake is reported in the same run."""
    found = []
    single = paths.content / AGENDA_FILE
    if single.is_file() and inside(single, paths.root):
        found.append(single)
    folder = paths.content / AGENDA_DIR
    if folder.is_dir():
        found += [p for p in safe_files(folder, paths, problems) if p.suffix.lower() in (".yaml", ".yml")]
    if len(found) > 1 and found[0] == single:
        problems.error(Location(relative_name(single, paths.root), 1),
                       f"de agenda staat op twee plekken: in dit bestand en in de map "
                       f"{relative_name(folder, paths.root)}/ ({len(found) - 1} bestand(en)). Kies een manier: "
                       f"zet elke activiteit uit dit bestand in een eigen bestand "
                       f"{relative_name(folder, paths.root)}/<id>.yaml en haal dit bestand weg.")
    return found


def load_events(paths: SitePaths, problems: Problems, memo: dict | None = None,
                used: set | None = None) -> tuple[Event, ...]:
    """Every activity in the agenda files, checked; ids are unique across all files.

    memo, as for pages (load.load_pages): an unchanged file read without problems is not parsed again,
    as long as the images its activities show are still there."""
    memo = {} if memo is None else memo
    used = set() if used is None else used
    events: list[Event] = []
    for path in agenda_sources(paths, problems):
        events += read_unless_unchanged(
            path, lambda: load_file(path, paths, problems), problems, memo, used,
            still_valid=lambda found: all(e.image is None or (paths.content / e.image).is_file() for e in found))
    seen: dict[str, Event] = {}
    for event in events:
        if event.id in seen:
            first = seen[event.id]
            problems.error(event.at("id") if "id" in event.where else event.location,
                           f"het id '{event.id}' is al gebruikt door '{first.title}' ({first.location}). "
                           "Elke activiteit heeft een eigen id: geef deze een ander id, zoals "
                           f"id: {event.id}-2.")
        else:
            seen[event.id] = event
    return tuple(events)


def load_file(path: Path, paths: SitePaths, problems: Problems) -> list[Event]:
    """The activities of one file: a list (content/agenda.yaml) or one activity (content/agenda/<id>.yaml)."""
    name = relative_name(path, paths.root)
    source = read_text(path, name, problems)
    if source is None:
        return []
    ctx = Context(name, problems)
    node = compose(source, ctx)
    if node is INVALID:
        return []
    one_per_file = path.parent != paths.content
    if node is None or (isinstance(node, yaml.SequenceNode) and not node.value):
        # Not an error (a new coalition may have no activities yet), but worth saying.
        problems.warn(Location(name, 1), "er staan geen activiteiten in dit bestand. De agenda blijft leeg tot "
                      "je er een toevoegt (python build.py new activiteit \"Titel\").")
        return []
    if one_per_file:
        if not isinstance(node, yaml.MappingNode):
            ctx.error(node, "in de map agenda/ staat in elk bestand één activiteit, zonder streepje ervoor: "
                      "de eerste regel is 'title: ...'. Zet elke activiteit in een eigen bestand, met het id "
                      "als naam, zoals koffieochtend-beilen.yaml.")
            return []
        return [e for e in [load_event(node, ctx, path, paths, file_id=_file_id(path, ctx))] if e is not None]
    if isinstance(node, yaml.MappingNode):
        return [e for e in [load_event(node, ctx, path, paths)] if e is not None]
    if not isinstance(node, yaml.SequenceNode):
        ctx.error(node, "de agenda is een lijst van activiteiten: elke activiteit begint met '- title: ...'.")
        return []
    return [e for e in (load_event(child, ctx, path, paths) for child in node.value) if e is not None]


def _file_id(path: Path, ctx: Context) -> str | None:
    """The id a file in content/agenda/ gives its activity: its name, if that can be an id."""
    stem = path.stem
    if re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", stem) and stem not in RESERVED_IDS:
        return stem
    ctx.problems.error(Location(ctx.path, 1), f"de bestandsnaam '{path.name}' kan geen id zijn: de naam van het "
                       "bestand is het vaste adres van de activiteit. Gebruik kleine letters, cijfers en "
                       f"streepjes, zoals {slugify(stem) or 'koffieochtend-beilen'}{path.suffix}.")
    return None


def _nodes(node: yaml.Node) -> dict[str, yaml.Node]:
    return {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)} if isinstance(node, yaml.MappingNode) else {}


# A stand-in start for checking a repetition's words when the real start is wrong or missing.
WORDS_ONLY = dt.date(2000, 1, 3)


def load_event(node: yaml.Node, ctx: Context, path: Path, paths: SitePaths,
               file_id: str | None = None) -> Event | None:
    """One activity: its fields checked one by one, then against each other.

    file_id: the id its file name gives (content/agenda/<id>.yaml); an 'id' inside must then be the same."""
    record, failed = EVENT.check_values(node, ctx)
    v, problems = record.values, ctx.problems
    nodes = _nodes(node)
    if path.parent != paths.content and file_id is None:
        failed = True  # the file name cannot be an id: reported by _file_id
    if file_id is not None and v.get("id", file_id) != file_id:
        problems.error(record.at("id"), f"het id '{v['id']}' is anders dan de naam van het bestand "
                       f"({path.name}). In de map agenda/ is de bestandsnaam het id: haal de regel 'id' weg, "
                       f"of noem het bestand {v['id']}{path.suffix}.")
        failed = True
    start = v.get("start")
    all_day = not isinstance(start, dt.datetime)
    end = v.get("end")
    clash = False
    if start is None:
        pass  # a missing or wrong start is reported; what depends on it cannot be checked
    elif "end" in v and "duration" in v:
        problems.error(record.at("duration"), "schrijf 'end' (wanneer het afloopt) of 'duration' (hoe lang het "
                       "duurt), niet allebei. Haal er een weg.")
        clash = True
    elif "duration" in v:
        length = v["duration"]
        if all_day:
            if length.seconds or length.days < 1:
                problems.error(record.at("duration"), "een activiteit zonder tijd duurt hele dagen. Schrijf "
                               "duration: 2 dagen, of zet een tijd bij 'start'.")
                clash = True
            else:
                end = start + dt.timedelta(days=length.days - 1)
        else:
            end = (start.astimezone(UTC) + length).astimezone(ZONE)
    elif isinstance(end, dt.time):
        if all_day:
            problems.error(record.at("end"), "'start' heeft geen tijd (dus de hele dag), dan kan 'end' geen "
                           "tijd zijn. Zet een tijd bij 'start', zoals 2026-09-03 10:00.")
            clash = True
        else:
            end = localise(dt.datetime.combine(start.date(), end), None, nodes["end"], ctx)
            clash = clash or end is INVALID
    elif end is not None and all_day != (not isinstance(end, dt.datetime)):
        problems.error(record.at("end"), "'start' en 'end' moeten allebei een tijd hebben, of allebei alleen een "
                       "datum (de hele dag).")
        clash = True
    if start is not None and not clash and end is not None and end is not INVALID:
        if (end < start) if all_day else (end <= start):
            shown = end.isoformat() if all_day else f"{dates.clock(end)} op {dates.long_date(end.date())}"
            begun = start.isoformat() if all_day else f"{dates.clock(start)} op {dates.long_date(start.date())}"
            problems.error(record.at("end") if "end" in v else record.at("duration"),
                           f"de activiteit eindigt ({shown}) voor ze begint ({begun}). Controleer 'start' en 'end'.")
            clash = True

    failed = failed or clash
    recurrence = None
    if "repeat" in v and "rrule" in v:
        problems.error(record.at("rrule"), "schrijf de herhaling als 'repeat' of als 'rrule', niet allebei.")
        failed = True
    elif "repeat" in v and start is None:
        build_recurrence(v["repeat"], _nodes(nodes["repeat"]), WORDS_ONLY, ctx)  # its words, beside the start
    elif "repeat" in v or "rrule" in v:
        recurrence = _recurrence(record, nodes, start, ctx)
        failed = failed or recurrence is INVALID

    if v.get("status", "gepland") != "gepland" and "status_note" not in v:
        problems.error(record.at("status"), f"bij status: {v['status']} hoort een korte uitleg in 'status_note', "
                       "zoals 'Door ziekte gaat het niet door.' of 'Nu in het dorpshuis.'")
        failed = True

    image = None
    if "image" in v:
        image = resolve_relative(path.relative_to(paths.content).as_posix(), v["image"])
        if image.startswith("..") or not (paths.content / image).is_file():
            problems.error(record.at("image"), f"de afbeelding '{v['image']}' is niet gevonden. Zet het bestand "
                           "naast het agendabestand en schrijf alleen de bestandsnaam, zoals koffie.jpg.")
            failed = True
        if "image_alt" not in v:
            problems.error(record.at("image"), "bij 'image' hoort 'image_alt': een zin die zegt wat er op de "
                           "afbeelding staat (voor wie niet kan zien).")
            failed = True

    if failed:
        return None
    reg = v.get("registration")
    return Event(
        id=file_id or v.get("id") or slugify(f"{v['title']} {_day(start).isoformat()}"),
        title=v["title"],
        start=start,
        end=end,
        all_day=all_day,
        source=ctx.path,
        location=record.location,
        venue=Venue(**v["location"].values) if "location" in v else None,
        online=v.get("online"),
        organiser=Organiser(**v["organiser"].values) if "organiser" in v else None,
        cost=v.get("cost"),
        registration=Registration(**reg.values) if reg else None,
        audience=tuple(dict.fromkeys(v.get("audience", ()))),
        accessibility=v.get("accessibility", ()),
        transport=v.get("transport"),
        description=v.get("description", ""),
        image=image,
        image_alt=v.get("image_alt"),
        status=v.get("status", "gepland"),
        status_note=v.get("status_note"),
        recurrence=recurrence,
        example=v.get("example", False),
        where=record.where,
    )


def _recurrence(record: Record, nodes: dict, start, ctx: Context):
    v = record.values
    if "repeat" in v:
        repeat = v["repeat"]
        built = build_recurrence(repeat, _nodes(nodes["repeat"]), start, ctx)
        if built is INVALID:
            return INVALID
        rule, wording = built
        exceptions = tuple(sorted(repeat.get("except", ())))
        rule_loc, except_loc = record.at("repeat"), repeat.at("except")
    else:
        rule, wording, exceptions = v["rrule"], "volgens een vast schema", ()
        rule_loc = except_loc = record.at("rrule")
    if not check_recurrence(rule, start, exceptions, rule_loc, except_loc, ctx.problems):
        return INVALID
    return Recurrence(rule=rule, text=wording, exceptions=exceptions)


def window_end(now: dt.datetime, months: int = 12) -> dt.datetime:
    """The end of the window over which repeating activities are expanded."""
    return now + relativedelta(months=months)
