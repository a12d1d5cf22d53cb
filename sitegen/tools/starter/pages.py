"""The Dutch texts of the starting site's pages: home, help, contact, privacy, accessibility and news.

Plain Dutch (B1), speaking to the reader as "u" (the site's address_form: the build warns on a "je"). They
name only what the coalition gave; the rest is an [INVULLEN: ...] placeholder that `check` lists until it is
filled in.
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

Op deze website vindt u de coalitie Eén tegen eenzaamheid {m}. Daarin werken organisaties uit onze gemeente
samen. We willen dat niemand er alleen voor staat.

{fill("een paar zinnen over de coalitie in " + m)}

## Wat vindt u op deze website?

- [Activiteiten](/agenda/): waar u andere mensen ontmoet.
- [Nieuws](/nieuws/): wat de coalitie doet.
- [Hulp bij eenzaamheid](hulp.md): waar u terecht kunt als u met iemand wilt praten.
- [Contact](contact.md): met wie u kunt bellen.
""", template="home.html")


def help_page(m: str, organisation: str, phone: str) -> str:
    """Where to turn when you feel lonely; the help page template puts every number above this text."""
    return page(
        "Hulp bij eenzaamheid", f"Waar u terecht kunt als u zich eenzaam voelt, in {m} en daarbuiten.", f"""\
## U hoeft het niet alleen te doen

Voelt u zich eenzaam? Of zit u ergens mee? Dan hoeft u dat niet alleen te dragen. Er zijn mensen die naar u
willen luisteren.

## Direct met iemand praten

De hulplijnen hierboven kunt u meteen bellen. Dezelfde nummers staan ook onderaan elke pagina van deze
website, bij "Hulp nodig?".

## Hulp dichtbij, in {m}

Wilt u iemand spreken die uw buurt kent? Bel dan {organisation}. Het nummer is {phone}.

{fill("waar inwoners van " + m + " nog meer terecht kunnen")}
""", template="help_page.html")


def contact(m: str, organisation: str, phone: str) -> str:
    """Whom to call or mail, and what for."""
    return page(
        "Contact", f"Neem contact op met de coalitie Eén tegen eenzaamheid {m}.", f"""\
## Bel of mail ons

Heeft u een vraag over eenzaamheid? Wilt u meedoen? Neem dan contact op met {organisation}.

- Telefoon: {phone}
- E-mail: {fill("e-mailadres")}

## Waarvoor kunt u bellen?

- Als u zich eenzaam voelt en met iemand wilt praten.
- Als u zich zorgen maakt over iemand anders.
- Als u vrijwilliger wilt worden.
""")


def privacy(m: str) -> str:
    """The privacy statement: no cookies, no measuring, nothing from other hosts."""
    return page(
        "Privacyverklaring", "Deze website gebruikt geen cookies, meet niets en laadt niets van andere websites.",
        f"""\
## Kort gezegd

Deze website houdt niets over u bij. U kunt alle pagina's lezen zonder dat wij iets over u weten.

## Geen cookies en geen metingen

Deze website zet geen cookies. We tellen geen bezoekers en we laden niets van andere websites. Er zijn geen
filmpjes, kaarten of knoppen van sociale media die u volgen.

## Wie is verantwoordelijk?

Deze website is van de coalitie Eén tegen eenzaamheid {m}. Verantwoordelijk is
{fill("naam en adres van de organisatie die verantwoordelijk is voor de website")}.

## Vragen

Heeft u een vraag over uw privacy? Neem dan [contact](contact.md) met ons op.
""")


def accessibility(m: str, phone: str) -> str:
    """The accessibility statement (WCAG 2.1 AA)."""
    return page(
        "Toegankelijkheidsverklaring", "We willen dat iedereen deze website kan gebruiken (WCAG 2.1 niveau AA).",
        f"""\
## Een website voor iedereen

De coalitie Eén tegen eenzaamheid {m} wil dat iedereen deze website kan gebruiken. Ook als u slecht ziet of
slecht hoort. En ook als u niet zo handig bent met computers.

## Onze norm

We houden ons aan de norm WCAG 2.1, niveau AA. Dat is een afspraak over toegankelijke websites. De overheid in
Nederland moet zich ook aan deze norm houden.

## Wat we hebben gedaan

- De letters zijn groot. U kunt ze nog groter maken in uw browser.
- Tekst en links hebben genoeg verschil met de achtergrond.
- U kunt alles met alleen een toetsenbord gebruiken.
- De website werkt zonder JavaScript en op een kleine telefoon.

## Werkt iets niet?

Laat het ons weten. Bel {phone} of mail naar {fill("e-mailadres voor vragen over toegankelijkheid")}.
We antwoorden binnen {fill("aantal")} werkdagen.
""")


def news_index(m: str) -> str:
    """The news section's index page."""
    return page(
        "Nieuws", f"Nieuws van de coalitie Eén tegen eenzaamheid {m}, het nieuwste bericht bovenaan.",
        "Hier leest u wat de coalitie doet. Het nieuwste bericht staat bovenaan.\n")


def welcome(m: str, today: dt.date) -> str:
    """The first news item: the site is new."""
    return page(
        "Onze nieuwe website", f"De coalitie Eén tegen eenzaamheid {m} heeft een eigen website.", f"""\
Vanaf vandaag heeft de coalitie Eén tegen eenzaamheid {m} een eigen website. Hier leest u wat we doen en
waar u terecht kunt als u zich eenzaam voelt.

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
