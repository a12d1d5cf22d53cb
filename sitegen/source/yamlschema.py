"""Typed schemas checked against YAML nodes, so every value keeps its line and column.

We never let PyYAML construct Python objects: we compose nodes with the safe loader
and convert them ourselves. That gives positions for every error, rejects custom tags,
and makes alias bombs impossible (aliases are refused outright).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Callable

import yaml

from ..core.errors import Location, Problems
from ..core.suggest import closest, did_you_mean
from ..core.urls import site_path_problem
from .bounds import MAX_INTEGER, markdown_problems, year_problem, yaml_problem
from .dutchdates import replacement, why_not
from .links_as_typed import email_problem, web_address_problem
from .yamlsyntax import ODD_SPACES, diagnose

STR_TAG = "tag:yaml.org,2002:str"
NULL_TAG = "tag:yaml.org,2002:null"
BOOL_TAG = "tag:yaml.org,2002:bool"
INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
MAP_TAG = "tag:yaml.org,2002:map"
SEQ_TAG = "tag:yaml.org,2002:seq"
STANDARD_TAGS = {STR_TAG, NULL_TAG, BOOL_TAG, INT_TAG, FLOAT_TAG, TIMESTAMP_TAG, MAP_TAG, SEQ_TAG}

# Keys Dutch editors are likely to type, mapped to what the schema calls them.
DUTCH_KEY_HINTS = {
    "titel": "title", "naam": "name", "beschrijving": "description", "omschrijving": "description",
    "datum": "date", "bijgewerkt": "updated", "concept": "draft", "volgorde": "order",
    "afbeelding": "image", "plaatje": "image", "foto": "image", "alt": "image_alt",
    "labels": "tags", "trefwoorden": "tags", "sjabloon": "template", "begin": "start",
    "einde": "end", "eind": "end", "duur": "duration", "locatie": "location", "plaats": "place",
    "adres": "street", "straat": "street", "organisator": "organiser", "organizer": "organiser",
    "kosten": "cost", "prijs": "cost", "aanmelden": "registration", "doelgroep": "audience",
    "toegankelijkheid": "accessibility", "vervoer": "transport", "herhaling": "repeat",
    "telefoon": "phone", "mail": "email", "e-mail": "email", "website": "url", "link": "url",
    "samenvatting": "summary", "nummer": "edition", "editie": "edition",
    "behalve": "except", "uitgezonderd": "except", "niet": "except", "van": "from", "vanaf": "from",
    "tot": "until", "t/m": "until", "elke": "every", "op": "on", "maand": "month", "keer": "count",
}


# libyaml's safe loader is many times faster and gives the same nodes and marks.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Invalid:
    """Marker for a value that could not be converted (the problem is already recorded)."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID = Invalid()


@dataclass
class Context:
    """Where the nodes come from: the file name shown to editors and the line offset."""

    path: str
    problems: Problems
    line_offset: int = 0

    def loc(self, node: yaml.Node) -> Location:
        mark = node.start_mark
        return Location(self.path, mark.line + 1 + self.line_offset, mark.column + 1)

    def error(self, node: yaml.Node, message: str) -> Invalid:
        self.problems.error(self.loc(node), message)
        return INVALID


def describe(node: yaml.Node) -> str:
    """Say in Dutch what kind of value an editor wrote."""
    if isinstance(node, yaml.MappingNode):
        return "een lijst met sleutels en waarden"
    if isinstance(node, yaml.SequenceNode):
        return "een lijst"
    if node.tag == NULL_TAG:
        return "leeg"
    if node.tag == BOOL_TAG:
        return f"ja/nee-waarde '{node.value}'"
    if node.tag in (INT_TAG, FLOAT_TAG):
        return f"het getal {node.value}"
    return f"de tekst '{node.value}'"


def compose(text: str, ctx: Context) -> yaml.Node | None | Invalid:
    """Parse YAML text into a node tree, reporting syntax errors with their place.

    Text over the limits of bounds.yaml_problem (a line too long, nesting too deep) never reaches PyYAML."""
    finding = yaml_problem(text)
    if finding is not None:
        ctx.problems.error(Location(ctx.path, finding.line + ctx.line_offset, finding.column), finding.message)
        return INVALID
    try:
        node = yaml.compose(text, Loader=SAFE_LOADER)
    except yaml.YAMLError:
        return _report_syntax_error(text, ctx)
    if node is not None and not _check_tree(node, ctx):
        return INVALID
    return node


def _report_syntax_error(text: str, ctx: Context) -> Invalid:
    """Every syntax mistake, at the place to fix it; the pure-Python parser gives the fuller marks."""
    try:
        yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        for finding in diagnose(text, exc, first_line=1 + ctx.line_offset):
            ctx.problems.error(Location(ctx.path, finding.line + 1 + ctx.line_offset, finding.column + 1),
                               finding.message)
        return INVALID
    ctx.problems.error(Location(ctx.path), "de YAML is onleesbaar. Controleer inspringing, dubbele punten "
                       "en aanhalingstekens.")
    return INVALID


def _check_tree(root: yaml.Node, ctx: Context) -> bool:
    """Refuse aliases and custom tags anywhere in the tree."""
    ok = True
    stack = [root]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            ctx.error(node, "gebruik geen ankers (&) en verwijzingen (*) in YAML; schrijf de waarde voluit.")
            return False
        seen.add(id(node))
        if node.tag not in STANDARD_TAGS:
            ctx.error(node, f"onbekend YAML-label '{node.tag}'. Haal het label (met !) weg.")
            ok = False
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return ok


# --- kinds of values -------------------------------------------------------------------

Converter = Callable[[yaml.Node, Context], Any]


def text(node: yaml.Node, ctx: Context) -> Any:
    """Any scalar, as the text the editor wrote."""
    if not isinstance(node, yaml.ScalarNode):
        return ctx.error(node, f"hier hoort tekst, maar er staat {describe(node)}.")
    if node.tag == NULL_TAG:
        return ctx.error(node, "deze waarde is leeg. Vul tekst in of haal de regel weg.")
    value = node.value.strip()
    if not value:
        return ctx.error(node, "deze tekst is leeg. Vul tekst in of haal de regel weg.")
    return value


def integer(node: yaml.Node, ctx: Context) -> Any:
    """A whole number, at most MAX_INTEGER either way (an order, an edition, a count: never more)."""
    if isinstance(node, yaml.ScalarNode) and node.tag == INT_TAG:
        try:
            value = int(node.value.replace("_", ""), 0)
        except ValueError:
            value = None
        if value is not None and abs(value) > MAX_INTEGER:
            return ctx.error(node, f"het getal {node.value} is te groot. Hier past een getal tot "
                             f"{MAX_INTEGER:,}.".replace(",", "."))
        if value is not None:
            return value
    return ctx.error(node, f"hier hoort een heel getal (zoals 3), maar er staat {describe(node)}.")


def boolean(node: yaml.Node, ctx: Context) -> Any:
    if isinstance(node, yaml.ScalarNode) and node.tag == BOOL_TAG:
        return node.value.lower() in ("true", "yes", "on", "y")
    hint = ""
    if isinstance(node, yaml.ScalarNode) and node.value.lower() in ("ja", "nee", "j", "n"):
        hint = " Schrijf true (ja) of false (nee)."
    return ctx.error(node, f"hier hoort true of false, maar er staat {describe(node)}.{hint}")


DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
MOMENT_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]+(\d{1,2})[:.](\d{2})\s*(?:uur)?)?$")


def date(node: yaml.Node, ctx: Context) -> Any:
    """A calendar date written as YYYY-MM-DD."""
    return _date(node, ctx, with_time=False)


def date_or_moment(node: yaml.Node, ctx: Context) -> Any:
    """A date, or a date with a time of day (2026-11-12 15:24) as a naive local date-time."""
    return _date(node, ctx, with_time=True)


def _date(node: yaml.Node, ctx: Context, with_time: bool) -> Any:
    example = "2025-03-14 of 2025-03-14 09:30" if with_time else "2025-03-14"
    if not isinstance(node, yaml.ScalarNode) or node.tag == NULL_TAG:
        return ctx.error(node, f"hier hoort een datum (zoals {example}), maar er staat {describe(node)}.")
    value = node.value.strip()
    match = (MOMENT_RE if with_time else DATE_RE).match(value)
    if not match:
        return ctx.error(node, replacement(value, with_time) or
                         f"'{value}' is geen datum. Schrijf jaar-maand-dag, zoals {example}.")
    year, month, day = (int(g) for g in match.groups()[:3])
    why = year_problem(year)
    if why:
        return ctx.error(node, why)
    why = why_not(year, month, day)
    if why:
        return ctx.error(node, f"de datum '{value}' bestaat niet: {why}. Controleer dag en maand.")
    if not with_time or match.group(4) is None:
        return dt.date(year, month, day)
    hour, minute = int(match.group(4)), int(match.group(5))
    if hour > 23 or minute > 59:
        return ctx.error(node, f"de tijd in '{value}' bestaat niet. Een tijd loopt van 00:00 tot 23:59, "
                         "zoals 09:30 of 15:24.")
    return dt.datetime(year, month, day, hour, minute)


def url_path(node: yaml.Node, ctx: Context) -> Any:
    """An absolute path on this site, such as /oude-pagina/ (the rule: urls.site_path_problem)."""
    return checked_text(node, ctx, site_path_problem)


def markdown_text(node: yaml.Node, ctx: Context) -> Any:
    """Text in markdown (an activity's description), within the limits of bounds.markdown_problems."""
    value = text(node, ctx)
    if value is INVALID:
        return value
    findings = markdown_problems(value)
    first = node.start_mark.line + 1 + ctx.line_offset + (1 if getattr(node, "style", None) in ("|", ">") else 0)
    for finding in findings:
        ctx.problems.error(Location(ctx.path, first + finding.line - 1, finding.column), finding.message)
    return INVALID if findings else value


def checked_text(node: yaml.Node, ctx: Context, problem: Callable[[str], str | None]) -> Any:
    """Text that problem(text) finds nothing wrong with (else its message, at the value)."""
    value = text(node, ctx)
    if value is INVALID:
        return value
    why = problem(value)
    return ctx.error(node, why) if why else value


def http_url(node: yaml.Node, ctx: Context) -> Any:
    """A full web address (the rule and its messages: links_as_typed.web_address_problem)."""
    return checked_text(node, ctx, web_address_problem)


def email(node: yaml.Node, ctx: Context) -> Any:
    """An e-mail address (links_as_typed.email_problem)."""
    return checked_text(node, ctx, email_problem)


def one_of(*choices: str) -> Converter:
    def convert(node: yaml.Node, ctx: Context) -> Any:
        value = text(node, ctx)
        if value is INVALID:
            return value
        if value not in choices:
            hint = did_you_mean(value, choices, DUTCH_KEY_HINTS)
            return ctx.error(node, f"'{value}' kan hier niet. Kies uit: {', '.join(choices)}.{hint}")
        return value

    convert.choices = choices  # read by the web editor's form (cms.py)
    return convert


def list_of(item: Converter, allow_single: bool = False) -> Converter:
    def convert(node: yaml.Node, ctx: Context) -> Any:
        if allow_single and isinstance(node, yaml.ScalarNode) and node.tag != NULL_TAG:
            node = yaml.SequenceNode(SEQ_TAG, [node], node.start_mark, node.end_mark)
        if not isinstance(node, yaml.SequenceNode):
            return ctx.error(node, f"hier hoort een lijst (regels die met '- ' beginnen), maar er staat {describe(node)}.")
        values = [item(child, ctx) for child in node.value]
        if any(v is INVALID for v in values):
            return INVALID
        return tuple(values)

    convert.item = item  # read by the web editor's form (cms.py)
    return convert


@dataclass(frozen=True)
class Field:
    """One key of a mapping: its name, how to convert it, whether it must be there, what it means."""

    name: str
    convert: Converter
    required: bool = False
    doc: str = ""


@dataclass(frozen=True)
class Record:
    """A checked mapping: its values, and where each key and the mapping itself were written."""

    values: dict[str, Any]
    where: dict[str, Location]
    location: Location

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def at(self, name: str) -> Location:
        return self.where.get(name, self.location)


@dataclass(frozen=True)
class Schema:
    """A mapping with known keys; anything else is an error with a did-you-mean."""

    what: str
    fields: tuple[Field, ...] = field(default_factory=tuple)

    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    def __call__(self, node: yaml.Node, ctx: Context) -> Any:
        return self.check(node, ctx)

    def check(self, node: yaml.Node | None, ctx: Context) -> Any:
        record, failed = self.check_values(node, ctx)
        return INVALID if failed else record

    def check_values(self, node: yaml.Node | None, ctx: Context) -> tuple[Record, bool]:
        """The values that are right, and whether anything was wrong: lets a caller check the rest too,
        so an editor sees every mistake in one go."""
        if not isinstance(node, yaml.MappingNode):
            where = ctx.loc(node) if node is not None else Location(ctx.path)
            if node is not None:
                ctx.error(node, f"{self.what} moet bestaan uit regels 'sleutel: waarde', maar er staat "
                          f"{describe(node)}.")
            return Record({}, {}, where), True
        by_name = {f.name: f for f in self.fields}
        values: dict[str, Any] = {}
        where: dict[str, Location] = {}
        failed = False
        suggested: set[str] = set()
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is None:
                ctx.error(key_node, "een sleutel moet een woord zijn.")
                failed = True
                continue
            if key in where:
                ctx.error(key_node, f"de sleutel '{key}' staat hier twee keer. Haal er een weg.")
                failed = True
                continue
            spec = by_name.get(key)
            odd = next((c for c in key if c in ODD_SPACES), None)
            if spec is None and odd:
                word = key.strip("".join(ODD_SPACES) + " ")
                ctx.error(key_node, f"voor '{word}' staat een {ODD_SPACES[odd]} in plaats van een gewone spatie. "
                          f"Haal de ruimte voor '{word}' weg en typ gewone spaties, zodat '{word}' recht onder "
                          "de andere velden van zijn blok begint.")
                failed = True
                continue
            if spec is None:
                suggested.add(closest(key, self.names(), DUTCH_KEY_HINTS) or "")
                hint = did_you_mean(key, self.names(), DUTCH_KEY_HINTS, dash=True)
                ctx.error(key_node, f"onbekende sleutel '{key}'{hint}"
                          f" Toegestaan in {self.what}: {', '.join(self.names())}.")
                failed = True
                continue
            where[key] = ctx.loc(key_node)
            if value_node.tag == NULL_TAG and not spec.required:
                continue  # an optional key left empty means "not set"
            value = spec.convert(value_node, ctx)
            if value is INVALID:
                failed = True
            else:
                values[key] = value
        location = ctx.loc(node)
        for spec in self.fields:
            if spec.required and spec.name not in where and spec.name not in suggested:
                ctx.problems.error(location, f"{self.what} mist de verplichte sleutel '{spec.name}'"
                                   f"{' (' + spec.doc + ')' if spec.doc else ''}.")
                failed = True
        return Record(values, where, location), failed
