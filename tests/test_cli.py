"""The command line as an editor uses it: exit codes, summary, refusal of unsafe output folders."""

import pytest

from conftest import NOW, run_build


def test_build_writes_output_and_prints_summary(make_site, tmp_path):
    site = make_site()
    result = run_build("--site", str(site), "--now", NOW)
    assert result.returncode == 0, result.stderr
    assert (site / "output" / "index.html").is_file()
    assert result.stdout.startswith("1 pagina, ")  # Dutch agrees: 1 pagina, 2 pagina's


@pytest.mark.slow
def test_quiet_prints_nothing_on_success(make_site):
    result = run_build("--site", str(make_site()), "--now", NOW, "-q")
    assert result.returncode == 0 and result.stdout == ""


@pytest.mark.slow
def test_check_writes_nothing(make_site):
    site = make_site()
    result = run_build("check", "--site", str(site), "--now", NOW)
    assert result.returncode == 0, result.stderr
    assert not (site / "output").exists()


@pytest.mark.slow
def test_base_url_option_changes_links_for_previews(make_site):
    site = make_site()
    run_build("--site", str(site), "--now", NOW, "--base-url", "https://preview.example.nl/pr-12/")
    text = (site / "output" / "index.html").read_text()
    assert 'href="/pr-12/css/site.' in text
    assert 'rel="canonical" href="https://preview.example.nl/pr-12/"' in text


def test_refuses_the_site_folder_as_output(make_site):
    site = make_site()
    result = run_build("--site", str(site), "--output", str(site), "--now", NOW)
    assert result.returncode == 1
    assert "de uitvoermap mag niet de map van de site zelf zijn" in result.stderr
    assert (site / "content" / "index.md").is_file()


def test_bad_now_is_a_clear_error(make_site):
    result = run_build("--site", str(make_site()), "--now", "gisteren")
    assert result.returncode == 1 and "--now 'gisteren'" in result.stderr


@pytest.mark.slow
def test_a_bug_exits_2_with_a_hint_to_rerun_verbose(make_site):
    # A template that divides by zero is a bug in the templates, not in content. (One that uses a name
    # that does not exist gets a message with its file and line: tests/test_parallel.py.)
    site = make_site({"templates/page.html": "{{ (page.title | length) // 0 }}"})
    (site / "content" / "over.md").write_text("---\ntitle: Over\n---\n\nTekst.\n")
    result = run_build("--site", str(site), "--now", NOW)
    assert result.returncode == 2
    assert "Draai opnieuw met -v" in result.stderr and "Traceback" not in result.stderr
    verbose = run_build("--site", str(site), "--now", NOW, "-v")
    assert "Traceback" in verbose.stderr


@pytest.mark.slow
def test_clean_removes_the_output(make_site):
    site = make_site()
    run_build("--site", str(site), "--now", NOW)
    assert run_build("clean", "--site", str(site)).returncode == 0
    assert not (site / "output").exists()


@pytest.mark.slow
def test_the_summary_says_one_activity_not_one_activities(make_site):
    site = make_site({"content/agenda/soep.yaml": "title: Soep\nstart: 2026-12-07 12:00\n"})
    result = run_build("--site", str(site), "--now", NOW)
    assert result.returncode == 0, result.stderr
    assert ", 1 activiteit, " in result.stdout.splitlines()[-1]


def test_timings_prints_the_time_of_each_step_to_stderr(make_site):
    site = make_site()
    result = run_build("--site", str(site), "--now", NOW, "-q", "--timings")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == "Tijd per stap:"
    steps = [line.split()[0] for line in lines[1:]]
    assert steps[:2] == ["load", "hints,"] and "render" in steps and steps[-2:] == ["other", "total"]
    assert all(line.endswith(" s") for line in lines[1:])
    assert "Tijd per stap" not in run_build("--site", str(site), "--now", NOW, "-q", "--no-cache").stderr


def test_stopwatch_laps_add_up_to_the_total():
    from sitegen.core.stopwatch import Stopwatch

    ticks = iter([10.0, 10.5, 12.0])
    watch = Stopwatch(clock=lambda: next(ticks))
    watch.lap("load")
    watch.lap("render")
    assert watch.laps == [("load", 0.5), ("render", 1.5)]
    assert watch.report(total=2.25).splitlines() == [
        "load      0.500 s", "render    1.500 s", "other     0.250 s", "total     2.250 s"]
