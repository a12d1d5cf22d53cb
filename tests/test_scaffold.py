"""`build.py new`: every kind lands in the right place with every field, and the site still builds."""

import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import NOW, REPO, run_build
from sitegen.agenda.load import EVENT
from sitegen.source.placeholders import INTROS
from sitegen.tools.scaffold import EXAMPLES, KINDS, new_entry, ScaffoldError
from sitegen.source.schemas import NEWSLETTER_FRONT_MATTER, NEWS_FRONT_MATTER
from sitegen.source.yamlschema import Schema

TODAY = NOW[:10]


@pytest.fixture
def site(make_site):
    return make_site({"content/over/index.md": "---\ntitle: Over ons\n---\n\nWie wij zijn.\n"})


@pytest.mark.parametrize("kind, where", [
    ("pagina", "content/koffie-in-het-dorpshuis.md"),
    ("nieuws", f"content/nieuws/{TODAY}-koffie-in-het-dorpshuis.md"),
    ("nieuwsbrief", f"content/nieuwsbrieven/{TODAY}-koffie-in-het-dorpshuis.md"),
    ("activiteit", "content/agenda/koffie-in-het-dorpshuis.yaml"),
])
@pytest.mark.slow
def test_new_creates_each_kind_in_its_place_and_it_builds_cleanly(site, tmp_path, kind, where):
    result = run_build("new", kind, "Koffie in het dorpshuis", "--site", str(site), "--now", NOW)
    assert result.returncode == 0, result.stderr
    assert where in result.stdout
    text = (site / where).read_text(encoding="utf-8")
    assert "Koffie in het dorpshuis" in text and TODAY in text
    build = run_build("--site", str(site), "--now", NOW, "--output", str(tmp_path / "out"))
    placeholders = [s for s in INTROS.values() if s in text]
    assert len(placeholders) == 1  # every kind starts with the sentence that marks it as not yet written
    if kind == "activiteit":  # the preview shows the new activity as it is; publishing refuses it
        assert build.returncode == 0, build.stderr
        line = text.split("\n").index(next(l for l in text.split("\n") if l.startswith("description:"))) + 1
        publish = run_build("check", "--publish", "--site", str(site), "--now", NOW)
        assert publish.returncode == 1
        assert publish.stderr.startswith(f"{where}:{line}:1: hier staat nog de voorbeeldzin '{placeholders[0]}'")
        (site / where).write_text(text.replace(placeholders[0], "Elke dinsdag staat de koffie klaar."),
                                  encoding="utf-8")
        assert run_build("check", "--publish", "--site", str(site), "--now", NOW).returncode == 0
    else:  # nothing unfinished goes live: the sentence to replace is an error until it is gone
        assert build.returncode == 1
        line = text.split("\n").index(placeholders[0]) + 1
        assert build.stderr.startswith(f"{where}:{line}:1: hier staat nog de voorbeeldzin '{placeholders[0]}'")
        (site / where).write_text(text.replace(placeholders[0], "Elke dinsdag staat de koffie klaar."),
                                  encoding="utf-8")
        build = run_build("--site", str(site), "--now", NOW, "--output", str(tmp_path / "out"))
    assert build.returncode == 0, build.stderr
    assert build.stderr == "", "a new entry must not give warnings either"


def test_a_page_can_go_into_a_section_folder(site):
    result = run_build("new", "pagina", "Wat helpt?", "over", "--site", str(site), "--now", NOW)
    assert result.returncode == 0, result.stderr
    assert (site / "content" / "over" / "wat-helpt.md").is_file()


@pytest.mark.parametrize("schema", [NEWS_FRONT_MATTER, NEWSLETTER_FRONT_MATTER])
def test_every_front_matter_field_is_present_and_optional_ones_are_comments(tmp_path, schema):
    kind = "nieuwsbrief" if schema is NEWSLETTER_FRONT_MATTER else "nieuws"
    import datetime as dt
    path = new_entry(tmp_path, kind, "Zomer", dt.date(2026, 11, 23)).path
    front = path.read_text(encoding="utf-8").split("---")[1]
    for field in schema.fields:
        prefix = "" if field.name in ("title", "date") or (field.name == "edition") else "# "
        assert f"\n{prefix}{field.name}: " in front, field.name
    # Taking away every '# ' gives valid front matter that the schema accepts keys of.
    uncommented = yaml.safe_load("\n".join(l[2:] if l.startswith("# ") else l for l in front.splitlines()))
    assert set(uncommented) == set(schema.names())


def test_every_schema_field_has_an_example():
    def names(schema: Schema, prefix=""):
        for field in schema.fields:
            if isinstance(field.convert, Schema):
                yield from names(field.convert, prefix + field.name + ".")
            else:
                yield prefix + field.name
    required = {"title", "date", "id", "start"}
    for schema in (NEWSLETTER_FRONT_MATTER, EVENT):
        missing = [n for n in names(schema) if n not in EXAMPLES and n not in required]
        assert missing == [], f"add an example to sitegen/tools/scaffold.py EXAMPLES for {missing}"


def test_newsletter_gets_the_next_edition_number(site):
    (site / "content" / "nieuwsbrieven").mkdir()
    (site / "content" / "nieuwsbrieven" / "oud.md").write_text("---\ntitle: Oud\nedition: 7\n---\n\nTekst.\n")
    run_build("new", "nieuwsbrief", "Winter", "--site", str(site), "--now", NOW)
    assert "\nedition: 8 " in (site / "content" / "nieuwsbrieven" / f"{TODAY}-winter.md").read_text()


@pytest.mark.slow
def test_new_activity_keeps_the_agenda_file_as_it_was_above_it(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(REPO, site, ignore=shutil.ignore_patterns(".git", ".venv", "node_modules", "output*", "tests",
                                                              "bench", "examples", ".hypothesis", ".cache"))
    # A site that keeps its agenda in one list: the real activities, one after the other.
    folder = site / "content" / "agenda"
    (site / "content" / "agenda.yaml").write_text("".join(
        "- " + "  ".join(path.read_text(encoding="utf-8").splitlines(keepends=True))
        for path in sorted(folder.glob("*.yaml"))), encoding="utf-8")
    shutil.rmtree(folder)
    before = (site / "content" / "agenda.yaml").read_text(encoding="utf-8")
    result = run_build("new", "activiteit", "Koffieochtend in Beilen", "--site", str(site), "--now", NOW)
    assert result.returncode == 0, result.stderr
    after = (site / "content" / "agenda.yaml").read_text(encoding="utf-8")
    assert after.startswith(before)
    # The id already exists in the real agenda, so the new one gets the date added.
    assert f"- id: koffieochtend-in-beilen" in after or f"- id: koffieochtend-in-beilen-{TODAY}" in after
    events = yaml.safe_load(after)
    assert len(events) == len(yaml.safe_load(before)) + 1
    assert events[-1]["title"] == "Koffieochtend in Beilen"
    check = run_build("check", "--site", str(site), "--now", NOW)
    assert "agenda.yaml" not in check.stderr, check.stderr


@pytest.mark.slow
def test_a_taken_activity_id_gets_the_date(site):
    (site / "content" / "agenda.yaml").write_text("[]\n")  # a site that keeps its agenda in one list
    for _ in range(3):
        assert run_build("new", "activiteit", "Soep", "--site", str(site), "--now", NOW).returncode == 0
    ids = [e["id"] for e in yaml.safe_load((site / "content" / "agenda.yaml").read_text())]
    assert ids == ["soep", f"soep-{TODAY}", f"soep-{TODAY}-2"]


@pytest.mark.slow
def test_titles_with_yaml_characters_are_quoted(site, tmp_path):
    title = 'Koffie: "samen" #1'
    assert run_build("new", "pagina", title, "--site", str(site), "--now", NOW).returncode == 0
    text = (site / "content" / "koffie-samen-1.md").read_text()
    assert yaml.safe_load(text.split("---")[1])["title"] == title
    (site / "content" / "koffie-samen-1.md").write_text(text.replace(INTROS["de kop van de pagina"], "Koffie."))
    assert run_build("--site", str(site), "--now", NOW, "--output", str(tmp_path / "o")).returncode == 0


def test_an_existing_file_is_never_overwritten(site):
    run_build("new", "pagina", "Zomer", "--site", str(site), "--now", NOW)
    (site / "content" / "zomer.md").write_text("mijn werk")
    result = run_build("new", "pagina", "Zomer", "--site", str(site), "--now", NOW)
    assert result.returncode == 1 and "bestaat al" in result.stderr
    assert (site / "content" / "zomer.md").read_text() == "mijn werk"


@pytest.mark.parametrize("args", [["new"], ["new", "blog", "Titel"], ["new", "pagina"]])
def test_wrong_use_explains_itself(site, args):
    result = run_build(*args, "--site", str(site))
    assert result.returncode == 1 and "Gebruik: python build.py new SOORT" in result.stderr


def test_a_flow_style_agenda_is_left_alone(site):
    (site / "content" / "agenda.yaml").write_text("[]\n")
    result = run_build("new", "activiteit", "Soep", "--site", str(site), "--now", NOW)
    assert result.returncode == 0  # an empty list is as good as no file
    (site / "content" / "agenda.yaml").write_text("- {id: a, title: A, start: 2026-01-01}\n- {id: b, title: B, start: 2026-01-02}\n")
    before = (site / "content" / "agenda.yaml").read_text()
    assert run_build("new", "activiteit", "Soep 2", "--site", str(site), "--now", NOW).returncode == 0
    assert (site / "content" / "agenda.yaml").read_text().startswith(before)


def midden_drenthe_names() -> set[str]:
    """What names the real site (Midden-Drenthe) from its site.yaml and agenda: the municipality, its
    organisations, phone numbers, web addresses, places, buildings and streets, plus what `new` once wrote."""
    config = yaml.safe_load((REPO / "site.yaml").read_text(encoding="utf-8"))
    names = {config["municipality"], config["title"], config["contact"]["organisation"], config["contact"]["phone"],
             config["base_url"].split("/")[2], config["contact"]["url"].split("/")[2]}
    names |= {partner["name"] for partner in config.get("partners", ())}
    names |= set(config.get("villages") or ())
    for path in sorted((REPO / "content" / "agenda").glob("*.yaml")):
        event = yaml.safe_load(path.read_text(encoding="utf-8"))
        for part in ("location", "organiser"):
            names |= {str(v) for k, v in (event.get(part) or {}).items() if k in ("name", "street", "postcode",
                                                                                 "place", "phone")}
    names = {name for name in names if "(voorbeeld)" not in name and "Voorbeeld" not in name}
    return names | {"De Brink", "9411 AA", "wat-helpt"}


@pytest.fixture(scope="module")
def other_site(tmp_path_factory):
    """A site that `init` made for another municipality, with its own villages and helpline."""
    site = tmp_path_factory.mktemp("init") / "aa-en-hunze"
    result = run_build("init", str(site), "--gemeente", "Aa en Hunze", "--dorpen", "Gieten, Rolde, Annen",
                       "--hulplijn", "Hulplijn Aa en Hunze=0592-123456")
    assert result.returncode == 0, result.stderr
    return site


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_new_in_another_municipalitys_site_names_only_that_site(other_site, tmp_path, kind):
    site = tmp_path / "site"
    shutil.copytree(other_site, site)
    result = run_build("new", kind, "Samen koffie", "--site", str(site), "--now", NOW)
    assert result.returncode == 0, result.stderr
    path = site / result.stdout.split(" in ", 1)[1].split("\n", 1)[0]
    text = path.read_text(encoding="utf-8")
    names = midden_drenthe_names()
    assert {"Beilen", "Welzijnswerk Midden-Drenthe", "088-1651200"} <= names  # the list really holds the real site
    assert [name for name in names if name.lower() in text.lower()] == []
    for link in re.findall(r"\]\(([^)\s]+\.md)\)", text):  # every example link leads to a page of this site
        assert (path.parent / link).resolve().is_file(), link
    if kind == "activiteit":
        assert "place: Gieten" in text
    else:
        assert "Hulplijn Aa en Hunze 0592-123456" in text and "[Hulp](" in text
    build = run_build("--site", str(site), "--now", NOW, "--no-search", "--output", str(tmp_path / "out"))
    if kind == "activiteit":  # shown in the preview as it is; check --publish refuses it (test_publish_check.py)
        assert build.returncode == 0, build.stderr
    else:  # the page is refused with the message that says what to do
        assert build.returncode == 1
        assert f"{path.relative_to(site).as_posix()}:" in build.stderr and "die 'build.py new' neerzette" in build.stderr


@pytest.mark.parametrize("kind, folder", [("nieuws", "nieuws"), ("nieuwsbrief", "nieuwsbrieven")])
def test_new_with_a_later_date_names_the_file_after_it_and_says_when_it_goes_online(site, kind, folder):
    result = run_build("new", kind, "Kerstmarkt", "--date", "2026-12-20", "--site", str(site))
    assert result.returncode == 0, result.stderr
    path = site / "content" / folder / "2026-12-20-kerstmarkt.md"
    assert re.search(r"^date: 2026-12-20\b", path.read_text(encoding="utf-8"), re.M)
    assert "Het komt pas online op 20 december 2026" in result.stdout


@pytest.mark.parametrize("written, fix", [("20-12-2026", "Schrijf 2026-12-20"), ("20 december", "JJJJ-12-20"),
                                          ("morgen", "zoals 2026-12-20")])
def test_new_with_a_date_it_cannot_read_says_what_to_write(site, written, fix):
    result = run_build("new", "nieuws", "Kerstmarkt", "--date", written, "--site", str(site))
    assert result.returncode == 1
    assert f"--date '{written}' is geen datum die ik begrijp" in result.stderr and fix in result.stderr
    assert not list((site / "content").rglob("*kerstmarkt*"))
