"""The web editor (Decap CMS) at /admin/: its config.yml made from the schemas the build checks with.

One source of truth: each form field is derived from the same Field objects that check a page's front
matter (schemas.py) and an activity (agenda.load.EVENT), so the form asks for exactly what the build
accepts. site.yaml's `cms` says where the site's repository is and how editors log in; without it (and
outside `make redactie`) /admin/ is a Dutch page that says what is missing, with no script to load.
"""

from __future__ import annotations

import json
from html import escape

import yaml

import re

from ..agenda.load import EVENT, STATUS_NOTES, STATUSES
from ..core.model import CmsSettings, Output, Site
from ..core.sections import all_sections, section_of
from ..source.schemas import ALWAYS_DATED, FRONT_MATTER, SITE, dated_schema
from ..source.yamlschema import Field, Schema, boolean, date, date_or_moment, email, http_url, integer, text, url_path
from .cms_script import WIDGET as DATE_WIDGET, preview_script

SCRIPT = "decap-cms.js"  # from node_modules/decap-cms/dist/ (package-lock.json), with its numbered chunks
# Dates are typed as the Dutch write them (16-12-2026) in the editor's own date field (cms_script.py: Decap's
# datetime widget shows the browser's format, mm/dd/yyyy in an English browser); the widget writes the date as
# the build reads it, and the pattern refuses what it could not read, in Dutch, before anything is saved.
DATE = {"widget": DATE_WIDGET,
        "pattern": ["^\\d{4}-\\d{2}-\\d{2}$", "schrijf de datum als dag-maand-jaar, zoals 16-12-2026"]}
MOMENT = {"widget": DATE_WIDGET, "time": True,
          "pattern": ["^\\d{4}-\\d{2}-\\d{2}( \\d{2}:\\d{2})?$",
                      "schrijf dag-maand-jaar en de tijd, zoals 16-12-2026 14:00 (zonder tijd: de hele dag)"]}
COLOUR_PATTERN = ["^#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$", "een kleur als #8a3b12: een hekje en zes tekens"]
# site.yaml's keys an editor changes in the web editor (a files collection); the rest of site.yaml (the
# address, the menu, the web editor's own settings) stays out of its reach: the backend changes only these.
SITE_FORM = ("contact", "helplines", "villages", "theme")
URL_PATTERN = ["^https?://\\S+$", "begin met https://"]
EMAIL_PATTERN = ["^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", "een e-mailadres, zoals naam@voorbeeld.nl"]
ID_PATTERN = ["^[a-z0-9]+(-[a-z0-9]+)*$", "kleine letters, cijfers en streepjes"]

# Dutch labels; the field's doc in the schema is the hint below it.
LABELS = {
    "title": "Titel", "description": "Beschrijving", "date": "Datum", "updated": "Bijgewerkt op",
    "draft": "Concept (nog niet op de site)", "order": "Volgorde in de rubriek", "template": "Sjabloon",
    "tags": "Onderwerpen", "image": "Afbeelding", "image_alt": "Wat staat er op de afbeelding?",
    "aliases": "Oude adressen", "slug": "Laatste deel van het adres", "summary": "Samenvatting",
    "edition": "Nummer", "pdf": "De nieuwsbrief als PDF",
}
EVENT_LABELS = {
    "title": "Naam van de activiteit", "start": "Begin", "end": "Einde", "duration": "Duur (in plaats van einde)",
    "location": "Plaats", "online": "Link om online mee te doen", "organiser": "Organisator", "cost": "Kosten",
    "registration": "Aanmelden", "audience": "Voor wie", "accessibility": "Toegankelijkheid",
    "transport": "Vervoer", "description": "Uitleg", "image": "Afbeelding",
    "image_alt": "Wat staat er op de afbeelding?", "status": "Status",
    "status_note": "Uitleg bij afgelast of verplaatst", "repeat": "Herhaling",
    "rrule": "Herhaling als RRULE (voor gevorderden)", "example": "Voorbeeld (nog vervangen)",
    "location.name": "Naam van het gebouw of de plek", "location.street": "Straat en huisnummer",
    "location.postcode": "Postcode", "location.place": "Dorp of stad",
    "organiser.name": "Naam", "organiser.phone": "Telefoon", "organiser.email": "E-mail",
    "organiser.url": "Website", "registration.needed": "Aanmelden nodig?",
    "registration.phone": "Aanmelden per telefoon", "registration.email": "Aanmelden per e-mail",
    "registration.url": "Aanmelden via een website", "registration.deadline": "Uiterlijk aanmelden op",
    "registration.note": "Extra zin", "repeat.every": "Elke", "repeat.interval": "Om de hoeveel",
    "repeat.on": "Op", "repeat.month": "Maand (bij elk jaar)", "repeat.until": "Tot en met",
    "repeat.count": "Hoe vaak in totaal", "repeat.except": "Niet op (data, maanden of periodes)",
}
SITE_LABELS = {
    "contact": "Contact", "contact.organisation": "Organisatie", "contact.phone": "Telefoon",
    "contact.email": "E-mail", "contact.address": "Adres", "contact.url": "Website",
    "helplines": "Hulplijnen", "helplines[]": "hulplijn", "helplines.name": "Naam", "helplines.phone": "Telefoon",
    "helplines.hours": "Bereikbaar", "helplines.description": "Voor wie of waarvoor", "helplines.url": "Website",
    "helplines.checked": "Nagekeken op", "helplines.checked_at": "Nagekeken bij",
    "helplines.home": "Ook bovenaan de beginpagina", "villages": "Dorpen en kernen", "theme": "Kleuren en logo",
    "theme.accent": "Kleur van links en randen", "theme.accent_dark": "Kleur van het menu en de knoppen",
    "theme.logo": "Logo", "theme.logo_alt": "Wat staat er op het logo?",
}
# Hints where the schema's doc speaks YAML (a key's name, a flow list, true/false) rather than the form.
PAGE_HINTS = {"date": "de dag van het bericht, zoals 16-12-2026",
              "aliases": "oude adressen die hierheen moeten leiden, zoals /oude-pagina/"}
EVENT_HINTS = {
    "image": "een foto bij de activiteit: kies er een, of voeg er een toe",
    "start": "dag en tijd waarop het begint, zoals 16-12-2026 14:00",
    "end": "de eindtijd, zoals 11:30, of een andere dag en tijd, zoals 2026-09-03 11:30",
    "duration": "hoe lang, zoals 2 uur. Vul Einde of Duur in, niet allebei",
    "description": "wat er te doen is. Met de knoppen maakt u kopjes, lijstjes en links",
    "status_note": "waarom het niet doorgaat, of waar en wanneer het nu is. Leeg gelaten staat er: "
                   + " / ".join(f"'{note}'" for note in STATUS_NOTES.values()),
    "repeat": "alleen als het vaker is. Kies bij Elke: dag, week, maand of jaar",
    "repeat.on": "zoals dinsdag, of dinsdag, donderdag, of eerste maandag, of 15 (de 15e van de maand)",
    "repeat.month": "bij elk jaar: de maand, zoals september",
    "repeat.except": "wanneer het niet doorgaat: een datum, zoals 29 december 2026, een maand, zoals juli, of "
                     "een periode, zoals 13 juli tot en met 21 augustus. Zonder jaartal geldt het elk jaar",
    "rrule": "alleen voor gevorderden. Laat leeg en gebruik Herhaling",
    "registration.needed": "aanvinken als mensen zich moeten aanmelden. Leeg gelaten: nodig als er een "
                           "telefoonnummer, e-mailadres, website of datum staat",
    "location.name": "naam van het gebouw of de plek, zoals het dorpshuis. Leeg gelaten: het adres",
    "organiser.name": "naam van de organisatie of persoon. Leeg gelaten: de website, het e-mailadres of "
                      "telefoonnummer",
}
SITE_HINTS = {
    "theme.accent": "zoals #8a3b12. De site controleert of tekst in deze kleur goed te lezen is",
    "theme.accent_dark": "zoals #5e270b, met witte tekst erop. De site controleert of dat goed te lezen is",
}
LIST_HINT = "Meer dan één? Zet er een komma tussen."
# Fields whose text is markdown or long: a bigger box than one line.
LONG_TEXT = {"description": "text", "transport": "text", "summary": "text"}
FILE_FIELDS = {"image": "image", "pdf": "file"}
# Converters of the agenda that are text in a form, with the pattern the form checks first.
EVENT_WIDGETS = {
    "start": MOMENT,
    "end": {"widget": "string", "pattern": ["^(\\d{4}-\\d{2}-\\d{2}( \\d{1,2}[:.]\\d{2})?|\\d{1,2}[:.]\\d{2})$",
                                            "een tijd zoals 11:30, of een datum en tijd zoals 2026-09-03 11:30"]},
    "description": {"widget": "markdown"},  # an activity's description is markdown; a page's is one sentence
    "registration.deadline": DATE,  # a date is a moment too: the whole day
    "repeat.every": {"widget": "select", "options": ["dag", "week", "maand", "jaar"]},
}
# Kept out of the form: an activity's id is the name of its file (content/agenda/<id>.yaml).
EVENT_SKIPPED = {"id"}


def form_field(field: Field, required: bool, path: str = "", words: tuple[dict, dict] = (LABELS, PAGE_HINTS),
               widgets: dict | None = None, defaults: bool = True) -> dict:
    """One Decap field for one schema field: widget, required, hint, and what it allows.

    words: the labels and the hints that replace a schema doc written for the file (by key, such as
    location.name); widgets: a widget chosen by key instead of by the field's converter."""
    key = path + field.name
    spec: dict = {"name": field.name, "label": words[0].get(key, field.name)}
    widgets = widgets or {}
    spec.update(widgets[key] if key in widgets else _widget(field, key, required, words, widgets, defaults))
    hint = form_hint(field.doc if key not in words[1] else words[1][key], key, spec)
    if hint and "hint" not in spec:
        spec["hint"] = hint
    spec["required"] = required
    return spec


def _widget(field: Field, key: str, required: bool, words: tuple, widgets: dict, defaults: bool) -> dict:
    """The widget that writes what the field's converter reads."""
    convert = field.convert
    if isinstance(convert, Schema):
        # An optional group (place, repeat, registration) left empty is not required, and neither is anything
        # in it: Decap checks a folded group's fields too, so the build reads a group filled in part
        # (agenda.load._group). No defaults inside an optional group either: an untouched group stays out.
        return {"widget": "object", "collapsed": not required,
                "fields": [form_field(f, required and f.required, key + ".", words, widgets, defaults and required)
                           for f in convert.fields]}
    if convert is boolean:
        return {"widget": "boolean", "default": False} if defaults else {"widget": "boolean"}  # as the build reads it
    if convert is integer:
        return {"widget": "number", "value_type": "int"}
    if convert in (date, date_or_moment):
        return dict(DATE)  # the form writes the day; a time of day (to order one day's news) goes in the file
    if convert is http_url:
        return {"widget": "string", "pattern": URL_PATTERN}
    if convert is email:
        return {"widget": "string", "pattern": EMAIL_PATTERN}
    if getattr(convert, "choices", None):
        return {"widget": "select", "options": list(convert.choices)}
    item = getattr(convert, "item", None)
    if isinstance(item, Schema):  # a list of records, such as the helplines: one small form per item
        return {"widget": "list", "summary": "{{fields.name}}", "label_singular": words[0].get(key + "[]", field.name),
                "fields": [form_field(f, f.required, key + ".", words, widgets) for f in item.fields]}
    if item in (date, date_or_moment):
        return {"widget": "list", "field": {"name": "datum", "label": "Datum", **DATE}}
    if item is not None:
        # One line, split at the commas: "ouderen, mantelzorgers" is two values, as the build reads a list.
        return {"widget": "list"}
    if field.name in FILE_FIELDS:
        return {"widget": FILE_FIELDS[field.name], "media_folder": "", "public_folder": ""}
    if field.name in LONG_TEXT:
        return {"widget": LONG_TEXT[field.name]}
    if field.name == "slug":
        return {"widget": "string", "pattern": ID_PATTERN}
    if key.startswith("theme.accent"):
        return {"widget": "string", "pattern": COLOUR_PATTERN}  # its contrast is checked by the build (theme.py)
    return {"widget": "string"}  # text, and agenda text such as a duration or an RRULE


def form_hint(doc: str, key: str, spec: dict) -> str:
    """The hint under a field, in the form's words: the schema's doc without YAML (true/false, [a, b],
    {every: week}) and without a date written as the file has it (the date field shows the browser's)."""
    hint = doc
    hint = re.sub(r"\btrue (als|om|voor)\b", r"aanvinken \1", hint)
    hint = re.sub(r",? ?\bfalse als [^,.;(]*", "", hint)
    hint = re.sub(r",? ?zoals \{[^}]*\}", "", hint)
    hint = re.sub(r"\[([^\]]*)\]", r"\1", hint)
    if spec.get("widget") == DATE_WIDGET:
        hint = re.sub(r"(zoals|:) ?\d{4}-\d{2}-\d{2}.*$", "zoals 16-12-2026", hint)
    hint = hint.strip(" ,")
    if spec.get("widget") == "list" and "field" not in spec and "fields" not in spec:
        hint = f"{hint}. {LIST_HINT}" if hint else LIST_HINT
    return hint[:1].upper() + hint[1:]


def page_fields(schema: Schema, dated: bool) -> list[dict]:
    fields = [form_field(f, f.required or (dated and f.name in ALWAYS_DATED)) for f in schema.fields]
    return fields + [{"name": "body", "label": "Tekst", "widget": "markdown"}]


def event_fields() -> list[dict]:
    return [form_field(f, f.required, words=(EVENT_LABELS, EVENT_HINTS), widgets=EVENT_WIDGETS)
            for f in EVENT.fields if f.name not in EVENT_SKIPPED]


def site_fields() -> list[dict]:
    """The form of site.yaml's contact details, helplines, villages and colours (SITE_FORM)."""
    return [form_field(f, f.required, words=(SITE_LABELS, SITE_HINTS)) for f in SITE.fields if f.name in SITE_FORM]


def sections(site: Site) -> list[tuple[str, str]]:
    """(folder, title) of every section of plain pages, such as over-eenzaamheid: one collection each."""
    found = {}
    dated = all_sections(site.config)
    for page in site.pages:
        rel = page.source.removeprefix("content/")
        if "/" in rel and rel.count("/") == 1 and rel.endswith("/index.md"):
            folder = rel.split("/")[0]
            if section_of(dated, folder) is None:
                found[folder] = page.title
    return sorted(found.items())


def _pages(name: str, label: str, singular: str, folder: str, schema: Schema, slug: str = "{{slug}}",
           dated: bool = False) -> dict:
    collection = {"name": name, "label": label, "label_singular": singular, "folder": folder, "extension": "md",
                  "format": "frontmatter", "create": True, "slug": slug, "fields": page_fields(schema, dated)}
    if dated:
        collection["sortable_fields"] = ["date", "title"]
    return collection


DATED = ("nieuws", "nieuwsbrieven")  # the collections of items that go live on their date (cms_script.py)


def collections(site: Site) -> list[dict]:
    dated_slug = "{{year}}-{{month}}-{{day}}-{{slug}}"
    found = [_pages("paginas", "Pagina's", "Pagina", "content", FRONT_MATTER)]
    found += [_pages(folder, title, f"Pagina bij {title}", f"content/{folder}", FRONT_MATTER)
              for folder, title in sections(site)]
    found += [_pages(s.folder, s.title, s.post[:1].upper() + s.post[1:], f"content/{s.folder}", dated_schema(s),
                     dated_slug, dated=True) for s in all_sections(site.config)]
    found.append({"name": "agenda", "label": "Agenda", "label_singular": "Activiteit", "folder": "content/agenda",
                  "extension": "yaml", "format": "yaml", "create": True, "identifier_field": "title",
                  "slug": "{{slug}}", "summary": "{{title}} ({{start}})", "sortable_fields": ["start", "title"],
                  "fields": event_fields()})
    found.append({"name": "site", "label": "Contact en hulplijnen", "editor": {"preview": False},
                  "files": [{"name": "site", "label": "Contact, hulplijnen, dorpen en kleuren", "file": "site.yaml",
                             "format": "yaml", "fields": site_fields()}]})
    return found


def config(site: Site, proxy_url: str | None = None) -> dict:
    """Decap's configuration: the GitHub backend from site.yaml, or the preview's own backend at proxy_url (make redactie, tools/editor_backend.py)."""
    settings: CmsSettings | None = site.config.cms
    if proxy_url:
        backend = {"name": "proxy", "proxy_url": proxy_url, "branch": settings.branch if settings else "main"}
    else:
        backend = {"name": "github", "repo": settings.repo, "branch": settings.branch}
        if settings.auth_url:
            backend.update(base_url=settings.auth_url, auth_endpoint=settings.auth_endpoint)
    result = {"backend": backend}
    if not proxy_url:
        result["publish_mode"] = "editorial_workflow"  # a save opens a pull request: check and tests run on it
    result.update({
        "locale": "nl", "site_url": site.base_url, "display_url": site.base_url,
        "media_folder": "content", "public_folder": "",
        "slug": {"encoding": "ascii", "clean_accents": True},
        "collections": collections(site),
    })
    return result


def missing(site: Site, script_found: bool, proxy_url: str | None) -> list[str]:
    """What the web editor still needs, in Dutch; empty when it can start."""
    needs = []
    if site.config.cms is None and not proxy_url:
        needs.append("In <code>site.yaml</code> staat nog geen <code>cms:</code> met de repository op GitHub "
                     "(<code>repo</code>), de tak (<code>branch</code>) en de inlogdienst (<code>auth_url</code>).")
    if not script_found:
        needs.append("Het programma van de webeditor (<code>decap-cms.js</code>) is niet gevonden. Het komt uit "
                     "<code>package-lock.json</code> van het programma: draai eerst "
                     "<code>python3 tools/npm_tools.py --only decap-cms</code> in de map van het programma, "
                     "en bouw dan opnieuw.")
    return needs


def render_admin(site: Site, stylesheet: str | None, script_found: bool, proxy_url: str | None) -> list[Output]:
    """/admin/index.html, and /admin/config.yml when the editor can start."""
    needs = missing(site, script_found, proxy_url)
    source = site.config.source
    if needs:
        items = "".join(f"<li>{n}</li>" for n in needs)
        body = (f"<h1>De webeditor is nog niet klaar</h1><p>Op deze pagina komt de webeditor, waarmee u in de "
                f"browser pagina's, nieuws en activiteiten verandert. Er ontbreekt nog iets:</p><ul>{items}</ul>"
                "<p>Hoe u dat regelt, staat stap voor stap in <code>docs/redactie.md</code>, onder "
                "\u201cWerken in de browser\u201d. Tot dan kunt u de bestanden in <code>content/</code> zelf "
                f"aanpassen.</p><p><a href=\"{escape(site.base_url)}\">Naar de website</a></p>")
        return [Output("admin/index.html", _page(site, body, stylesheet, script=False).encode("utf-8"), source)]
    data = yaml.safe_dump(config(site, proxy_url), allow_unicode=True, sort_keys=False, width=120)
    head = "# Made by the build from the schemas (sitegen/render/cms.py) and site.yaml: do not edit.\n"
    return [Output("admin/config.yml", (head + data).encode("utf-8"), source),
            Output("admin/index.html", _page(site, "", stylesheet, script=True).encode("utf-8"), source),
            Output("admin/preview.js", preview_script(stylesheet, site.config.timezone, DATED), source)]


def _page(site: Site, body: str, stylesheet: str | None, script: bool) -> str:
    css = f'<link rel="stylesheet" href="{escape(stylesheet)}">' if stylesheet and not script else ""
    config_link = '<link rel="cms-config-url" type="text/yaml" href="config.yml">' if script else ""
    # The preview pane shows a page in the site's own stylesheet (registered once Decap has loaded).
    preview = (f"<script src=\"{SCRIPT}\"></script><script src=\"preview.js\"></script>" if script else "")
    noscript = ("<noscript>De webeditor werkt alleen met JavaScript aan. U kunt ook de bestanden zelf "
                "aanpassen: zie docs/redactie.md.</noscript>" if script else "")
    main = f"<main class=\"page\">{body}</main>" if body else ""
    return ("<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta name=\"robots\" content=\"noindex\">\n"
            f"<title>Webeditor - {escape(site.config.title)}</title>\n{config_link}{css}\n</head>\n<body>\n"
            f"{noscript}{main}{preview}\n</body>\n</html>\n")
