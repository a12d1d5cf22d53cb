"""Repeating activities: RRULE semantics, Dutch wording, and local times across daylight-saving changes."""

import datetime as dt

import pytest

from agenda_helpers import agenda_site, build, outputs
from sitegen.agenda.occurrences import occurrences, upcoming_occurrences
from sitegen.agenda.recurrence import describe
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
    assert event.recurrence.text == "elke week op dinsdag, tot en met 12 januari 2027"
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


# Each repeat rule at several moments: the next dates, and the same Dutch words on the activity page and in the
# list (the agenda's first four weeks). Written as an editor would ('repeat') and as an expert would ('rrule').
RULES = [
    ("repeat: {every: week, on: dinsdag}", "2026-12-01 10:00", "elke week op dinsdag",
     {"2026-11-23T12:00": ["2026-12-01", "2026-12-08", "2026-12-15"],
      "2026-12-09T12:00": ["2026-12-15", "2026-12-22", "2026-12-29"]}),
    ("rrule: FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "2026-10-01 14:00", "om de week op donderdag",
     {"2026-11-23T12:00": ["2026-11-26", "2026-12-10", "2026-12-24"],
      "2026-11-27T12:00": ["2026-12-10", "2026-12-24", "2027-01-07"]}),
    ("repeat: {every: week, interval: 2, on: dinsdag}", "2026-12-01 10:00", "om de week op dinsdag",
     {"2026-11-23T12:00": ["2026-12-01", "2026-12-15", "2026-12-29"],
      "2026-12-02T09:00": ["2026-12-15", "2026-12-29", "2027-01-12"]}),
    ("repeat: {every: maand, on: tweede dinsdag}", "2026-12-08 19:30", "elke tweede dinsdag van de maand",
     {"2026-11-23T12:00": ["2026-12-08", "2027-01-12", "2027-02-09"],
      "2026-12-09T12:00": ["2027-01-12", "2027-02-09", "2027-03-09"]}),
    ("rrule: FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", "2026-12-08 19:30", "elke tweede dinsdag van de maand",
     {"2026-12-09T12:00": ["2027-01-12", "2027-02-09", "2027-03-09"]}),
    ("rrule: FREQ=MONTHLY;BYDAY=-1FR;BYMONTH=1,2,3,4,5,6,9,10,11,12", "2026-11-27 14:00",
     "elke laatste vrijdag van de maand, behalve in juli en augustus",
     {"2026-11-23T12:00": ["2026-11-27", "2026-12-25", "2027-01-29"],
      "2027-06-01T12:00": ["2027-06-25", "2027-09-24", "2027-10-29"]}),
    ("rrule: FREQ=MONTHLY;BYMONTHDAY=15;BYMONTH=1,2,3,4,5,6,9,10,11,12", "2026-12-15 10:00",
     "elke maand op de 15e, behalve in juli en augustus",
     {"2027-06-16T12:00": ["2027-09-15", "2027-10-15", "2027-11-15"]}),
    ("repeat: {every: maand, on: eerste donderdag, count: 3}", "2026-12-03 19:00",
     "elke eerste donderdag van de maand",
     {"2026-11-23T12:00": ["2026-12-03", "2027-01-07", "2027-02-04"], "2027-01-08T12:00": ["2027-02-04"]}),
    ("repeat: {every: dag, interval: 2, until: 2026-12-05}", "2026-11-29 09:00", "om de dag",
     {"2026-11-23T12:00": ["2026-11-29", "2026-12-01", "2026-12-03", "2026-12-05"]}),
]


@pytest.mark.parametrize("rule, start, words, expected", RULES, ids=[r[2] for r in RULES])
def test_each_repeat_rule_gives_the_right_dates_and_words_at_several_moments(tmp_path, rule, start, words,
                                                                             expected):
    for now, days in expected.items():
        root = tmp_path / now.replace(":", "")
        result, messages = build(agenda_site(root, f"- id: vast\n  title: Vast\n  start: {start}\n  {rule}\n"), now)
        assert messages is None, messages
        coming = [o.start.date().isoformat() for o in upcoming_occurrences(result.site)]
        assert coming[:len(days)] == days, now
        files = outputs(result)
        page = files["agenda/vast/index.html"].decode("utf-8")
        assert f'<span class="event-repeat">{words[0].upper() + words[1:]}' in page
        listing = files["agenda/index.html"].decode("utf-8")
        assert f"Hoe vaak</dt><dd>{words[0].upper() + words[1:]}</dd>" in listing or \
            f"{words[0].upper() + words[1:]}: " in listing, now  # the list, or the month's repeat line
        assert "vast schema" not in page + listing


@pytest.mark.parametrize("rule, words", [
    ("FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20270112T225959Z", "elke week op maandag en woensdag, tot en met 12 januari 2027"),
    ("FREQ=WEEKLY;INTERVAL=3", "elke 3 weken op donderdag"),
    ("FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO", "om de maand op de eerste maandag van de maand"),
    ("FREQ=YEARLY;BYMONTH=9;BYDAY=-1TH", "elk jaar op de laatste donderdag van september"),
    ("FREQ=MONTHLY;BYMONTH=3,4,5", "elke maand op de 1e, alleen in maart, april en mei"),
    ("FREQ=MONTHLY;COUNT=6;BYDAY=1TH", "elke eerste donderdag van de maand, 6 keer"),
])
def test_an_experts_rrule_is_worded_from_the_rule_itself(rule, words):
    assert describe(rule, dt.date(2026, 10, 1)) == words


@pytest.mark.parametrize("rule", ["FREQ=DAILY;BYHOUR=3,15", "FREQ=MONTHLY;INTERVAL=2;BYDAY=TU", "zomaar iets"])
def test_a_rule_it_cannot_word_exactly_points_to_the_dates_instead_of_guessing(rule):
    assert describe(rule, dt.date(2026, 10, 1)) == "op vaste dagen (zie de data hieronder)"
