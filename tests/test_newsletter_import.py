"""The newsletter importer: e-mail HTML exports in, clean archive entries out.

Each folder in tests/fixtures/newsletters/ holds an export (export.html, with any images beside it) and the
markdown file it must become (expected.md). Regenerate after a deliberate change with:
    REGENERATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_newsletter_import.py
and review the diff like any other change.
"""

import datetime as dt
import os
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest

from conftest import NOW, run_build
from sitegen.tools.newsletter.archive import local_images_beside, read_export
from sitegen.tools.newsletter.convert import convert
from sitegen.tools.newsletter.links import clean_url, inspect

FIXTURES = Path(__file__).parent / "fixtures" / "newsletters"
CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "export.html").is_file())
FALLBACK_DATE = dt.date(2025, 2, 3)  # for an export without a date, as --date would give


def converted(case: str):
    export = FIXTURES / case / "export.html"
    html = read_export(export)
    return convert(html, frozenset(local_images_beside(export, html)))


@pytest.mark.parametrize("case", CASES)
def test_each_export_becomes_the_expected_markdown(case):
    result = converted(case)
    document = result.document(result.date or FALLBACK_DATE)
    expected = FIXTURES / case / "expected.md"
    if os.environ.get("REGENERATE_GOLDEN"):
        expected.write_text(document, encoding="utf-8")
    assert document == expected.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", CASES)
def test_nothing_of_the_mail_machinery_survives(case):
    text = converted(case).markdown.lower()
    for gone in ("utm_", "mc_cid", "*|", "open.php", "open.gif", "spacer", "<script", "<style", "@media",
                 "afmelden", "uitschrijven", "schrijf je uit", "in je browser", "online", "copyright",
                 "font-family", "mso-", "r.mailtool.nl", "facebook.com", "niet meer ontvangen", "list-manage"):
        assert gone not in text, f"{case}: '{gone}' left in the markdown"


def test_the_title_date_edition_and_summary_are_found():
    june = converted("mailchimp-juni")
    assert (june.title, june.date, june.edition) == ("Nieuwsbrief juni 2025", dt.date(2025, 6, 16), 2)
    assert june.summary.startswith("De zomercampagne begint")  # the hidden preheader
    october = converted("laposta-oktober")
    assert (october.date, october.edition) == (dt.date(2025, 10, 6), 3)
    word = converted("outlook-februari")
    assert word.title == "Eerste nieuwsbrief van de coalitie" and word.date is None
    assert word.summary.startswith("Dit is de eerste nieuwsbrief")  # not the greeting


def test_remote_images_become_plain_links_and_local_ones_are_kept():
    june = converted("mailchimp-juni").markdown
    assert "[Afbeelding: Een ansichtkaart met een groet vanaf het strand](https://mcusercontent.com/" in june
    assert "![" not in june
    assert "logo" not in june.lower()  # the letterhead
    october = converted("laposta-oktober")
    assert [(i.source, i.name) for i in october.images] == [
        ("images/koffietafel.png", "koffietafel.png"), ("images/Wandelen Samen.png", "wandelen-samen.png")]
    assert "![Mensen drinken samen koffie aan een lange tafel](koffietafel.png)" in october.markdown
    assert any("ontbreekt.jpg" in w for w in october.warnings)


def test_redirects_are_unwrapped_and_tracking_parameters_dropped():
    assert clean_url("https://r.mailtool.nl/c/1?url=https%3A%2F%2Fwww.example.nl%2Fa%3Futm_source%3Dx%26id%3D4") \
        == "https://www.example.nl/a?id=4"
    assert clean_url("https://click.mailtool.nl/l/ab/https%3A%2F%2Fwww.example.nl%2Fb%2F") == "https://www.example.nl/b/"
    assert clean_url("https://t.example.com/r?u=https://www.example.nl/c&sig=1") == "https://www.example.nl/c"
    assert clean_url("https://www.example.nl/d?utm_medium=email&mc_eid=1&fbclid=2&page=3#kop") \
        == "https://www.example.nl/d?page=3#kop"
    assert clean_url("https://www.example.nl/e") == "https://www.example.nl/e"
    october = converted("laposta-oktober").markdown
    assert "[de agenda](https://eentegeneenzaamheid-middendrenthe.nl/agenda/)" in october
    assert "[Laat het ons weten](https://eentegeneenzaamheid-middendrenthe.nl/contact/)" in october


def test_a_click_counter_without_the_real_address_is_refused_with_a_warning_and_its_words_kept():
    june = converted("mailchimp-juni")
    assert "list-manage.com" not in june.markdown
    assert any("klikteller" in w and "is weggelaten" in w for w in june.warnings)


def test_check_refuses_a_click_counter_link_anywhere_in_the_content(make_site):
    link = "https://coalitie.us21.list-manage.com/track/click?u=5f1e&id=a1b2&e=__test_email__"
    site = make_site({"content/over.md": f"---\ntitle: Over ons\n---\n\nLees [ons plan]({link}).\n"})
    result = run_build("check", "--site", str(site), "--now", NOW)
    assert result.returncode == 1
    assert result.stderr.startswith("content/over.md:5:17: deze link gaat via een klikteller van een "
                                    "mailprogramma (coalitie.us21.list-manage.com)")


def test_pixels_scripts_and_hidden_text_go_but_text_markup_stays():
    html = """<html><head><script>alert(1)</script></head><body>
      <div style="display:none">Verborgen voorvertoning van deze nieuwsbrief hier</div>
      <h1>Titel</h1><h3>Kop</h3><h4>Subkop</h4>
      <p>Een <b>vet</b> en <i>schuin</i> woord, <span style="font-weight: bold">ook vet</span>.</p>
      <p># geen kop en 1. geen lijst</p>
      <img src="https://t.example.com/pixel.gif" width="1" height="1">
      <img src="https://t.example.com/o/abc" style="width:1px;height:1px">
      <p><a href="javascript:void(0)">klik</a> <a href="#boven">naar boven</a></p>
      <onbekend>tekst in een onbekende tag</onbekend>
    </body></html>"""
    result = convert(html)
    assert result.title == "Titel"
    assert result.summary == "Verborgen voorvertoning van deze nieuwsbrief hier"
    assert result.markdown == ("## Kop\n\n### Subkop\n\nEen **vet** en *schuin* woord, **ook vet**.\n\n"
                               "\\# geen kop en 1. geen lijst\n\nklik naar boven\n\ntekst in een onbekende tag\n")


# -- exports shaped like each mail service's: what a good import leaves of the mail service (nothing) ------

SUBSCRIBER = ("jan@example.nl", "jan%40example.nl", "amFuQGV4YW1wbGUubmw", "4f8a2c91d0", "UNIQID")
MERGE_TAG_LEFT = re.compile(r"\*\||\|\*|\{\{|\}\}|\{\$|\{%|%%|%[A-Z][A-Z_-]{2,}%|\[voornaam\]|«|»|MERGEFIELD"
                            r"|\{voornaam\}", re.I)
FOOTER_LEFT = ("afmeld", "uitschrijven", "unsubscribe", "voorkeuren", "gegevens wijzigen", "gegevens bijwerken",
               "copyright", "©", "rechten voorbehouden", "postbus", "9410 aa", "9411 ab", "postadres", "netherlands",
               "powered by", "verzonden met", "verstuurd met", "browser", "webversie", "niet goed weergegeven",
               "adresboek", "omdat je je", "verzonden aan", "verstuurd aan", "mailerlite", "brevo", "laposta",
               "mailchimp", "activecampaign", "facebook", "instagram")
TRACKER_HOSTS = ("list-manage.com", "mailchi.mp", "eepurl.com", "mlsend.com", "mailerlite.com", "sendibt",
                 "safelinks", "lt.laposta.nl", "acemln", "activehosted", "google.com/url", "utm_", "mc_eid",
                 "ml_subscriber", "redirecturl")
SERVICES = {  # what each export must become: its title, date and edition, its button, text that must stay
    "mailerlite-maart": dict(
        head=("Lente in de buurt", dt.date(2026, 3, 16), 7),
        button="[Bekijk de agenda](https://eentegeneenzaamheid-middendrenthe.nl/agenda/)",
        keeps=("Hallo lezer,", "## Samen eten in het dorpshuis", "Een maaltijd kost € 5. Opgeven kan tot dinsdag.",
               "- Beilen: donderdag 19 maart, 17.30 uur", "## Nieuw: de belcirkel in Bruntinge",
               "Meedoen? Lees hoe de belcirkel werkt.",
               "[vragenlijst over de belcirkel](https://eentegeneenzaamheid-middendrenthe.nl/enquete/?bron=nieuwsbrief)",
               "[Afbeelding: Een wandelgroep op de hei bij Hijken](https://storage.mlcdn.com/"),
        dropped_links=("Lees hoe de belcirkel werkt",),
        logo="Logo Eén tegen eenzaamheid Midden-Drenthe",
        tags=("{$name}",)),
    "brevo-mei": dict(
        head=("Nieuws uit de coalitie, mei 2026", None, None),
        button="[Meld je aan voor de middag](https://eentegeneenzaamheid-middendrenthe.nl/agenda/"
               "middag-voor-mantelzorgers/)",
        keeps=("Beste lezer,", "In mei staan we stil bij de **mantelzorgers** in onze gemeente.",
               "- een stoelmassage van tien minuten;", "## Steunpunt Mantelzorg",
               "Lees meer op de website van het steunpunt.",
               "[de foto's van vorig jaar](https://eentegeneenzaamheid-middendrenthe.nl/nieuws/mantelzorg-in-beeld/)",
               "[info@welzijnswerkmd.nl](mailto:info@welzijnswerkmd.nl)"),
        dropped_links=("de website van het steunpunt",),
        logo="Logo coalitie Eén tegen eenzaamheid",
        tags=("{{ contact.FIRSTNAME }}", "{{ contact.EMAIL }}")),
    "word-april": dict(
        head=("Nieuwsbrief april: ideeën voor de lente", dt.date(2026, 4, 14), 8),
        button="[Bekijk alle activiteiten van april](https://eentegeneenzaamheid-middendrenthe.nl/agenda/?maand=april)",
        keeps=("Beste lezer,", "Het café in het dorpshuis van Hooghalen", "de coördinator van de ‘Maatjes op pad’",
               "Een kop koffie kost € 1,50 – de tweede is gratis.", "## Wat is er te doen?",
               "- Woensdag: het café in Hooghalen, van 10.00 tot 12.00 uur\n- Donderdag: ‘Maatjes op pad’",
               "- Zaterdag: de “Lentewandeling” rond Elp", "Wil je één keer per maand",
               "[het formulier op de website](https://eentegeneenzaamheid-middendrenthe.nl/vrijwilliger-worden/)",
               "[Drenthe tegen eenzaamheid](https://www.provincie.drenthe.nl/eenzaamheid/)",
               "![Twee vrijwilligers met een rollator op een zandpad](image003.png)",
               "Hartelijke groet,  \nAnneke de Vries  \ncoördinator Eén tegen eenzaamheid"),
        dropped_links=(),
        logo="Logo Eén tegen eenzaamheid Midden-Drenthe",
        tags=("«Voornaam»",)),
    "mailchimp-november": dict(
        head=("Week tegen eenzaamheid 2025", dt.date(2025, 11, 24), 5),
        button="[Doe mee in 2026](https://eentegeneenzaamheid-middendrenthe.nl/coalitie/meedoen/)",
        keeps=("Beste lezer,", "Dank je wel, dat je erbij was!", "## Wat we samen deden",
               "1. Een open tafel in elk dorpshuis.", "Lees het verslag met foto's op onze website.",
               "[korte vragenlijst](https://eentegeneenzaamheid-middendrenthe.nl/enquete/)",
               "[deze uitnodiging](https://eentegeneenzaamheid-middendrenthe.nl/coalitie/meedoen/?vorm=kort)"),
        dropped_links=("onze website",),
        logo="Logo Eén tegen eenzaamheid",
        tags=("*|FNAME|*",)),
    "laposta-december": dict(
        head=("Kerst hoeft niet alleen", dt.date(2025, 12, 8), None),
        button="[Alle kerstactiviteiten](https://eentegeneenzaamheid-middendrenthe.nl/agenda/?maand=december)",
        keeps=("Lieve lezer,", "## Hier ben je welkom",
               "- **Eerste kerstdag:** kerstdiner in De Brink in Smilde, vanaf 17.00 uur.",
               "Opgeven voor het kerstdiner kan via het aanmeldformulier.",
               "![Een tafel met kerststol en koffie](kerststol.png)"),
        dropped_links=("het aanmeldformulier",),
        logo="Logo Eén tegen eenzaamheid Midden-Drenthe",
        tags=("[voornaam]", "%%firstname%%", "{{email}}")),
    "activecampaign-september": dict(
        head=("De Week tegen eenzaamheid komt eraan", dt.date(2025, 9, 15), 4),
        button="[Alles over de week](https://eentegeneenzaamheid-middendrenthe.nl/week-tegen-eenzaamheid/)",
        keeps=("Hallo lezer,", "Dit jaar is het thema *Iedereen doet mee*.", "## Zo doe je mee",
               "2. Zet je activiteit in [de agenda](https://eentegeneenzaamheid-middendrenthe.nl/agenda/)."),
        dropped_links=(),
        logo="Logo Eén tegen eenzaamheid",
        tags=("%FIRSTNAME%",)),
}


def document_of(case: str) -> str:
    result = converted(case)
    return result.document(result.date or FALLBACK_DATE)


@pytest.mark.parametrize("case", CASES)
def test_no_merge_tag_is_left_in_any_form(case):
    document = document_of(case)
    for text in (document, unquote(unquote(document))):
        assert not MERGE_TAG_LEFT.search(text), f"{case}: {MERGE_TAG_LEFT.search(text).group()!r} left"


@pytest.mark.parametrize("case", CASES)
def test_no_footer_of_the_mail_service_is_left(case):
    document = document_of(case).lower()
    assert [word for word in FOOTER_LEFT if word in document] == []


@pytest.mark.parametrize("case", CASES)
def test_no_tracker_and_no_trace_of_the_reader_is_left(case):
    document = document_of(case)
    left = [word for word in TRACKER_HOSTS + SUBSCRIBER if word.lower() in document.lower()]
    assert left == [], f"{case}: {left}"


@pytest.mark.parametrize("case", sorted(SERVICES))
def test_the_title_date_and_edition_are_found(case):
    result = converted(case)
    assert (result.title, result.date, result.edition) == SERVICES[case]["head"]


@pytest.mark.parametrize("case", sorted(SERVICES))
def test_the_button_is_a_plain_link_to_the_real_page(case):
    assert f"\n\n{SERVICES[case]['button']}\n" in converted(case).markdown


@pytest.mark.parametrize("case", sorted(SERVICES))
def test_headings_lists_paragraphs_and_dutch_characters_are_kept(case):
    markdown = converted(case).markdown
    assert [text for text in SERVICES[case]["keeps"] if text not in markdown] == []
    assert "\ufffd" not in markdown and "Ã" not in markdown and "MsoNormal" not in markdown and "·" not in markdown


@pytest.mark.parametrize("case", sorted(SERVICES))
def test_the_logo_is_not_dropped_without_a_word(case):
    result = converted(case)
    logo = SERVICES[case]["logo"]
    assert logo in result.markdown or any(f"het logo '{logo}'" in w and "eigen logo" in w for w in result.warnings)


@pytest.mark.parametrize("case", sorted(SERVICES))
def test_a_link_that_cannot_be_kept_keeps_its_words_and_is_reported(case):
    result = converted(case)
    for words in SERVICES[case]["dropped_links"]:
        assert words in result.markdown and f"[{words}]" not in result.markdown
        assert any(f"'{words}'" in w and "de tekst staat er nog" in w for w in result.warnings), result.warnings


@pytest.mark.parametrize("case", sorted(SERVICES))
def test_the_report_names_the_merge_tags_the_footer_and_the_trackers(case):
    removed = converted(case).removed
    tags = next(item for item in removed if "persoonlijk" in item)
    assert all(tag in tags for tag in SERVICES[case]["tags"]), tags
    assert any(item.startswith("de voettekst van het mailprogramma (afmeldlink") for item in removed)
    assert any("telpixel" in item for item in removed) or case == "word-april"  # Word counts nobody
    assert any("e-mailadres" in item for item in removed) or case == "mailchimp-november"


def test_links_carrying_an_address_or_a_reader_id_lose_it_whatever_its_name():
    assert clean_url("https://www.example.nl/a?lezer=jan%40example.nl&p=2") == "https://www.example.nl/a?p=2"
    assert clean_url("https://www.example.nl/a?x=amFuQGV4YW1wbGUubmw%3D&p=2") == "https://www.example.nl/a?p=2"
    assert clean_url("https://www.example.nl/a?ml_subscriber=12&ml_subscriber_hash=ab&e=77&p=2") \
        == "https://www.example.nl/a?p=2"
    assert clean_url("https://www.example.nl/a?naam=*%7CFNAME%7C*&p={{contact.FIRSTNAME}}") == "https://www.example.nl/a"
    assert inspect("https://www.example.nl/aanmelden/jan@example.nl/").url is None
    assert inspect("https://www.example.nl/p/amFuQGV4YW1wbGUubmw=/").reason == "e-mail"
    safelink = inspect("https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fwww.example.nl%2Fb%2F"
                       "&data=05%7C02%7Cjan%40example.nl%7Cab&reserved=0")
    assert (safelink.url, safelink.unwrapped, safelink.emails) == ("https://www.example.nl/b/", True,
                                                                    frozenset({"jan@example.nl"}))


def test_a_tracker_is_unwrapped_from_a_base64_parameter_or_path():
    assert clean_url("https://x.lt.acemlnb.com/Prod/link-tracker?redirectUrl=aHR0cHM6Ly93d3cuZXhhbXBsZS5ubC9jLw%3D%3D"
                     "&sig=1&email=amFuQGV4YW1wbGUubmw%3D") == "https://www.example.nl/c/"
    assert clean_url("https://lt.laposta.nl/c/3f/91/aHR0cHM6Ly93d3cuZXhhbXBsZS5ubC9kLw") == "https://www.example.nl/d/"
    assert inspect("https://x.r.bh.d.sendibt3.com/tr/cl/Gk3vAbPq0L9xWm2y5T8z").reason == "teller"


def test_a_mail_saved_from_an_inbox_loses_the_readers_name_and_address():
    html = """<html><body><h1>Nieuws</h1><p>Beste Jan,</p><p>Lees <a href="https://www.example.nl/a/?email=jan.de.vries%40example.nl">
      het verslag</a>. Groet van Anna.</p><p>Deze e-mail is verzonden aan jan.de.vries@example.nl.</p></body></html>"""
    result = convert(html)
    assert result.markdown == "Beste lezer,\n\nLees [het verslag](https://www.example.nl/a/). Groet van Anna.\n"
    assert result.removed[0] == "1 persoonlijk veld (Jan)"
    assert convert(html.replace("Beste Jan", "Beste Anna")).markdown.startswith("Beste Anna,")
    only_in_the_footer = html.replace("?email=jan.de.vries%40example.nl", "")
    assert convert(only_in_the_footer).markdown.startswith("Beste lezer,")


def test_a_link_to_a_merge_tag_keeps_its_words_and_is_reported():
    result = convert("""<html><body><h1>Titel</h1><p>Deel <a href="*|FORWARD|*x">deze mail</a> of
      <a href="https://www.example.nl/?naam=*|FNAME|*">lees verder</a>.</p></body></html>""")
    assert result.markdown == "Deel deze mail of [lees verder](https://www.example.nl/).\n"
    assert result.warnings == ("de link 'deze mail' ging naar een persoonlijk veld van het mailprogramma (*|FORWARD|*) "
                               "en is weggelaten; de tekst staat er nog.",)
    assert result.removed == ("2 persoonlijke velden (*|FORWARD|*, *|FNAME|*)",)


def test_odd_input_gives_a_result_and_a_word_never_a_crash():
    assert convert("   ").markdown == "\n"
    broken = convert('<p><a href="http://[">x</a></p>')
    assert broken.markdown == "x\n" and broken.warnings == ("de link 'x' had een adres dat niet klopt (http://[) en is "
                                                           "weggelaten; de tekst staat er nog.",)
    word = convert('<p style="mso-list:l0"><![if !supportLists]>1.<![endif]>a</p>'
                   '<p style="mso-list:l0"><![if !supportLists]>2.<![endif]>b</p><p>na</p>')
    assert word.markdown == "1. a\n2. b\n\nna\n"


def test_a_button_hidden_from_outlook_alone_is_kept():
    html = """<html><body><h1>Titel</h1><table role="presentation"><tr><td bgcolor="#8a3b12">
      <!--[if mso]><v:roundrect href="https://www.example.nl/a/"><center>Lees meer</center></v:roundrect><![endif]-->
      <!--[if !mso]><!--><a href="https://www.example.nl/a/" style="display:inline-block;mso-hide:all">Lees meer</a>
      <!--<![endif]--></td></tr></table></body></html>"""
    assert convert(html).markdown == "[Lees meer](https://www.example.nl/a/)\n"


def test_merge_tags_become_the_text_for_a_reader_without_the_field():
    html = """<html><body><h1>Titel</h1><p>*|IF:FNAME|*Hoi *|FNAME|*!*|ELSE:|*Hoi!*|END:IF|*</p>
      <p>Geachte {{ contact.AANHEF }} {{ contact.LASTNAME }},</p><p>{% if contact.X %}Jij ook?{% else %}Fijn.{% endif %}</p>
      <p>Dag {$name|default('buur')}, welkom. Tip: [haken], 50% korting en *sterren* blijven.</p></body></html>"""
    result = convert(html)
    assert result.markdown == ("Hoi!\n\nGeachte lezer,\n\nFijn.\n\nDag buur, welkom. Tip: \\[haken\\], 50% korting en "
                               "\\*sterren\\* blijven.\n")
    assert result.removed[0].startswith("5 persoonlijke velden (*|IF:FNAME|*, {{ contact.AANHEF }}")


# -- the command ---------------------------------------------------------------------------------------

@pytest.mark.slow
def test_the_command_writes_an_entry_with_its_images_that_builds(make_site, tmp_path):
    site = make_site()
    result = run_build("import-newsletter", str(FIXTURES / "laposta-oktober" / "export.html"), "--site", str(site))
    assert result.returncode == 0, result.stderr
    entry = site / "content" / "nieuwsbrieven" / "2025-10-06-de-maand-van-de-ontmoeting-is-begonnen"
    assert Path(result.stdout.strip()).resolve() == (entry / "index.md").resolve()
    assert (entry / "koffietafel.png").read_bytes() == (FIXTURES / "laposta-oktober/images/koffietafel.png").read_bytes()
    assert (entry / "wandelen-samen.png").is_file()
    assert "ontbreekt.jpg" in result.stderr  # a warning, in Dutch
    assert (entry / "index.md").read_text(encoding="utf-8") == \
        (FIXTURES / "laposta-oktober" / "expected.md").read_text(encoding="utf-8")
    out = tmp_path / "out"
    built = run_build("--site", str(site), "--output", str(out), "--now", NOW)
    assert built.returncode == 0, built.stderr
    page = (out / "nieuwsbrieven" / entry.name / "index.html").read_text(encoding="utf-8")
    assert "<h1>De Maand van de ontmoeting is begonnen</h1>" in page
    assert 'src="/nieuwsbrieven/2025-10-06-de-maand-van-de-ontmoeting-is-begonnen/koffietafel.png"' in page


def test_the_command_tells_in_dutch_what_it_removed_and_what_it_could_not_keep(make_site):
    site = make_site()
    result = run_build("import-newsletter", str(FIXTURES / "mailerlite-maart" / "export.html"), "--site", str(site))
    assert result.returncode == 0, result.stderr
    written = Path(result.stdout.strip())
    assert written.name == "2026-03-16-lente-in-de-buurt.md"
    assert result.stderr.splitlines() == [
        "Weggehaald: 2 persoonlijke velden ({$name|default('lezer')}, {$name}), de regel 'bekijk in je browser', "
        "de voettekst van het mailprogramma (afmeldlink, voorkeuren, waarom je deze mail krijgt, postadres, "
        "'verzonden met …'), 2 knoppen naar sociale media, 1 telpixel (een onzichtbaar plaatje dat telt wie de mail "
        "opent), 2 volglinks (teruggezet naar het echte adres), 3 links die een e-mailadres bevatten.",
        "Niet meegenomen (zet het zelf terug als het nodig is):",
        "- Het logo 'Logo Eén tegen eenzaamheid Midden-Drenthe' bovenaan de mail is weggelaten: de site zet zijn "
        "eigen logo boven elke pagina.",
        "- De link 'Lees hoe de belcirkel werkt' ging via een klikteller zonder het echte adres erin "
        "(https://click.mailerlite.com/link/c/YT05ODc2NSZjPXIydDEmZT01...) en is weggelaten; de tekst staat er nog. "
        "Zoek het echte adres op en maak de link opnieuw.",
        f"Lees {result.stdout.strip()} na voordat je het voorstelt: staat alles erin, en werken de links?"]
    text = written.read_text(encoding="utf-8")
    assert "jan@example.nl" not in text and "[Bekijk de agenda](https://eentegeneenzaamheid-middendrenthe.nl/agenda/)" \
        in text


@pytest.mark.slow
def test_the_command_reads_a_word_page_in_windows_1252_and_copies_its_pictures(make_site, tmp_path):
    site = make_site()
    result = run_build("import-newsletter", str(FIXTURES / "word-april" / "export.html"), "--site", str(site))
    assert result.returncode == 0, result.stderr
    entry = site / "content" / "nieuwsbrieven" / "2026-04-14-nieuwsbrief-april-ideeen-voor-de-lente"
    text = (entry / "index.md").read_text(encoding="utf-8")
    assert text == (FIXTURES / "word-april" / "expected.md").read_text(encoding="utf-8")
    assert "de coördinator van de ‘Maatjes op pad’" in text and (entry / "image003.png").is_file()
    assert "Weggehaald: 1 persoonlijk veld («Voornaam»)" in result.stderr
    assert "2 links die een e-mailadres bevatten" in result.stderr
    built = run_build("--site", str(site), "--output", str(tmp_path / "out"), "--now", NOW)
    assert built.returncode == 0, built.stderr


@pytest.mark.slow
def test_the_command_never_overwrites_an_entry(make_site):
    site = make_site()
    export = str(FIXTURES / "mailchimp-juni" / "export.html")
    assert run_build("import-newsletter", export, "--site", str(site)).returncode == 0
    written = site / "content" / "nieuwsbrieven" / "2025-06-16-nieuwsbrief-juni-2025.md"
    written.write_text(written.read_text() + "\nAangepast door de redactie.\n")
    again = run_build("import-newsletter", export, "--site", str(site))
    assert again.returncode == 1
    assert "er staat al een nieuwsbrief op content/nieuwsbrieven/2025-06-16-nieuwsbrief-juni-2025.md" in again.stderr
    assert "Aangepast door de redactie." in written.read_text()


@pytest.mark.slow
def test_without_a_date_it_asks_for_date_and_the_flag_works(make_site):
    site = make_site()
    export = str(FIXTURES / "outlook-februari" / "export.html")
    missing = run_build("import-newsletter", export, "--site", str(site))
    assert missing.returncode == 1 and "--date" in missing.stderr and missing.stdout == ""
    given = run_build("import-newsletter", export, "--site", str(site), "--date", "2025-02-03")
    assert given.returncode == 0, given.stderr
    written = site / "content" / "nieuwsbrieven" / "2025-02-03-eerste-nieuwsbrief-van-de-coalitie.md"
    assert written.read_text(encoding="utf-8").startswith("---\ntitle: Eerste nieuwsbrief van de coalitie\ndate: 2025-02-03\n")
    bad = run_build("import-newsletter", export, "--site", str(site), "--date", "3 februari")
    assert bad.returncode == 1 and "geen geldige datum" in bad.stderr


def test_the_date_flag_overrides_the_date_in_the_mail(make_site):
    site = make_site()
    result = run_build("import-newsletter", str(FIXTURES / "mailchimp-juni" / "export.html"), "--site", str(site),
                       "--date", "2025-06-20")
    assert result.returncode == 0, result.stderr
    written = site / "content" / "nieuwsbrieven" / "2025-06-20-nieuwsbrief-juni-2025.md"
    assert "date: 2025-06-20" in written.read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_pdf_beside_the_export_comes_along(make_site, tmp_path):
    site = make_site()
    folder = tmp_path / "export"
    shutil.copytree(FIXTURES / "mailchimp-juni", folder)
    shutil.copyfile(Path(__file__).parent / "fixtures" / "feeds_site" / "content" / "nieuwsbrieven" / "juni.pdf",
                    folder / "export.pdf")
    result = run_build("import-newsletter", str(folder / "export.html"), "--site", str(site))
    assert result.returncode == 0, result.stderr
    entry = site / "content" / "nieuwsbrieven" / "2025-06-16-nieuwsbrief-juni-2025"
    assert "\npdf: export.pdf\n" in (entry / "index.md").read_text(encoding="utf-8")
    assert (entry / "export.pdf").is_file()
    built = run_build("--site", str(site), "--output", str(tmp_path / "out"), "--now", NOW)
    assert built.returncode == 0, built.stderr


def test_a_missing_file_is_a_dutch_message(make_site):
    result = run_build("import-newsletter", "bestaat-niet.html", "--site", str(make_site()))
    assert result.returncode == 1 and "bestaat niet" in result.stderr
