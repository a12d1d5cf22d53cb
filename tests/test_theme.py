"""Theme settings in site.yaml: a colour below WCAG AA is refused with its line and a colour that passes;
a passing one changes the built stylesheet; a logo must exist, be an image and have alt text."""

import re

import pytest

from conftest import MINIMAL_SITE_YAML, NOW, REPO, run_build
from sitegen.source import theme
from sitegen.core.errors import Problems
from sitegen.core.model import Theme

SITE_CSS = (REPO / "static" / "css" / "site.css").read_text(encoding="utf-8")


def build(site, *extra):
    return run_build("--site", str(site), "--now", NOW, "--no-search", *extra)


def stylesheet(site) -> str:
    home = (site / "output" / "index.html").read_text(encoding="utf-8")
    return (site / "output" / re.search(r'href="/(css/site\.[0-9a-f]+\.css)"', home).group(1)).read_text(
        encoding="utf-8")


def test_contrast_follows_wcag():
    assert theme.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert theme.contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert theme.normal_hex("#ABC") == "#aabbcc" and theme.normal_hex("blauw") is None


def test_every_text_and_background_pair_of_the_default_stylesheet_passes():
    base = theme.css_colours(SITE_CSS)
    for role, prop in theme.THEMED:
        assert theme.failing(role, base[prop], base) == [], prop


@pytest.mark.slow
def test_a_weak_accent_is_refused_with_its_line_and_the_nearest_passing_colour(make_site):
    site = make_site({"site.yaml": MINIMAL_SITE_YAML + "theme:\n  accent: \"#6fbf73\"\n"})
    line = MINIMAL_SITE_YAML.count("\n") + 2
    result = build(site)
    assert result.returncode == 1
    match = re.search(rf"^site\.yaml:{line}:\d+: de kleur #6fbf73 is slecht te lezen: .* contrast van "
                      r"(\d\.\d):1, en er is minstens 4\.5:1 nodig \(WCAG AA\)\. De dichtstbijzijnde kleur die "
                      r"wel goed genoeg is: \"(#[0-9a-f]{6})\"\.$", result.stderr, re.M)
    assert match, result.stderr
    assert float(match.group(1)) < 4.5
    assert not (site / "output").exists()
    suggested = match.group(2)
    (site / "site.yaml").write_text(MINIMAL_SITE_YAML + f"theme:\n  accent: \"{suggested}\"\n", encoding="utf-8")
    result = build(site)
    assert result.returncode == 0, result.stderr
    css = stylesheet(site)
    assert f"--accent: {suggested};" in css and css.startswith(SITE_CSS)
    assert theme.contrast(suggested, "#ffffff") >= 4.5


@pytest.mark.slow
def test_a_passing_accent_changes_the_built_stylesheet_and_the_favicon(make_site):
    site = make_site()
    assert build(site).returncode == 0
    plain = stylesheet(site)
    icon = (site / "output" / "favicon.svg").read_bytes()
    (site / "site.yaml").write_text(MINIMAL_SITE_YAML + "theme:\n  accent: \"#1a5e8a\"\n  accent_dark: \"#0f3a57\"\n",
                                    encoding="utf-8")
    assert build(site).returncode == 0
    themed = stylesheet(site)
    assert themed != plain and ":root { --accent: #1a5e8a; --accent-dark: #0f3a57; }" in themed
    assert b"#0f3a57" in (site / "output" / "favicon.svg").read_bytes() != icon
    assert len(list((site / "output" / "css").glob("site.*.css"))) == 1


@pytest.mark.slow
def test_a_weak_dark_accent_under_white_text_is_refused(make_site):
    site = make_site({"site.yaml": MINIMAL_SITE_YAML + "theme:\n  accent_dark: \"#e08a4a\"\n"})
    result = build(site)
    assert result.returncode == 1
    assert "de kleur #e08a4a is slecht te lezen" in result.stderr


@pytest.mark.parametrize("files, theme_yaml, message", [
    ({}, "  logo: img/logo.svg\n  logo_alt: Logo\n", "het logo 'img/logo.svg' bestaat niet"),
    ({"static/img/logo.svg": "geen afbeelding"}, "  logo: img/logo.svg\n  logo_alt: Logo\n",
     "het logo 'img/logo.svg' is geen SVG- of PNG-afbeelding"),
    ({"static/img/logo.png": b"\x89PNG\r\n\x1a\n" + b"\0" * 40}, "  logo: img/logo.png\n",
     "bij het logo hoort een beschrijving"),
    ({}, "  accent: blauw\n", "'blauw' is geen kleur"),
])
def test_logo_and_colour_mistakes_name_their_line(make_site, files, theme_yaml, message):
    site = make_site({"site.yaml": MINIMAL_SITE_YAML + "theme:\n" + theme_yaml, **files})
    result = build(site)
    assert result.returncode == 1
    line = MINIMAL_SITE_YAML.count("\n") + 2
    assert re.search(rf"^site\.yaml:{line}:\d+: {re.escape(message)}", result.stderr, re.M), result.stderr


def test_checked_colours_derives_a_readable_dark_accent():
    problems = Problems()
    colours = theme.checked_colours(Theme(accent="#156470"), SITE_CSS, problems)
    assert problems.errors == []
    assert theme.failing("accent_dark", colours["--accent-dark"], theme.css_colours(SITE_CSS)) == []


@pytest.mark.slow
def test_a_site_adds_a_stylesheet_on_every_page_with_one_small_template(make_site):
    """A site's own base.html of three lines extends the generator's and adds a stylesheet to the head of
    every page, also of the pages that put something of their own in the head (search, news, events)."""
    site = make_site({"templates/base.html": '{% extends "standaard/base.html" %}\n{% block head %}\n'
                                             '<link rel="stylesheet" href="{{ static_url(\'css/eigen.css\') }}">\n'
                                             '{% endblock %}\n',
                      "static/css/eigen.css": "body { letter-spacing: .01em; }\n",
                      "content/nieuws/index.md": "---\ntitle: Nieuws\n---\nNieuws.\n",
                      "content/nieuws/2026-01-01-a.md": "---\ntitle: A\ndate: 2026-01-01\n---\nA.\n",
                      "content/agenda.yaml": "- title: Koffie\n  start: 2026-12-01 10:00\n"})
    result = run_build("--site", str(site), "--now", NOW)
    assert result.returncode == 0, result.stderr
    out = site / "output"
    pages = [p for p in out.rglob("*.html") if "http-equiv=\"refresh\"" not in p.read_text("utf-8")
             and p.parent.name != "admin"]  # the editor page is the web editor's, not a template's
    assert {"index.html", "zoeken/index.html", "nieuws/index.html", "agenda/koffie-2026-12-01/index.html"} <= {
        p.relative_to(out).as_posix() for p in pages}
    (css,) = (out / "css").glob("eigen.*.css")
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert text.count(f'href="/css/{css.name}"') == 1, page
        assert text.count('rel="stylesheet"') == 2, page


@pytest.mark.slow
def test_the_web_editor_opens_the_address_of_the_site_it_is_built_for(make_site):
    """admin/config.yml takes site_url from site.yaml (or --base-url), never another site's address: a
    config.yml copied from another coalition into static/ does not win over the generated one."""
    cms = "cms:\n  repo: coalitie/website\n  auth_url: https://inloggen.voorbeeld.nl\n"
    site = make_site({"site.yaml": MINIMAL_SITE_YAML + cms})
    assert build(site).returncode == 0
    assert "site_url: https://test.example.nl/\n" in (site / "output" / "admin" / "config.yml").read_text("utf-8")
    assert build(site, "--base-url", "https://voorbeeld.example.org/proef/").returncode == 0
    text = (site / "output" / "admin" / "config.yml").read_text("utf-8")
    assert "site_url: https://voorbeeld.example.org/proef/\n" in text and "test.example.nl" not in text


PNG_200_x_60 = b"\x89PNG\r\n\x1a\n" + b"\0\0\0\rIHDR" + (200).to_bytes(4, "big") + (60).to_bytes(4, "big") + b"\0" * 40


@pytest.mark.parametrize("name, data, size", [
    ("img/logo.png", PNG_200_x_60, ("200", "60")),
    ("img/logo.svg", '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320.4 96"><rect '
                     'width="10" height="10"/></svg>', ("320", "96")),
    ("img/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="150px" height="50" viewBox="0 0 3 1"></svg>',
     ("150", "50")),
])
def test_the_logo_keeps_its_space_while_it_loads(make_site, name, data, size):
    site = make_site({"site.yaml": MINIMAL_SITE_YAML + f"theme:\n  logo: {name}\n  logo_alt: Logo van de coalitie\n",
                      f"static/{name}": data})
    assert build(site).returncode == 0
    html = (site / "output" / "index.html").read_text(encoding="utf-8")
    img = re.search(r'<img class="site-logo"[^>]*>', html).group(0)
    assert f'width="{size[0]}" height="{size[1]}"' in img, img


def test_an_svg_logo_without_a_size_is_shown_without_one():
    from sitegen.source.images import svg_size

    assert svg_size(b'<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>') is None
    assert svg_size(b'<svg width="100%" height="100%"></svg>') is None
    assert svg_size(b'<svg viewBox="0 0 0 10"></svg>') is None
