"""Issue 13 without a browser: tappable numbers, helplines kept current, one form of address, and bad input
(an activity without a place or phone, a month without activities, an audience with nothing coming)."""

from __future__ import annotations

import pytest

from agenda_helpers import agenda_site, build, dedent, outputs
from conftest import MINIMAL_SITE_YAML, NOW, run_build
from sitegen.source.phones import link_phones, link_phones_html, phone_link


@pytest.mark.parametrize("text, tel", [
    ("Bel uiterlijk maandag naar 088-1651200.", "tel:0881651200"),
    ("De Luisterlijn: 088 0767 000", "tel:0880767000"),
    ("ook via 0800-0113", "tel:08000113"),
    ("mobiel +31 6 12345678", "tel:+31612345678"),
])
def test_a_phone_number_in_free_text_becomes_a_tel_link(text, tel):
    assert f'href="{tel}"' in link_phones(text)
    assert f'href="{tel}"' in link_phones_html(f"<p>{text}</p>")


@pytest.mark.parametrize("text", ["op 2026-12-01 om 09:00", "€ 3,50", "postcode 9411 AB", "bel 113", "nummer 12345"])
def test_dates_prices_and_short_numbers_stay_text(text):
    assert "tel:" not in link_phones(text)


def test_a_number_already_in_a_link_or_in_code_is_left_alone():
    html = '<p><a href="tel:0881651200">088-1651200</a> <code>088-1651200</code></p>'
    assert link_phones_html(html) == html


def test_free_text_is_escaped_before_numbers_are_linked():
    assert str(link_phones("<b>088-1651200</b>")).startswith("&lt;b&gt;<a")
    assert phone_link("113") == '<a class="phone" href="tel:113">113</a>'


def test_the_phone_and_keep_together_filters_work_each_text_out_once_a_build_and_keep_markup_apart():
    """Every page shows the same helplines: a build links each number once, and gives the same markup."""
    from markupsafe import Markup

    from sitegen.render.pages import keep_together, once_per_text

    asked = []
    linked = once_per_text(lambda text: asked.append(text) or phone_link(text))
    for _ in range(3):
        assert linked("088-1651200") == phone_link("088-1651200")
    assert asked == ["088-1651200"]
    assert linked(Markup("0592&amp;")) == phone_link(Markup("0592&amp;")) != linked("0592&amp;")
    together = once_per_text(lambda value: asked.append(value) or keep_together(value))
    assert together(3) == together(3) == keep_together(3) and asked[-2:] == [3, 3]  # not text: every time


def test_a_number_in_an_activity_transport_note_and_page_text_can_be_tapped(tmp_path):
    root = agenda_site(tmp_path, dedent("""\
        - id: koffie
          title: Koffie
          start: 2026-12-01 10:00
          location: {name: Dorpshuis, place: Beilen}
          transport: Bel voor vervoer naar 0593-123456.
          description: Vragen? Bel 06-12345678.
        """))
    result, problems = build(root)
    assert problems is None
    html = outputs(result)["agenda/koffie/index.html"].decode()
    assert '<a class="phone" href="tel:0593123456">0593-123456</a>' in html
    assert '<a class="phone" href="tel:0612345678">06-12345678</a>' in html


# --------------------------------------------------------------------------- helplines

def site_with_helpline(make_site, checked: str):
    yaml = MINIMAL_SITE_YAML.replace("    hours: dag en nacht\n", f"    hours: dag en nacht\n    checked: {checked}\n")
    return make_site({"site.yaml": yaml})


def test_a_helpline_checked_more_than_a_year_ago_gets_a_warning_with_its_line(make_site):
    site = site_with_helpline(make_site, "2025-11-01")
    check = run_build("check", "--site", str(site), "--now", NOW)
    assert check.returncode == 0
    assert check.stderr.startswith("site.yaml:16:5: waarschuwing: het nummer van De Luisterlijn is nagekeken op "
                                   "2025-11-01, meer dan een jaar geleden.")


def test_a_helpline_checked_this_year_gives_no_warning(make_site):
    site = site_with_helpline(make_site, "2026-06-01")
    check = run_build("check", "--site", str(site), "--now", NOW)
    assert check.returncode == 0 and "nagekeken" not in check.stderr


def test_a_help_page_that_does_not_exist_is_an_error(make_site):
    site = make_site({"site.yaml": MINIMAL_SITE_YAML + "help_page: hulp.md\n"})
    check = run_build("check", "--site", str(site), "--now", NOW)
    assert check.returncode == 1
    assert "site.yaml:16:1: help_page wijst naar 'hulp.md', maar dat bestand staat niet in content/." in check.stderr


def test_without_a_help_page_the_header_link_goes_to_the_help_block(make_site, tmp_path):
    site = make_site()
    assert run_build("--site", str(site), "--now", NOW, "--output", str(tmp_path / "out")).returncode == 0
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert '<a class="help-link" href="#hulp-kop">Hulp nodig?</a>' in html and 'id="hulp-kop"' in html


# --------------------------------------------------------------------------- one form of address

def test_a_page_that_mixes_je_and_u_gets_a_warning_at_the_first_je(make_site):
    site = make_site({"content/mix.md": "---\ntitle: Mix\n---\n\nU bent welkom.\nKom je ook?\n"})
    check = run_build("check", "--site", str(site), "--now", NOW)
    assert check.returncode == 0
    assert ("content/mix.md:6:5: waarschuwing: deze pagina spreekt de lezer aan met 'je' en ook 'u', maar de site "
            "gebruikt 'u' (address_form in site.yaml).") in check.stderr


def test_a_site_that_chooses_je_is_warned_about_u(make_site):
    site = make_site({"site.yaml": MINIMAL_SITE_YAML + "address_form: je\n",
                      "content/u.md": "---\ntitle: U\n---\n\nWilt u koffie?\n",
                      "content/je.md": "---\ntitle: Je\n---\n\nWil je koffie? Noem \"Aan wie denk u\" gerust.\n"})
    check = run_build("check", "--site", str(site), "--now", NOW)
    assert "content/u.md:5:6: waarschuwing: deze pagina spreekt de lezer aan met 'u', maar de site gebruikt 'je'" \
        in check.stderr
    assert "content/je.md" not in check.stderr  # a quoted title keeps its own words


# --------------------------------------------------------------------------- bad input

BAD_INPUT = dedent("""\
    - id: week
      title: Week tegen Eenzaamheid
      start: 2026-12-10
    - id: wandeling
      title: Wandeling
      start: 2026-12-03 14:00
      location: {name: Bankje bij de kerk, place: Wijster}
      registration: {needed: true}
      audience: [jongeren]
    - id: oud
      title: Oude bijeenkomst
      start: 2026-10-01 14:00
      location: {name: Zaal, place: Smilde}
      audience: [mantelzorgers]
    """)


@pytest.fixture
def bad(tmp_path):
    result, problems = build(agenda_site(tmp_path, BAD_INPUT), now="2026-11-30T12:00")
    assert problems is None, problems
    return outputs(result)


def test_an_activity_without_place_or_phone_still_says_where_and_how(bad):
    html = bad["agenda/week/index.html"].decode()
    assert "Op verschillende plekken in Testgemeente" in html and "Aanmelden hoeft niet." in html
    html = bad["agenda/wandeling/index.html"].decode()
    assert "Aanmelden is nodig." in html and "tel:" not in html.split('id="aanmelden"')[1].split("</p>")[0]
    printed = bad["agenda/afdrukken/wijster/index.html"].decode()
    assert "Bankje bij de kerk, Wijster." in printed and "Aanmelden is nodig." in printed


def test_a_month_without_activities_says_so_kindly_and_links_on(bad):
    html = bad["agenda/maand/2027-03/index.html"].decode()
    assert "In maart 2027 staan (nog) geen activiteiten in de agenda." in html
    assert 'rel="prev"' in html and 'rel="next"' in html


def test_a_village_or_audience_with_nothing_coming_gets_a_kind_sentence_and_a_way_back(bad):
    village = bad["agenda/in/smilde/index.html"].decode()
    assert "Er staan nu geen activiteiten in Smilde in de agenda." in village
    assert "Er staan geen activiteiten in Smilde" not in village
    printed = bad["agenda/afdrukken/smilde/index.html"].decode()
    assert "In deze vier weken staan er geen activiteiten in Smilde in de agenda." in printed
    audience = bad["agenda/voor/mantelzorgers/index.html"].decode()
    assert "alleen voor mantelzorgers" in audience and 'href="/agenda/">bekijk de hele agenda' in audience


def test_words_to_the_editor_in_a_comment_are_not_checked(make_site):
    site = make_site({"content/c.md": "---\ntitle: C\n---\n\n<!-- Schrijf hier je tekst;\nje mag dit weghalen. -->\nWilt u koffie?\n"})
    check = run_build("check", "--site", str(site), "--now", NOW)
    assert "spreekt de lezer aan" not in check.stderr
