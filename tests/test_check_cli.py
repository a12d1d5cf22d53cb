"""`build.py check` as an editor and CI see it: every problem as path:line:column, in Dutch, golden.

Each folder under fixtures/check/ is a small site; `site/` holds one of each mistake that is found in the
first round (schema, dates, links, images, alt text, attachments, empty page) and one of each warning.
Duplicate URLs and links to unknown site paths are found after the site is modelled, so they have their own
folders. Regenerate the expected output with:
    REGENERATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_check_cli.py
and read every changed line: it is what editors will see.
"""

import os
from pathlib import Path

import pytest

from conftest import NOW, REPO, run_build

FIXTURES = Path(__file__).parent / "fixtures" / "check"
CASES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


def golden(name: str, actual: str) -> str:
    path = FIXTURES / name
    if os.environ.get("REGENERATE_GOLDEN"):
        path.write_text(actual, encoding="utf-8")
    return path.read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES)
def test_check_lists_every_problem_exactly_and_writes_nothing(case):
    site = FIXTURES / case
    result = run_build("check", "--site", str(site), "--now", NOW)
    assert result.returncode == 1, result.stderr
    assert result.stderr == golden(f"{case}/expected.txt", result.stderr)
    assert not (site / "output").exists()
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_github_format_gives_annotations_on_the_lines():
    result = run_build("check", "--site", str(FIXTURES / "site"), "--now", NOW, "--format", "github")
    assert result.returncode == 1
    assert result.stderr == golden("site/expected-github.txt", result.stderr)
    lines = result.stderr.splitlines()
    assert all(line.startswith(("::error file=", "::warning file=")) for line in lines[:-1])
    assert "::warning file=content/over/links.md,line=11,col=17::de linktekst 'Klik hier'" in result.stderr


@pytest.mark.slow
def test_github_annotations_escape_file_names_and_messages(make_site):
    """A file name with a comma, colon or percent (as Word and Windows write them) stays one property."""
    site = make_site({"content/koffie, thee: 100%.md": "---\ntitel: Koffie\n---\n\nTekst.\n"})
    result = run_build("check", "--site", str(site), "--now", NOW, "--format", "github")
    assert result.returncode == 1
    line = next(l for l in result.stderr.splitlines() if l.startswith("::error "))
    properties, message = line[len("::error "):].split("::", 1)
    assert properties.split(",")[0] == "file=content/koffie%2C thee%3A 100%25.md"
    assert [p.split("=")[0] for p in properties.split(",")] == ["file", "line", "col"]
    assert message.startswith("onbekende sleutel 'titel'") and "\n" not in message


def test_github_annotation_messages_escape_percent_and_line_breaks():
    from sitegen.core.errors import Location, Problem
    problem = Problem(Location("a,b.md", 3, 1), "100% zeker\nregel twee\r")
    assert problem.format_github() == "::error file=a%2Cb.md,line=3,col=1::100%25 zeker%0Aregel twee%0D"


def test_the_main_fixture_has_one_of_each_kind_of_problem():
    text = (FIXTURES / "site" / "expected.txt").read_text(encoding="utf-8")
    for fragment in ("onbekende sleutel 'titel' - bedoel je 'title'", "mist de verplichte sleutel 'title'",
                     "hier hoort true of false", "de datum '2025-02-31' bestaat niet", "wijst naar niets",
                     "het bestand 'weg.jpg' is niet gevonden", "heeft geen beschrijving (alt-tekst)",
                     "de PDF 'nieuwsbrief-1.pdf' is niet gevonden", "deze pagina heeft geen tekst",
                     "waarschuwing: de titel is lang", "waarschuwing: de kop 'Te diep' slaat een niveau over",
                     "waarschuwing: de linktekst 'Klik hier'", "waarschuwing: de linktekst 'lees meer'",
                     "begint met http://", "waarschuwing: deze zin is lang", "Flesch-Douma",
                     "ingesprongen.md:7:1: waarschuwing: deze alinea begint met een tab"):
        assert fragment in text, fragment


@pytest.mark.slow
def test_warnings_alone_exit_0_and_are_printed_by_check_and_build(make_site, tmp_path):
    site = make_site({"content/lang.md": "---\ntitle: Lang\n---\n\nLees [hier](index.md) verder.\n"})
    check = run_build("check", "--site", str(site), "--now", NOW)
    assert check.returncode == 0, check.stderr
    assert check.stderr == ("content/lang.md:5:6: waarschuwing: de linktekst 'hier' zegt niet waar de link heen "
                            "gaat. Schrijf waar de lezer terechtkomt, zoals [bekijk de agenda](/agenda/) in "
                            "plaats van [klik hier](/agenda/).\n")
    assert "(1 waarschuwing)." in check.stdout
    build = run_build("--site", str(site), "--now", NOW, "--output", str(tmp_path / "out"))
    assert build.returncode == 0 and "waarschuwing: de linktekst 'hier'" in build.stderr
    quiet = run_build("check", "--site", str(site), "--now", NOW, "-q")
    assert quiet.returncode == 0 and quiet.stderr == "" and quiet.stdout == ""


@pytest.mark.slow
def test_the_real_sites_have_no_content_warnings():
    for site in (REPO, REPO / "examples" / "medemblik"):
        result = run_build("check", "--site", str(site), "--now", NOW)
        assert "waarschuwing: de linktekst" not in result.stderr
        assert "slaat een niveau over" not in result.stderr


def test_the_workflow_checks_pull_requests_and_deploys_main_daily():
    import yaml
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key 'on' as true
    assert {"pull_request", "push", "schedule"} <= set(triggers)
    assert triggers["push"]["branches"] == ["main"] and triggers["schedule"][0]["cron"]
    steps = " ".join(str(s) for job in workflow["jobs"].values() for s in job.get("steps", []))
    for needed in ("build.py check --format github", "make test", "actions/upload-pages-artifact",
                   "actions/deploy-pages"):
        assert needed in steps, needed
    assert (REPO / ".github" / "pull_request_template.md").is_file()


def test_make_check_ends_with_a_dutch_line_when_there_are_mistakes(tmp_path):
    """make's own last line is English ("Error 1"); before it, the check target says in Dutch what happened."""
    import subprocess
    import time
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    python = venv / "bin" / "python"  # stands in for build.py check finding one mistake
    python.write_text("#!/bin/sh\necho 'content/x.md:1:1: een fout' >&2\nexit 1\n")
    python.chmod(0o755)
    time.sleep(0.01)
    (venv / ".runtime").touch()  # installed: make goes straight to the check
    result = subprocess.run(["make", "-s", "-C", str(REPO), "check", f"VENV={venv}"], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode != 0
    said = [line for line in result.stderr.splitlines() if not line.startswith("make")]
    assert said == ["content/x.md:1:1: een fout",
                    "Controle: er zijn fouten gevonden, zie hierboven. Verbeter ze en draai make check opnieuw."]
