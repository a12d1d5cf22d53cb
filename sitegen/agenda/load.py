"""Reading the agenda: content/agenda/<id>.yaml (or one list, content/agenda.yaml) -> checked Events.

Every value keeps its place in the file, so each mistake is reported as path:line:column in Dutch. The
fields are checked one by one (dates and times in moments.py, repetition in recurrence.py), then against
each other here: an end after the start, one way to repeat, a note with a cancellation, an image that exists.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from ..core import dates
from ..core.errors import Location, Problems, relative_name
from ..core.model import Event, Organiser, Recurrence, Registration, Venue
from ..core.urls import resolve_relative, slugify
from ..source.links_as_typed import file_meant
from ..source.load import SitePaths, read_text, read_unless_unchanged, safe_files
from ..source.yamlschema import (INVALID, Context, Field, Record, Schema, boolean, compose, email, http_url,
                                 markdown_text, one_of, text)
from .as_typed import AUDIENCE_SEPARATORS, same_places, several
from .moments import UTC, ZONE, day_of, duration, localise, moment, moment_or_time
from .recurrence import REPEAT, build_recurrence, check_recurrence, describe, raw_rule
from .skips import apply_skips

AGENDA_FILE = "agenda.yaml"
AGENDA_DIR = "agenda"
STATUSES = ("gepland", "afgelast", "verplaatst")
# What a resident reads when an editor set a status without saying why (the web editor cannot require the
# note only for these statuses, so the build fills it in and warns).
STATUS_NOTES = {"afgelast": "Deze activiteit gaat niet door.",
                "verplaatst": "Deze activiteit is verplaatst. Vraag de organisator waar en wanneer."}
RESERVED_IDS = {"archief", "in", "voor"}  # sub-paths of /agenda/ that the agenda itself uses


def event_id(node: yaml.Node, ctx: Context):
    value = text(node, ctx)
    if value is INVALID:
        return value
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", value):
        return ctx.error(node, f"'{value}' kan geen id zijn. Een id bestaat uit kleine letters, cijfers en "
                         f"streepjes, zoals {slugify(value)}.")
    if value in RESERVED_IDS:
        return ctx.error(node, f"het id '{value}' gebruikt de agenda zelf al. Kies een ander, zoals {value}-1.")
    return value


def tag(node: yaml.Node, ctx: Context):
    value = text(node, ctx)
    return value if value is INVALID else value.lower()


VENUE = Schema("de plaats (location)", (
    Field("name", text, doc="naam van het gebouw of de plek, zoals het dorpshuis (anders het adres)"),
    Field("street", text, doc="straat en huisnummer"),
    Field("postcode", text, doc="postcode, zoals 1234 AB"),
    Field("place", text, doc="het dorp of de stad"),
))

ORGANISER = Schema("de organisator (organiser)", (
    Field("name", text, doc="naam van de organisatie of persoon (anders de website, het e-mailadres of "
          "telefoonnummer)"),
    Field("phone", text, doc="telefoonnummer"),
    Field("email", email, doc="e-mailadres"),
    Field("url", http_url, doc="website"),
))

REGISTRATION = Schema("het aanmelden (registration)", (
    Field("needed", boolean, doc="true als aanmelden nodig is, false als het niet hoeft (zonder: nodig als er "
          "een telefoonnummer, e-mailadres, website of datum staat)"),
    Field("phone", text, doc="aanmelden per telefoon"),
    Field("email", email, doc="aanmelden per e-mail"),
    Field("url", http_url, doc="aanmelden via een website"),
    Field("deadline", moment, doc="uiterlijk aanmelden op, zoals 2026-09-01"),
    Field("note", text, doc="een extra zin, zoals 'Vol is vol.'"),
))

EVENT = Schema("een activiteit", (
    Field("id", event_id, doc="vast kort adres, zoals koffieochtend-dorpshuis (anders gemaakt van titel en datum)"),
    Field("title", text, required=True, doc="de naam van de activiteit"),
    Field("start", moment, required=True, doc="datum en tijd, zoals 2026-09-03 10:00; alleen een datum is de hele dag"),
    Field("end", moment_or_time, doc="eindtijd (12:00) of einddatum en -tijd"),
    Field("duration", duration, doc="hoe lang, zoals 2 uur (in plaats van end)"),
    Field("location", VENUE, doc="waar het is"),
    Field("online", http_url, doc="link om online mee te doen"),
    Field("organiser", ORGANISER, doc="wie het organiseert"),
    Field("cost", text, doc="wat het kost, zoals gratis of € 2,50"),
    Field("registration", REGISTRATION, doc="of en hoe je je aanmeldt"),
    Field("audience", several(tag, AUDIENCE_SEPARATORS), doc="voor wie, zoals [ouderen, mantelzorgers]"),
    Field("accessibility", several(text), doc="zoals [rolstoeltoegankelijk, ringleiding]"),
    Field("transport", text, doc="vervoer, zoals gratis ophalen en hoe je dat regelt"),
    Field("description", markdown_text, doc="uitleg in markdown"),
    Field("image", text, doc="afbeelding naast het YAML-bestand, zoals koffie.jpg"),
    Field("image_alt", text, doc="wat er op de afbeelding staat"),
    Field("status", one_of(*STATUSES), doc="gepland, afgelast of verplaatst"),
    Field("status_note", text, doc="uitleg bij afgelast of verplaatst"),
    Field("repeat", REPEAT, doc="herhaling, zoals {every: week, on: dinsdag}"),
    Field("rrule", raw_rule, doc="herhaling als RRULE voor gevorderden, zoals FREQ=WEEKLY;BYDAY=TU"),
    Field("example", boolean, doc="true voor een voorbeeld dat nog vervangen moet worden"),
))


def agenda_sources(paths: SitePaths, problems: Problems) -> list[Path]:
    """The agenda's files: content/agenda/<id>.yaml (one activity each), or the one list content/agenda.yaml.

    Both at once is an error: an editor would not know where an activity is, nor the web editor where to
    write one. Both are still read, so every other mistake is reported in the same run."""
    found = []
    single = paths.content / AGENDA_FILE
    if single.is_file() and not single.is_symlink():  # a link: content_listing() refuses it
        found.append(single)
    folder = paths.content / AGENDA_DIR
    if folder.is_dir():
        found += [p for p in safe_files(folder, paths, problems) if p.suffix.lower() in (".yaml", ".yml")]
    if len(found) > 1 and found[0] == single:
        problems.error(Location(relative_name(single, paths.root), 1),
                       f"de agenda staat op twee plekken: in dit bestand en in de map "
                       f"{relative_name(folder, paths.root)}/ ({len(found) - 1} bestand(en)). Kies een manier: "
                       f"zet elke activiteit uit dit bestand in een eigen bestand "
                       f"{relative_name(folder, paths.root)}/<id>.yaml en haal dit bestand weg.")
    return found


def load_events(paths: SitePaths, problems: Problems, read_before: dict | None = None,
                used: set | None = None, villages: tuple[str, ...] = ()) -> tuple[Event, ...]:
    """Every activity in the agenda files, checked; ids are unique across all files.

    read_before, as for pages (load.load_pages): an unchanged file read without problems is not parsed again,
    as long as the images its activities show are still there."""
    read_before = {} if read_before is None else read_before
    used = set() if used is None else used
    events: list[Event] = []
    for path in agenda_sources(paths, problems):
        events += read_unless_unchanged(
            path, lambda: load_file(path, paths, problems), problems, read_before, used,
            still_valid=lambda found: all(e.image is None or (paths.content / e.image).is_file() for e in found))
    seen: dict[str, Event] = {}
    for event in events:
        if event.id in seen:
            first = seen[event.id]
            problems.error(event.at("id") if "id" in event.where else event.location,
                           f"het id '{event.id}' is al gebruikt door '{first.title}' ({first.location}). "
                           "Elke activiteit heeft een eigen id: geef deze een ander id, zoals "
                           f"id: {event.id}-2.")
        else:
            seen[event.id] = event
    return tuple(same_places(events, villages, problems))


def load_file(path: Path, paths: SitePaths, problems: Problems) -> list[Event]:
    """The activities of one file: a list (content/agenda.yaml) or one activity (content/agenda/<id>.yaml)."""
    name = relative_name(path, paths.root)
    source = read_text(path, name, problems)
    if source is None:
        return []
    ctx = Context(name, problems)
    node = compose(source, ctx)
    if node is INVALID:
        return []
    one_per_file = path.parent != paths.content
    if node is None or (isinstance(node, yaml.SequenceNode) and not node.value):
        # Not an error (a new coalition may have no activities yet), but worth saying.
        problems.warn(Location(name, 1), "er staan geen activiteiten in dit bestand. De agenda blijft leeg tot "
                      "je er een toevoegt (python build.py new activiteit \"Titel\").")
        return []
    if one_per_file:
        if not isinstance(node, yaml.MappingNode):
            ctx.error(node, "in de map agenda/ staat in elk bestand één activiteit, zonder streepje ervoor: "
                      "de eerste regel is 'title: ...'. Zet elke activiteit in een eigen bestand, met het id "
                      "als naam, zoals koffieochtend-beilen.yaml.")
            return []
        return [e for e in [load_event(node, ctx, path, paths, file_id=_file_id(path, ctx))] if e is not None]
    if isinstance(node, yaml.MappingNode):
        return [e for e in [load_event(node, ctx, path, paths)] if e is not None]
    if not isinstance(node, yaml.SequenceNode):
        ctx.error(node, "de agenda is een lijst van activiteiten: elke activiteit begint met '- title: ...'.")
        return []
    return [e for e in (load_event(child, ctx, path, paths) for child in node.value) if e is not None]


def _file_id(path: Path, ctx: Context) -> str | None:
    """The id a file in content/agenda/ gives its activity: its name, if that can be an id."""
    stem = path.stem
    if re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", stem) and stem not in RESERVED_IDS:
        return stem
    ctx.problems.error(Location(ctx.path, 1), f"de bestandsnaam '{path.name}' kan geen id zijn: de naam van het "
                       "bestand is het vaste adres van de activiteit. Gebruik kleine letters, cijfers en "
                       f"streepjes, zoals {slugify(stem) or 'koffieochtend-beilen'}{path.suffix}.")
    return None


def _nodes(node: yaml.Node) -> dict[str, yaml.Node]:
    return {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)} if isinstance(node, yaml.MappingNode) else {}


# A stand-in start for checking a repetition's words when the real start is wrong or missing.
WORDS_ONLY = dt.date(2000, 1, 3)


def load_event(node: yaml.Node, ctx: Context, path: Path, paths: SitePaths,
               file_id: str | None = None) -> Event | None:
    """One activity: its fields checked one by one, then against each other.

    file_id: the id its file name gives (content/agenda/<id>.yaml); an 'id' inside must then be the same.
    Every check runs even after one fails, so an editor sees all mistakes of an activity in one go."""
    record, failed = EVENT.check_values(node, ctx)
    if path.parent != paths.content and file_id is None:
        failed = True  # the file name cannot be an id: reported by _file_id
    failed = not _id_fits_file(record, file_id, path, ctx.problems) or failed
    nodes = _nodes(node)
    end = _end(record, nodes, ctx)
    recurrence = _recurrence(record, nodes, ctx)
    _status_explained(record, ctx.problems)
    image = _image(record, path, paths, ctx.problems)
    if failed or any(value is INVALID for value in (end, recurrence, image)):
        return None
    return _event(record, ctx.path, file_id, end, recurrence, image)


def _id_fits_file(record: Record, file_id: str | None, path: Path, problems: Problems) -> bool:
    """In content/agenda/, an 'id' inside the file (which is not needed) must be the file's name."""
    written = record.get("id", file_id)
    if file_id is None or written == file_id:
        return True
    problems.error(record.at("id"), f"het id '{written}' is anders dan de naam van het bestand "
                   f"({path.name}). In de map agenda/ is de bestandsnaam het id: haal de regel 'id' weg, "
                   f"of noem het bestand {written}{path.suffix}.")
    return False


def _end(record: Record, nodes: dict, ctx: Context):
    """When the activity ends (None: not said), or INVALID after reporting a clash with the start."""
    start = record.get("start")
    if start is None:
        return record.get("end")  # a missing or wrong start is reported; what depends on it cannot be checked
    end = _end_as_written(record, nodes, start, ctx)
    if end is not None and end is not INVALID and not _ends_after_start(record, start, end, ctx.problems):
        return INVALID
    return end


def _end_as_written(record: Record, nodes: dict, start, ctx: Context):
    """'end' (a moment, or a time on the start's day) or the start plus 'duration', of the start's kind:
    an all-day activity ends on a day, a timed one at a time."""
    v, problems = record.values, ctx.problems
    all_day = not isinstance(start, dt.datetime)
    if "end" in v and "duration" in v:
        problems.error(record.at("duration"), "schrijf 'end' (wanneer het afloopt) of 'duration' (hoe lang het "
                       "duurt), niet allebei. Haal er een weg.")
        return INVALID
    if "duration" in v:
        length = v["duration"]
        if not all_day:
            return (start.astimezone(UTC) + length).astimezone(ZONE)
        if length.seconds or length.days < 1:
            problems.error(record.at("duration"), "een activiteit zonder tijd duurt hele dagen. Schrijf "
                           "duration: 2 dagen, of zet een tijd bij 'start'.")
            return INVALID
        return start + dt.timedelta(days=length.days - 1)
    end = v.get("end")
    if isinstance(end, dt.time):
        if all_day:
            problems.error(record.at("end"), "'start' heeft geen tijd (dus de hele dag), dan kan 'end' geen "
                           "tijd zijn. Zet een tijd bij 'start', zoals 2026-09-03 10:00.")
            return INVALID
        return localise(dt.datetime.combine(start.date(), end), None, nodes["end"], ctx)
    if end is not None and all_day != (not isinstance(end, dt.datetime)):
        problems.error(record.at("end"), "'start' en 'end' moeten allebei een tijd hebben, of allebei alleen een "
                       "datum (de hele dag).")
        return INVALID
    return end


def _ends_after_start(record: Record, start, end, problems: Problems) -> bool:
    """An all-day activity may end on the day it starts; a timed one must end after its start time."""
    all_day = not isinstance(start, dt.datetime)
    if not ((end < start) if all_day else (end <= start)):
        return True
    shown = end.isoformat() if all_day else f"{dates.clock(end)} op {dates.long_date(end.date())}"
    begun = start.isoformat() if all_day else f"{dates.clock(start)} op {dates.long_date(start.date())}"
    problems.error(record.at("end") if "end" in record.values else record.at("duration"),
                   f"de activiteit eindigt ({shown}) voor ze begint ({begun}). Controleer 'start' en 'end'.")
    return False


def _recurrence(record: Record, nodes: dict, ctx: Context):
    """The Recurrence from 'repeat' or 'rrule' (None: a one-off activity), or INVALID after reporting why."""
    v, start = record.values, record.get("start")
    if "repeat" in v and "rrule" in v:
        ctx.problems.error(record.at("rrule"), "schrijf de herhaling als 'repeat' of als 'rrule', niet allebei.")
        return INVALID
    if "repeat" in v and start is None:
        build_recurrence(v["repeat"], _nodes(nodes["repeat"]), WORDS_ONLY, ctx)  # its words, beside the start
        return None
    if "repeat" in v:
        repeat = v["repeat"]
        built = build_recurrence(repeat, _nodes(nodes["repeat"]), start, ctx)
        if built is INVALID:
            return INVALID
        recurrence = apply_skips(built[0], start, repeat.get("except", ()), record.at("repeat"),
                                 repeat.at("except"), ctx.problems)
        return INVALID if recurrence is None else recurrence
    if "rrule" in v:
        rule, at = v["rrule"], record.at("rrule")
        if not check_recurrence(rule, start, (), at, at, ctx.problems):
            return INVALID
        return Recurrence(rule=rule, text=describe(rule, start))
    return None


def _status_explained(record: Record, problems: Problems) -> None:
    """A cancelled or moved activity says why in 'status_note', for the resident who planned to come; without
    one the site shows STATUS_NOTES, and the editor is told so (a warning: the site can still be built)."""
    status = record.get("status", "gepland")
    if status in STATUS_NOTES and "status_note" not in record.values:
        problems.warn(record.at("status"), f"bij status: {status} staat geen uitleg in 'status_note'. Op de site "
                      f"staat nu: '{STATUS_NOTES[status]}' Schrijf zelf waarom, zoals 'Door ziekte gaat het niet "
                      "door.' of 'Nu in het dorpshuis.'")


def _group(record: Record, key: str, kind):
    """A venue, organiser or registration filled in part (the web editor lets a group be saved half-full):
    a venue without a name is named by its address, an organiser by its website, e-mail or phone, and
    signing up is needed when the group says how or by when."""
    group = record.get(key)
    if group is None or not group.values:
        return None  # an empty group says nothing
    v = dict(group.values)
    if kind is Venue and "name" not in v:
        v["name"] = Venue("", v.get("street"), v.get("postcode"), v.get("place")).address
    elif kind is Organiser and "name" not in v:
        url = v.get("url", "").split("://", 1)[-1].rstrip("/")
        v["name"] = url or v.get("email") or v.get("phone") or ""
    elif kind is Registration and "needed" not in v:
        v["needed"] = any(k in v for k in ("phone", "email", "url", "deadline"))
    return kind(**v)


def _image(record: Record, path: Path, paths: SitePaths, problems: Problems):
    """The image's path under content/ (None: no image), or INVALID when it is missing or has no alt text."""
    v = record.values
    if "image" not in v:
        return None
    image, found = resolve_relative(path.relative_to(paths.content).as_posix(), v["image"]), True
    if image.startswith("..") or not (paths.content / image).is_file():
        meant = file_meant(v["image"], sorted(p.name for p in path.parent.iterdir() if p.is_file()))
        fix = (f"Naast het agendabestand staat wel '{meant}': schrijf image: {meant}" if meant else "Zet het "
               "bestand naast het agendabestand en schrijf alleen de bestandsnaam, zoals koffie.jpg")
        problems.error(record.at("image"), f"de afbeelding '{v['image']}' is niet gevonden. {fix}.")
        found = False
    if "image_alt" not in v:
        problems.error(record.at("image"), "bij 'image' hoort 'image_alt': een zin die zegt wat er op de "
                       "afbeelding staat (voor wie niet kan zien).")
        found = False
    return image if found else INVALID


def _event(record: Record, source: str, file_id: str | None, end, recurrence, image) -> Event:
    """The checked activity; without an id (in content/agenda.yaml) it gets one from its title and day."""
    v = record.values
    start = v["start"]
    return Event(
        id=file_id or v.get("id") or slugify(f"{v['title']} {day_of(start).isoformat()}"),
        title=v["title"],
        start=start,
        end=end,
        all_day=not isinstance(start, dt.datetime),
        source=source,
        location=record.location,
        venue=_group(record, "location", Venue),
        online=v.get("online"),
        organiser=_group(record, "organiser", Organiser),
        cost=v.get("cost"),
        registration=_group(record, "registration", Registration),
        audience=tuple(dict.fromkeys(v.get("audience", ()))),
        accessibility=v.get("accessibility", ()),
        transport=v.get("transport"),
        description=v.get("description", ""),
        image=image,
        image_alt=v.get("image_alt"),
        status=v.get("status", "gepland"),
        status_note=v.get("status_note") or STATUS_NOTES.get(v.get("status", "gepland")),
        recurrence=recurrence,
        example=v.get("example", False),
        where={**record.where, **{f"location.{key}": at  # where the village is written, for as_typed
                                  for key, at in getattr(v.get("location"), "where", {}).items()}},
    )
