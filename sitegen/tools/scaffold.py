"""`build.py new pagina|activiteit|nieuws|nieuwsbrief "Titel"` (and a kind per dated section of site.yaml,
core/sections.py): start a new entry with every field in it.

Each field of the schema is written out: the ones every entry needs with a value, the optional ones as a
comment with an example and what the field means, so editors see all choices without reading docs.
A new activity is appended as text to the agenda YAML, so its comments and layout stay as they were.
This is an editor's tool beside the build: it writes one new file (or appends to one), nothing else.
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..source.placeholders import INTROS  # the build refuses to publish a page that still holds one
from ..core.errors import Problems
from ..core.paths import site_paths
from ..core.sections import SECTIONS, DatedSection, all_sections
from ..source.load import load_config
from ..source.schemas import FRONT_MATTER, dated_schema
from ..core.urls import slugify
from ..source.yamlschema import Field, Schema

KINDS = ("pagina", "activiteit") + tuple(s.new_kind for s in SECTIONS)  # and a site's own sections (kinds())
AGENDA_FILE = "agenda.yaml"
COMMENT_COLUMN = 44

# An example for every field an editor may fill in, by name (nested fields as parent.child).
EXAMPLES = {
    "description": "Een zin over deze pagina, voor zoekmachines en overzichten.",
    "updated": "{today}",
    "draft": "true",
    "order": "3",
    "template": "page.html",
    "tags": "[ouderen, zomer]",
    "image": "foto.jpg",
    "image_alt": "Vrijwilligers schenken koffie in het dorpshuis.",
    "aliases": "[/oude-pagina/]",
    "slug": "{slug}",
    "summary": "Waar dit over gaat, in een of twee zinnen.",
    "edition": "{edition}",
    "pdf": "nieuwsbrief.pdf",
    # the agenda
    "end": "12:00",
    "duration": "2 uur",
    "location.name": "Dorpshuis {village}",
    "location.street": "Dorpsstraat 1",
    "location.postcode": "1234 AB",
    "location.place": "{village}",
    "online": "https://www.voorbeeld.nl/meedoen",
    "organiser.name": "{organisation}",
    "organiser.phone": "{phone}",
    "organiser.email": "info@voorbeeld.nl",
    "organiser.url": "https://www.voorbeeld.nl",
    "cost": "gratis",
    "registration.needed": "true",
    "registration.phone": "{phone}",
    "registration.email": "aanmelden@voorbeeld.nl",
    "registration.url": "https://www.voorbeeld.nl/aanmelden",
    "registration.deadline": "{today}",
    "registration.note": "Vol is vol.",
    "audience": "[iedereen, ouderen]",
    "accessibility": "[rolstoeltoegankelijk, ringleiding]",
    "transport": "Bel ons als u opgehaald wilt worden.",
    "status": "afgelast",
    "status_note": "Door ziekte gaat het niet door.",
    "repeat.every": "week",
    "repeat.interval": "2",
    "repeat.on": "dinsdag",
    "repeat.month": "september",
    "repeat.until": "{next_year}",
    "repeat.count": "10",
    "repeat.except": "[juli, augustus]",
    "rrule": "FREQ=WEEKLY;BYDAY=TU",
    "example": "true",
}
# Where an activity needs another example than a page.
ACTIVITY_EXAMPLES = {
    "description": "Samen koffie drinken en een praatje maken. Iedereen is welkom.",
    "image": "koffie.jpg",
}


class ScaffoldError(Exception):
    """Something the editor can fix: a wrong kind, an existing file, an agenda we cannot append to."""


@dataclass(frozen=True)
class Created:
    path: Path
    what: str  # "de nieuwe pagina", "de nieuwe activiteit", ...


def new_entry(root: Path, kind: str, title: str, today: dt.date, folder: str | None = None) -> Created:
    """Create one entry of a kind; raises ScaffoldError when it cannot."""
    title = " ".join(title.split())
    if not title:
        raise ScaffoldError("De titel is leeg. Schrijf de titel tussen aanhalingstekens: \"Mijn titel\".")
    content = root / "content"
    slug = slugify(title)
    if kind == "activiteit":
        if (content / AGENDA_FILE).is_file():  # a site that keeps its agenda in one list
            return Created(append_activity(content, title, today), "de nieuwe activiteit (onderaan)")
        return Created(activity_file(content, title, today), "de nieuwe activiteit")
    if kind == "pagina":
        where = _folder(folder) if folder else ""
        return Created(_write_new(content / where / f"{slug}.md",
                                  page_text(FRONT_MATTER, title, slug, today, None, root, where)), "de nieuwe pagina")
    section = next((s for s in dated_sections(root) if (s.new_kind or s.folder) == kind), None)
    if section is not None:
        folder = content / section.folder
        edition = next_edition(folder) if "edition" in section.fields else None
        text = page_text(dated_schema(section), title, slug, today, edition, root, section.folder)
        what = section.created or f"de nieuwe pagina in {section.folder}/"
        return Created(_write_new(folder / f"{today.isoformat()}-{slug}.md", text), what)
    raise ScaffoldError(f"'{kind}' ken ik niet. Kies uit: {', '.join(kinds(root))}.")


def dated_sections(root: Path) -> tuple[DatedSection, ...]:
    """The dated sections of the site at root: SECTIONS and site.yaml's own (none when it has errors)."""
    return all_sections(load_config(site_paths(root), Problems())) if (root / "site.yaml").is_file() else SECTIONS


def kinds(root: Path) -> tuple[str, ...]:
    """What `new` makes on this site: KINDS and a kind for each of the site's own dated sections."""
    return ("pagina", "activiteit") + tuple(s.new_kind or s.folder for s in dated_sections(root))


def _folder(folder: str) -> str:
    parts = [p for p in folder.replace("\\", "/").strip("/").split("/") if p]
    if parts and parts[0] == "content":
        parts = parts[1:]
    if not parts or any(p in (".", "..") for p in parts):
        raise ScaffoldError(f"'{folder}' is geen map in content/. Schrijf bijvoorbeeld: zelf-doen")
    return "/".join(parts)


def _write_new(path: Path, text: str) -> Path:
    if path.exists():
        raise ScaffoldError(f"{path} bestaat al. Kies een andere titel, of open dat bestand.")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:
        handle.write(text)
    return path


# --- pages ---------------------------------------------------------------------------------

PAGE_BODY = """\
<!--
Schrijf hieronder de tekst. Dit commentaar komt niet op de site; je mag het weghalen.
- Een tussenkop: een regel die begint met ## (en daaronder ###).
- Een link naar een andere pagina: [{link_title}]({link})
- Een afbeelding: ![Wat er op de foto staat](foto.jpg), met foto.jpg naast dit bestand.
- Een telefoonnummer wordt vanzelf een belknop, zoals: {helpline}.
- Korte zinnen (hoogstens 25 woorden) en gewone woorden. Meer uitleg: docs/redactie.md van het programma.
-->

{intro}
"""



def page_text(schema: Schema, title: str, slug: str, today: dt.date, edition: int | None = None,
              root: Path | None = None, folder: str = "") -> str:
    """A markdown file: front matter with every field of the schema, then a short start of the body.
    root: the site, whose site.yaml gives the examples; folder: where the file goes, under content/."""
    values = {"title": _scalar(title), "date": today.isoformat()}
    if edition is not None:
        values["edition"] = str(edition)
    context = _context(slug, today, edition, root)
    lines = ["---"] + _fields(schema, values, context, indent="") + ["---", ""]
    link = posixpath.relpath(context["link_page"], folder or ".")
    return "\n".join(lines) + PAGE_BODY.format(intro=INTROS.get(schema.what, INTROS["de kop van de pagina"]),
                                               link=link, link_title=context["link_title"],
                                               helpline=context["helpline"])


def next_edition(section: Path) -> int:
    """One more than the highest edition number among the newsletters."""
    highest = 0
    if section.is_dir():
        for path in section.rglob("*.md"):
            match = re.search(r"^edition:\s*(\d+)\s*$", path.read_text(encoding="utf-8", errors="replace"), re.M)
            if match:
                highest = max(highest, int(match.group(1)))
    return highest + 1


# --- the agenda ----------------------------------------------------------------------------

AGENDA_HEADER = """\
# De agenda. Elke activiteit begint met een streepje: "- title: ...".
# Uitleg over elk veld staat in docs/agenda.md van het programma.
"""


def event_schema() -> Schema:
    from ..agenda.load import EVENT  # the agenda's own schema, so new activities always match it
    return EVENT


def new_event_id(content: Path, title: str, today: dt.date) -> str:
    """An id no activity has yet: the title's slug, else with today's date, else with a number."""
    existing = _agenda_ids(content)
    slug = slugify(title)
    event_id = slug if slug not in existing else f"{slug}-{today.isoformat()}"
    number = 2
    while event_id in existing:
        event_id = f"{slug}-{today.isoformat()}-{number}"
        number += 1
    return event_id


def append_activity(content: Path, title: str, today: dt.date) -> Path:
    """Add an activity at the end of content/agenda.yaml, as text, keeping everything above it as it was."""
    path = content / AGENDA_FILE
    original = path.read_text(encoding="utf-8") if path.is_file() else ""
    event_id = new_event_id(content, title, today)
    original = _check_appendable(original, path)
    values = {"id": event_id, "title": _scalar(title), "start": f"{today.isoformat()} 10:00",
              "description": _scalar(INTROS[event_schema().what])}
    block = [f"# Nieuw ({today.isoformat()}): vul aan en haal '# ' weg voor de velden die je gebruikt."]
    fields = _fields(event_schema(), values, _context(event_id, today, None, content.parent), indent="  ",
                     examples={**EXAMPLES, **ACTIVITY_EXAMPLES})
    block.append("- " + fields[0][2:])
    block += fields[1:]
    if not original.strip():
        text = AGENDA_HEADER + "\n" + "\n".join(block) + "\n"
    else:
        text = original + ("" if original.endswith("\n") else "\n") + "\n" + "\n".join(block) + "\n"
    # The file must still read as the same list plus one: never leave a broken agenda behind.
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(node, yaml.SequenceNode) or not node.value or node.value[-1].value[0][1].value != event_id:
        raise ScaffoldError(f"Ik kan de activiteit niet netjes onderaan {path} zetten. Voeg hem met de hand "
                            "toe (kijk hoe de andere activiteiten geschreven zijn).")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


ACTIVITY_HEADER = """\
# Een activiteit. De naam van dit bestand is het vaste adres: /agenda/{event_id}/.
# Uitleg over elk veld staat in docs/agenda.md van het programma.
"""


def activity_file(content: Path, title: str, today: dt.date) -> Path:
    """A new content/agenda/<id>.yaml with one activity: the file name is its id."""
    event_id = new_event_id(content, title, today)
    schema = Schema(event_schema().what, tuple(f for f in event_schema().fields if f.name != "id"))
    values = {"title": _scalar(title), "start": f"{today.isoformat()} 10:00",
              "description": _scalar(INTROS[schema.what])}
    fields = _fields(schema, values, _context(event_id, today, None, content.parent), indent="",
                     examples={**EXAMPLES, **ACTIVITY_EXAMPLES})
    text = ACTIVITY_HEADER.format(event_id=event_id) + "\n".join(fields) + "\n"
    return _write_new(content / "agenda" / f"{event_id}.yaml", text)


def _check_appendable(text: str, path: Path) -> str:
    """The text to append to: as it is, or with an empty '[]' taken out; ScaffoldError when we cannot."""
    if not text.strip():
        return text
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        raise ScaffoldError(f"{path} bevat nu een fout. Herstel die eerst (python build.py check zegt waar).") from None
    if node is None:
        return text
    if isinstance(node, yaml.SequenceNode) and node.flow_style and not node.value:
        start, end = node.start_mark.index, node.end_mark.index
        return text[:start] + text[end:]  # an empty list '[]': the new activity takes its place
    if not isinstance(node, yaml.SequenceNode) or node.flow_style:
        raise ScaffoldError(f"{path} is geen lijst met regels die met '- ' beginnen. Voeg de activiteit met de "
                            "hand toe.")
    return text


def _agenda_ids(content: Path) -> set[str]:
    ids = set()
    files = [content / AGENDA_FILE, *sorted((content / "agenda").glob("*.y*ml"))]
    for path in files:
        if path.is_file():
            ids.update(re.findall(r"^\s*(?:-\s+)?id:\s*[\"']?([\w-]+)", path.read_text(encoding="utf-8"), re.M))
    ids.update(p.stem for p in (content / "agenda").glob("*.y*ml"))  # a file's name is its activity's id
    return ids


# --- writing fields --------------------------------------------------------------------------

def site_facts(root: Path) -> dict[str, str]:
    """A village, the organisation, its phone number, a helpline and a page to link to, from the site's own
    site.yaml, for examples (neutral words when site.yaml does not say), so that no site's examples name
    another site's places, people or pages."""
    facts = {"village": "Dorpsveen", "organisation": "Welzijnsorganisatie", "phone": "0123-456789",
             "helpline": "De Luisterlijn 088 0767 000", "link_page": "index.md", "link_title": "De beginpagina"}
    config = _site_config(root)
    villages = config.get("villages") if isinstance(config.get("villages"), list) else []
    contact = config.get("contact") if isinstance(config.get("contact"), dict) else {}
    helplines = [h for h in config.get("helplines") or () if isinstance(h, dict) and _usable(h.get("name"))
                 and _usable(h.get("phone"))] if isinstance(config.get("helplines"), list) else []
    help_page = config.get("help_page")
    for key, value in (("village", villages[0] if villages else config.get("municipality")),
                       ("organisation", contact.get("organisation")), ("phone", contact.get("phone")),
                       ("helpline", f"{helplines[0]['name']} {helplines[0]['phone']}" if helplines else None)):
        if _usable(value):
            facts[key] = str(value).strip()
    if _usable(help_page) and (root / "content" / str(help_page)).is_file():
        facts.update(link_page=str(help_page).strip(), link_title="Hulp")
    return facts


def _site_config(root: Path) -> dict:
    """site.yaml as plain data, or {} when it cannot be read (the build says why)."""
    try:
        config = yaml.safe_load((root / "site.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return {}
    return config if isinstance(config, dict) else {}


def _usable(value) -> bool:
    return isinstance(value, (str, int)) and bool(str(value).strip()) and "INVULLEN" not in str(value)


def _context(slug: str, today: dt.date, edition: int | None, root: Path | None = None) -> dict[str, str]:
    return {**site_facts(root if root is not None else Path("/nonexistent")),
            "today": today.isoformat(), "slug": slug, "edition": str(edition or 1),
            "next_year": today.replace(year=today.year + 1, day=min(today.day, 28)).isoformat()}


def _fields(schema: Schema, values: dict[str, str], context: dict[str, str], indent: str,
            prefix: str = "", commented: bool = False, examples: dict[str, str] = EXAMPLES) -> list[str]:
    """One line per field: 'key: value  # what it is', or '# key: example  # what it is' when optional."""
    lines = []
    for field in schema.fields:
        name = prefix + field.name
        nested = _nested_schema(field)
        if field.name in values and not prefix:
            lines.append(_line(f"{indent}{field.name}: {values[field.name]}", field))
        elif nested is not None:
            lines.append(_line(f"{indent}# {field.name}:", field))
            lines += _fields(nested, {}, context, indent + "#   ", name + ".", True, examples)
        else:
            example = examples.get(name, "...").format(**context)
            lines.append(_line(f"{indent}{'' if commented else '# '}{field.name}: {example}", field))
    return lines


def _nested_schema(field: Field) -> Schema | None:
    return field.convert if isinstance(field.convert, Schema) else None


def _line(text: str, field: Field) -> str:
    if not field.doc:
        return text
    return f"{text.ljust(COMMENT_COLUMN)} # {field.doc}"


_PLAIN = re.compile(r"[^\W\d_][^:#\[\]{}\"'`|>&*!%@]*")
_YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}


def _scalar(text: str) -> str:
    """A title as a YAML value: plain when that is safe, otherwise in double quotes."""
    if _PLAIN.fullmatch(text) and text.lower() not in _YAML_WORDS and not text.endswith((" ", "-")):
        return text
    return json.dumps(text, ensure_ascii=False)
