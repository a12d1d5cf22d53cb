"""Search without a browser: the A-to-Z list, and a failed Pagefind run never replaces a good site."""

from __future__ import annotations

import sys

import pytest

from conftest import NOW, run_build, tree_bytes
from sitegen import dates, search
from sitegen.errors import ContentError
from sitegen.pipeline import BuildOptions, build

PAGES = {
    "content/over.md": "---\ntitle: Over ons\n---\n\nWie we zijn.\n",
    "content/eten.md": "---\ntitle: Eén keer per week samen eten\n---\n\nSamen eten.\n",
    "content/activiteiten.md": "---\ntitle: activiteiten\n---\n\nWat er te doen is.\n",
}


def test_the_search_page_lists_every_page_from_a_to_z_with_accents_and_case_ignored(make_site, tmp_path):
    site = make_site(PAGES)
    out = tmp_path / "out"
    assert run_build("--site", str(site), "--output", str(out), "--now", NOW).returncode == 0
    html = (out / "zoeken" / "index.html").read_text(encoding="utf-8")
    order = [html.index(f">{title}</a>") for title in ("activiteiten", "Eén keer per week samen eten",
                                                        "Over ons", "Welkom")]
    assert order == sorted(order)
    assert "zoeken werkt alleen als JavaScript aan staat" in html
    assert (out / "pagefind" / "pagefind.js").is_file()
    assert not (out / "pagefind" / "pagefind-ui.js").exists()


def test_a_failing_search_index_leaves_the_last_good_site_in_place(make_site, tmp_path, monkeypatch):
    site = make_site(PAGES)
    out = tmp_path / "out"
    options = BuildOptions(root=site, output=out, now=dates.parse_now(NOW))
    build(options)
    before = tree_bytes(out)
    (site / "content" / "over.md").write_text("---\ntitle: Anders\n---\n\nNieuw.\n", encoding="utf-8")
    monkeypatch.setattr(search, "pagefind_command", lambda: [sys.executable, "-c", "raise SystemExit(3)"])
    with pytest.raises(ContentError) as caught:
        build(options)
    assert "zoekindex" in caught.value.problems[0].message
    assert tree_bytes(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []
