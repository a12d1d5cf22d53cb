"""The agenda's two layouts: one activity per file in content/agenda/<id>.yaml, or one list content/agenda.yaml.

Whichever layout, a mistake names the file the editor has to open and the line in it."""

import pytest
import yaml

from agenda_helpers import agenda_site, build, outputs
from conftest import NOW, REPO, run_build

KOFFIE = """\
    title: Koffieochtend
    start: 2026-12-01 10:00
    end: 11:30
    location:
      name: Dorpshuis
      place: Beilen
    """
SOEP = "title: Soep\nstart: 2026-12-07 12:00\n"


def test_reads_one_activity_per_file_and_its_file_name_is_its_id(tmp_path):
    site = agenda_site(tmp_path / "site", None, {"content/agenda/koffie-beilen.yaml": KOFFIE,
                                                  "content/agenda/soep.yaml": SOEP})
    result, messages = build(site)
    assert messages is None, messages
    assert sorted((e.id, e.title, e.source) for e in result.site.events) == [
        ("koffie-beilen", "Koffieochtend", "content/agenda/koffie-beilen.yaml"),
        ("soep", "Soep", "content/agenda/soep.yaml")]
    assert "agenda/koffie-beilen/index.html" in outputs(result)


def test_still_reads_a_single_list_file(tmp_path):
    site = agenda_site(tmp_path / "site", "- id: soep\n  title: Soep\n  start: 2026-12-07 12:00\n")
    result, messages = build(site)
    assert messages is None, messages
    assert [e.id for e in result.site.events] == ["soep"]


def test_both_layouts_at_once_is_an_error_naming_the_list_file(tmp_path):
    site = agenda_site(tmp_path / "site", "- id: koffie\n  title: Koffie\n  start: 2026-12-01 10:00\n",
                       {"content/agenda/soep.yaml": SOEP})
    result, messages = build(site)
    assert result is None
    assert messages.startswith("content/agenda.yaml:1: de agenda staat op twee plekken: in dit bestand en in de "
                               "map content/agenda/ (1 bestand(en))."), messages


def test_an_id_used_twice_names_both_files(tmp_path):
    site = agenda_site(tmp_path / "site", None, {"content/agenda/welzijn/soep.yaml": SOEP,
                                                  "content/agenda/kerk/soep.yaml": SOEP})
    result, messages = build(site)
    assert result is None
    assert messages == ("content/agenda/welzijn/soep.yaml:1:1: het id 'soep' is al gebruikt door 'Soep' "
                        "(content/agenda/kerk/soep.yaml:1:1). Elke activiteit heeft een eigen id: geef deze een "
                        "ander id, zoals id: soep-2.\n")


def test_an_id_inside_must_be_the_file_name(tmp_path):
    site = agenda_site(tmp_path / "site", None, {"content/agenda/soep.yaml": "id: soep-smilde\n" + SOEP})
    result, messages = build(site)
    assert result is None
    assert messages == ("content/agenda/soep.yaml:1:1: het id 'soep-smilde' is anders dan de naam van het bestand "
                        "(soep.yaml). In de map agenda/ is de bestandsnaam het id: haal de regel 'id' weg, of noem "
                        "het bestand soep-smilde.yaml.\n")


def test_a_file_name_that_cannot_be_an_id_is_an_error(tmp_path):
    site = agenda_site(tmp_path / "site", None, {"content/agenda/Soep Smilde.yaml": SOEP})
    result, messages = build(site)
    assert result is None
    assert messages.startswith("content/agenda/Soep Smilde.yaml:1: de bestandsnaam 'Soep Smilde.yaml' kan geen "
                               "id zijn"), messages
    assert "zoals soep-smilde.yaml." in messages


def test_a_list_in_the_folder_is_an_error_that_says_one_per_file(tmp_path):
    site = agenda_site(tmp_path / "site", None, {"content/agenda/welzijn.yaml": "- " + SOEP.replace("\ns", "\n  s")})
    result, messages = build(site)
    assert result is None
    assert messages.startswith("content/agenda/welzijn.yaml:1:1: in de map agenda/ staat in elk bestand één "
                               "activiteit, zonder streepje ervoor"), messages


def test_a_mistake_names_the_file_and_its_own_line_in_both_layouts(tmp_path):
    wrong = KOFFIE.replace("end: 11:30", "end: 09:30")  # before its start, on line 3 of the activity
    folder = agenda_site(tmp_path / "a", None, {"content/agenda/soep.yaml": SOEP,
                                                 "content/agenda/koffie.yaml": wrong})
    _, messages = build(folder)
    assert messages.startswith("content/agenda/koffie.yaml:3:1: de activiteit eindigt (09:30 op "), messages
    listed = "- id: soep\n  title: Soep\n  start: 2026-12-07 12:00\n- id: koffie\n" + "".join(
        "  " + line + "\n" for line in yaml.safe_dump(yaml.safe_load(wrong), sort_keys=False).splitlines())
    _, messages = build(agenda_site(tmp_path / "b", listed))
    assert messages.startswith("content/agenda.yaml:7:3: de activiteit eindigt (09:30 op "), messages


def test_a_description_link_means_the_same_page_in_either_layout(tmp_path):
    text = "title: Soep\nstart: 2026-12-07 12:00\ndescription: Lees [hoe het werkt](over.md).\n"
    page = {"content/over.md": "---\ntitle: Over\ndescription: Over ons.\n---\n\nTekst.\n"}
    folder, _ = build(agenda_site(tmp_path / "a", None, {"content/agenda/soep.yaml": text, **page}))
    listed, _ = build(agenda_site(tmp_path / "b", "- id: soep\n" + "".join(f"  {l}\n" for l in text.splitlines()),
                                  page))
    assert 'href="/over/"' in outputs(folder)["agenda/soep/index.html"].decode()
    assert outputs(folder)["agenda/soep/index.html"] == outputs(listed)["agenda/soep/index.html"]


def test_the_real_site_keeps_one_activity_per_file():
    assert not (REPO / "content" / "agenda.yaml").exists()
    files = sorted((REPO / "content" / "agenda").glob("*.yaml"))
    assert len(files) >= 10
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(data, dict) and data.get("id", path.stem) == path.stem, path


@pytest.mark.slow
def test_new_activity_in_a_folder_site_gets_its_own_file(tmp_path):
    site = agenda_site(tmp_path / "site", None, {"content/agenda/soep.yaml": SOEP})
    for _ in range(2):
        assert run_build("new", "activiteit", "Soep", "--site", str(site), "--now", NOW).returncode == 0
    names = sorted(p.name for p in (site / "content" / "agenda").glob("*.yaml"))
    assert names == sorted(["soep.yaml", f"soep-{NOW[:10]}.yaml", f"soep-{NOW[:10]}-2.yaml"])
    check = run_build("check", "--site", str(site), "--now", NOW)
    assert check.returncode == 0, check.stderr
