"""The documented schemas of site.yaml and of page front matter."""

from __future__ import annotations

from ..core.sections import EXTRA_FIELDS, NEWS, NEWSLETTERS, SECTIONS, DatedSection, folder_problem, section_of
from ..core.urls import menu_target_problem, slug_problem
from .yamlschema import (Field, Schema, boolean, checked_text, date, date_or_moment, email, http_url, integer,
                         list_of, one_of, text, url_path)


def slug(node, ctx):
    """The last part of a page's address: one word of small letters, digits and dashes (urls.slug_problem)."""
    return checked_text(node, ctx, slug_problem)


def menu_target(node, ctx):
    """A menu link's url: a path on this site or a full https:// address (urls.menu_target_problem)."""
    return checked_text(node, ctx, menu_target_problem)


LINK = Schema("een menu-item", (
    Field("title", text, required=True, doc="de tekst in het menu"),
    Field("page", text, doc="een bestand in content/, zoals over-eenzaamheid/index.md"),
    Field("url", menu_target, doc="een adres, zoals /agenda/ of https://www.voorbeeld.nl/"),
))

CONTACT = Schema("contact", (
    Field("organisation", text, required=True, doc="de organisatie die bereikbaar is"),
    Field("phone", text, doc="telefoonnummer, zoals 0123-456789"),
    Field("email", email, doc="e-mailadres"),
    Field("address", text, doc="postadres of bezoekadres, als tekst"),
    Field("url", http_url, doc="website van de organisatie"),
))

PARTNER = Schema("een partner", (
    Field("name", text, required=True, doc="naam van de partner"),
    Field("url", http_url, doc="website van de partner"),
    Field("logo", text, doc="pad van het logo in static/, zoals img/logo.png"),
))

HELPLINE = Schema("een hulplijn", (
    Field("name", text, required=True, doc="naam van de hulplijn"),
    Field("phone", text, required=True, doc="telefoonnummer"),
    Field("hours", text, doc="wanneer bereikbaar, zoals 'dag en nacht'"),
    Field("description", text, doc="voor wie of waarvoor, in een zin"),
    Field("url", http_url, doc="website"),
    Field("checked", date, doc="wanneer het nummer voor het laatst is nagekeken, zoals 2026-06-01"),
    Field("checked_at", text, doc="waar het nummer is nagekeken, zoals de website van de hulplijn"),
    Field("home", boolean, doc="true om het nummer ook bovenaan de beginpagina te tonen"),
))

FEEDS = Schema("feeds", (
    Field("entries", integer, doc="hoeveel berichten een feed toont"),
))

CMS = Schema("de webeditor (cms)", (
    Field("repo", text, required=True, doc="de repository op GitHub, zoals coalitie/website"),
    Field("branch", text, doc="de tak waar de site van gebouwd wordt (standaard main)"),
    Field("auth_url", http_url, doc="het adres van de inlogdienst voor GitHub (een OAuth-client), "
          "zoals https://inloggen.voorbeeld.nl"),
    Field("auth_endpoint", text, doc="het pad bij de inlogdienst (standaard auth)"),
))

THEME = Schema("theme", (
    Field("accent", text, doc="kleur van links en randen, zoals \"#8a3b12\" (minstens 4,5:1 contrast)"),
    Field("accent_dark", text, doc="kleur van het menu en knoppen met witte tekst, zoals \"#5e270b\""),
    Field("logo", text, doc="het logo (SVG of PNG) in static/, zoals img/logo.svg"),
    Field("logo_alt", text, doc="wat er op het logo staat, voor wie het niet kan zien"),
))


def section_folder(node, ctx):
    """The folder of a site's own dated section: a slug no fixed section or generated folder has."""
    return checked_text(node, ctx, folder_problem)


# One of site.yaml's `sections:` (core/sections.py turns it into a DatedSection; source/load_sections.py).
SECTION = Schema("een rubriek (sections)", (
    Field("folder", section_folder, required=True, doc="de map in content/ en het adres, zoals verhalen"),
    Field("title", text, required=True, doc="de naam van de rubriek, zoals Verhalen"),
    Field("singular", text, required=True, doc="één stuk, zoals verhaal (in 'Vorig verhaal')"),
    Field("article", one_of("de", "het"), doc="het lidwoord: het (het verhaal: 'Vorig verhaal') of de "
          "(de column: 'Vorige column'); standaard de"),
    Field("plural", text, doc="meer stukken, zoals verhalen (standaard de naam in kleine letters)"),
    Field("by_year", boolean, doc="true om het overzicht per jaar te tonen, zoals het archief van nieuwsbrieven"),
    Field("home", integer, doc="hoeveel van de nieuwste stukken de beginpagina toont (standaard 0: geen)"),
    Field("per_page", integer, doc="hoeveel stukken op één pagina van het overzicht staan (standaard 10)"),
    Field("fields", list_of(one_of(*EXTRA_FIELDS), allow_single=True),
          doc="extra velden in de kop: summary, edition, pdf (standaard summary)"),
))

SITE = Schema("site.yaml", (
    Field("title", text, required=True, doc="naam van de site"),
    Field("tagline", text, required=True, doc="korte zin onder de naam"),
    Field("base_url", http_url, required=True, doc="het webadres van de site, zoals https://www.voorbeeld.nl/"),
    Field("language", text, doc="taal van de site, nl"),
    Field("timezone", text, doc="tijdzone, Europe/Amsterdam"),
    Field("municipality", text, required=True, doc="naam van de gemeente"),
    Field("contact", CONTACT, required=True),
    Field("menu", list_of(LINK), required=True),
    Field("footer_links", list_of(LINK)),
    Field("partners", list_of(PARTNER)),
    Field("helplines", list_of(HELPLINE)),
    Field("feeds", FEEDS),
    Field("cms", CMS, doc="de webeditor op /admin/ (zie docs/redactie.md)"),
    Field("help_page", text, doc="de pagina achter 'Hulp nodig?' bovenaan elke pagina, zoals hulp.md"),
    Field("address_form", one_of("u", "je"), doc="hoe de site de lezer aanspreekt: u of je"),
    Field("villages", list_of(text), doc="de dorpen en kernen van de gemeente, voor voorbeelden"),
    Field("theme", THEME),
    Field("sections", list_of(SECTION), doc="eigen rubrieken met een datum, zoals verhalen (naast nieuws en nieuwsbrieven)"),
))

PAGE_FIELDS = (
    Field("title", text, required=True, doc="de titel van de pagina"),
    Field("description", text, doc="een zin over de pagina, voor zoekmachines en overzichten"),
    Field("date", date, doc="datum, zoals 2025-03-14"),
    Field("updated", date, doc="datum van de laatste wijziging"),
    Field("draft", boolean, doc="true als de pagina nog niet af is"),
    Field("order", integer, doc="plaats in het overzicht van de rubriek, laagste eerst"),
    Field("template", text, doc="een ander sjabloon, zoals home.html"),
    Field("tags", list_of(text, allow_single=True), doc="onderwerpen, zoals [ouderen, zomer]"),
    Field("image", text, doc="een afbeelding naast het bestand, zoals foto.jpg"),
    Field("image_alt", text, doc="wat er op de afbeelding te zien is"),
    Field("aliases", list_of(url_path, allow_single=True), doc="oude adressen die hierheen moeten leiden"),
    Field("slug", slug, doc="het laatste deel van het adres"),
)

# The fields a dated section may add (core/sections.py EXTRA_FIELDS; a section names the ones it takes).
DATED_EXTRA_FIELDS = (
    Field("edition", integer, doc="het nummer van de nieuwsbrief"),
    Field("summary", text, doc="een korte samenvatting"),
    Field("pdf", text, doc="de oorspronkelijke nieuwsbrief als PDF naast het bestand"),
)

# A post of a dated section may give the time of day: it orders the items of one day and is the time in
# the feeds; the item is on the site from that moment (scheduled publishing, see assemble.withheld_pages).
DATED_FIELDS = tuple(Field("date", date_or_moment, doc="datum, zoals 2025-03-14, eventueel met tijd: 2025-03-14 15:24")
                     if f.name == "date" else f for f in PAGE_FIELDS)

FRONT_MATTER = Schema("de kop van de pagina", PAGE_FIELDS)

# Fields a news item or newsletter must have although the front matter schema lets a page leave them out:
# listings.py refuses a post without a date, and the web editor's form asks for it (cms.py).
ALWAYS_DATED = ("date",)


def dated_schema(section: DatedSection) -> Schema:
    """The front matter of a dated section's files: a page's, a date that may hold a time, its own fields."""
    return Schema(section.front_matter,
                  DATED_FIELDS + tuple(f for f in DATED_EXTRA_FIELDS if f.name in section.fields))


NEWS_FRONT_MATTER = dated_schema(NEWS)
NEWSLETTER_FRONT_MATTER = dated_schema(NEWSLETTERS)


def folder_section(rel: str, sections: tuple[DatedSection, ...] = SECTIONS) -> DatedSection | None:
    """The dated section whose folder holds a content file (its index.md too), or None."""
    return section_of(sections, rel.split("/", 1)[0]) if "/" in rel else None


def front_matter_schema(rel: str, sections: tuple[DatedSection, ...] = SECTIONS) -> Schema:
    """Which front matter a content file takes depends on its section."""
    section = folder_section(rel, sections)
    return dated_schema(section) if section is not None else FRONT_MATTER
