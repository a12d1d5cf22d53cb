r"""iCalendar files for the agenda, made with the icalendar package.

/agenda.ics holds every activity (repeating ones as RRULE + EXDATE, months left out as BYMONTH, cancelled ones STATUS:CANCELLED);
/agenda/<id>.ics holds one. Times are local to Europe/Amsterdam with a VTIMEZONE, so a repeating 10:00
stays 10:00 across daylight-saving changes. UIDs come from the activity's id, so they stay stable.

Two things the icalendar package does not do for us, done here:
- A local time that happens twice (02:00-03:00 on the last Sunday of October) means its first occurrence
  in a TZID value (RFC 5545, 3.3.5), so the second one is written in UTC (`...Z`): an activity across that
  night ends when it ends.
- Every text value is escaped by RFC 5545 (3.3.11) here, once (`text`): backslash, `;`, `,`, and a line
  break as `\n`, with CR, LF and CRLF all one line break and other control characters dropped. icalendar
  escapes only its known TEXT properties (X-WR-CALNAME went out raw, so a CR in a title added lines to
  the file) and reads a literal `\N` as a line break. Folding at 75 octets stays icalendar's.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

from .render import has_agenda
from .moments import UTC, ZONE
from ..source.markdown import plain_text
from ..core.model import Event, Output, Site
from ..core.urls import AGENDA_CALENDAR_URL, absolute, event_calendar_url, event_url, output_path

TZID = "Europe/Amsterdam"
PRODID = "-//Een tegen eenzaamheid//sitegen//NL"
REFRESH = dt.timedelta(hours=12)


END = b"END:VCALENDAR\r\n"
LINE_BREAK = re.compile(r"\r\n|\r|\n|\u2028|\u2029|\x85")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # all but TAB; line breaks are gone by then


def render_calendars(site: Site, map_fn=lambda function, items: list(map(function, items))) -> list[Output]:
    """/agenda.ics with every activity, and one .ics per activity for 'In mijn agenda'.

    Each activity is serialised once and its bytes reused in both files: the same bytes the
    icalendar package writes for a whole calendar (properties, then VTIMEZONE, then the VEVENTs)."""
    if not has_agenda(site):
        return []
    zone = amsterdam().to_ical()
    # In id order: the same calendar whichever files the activities are in, and in whatever order.
    events = sorted(site.events, key=lambda event: event.id)
    vevents = map_fn(lambda event: vevent(site, event).to_ical(), events)
    outputs = [Output(output_path(AGENDA_CALENDAR_URL), calendar(site, events, vevents, zone),
                      site.events[0].source if site.events else site.config.source)]
    for event, item in zip(events, vevents):
        outputs.append(Output(output_path(event_calendar_url(event.id)),
                              calendar(site, (event,), [item], zone, name=event.title), event.source))
    return outputs


def calendar(site: Site, events, vevents: list[bytes], zone: bytes, name: str | None = None) -> bytes:
    import icalendar  # here, not at the top: a rebuild that reuses the calendars never loads it
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", text(name or f"Agenda {site.config.title}"))
    cal.add("x-wr-timezone", TZID)
    if name is None:
        cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", REFRESH)
    head = cal.to_ical()
    timezone = zone if any(not e.all_day for e in events) else b""
    return head[:-len(END)] + timezone + b"".join(vevents) + END


def amsterdam() -> icalendar.Timezone:
    """Europe/Amsterdam by the EU rule (since 1996): summer time from the last Sunday of March, 02:00,
    to the last Sunday of October, 03:00. tests/test_ical.py checks it against the tz database."""
    import icalendar  # here, not at the top: a rebuild that reuses the calendars never loads it
    zone = icalendar.Timezone()
    zone.add("tzid", TZID)
    zone.add("x-lic-location", TZID)
    summer = icalendar.TimezoneDaylight()
    summer.add("tzname", "CEST")
    summer.add("tzoffsetfrom", dt.timedelta(hours=1))
    summer.add("tzoffsetto", dt.timedelta(hours=2))
    summer.add("dtstart", dt.datetime(1981, 3, 29, 2, 0))
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    winter = icalendar.TimezoneStandard()
    winter.add("tzname", "CET")
    winter.add("tzoffsetfrom", dt.timedelta(hours=2))
    winter.add("tzoffsetto", dt.timedelta(hours=1))
    winter.add("dtstart", dt.datetime(1996, 10, 27, 3, 0))
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    zone.add_component(summer)
    zone.add_component(winter)
    return zone


def plain(value: str) -> str:
    """The text as a calendar keeps it: every kind of line break one LF, other control characters gone."""
    return CONTROL.sub("", LINE_BREAK.sub("\n", value))


def text(value: str) -> "icalendar.vUnknown":  # noqa: F821
    """A TEXT value escaped by RFC 5545 3.3.11, written as it is (icalendar only folds it)."""
    import icalendar  # here, not at the top: a rebuild that reuses the calendars never loads it
    escaped = plain(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return icalendar.vUnknown(escaped.replace("\n", "\\n"))


def parameter(value: str) -> str:
    """A parameter value (such as CN): one line, no control characters, no double quote."""
    return CONTROL.sub("", LINE_BREAK.sub(" ", value)).replace('"', "'")


def moment(value: dt.datetime) -> dt.datetime:
    """A date-time as written: Amsterdam time (TZID), or UTC when that local time happens twice and this
    is the second time (a TZID value names the first, RFC 5545 3.3.5)."""
    local = value.astimezone(ZONE)
    if local.replace(fold=0).utcoffset() != local.utcoffset():
        return value.astimezone(UTC)
    return local


def vevent(site: Site, event: Event) -> icalendar.Event:
    import icalendar  # here, not at the top: a rebuild that reuses the calendars never loads it
    item = icalendar.Event()
    host = urlsplit(site.base_url).hostname or "localhost"
    item.add("uid", f"{event.id}@{host}")
    item.add("dtstamp", site.now.astimezone(UTC))
    title = f"AFGELAST: {event.title}" if event.cancelled else event.title
    item.add("summary", text(title))
    if event.all_day:
        item.add("dtstart", event.start)
        last = event.end or event.start
        item.add("dtend", last + dt.timedelta(days=1))  # DTEND of a date is exclusive
    else:
        item.add("dtstart", moment(event.start))
        if event.end is not None:
            item.add("dtend", moment(event.end))
    if event.recurrence:
        item.add("rrule", icalendar.vRecur.from_ical(event.recurrence.rule))
        for values in exdates(event):
            item.add("exdate", values, parameters={"VALUE": "DATE"} if event.all_day else None)
    item.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    url = absolute(site.base_url, event_url(event.id))
    item.add("url", url)
    if event.venue:
        item.add("location", text(event.venue.one_line))
    elif event.online:
        item.add("location", text(event.online))
    item.add("description", text(description(event, url)))
    if event.organiser:
        if event.organiser.email:
            organizer = icalendar.vCalAddress(f"mailto:{event.organiser.email}")
            organizer.params["cn"] = parameter(event.organiser.name)
            item.add("organizer", organizer)
    if event.audience:
        item.add("categories", icalendar.vUnknown(",".join(text(tag) for tag in event.audience)))
    return item


def exdates(event: Event) -> list[list]:
    """The dates a repeating activity skips, as EXDATE values: one property of dates (all day), or of
    Amsterdam times, with a second one in UTC for a time that happens twice (see moment)."""
    days = event.recurrence.skipped
    if not days:
        return []
    if event.all_day:
        return [list(days)]
    start = event.start.astimezone(ZONE)
    moments = [moment(dt.datetime.combine(day, start.time(), tzinfo=ZONE).replace(fold=start.fold)) for day in days]
    local = [m for m in moments if m.tzinfo is not UTC]
    return [group for group in (local, [m for m in moments if m.tzinfo is UTC]) if group]


def description(event: Event, url: str) -> str:
    """A plain-text summary for calendar apps: status, the text, cost, sign-up, contact, and the page."""
    lines = []
    if event.status != "gepland":
        lines.append(f"{event.status.upper()}: {event.status_note}")
    text = plain_text(str(event.description_html)) if event.description_html else event.description
    if text:
        lines.append(text)
    if event.cost:
        lines.append(f"Kosten: {event.cost}")
    if event.registration:
        reg = event.registration
        how = ", ".join(x for x in (reg.phone and f"bel {reg.phone}", reg.email and f"mail {reg.email}",
                                    reg.url) if x)
        lines.append(("Aanmelden nodig" if reg.needed else "Aanmelden hoeft niet") + (f": {how}" if how else ""))
    if event.transport:
        lines.append(f"Vervoer: {event.transport}")
    if event.organiser:
        contact = ", ".join(x for x in (event.organiser.name, event.organiser.phone) if x)
        lines.append(f"Organisatie: {contact}")
    if event.online:
        lines.append(f"Online: {event.online}")
    lines.append(f"Meer informatie: {url}")
    return "\n\n".join(lines)
