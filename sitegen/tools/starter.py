"""`build.py init MAP`: a new coalition's own site folder, neutral and complete, in one step.

The site is a folder (or repository) of its own: site.yaml, content/, a deploy workflow and a README.
The generator stays apart (pinned in the workflow by its version tag), so upgrading it never brings another
coalition's content along. Everything is checked and composed in memory first, then written into a
temporary folder that is renamed into place: a refused or failed init leaves nothing half-written.
Texts are plain Dutch (B1) and name only what the coalition gave; what it did not give is left as an
[INVULLEN: ...] placeholder that `check` lists as a warning until it is filled in.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..source.placeholders import placeholder as fill
from ..source.theme import check_logo, checked_colours
from ..core.paths import GENERATOR_ROOT

DEFAULT_MUNICIPALITY = "Voorbeeldgemeente"
DEFAULT_BASE_URL = "https://www.voorbeeld.nl/"
GENERATOR_REPO = "OWNER/REPOSITORY"  # the workflow's placeholder for where the generator lives
# National helplines (the same in every municipality), used when none are given.
NATIONAL_HELPLINES = (
    ("De Luisterlijn", "088 0767 000", "dag en nacht", "Voor een gesprek als je ergens mee zit.",
     "https://www.deluisterlijn.nl"),
    ("113 Zelfmoordpreventie", "113", "dag en nacht",
     "Voor als je aan zelfdoding denkt, gratis en anoniem, ook via 0800-0113.", "https://www.113.nl"),
)
_URL = re.compile(r"^https?://[^\s/]+\.[^\s/]+(/[^\s]*)?$")


class InitError(Exception):
    """Something the person running init can fix; the message says what, in Dutch."""


@dataclass(frozen=True)
class Answers:
    """What a coalition tells init about itself; anything missing becomes a placeholder."""

    municipality: str = DEFAULT_MUNICIPALITY
    villages: tuple[str, ...] = ()
    base_url: str = DEFAULT_BASE_URL
    organisation: str | None = None
    phone: str | None = None
    helplines: tuple[tuple[str, str], ...] = ()  # (name, phone)
    accent: str | None = None
    logo: Path | None = None
    logo_alt: str | None = None
    generator_repo: str = GENERATOR_REPO


def main(target: Path, options: dict, today: dt.date, interactive: bool | None = None,
         ask=input, out=sys.stdout, err=sys.stderr) -> int:
    """The init command: ask (in a terminal, when no option was given) or take the options, then create."""
    if interactive is None:
        interactive = sys.stdin.isatty() and not any(v for v in options.values())
    try:
        answers = ask_answers(ask) if interactive else answers_from_options(options)
        create(target, answers, today)
    except InitError as exc:
        print(str(exc), file=err)
        return 1
    except (EOFError, KeyboardInterrupt):
        print("\nAfgebroken; er is niets gemaakt.", file=err)
        return 1
    shown = target
    print(f"De site voor {answers.municipality} staat in {shown}.\n"
          f"Bekijk hem met:  python build.py serve --site {shown}\n"
          f"Wat nog ingevuld moet worden: python build.py check --site {shown}\n"
          "Lees daarna README.md in die map: hoe je hem publiceert en het programma bijwerkt.", file=out)
    return 0


def answers_from_options(options: dict) -> Answers:
    villages = tuple(v.strip() for v in (options.get("villages") or "").split(",") if v.strip())
    helplines = []
    for spec in options.get("helplines") or ():
        name, sep, phone = spec.partition("=")
        if not sep or not name.strip() or not phone.strip():
            raise InitError(f"--hulplijn '{spec}' begrijp ik niet. Schrijf de naam en het nummer met een = "
                            "ertussen, zoals --hulplijn \"De Luisterlijn=088 0767 000\".")
        helplines.append((name.strip(), phone.strip()))
    logo = options.get("logo")
    return Answers(
        municipality=(options.get("municipality") or DEFAULT_MUNICIPALITY).strip() or DEFAULT_MUNICIPALITY,
        villages=villages,
        base_url=options.get("base_url") or DEFAULT_BASE_URL,
        organisation=options.get("organisation") or None,
        phone=options.get("phone") or None,
        helplines=tuple(helplines),
        accent=options.get("accent") or None,
        logo=Path(logo) if logo else None,
        logo_alt=options.get("logo_alt") or None,
        generator_repo=options.get("generator_repo") or GENERATOR_REPO,
    )


def ask_answers(ask) -> Answers:
    """The same questions as the options, asked one by one in Dutch; an empty answer takes the default."""
    def question(text: str, default: str = "") -> str:
        shown = f" [{default}]" if default else ""
        return ask(f"{text}{shown}: ").strip() or default

    municipality = question("Naam van de gemeente", DEFAULT_MUNICIPALITY)
    villages = question("Dorpen en kernen, met komma's ertussen (mag leeg)")
    base_url = question("Webadres van de site", DEFAULT_BASE_URL)
    organisation = question("Organisatie die inwoners kunnen bellen (mag leeg)")
    phone = question("Telefoonnummer van die organisatie (mag leeg)")
    helplines = []
    while True:
        name = question("Een hulplijn: naam (leeg = klaar; zonder hulplijnen komen de landelijke)")
        if not name:
            break
        helplines.append(f"{name}={question('Telefoonnummer van ' + name)}")
    accent = question("Accentkleur, zoals #1a5e8a (leeg = de standaardkleur)")
    logo = question("Logo: pad naar een SVG- of PNG-bestand (mag leeg)")
    logo_alt = question("Wat staat er op het logo?") if logo else ""
    return answers_from_options({"municipality": municipality, "villages": villages, "base_url": base_url,
                                 "organisation": organisation, "phone": phone, "helplines": helplines,
                                 "accent": accent, "logo": logo, "logo_alt": logo_alt})


def check(target: Path, answers: Answers) -> list[str]:
    """Every reason not to create the site, in Dutch; empty when all is well."""
    reasons = []
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        reasons.append(f"De map {target} bestaat al en is niet leeg. Kies een nieuwe map; init schrijft "
                       "nooit over bestaande bestanden heen.")
    if not _URL.match(answers.base_url):
        reasons.append(f"'{answers.base_url}' is geen geldig webadres. Schrijf het volledig, met https:// "
                       "ervoor, zoals https://www.voorbeeldgemeente.nl/eenzaamheid/.")
    seen: dict[str, str] = {}
    for village in answers.villages:
        key = " ".join(village.lower().split())
        if key in seen:
            reasons.append(f"Het dorp '{village}' staat twee keer in de lijst met dorpen. Noem elk dorp één keer.")
        seen[key] = village
    if answers.logo is not None:
        from ..core.errors import Problems
        from ..core.model import Theme
        from ..source.theme import LogoCheck

        problems = Problems()
        head = answers.logo.read_bytes()[:1024] if answers.logo.is_file() else None
        check_logo(Theme(logo=str(answers.logo), logo_alt=answers.logo_alt or "-"), LogoCheck(head), problems)
        reasons += [p.message.replace("in de map static/ van de site", "op die plek")
                    .replace("het logo ", "Het logo ", 1) for p in problems.errors]
        if not answers.logo_alt:
            reasons.append("Bij het logo hoort een beschrijving voor wie het niet kan zien: geef --logo-alt "
                           "\"Logo van ...\" mee.")
    if answers.accent is not None:
        reasons += _check_colour(answers.accent)
    return reasons


def _check_colour(accent: str) -> list[str]:
    from ..core.errors import Problems
    from ..core.model import Theme
    generator_css = GENERATOR_ROOT / "static" / "css" / "site.css"  # the default colours
    problems = Problems()
    checked_colours(Theme(accent=accent), generator_css.read_text(encoding="utf-8"), problems)
    return [p.message[0].upper() + p.message[1:] for p in problems.errors]


def create(target: Path, answers: Answers, today: dt.date) -> None:
    """Check, compose in memory, write into a temporary folder beside target, then rename it into place."""
    reasons = check(target, answers)
    if reasons:
        raise InitError("\n".join(reasons) + "\nEr is niets gemaakt.")
    files = compose(answers, today)
    target = target.absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.parent / f".{target.name}.init-{os.getpid()}"
    try:
        for rel, data in files.items():
            path = temporary / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        if target.is_dir():
            target.rmdir()  # empty, as check() made sure
        temporary.rename(target)
    except OSError as exc:
        raise InitError(f"De site kon niet in {target} gezet worden ({exc.strerror or exc}). Er is niets "
                        "gemaakt.") from None
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


# --- the files --------------------------------------------------------------------------------------

def _yaml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def compose(a: Answers, today: dt.date) -> dict[str, str | bytes]:
    """Every file of the new site, by path."""
    m = a.municipality
    base_url = a.base_url if a.base_url.endswith("/") else a.base_url + "/"
    organisation = a.organisation or fill("naam van de organisatie die inwoners kunnen bellen")
    phone = a.phone or fill("telefoonnummer")
    place = a.villages[0] if a.villages else m
    files: dict[str, str | bytes] = {}
    files["site.yaml"] = site_yaml(a, base_url, organisation, phone)
    if a.logo is not None:
        files[f"static/img/{_logo_name(a.logo)}"] = a.logo.read_bytes()
    files["content/index.md"] = page(
        f"Eén tegen eenzaamheid {m}", f"Samen tegen eenzaamheid in {m}: uitleg, activiteiten en hulp.", f"""\
## Welkom

Iedereen voelt zich weleens alleen. Dat is heel gewoon. Maar soms blijft dat gevoel hangen. Dan kan het zwaar
worden.

Op deze website vind je de coalitie Eén tegen eenzaamheid {m}. Daarin werken organisaties uit onze gemeente
samen. We willen dat niemand er alleen voor staat.

{fill("een paar zinnen over de coalitie in " + m)}

## Wat vind je op deze website?

- [Activiteiten](/agenda/): waar je andere mensen ontmoet.
- [Nieuws](/nieuws/): wat de coalitie doet.
- [Hulp bij eenzaamheid](hulp.md): waar je terecht kunt als je met iemand wilt praten.
- [Contact](contact.md): met wie je kunt bellen.
""", template="home.html")
    files["content/hulp.md"] = page(
        "Hulp bij eenzaamheid", f"Waar je terecht kunt als je je eenzaam voelt, in {m} en daarbuiten.", f"""\
## Je hoeft het niet alleen te doen

Voel je je eenzaam? Of zit je ergens mee? Dan hoef je dat niet alleen te dragen. Er zijn mensen die naar je
willen luisteren.

## Direct met iemand praten

Er zijn hulplijnen die je kunt bellen. De telefoonnummers staan bij "Hulp nodig?". Dat blok staat op elke
pagina van deze website.

## Hulp dichtbij, in {m}

Wil je iemand spreken die je buurt kent? Bel dan {organisation}. Het nummer is {phone}.

{fill("waar inwoners van " + m + " nog meer terecht kunnen")}
""")
    files["content/contact.md"] = page(
        "Contact", f"Neem contact op met de coalitie Eén tegen eenzaamheid {m}.", f"""\
## Bel of mail ons

Heb je een vraag over eenzaamheid? Wil je meedoen? Neem dan contact op met {organisation}.

- Telefoon: {phone}
- E-mail: {fill("e-mailadres")}

## Waarvoor kun je bellen?

- Als je je eenzaam voelt en met iemand wilt praten.
- Als je je zorgen maakt over iemand anders.
- Als je vrijwilliger wilt worden.
""")
    files["content/privacy.md"] = page(
        "Privacyverklaring", "Deze website gebruikt geen cookies, meet niets en laadt niets van andere websites.",
        f"""\
## Kort gezegd

Deze website houdt niets over jou bij. Je kunt alle pagina's lezen zonder dat wij iets over je weten.

## Geen cookies en geen metingen

Deze website zet geen cookies. We tellen geen bezoekers en we laden niets van andere websites. Er zijn geen
filmpjes, kaarten of knoppen van sociale media die jou volgen.

## Wie is verantwoordelijk?

Deze website is van de coalitie Eén tegen eenzaamheid {m}. Verantwoordelijk is
{fill("naam en adres van de organisatie die verantwoordelijk is voor de website")}.

## Vragen

Heb je een vraag over je privacy? Neem dan [contact](contact.md) met ons op.
""")
    files["content/toegankelijkheid.md"] = page(
        "Toegankelijkheidsverklaring", "We willen dat iedereen deze website kan gebruiken (WCAG 2.1 niveau AA).",
        f"""\
## Een website voor iedereen

De coalitie Eén tegen eenzaamheid {m} wil dat iedereen deze website kan gebruiken. Ook als je slecht ziet of
slecht hoort. En ook als je niet zo handig bent met computers.

## Onze norm

We houden ons aan de norm WCAG 2.1, niveau AA. Dat is een afspraak over toegankelijke websites. De overheid in
Nederland moet zich ook aan deze norm houden.

## Wat we hebben gedaan

- De letters zijn groot. Je kunt ze nog groter maken in je browser.
- Tekst en links hebben genoeg verschil met de achtergrond.
- Je kunt alles met alleen een toetsenbord gebruiken.
- De website werkt zonder JavaScript en op een kleine telefoon.

## Werkt iets niet?

Laat het ons weten. Bel {phone} of mail naar {fill("e-mailadres voor vragen over toegankelijkheid")}.
We antwoorden binnen {fill("aantal")} werkdagen.
""")
    files["content/nieuws/index.md"] = page(
        "Nieuws", f"Nieuws van de coalitie Eén tegen eenzaamheid {m}, het nieuwste bericht bovenaan.",
        "Hier lees je wat de coalitie doet. Het nieuwste bericht staat bovenaan.\n")
    files[f"content/nieuws/{today.isoformat()}-welkom.md"] = page(
        "Onze nieuwe website", f"De coalitie Eén tegen eenzaamheid {m} heeft een eigen website.", f"""\
Vanaf vandaag heeft de coalitie Eén tegen eenzaamheid {m} een eigen website. Hier lees je wat we doen en
waar je terecht kunt als je je eenzaam voelt.

{fill("wie er in de coalitie meedoen")}
""", date=today.isoformat(), summary="De coalitie heeft een eigen website.")
    files["content/agenda.yaml"] = agenda_yaml(a, place, organisation, phone, today)
    files[".github/workflows/site.yml"] = workflow(a)
    files[".gitignore"] = "output/\n.cache/\ngenerator/\n__pycache__/\n"
    files["README.md"] = readme(a)
    return files


def _logo_name(logo: Path) -> str:
    suffix = ".svg" if not logo.read_bytes()[:8].startswith(b"\x89PNG") else ".png"
    return "logo" + suffix


def page(title: str, description: str, body: str, template: str | None = None, date: str | None = None,
         summary: str | None = None) -> str:
    head = [f"title: {_yaml(title)}", f"description: {_yaml(description)}"]
    if date:
        head.append(f"date: {date}")
    if summary:
        head.append(f"summary: {_yaml(summary)}")
    if template:
        head.append(f"template: {template}")
    return "---\n" + "\n".join(head) + "\n---\n\n" + body


def site_yaml(a: Answers, base_url: str, organisation: str, phone: str) -> str:
    m = a.municipality
    helplines = a.helplines
    lines = [
        f"# De instellingen van de site van Eén tegen eenzaamheid {m}.",
        "# Waar INVULLEN staat, moet nog iets ingevuld worden: python build.py check noemt elke plek.",
        f"title: {_yaml('Eén tegen eenzaamheid ' + m)}",
        "tagline: Samen zorgen we dat niemand er alleen voor staat.",
        f"base_url: {base_url}",
        "language: nl",
        "timezone: Europe/Amsterdam",
        f"municipality: {_yaml(m)}",
    ]
    if a.villages:
        lines.append("villages: [" + ", ".join(_yaml(v) for v in a.villages) + "]")
    else:
        lines.append("villages: []  # de dorpen en kernen, zoals [Dorp A, Dorp B]")
    # Without a number the line stays a comment: a placeholder would become a broken tel: link on every page.
    phone_line = f"  phone: {_yaml(phone)}" if a.phone else \
        f"  # phone: {_yaml(phone)}  # vul het nummer in en haal dan de # aan het begin weg"
    lines += ["contact:", f"  organisation: {_yaml(organisation)}", phone_line,
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
    if helplines:
        for name, number in helplines:
            lines += [f"  - name: {_yaml(name)}", f"    phone: {_yaml(number)}"]
    else:
        for name, number, hours, description, url in NATIONAL_HELPLINES:
            lines += [f"  - name: {_yaml(name)}", f"    phone: {_yaml(number)}", f"    hours: {hours}",
                      f"    description: {_yaml(description)}", f"    url: {url}"]
    if a.accent or a.logo is not None:
        lines.append("theme:")
        if a.accent:
            lines.append(f"  accent: {_yaml(a.accent)}")
        if a.logo is not None:
            lines += [f"  logo: img/{_logo_name(a.logo)}", f"  logo_alt: {_yaml(a.logo_alt or '')}"]
    else:
        lines += ["# Kleur en logo: haal de # weg bij wat je wilt gebruiken. De build weigert een kleur die",
                  "# slecht leesbaar is, en noemt de dichtstbijzijnde kleur die wel goed is.",
                  "# theme:",
                  "#   accent: \"#1a5e8a\"",
                  "#   logo: img/logo.svg         # een SVG- of PNG-bestand in static/img/",
                  "#   logo_alt: Logo van de coalitie"]
    return "\n".join(lines) + "\n"


def agenda_yaml(a: Answers, place: str, organisation: str, phone: str, today: dt.date) -> str:
    start = today + dt.timedelta(days=(1 - today.weekday()) % 7 or 7)  # next Tuesday
    organiser = "" if a.organisation is None else \
        f"  organiser:\n    name: {_yaml(organisation)}\n" + (f"    phone: {_yaml(phone)}\n" if a.phone else "")
    return f"""\
# De agenda. Elke activiteit begint met een streepje: "- title: ...".
# Maak een nieuwe met: python build.py new activiteit "Titel"
#
# LET OP: de activiteit hieronder is een VOORBEELD (example: true). Vervang hem door een echte activiteit
# en haal dan "example: true" weg.

- id: koffieochtend-voorbeeld
  title: Koffieochtend (voorbeeld)
  start: {start.isoformat()} 10:00
  end: "11:30"
  repeat:
    every: week
    on: dinsdag
  location:
    name: Dorpshuis (voorbeeld)
    street: Voorbeeldstraat 1
    place: {_yaml(place)}
{organiser}  cost: gratis
  registration:
    needed: false
  audience: [iedereen]
  description: |
    Elke dinsdagochtend staat de koffie klaar. Kom binnen wanneer u wilt, ook als u niemand kent.
  example: true
"""


def workflow(a: Answers) -> str:
    return f"""\
# Bouwt de site met een vaste versie van het programma en zet hem op GitHub Pages.
# - Bij elke wijziging op main, elke nacht (zodat "binnenkort" in de agenda klopt) en met de hand.
# - Bij een pull request: alleen controleren en bouwen.
# Het programma bijwerken: verander GENERATOR_VERSION hieronder (zie CHANGELOG.md van het programma).
# Je haalt dan alleen nieuwe programmacode binnen, nooit de inhoud van een andere site.
name: Website

on:
  pull_request:
  push:
    branches: [main]
  schedule:
    - cron: "17 4 * * *"
  workflow_dispatch:

permissions:
  contents: read

env:
  GENERATOR_REPO: {a.generator_repo}   # vervang door de repository van het programma, zoals organisatie/sitegen
  GENERATOR_VERSION: v{__version__}

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Het programma, vaste versie
        uses: actions/checkout@v4
        with:
          repository: ${{{{ env.GENERATOR_REPO }}}}
          ref: ${{{{ env.GENERATOR_VERSION }}}}
          path: generator
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: Python-pakketten
        run: python -m pip install -r generator/requirements.txt
      - name: Controleren
        run: python generator/build.py check --site . --format github
      - name: Bouwen
        run: python generator/build.py --site . --format github
      - if: github.event_name != 'pull_request'
        uses: actions/upload-pages-artifact@v3
        with:
          path: output

  deploy:
    if: github.event_name != 'pull_request'
    needs: build
    runs-on: ubuntu-latest
    permissions:
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""


def readme(a: Answers) -> str:
    return f"""\
# Website van Eén tegen eenzaamheid {a.municipality}

Deze map is de site: `site.yaml` (instellingen), `content/` (pagina's, nieuws en `agenda.yaml`) en eventueel
`templates/` en `static/` (eigen sjablonen, logo, stylesheet). Het programma dat de site bouwt staat apart, in
een eigen repository, met een vaste versie (v{__version__}).

## Bouwen en bekijken

```sh
git clone --branch v{__version__} https://github.com/{a.generator_repo}.git generator
python3 -m venv .venv && .venv/bin/pip install -r generator/requirements.txt
.venv/bin/python generator/build.py check --site .   # wat nog ingevuld moet worden
.venv/bin/python generator/build.py serve --site .   # bekijk de site op http://127.0.0.1:8000
.venv/bin/python generator/build.py new activiteit "Koffieochtend" --site .
```

Overal waar `[INVULLEN: ...]` staat, moet nog iets ingevuld worden. `check` noemt elke plek met bestand en
regel.

## Het programma bijwerken

Lees in CHANGELOG.md van het programma wat er veranderd is. Verander dan in `.github/workflows/site.yml` de
regel `GENERATOR_VERSION` in de nieuwe versie, en lokaal: `git -C generator fetch --tags && git -C generator
checkout vX.Y.Z`. Zo krijg je alleen nieuwe programmacode; de inhoud van andere sites komt nooit mee.
"""
