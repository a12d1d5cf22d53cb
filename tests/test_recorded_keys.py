"""Render steps are reused by what they read (issue 25): the recorder, and the stale cases no hand-written
key caught, each as a cached rebuild that must equal a clean build byte for byte."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import NOW, REPO, tree_bytes
from sitegen.core import dates
from sitegen.core.errors import ContentError
from sitegen.incremental.cache import BuildCache
from sitegen.incremental.memo import Steps
from sitegen.incremental.reads import Fingerprints, SiteView
from sitegen.pipeline import BuildOptions, build, generate


# --- the recorder ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = real_copy(tmp_path_factory.mktemp("recorder") / "site")
    return generate(BuildOptions(root=root, output=root / "output", now=dates.parse_now(NOW), use_cache=False,
                                 search=False, workers=1)).site


def test_a_view_records_what_is_read_and_returns_the_same_values(site):
    reads: set = set()
    view = SiteView(site, reads)
    page = view.page_by_url("/volgen/")
    assert (page.title, view.config.title, view.base_url) == (site.page_by_url("/volgen/").title,
                                                              site.config.title, site.base_url)
    assert reads == {("url", "/volgen/"), ("page", "/volgen/", "title"), ("config", "title"), ("site", "base_url")}
    assert replace(page, title="x").title == "x"  # still a Page: a changed copy is made as from the Page
    view.section_pages("zelf-doen")
    assert ("section", "zelf-doen") in reads and ("site", "now") not in reads


def test_a_step_is_reused_when_what_it_did_not_read_changes_and_made_again_when_a_read_changes(site):
    cache = BuildCache()
    made = []

    def render(view, map_fn):
        made.append(view.page_by_url("/volgen/").title)
        return []

    Steps(cache, site).run("step", render)
    other = site.page_by_url("/hulp/")
    changed = replace(site, pages=tuple(replace(p, title="Anders") if p is other else p for p in site.pages),
                      now=site.now.replace(year=2027))
    Steps(cache, changed).run("step", render)
    assert len(made) == 1  # neither another page's title nor the date was read
    follow = site.page_by_url("/volgen/")
    renamed = replace(site, pages=tuple(replace(p, title="Blijf op de hoogte") if p is follow else p
                                        for p in site.pages))
    Steps(cache, renamed).run("step", render)
    assert made == [follow.title, "Blijf op de hoogte"]


def test_a_step_whose_outputs_are_not_kept_reads_the_site_itself_and_records_nothing(site):
    """A build with --no-cache keeps nothing, so noting each read would be work thrown away."""
    seen, prepared = [], []

    def render(view, map_fn):
        seen.append(view)
        return map_fn(lambda url: view.page_by_url(url).title, ["/volgen/"])

    steps = Steps(None, site, prepare=prepared.append)
    assert steps.many([("a", render), ("b", render)], templated=True) == [[site.page_by_url("/volgen/").title]] * 2
    assert seen == [site, site] and all(view is site for view in seen) and prepared == [site]
    kept = Steps(BuildCache(), site)
    kept.run("a", render)
    assert isinstance(seen[-1], SiteView)


def test_fingerprints_of_a_page_that_went_and_of_a_derived_value(site):
    prints = Fingerprints(site)
    assert prints("page\t/bestaat-niet/\ttitle") == "!"
    assert prints("derived\tsitegen.render.help:help_url") == "=/hulp/"


# --- cached rebuilds equal clean ones -------------------------------------------------------------

def real_copy(root: Path) -> Path:
    """This repository's own site (site.yaml and content/), in a folder of its own."""
    root.mkdir(parents=True)
    shutil.copy(REPO / "site.yaml", root / "site.yaml")
    shutil.copytree(REPO / "content", root / "content")
    return root


def built(root: Path, output: Path, use_cache: bool):
    options = BuildOptions(root=root, output=output, now=dates.parse_now(NOW), use_cache=use_cache,
                           search=False, workers=1, demo=True)
    try:
        build(options)
        return tree_bytes(output)
    except ContentError as exc:
        return sorted(p.format() for p in exc.problems)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def rename_follow_page(root: Path) -> None:
    edit(root / "content" / "volgen.md", "title: Op de hoogte blijven", "title: Blijf op de hoogte")


def move_follow_page(root: Path) -> None:
    edit(root / "content" / "volgen.md", "title: Op de hoogte blijven", "title: Op de hoogte blijven\nslug: nieuws-volgen")


def help_page_slug(root: Path) -> None:
    edit(root / "content" / "hulp.md", "template: help_page.html", "template: help_page.html\nslug: hulplijnen")


def helpline(root: Path) -> None:
    text = (root / "site.yaml").read_text(encoding="utf-8")
    start = text.index("helplines:")
    number = next(line for line in text[start:].splitlines() if "phone:" in line)
    edit(root / "site.yaml", number, number.split("phone:")[0] + "phone: 0800-1234567")


def menu_entry(root: Path) -> None:
    edit(root / "site.yaml", "  - title: Zelf doen\n", "  - title: Zelf iets doen\n")


def no_help_in_menu(root: Path) -> None:
    edit(root / "site.yaml", "  - title: Hulp\n    page: hulp.md\n", "")


@pytest.mark.parametrize("before, change", [
    (None, rename_follow_page),
    (None, move_follow_page),
    (no_help_in_menu, help_page_slug),
    (None, helpline),
    (None, menu_entry),
])
def test_a_cached_rebuild_after_an_edit_equals_a_clean_build(tmp_path, before, change):
    root = real_copy(tmp_path / "site")
    if before is not None:
        before(root)
    assert isinstance(built(root, tmp_path / "cached", use_cache=True), dict)
    change(root)
    cached = built(root, tmp_path / "cached", use_cache=True)
    clean = built(root, tmp_path / "clean", use_cache=False)
    assert isinstance(clean, dict), clean
    assert cached == clean


def test_a_rebuild_on_another_day_with_no_file_changed_equals_a_clean_build(tmp_path):
    root = real_copy(tmp_path / "site")
    built(root, tmp_path / "cached", use_cache=True)
    later = dict(root=root, now=dates.parse_now("2026-12-09T08:00"), search=False, workers=1, demo=True)
    build(BuildOptions(output=tmp_path / "cached", use_cache=True, **later))
    build(BuildOptions(output=tmp_path / "clean", use_cache=False, **later))
    assert tree_bytes(tmp_path / "cached") == tree_bytes(tmp_path / "clean")


def test_after_an_edit_every_kept_step_is_current_so_the_next_build_renders_nothing_again(tmp_path):
    """The reads of a step made again are kept under its old name (a step re-made every build would be a
    slow cache, not a wrong one: the comparisons with a clean build cannot see it)."""
    from sitegen.core.paths import site_paths
    from sitegen.source.load import template_digest

    root = real_copy(tmp_path / "site")
    built(root, tmp_path / "out", use_cache=True)
    rename_follow_page(root)
    built(root, tmp_path / "out", use_cache=True)
    kept = {key: value for key, value in BuildCache.load(root).renders.items()
            if isinstance(key, str) and key.startswith("reads\t")}
    site = generate(BuildOptions(root=root, output=tmp_path / "x", now=dates.parse_now(NOW), use_cache=False,
                                 search=False, workers=1, demo=True)).site
    prints = Fingerprints(site, template_digest(site_paths(root)))
    assert "reads\tlistings" in kept
    assert sorted(name for name, value in kept.items() if not prints.still(value[1:])) == []


def test_only_the_listed_derived_values_are_worked_out_again_by_name(site):
    """A name read back from the cache is a stranger's input: it never calls just any function."""
    assert Fingerprints(site)("derived\tsitegen.write.writer:write_site") == "!"
    with pytest.raises(ValueError):
        SiteView(site, set()).derive(len)


def test_a_rebuild_in_the_same_process_works_out_only_the_fingerprints_of_a_changed_page(site, monkeypatch):
    """The dev server keeps its cache in memory: the next build takes over the fingerprints of every page
    equal to the one before, so one page's edit is not a fingerprint of every field of every page."""
    from sitegen.incremental import reads

    worked_out = []
    real = reads.fingerprint
    monkeypatch.setattr(reads, "fingerprint", lambda value: worked_out.append(value) or real(value))
    urls = [page.url for page in site.pages]

    def jobs() -> list:
        return [("page:" + url, lambda view, map_fn, url=url: [view.page_by_url(url).title, view.config.title])
                for url in urls]

    cache = BuildCache()
    Steps(cache, site).many(jobs())
    assert len(worked_out) > 2 * len(urls)  # each page's title and whether it is there, the setting
    edited = site.pages[1]
    changed = replace(site, pages=tuple(replace(p, title="Anders") if p is edited else p for p in site.pages))
    worked_out.clear()
    made = Steps(cache, changed).many(jobs())
    assert made == [["Anders" if url == edited.url else site.page_by_url(url).title, site.config.title]
                    for url in urls]
    assert sorted(map(str, worked_out)) == sorted(["Anders", "True", site.config.title])
