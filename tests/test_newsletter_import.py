"""The newsletter importer: e-mail HTML exports in, clean archive entries out.

Each folder in tests/fixtures/newsletters/ holds an export (export.html, with any images beside it) and the
markdown file it must become (expected.md). Regenerate after a deliberate change with:
    REGENERATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_newsletter_import.py
and review the diff like any other change.
"""

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from conftest import NOW, run_build
from sitegen.tools.newsletter.archive import local_images_beside
from sitegen.tools.newsletter.convert import convert
from sitegen.tools.newsletter.links import clean_url

FIXTURES = Path(__file__).parent / "fixtures" / "newsletters"
CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "export.html").is_file())
FALLBACK_DATE = dt.date(2025, 2, 3)  # for an export without a date, as --date would give


def converted(case: str):
    export = FIXTURES / case / "export.html"
    html = export.read_text(encoding="utf-8")
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


# -- the command ---------------------------------------------------------------------------------------

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
