"""Every address an editor writes stays on the site: slug, aliases and menu links accept only a path inside
it (or, for a menu link to another site, a full https:// address). A wrong one is exit 1 with file:line:column
and the fix; the rules are in sitegen/core/urls.py, one function each."""

from __future__ import annotations

import re

import pytest

from conftest import MINIMAL_SITE_YAML, NOW, run_build, tree_bytes
from sitegen.core import urls
from .input_attacks import assert_refused, with_previous_output

SLUG = "een slug is één woord met kleine letters, cijfers en streepjes, zoals `mijn-pagina`"
NOT_ON_SITE = "is geen adres op deze site. Schrijf een pad dat met één / begint, zoals /oude-pagina/"
MENU = "kan hier niet. Schrijf een adres op deze site als pad, zoals /agenda/, of een andere website voluit met https://"

BAD_SLUGS = ["/x", "//evil.example", "\\\\evil.example", "javascript:alert(1)", "../boven", "x/y", "Mijn Pagina",
             "https://evil.example/", "mijn_pagina", "\"x\\u0000y\"", "\"-\""]
BAD_PATHS = ["//evil.example/", "///evil.example/", "/\\\\evil.example/", "\\\\evil.example", "https://evil.example/",
             "javascript:alert(1)", "/a/../../b/", "/./x/", "/%2F%2Fevil.example/", "/%2e%2e/", "/a b/",
             "\"/x\\ty/\"", "\"/x\\u0085/\"", "oude-pagina/", "/x?y=1"]
BAD_MENU = ["javascript:alert(1)", "//evil.example/", "\\\\evil.example", "http://www.voorbeeld.nl/",
            "https:evil.example", "agenda/", "/../x/", "mailto:a@b.nl", "data:text/html,x"]


def page(front: str) -> str:
    return f"---\ntitle: Een pagina\n{front}\n---\n\nTekst.\n"


@pytest.mark.slow
@pytest.mark.parametrize("value", BAD_SLUGS)
def test_errors_on_a_slug_that_is_not_one_word(make_site, build_main, value):
    site = make_site({"content/pagina.md": page(f"slug: {value}")})
    assert_refused(site, with_previous_output(site), ["content/pagina.md:3:7: ", SLUG], main=build_main)


@pytest.mark.slow
@pytest.mark.parametrize("value", BAD_PATHS)
def test_errors_on_an_alias_that_leaves_the_site(make_site, build_main, value):
    site = make_site({"content/pagina.md": page(f"aliases:\n  - /goed/\n  - {value}")})
    assert_refused(site, with_previous_output(site), ["content/pagina.md:5:5: ", NOT_ON_SITE], main=build_main)


@pytest.mark.parametrize("value", BAD_MENU)
def test_errors_on_a_menu_link_that_is_no_site_path_nor_https(make_site, build_main, value):
    site = make_site({"site.yaml": MINIMAL_SITE_YAML.replace(
        "footer_links: []", f"footer_links:\n  - title: Ergens\n    url: {value}")})
    stderr = assert_refused(site, with_previous_output(site), ["site.yaml:13:10: "], main=build_main)
    assert MENU in stderr or NOT_ON_SITE in stderr, stderr


@pytest.mark.slow
@pytest.mark.parametrize("where, text, expected", [
    ("content/pagina.md", page(f"slug: {BAD_SLUGS[1]}"), ["content/pagina.md:3:7: ", SLUG]),
    ("content/pagina.md", page(f"aliases:\n  - /goed/\n  - {BAD_PATHS[0]}"), ["content/pagina.md:5:5: ", NOT_ON_SITE]),
    ("site.yaml", MINIMAL_SITE_YAML.replace("footer_links: []", f"footer_links:\n  - title: Ergens\n    url: {BAD_MENU[0]}"),
     ["site.yaml:13:10: "]),
], ids=["slug", "alias", "menu"])
def test_build_py_as_a_process_refuses_them_too(make_site, where, text, expected):
    """The cases above run build.py's main() in the test's process (conftest.build_main); one of each kind
    as an editor runs it, a process of its own."""
    site = make_site({where: text})
    assert_refused(site, with_previous_output(site), expected)


@pytest.mark.slow
def test_a_menu_link_to_another_site_is_written_as_its_full_https_address(make_site):
    site = make_site({"site.yaml": MINIMAL_SITE_YAML.replace(
        "footer_links: []", "footer_links:\n  - title: Gemeente\n    url: https://www.voorbeeld.nl/wmo?x=1#a\n"
        "  - title: Agenda\n    url: /agenda/")})
    result = run_build("--site", str(site), "--now", NOW, "-q", "--base-url", "https://x.github.io/coalitie/")
    assert result.returncode == 0, result.stderr
    home = (site / "output" / "index.html").read_text()
    assert 'href="https://www.voorbeeld.nl/wmo?x=1#a"' in home
    assert 'href="/coalitie/agenda/"' in home


def test_a_right_slug_gives_links_and_a_sitemap_that_stay_on_the_site(make_site):
    site = make_site({"content/over/pagina.md": page("slug: mijn-pagina\naliases: [/oud/, /oud.html]")})
    result = run_build("--site", str(site), "--now", NOW, "-q")
    assert result.returncode == 0, result.stderr
    files = tree_bytes(site / "output")
    assert "over/mijn-pagina/index.html" in files and "oud/index.html" in files and "oud.html" in files
    for name, data in files.items():
        if name.endswith((".html", ".xml", ".rss", ".atom", ".json")):
            text = data.decode("utf-8")
            assert not re.search(r"""(?:href|src|content|url)=["']?(?://|\\\\|javascript:)""", text), name
            assert "https://test.example.nl//" not in text, name


@pytest.mark.parametrize("value", ["mijn-pagina", "x", "2026-verslag", "a1-b2-c3"])
def test_slug_rule_accepts_words_of_small_letters_digits_and_dashes(value):
    assert urls.slug_problem(value) is None


@pytest.mark.parametrize("value", ["/", "/oude-pagina/", "/oud.html", "/nieuws/2024/bericht/", "/caf%C3%A9/",
                                   "/a_b~c/"])
def test_site_path_rule_accepts_paths_inside_the_site(value):
    assert urls.site_path_problem(value) is None


@pytest.mark.parametrize("value", ["/agenda/", "https://www.voorbeeld.nl/", "https://voorbeeld.nl",
                                   "https://www.voorbeeld.nl:8443/pad?x=1#y"])
def test_menu_rule_accepts_site_paths_and_full_https_addresses(value):
    assert urls.menu_target_problem(value) is None


@pytest.mark.parametrize("value", BAD_PATHS[:13])
def test_no_refused_path_is_accepted_by_any_rule(value):
    value = value.strip('"').encode().decode("unicode_escape") if value.startswith('"') else value
    value = value.replace("\\\\", "\\")
    assert urls.site_path_problem(value) and urls.slug_problem(value)
