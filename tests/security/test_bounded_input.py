"""Bounded work for any input: text that would make PyYAML or Python-Markdown crash or run for minutes is
refused before it reaches them, with exit 1, file:line:column and what to change (sitegen/source/bounds.py).
No exit 2 and no signal, however odd the input; each refused build finishes well within 20 s."""

from __future__ import annotations

import time

import pytest

from conftest import MINIMAL_SITE_YAML, NOW, run_build
from sitegen.source import bounds
from .input_attacks import assert_refused, with_previous_output

LONG_LINE = "deze regel is te lang ("
DEEP_YAML = "hier zitten te veel lijsten in elkaar (meer dan 30 lagen diep)"
DEEP_MARKDOWN = "hier zitten te veel lijsten of citaten in elkaar (meer dan 20 lagen diep)"
BRACKETS = "deze tekst heeft te veel haken [ ( of < zonder partner"
FAR_YEAR = "ligt buiten wat de website aankan (1900 tot en met 2200)"
ACTIVITY = "title: Koffie\nstart: {start}\nduration: 2 uur\nlocation:\n  name: Dorpshuis\n"


def page(body: str, front: str = "") -> str:
    return f"---\ntitle: Een pagina\n{front}---\n\n{body}\n"


def nested_yaml_list(depth: int) -> str:
    return "".join("  " * level + "-\n" for level in range(depth))


# name -> (files, expected: the place and the start of the message)
CASES = {
    # YAML: front matter, site.yaml, agenda files
    "front matter: 50,000 [ on one line": (
        {"content/p.md": page("x", "tags: " + "[" * 50_000 + "\n")}, f"content/p.md:3:10001: {LONG_LINE}"),
    "front matter: 50,000 [ over many lines": (
        {"content/p.md": page("x", "tags: " + "[" * 5_000 + "\n" + ("  " + "[" * 5_000 + "\n") * 9)},
        f"content/p.md:3:36: {DEEP_YAML}"),
    "front matter: 500-deep lists": (
        {"content/p.md": page("x", "tags:\n" + nested_yaml_list(500))}, f"content/p.md:33:59: {DEEP_YAML}"),
    "front matter: - - - on one line": (
        {"content/p.md": page("x", "tags:\n  " + "- " * 500 + "x\n")}, f"content/p.md:4:3: {DEEP_YAML}"),
    "front matter: 500-deep mappings": (
        {"content/p.md": page("x", "x:\n" + "".join(" " * n + "a:\n" for n in range(1, 500)))},
        f"content/p.md:33:31: {DEEP_YAML}"),
    "site.yaml: 1000-deep flow": (
        {"site.yaml": MINIMAL_SITE_YAML + "villages: " + "[" * 1000 + "\n"}, f"site.yaml:16:40: {DEEP_YAML}"),
    "agenda: 500-deep lists": (
        {"content/agenda/koffie.yaml": ACTIVITY.format(start="2026-12-01 10:00") + "audience:\n"
         + nested_yaml_list(500)}, f"content/agenda/koffie.yaml:36:59: {DEEP_YAML}"),
    "agenda list: a line of a megabyte": (
        {"content/agenda.yaml": "- " + ACTIVITY.format(start="2026-12-01 10:00").replace("\n", "\n  ")
         + "description: " + "x" * 1_000_000 + "\n"}, f"content/agenda.yaml:6:10001: {LONG_LINE}"),
    # markdown bodies
    "body: 20,000 [ on one line": ({"content/p.md": page("[" * 20_000)}, f"content/p.md:5:1: {BRACKETS}"),
    "body: 40,000 [ over lines": (
        {"content/p.md": page(("[" * 4_000 + "\n") * 10)}, f"content/p.md:5:1: {BRACKETS}"),
    "body: [a repeated": ({"content/p.md": page("[a " * 3_000)}, f"content/p.md:5:1: {BRACKETS}"),
    "body: ![ repeated": ({"content/p.md": page("![" * 3_000)}, f"content/p.md:5:1: {BRACKETS}"),
    "body: [^ repeated": ({"content/p.md": page("[^" * 3_000)}, f"content/p.md:5:1: {BRACKETS}"),
    "body: [a]( repeated": ({"content/p.md": page("[a](" * 2_000)}, f"content/p.md:5:1: {BRACKETS}"),
    "body: <a repeated": ({"content/p.md": page("<a " * 3_000)}, f"content/p.md:5:1: {BRACKETS}"),
    "body: a list 250 levels deep": (
        {"content/p.md": page("".join("    " * n + "- x\n" for n in range(250))[:90_000])},
        f"content/p.md:25:1: {DEEP_MARKDOWN}"),
    "body: a list 25 levels deep": (
        {"content/p.md": page("".join("    " * n + "- x\n" for n in range(25)))},
        f"content/p.md:25:1: {DEEP_MARKDOWN}"),
    "body: quotes 300 deep": ({"content/p.md": page("> " * 300 + "x")}, f"content/p.md:5:1: {DEEP_MARKDOWN}"),
    "body: a line of 20,000 letters": ({"content/p.md": page("a" * 20_000)}, f"content/p.md:5:10001: {LONG_LINE}"),
    "body: over 100,000 characters": (
        {"content/p.md": page("Een korte zin.\n\n" * 7_000)}, "content/p.md:4:1: deze tekst is te lang (112.0"),
    "body: a definition list of 2,000 lines": (
        {"content/p.md": page("term\n" + ": uitleg\n" * 2_000)},
        "content/p.md:5:1: hier staan meer dan 1.000 regels achter elkaar zonder witregel"),
    "body: 5,000 code fences": (
        {"content/p.md": page("```\n" * 5_000)}, "content/p.md:205:1: deze tekst heeft meer dan 200 codeblokken"),
    "body: 2,000 abbreviations": (
        {"content/p.md": page("*[a]: b\n" * 2_000 + "\n" + "a " * 4_000)},
        "content/p.md:25:1: deze tekst heeft meer dan 20 afkortingen"),
    "agenda description: 20,000 [": (
        {"content/agenda/koffie.yaml": ACTIVITY.format(start="2026-12-01 10:00") + "description: |\n"
         + ("  " + "[" * 2_000 + "\n") * 10}, f"content/agenda/koffie.yaml:7:1: {BRACKETS}"),
    # numbers and durations that overflowed the calendar code (exit 2)
    "agenda: a duration of 99,999,999 days": (
        {"content/agenda/koffie.yaml": ACTIVITY.format(start="2026-12-01 10:00").replace("2 uur", "99999999 dagen")},
        "content/agenda/koffie.yaml:3:11: '99999999 dagen' is te lang voor een activiteit"),
    "agenda: repeated 99,999,999,999 times": (
        {"content/agenda/koffie.yaml": ACTIVITY.format(start="2026-12-01 10:00")
         + "repeat:\n  every: dag\n  count: 99999999999\n"},
        "content/agenda/koffie.yaml:8:10: het getal 99999999999 is te groot"),
    # dates
    "front matter: the year 9999": ({"content/p.md": page("x", "date: 9999-12-31\n")}, f"content/p.md:3:7: het jaar 9999 {FAR_YEAR}"),
    "front matter: the year 1000": ({"content/nieuws/p.md": page("x", "date: 1000-01-01 10:00\n")},
                                    f"content/nieuws/p.md:3:7: het jaar 1000 {FAR_YEAR}"),
    "agenda: the year 9999": (
        {"content/agenda/koffie.yaml": ACTIVITY.format(start="9999-12-31 23:00")},
        f"content/agenda/koffie.yaml:2:8: het jaar 9999 {FAR_YEAR}"),
    "agenda: the year 1899": (
        {"content/agenda/koffie.yaml": ACTIVITY.format(start="1899-12-31")},
        f"content/agenda/koffie.yaml:2:8: het jaar 1899 {FAR_YEAR}"),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES)
def test_errors_on_input_over_a_limit_quickly_with_its_place(make_site, build_main, case):
    files, expected = CASES[case]
    site = make_site(files)
    assert_refused(site, with_previous_output(site), [expected], main=build_main)  # in this process, see conftest


@pytest.mark.slow
@pytest.mark.parametrize("case", ["site.yaml: 1000-deep flow", "front matter: 500-deep mappings",
                                  "body: a list 250 levels deep", "body: quotes 300 deep",
                                  "agenda: a duration of 99,999,999 days"])
def test_build_py_as_a_process_refuses_the_deepest_too(make_site, case):
    """The cases above run build.py's main() in the test's process; the deepest ones (where a parser could
    overflow the stack) and an overflow of the calendar code also as an editor runs them: exit 1, no signal."""
    files, expected = CASES[case]
    site = make_site(files)
    assert_refused(site, with_previous_output(site), [expected])


@pytest.mark.parametrize("now", ["9999-12-31", "1899-12-31T23:00", "2201-01-01", "0001-01-01", "morgen",
                                 "9999-12-31T23:59+14:00", "2026-13-01"])
def test_errors_on_a_now_outside_the_years_the_site_can_hold(make_site, now):
    site = make_site()
    before = with_previous_output(site)
    result = run_build("--site", str(site), "--now", now)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith(f"--now '{now}' is geen geldig moment.") and "1900 tot en met 2200" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_a_page_just_within_every_limit_builds_in_a_few_seconds(make_site):
    """Bounded by construction: the costliest page the limits let through converts in seconds, not minutes."""
    brackets = "[a " * 790  # a paragraph just under MAX_SCAN
    assert not bounds.markdown_problems(brackets)
    assert bounds.markdown_problems("[a " * 1_000)
    body = "\n\n".join([brackets, "".join("    " * n + "- x\n" for n in range(20)), "> " * 20 + "x",
                        "term\n" + ": uitleg\n" * 990, "*[a]: b\n" * 20, "```\nx\n```\n" * 66,
                        "| a | b |\n|---|---|\n" + "| x | y |\n" * 990])
    paragraph = "Een zin met wat woorden erin. " * 100 + "\n\n"
    body += "\n\n" + paragraph * ((bounds.MAX_BODY - len(body) - 10) // len(paragraph))
    assert not bounds.markdown_problems(body), bounds.markdown_problems(body)
    site = make_site({"content/p.md": page(body)})
    started = time.monotonic()
    result = run_build("--site", str(site), "--now", NOW, "-q", "--no-cache")
    took = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert took < 20, f"the build took {took:.1f} s"


@pytest.mark.parametrize("text", ["a: [b, [c, {d: e}]]\n", "title: Bingo [extra\n", "x: |\n  " + "[" * 100 + "\n",
                                  "x: '" + "[" * 100 + "'\n", "x: \"" + "{" * 100 + "\"\n", "# " + "[" * 100 + "\n"])
def test_brackets_in_text_do_not_count_as_nesting(text):
    assert bounds.yaml_problem(text) is None


@pytest.mark.parametrize("line", ["a" + " " * 9_990, "- a" + " \t" * 4_990 + "x", "a: " + ":" * 9_990,
                                  "    " * 2_400 + "- x", "[a " * 3_300])
def test_the_checks_themselves_take_linear_time(line):
    """Checking must not be the slow part: 200 lines of the longest allowed length in well under a second."""
    text = (line + "\n") * 200
    started = time.monotonic()
    bounds.yaml_problem(text)
    bounds.markdown_problems(text[:bounds.MAX_BODY])
    assert time.monotonic() - started < 1.0
