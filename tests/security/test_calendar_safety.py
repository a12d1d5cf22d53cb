"""Calendars an agenda app can trust: real durations across both clock changes, and text that stays text.

Read back with the icalendar package (and zoneinfo for the expected times), as a calendar app would:
- an activity across the night of 24-25 October 2026 (02:00-03:00 happens twice) and one across the night
  of 28-29 March 2026 (02:00-03:00 does not happen) last as long in UTC as the editor wrote;
- a title, venue, organiser and description with CR, LF, `;`, `,`, `\\` and 200-character lines: every
  physical line of the file is at most 75 octets, there is no CR or LF outside the CRLF that ends a line,
  and every value reads back as written. Line breaks are normalised, and this is the rule we test: CR, LF
  and CRLF in a value are each one line break (LF) in the calendar; other control characters are dropped.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import icalendar
import pytest

from agenda_helpers import agenda_site, build, outputs
from sitegen.core.dates import AMSTERDAM

UTC = dt.timezone.utc
NOW = "2026-01-05T12:00"
LONG = "Koffie en thee " * 14  # 210 characters on one line
TITLE = "Nacht\r\nvan de; ontmoeting, met \\ en\rnog een regel\nBEGIN:VEVENT " + LONG + "é€"
VENUE = "Zaal; De Brink, achter\\om\rEND:VCALENDAR " + LONG + "zaal 2"
ORGANISER = 'Stichting "Samen"\r\nX-EVIL:1; a,b'
DESCRIPTION = "Regel een; twee, drie \\ vier\r\n\r\nregel vijf " + LONG + "."


def quoted(value: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(value, ensure_ascii=True)


NIGHTS = """\
- id: nacht-oktober
  title: Nacht van de klok
  start: 2026-10-24 23:00
  duration: 4 uur
- id: tot-de-tweede-keer
  title: Tot de tweede half drie
  start: 2026-10-25 01:30+02:00
  end: 2026-10-25 02:30+01:00
- id: nacht-maart
  title: Nacht van de zomertijd
  start: 2026-03-28 22:00
  duration: 5 uur
"""


def texts_agenda() -> str:
    return f"""\
- id: tekst
  title: {quoted(TITLE)}
  start: 2026-06-10 10:00
  end: 12:00
  location: {{name: {quoted(VENUE)}, place: Beilen}}
  organiser: {{name: {quoted(ORGANISER)}, email: info@voorbeeld.nl}}
  description: {quoted(DESCRIPTION)}
"""


def built(folder: Path, agenda: str) -> dict[str, bytes]:
    result, messages = build(agenda_site(folder, agenda), NOW)
    assert messages is None, messages
    return outputs(result)


@pytest.fixture(scope="module")
def nights(tmp_path_factory):
    return built(tmp_path_factory.mktemp("nights"), NIGHTS)


@pytest.fixture(scope="module")
def texts(tmp_path_factory):
    return built(tmp_path_factory.mktemp("texts"), texts_agenda())


def normalised(value: str) -> str:
    """What a calendar keeps of a text: CR, LF and CRLF each one LF (the rule of this test)."""
    return re.sub(r"\r\n|\r", "\n", value)


def unescape(value: str) -> str:
    """RFC 5545 3.3.11 TEXT, read strictly from left to right."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def event(data: bytes, uid: str) -> icalendar.Event:
    found = [e for e in icalendar.Calendar.from_ical(data).walk("VEVENT") if str(e["UID"]).startswith(uid + "@")]
    assert len(found) == 1, uid
    return found[0]


def span(item: icalendar.Event) -> tuple[dt.datetime, dt.datetime]:
    return item["DTSTART"].dt.astimezone(UTC), item["DTEND"].dt.astimezone(UTC)


def local(text: str) -> dt.datetime:
    """A wall-clock time in Amsterdam (the first of two, where a time happens twice)."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=AMSTERDAM)


@pytest.mark.parametrize("name", ["agenda.ics", "agenda/nacht-oktober.ics"])
def test_an_activity_across_the_october_night_lasts_its_four_hours_in_utc(nights, name):
    start, end = span(event(nights[name], "nacht-oktober"))
    assert start == local("2026-10-24T23:00").astimezone(UTC) == dt.datetime(2026, 10, 24, 21, 0, tzinfo=UTC)
    assert end == dt.datetime(2026, 10, 25, 1, 0, tzinfo=UTC)  # 02:00 winter time, after the clock went back
    assert end - start == dt.timedelta(hours=4)


@pytest.mark.parametrize("name", ["agenda.ics", "agenda/tot-de-tweede-keer.ics"])
def test_the_second_half_past_two_is_not_read_as_the_first(nights, name):
    start, end = span(event(nights[name], "tot-de-tweede-keer"))
    assert start == dt.datetime(2026, 10, 24, 23, 30, tzinfo=UTC)
    assert end == dt.datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    assert end - start == dt.timedelta(hours=2)


@pytest.mark.parametrize("name", ["agenda.ics", "agenda/nacht-maart.ics"])
def test_an_activity_across_the_march_night_lasts_its_five_hours_in_utc(nights, name):
    start, end = span(event(nights[name], "nacht-maart"))
    assert start == local("2026-03-28T22:00").astimezone(UTC) == dt.datetime(2026, 3, 28, 21, 0, tzinfo=UTC)
    assert end == dt.datetime(2026, 3, 29, 2, 0, tzinfo=UTC)  # 04:00 summer time
    assert end - start == dt.timedelta(hours=5)


def test_times_that_happen_once_keep_their_amsterdam_time_zone(nights):
    item = event(nights["agenda.ics"], "nacht-oktober")
    assert item["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert b"DTSTART;TZID=Europe/Amsterdam:20261024T230000\r\n" in nights["agenda.ics"]


@pytest.mark.parametrize("name", ["agenda.ics", "agenda/tekst.ics"])
def test_every_physical_line_is_at_most_75_octets_and_ends_in_crlf(texts, name):
    data = texts[name]
    assert data.endswith(b"\r\n")
    lines = data[:-2].split(b"\r\n")
    assert b"\r" not in data.replace(b"\r\n", b"") and b"\n" not in data.replace(b"\r\n", b"")
    assert max(len(line) for line in lines) <= 75, [line for line in lines if len(line) > 75][:1]
    data.decode("utf-8")  # folding never splits a character
    names = [line.split(b":")[0].split(b";")[0] for line in lines if not line.startswith((b" ", b"\t"))]
    assert names.count(b"BEGIN") == names.count(b"END")
    assert b"X-EVIL" not in names and names.count(b"BEGIN") == len(icalendar.Calendar.from_ical(data).walk())


@pytest.mark.parametrize("name", ["agenda.ics", "agenda/tekst.ics"])
def test_title_venue_organiser_and_description_read_back_as_written(texts, name):
    item = event(texts[name], "tekst")
    assert str(item["SUMMARY"]) == normalised(TITLE)
    assert str(item["LOCATION"]) == normalised(VENUE) + ", Beilen"
    # The description is markdown, shown as its plain text: the words and signs as written, the
    # paragraphs joined by the site's plain-text rule (not ours to test here).
    words = str(item["DESCRIPTION"]).split("\n\nOrganisatie: ")[0]
    assert words.split() == DESCRIPTION.split()
    assert str(item["ORGANIZER"]) == "mailto:info@voorbeeld.nl"
    # A parameter cannot hold a line break or a double quote: they become a space and a single quote.
    assert item["ORGANIZER"].params["CN"] == "Stichting 'Samen' X-EVIL:1; a,b"


def test_the_calendar_name_of_one_activity_is_escaped_like_any_text(texts):
    calendar = icalendar.Calendar.from_ical(texts["agenda/tekst.ics"])
    # icalendar keeps an X- property as written; its text is RFC 5545 TEXT, so unescape it as such.
    assert unescape(str(calendar["X-WR-CALNAME"])) == normalised(TITLE)
    assert b"\r\nBEGIN:VEVENT " not in texts["agenda/tekst.ics"]
    assert b"\r\nEND:VCALENDAR " not in texts["agenda/tekst.ics"]


def test_a_backslash_before_n_stays_a_backslash():
    from sitegen.agenda.ical import text
    written = text("C:\\Nieuw\\nu; a,b\r\nc").to_ical().decode()
    assert written == "C:\\\\Nieuw\\\\nu\\; a\\,b\\nc"
    assert unescape(written) == "C:\\Nieuw\\nu; a,b\nc"
