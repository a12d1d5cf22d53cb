"""Repeating activities: RRULE semantics, Dutch wording, and local times across daylight-saving changes."""

import datetime as dt

from agenda_helpers import agenda_site, build
from sitegen.agenda.occurrences import occurrences, upcoming_occurrences
from sitegen.core.dates import AMSTERDAM

UTC = dt.timezone.utc
FAR = dt.datetime(2028, 1, 1, tzinfo=AMSTERDAM)


def events(tmp_path, yaml_text, now="2026-11-23T12:00"):
    result, messages = build(agenda_site(tmp_path / "site", yaml_text), now)
    assert messages is None, messages
    return result.site


def test_weekly_keeps_ten_oclock_local_across_both_dst_weekends(tmp_path):
    site = events(tmp_path, "- title: Koffie\n  start: 2026-03-22 10:00\n  end: 11:00\n"
                            "  repeat: {every: week, on: zondag, until: 2026-11-01}\n")
    dates = occurrences(site.events[0], FAR)
    by_day = {o.start.date(): o for o in dates}
    assert all((o.start.hour, o.start.minute) == (10, 0) for o in dates)
    assert by_day[dt.date(2026, 3, 22)].start.astimezone(UTC).hour == 9  # winter time, +01:00
    assert by_day[dt.date(2026, 3, 29)].start.astimezone(UTC).hour == 8  # summer time from that Sunday
    assert by_day[dt.date(2026, 10, 25)].start.astimezone(UTC).hour == 9  # winter time again
    assert by_day[dt.date(2026, 10, 25)].end.astimezone(UTC).hour == 10
    assert max(by_day) == dt.date(2026, 11, 1)  # until is inclusive


def test_a_weekly_time_in_the_spring_gap_moves_an_hour_on_that_day_only(tmp_path):
    site = events(tmp_path, "- title: Nacht\n  start: 2026-03-22 02:30\n  repeat: {every: week, count: 3}\n")
    starts = [o.start for o in occurrences(site.events[0], FAR)]
    assert [(s.day, s.hour, s.minute) for s in starts] == [(22, 2, 30), (29, 3, 30), (5, 2, 30)]
    assert starts[1].astimezone(UTC) == dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_first_monday_of_the_month_with_its_dutch_wording(tmp_path):
    site = events(tmp_path, "- title: Soep\n  start: 2026-10-05 12:00\n  repeat: {every: maand, on: eerste maandag}\n")
    event = site.events[0]
    assert event.recurrence.rule == "FREQ=MONTHLY;BYDAY=1MO"
    assert event.recurrence.text == "elke eerste maandag van de maand"
    days = [o.start.date() for o in occurrences(event, dt.datetime(2027, 3, 1, tzinfo=AMSTERDAM))]
    assert days == [dt.date(2026, 10, 5), dt.date(2026, 11, 2), dt.date(2026, 12, 7), dt.date(2027, 1, 4),
                    dt.date(2027, 2, 1)]


def test_week_tegen_eenzaamheid_starts_on_the_last_thursday_of_september(tmp_path):
    site = events(tmp_path, "- title: Week tegen Eenzaamheid\n  start: 2026-09-24\n  duration: 8 dagen\n"
                            "  repeat: {every: jaar, month: september, on: laatste donderdag}\n")
    event = site.events[0]
    assert event.recurrence.text == "elk jaar op de laatste donderdag van september"
    found = occurrences(event, dt.datetime(2029, 1, 1, tzinfo=AMSTERDAM))
    assert [(o.start, o.end) for o in found] == [
        (dt.date(2026, 9, 24), dt.date(2026, 10, 1)), (dt.date(2027, 9, 30), dt.date(2027, 10, 7)),
        (dt.date(2028, 9, 28), dt.date(2028, 10, 5))]


def test_except_dates_are_skipped_and_until_is_kept(tmp_path):
    site = events(tmp_path, "- title: Koffie\n  start: 2026-12-01 10:00\n"
                            "  repeat: {every: week, on: dinsdag, until: 2027-01-12, except: [2026-12-29]}\n")
    event = site.events[0]
    assert event.recurrence.text == "elke dinsdag, tot en met 12 januari 2027"
    assert event.recurrence.rule == "FREQ=WEEKLY;BYDAY=TU;UNTIL=20270112T225959Z"
    days = [o.start.day for o in occurrences(event, FAR)]
    assert days == [1, 8, 15, 22, 5, 12]


def test_expert_rrule_and_fortnightly_interval_agree(tmp_path):
    site = events(tmp_path, "- title: A\n  start: 2026-10-01 14:00\n  rrule: FREQ=WEEKLY;INTERVAL=2;BYDAY=TH\n"
                            "- title: B\n  start: 2026-10-01 14:00\n  repeat: {every: week, interval: 2, on: donderdag}\n")
    a, b = site.events
    until = dt.datetime(2027, 1, 1, tzinfo=AMSTERDAM)
    assert [o.start for o in occurrences(a, until)] == [o.start for o in occurrences(b, until)]
    assert b.recurrence.text == "om de week op donderdag"


def test_expansion_stops_twelve_months_after_now(tmp_path):
    site = events(tmp_path, "- title: Koffie\n  start: 2026-12-01 10:00\n  repeat: {every: week}\n")
    coming = upcoming_occurrences(site)
    assert coming[0].start.date() == dt.date(2026, 12, 1)
    assert coming[-1].start.date() == dt.date(2027, 11, 23)
    assert len(coming) == 52
