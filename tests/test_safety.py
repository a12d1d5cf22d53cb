"""Nothing a contributor writes can break the build in an unforeseen way or reach outside the site."""

import os
import signal
import subprocess
import sys
import time

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import (NOW, REPO, CompiledTemplates, reference_builds_share_compiled_templates, run_build,
                      tree_bytes)
from sitegen.core import dates
from sitegen.core.errors import ContentError
from sitegen.pipeline import BuildOptions, generate


@pytest.mark.slow
def test_bom_and_crlf_work_as_normal(make_site):
    site = make_site({"content/over.md": "\ufeff---\r\ntitle: Over ons\r\n---\r\n\r\nWie we zijn.\r\n"})
    result = run_build("--site", str(site), "--now", NOW)
    assert result.returncode == 0, result.stderr
    assert "<h1>Over ons</h1>" in (site / "output" / "over" / "index.html").read_text()


@pytest.mark.slow
def test_symlink_out_of_the_site_is_an_error(make_site, tmp_path):
    secret = tmp_path / "geheim.txt"
    secret.write_text("geheim")
    site = make_site()
    os.symlink(secret, site / "content" / "geheim.txt")
    os.symlink(secret, site / "content" / "stiekem.md")
    result = run_build("--site", str(site), "--now", NOW)
    assert result.returncode == 1
    assert "content/geheim.txt: dit bestand is een snelkoppeling (symlink)" in result.stderr
    assert "content/stiekem.md: dit bestand is een snelkoppeling (symlink)" in result.stderr


@pytest.mark.slow
def test_links_and_images_that_climb_out_of_content_are_errors(make_site):
    site = make_site({"content/over.md": "---\ntitle: Over\nimage: ../../etc/passwd\nimage_alt: x\n---\n\n"
                                         "[wachtwoorden](../../etc/passwd) ![x](/etc/passwd)\n"})
    result = run_build("--site", str(site), "--now", NOW)
    assert result.returncode == 1
    assert "content/over.md:3:1: de afbeelding '../../etc/passwd' is niet gevonden" in result.stderr
    assert "content/over.md:7:16: de link '../../etc/passwd' wijst naar niets: dat pad gaat buiten de map content/" in result.stderr


@pytest.mark.slow
def test_alias_that_climbs_is_refused(make_site):
    site = make_site({"content/over.md": "---\ntitle: Over\naliases: [/../../etc/]\n---\n\nTekst.\n"})
    result = run_build("--site", str(site), "--now", NOW)
    assert result.returncode == 1 and "content/over.md:3:11:" in result.stderr


@pytest.mark.slow
def test_alias_bomb_fails_fast_with_a_message(make_site):
    bomb = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{n}: &{n} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n" for p, n in zip("abcdefgh", "bcdefghi"))
    site = make_site({"content/over.md": "---\ntitle: Over\n" + bomb + "---\n\nTekst.\n"})
    started = time.monotonic()
    result = run_build("--site", str(site), "--now", NOW)
    assert time.monotonic() - started < 20
    assert result.returncode == 1 and "ankers (&) en verwijzingen (*)" in result.stderr


@pytest.mark.slow
def test_a_very_large_file_is_refused_quickly(make_site):
    site = make_site({"content/groot.md": "---\ntitle: Groot\n---\n\n" + "bla " * 800_000})
    result = run_build("--site", str(site), "--now", NOW)
    assert result.returncode == 1 and "dit bestand is te groot" in result.stderr


@pytest.mark.slow
def test_front_matter_that_is_a_list_or_empty_gets_a_message(make_site):
    site = make_site({"content/a.md": "---\n- title: A\n---\n\nx\n", "content/b.md": "---\n---\n\nx\n"})
    result = run_build("--site", str(site), "--now", NOW)
    assert "content/a.md:2:1:" in result.stderr and "content/b.md:2:1: de kop is leeg" in result.stderr


yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                         st.text(max_size=20), st.dates().map(str))
yaml_values = st.recursive(yaml_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)), max_leaves=8)
keys = st.sampled_from(["title", "description", "date", "updated", "draft", "order", "template", "tags",
                        "image", "image_alt", "aliases", "slug", "titel", "x"])


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(front=st.dictionaries(keys, yaml_values, max_size=6), body=st.text(max_size=200))
def test_any_front_matter_builds_or_gives_content_errors_with_a_place(make_site, front, body):
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n\n" + body
    site = make_site({"content/p.md": text})
    try:
        generate(BuildOptions(root=site, output=site / "output", now=dates.parse_now(NOW)))
    except ContentError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.location.path, problem
            assert problem.message, problem


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.text(alphabet=st.sampled_from(list("-:ab \n\t[]{}&*!#'\"|>%@`")), max_size=80))
def test_any_garbled_front_matter_gives_content_errors_not_crashes(make_site, raw):
    site = make_site({"content/p.md": "---\n" + raw + "\n---\n\nTekst.\n"})
    try:
        generate(BuildOptions(root=site, output=site / "output", now=dates.parse_now(NOW)))
    except ContentError as exc:
        assert all(p.location.path.startswith("content/") for p in exc.problems)


def timed_build(site, *args: str) -> float:
    """A build of site as a process; how long it took, in seconds (the kills below land at parts of that)."""
    started = time.monotonic()
    assert run_build("--site", str(site), "--now", NOW, "-q", *args).returncode == 0
    return time.monotonic() - started


def kill_after(process: subprocess.Popen, seconds: float) -> None:
    """Kill the build after seconds, and make sure it was still running then (else the kill proves nothing)."""
    time.sleep(seconds)
    assert process.poll() is None, f"the build ended within {seconds:.2f} s, before it could be killed"
    process.send_signal(signal.SIGKILL)


# The killed builds: pages enough that a build lasts seconds (the kills land at parts of a measured build:
# starting, reading, rendering, writing), few enough to make the site in seconds. 1,500 pages took a minute.
PAGES = 400


@pytest.mark.slow
def test_killed_build_leaves_the_previous_output_intact(make_site):
    files = {f"content/p{n}.md": f"---\ntitle: Pagina {n}\n---\n\n" + ("Een zin met wat woorden. " * 200)
             for n in range(PAGES)}
    site = make_site(files)
    assert run_build("--site", str(site), "--now", NOW, "-q").returncode == 0
    before = tree_bytes(site / "output")
    # Timed as the killed builds run (--no-cache), into another folder: a cached cold build also fills
    # the cache and lasts longer, and a kill timed from it came after the end on a quiet machine.
    took = timed_build(site, "--no-cache", "--output", str(site.parent / f"{site.name}-timed"))
    (site / "content" / "p1.md").write_text("---\ntitle: Veranderd\n---\n\nNieuw.\n")
    for part in (0.1, 0.3, 0.5):
        # --no-cache: a cached rebuild of this site is over within a second, before the last kill.
        process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--site", str(site), "--now", NOW,
                                    "--no-cache"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        kill_after(process, part * took)
        process.wait()
        assert tree_bytes(site / "output") == before
    # And once more while it is writing the new tree (in .cache/, see write.work_dir).
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--site", str(site), "--now", NOW,
                                "--no-cache"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if list(site.glob(".cache/output-trees/*/.output.new-*")):
            break  # the spare, full of the previous site, is being brought up to date in .cache/

        time.sleep(0.001)
    assert process.poll() is None, "the build ended before it could be killed while writing"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert tree_bytes(site / "output") == before
    # The next build cleans up after the killed ones and succeeds.
    assert run_build("--site", str(site), "--now", NOW, "-q").returncode == 0
    assert "Veranderd" in (site / "output" / "p1" / "index.html").read_text()
    assert [p.name for p in site.iterdir() if p.name.startswith(".output")] == []
    assert [p.name for p in site.glob(".cache/output-trees/*/.output*")] == []


@pytest.mark.slow
def test_interrupted_build_leaves_the_previous_output_intact(make_site):
    """Ctrl-C while the build writes the new tree: output/ stays the previous site, and the build says so.
    (Interrupted at a moment found by polling, not after a fixed sleep: a build over before the signal
    proved nothing.)"""
    files = {f"content/p{n}.md": f"---\ntitle: Pagina {n}\n---\n\n" + ("Zin. " * 300) for n in range(PAGES)}
    site = make_site(files)
    assert run_build("--site", str(site), "--now", NOW, "-q").returncode == 0
    before = tree_bytes(site / "output")
    (site / "content" / "p1.md").write_text("---\ntitle: Veranderd\n---\n\nNieuw.\n")
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--site", str(site), "--now", NOW],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if list(site.glob(".cache/output-trees/*/.output.new-*")):
            break  # the new tree is being written (no spare yet: every file of it)
        time.sleep(0.001)
    assert process.poll() is None, "the build ended before it could be interrupted while writing"
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130 and "Afgebroken; output/ is niet veranderd." in err, err
    assert tree_bytes(site / "output") == before
    assert list(site.glob(".cache/output-trees/*/.output.new-*")) == []


event_keys = st.sampled_from(["id", "title", "start", "end", "duration", "location", "cost", "repeat", "status",
                              "audience", "description", "registration", "titel", "begin"])
event_values = st.one_of(yaml_values, st.sampled_from(["2026-12-01 10:00", "2026-03-29 02:30", "25:00",
                                                       "2026-02-31", "11:30", "2 uur", "afgelast"]),
                         st.fixed_dictionaries({}, optional={"every": st.sampled_from(["week", "maand", "vaak"]),
                                                             "on": st.sampled_from(["dinsdag", "eerste maandag", "x"]),
                                                             "until": st.sampled_from(["2027-01-01", "nooit"])}))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=st.one_of(st.lists(st.dictionaries(event_keys, event_values, max_size=7), max_size=3),
                        yaml_values))
@pytest.mark.slow
def test_any_event_yaml_builds_or_gives_content_errors_with_a_place(make_site, events):
    site = make_site({"content/agenda.yaml": yaml.safe_dump(events, allow_unicode=True)})
    try:
        generate(BuildOptions(root=site, output=site / "output", now=dates.parse_now(NOW), use_cache=False))
    except ContentError as exc:
        assert exc.problems
        assert all(p.location.path and p.message for p in exc.problems)


@pytest.mark.slow
def test_an_empty_events_list_gets_a_message_or_builds(make_site):
    site = make_site({"content/agenda.yaml": ""})
    result = run_build("--site", str(site), "--now", NOW)
    assert "Traceback" not in result.stderr
    assert result.returncode == 0
    assert "content/agenda.yaml:1: waarschuwing: er staan geen activiteiten in dit bestand" in result.stderr


@pytest.mark.slow
def test_rebuilds_killed_while_writing_leave_old_or_new_output_and_then_a_clean_result(make_site, tmp_path,
                                                                                         build_main):
    """The writer brings the spare tree beside output/ up to date and swaps it in: kill it at any moment
    of that, and output/ is the old site or the new one; the next build is exactly a clean build.
    The builds that are not killed run in this process (build_main; a process each would add its start-up),
    the clean ones sharing their compiled templates (conftest.reference_builds_share_compiled_templates)."""
    files = {f"content/p{n}.md": f"---\ntitle: Pagina {n}\n---\n\n" + ("Een zin met wat woorden. " * 40)
             for n in range(300)}
    site = make_site(files)
    clean = tmp_path / "schoon"
    templates = CompiledTemplates()

    def build(*args: str) -> None:
        code, err = build_main("--site", str(site), "--now", NOW, "-q", *args)
        assert code == 0, err

    def clean_build() -> dict[str, bytes]:
        with reference_builds_share_compiled_templates(templates):
            build("--output", str(clean), "--no-cache")
        return tree_bytes(clean)

    build()
    for round, delay in enumerate((0.0, 0.005, 0.01, 0.02, 0.03, 0.04, 0.06, 0.1)):
        # A build that succeeds (a killed one takes the spare with it), then one killed while it writes.
        (site / "content" / f"p{round + 100}.md").write_text(f"---\ntitle: Tussen {round}\n---\n\nTekst.\n")
        build()
        before = tree_bytes(site / "output")
        (site / "content" / f"p{round}.md").write_text(f"---\ntitle: Ronde {round}\n---\n\nNieuw {round}.\n")
        process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--site", str(site), "--now", NOW],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while (time.monotonic() < deadline and process.poll() is None
               and not (site / f".output.new-{process.pid}").exists()):
            time.sleep(0.001)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        after = tree_bytes(site / "output")
        assert after == before or after == clean_build(), round
    build()
    assert tree_bytes(site / "output") == clean_build()
    assert [p.name for p in site.iterdir() if p.name.startswith(".output")] == []
    assert [p.name for p in site.glob(".cache/output-trees/*/.output*")] == []
