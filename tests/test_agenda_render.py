"""The agenda pages: grouping and order, cancelled and past activities, filters, JSON-LD, and a golden page.

Regenerate the golden pages after a deliberate change with:
    REGENERATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_agenda_render.py
and review the diff of tests/golden/agenda/ like any other change.
"""

import json
import os
import re
from pathlib import Path

import pytest

from agenda_helpers import agenda_site, build, outputs
from conftest import NOW, run_build
from sitegen.agenda.occurrences import group_by_day, past_occurrences, upcoming_occurrences

SITE = Path(__file__).parent / "fixtures" / "agenda" / "site"
GOLDEN = Path(__file__).parent / "golden" / "agenda"
GOLDEN_FILES = ["agenda/index.html", "agenda/koffieochtend/index.html", "agenda/archief/index.html",
                "agenda/in/beilen/index.html"]


@pytest.fixture(scope="module")
def built():
    result, messages = build(SITE)
    assert messages is None, messages
    return result


def main_of(html: bytes) -> str:
    return re.search(r"<main.*?</main>", html.decode("utf-8"), re.S).group(0)


@pytest.mark.parametrize("name", GOLDEN_FILES)
def test_agenda_pages_match_the_golden_files(built, name):
    # Only what the agenda owns: <main> (the header and footer belong to base.html and its own tests).
    produced = main_of(outputs(built)[name]).encode("utf-8") + b"\n"
    golden = GOLDEN / name
    if os.environ.get("REGENERATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(produced)
    assert produced == golden.read_bytes(), f"{name} differs from the golden file"


def test_upcoming_is_grouped_by_day_under_dutch_headings_in_time_order(built):
    groups = group_by_day(upcoming_occurrences(built.site), built.site.now)
    assert [g.heading for g in groups[:4]] == ["Vandaag: maandag 23 november", "Morgen: dinsdag 24 november",
                                              "dinsdag 1 december", "woensdag 2 december"]
    assert [o.event.id for o in groups[1].items] == ["koffieochtend", "workshop"]  # 10:00 before 19:30
    days = [g.day for g in groups]
    assert days == sorted(days)
    assert groups[-1].heading == "donderdag 30 september 2027"  # another year: the year is said


def test_a_cancelled_activity_stays_visible_and_is_clearly_marked(built):
    html = main_of(outputs(built)["agenda/index.html"])
    item = re.search(r'<li class="activity is-cancelled">.*?</li>', html, re.S).group(0)
    assert "Afgelast:" in item and "Bingo" in item and "Door ziekte gaat de bingo niet door." in item


def test_past_activities_move_to_the_archive_by_month_and_nothing_is_lost(built):
    past = past_occurrences(built.site)
    coming = upcoming_occurrences(built.site)
    assert {o.event.id for o in past} >= {"picknick", "week-tegen-eenzaamheid"}
    assert all(o.event.id != "picknick" for o in coming)
    assert {e.id for e in built.site.events} == {o.event.id for o in past + coming}
    archive = main_of(outputs(built)["agenda/archief/index.html"])
    assert archive.index("November 2026") < archive.index("Oktober 2026") < archive.index("Juli 2026")
    assert "/agenda/picknick/" in archive


def test_filter_pages_per_village_and_per_audience(built):
    files = outputs(built)
    beilen = main_of(files["agenda/in/beilen/index.html"])
    assert "Koffieochtend" in beilen and "Bingo" not in beilen and "Workshop" not in beilen
    ouderen = main_of(files["agenda/voor/ouderen/index.html"])
    assert "Bingo" in ouderen and "Koffieochtend" in ouderen  # 'iedereen' shows on every audience page
    assert "Workshop" not in ouderen
    assert "agenda/in/wijster/index.html" in files and "agenda/voor/jongeren/index.html" in files


def test_subscribe_link_and_instructions_on_the_agenda_page(built):
    html = main_of(outputs(built)["agenda/index.html"])
    assert 'href="webcal://test.example.nl/agenda.ics"' in html
    assert 'href="/agenda.ics"' in html and "Download de hele agenda" in html


def test_event_page_has_every_field_an_osm_link_and_an_ics_download(built):
    html = main_of(outputs(built)["agenda/koffieochtend/index.html"])
    for text in ("Elke week op dinsdag, tot en met 26 januari 2027.", "Brink 1", "9411 AA Beilen", "gratis",
                 "Rolstoeltoegankelijk, ringleiding", "Slecht ter been?", "Welzijnswerk Midden-Drenthe",
                 'href="tel:0881651200"', "Niet op: dinsdag 29 december.", "Koffie, thee en een praatje."):
        assert text in html, text
    assert 'href="https://www.openstreetmap.org/search?query=Brink%201%2C%209411%20AA%20Beilen"' in html
    assert 'href="/agenda/koffieochtend.ics" download>In mijn agenda' in html
    assert "<iframe" not in html


def test_home_page_shows_the_next_few_activities(built):
    html = main_of(outputs(built)["index.html"])
    assert "Binnenkort in de agenda" in html
    assert len(re.findall(r'<li class="activity', html)) == 4
    assert 'href="/agenda/"' in html


def jsonld(html: bytes):
    text = re.search(r'<script type="application/ld\+json">(.*?)</script>', html.decode("utf-8"), re.S).group(1)
    data = json.loads(text)
    return data if isinstance(data, list) else [data]


def test_json_ld_is_a_schema_org_event_with_the_required_properties(built):
    files = outputs(built)
    for event in built.site.events:
        for item in jsonld(files[f"agenda/{event.id}/index.html"]):
            assert item["@context"] == "https://schema.org" and item["@type"] == "Event"
            for key in ("name", "startDate", "eventStatus", "eventAttendanceMode", "url"):
                assert item[key], (event.id, key)
            assert "location" in item or event.venue is None and event.online is None
    (bingo,) = jsonld(files["agenda/bingo/index.html"])
    assert bingo["eventStatus"] == "https://schema.org/EventCancelled"
    assert bingo["location"]["address"] == {"@type": "PostalAddress", "addressCountry": "NL",
                                            "addressLocality": "Wijster"}
    assert bingo["offers"]["price"] == "2.50" and bingo["offers"]["priceCurrency"] == "EUR"
    koffie = jsonld(files["agenda/koffieochtend/index.html"])
    assert len(koffie) == 9  # one Event per coming date (29 December skipped)
    assert koffie[0]["startDate"] == "2026-11-24T10:00:00+01:00"
    assert koffie[0]["organizer"] == {"@type": "Organization", "name": "Welzijnswerk Midden-Drenthe",
                                      "telephone": "088-1651200"}
    assert koffie[0]["offers"]["price"] == "0"
    (praat,) = jsonld(files["agenda/praatgroep/index.html"])[:1]
    assert praat["location"]["@type"] == "VirtualLocation"


def test_json_ld_cannot_break_out_of_its_script_element(tmp_path):
    from agenda_helpers import agenda_site
    site = agenda_site(tmp_path / "site", "- title: \"</script><script>alert(1)</script>\"\n  start: 2026-12-01 10:00\n  id: x\n")
    result, messages = build(site)
    assert messages is None
    html = outputs(result)["agenda/x/index.html"].decode()
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in script
    assert jsonld(outputs(result)["agenda/x/index.html"])[0]["name"] == "</script><script>alert(1)</script>"


SIGNUP = ("- id: kerst\n  title: Kerstdiner\n  start: 2026-12-24 17:30\n  end: 20:00\n"
          "  registration: {needed: true, phone: 088-1651200, deadline: 2026-12-18}\n")


@pytest.mark.parametrize("now, closed", [("2026-12-18T23:00", False), ("2026-12-19T08:00", True)])
def test_a_passed_registration_deadline_is_shown_as_closed_not_as_an_invitation(tmp_path, now, closed):
    result, messages = build(agenda_site(tmp_path / "site", SIGNUP), now)
    assert messages is None, messages
    files = outputs(result)
    page, listing = main_of(files["agenda/kerst/index.html"]), main_of(files["agenda/index.html"])
    if closed:
        assert "Aanmelden kan niet meer." in page and "Dat kon tot en met vrijdag 18 december." in page
        assert "Aanmelden is nodig" not in page
        assert "Aanmelden kan niet meer</strong> (dat kon tot en met vrijdag 18 december)" in listing
        assert "nodig, bel" not in listing
    else:
        assert "Aanmelden is nodig. Dat kan tot en met vrijdag 18 december." in page
        assert "nodig, bel" in listing and "kan niet meer" not in listing + page


EXAMPLE = ("- id: echt\n  title: Week tegen Eenzaamheid\n  start: 2026-12-03\n"
           "- id: voorbeeld\n  title: Koffie (voorbeeld)\n  start: 2026-12-01 10:00\n  example: true\n")


@pytest.mark.slow
def test_example_activities_are_left_out_of_the_public_build_and_shown_in_a_demo_build(tmp_path):
    site = agenda_site(tmp_path / "site", EXAMPLE)
    public = run_build("--site", str(site), "--output", str(tmp_path / "public"), "--now", NOW, "--no-cache")
    assert public.returncode == 0, public.stderr
    assert "1 voorbeeldactiviteit (example: true) staat niet op de site" in public.stderr
    assert not (tmp_path / "public" / "agenda" / "voorbeeld").exists()
    assert (tmp_path / "public" / "agenda" / "echt" / "index.html").exists()
    everything = "".join(p.read_text(encoding="utf-8", errors="replace")
                         for p in (tmp_path / "public").rglob("*") if p.is_file())
    assert "Koffie (voorbeeld)" not in everything  # not in lists, calendars, feeds or search either
    demo = run_build("--site", str(site), "--output", str(tmp_path / "demo"), "--now", NOW, "--no-cache", "--demo")
    assert demo.returncode == 0, demo.stderr
    page = (tmp_path / "demo" / "agenda" / "voorbeeld" / "index.html").read_text(encoding="utf-8")
    assert "Dit is een voorbeeld." in page and "voorbeeldactiviteit" not in demo.stderr


def test_an_agenda_with_nothing_coming_says_so_kindly_gives_the_helplines_and_what_comes_later(tmp_path):
    later = "- id: week\n  title: Week tegen Eenzaamheid\n  start: 2027-09-30\n  duration: 8 dagen\n"
    result, messages = build(agenda_site(tmp_path / "site", later), "2026-11-30T12:00")
    assert messages is None, messages
    html = main_of(outputs(result)["agenda/index.html"])
    assert "Er staan de komende vier weken geen activiteiten in de agenda." in html
    assert "Wilt u intussen met iemand praten?" in html and 'class="help-top"' in html and 'href="tel:' in html
    assert html.index("Wilt u intussen") < html.index("Daarna") < html.index("Week tegen Eenzaamheid")


def test_a_month_page_never_calls_a_fortnightly_activity_weekly(tmp_path):
    walk = ("- id: wandel\n  title: Wandelgroep\n  start: 2026-12-03 14:00\n  duration: 1,5 uur\n"
            "  rrule: FREQ=WEEKLY;INTERVAL=2;BYDAY=TH\n")
    result, messages = build(agenda_site(tmp_path / "site", walk), "2026-11-30T12:00")
    assert messages is None, messages
    html = main_of(outputs(result)["agenda/maand/2027-01/index.html"])
    assert "Om de week op donderdag: 14 en 28 januari" in html
    assert ">Elke week<" not in html and ">Vaste activiteiten<" in html
    page = main_of(outputs(result)["agenda/wandel/index.html"])
    assert "Om de week op donderdag." in page and "vast schema" not in page


PARTS = ("- id: markt\n  title: Markt\n  start: 2026-12-01 10:00\n  location: {place: Beilen}\n"
         "- id: buurt\n  title: Buurtkoffie\n  start: 2026-12-02 10:00\n  location: {street: Brink 1, place: Wijster}\n")


def test_a_venue_given_only_by_its_place_or_address_is_named_once(tmp_path):
    # The web editor saves a venue with only a place; the loader names it by that place, which must not
    # then be shown a second time as its address.
    result, messages = build(agenda_site(tmp_path / "site", PARTS))
    assert messages is None, messages
    files = outputs(result)
    page = main_of(files["agenda/markt/index.html"])
    assert page.count("Beilen") == 1 + page.count("openstreetmap"), page
    assert "Beilen<br>Beilen" not in page and "Brink 1, Wijster<br>Brink" not in main_of(files["agenda/buurt/index.html"])
    listing = main_of(files["agenda/index.html"])
    assert "<dd>Beilen</dd>" in listing and "<dd>Brink 1, Wijster</dd>" in listing
    printed = files["agenda/afdrukken/index.html"].decode()
    assert "Beilen." in printed and "Beilen, Beilen" not in printed and "Wijster, Brink 1, Wijster" not in printed
    assert "LOCATION:Beilen\r\n" in files["agenda/markt.ics"].decode()


TWO_PHONES = ("- id: spreekuur\n  title: Spreekuur\n  start: 2026-12-01 10:00\n"
              "  organiser: {name: Welzijn, phone: 0592-123456 of 06-12345678}\n"
              "- id: inloop\n  title: Inloop\n  start: 2026-12-02 10:00\n"
              "  organiser: {name: Welzijn, phone: 088-1651200 (ma-vr)}\n")


def test_json_ld_gives_each_phone_number_of_an_organiser_its_own_telephone_value(tmp_path):
    result, messages = build(agenda_site(tmp_path / "site", TWO_PHONES))
    assert messages is None, messages
    files = outputs(result)
    (two,) = jsonld(files["agenda/spreekuur/index.html"])
    assert two["organizer"]["telephone"] == ["0592-123456", "06-12345678"]
    (one,) = jsonld(files["agenda/inloop/index.html"])
    assert one["organizer"]["telephone"] == "088-1651200"


def test_a_repeating_activity_s_schedule_is_worded_once_however_many_dates_a_list_shows(built):
    """The archive and the lists show a weekly activity at every date: its wording is worked out once."""
    from sitegen.agenda.render import _worded_once, agenda_globals
    from sitegen.agenda.views import schedule as worded_now

    events = built.site.events
    repeating = [e for e in events if e.recurrence is not None]
    assert repeating and len(repeating) < len(events)
    schedule = agenda_globals(built.site)["schedule"]
    assert [schedule(e) for e in events * 2] == [worded_now(e) for e in events * 2]
    counted = []
    once = _worded_once(lambda event: counted.append(event.id) or worded_now(event))
    for event in repeating * 3:
        once(event)
    assert sorted(counted) == sorted({(e.recurrence.rule, e.start): e.id for e in repeating}.values())
