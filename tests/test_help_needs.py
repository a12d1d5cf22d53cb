"""The help page of this repository's own site: each kind of need (mood, grief, carers, memory, money) has
a short section with someone to contact, and every helpline and the welfare organisation can be tapped."""

import re

import pytest

from conftest import NOW, REPO, run_build

NEEDS = {"Het gaat niet goed met me": ["tel:0880767000", "tel:08000113"],
         "Iemand verloren": ["tel:0880767000"],
         "U zorgt voor iemand": ["tel:0881651200"],
         "Zorgen over het geheugen": ["tel:08005088"],
         "Geldzorgen": ["https://www.middendrenthe.nl", "tel:0881651200"]}


@pytest.fixture(scope="module")
def public(tmp_path_factory):
    out = tmp_path_factory.mktemp("help") / "output"
    result = run_build("--output", str(out), "--now", NOW, "--no-search", "-q")
    assert result.returncode == 0, result.stderr
    return out


def sections(html: str) -> dict[str, str]:
    """Each h2 of the page's text with what follows it, up to the next h2."""
    parts = re.split(r"<h2[^>]*>(.*?)</h2>", html)
    return {re.sub(r"<[^>]+>", "", parts[i]).strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


@pytest.mark.parametrize("need", NEEDS)
def test_each_need_has_a_section_with_someone_to_contact(public, need):
    found = sections((public / "hulp" / "index.html").read_text(encoding="utf-8"))
    assert need in found, sorted(found)
    for target in NEEDS[need]:
        assert f'href="{target}' in found[need], (need, target)


def test_every_helpline_in_site_yaml_is_on_the_help_page_and_can_be_tapped(public):
    html = (public / "hulp" / "index.html").read_text(encoding="utf-8")
    site_yaml = (REPO / "site.yaml").read_text(encoding="utf-8")
    helplines = site_yaml.split("helplines:")[1].split("\nfeeds:")[0]
    for name in re.findall(r"- name: (.+)", helplines):
        assert name.strip() in html.replace("&#39;", "'"), name
    for phone in re.findall(r"phone: \"?([0-9 -]+)\"?", helplines):
        assert f'href="tel:{re.sub(r"[^0-9]", "", phone)}"' in html, phone


def test_the_contact_page_gives_the_phone_number_and_website(public):
    html = (public / "contact" / "index.html").read_text(encoding="utf-8")
    main = html[html.index("<main"):html.index("</main>")]
    assert 'href="tel:0881651200"' in main and 'href="https://www.welzijnswerkmd.nl"' in main


def test_every_organisation_on_the_help_page_links_to_its_website_when_site_yaml_has_one(public):
    html = (public / "hulp" / "index.html").read_text(encoding="utf-8")
    top = html[html.index('class="help-top"'):html.index("</section>", html.index('class="help-top"'))]
    site_yaml = (REPO / "site.yaml").read_text(encoding="utf-8")
    for url in re.findall(r"^\s+url: (https://\S+)", site_yaml, flags=re.M):
        if url in site_yaml.split("helplines:")[1] or url == "https://www.welzijnswerkmd.nl":
            assert f'href="{url}"' in top, url
