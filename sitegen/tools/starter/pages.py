"""The Dutch texts of the starting site's pages: home, help, contact, privacy, accessibility and news.

Plain Dutch (B1). They name only what the coalition gave; the rest is an [INVULLEN: ...] placeholder that
`check` lists until it is filled in.
"""

from __future__ import annotations

import datetime as dt
import json

from ...source.placeholders import placeholder as fill


def content_pages(m: str, organisation: str, phone: str, today: dt.date) -> dict[str, str]:
    """The starting pages by path in the site; m is the municipality."""
    return {
        "content/index.md": home(m),
        "content/hulp.md": help_page(m, organisation, phone),
        "content/contact.md": contact(m, organisation, phone),
        "content/privacy.md": privacy(m),
        "content/toegankelijkheid.md": accessibility(m, phone),
        "content/nieuws/index.md": news_index(m),
        f"content/nieuws/{today.isoformat()}-welkom.md": welcome(m, today),
    }


def home(m: str) -> str:
    """The home page: what the coalition is and what the site offers."""
    return page(
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


def help_page(m: str, organisation: str, phone: str) -> str:
    """Where to turn when you feel lonely."""
    return page(
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
""", template="help_page.html")


def contact(m: str, organisation: str, phone: str) -> str:
    """Whom to call or mail, and what for."""
    return page(
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


def privacy(m: str) -> str:
    """The privacy statement: no cookies, no measuring, nothing from other hosts."""
    return page(
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


def accessibility(m: str, phone: str) -> str:
    """The accessibility statement (WCAG 2.1 AA)."""
    return page(
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


def news_index(m: str) -> str:
    """The news section's index page."""
    return page(
        "Nieuws", f"Nieuws van de coalitie Eén tegen eenzaamheid {m}, het nieuwste bericht bovenaan.",
        "Hier lees je wat de coalitie doet. Het nieuwste bericht staat bovenaan.\n")


def welcome(m: str, today: dt.date) -> str:
    """The first news item: the site is new."""
    return page(
        "Onze nieuwe website", f"De coalitie Eén tegen eenzaamheid {m} heeft een eigen website.", f"""\
Vanaf vandaag heeft de coalitie Eén tegen eenzaamheid {m} een eigen website. Hier lees je wat we doen en
waar je terecht kunt als je je eenzaam voelt.

{fill("wie er in de coalitie meedoen")}
""", date=today.isoformat(), summary="De coalitie heeft een eigen website.")


def page(title: str, description: str, body: str, template: str | None = None, date: str | None = None,
         summary: str | None = None) -> str:
    head = [f"title: {yaml_text(title)}", f"description: {yaml_text(description)}"]
    if date:
        head.append(f"date: {date}")
    if summary:
        head.append(f"summary: {yaml_text(summary)}")
    if template:
        head.append(f"template: {template}")
    return "---\n" + "\n".join(head) + "\n---\n\n" + body


def yaml_text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)
