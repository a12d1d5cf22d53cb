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

from ..agenda.load import EVENT, STATUSES
from ..core.model import CmsSettings, Output, Site
from ..source.schemas import (ALWAYS_DATED, FRONT_MATTER, NEWS_FRONT_MATTER, NEWS_SECTION, NEWSLETTER_FRONT_MATTER,
                      NEWSLETTER_SECTION)
from ..source.yamlschema import Field, Schema, boolean, date, date_or_moment, email, http_url, integer, text, url_path

SCRIPT = "decap-cms.js"  # from node_modules/decap-cms/dist/ (package-lock.json), with its numbered chunks
DATE = {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "D-M-YYYY", "time_format": False}
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
    "repeat.count": "Hoe vaak in totaal", "repeat.except": "Niet op",
}
# Fields whose text is markdown or long: a bigger box than one line.
LONG_TEXT = {"description": "text", "transport": "text", "summary": "text"}
FILE_FIELDS = {"image": "image", "pdf": "file"}
# Converters of the agenda that are text in a form, with the pattern the form checks first.
EVENT_WIDGETS = {
    "start": {"widget": "datetime", "format": "YYYY-MM-DD HH:mm", "date_format": "D-M-YYYY",
              "time_format": "HH:mm", "picker_utc": False},
    "end": {"widget": "string", "pattern": ["^(\\d{4}-\\d{2}-\\d{2}( \\d{1,2}[:.]\\d{2})?|\\d{1,2}[:.]\\d{2})$",
                                            "een tijd zoals 11:30, of een datum en tijd zoals 2026-09-03 11:30"]},
    "description": {"widget": "markdown"},  # an activity's description is markdown; a page's is one sentence
    "registration.deadline": DATE,  # a date is a moment too: the whole day
    "repeat.every": {"widget": "select", "options": ["dag", "week", "maand", "jaar"]},
    "repeat.except": {"widget": "list", "field": {"name": "datum", "label": "Datum", **DATE}},
}
# Kept out of the form: an activity's id is the name of its file (content/agenda/<id>.yaml).
EVENT_SKIPPED = {"id"}


def form_field(field: Field, required: bool, path: str = "", labels: dict = LABELS,
               widgets: dict | None = None, defaults: bool = True) -> dict:
    """One Decap field for one schema field: widget, required, hint, and what it allows."""
    key = path + field.name
    spec: dict = {"name": field.name, "label": labels.get(key, field.name)}
    convert = field.convert
    widgets = widgets or {}
    if key in widgets:
        spec.update(widgets[key])
    elif isinstance(convert, Schema):
        # An optional group (place, repeat, registration) left empty is not required: its own required
        # fields are required only when the group is filled in, which the build checks (file:line).
        spec["widget"] = "object"
        spec["collapsed"] = not required
        # No defaults inside an optional group either: an untouched group must stay out of the file.
        spec["fields"] = [form_field(f, required and f.required, key + ".", labels, widgets, defaults and required)
                          for f in convert.fields]
    elif convert is boolean:
        spec["widget"] = "boolean"
        if defaults:
            spec["default"] = False  # as the build reads a missing value
    elif convert is integer:
        spec.update(widget="number", value_type="int")
    elif convert in (date, date_or_moment):
        # The form writes the day; a time of day (to order one day's news) is added in the file itself.
        spec.update(DATE)
    elif convert is http_url:
        spec.update(widget="string", pattern=URL_PATTERN)
    elif convert is email:
        spec.update(widget="string", pattern=EMAIL_PATTERN)
    elif getattr(convert, "choices", None):
        spec.update(widget="select", options=list(convert.choices))
    elif getattr(convert, "item", None) is not None:
        spec["widget"] = "list"
        if convert.item is url_path:
            spec["hint"] = "zoals /oude-pagina/"
    elif field.name in FILE_FIELDS:
        spec.update(widget=FILE_FIELDS[field.name], media_folder="", public_folder="")
    elif field.name in LONG_TEXT:
        spec["widget"] = LONG_TEXT[field.name]
    elif field.name == "slug":
        spec.update(widget="string", pattern=ID_PATTERN)
    else:
        spec["widget"] = "string"  # text, and agenda text such as a duration or an RRULE
    if field.doc and "hint" not in spec:
        spec["hint"] = field.doc
    spec["required"] = required
    return spec


def page_fields(schema: Schema, dated: bool) -> list[dict]:
    fields = [form_field(f, f.required or (dated and f.name in ALWAYS_DATED), labels=LABELS) for f in schema.fields]
    return fields + [{"name": "body", "label": "Tekst", "widget": "markdown"}]


def event_fields() -> list[dict]:
    return [form_field(f, f.required, labels=EVENT_LABELS, widgets=EVENT_WIDGETS)
            for f in EVENT.fields if f.name not in EVENT_SKIPPED]


def sections(site: Site) -> list[tuple[str, str]]:
    """(folder, title) of every section of plain pages, such as over-eenzaamheid: one collection each."""
    found = {}
    for page in site.pages:
        rel = page.source.removeprefix("content/")
        if "/" in rel and rel.count("/") == 1 and rel.endswith("/index.md"):
            folder = rel.split("/")[0]
            if folder not in (NEWS_SECTION, NEWSLETTER_SECTION):
                found[folder] = page.title
    return sorted(found.items())


def _pages(name: str, label: str, singular: str, folder: str, schema: Schema, slug: str = "{{slug}}") -> dict:
    dated = folder.rsplit("/", 1)[-1] in (NEWS_SECTION, NEWSLETTER_SECTION)
    collection = {"name": name, "label": label, "label_singular": singular, "folder": folder, "extension": "md",
                  "format": "frontmatter", "create": True, "slug": slug, "fields": page_fields(schema, dated)}
    if dated:
        collection["sortable_fields"] = ["date", "title"]
    return collection


def collections(site: Site) -> list[dict]:
    dated_slug = "{{year}}-{{month}}-{{day}}-{{slug}}"
    found = [_pages("paginas", "Pagina's", "Pagina", "content", FRONT_MATTER)]
    found += [_pages(folder, title, f"Pagina bij {title}", f"content/{folder}", FRONT_MATTER)
              for folder, title in sections(site)]
    found.append(_pages("nieuws", "Nieuws", "Nieuwsbericht", f"content/{NEWS_SECTION}", NEWS_FRONT_MATTER,
                        dated_slug))
    found.append(_pages("nieuwsbrieven", "Nieuwsbrieven", "Nieuwsbrief", f"content/{NEWSLETTER_SECTION}",
                        NEWSLETTER_FRONT_MATTER, dated_slug))
    found.append({"name": "agenda", "label": "Agenda", "label_singular": "Activiteit", "folder": "content/agenda",
                  "extension": "yaml", "format": "yaml", "create": True, "identifier_field": "title",
                  "slug": "{{slug}}", "summary": "{{title}} ({{start}})", "sortable_fields": ["start", "title"],
                  "fields": event_fields()})
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
                     "<code>package-lock.json</code>: draai eerst <code>npm ci --ignore-scripts</code> in de map "
                     "van de site, en bouw dan opnieuw.")
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
            Output("admin/preview.js", preview_script(stylesheet), source)]


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


def preview_script(stylesheet: str | None) -> bytes:
    """Registers the site's stylesheet for Decap's preview pane (no editor text is run as script)."""
    line = f"CMS.registerPreviewStyle({json.dumps(stylesheet)});\n" if stylesheet else ""
    return ("// Made by the build (sitegen/render/cms.py): the preview pane uses the site's own stylesheet.\n"
            + line).encode("utf-8")
