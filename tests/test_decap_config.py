"""The web editor (Decap CMS) is configured by the build from the schemas the build checks with.

Every field of every collection in the generated admin/config.yml is compared with its schema: name and
order, required, widget, allowed values. /admin/ without cms settings is a Dutch page, not a blank one.
"""

import re

import pytest
import yaml

from agenda_helpers import AGENDA_SITE_YAML, HOME, build, outputs
from conftest import write_tree
from sitegen.agenda.load import EVENT, STATUSES
from sitegen.source.schemas import ALWAYS_DATED, front_matter_schema
from sitegen.source.yamlschema import Schema, boolean, date, email, http_url, integer, text

CMS_SETTINGS = "cms:\n  repo: coalitie/website\n  branch: main\n  auth_url: https://inloggen.voorbeeld.nl\n"

# Which Decap widgets may write a value each of our converters accepts.
WIDGETS = {
    "text": {"string", "text", "markdown", "image", "file", "select"},
    "date": {"datetime"},
    "date_or_moment": {"datetime"},
    "boolean": {"boolean"},
    "integer": {"number"},
    "email": {"string"},
    "http_url": {"string"},
    "slug": {"string"},  # with the pattern of urls.SLUG_RE
    "markdown_text": {"text", "markdown"},
    "menu_target": {"string"},
    "list": {"list"},
    "one_of": {"select"},
    "moment": {"datetime"},
    "moment_or_time": {"string"},
    "duration": {"string"},
    "raw_rule": {"string"},
    "schema": {"object"},
}


def kind(convert) -> str:
    if isinstance(convert, Schema):
        return "schema"
    named = {text: "text", date: "date", boolean: "boolean", integer: "integer", email: "email", http_url: "http_url"}
    if convert in named:
        return named[convert]
    if hasattr(convert, "choices"):
        return "one_of"
    if hasattr(convert, "item"):
        return "list"
    return convert.__name__


def compare(fields: list[dict], schema: Schema, where: str, required_too: set = frozenset(),
            group_required: bool = True, skipped: set = frozenset()) -> list[str]:
    """Every way the form's fields differ from the schema's."""
    wrong = []
    decap = {f["name"]: f for f in fields if f["name"] != "body"}
    expected = [n for n in schema.names() if n not in skipped]
    if list(decap) != expected:
        return [f"{where}: fields {list(decap)} != schema {expected}"]
    for spec in schema.fields:
        if spec.name in skipped:
            continue
        field = decap[spec.name]
        # Inside an optional group, nothing is required: an empty group must save (the build checks a filled one).
        must = group_required and (spec.required or spec.name in required_too)
        if field.get("required", True) != must:
            wrong.append(f"{where}.{spec.name}: required is {field.get('required', True)}, should be {must}")
        if field["widget"] not in WIDGETS[kind(spec.convert)]:
            wrong.append(f"{where}.{spec.name}: widget {field['widget']} cannot write a {kind(spec.convert)}")
        if kind(spec.convert) == "one_of" and field.get("options") != list(spec.convert.choices):
            wrong.append(f"{where}.{spec.name}: options {field.get('options')} != {spec.convert.choices}")
        if spec.convert is boolean and field.get("default") is not (False if group_required else None):
            wrong.append(f"{where}.{spec.name}: a boolean defaults to false, as in the build (not in a group)")
        if isinstance(spec.convert, Schema):
            wrong += compare(field["fields"], spec.convert, f"{where}.{spec.name}",
                             group_required=group_required and spec.required)
    return wrong


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    root = write_tree(tmp_path_factory.mktemp("cms") / "site", {
        "site.yaml": AGENDA_SITE_YAML + CMS_SETTINGS, "content/index.md": HOME,
        "content/over/index.md": "---\ntitle: Over ons\ndescription: Wie wij zijn.\n---\n\nTekst.\n",
        "content/agenda/soep.yaml": "title: Soep\nstart: 2026-12-07 12:00\n"})
    result, messages = build(root)
    assert messages is None, messages
    return yaml.safe_load(outputs(result)["admin/config.yml"])


def test_the_backend_comes_from_site_yaml_and_saving_opens_a_pull_request(config):
    assert config["backend"] == {"name": "github", "repo": "coalitie/website", "branch": "main",
                                 "base_url": "https://inloggen.voorbeeld.nl", "auth_endpoint": "auth"}
    assert config["publish_mode"] == "editorial_workflow"


def test_every_page_collection_matches_the_front_matter_schema_of_its_folder(config):
    pages = [c for c in config["collections"] if c["format"] == "frontmatter"]
    assert {c["folder"] for c in pages} == {"content", "content/over", "content/nieuws", "content/nieuwsbrieven"}
    for collection in pages:
        folder = collection["folder"]
        rel = folder[len("content/"):] + "/nieuw.md" if folder != "content" else "nieuw.md"
        dated = folder in ("content/nieuws", "content/nieuwsbrieven")
        assert compare(collection["fields"], front_matter_schema(rel), collection["name"],
                       required_too=set(ALWAYS_DATED) if dated else set()) == []
        assert collection["fields"][-1] == {"name": "body", "label": "Tekst", "widget": "markdown"}


def test_the_agenda_collection_matches_the_activity_schema_one_file_each(config):
    agenda = next(c for c in config["collections"] if c["name"] == "agenda")
    assert agenda["folder"] == "content/agenda" and agenda["format"] == "yaml" and agenda["extension"] == "yaml"
    assert compare(agenda["fields"], EVENT, "agenda", skipped={"id"}) == []  # the file name is the id
    status = next(f for f in agenda["fields"] if f["name"] == "status")
    assert status["options"] == list(STATUSES)


def test_optional_groups_ask_nothing_when_left_empty(config):
    agenda = next(c for c in config["collections"] if c["name"] == "agenda")
    for name in ("location", "repeat", "registration", "organiser"):
        group = next(f for f in agenda["fields"] if f["name"] == name)
        assert group["required"] is False
        assert [f["name"] for f in group["fields"] if f["required"]] == [], name


def test_a_news_item_needs_a_date_in_the_form_as_in_the_build(config):
    news = next(c for c in config["collections"] if c["name"] == "nieuws")
    assert next(f for f in news["fields"] if f["name"] == "date")["required"] is True
    page = next(c for c in config["collections"] if c["name"] == "paginas")
    assert next(f for f in page["fields"] if f["name"] == "date")["required"] is False


def test_patterns_in_the_form_are_valid_and_accept_what_the_build_accepts(config):
    agenda = next(c for c in config["collections"] if c["name"] == "agenda")
    end = next(f for f in agenda["fields"] if f["name"] == "end")
    for good in ("11:30", "9.30", "2026-09-03", "2026-09-03 11:30"):
        assert re.fullmatch(end["pattern"][0], good), good
    assert not re.fullmatch(end["pattern"][0], "half twaalf")


def test_admin_without_cms_settings_is_a_dutch_page_without_a_script(tmp_path):
    root = write_tree(tmp_path / "site", {"site.yaml": AGENDA_SITE_YAML, "content/index.md": HOME})
    result, messages = build(root)
    assert messages is None, messages
    files = outputs(result)
    page = files["admin/index.html"].decode()
    assert "De webeditor is nog niet klaar" in page and "<code>cms:</code>" in page
    assert "<script" not in page  # nothing to load, so no 404 for a script
    assert "admin/config.yml" not in files and "admin/decap-cms.js" not in files


def test_admin_with_cms_settings_loads_decap_from_the_lock_file_only(tmp_path):
    root = write_tree(tmp_path / "site", {"site.yaml": AGENDA_SITE_YAML + CMS_SETTINGS, "content/index.md": HOME})
    result, messages = build(root)
    assert messages is None, messages
    page = outputs(result)["admin/index.html"].decode()
    assert re.findall(r'src="([^"]+)"', page) == ["decap-cms.js", "preview.js"]  # same host, nothing else
    copied = {a.url: a.source_path for a in result.site.assets if a.url.startswith("/admin/")}
    assert copied["/admin/decap-cms.js"].endswith("node_modules/decap-cms/dist/decap-cms.js")
    assert len(copied) > 10  # the chunks decap-cms.js loads from beside itself
    css = result.site.stylesheet
    assert outputs(result)["admin/preview.js"].decode().endswith(f'CMS.registerPreviewStyle("{css}");\n')


def test_a_wrong_cms_setting_is_a_dutch_error_with_its_line(tmp_path):
    root = write_tree(tmp_path / "site", {"site.yaml": AGENDA_SITE_YAML + "cms:\n  branch: main\n",
                                          "content/index.md": HOME})
    _, messages = build(root)
    assert messages is not None and re.search(r"^site\.yaml:\d+:\d+: .*repo", messages, re.M), messages
