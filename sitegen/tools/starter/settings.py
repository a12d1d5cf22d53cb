"""The starting site's YAML: site.yaml (settings, menu, helplines, theme) and the example activity.

What the coalition did not give stays a placeholder or a comment that says how to fill it in.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .answers import Answers
from .pages import yaml_text

# National helplines (the same in every municipality), used when none are given.
NATIONAL_HELPLINES = (
    ("De Luisterlijn", "088 0767 000", "dag en nacht", "Voor een gesprek als u ergens mee zit.",
     "https://www.deluisterlijn.nl"),
    ("113 Zelfmoordpreventie", "113", "dag en nacht",
     "Voor als u aan zelfdoding denkt, gratis en anoniem, ook via 0800-0113.", "https://www.113.nl"),
)


# The web editor needs a login service that init cannot set up, so its settings start as a comment.
CMS_COMMENT = [
    "# De webeditor op /admin/: pagina's, nieuws en activiteiten aanpassen in de browser, met inloggen via",
    "# GitHub. Elke keer opslaan wordt een pull request. Zet eerst de inlogdienst klaar (zie docs/redactie.md",
    "# van het programma: \"Voor wie de webeditor op de site instelt\"). Haal dan de # weg bij de regels",
    "# hieronder en vul ze in.",
    "# cms:",
    "#   repo: organisatie/website               # de repository van deze site op GitHub",
    "#   branch: main                            # de tak waar de site van gebouwd wordt",
    "#   auth_url: https://inloggen.voorbeeld.nl # het adres van de inlogdienst (een OAuth-client voor GitHub)",
    "#   # auth_endpoint: auth                   # alleen als de inlogdienst een ander pad gebruikt",
]


def site_yaml(a: Answers, base_url: str, organisation: str, phone: str) -> str:
    m = a.municipality
    helplines = a.helplines
    lines = [
        f"# De instellingen van de site van Eén tegen eenzaamheid {m}.",
        "# Waar INVULLEN staat, moet nog iets ingevuld worden: python build.py check noemt elke plek.",
        f"title: {yaml_text('Eén tegen eenzaamheid ' + m)}",
        "tagline: Samen zorgen we dat niemand er alleen voor staat.",
        f"base_url: {base_url}",
        "language: nl",
        "timezone: Europe/Amsterdam",
        f"municipality: {yaml_text(m)}",
    ]
    if a.villages:
        lines.append("villages: [" + ", ".join(yaml_text(v) for v in a.villages) + "]")
    else:
        lines.append("villages: []  # de dorpen en kernen, zoals [Dorp A, Dorp B]")
    # Without a number the line stays a comment: a placeholder would become a broken tel: link on every page.
    phone_line = f"  phone: {yaml_text(phone)}" if a.phone else \
        f"  # phone: {yaml_text(phone)}  # vul het nummer in en haal dan de # aan het begin weg"
    lines += ["contact:", f"  organisation: {yaml_text(organisation)}", phone_line,
              "menu:",
              "  - title: Home", "    page: index.md",
              "  - title: Agenda", "    url: /agenda/",
              "  - title: Nieuws", "    url: /nieuws/",
              "  - title: Hulp", "    page: hulp.md",
              "  - title: Contact", "    page: contact.md",
              "footer_links:",
              "  - title: Privacy", "    page: privacy.md",
              "  - title: Toegankelijkheid", "    page: toegankelijkheid.md",
              "helplines:"]
    lines += helpline_lines(helplines)
    lines += ["# De pagina achter \"Hulp nodig?\" bovenaan elke pagina, en hoe de site de lezer aanspreekt (u of je).",
              "help_page: hulp.md",
              "address_form: u"]
    lines += CMS_COMMENT
    if a.accent or a.logo is not None:
        lines.append("theme:")
        if a.accent:
            lines.append(f"  accent: {yaml_text(a.accent)}")
        if a.logo is not None:
            lines += [f"  logo: img/{logo_name(a.logo)}", f"  logo_alt: {yaml_text(a.logo_alt or '')}"]
    else:
        lines += ["# Kleur en logo: haal de # weg bij wat je wilt gebruiken. De build weigert een kleur die",
                  "# slecht leesbaar is, en noemt de dichtstbijzijnde kleur die wel goed is.",
                  "# theme:",
                  "#   accent: \"#1a5e8a\"",
                  "#   logo: img/logo.svg         # een SVG- of PNG-bestand in static/img/",
                  "#   logo_alt: Logo van de coalitie"]
    return "\n".join(lines) + "\n"


def helpline_lines(helplines: tuple[tuple[str, str], ...]) -> list[str]:
    """The helplines, the coalition's own or else the national ones; each also at the top of the home page."""
    lines = []
    if helplines:
        for name, number in helplines:
            lines += [f"  - name: {yaml_text(name)}", f"    phone: {yaml_text(number)}", "    home: true"]
    else:
        for name, number, hours, description, url in NATIONAL_HELPLINES:
            lines += [f"  - name: {yaml_text(name)}", f"    phone: {yaml_text(number)}", f"    hours: {hours}",
                      f"    description: {yaml_text(description)}", f"    url: {url}", "    home: true"]
    return lines


EXAMPLE_ACTIVITY = "koffieochtend-voorbeeld"  # the file name is the activity's id and its address


def activity_yaml(a: Answers, place: str, organisation: str, phone: str, today: dt.date) -> str:
    """The example activity, one file of its own in content/agenda/ (the file name is its id)."""
    start = today + dt.timedelta(days=(1 - today.weekday()) % 7 or 7)  # next Tuesday
    organiser = "" if a.organisation is None else \
        f"organiser:\n  name: {yaml_text(organisation)}\n" + (f"  phone: {yaml_text(phone)}\n" if a.phone else "")
    return f"""\
# Een activiteit. De naam van dit bestand is het vaste adres: /agenda/{EXAMPLE_ACTIVITY}/.
# Elke activiteit staat in een eigen bestand in content/agenda/. Maak een nieuwe met:
#   python build.py new activiteit "Titel"
#
# LET OP: dit is een VOORBEELD (example: true). Vervang het door een echte activiteit en haal dan
# "example: true" weg, of gooi dit bestand weg als u het niet meer nodig hebt.

title: Koffieochtend (voorbeeld)
start: {start.isoformat()} 10:00
end: "11:30"
repeat:
  every: week
  on: dinsdag
location:
  name: Dorpshuis (voorbeeld)
  street: Voorbeeldstraat 1
  place: {yaml_text(place)}
{organiser}cost: gratis
registration:
  needed: false
audience: [iedereen]
description: |
  Elke dinsdagochtend staat de koffie klaar. Kom binnen wanneer u wilt, ook als u niemand kent.
example: true
"""


def logo_name(logo: Path) -> str:
    suffix = ".svg" if not logo.read_bytes()[:8].startswith(b"\x89PNG") else ".png"
    return "logo" + suffix
