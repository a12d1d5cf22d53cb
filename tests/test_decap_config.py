"""The web editor (Decap CMS) is configured by the build from the schemas the build checks with.

Every field of every collection in the generated admin/config.yml is compared with its schema: name and
order, required, widget, allowed values. /admin/ without cms settings is a Dutch page, not a blank one.
"""

import datetime as dt
import json
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
    "date": {"date"},
    "date_or_moment": {"date"},
    "boolean": {"boolean"},
    "integer": {"number"},
    "email": {"string"},
    "http_url": {"string"},
    "slug": {"string"},  # with the pattern of urls.SLUG_RE
    "markdown_text": {"text", "markdown"},
    "menu_target": {"string"},
    "list": {"list"},
    "one_of": {"select"},
    "moment": {"date"},
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
    pages = [c for c in config["collections"] if c.get("format") == "frontmatter"]
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


def every_field(fields: list[dict], path: str = ""):
    for field in fields:
        yield path + field["name"], field
        yield from every_field(field.get("fields", []), path + field["name"] + ".")
        if isinstance(field.get("field"), dict):
            yield from every_field([field["field"]], path + field["name"] + ".")


def all_fields(config):
    for collection in config["collections"]:
        for item in [collection] + collection.get("files", []):
            yield from ((collection["name"], key, f) for key, f in every_field(item.get("fields", [])))


# What an editor who never saw YAML would not understand in a hint.
CODE = re.compile(r"\btrue\b|\bfalse\b|[{}\[\]]|\b[a-z]+_[a-z]+\b|\bYAML\b|\bmarkdown\b|\b(every|end|repeat)\b", re.I)


def test_hints_are_plain_dutch_without_yaml_words(config):
    hints = {(c, key): f["hint"] for c, key, f in all_fields(config) if f.get("hint")}
    assert len(hints) > 60
    assert {k: h for k, h in hints.items() if CODE.search(h)} == {}
    # Dates are picked in the browser's own date field: no date written as the file has it.
    dated = {k: h for k, h in hints.items() if re.search(r"\d{4}-\d{2}-\d{2}", h)}
    assert all(key == "end" for _, key in dated), dated  # end is typed, not picked


def test_lists_are_lists_that_split_at_commas(config):
    """Decap's list widget without sub-fields is one line split at the commas: two audiences, not one."""
    fields = {(c, key): f for c, key, f in all_fields(config)}
    for where in (("agenda", "audience"), ("agenda", "accessibility"), ("nieuws", "tags"), ("site", "villages")):
        field = fields[where]
        assert field["widget"] == "list" and "field" not in field and "fields" not in field, where
        assert field["hint"].endswith("Meer dan één? Zet er een komma tussen."), where


def test_dates_are_typed_the_dutch_way_and_written_as_the_build_reads_them(config):
    """Decap's datetime widget shows the browser's format (mm/dd/yyyy in an English browser): the form uses
    the site's own date field, whose pattern takes only what the build reads."""
    dated = [(c, key, f) for c, key, f in all_fields(config) if f.get("widget") in ("date", "datetime")]
    assert {key for _, key, _ in dated} >= {"date", "start", "registration.deadline", "repeat.until",
                                            "helplines.checked"}
    for collection, key, field in dated:
        assert field["widget"] == "date", (collection, key)
        pattern = re.compile(field["pattern"][0])
        assert pattern.fullmatch("2026-12-16") and not pattern.fullmatch("16-12-2026"), (collection, key)
        assert "16-12-2026" in field["pattern"][1]
        if key == "start":
            assert field["time"] is True and pattern.fullmatch("2026-12-16 14:00")


def test_except_is_one_line_of_dates_months_and_periods_in_words_that_the_build_reads(config, tmp_path):
    """'Niet op' takes what an editor says: a date, a month, a period (repeat.except is no date picker, since
    juli or 13 juli tot en met 21 augustus is not a date). Its hint says so in Dutch, and what the form
    saves from the hint's own examples (split at the commas, as Decap's list widget does) builds."""
    fields = {(c, key): f for c, key, f in all_fields(config)}
    field = fields[("agenda", "repeat.except")]
    assert field["widget"] == "list" and "field" not in field and "fields" not in field
    assert "een maand, zoals juli" in field["hint"] and "13 juli tot en met 21 augustus" in field["hint"]
    assert "Zonder jaartal geldt het elk jaar" in field["hint"]
    typed = "29 december 2026, juli, augustus, 21 december tot en met 3 januari, 27-10-2026"
    saved = yaml.safe_dump({"title": "Koffie", "start": "2026-10-06 10:00",
                            "repeat": {"every": "week", "on": ["dinsdag"],
                                       "except": [part.strip() for part in typed.split(",")]}},
                           allow_unicode=True, sort_keys=False)
    root = write_tree(tmp_path / "site", {"site.yaml": AGENDA_SITE_YAML, "content/index.md": HOME,
                                          "content/agenda/koffie.yaml": saved})
    result, messages = build(root)
    assert messages is None, messages
    (event,) = result.site.events
    assert event.recurrence.rule == "FREQ=WEEKLY;BYDAY=TU;BYMONTH=1,2,3,4,5,6,9,10,11,12"
    assert event.recurrence.exceptions == (dt.date(2026, 10, 27), dt.date(2026, 12, 29))
    assert event.recurrence.text == "elke week op dinsdag, behalve in juli en augustus en van 21 december tot en " \
        "met 3 januari"
    assert {dt.date(2026, 12, 22), dt.date(2027, 12, 21), dt.date(2027, 12, 28)} <= set(event.recurrence.skipped)


def test_the_date_field_is_registered_by_the_editors_own_script(tmp_path):
    root = write_tree(tmp_path / "site", {"site.yaml": AGENDA_SITE_YAML + CMS_SETTINGS, "content/index.md": HOME})
    result, _ = build(root)
    script = outputs(result)["admin/preview.js"].decode()
    assert 'CMS.registerWidget("date", Control, Preview);' in script
    assert 'placeholder: this.withTime() ? "dd-mm-jjjj uu:mm" : "dd-mm-jjjj"' in script


def test_the_preview_of_the_dated_collections_knows_when_an_item_goes_live(config, tmp_path):
    # Which collections hold items that go live on their date (the browser test shows the notice itself).
    root = write_tree(tmp_path / "site", {"site.yaml": AGENDA_SITE_YAML + CMS_SETTINGS, "content/index.md": HOME})
    result, _ = build(root)
    script = outputs(result)["admin/preview.js"].decode()
    dated = [c["name"] for c in config["collections"] if c.get("folder", "").endswith(("/nieuws", "/nieuwsbrieven"))]
    assert dated == ["nieuws", "nieuwsbrieven"] and f"{json.dumps(dated)}.forEach" in script
    assert 'timeZone: "Europe/Amsterdam"' in script and '"januari", "februari"' in script


def test_site_yaml_has_a_form_for_contact_helplines_villages_and_colours(config):
    from sitegen.source.schemas import HELPLINE, SITE
    site = next(c for c in config["collections"] if c["name"] == "site")
    (form,) = site["files"]
    assert form["file"] == "site.yaml" and form["format"] == "yaml"
    names = [f["name"] for f in form["fields"]]
    assert names == [n for n in SITE.names() if n in ("contact", "helplines", "villages", "theme")]
    contact = next(f for f in form["fields"] if f["name"] == "contact")
    assert compare(contact["fields"], next(f.convert for f in SITE.fields if f.name == "contact"), "contact") == []
    helplines = next(f for f in form["fields"] if f["name"] == "helplines")
    assert helplines["widget"] == "list" and helplines["summary"] == "{{fields.name}}"
    assert [(f["name"], f["required"]) for f in helplines["fields"]] == [(f.name, f.required) for f in HELPLINE.fields]
    theme = next(f for f in form["fields"] if f["name"] == "theme")
    accent = next(f for f in theme["fields"] if f["name"] == "accent")
    assert re.fullmatch(accent["pattern"][0], "#8a3b12") and not re.fullmatch(accent["pattern"][0], "rood")


def test_the_local_backend_may_change_only_the_forms_keys_of_site_yaml(config):
    from sitegen.tools.editor_backend_rules import rules_from_config
    rules = rules_from_config(yaml.safe_dump(config).encode())
    assert rules.entry("site.yaml") and rules.keys_of("site.yaml") == {"contact", "helplines", "villages", "theme"}
    assert not rules.entry("templates/base.html") and rules.keys_of("content/agenda/soep.yaml") is None
    files = [f["file"] for c in config["collections"] for f in c.get("files", [])]
    assert files == ["site.yaml"]


def test_a_cancellation_without_a_reason_is_explained_by_the_build_and_the_form_says_so(config):
    from sitegen.agenda.load import STATUS_NOTES
    agenda = next(c for c in config["collections"] if c["name"] == "agenda")
    note = next(f for f in agenda["fields"] if f["name"] == "status_note")
    assert note["required"] is False and STATUS_NOTES["afgelast"] in note["hint"]


def test_a_new_form_does_not_say_its_changes_were_saved(tmp_path):
    root = write_tree(tmp_path / "site", {"site.yaml": AGENDA_SITE_YAML + CMS_SETTINGS, "content/index.md": HOME})
    result, _ = build(root)
    script = outputs(result)["admin/preview.js"].decode()
    assert "nl.editor.editorToolbar.changesSaved = ''" in script
