"""The calendars, read back with icalendar: UIDs, RRULE/EXDATE, cancelled status, and times compared in UTC."""

import datetime as dt
from pathlib import Path

import icalendar
import pytest
from dateutil.rrule import rrulestr

from agenda_helpers import build, outputs
from sitegen.core.dates import AMSTERDAM
from sitegen.agenda.ical import amsterdam

SITE = Path(__file__).parent / "fixtures" / "agenda" / "site"
UTC = dt.timezone.utc


@pytest.fixture(scope="module")
def files():
    result, messages = build(SITE)
    assert messages is None, messages
    return outputs(result)


def read(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


def events_by_uid(cal):
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_the_whole_agenda_holds_every_activity_with_stable_uids(files):
    cal = read(files["agenda.ics"])
    assert str(cal["VERSION"]) == "2.0" and str(cal["METHOD"]) == "PUBLISH"
    uids = set(events_by_uid(cal))
    assert uids == {f"{i}@test.example.nl" for i in ("koffieochtend", "bingo", "maand-van-de-ontmoeting",
                                                       "workshop", "picknick", "week-tegen-eenzaamheid",
                                                       "praatgroep")}


def test_times_are_right_in_utc_on_both_sides_of_the_clock_change(files):
    cal = read(files["agenda.ics"])
    workshop = events_by_uid(cal)["workshop@test.example.nl"]
    assert workshop["DTSTART"].dt.astimezone(UTC) == dt.datetime(2026, 11, 24, 18, 30, tzinfo=UTC)
    assert workshop["DTEND"].dt.astimezone(UTC) == dt.datetime(2026, 11, 24, 20, 30, tzinfo=UTC)
    picnic = events_by_uid(cal)["picknick@test.example.nl"]  # summer time: +02:00
    assert picnic["DTSTART"].dt.astimezone(UTC) == dt.datetime(2026, 7, 15, 10, 0, tzinfo=UTC)
    assert picnic["DTSTART"].params["TZID"] == "Europe/Amsterdam"


def test_recurring_activity_keeps_rrule_and_exdate_and_expands_to_local_ten_oclock(files):
    cal = read(files["agenda.ics"])
    koffie = events_by_uid(cal)["koffieochtend@test.example.nl"]
    rule = koffie["RRULE"].to_ical().decode()
    assert rule == "FREQ=WEEKLY;UNTIL=20270126T225959Z;BYDAY=TU"
    exdates = [d.dt for d in koffie["EXDATE"].dts]
    assert [d.astimezone(UTC) for d in exdates] == [dt.datetime(2026, 12, 29, 9, 0, tzinfo=UTC)]
    start = koffie["DTSTART"].dt
    assert start.astimezone(UTC) == dt.datetime(2026, 10, 6, 8, 0, tzinfo=UTC)  # summer time
    dates = list(rrulestr(rule, dtstart=start))
    # 10:00 local all along: 08:00 UTC before 25 October, 09:00 UTC after.
    assert dates[2].astimezone(UTC) == dt.datetime(2026, 10, 20, 8, 0, tzinfo=UTC)
    assert dates[3].astimezone(UTC) == dt.datetime(2026, 10, 27, 9, 0, tzinfo=UTC)


def test_cancelled_activity_has_status_cancelled(files):
    bingo = events_by_uid(read(files["agenda.ics"]))["bingo@test.example.nl"]
    assert str(bingo["STATUS"]) == "CANCELLED"
    assert str(bingo["SUMMARY"]).startswith("AFGELAST")
    assert str(events_by_uid(read(files["agenda.ics"]))["workshop@test.example.nl"]["STATUS"]) == "CONFIRMED"


def test_all_day_activities_use_dates_with_an_exclusive_end(files):
    month = events_by_uid(read(files["agenda.ics"]))["maand-van-de-ontmoeting@test.example.nl"]
    assert month["DTSTART"].dt == dt.date(2026, 11, 1)
    assert month["DTEND"].dt == dt.date(2026, 12, 1)


def test_one_calendar_per_activity_with_the_same_uid(files):
    cal = read(files["agenda/koffieochtend.ics"])
    (event,) = cal.walk("VEVENT")
    assert str(event["UID"]) == "koffieochtend@test.example.nl"
    assert str(event["URL"]) == "https://test.example.nl/agenda/koffieochtend/"
    assert "Dorpshuis, Brink 1, 9411 AA Beilen" == str(event["LOCATION"])
    assert cal.walk("VTIMEZONE")


def test_dtstamp_comes_from_now_so_builds_repeat(files):
    event = events_by_uid(read(files["agenda.ics"]))["workshop@test.example.nl"]
    assert event["DTSTAMP"].dt == dt.datetime(2026, 11, 23, 11, 0, tzinfo=UTC)


def test_the_vtimezone_agrees_with_the_tz_database():
    """Our RRULE-based VTIMEZONE gives the same UTC offsets as zoneinfo, hour by hour round the changes."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//test//NL")
    cal.add("version", "2.0")
    cal.add_component(amsterdam())
    event = icalendar.Event()
    event.add("uid", "x")
    event.add("dtstamp", dt.datetime(2026, 1, 1, tzinfo=UTC))
    cal.add_component(event)
    zone = read(cal.to_ical()).walk("VTIMEZONE")[0].to_tz()
    for year in range(2025, 2031):
        for month, day in ((3, 20), (10, 20)):
            moment = dt.datetime(year, month, day, tzinfo=UTC)
            for _ in range(24 * 14):
                assert moment.astimezone(zone).utcoffset() == moment.astimezone(AMSTERDAM).utcoffset(), moment
                moment += dt.timedelta(hours=1)


SKIPPING = """\
- id: soep
  title: Soep
  start: 2026-09-01 12:00
  end: 13:30
  repeat: {every: week, on: dinsdag, except: [juli, augustus, 21 december tot 3 januari, 2027-04-27]}
- id: markt
  title: Markt
  start: 2026-09-05
  repeat:
    every: week
    on: zaterdag
    except:
      - juli
      - {from: 2027-05-01, until: 2027-05-31}
"""


def expand(vevent, until: dt.datetime) -> list[dt.date]:
    """The dates a calendar app shows: the VEVENT's RRULE expanded by dateutil, its EXDATEs taken out."""
    start = vevent["DTSTART"].dt
    timed = isinstance(start, dt.datetime)
    first = start if timed else dt.datetime.combine(start, dt.time())
    rules = rrulestr(vevent["RRULE"].to_ical().decode(), dtstart=first, forceset=True)
    exdates = vevent.get("EXDATE", [])
    for group in exdates if isinstance(exdates, list) else [exdates]:
        for value in group.dts:
            day = value.dt
            rules.exdate(day if timed else dt.datetime.combine(day, dt.time()))
    stop = until if timed else until.replace(tzinfo=None)
    return [moment.date() for moment in rules.between(first - dt.timedelta(days=1), stop)]


def test_months_and_periods_left_out_are_in_the_calendar_as_the_site_shows_them(tmp_path):
    from agenda_helpers import agenda_site
    from sitegen.agenda.occurrences import occurrences
    result, messages = build(agenda_site(tmp_path / "site", SKIPPING), "2026-11-23T12:00")
    assert messages is None, messages
    files = outputs(result)
    until = dt.datetime(2029, 1, 1, tzinfo=AMSTERDAM)
    for uid, name in (("soep", "agenda/soep.ics"), ("markt", "agenda/markt.ics")):
        (vevent,) = read(files[name]).walk("VEVENT")
        in_agenda = events_by_uid(read(files["agenda.ics"]))[f"{uid}@test.example.nl"]
        assert vevent.to_ical() == in_agenda.to_ical()
        shown = expand(vevent, until)
        event = next(e for e in result.site.events if e.id == uid)
        assert shown == [o.start if o.all_day else o.start.date() for o in occurrences(event, until)], uid
        assert not [d for d in shown if d.month == 7], uid  # no occurrence falls in July, in any year
        assert "BYMONTH" in vevent["RRULE"]
    soep = expand(read(files["agenda/soep.ics"]).walk("VEVENT")[0], until)
    assert not [d for d in soep if d.month == 8]
    assert not [d for d in soep if (d.month, d.day) >= (12, 21) or (d.month, d.day) <= (1, 3)]  # every year
    assert dt.date(2027, 4, 27) not in soep and dt.date(2027, 4, 20) in soep
    assert dt.date(2027, 12, 14) in soep and dt.date(2028, 1, 4) in soep
    markt = expand(read(files["agenda/markt.ics"]).walk("VEVENT")[0], until)
    assert not [d for d in markt if (d.year, d.month) == (2027, 5)] and dt.date(2028, 5, 6) in markt
    assert dt.date(2027, 8, 7) in markt  # August was not left out of this one
    text = files["agenda/soep.ics"].decode()
    assert "RRULE:FREQ=WEEKLY;BYDAY=TU;BYMONTH=1,2,3,4,5,6,9,10,11,12" in text
    assert "EXDATE;TZID=Europe/Amsterdam:20261222T120000,20261229T120000," in text  # one list, not a line each
