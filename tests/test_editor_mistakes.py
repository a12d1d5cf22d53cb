"""Mistakes of an editor who writes in Word and copies links from mails, where the intent is plain and the
build does the right thing (the ones it cannot mend are in fixtures/invalid/, each with its message)."""

from __future__ import annotations

from agenda_helpers import AGENDA_SITE_YAML, agenda_site, build, outputs
from sitegen.core.model import Venue
from sitegen.agenda.as_typed import same_places
from sitegen.core.errors import Problems
from sitegen.source.links_as_typed import as_meant, file_meant

VILLAGES = AGENDA_SITE_YAML.replace("municipality: Testgemeente\n",
                                    "municipality: Testgemeente\nvillages: [Westerbork, Beilen, Smilde]\n")
ACTIVITY = "- title: {title}\n  start: 2026-12-0{day} 10:00\n  end: 11:00\n"


def html(result, path: str) -> str:
    return outputs(result)[path].decode("utf-8")


def event_page(result, title: str) -> str:
    """The page of the one activity whose address starts with agenda/<title>-."""
    return next(v.decode() for k, v in sorted(outputs(result).items())
                if k.startswith(f"agenda/{title}-") and k.endswith("/index.html"))


def test_a_village_in_small_letters_or_with_a_stray_space_is_the_village_of_site_yaml(tmp_path):
    agenda = (ACTIVITY.format(title="Thee", day=1) + "  location:\n    place: Beilen\n"
              + ACTIVITY.format(title="Soep", day=2) + "  location:\n    place: 'Smilde '\n"
              + ACTIVITY.format(title="Koffie", day=3) + "  location:\n    place: beilen\n")
    result, errors = build(agenda_site(tmp_path / "site", agenda, {"site.yaml": VILLAGES}))
    assert errors is None, errors
    paths = set(outputs(result))
    assert "agenda/in/beilen/index.html" in paths and "agenda/in/smilde/index.html" in paths
    for page in (html(result, "agenda/in/beilen/index.html"), event_page(result, "koffie")):
        assert "Beilen" in page and "beilen<" not in page and ", beilen" not in page
    assert "Smilde " not in event_page(result, "soep").replace("Smilde </", "")


def test_without_a_list_of_villages_the_spelling_most_activities_use_wins():
    events = [_event("a", "Westerbork"), _event("b", "westerbork"), _event("c", "Westerbork")]
    fixed = same_places(events, (), Problems())
    assert [e.venue.place for e in fixed] == ["Westerbork"] * 3


def _event(id_, place):
    import datetime as dt
    from sitegen.core.errors import Location
    from sitegen.core.model import Event
    return Event(id=id_, title="Koffie", start=dt.datetime(2026, 12, 1, 10), end=None, all_day=False,
                 source="content/agenda.yaml", location=Location("content/agenda.yaml", 1),
                 venue=Venue("Dorpshuis", None, None, place))


def test_audiences_typed_on_one_line_are_several_audiences(tmp_path):
    agenda = (ACTIVITY.format(title="Koffie", day=1) + "  audience: ouderen, mantelzorgers\n"
              + ACTIVITY.format(title="Soep", day=2) + "  audience: ouderen en vrijwilligers\n"
              + ACTIVITY.format(title="Thee", day=3) + "  accessibility: rolstoeltoegankelijk; ringleiding\n")
    result, errors = build(agenda_site(tmp_path / "site", agenda))
    assert errors is None, errors
    paths = set(outputs(result))
    for audience in ("ouderen", "mantelzorgers", "vrijwilligers"):
        assert f"agenda/voor/{audience}/index.html" in paths, sorted(p for p in paths if "voor" in p)
    assert not any("ouderen-mantelzorgers" in p or "ouderen-en" in p for p in paths)
    thee = event_page(result, "thee")
    assert "Rolstoeltoegankelijk, ringleiding" in thee and "; ringleiding" not in thee


def test_an_accessibility_line_with_en_is_shown_as_written(tmp_path):
    agenda = ACTIVITY.format(title="Koffie", day=1) + "  accessibility: rolstoel en ringleiding\n"
    result, errors = build(agenda_site(tmp_path / "site", agenda))
    assert errors is None, errors
    page = event_page(result, "koffie")
    assert "Rolstoel en ringleiding" in page


def test_two_phone_numbers_in_one_field_are_two_links(tmp_path):
    agenda = (ACTIVITY.format(title="Koffie", day=1)
              + "  organiser:\n    name: Welzijn Test\n    phone: 0592-123456 of 06-12345678\n")
    result, errors = build(agenda_site(tmp_path / "site", agenda))
    assert errors is None, errors
    page = event_page(result, "koffie")
    assert '<a class="phone" href="tel:0592123456">0592-123456</a> of <a class="phone" href="tel:0612345678">' in page
    assert "tel:059212345606" not in page


def test_an_address_in_angle_brackets_as_a_mail_writes_it_is_a_link(tmp_path):
    page = "---\ntitle: Welkom\ndescription: De beginpagina.\n---\n\nKijk op <https://www.testgemeente.nl/hulp>.\n" \
           "Of [de gemeente](<https://www.testgemeente.nl/>) en <info@welzijntest.nl>.\n"
    result, errors = build(agenda_site(tmp_path / "site", None, {"content/index.md": page}))
    assert errors is None, errors
    home = html(result, "index.html")
    assert 'href="https://www.testgemeente.nl/hulp"' in home
    assert 'href="https://www.testgemeente.nl/"' in home


def test_addresses_as_people_copy_them_are_mended_the_same_way_everywhere():
    assert as_meant("www.gemeente.nl") == ("https://www.gemeente.nl", "https:// ontbreekt aan het begin")
    assert as_meant("https//www.gemeente.nl")[0] == "https://www.gemeente.nl"
    assert as_meant("http:/www.gemeente.nl")[0] == "http://www.gemeente.nl"
    assert as_meant("https:///www.gemeente.nl")[0] == "https://www.gemeente.nl"
    assert as_meant("“https://www.gemeente.nl/”")[0] == "https://www.gemeente.nl/"
    assert as_meant("https://www.gemeente.nl/hulp).")[0] == "https://www.gemeente.nl/hulp"
    assert as_meant("https://nl.wikipedia.org/wiki/Drenthe_(provincie)") is None
    assert as_meant("info@gemeente.nl")[0] == "mailto:info@gemeente.nl"
    assert as_meant("mailto:mailto:info@gemeente.nl")[0] == "mailto:info@gemeente.nl"
    assert as_meant("mailto:info@gemeente.nl", "email")[0] == "info@gemeente.nl"
    assert as_meant("Anna de Vries <anna@gemeente.nl>", "email")[0] == "anna@gemeente.nl"
    assert as_meant("https://www.gemeente.nl/") is None
    assert as_meant("mailto:info@gemeente.nl") is None


def test_a_file_name_as_windows_writes_it_finds_the_file_beside_the_page():
    names = ["foto-1.jpg", "verslag.pdf", "kaart.png"]
    assert file_meant("Foto 1.JPG", names) == "foto-1.jpg"
    assert file_meant("Foto%201.jpeg", names) == "foto-1.jpg"
    assert file_meant(r"C:\Users\anna\Documenten\verslag.pdf", names) == "verslag.pdf"
    assert file_meant("Kaart.PNG", names) == "kaart.png"
    assert file_meant("iets-anders.docx", names) is None
