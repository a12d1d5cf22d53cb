"""The web editor (Decap CMS, static/admin/config.yml) asks for exactly the fields our schemas accept."""

from pathlib import Path

import pytest
import yaml

from sitegen.agenda_load import EVENT
from sitegen.schemas import front_matter_schema
from sitegen.yamlschema import Schema, boolean, date, email, http_url, integer, text

REPO = Path(__file__).resolve().parent.parent
CONFIG = yaml.safe_load((REPO / "static" / "admin" / "config.yml").read_text(encoding="utf-8"))
COLLECTIONS = {c["name"]: c for c in CONFIG["collections"]}

# Which Decap widgets may write a value each of our converters accepts.
WIDGETS = {
    "text": {"string", "text", "markdown", "image", "file", "select"},
    "date": {"datetime"},
    "date_or_moment": {"datetime"},
    "boolean": {"boolean"},
    "integer": {"number"},
    "email": {"string"},
    "http_url": {"string"},
    "list": {"list"},
    "one_of": {"select"},
    "moment": {"datetime"},
    "moment_or_time": {"string", "datetime"},
    "duration": {"string"},
    "event_id": {"string"},
    "raw_rule": {"string"},
    "schema": {"object"},
}


def kind(convert) -> str:
    if isinstance(convert, Schema):
        return "schema"
    named = {text: "text", date: "date", boolean: "boolean", integer: "integer", email: "email", http_url: "http_url"}
    if convert in named:
        return named[convert]
    qualname = getattr(convert, "__qualname__", "")
    if qualname.startswith("list_of."):
        return "list"
    if qualname.startswith("one_of."):
        return "one_of"
    return convert.__name__


def compare(fields: list[dict], schema: Schema, where: str) -> list[str]:
    wrong = []
    decap = {f["name"]: f for f in fields if f["name"] != "body"}
    if list(decap) != schema.names():
        wrong.append(f"{where}: fields {list(decap)} != schema {schema.names()}")
        return wrong
    for spec in schema.fields:
        field = decap[spec.name]
        if field.get("required", True) != spec.required:
            wrong.append(f"{where}.{spec.name}: required is {field.get('required', True)}, schema says {spec.required}")
        allowed = WIDGETS[kind(spec.convert)]
        if field["widget"] not in allowed:
            wrong.append(f"{where}.{spec.name}: widget {field['widget']} cannot write a {kind(spec.convert)}")
        if isinstance(spec.convert, Schema):
            wrong += compare(field["fields"], spec.convert, f"{where}.{spec.name}")
    return wrong


@pytest.mark.parametrize("name", [n for n, c in COLLECTIONS.items() if c.get("format") == "frontmatter"])
def test_page_collections_match_the_front_matter_schema_of_their_folder(name):
    collection = COLLECTIONS[name]
    folder = collection["folder"]
    assert folder == "content" or folder.startswith("content/")
    rel = folder[len("content/"):] + "/nieuw.md" if folder != "content" else "nieuw.md"
    assert compare(collection["fields"], front_matter_schema(rel), name) == []
    assert collection["fields"][-1] == {"name": "body", "label": "Tekst", "widget": "markdown"}


def test_agenda_collection_matches_the_activity_schema():
    agenda = COLLECTIONS["agenda"]
    assert agenda["folder"] == "content/agenda" and agenda["format"] == "yaml"
    assert compare(agenda["fields"], EVENT, "agenda") == []


def test_status_choices_match():
    status = next(f for f in COLLECTIONS["agenda"]["fields"] if f["name"] == "status")
    from sitegen.agenda_load import STATUSES
    assert tuple(status["options"]) == STATUSES


def test_page_collection_folders_exist_and_pull_requests_are_used():
    for collection in COLLECTIONS.values():
        if collection["folder"] != "content/agenda":
            assert (REPO / collection["folder"]).is_dir(), collection["folder"]
    assert CONFIG["publish_mode"] == "editorial_workflow"


def test_the_admin_page_loads_nothing_from_other_hosts():
    page = (REPO / "static" / "admin" / "index.html").read_text(encoding="utf-8")
    assert "http://" not in page and "https://" not in page and "//" not in page.replace("<!--", "")
    assert '<script src="decap-cms.js"></script>' in page
