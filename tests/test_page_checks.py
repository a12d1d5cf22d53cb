"""Checks of a page's text alone (the form of address, click trackers, links as typed, placeholder sentences)
are kept in the build cache per page: a rebuild after a one-page edit checks that page again and no other,
and a changed setting the check reads (address_form) checks every page again. The warnings stay those of a
clean build, in the same order."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import NOW
from sitegen.core import dates
from sitegen.pipeline import BuildOptions, build
from sitegen.source import address, assemble

PAGES = 6


def page(number: int) -> str:
    form = "je" if number % 2 else "u"
    return (f"---\ntitle: Pagina {number}\ndescription: Over pagina {number}.\n---\n\n"
            f"Hier leest {form} over onderwerp {number}. Bel gerust als {form} vragen hebt.\n")


@pytest.fixture
def site(make_site):
    return make_site({f"content/pagina{n}.md": page(n) for n in range(PAGES)})


@pytest.fixture
def calls(monkeypatch):
    """How many pages each check looked at (by its function, which the build looks up on each call)."""
    counted = {"address": 0, "text": 0}

    def counting(kind, function):
        def wrapper(*args):
            counted[kind] += 1
            return function(*args)
        return wrapper

    monkeypatch.setattr(address, "page_hint", counting("address", address.page_hint))
    monkeypatch.setattr(assemble, "text_problems", counting("text", assemble.text_problems))
    return counted


def built(site: Path, use_cache: bool = True) -> list[str]:
    """The warnings of a build, in their order."""
    output = site.parent / ("output" if use_cache else "clean")
    result = build(BuildOptions(root=site, output=output, now=dates.parse_now(NOW), use_cache=use_cache,
                                workers=1))
    return [p.format() for p in result.warnings]


def test_a_one_page_edit_checks_that_page_alone_and_a_new_address_form_every_page(site, calls):
    pages = PAGES + 1  # and the home page
    built(site)
    assert calls == {"address": pages, "text": pages}

    edited = site / "content" / "pagina2.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nJij bent welkom.\n", encoding="utf-8")
    calls.update(address=0, text=0)
    warnings = built(site)
    assert calls == {"address": 1, "text": 1}
    assert warnings == built(site, use_cache=False)
    assert any("pagina2.md" in w and "'Jij'" in w for w in warnings)

    yaml = site / "site.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8") + "address_form: je\n", encoding="utf-8")
    calls.update(address=0, text=0)
    warnings = built(site)
    assert calls == {"address": pages, "text": 0}
    assert warnings == built(site, use_cache=False)
    assert any("pagina0.md" in w and "site gebruikt 'je'" in w for w in warnings)
