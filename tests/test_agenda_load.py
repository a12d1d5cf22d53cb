"""Parsing and checking the agenda YAML: one fixture per mistake, each with its exact Dutch message.

Each folder under fixtures/agenda/invalid/ holds an agenda.yaml with one mistake and expected.txt.
Regenerate the expected messages with:
    REGENERATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_agenda_load.py
(then read every changed line: they are what editors will see).
"""

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from agenda_helpers import agenda_site, build, outputs
from conftest import NOW, run_build, tree_bytes

FIXTURES = Path(__file__).parent / "fixtures" / "agenda" / "invalid"
CASES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES)
def test_errors_on_mistake_with_exact_dutch_message(case, tmp_path):
    site = agenda_site(tmp_path / "site", (FIXTURES / case / "agenda.yaml").read_text(encoding="utf-8"))
    result, messages = build(site)
    assert result is None, "the mistake was not noticed"
    expected = FIXTURES / case / "expected.txt"
    if os.environ.get("REGENERATE_GOLDEN"):
        expected.write_text(messages, encoding="utf-8")
    assert messages == expected.read_text(encoding="utf-8")


def test_every_message_names_file_line_and_column():
    for case in CASES:
        for line in (FIXTURES / case / "expected.txt").read_text(encoding="utf-8").splitlines():
            place = line.split(": ", 1)[0]
            assert place.startswith("content/agenda.yaml:") and place.count(":") == 2, line


@pytest.mark.slow
def test_bad_agenda_exits_1_and_leaves_output_untouched(tmp_path):
    site = agenda_site(tmp_path / "site", (FIXTURES / "all-mistakes-at-once" / "agenda.yaml").read_text())
    output = site / "output"
    output.mkdir()
    (output / ".sitegen-output").write_text("van een vorige build")
    (output / "index.html").write_text("vorige site")
    before = tree_bytes(output)
    result = run_build("--site", str(site), "--now", NOW)
    assert result.returncode == 1, result.stderr
    assert result.stderr.count("content/agenda.yaml:") == 4  # all mistakes at once
    assert "Traceback" not in result.stderr
    assert tree_bytes(output) == before


def test_reads_every_field_of_a_full_activity(tmp_path):
    site = agenda_site(tmp_path / "site", """\
        - id: koffie
          title: Koffieochtend
          start: 2026-12-01 10:00
          duration: 1,5 uur
          location: {name: Dorpshuis, street: Brink 1, postcode: 9411 AA, place: Beilen}
          online: https://www.voorbeeld.nl/live
          organiser: {name: Welzijnswerk Midden-Drenthe, phone: 088-1651200, email: info@voorbeeld.nl, url: https://www.voorbeeld.nl/}
          cost: gratis
          registration: {needed: true, phone: 088-1651200, email: info@voorbeeld.nl, url: https://www.voorbeeld.nl/aanmelden, deadline: 2026-11-30 12:00, note: Vol is vol.}
          audience: [Ouderen, mantelzorgers]
          accessibility: rolstoeltoegankelijk
          transport: Gratis ophalen, bel 088-1651200.
          description: Koffie **en** koek.
          image: koffie.png
          image_alt: Twee mensen aan de koffie
          example: true
        """, {"content/koffie.png": b"\x89PNG\r\n\x1a\n" + b"\0" * 8 + b"IHDR" + b"\0\0\0\x10\0\0\0\x10" + b"\0" * 20})
    result, messages = build(site, demo=True)  # an example: only a demo build shows it
    assert messages is None
    (event,) = result.site.events
    assert event.end == dt.datetime(2026, 12, 1, 11, 30, tzinfo=event.start.tzinfo)
    assert event.venue.address == "Brink 1, 9411 AA Beilen"
    assert event.registration.deadline.hour == 12
    assert event.audience == ("ouderen", "mantelzorgers")
    assert event.accessibility == ("rolstoeltoegankelijk",)
    assert str(event.description_html) == "<p>Koffie <strong>en</strong> koek.</p>"
    assert event.image == "/koffie.png"


def test_derives_a_stable_id_from_title_and_date(tmp_path):
    site = agenda_site(tmp_path / "site", "- title: Soep & praatje!\n  start: 2026-12-07 12:00\n")
    result, _ = build(site)
    assert result.site.events[0].id == "soep-praatje-2026-12-07"


def test_a_date_alone_means_all_day_and_an_explicit_offset_settles_autumn(tmp_path):
    site = agenda_site(tmp_path / "site", """\
        - title: Maand van de ontmoeting
          start: 2026-10-01
          end: 2026-10-31
        - title: Nacht
          start: 2026-10-25 02:30+01:00
          end: 2026-10-25 04:00
        """)
    result, messages = build(site)
    assert messages is None
    month, night = result.site.events
    assert month.all_day and month.start == dt.date(2026, 10, 1) and month.end == dt.date(2026, 10, 31)
    assert night.start.astimezone(dt.timezone.utc) == dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.timezone.utc)


def test_a_cancellation_without_a_reason_builds_with_a_dutch_default_and_a_warning(tmp_path):
    """The web editor cannot require a reason only when cancelled: the build fills in a Dutch sentence."""
    site = agenda_site(tmp_path / "site", "- title: Koffieochtend\n  start: 2026-12-01 10:00\n"
                                          "  status: afgelast\n")
    result, messages = build(site)
    assert messages is None, messages
    (event,) = result.site.events
    assert event.status_note == "Deze activiteit gaat niet door."
    (warning,) = [w for w in result.warnings if "status_note" in w.message]
    assert str(warning.location) == "content/agenda.yaml:3:3"
    assert "Op de site staat nu: 'Deze activiteit gaat niet door.'" in warning.message
    assert "Deze activiteit gaat niet door." in outputs(result)["agenda/koffieochtend-2026-12-01/index.html"].decode()


def test_a_group_filled_in_part_gets_a_sensible_reading(tmp_path):
    """A venue with only a place, an organiser with only a phone, sign-up with only a phone (as the web
    editor saves a group half-full): named by what is there, and signing up is then needed."""
    site = agenda_site(tmp_path / "site", """\
- title: Koffieochtend
  start: 2026-12-01 10:00
  location:
    place: Hijken
  organiser:
    phone: 0592-123456
  registration:
    phone: 0592-654321
- title: Soep
  start: 2026-12-02 12:00
  location:
    street: Brink 1
    place: Beilen
  organiser:
    url: https://www.soep.nl/
  registration:
    note: Kom gewoon langs.
""")
    result, messages = build(site)
    assert messages is None, messages
    koffie, soep = sorted(result.site.events, key=lambda e: e.start)
    assert (koffie.venue.name, koffie.venue.place) == ("Hijken", "Hijken")
    assert koffie.organiser.name == "0592-123456" and koffie.registration.needed is True
    assert soep.venue.name == "Brink 1, Beilen" and soep.organiser.name == "www.soep.nl"
    assert soep.registration.needed is False
    page = outputs(result)["agenda/koffieochtend-2026-12-01/index.html"].decode()
    assert "Hijken" in page and "0592-654321" in page


@pytest.mark.parametrize("item", ["juli 9999", "13 juli 9999 tot 14 juli 9999", "31-12-9999", "december 2200",
                                  "1 december tot 29 februari", "[[juli]]", "{}", "'13 juli-21 augustus'", "~",
                                  "{from: 2026-13-01, until: x}", "'2026-07-07 tot en met 2026-07-07'"])
def test_odd_except_items_give_a_message_or_a_reading_never_a_crash(tmp_path, item):
    site = agenda_site(tmp_path / "site", "- title: Koffie\n  start: 2026-10-06 10:00\n"
                                          f"  repeat:\n    every: week\n    on: dinsdag\n    except: {item}\n")
    result, messages = build(site)
    assert (result is None) != (messages is None)
    if messages:
        assert all(line.startswith("content/agenda.yaml:6:") for line in messages.splitlines()), messages
