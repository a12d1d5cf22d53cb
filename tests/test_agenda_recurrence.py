"""Repeating activities: RRULE semantics, Dutch wording, and local times across daylight-saving changes."""

import datetime as dt
import re
from pathlib import Path

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


# Skipping months and periods (except): the rule leaves the months out (BYMONTH), periods skip the rule's dates.
SUMMER = dt.datetime(2028, 12, 31, tzinfo=AMSTERDAM)


def test_except_months_leave_them_out_of_the_rule_and_say_so(tmp_path):
    site = events(tmp_path, "- title: Soep\n  start: 2026-10-06 12:00\n"
                            "  repeat: {every: maand, on: eerste dinsdag, except: [juli, Augustus]}\n")
    event = site.events[0]
    assert event.recurrence.rule == "FREQ=MONTHLY;BYDAY=1TU;BYMONTH=1,2,3,4,5,6,9,10,11,12"
    assert event.recurrence.text == "elke eerste dinsdag van de maand, behalve in juli en augustus"
    days = [o.start.date() for o in occurrences(event, SUMMER)]
    assert not [d for d in days if d.month in (7, 8)]
    assert dt.date(2027, 6, 1) in days and dt.date(2027, 9, 7) in days and dt.date(2028, 9, 5) in days
    assert event.recurrence.skipped == ()  # months are in the rule, not a list of dates


def test_a_period_without_a_year_skips_it_every_year_and_a_dated_one_once(tmp_path):
    site = events(tmp_path, "- title: Koffie\n  start: 2026-10-06 10:00\n  repeat:\n    every: week\n"
                            "    on: dinsdag\n    except:\n      - 13 juli tot 21 augustus\n"
                            "      - {from: 2026-12-21, until: 2027-01-03}\n      - 2027-04-27\n")
    event = site.events[0]
    assert event.recurrence.text == ("elke week op dinsdag, behalve van 13 juli tot en met 21 augustus en van "
                                     "21 december 2026 tot en met 3 januari 2027")
    days = {o.start.date() for o in occurrences(event, SUMMER)}
    for year in (2027, 2028):
        summer = [d for d in days if dt.date(year, 7, 13) <= d <= dt.date(year, 8, 21)]
        assert summer == [], year
        assert dt.date(year, 7, 6) in days or dt.date(year, 7, 11) in days  # the week before still is
    assert dt.date(2026, 12, 22) not in days and dt.date(2026, 12, 29) not in days
    assert dt.date(2027, 12, 21) in days and dt.date(2027, 12, 28) in days  # the dated period is once
    assert dt.date(2027, 4, 27) not in days
    assert event.recurrence.exceptions == (dt.date(2027, 4, 27),)  # only single dates are listed as "Niet op"


def test_a_period_in_words_takes_its_year_from_the_other_end(tmp_path):
    site = events(tmp_path, "- title: Koffie\n  start: 2026-10-06 10:00\n  repeat:\n    every: week\n"
                            "    on: dinsdag\n    except: [21 december t/m 3 januari 2027, juni 2027, 25 december]\n")
    event = site.events[0]
    assert event.recurrence.text == ("elke week op dinsdag, behalve van 21 december 2026 tot en met 3 januari 2027"
                                     ", in juni 2027 en op 25 december")
    days = {o.start.date() for o in occurrences(event, SUMMER)}
    assert not {dt.date(2026, 12, 22), dt.date(2026, 12, 29)} & days
    assert not [d for d in days if (d.year, d.month) == (2027, 6)]
    assert dt.date(2028, 6, 6) in days
    assert dt.date(2029, 12, 25) in event.recurrence.skipped  # a Tuesday: 25 December every year


def test_the_activity_page_and_the_list_word_the_rule_with_its_exceptions(tmp_path):
    root = tmp_path / "site"
    result, messages = build(agenda_site(root, "- id: soep\n  title: Soep\n  start: 2026-06-02 12:00\n  repeat:\n"
                                               "    every: maand\n    on: eerste dinsdag\n"
                                               "    except: [juli, augustus, 2026-12-01]\n"), "2026-06-03T12:00")
    assert messages is None, messages
    files = outputs(result)
    page = files["agenda/soep/index.html"].decode()
    assert ('<span class="event-repeat">Elke eerste dinsdag van de maand, behalve in juli en augustus.</span>'
            in page)
    assert "Niet op: dinsdag 1 december." in page
    coming = [o.start.date() for o in upcoming_occurrences(result.site)]
    assert coming[:3] == [dt.date(2026, 9, 1), dt.date(2026, 10, 6), dt.date(2026, 11, 3)]
    assert coming[3] == dt.date(2027, 1, 5)
    # JSON-LD and the search record name the same dates
    assert '"startDate": "2026-09-01T12:00:00+02:00"' in page and "2026-07-07" not in page
    assert "2026-08-04" not in page
    from sitegen.agenda.occurrences import all_occurrences
    from sitegen.render.search import _next_dates  # the date in the search record
    assert _next_dates(all_occurrences(result.site), result.site.now)["soep"].startswith("dinsdag 1 september 2026")
    listing = files["agenda/index.html"].decode()
    assert "Elke eerste dinsdag van de maand, behalve in juli en augustus" in listing


def test_the_example_in_the_agenda_guide_builds_and_reads_as_the_guide_says(tmp_path):
    guide = (Path(__file__).parent.parent / "docs" / "agenda.md").read_text(encoding="utf-8")
    section = guide.split("### Niet in de zomer", 1)[1]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    said = re.search(r'Op de site staat dan: "([^"]+)"', section.replace("\n", " "))[1]
    site = events(tmp_path, "- id: koffie\n  title: Koffie\n" + "".join(f"  {line}\n" for line in example.splitlines()))
    event = site.events[0]
    assert event.recurrence.text[0].upper() + event.recurrence.text[1:] == said
    assert event.recurrence.exceptions == (dt.date(2026, 11, 3),)
    days = {o.start.date() for o in occurrences(event, SUMMER)}
    assert dt.date(2026, 10, 20) not in days and dt.date(2027, 10, 19) in days
