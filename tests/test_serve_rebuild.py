"""The dev server's rebuild after one edit does only what the edit touched (issue 25, item 6): an unchanged
page keeps its modelled object, only the render steps that read what changed are looked at, and the
terminal lists the new warnings, not every warning again. What the rebuild makes is still the whole site
(tests/test_rebuild_equals_clean.py checks that on random edits)."""

from __future__ import annotations

import os

import pytest

from conftest import NOW
from sitegen.core import dates
from sitegen.incremental import reads
from sitegen.incremental.cache import BuildCache
from sitegen.pipeline import BuildOptions, generate

OLD = 1_600_000_000  # old enough for the cache to trust a file's size and times (load.RACY_SECONDS)


def _age(site) -> None:
    for folder, folders, names in os.walk(site, topdown=False):
        for name in names + folders:
            os.utime(os.path.join(folder, name), (OLD, OLD))


def _edit(site, rel: str, text: str) -> None:
    path = site / rel
    path.write_text(text, encoding="utf-8")
    os.utime(path, (OLD + 60, OLD + 60))


def _page(title: str, body: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\n{extra}---\n\n{body}\n"


@pytest.fixture
def site(make_site):
    files = {f"content/thema/pagina{n}.md": _page(f"Pagina {n}", f"Tekst van pagina {n}.") for n in range(6)}
    files["content/thema/index.md"] = _page("Thema", "Alle pagina's over dit thema.")
    files["content/volgen.md"] = _page("Volg ons", "Volg ons op de site.")
    site = make_site(files)
    _age(site)
    return site


def _options(site) -> BuildOptions:
    return BuildOptions(root=site, output=site / "output", now=dates.parse_now(NOW), drafts=True, demo=True)


def _files(result) -> dict[str, bytes]:
    return {o.path: o.data for o in result.outputs}


def test_an_unchanged_page_keeps_its_model_object_across_rebuilds(site):
    cache = BuildCache()
    first = generate(_options(site), cache=cache)
    _edit(site, "content/thema/pagina1.md", _page("Pagina 1", "Een nieuwe tekst."))
    second = generate(_options(site), cache=cache)
    assert second.site.page_by_url("/thema/pagina2/") is first.site.page_by_url("/thema/pagina2/")
    assert second.site.page_by_url("/thema/pagina1/") is not first.site.page_by_url("/thema/pagina1/")
    assert "Een nieuwe tekst." in str(second.site.page_by_url("/thema/pagina1/").body_html)
    assert _files(second) == _files(generate(_options(site)))  # as a build without a cache


def test_a_page_whose_links_changed_is_modelled_again(site):
    """A page's model follows from its file and its conversion; a link to a page that went is one of those."""
    _edit(site, "content/thema/pagina3.md", _page("Pagina 3", "Zie [pagina 4](pagina4.md)."))
    cache = BuildCache()
    generate(_options(site), cache=cache)
    (site / "content/thema/pagina4.md").unlink()
    with pytest.raises(Exception, match="pagina4.md"):
        generate(_options(site), cache=cache)


def test_a_body_edit_checks_only_the_steps_that_read_the_page(site, monkeypatch):
    cache = BuildCache()
    generate(_options(site), cache=cache)
    generate(_options(site), cache=cache)  # every step checked once against this build's fingerprints
    looked = []
    real = reads.Fingerprints.still
    monkeypatch.setattr(reads.Fingerprints, "still", lambda self, kept, start=0: looked.append(kept) or real(
        self, kept, start))
    _edit(site, "content/thema/pagina1.md", _page("Pagina 1", "Een nieuwe tekst."))
    result = generate(_options(site), cache=cache)
    pages = sum(1 for path in _files(result) if path.endswith("index.html"))
    assert 0 < len(looked) < pages / 2
    assert _files(result) == _files(generate(_options(site)))


def test_an_edit_of_a_page_others_show_renders_those_again(site):
    """A title shown in the section's list and the follow link read by every page: their steps are made
    again, also when the build before found them unchanged without looking."""
    cache = BuildCache()
    generate(_options(site), cache=cache)
    _edit(site, "content/thema/pagina5.md", _page("Pagina 5", "Andere tekst."))
    generate(_options(site), cache=cache)
    _edit(site, "content/thema/pagina2.md", _page("Een nieuwe titel", "Tekst van pagina 2."))
    result = generate(_options(site), cache=cache)
    assert "Een nieuwe titel" in _files(result)["thema/index.html"].decode()
    assert _files(result) == _files(generate(_options(site)))
    _edit(site, "content/volgen.md", _page("Volg ons nu", "Volg ons op de site."))
    result = generate(_options(site), cache=cache)
    assert _files(result) == _files(generate(_options(site)))


def test_a_body_edit_sorts_its_own_section_alone_and_a_page_added_or_moved_is_listed(make_site):
    """Which pages a section lists is worked out again only for a section a page came into, left or
    changed in (reads._changed_pages): a body edit of one page sorts the pages of its own section alone
    (at 10,000 pages grouping and sorting every page took 0.015-0.02 s of each save); a page added to one
    section, or moved to the other, is listed there and no longer in the first."""
    sections = ("thema", "buurt")
    files = {f"content/{section}/pagina{n}.md": _page(f"Pagina {section} {n}", f"Tekst {n}.")
             for section in sections for n in range(3)}
    files.update({f"content/{section}/index.md": _page(section.title(), "Alle pagina's.") for section in sections})
    site = make_site(files)
    _age(site)
    cache = BuildCache()
    generate(_options(site), cache=cache)
    generate(_options(site), cache=cache)
    _edit(site, "content/thema/pagina1.md", _page("Pagina thema 1", "Een nieuwe tekst."))
    result = generate(_options(site), cache=cache)
    assert set(vars(result.site).get("_sections", {})) <= {"thema"}  # the pages of each section asked for
    _edit(site, "content/buurt/nieuw.md", _page("Een nieuwe buurtpagina", "Nieuw."))
    result = generate(_options(site), cache=cache)
    assert "Een nieuwe buurtpagina" in _files(result)["buurt/index.html"].decode()
    (site / "content/thema/pagina2.md").rename(site / "content/buurt/pagina2.md")
    result = generate(_options(site), cache=cache)
    assert "Pagina thema 2" in _files(result)["buurt/index.html"].decode()
    assert "Pagina thema 2" not in _files(result)["thema/index.html"].decode()
    assert _files(result) == _files(generate(_options(site)))


def test_a_save_lists_the_pages_for_the_sitemap_again_only_when_the_files_made_or_aliases_changed(site, monkeypatch):
    """The sitemap's extra pages (sitemap.listed_urls) follow from the paths of the files made and the pages'
    aliases: a body edit keeps the list of the build before (Steps.listed_urls); a new page or alias does not."""
    from sitegen.incremental import memo

    listed: list[int] = []
    real = memo.listed_urls
    monkeypatch.setattr(memo, "listed_urls", lambda site, outputs: listed.append(len(outputs)) or real(site, outputs))
    cache = BuildCache()
    generate(_options(site), cache=cache)
    _edit(site, "content/thema/pagina1.md", _page("Pagina 1", "Een nieuwe tekst."))
    result = generate(_options(site), cache=cache)
    assert len(listed) == 1
    _edit(site, "content/thema/pagina9.md", _page("Pagina 9", "Nieuw."))
    result = generate(_options(site), cache=cache)
    _edit(site, "content/thema/pagina2.md", _page("Pagina 2", "Tekst.", "aliases: [/oud/]\n"))
    result = generate(_options(site), cache=cache)
    assert len(listed) == 3
    assert _files(result) == _files(generate(_options(site)))


def test_a_step_left_out_of_one_rebuild_is_checked_whole_in_the_next(site):
    """A page gone for one rebuild, while something it reads changed, comes back made with the change."""
    cache = BuildCache()
    generate(_options(site), cache=cache)
    generate(_options(site), cache=cache)
    kept = (site / "content/thema/pagina4.md").read_text(encoding="utf-8")
    (site / "content/thema/pagina4.md").unlink()
    yaml = (site / "site.yaml").read_text(encoding="utf-8")
    _edit(site, "site.yaml", yaml.replace("title:", "title: Nieuw", 1))
    generate(_options(site), cache=cache)
    _edit(site, "content/thema/pagina4.md", kept)
    result = generate(_options(site), cache=cache)
    assert _files(result) == _files(generate(_options(site)))


LONG = "Een heel lange titel die veel te lang is voor zoekmachines en dus een waarschuwing geeft aan de redactie"


def test_the_terminal_lists_the_new_warnings_and_counts_the_others(site):
    """At 10,000 pages the terminal listed 9,147 warnings again on every save: the one just caused was lost."""
    from sitegen.tools.serve.live import LiveSite

    _edit(site, "content/thema/pagina1.md", _page(LONG, "Tekst van pagina 1."))
    logs: list[str] = []
    live = LiveSite(_options(site), log=logs.append)
    try:
        live.rebuild()
        assert "1 waarschuwing (ook bovenaan elke pagina in de browser)" in logs[0]
        assert logs[1].startswith("  content/thema/pagina1.md:2:1: waarschuwing: de titel is lang")
        assert len(logs) == 2
        logs.clear()
        _edit(site, "content/thema/pagina2.md", _page(LONG, "Tekst van pagina 2."))
        live.rebuild()
        assert "2 waarschuwingen (ook bovenaan" in logs[0]
        assert logs[1].startswith("  content/thema/pagina2.md:2:1: waarschuwing: de titel is lang")
        assert logs[2:] == ["  En 1 waarschuwing die hier al eerder stond."]
        logs.clear()
        _edit(site, "content/thema/pagina3.md", _page("Pagina 3", "Een andere tekst."))
        live.rebuild()
        assert logs[1:] == ["  En 2 waarschuwingen die hier al eerder stonden."]
    finally:
        live.close()


def test_the_search_index_hashes_only_the_documents_that_changed(site, monkeypatch):
    from sitegen.incremental import memo

    cache = BuildCache()
    generate(_options(site), cache=cache)
    hashed = []
    real = memo.digest
    monkeypatch.setattr(memo, "digest", lambda *values: hashed.append(values[0]) or real(*values))
    _edit(site, "content/thema/pagina1.md", _page("Pagina 1", "Een nieuwe tekst."))
    result = generate(_options(site), cache=cache)
    assert hashed.count("sitegen.render.search.document_entry") == 1
    monkeypatch.undo()
    assert _files(result) == _files(generate(_options(site)))


def test_a_folder_whose_entries_did_not_change_is_not_listed_again(site, monkeypatch):
    from sitegen.source import load

    cache = BuildCache()
    generate(_options(site), cache=cache)
    listed = []
    real = load._list_folder
    monkeypatch.setattr(load, "_list_folder", lambda folder: listed.append(folder) or real(folder))
    _edit(site, "content/thema/pagina1.md", _page("Pagina 1", "Een nieuwe tekst."))
    generate(_options(site), cache=cache)
    assert not [folder for folder in listed if folder.startswith(str(site / "content"))]
    (site / "content/thema/nieuw.md").write_text(_page("Nieuw", "Een nieuwe pagina."), encoding="utf-8")
    result = generate(_options(site), cache=cache)
    assert str(site / "content/thema") in listed
    assert result.site.page_by_url("/thema/nieuw/") is not None
    assert _files(result) == _files(generate(_options(site)))


AGENDA = """\
- id: koffie
  title: Koffie in Beilen
  start: 2026-12-01 10:00
  end: 11:30
  location:
    name: Dorpshuis
    place: Beilen
  repeat:
    every: week
    on: dinsdag
    until: 2027-06-29
- id: nacht
  title: Nachtwandeling
  start: 2027-10-31 02:30{offset}
  end: 2027-10-31 03:45
  location:
    name: Brink
    place: Beilen
"""


def test_a_page_edit_keeps_the_activities_and_their_dates_and_fingerprints(site, monkeypatch):
    """The dev server's rebuild after a page edit takes the activities, their dates and their fingerprints
    over from the build before (at 10,000 pages pickling them again was a third of the rebuild)."""
    _edit(site, "content/agenda.yaml", AGENDA.format(offset="+02:00"))
    cache = BuildCache()
    first = generate(_options(site), cache=cache)
    counted = []
    real = reads.occurrences_fingerprint
    monkeypatch.setattr(reads, "occurrences_fingerprint", lambda *a: counted.append(1) or real(*a))
    _edit(site, "content/thema/pagina1.md", _page("Pagina 1", "Een nieuwe tekst."))
    second = generate(_options(site), cache=cache)
    assert second.site.events is first.site.events and second.site.occurrences is first.site.occurrences
    assert counted == []
    assert _files(second) == _files(generate(_options(site)))


def test_an_activity_moved_to_the_other_half_hour_of_the_night_the_clocks_go_back_is_built_again(site):
    """02:30+02:00 and 02:30+01:00 are == in Python (same zone, fold passed over), yet an hour apart: the
    activities the build before modelled are not taken over for them."""
    _edit(site, "content/agenda.yaml", AGENDA.format(offset="+02:00"))
    cache = BuildCache()
    first = generate(_options(site), cache=cache)
    _edit(site, "content/agenda.yaml", AGENDA.format(offset="+01:00"))
    second = generate(_options(site), cache=cache)
    assert second.site.events is not first.site.events
    assert [e.start.fold for e in second.site.events] == [0, 1]
    assert _files(second) == _files(generate(_options(site)))


def test_a_save_works_out_the_url_of_the_saved_page_alone(site, monkeypatch):
    """An unchanged page (the same source object) keeps the URL the build before gave it (assemble.page_urls)."""
    from sitegen.source import assemble

    asked: list[str] = []
    real = assemble.page_url
    monkeypatch.setattr(assemble, "page_url", lambda rel, slug=None: asked.append(rel) or real(rel, slug))
    cache = BuildCache()
    generate(_options(site), cache=cache)
    assert len(asked) == 9
    asked.clear()
    _edit(site, "content/thema/pagina1.md", _page("Pagina 1", "Een nieuwe tekst.", "slug: een\n"))
    result = generate(_options(site), cache=cache)
    assert asked == ["thema/pagina1.md"]
    assert result.site.page_by_url("/thema/een/") is not None
    assert _files(result) == _files(generate(_options(site)))


def test_a_warning_made_again_as_a_new_object_is_not_new_and_one_that_came_back_is():
    """The terminal finds the warnings of the build before by identity (10,000 of them at 10,000 pages); a
    warning made again (the saved page's) is still found by its equality, also beside itself."""
    from sitegen.core.errors import Location, Problem
    from sitegen.tools.serve.live import _not_told

    def warning(page: str) -> Problem:
        return Problem(Location(f"content/{page}.md", 2, 1), "de titel is lang", "waarschuwing")

    a, b, c = warning("a"), warning("b"), warning("c")
    told = {id(w): w for w in (a, b)}
    assert _not_told([a, b], told) == []
    assert _not_told([a, warning("b")], told) == []  # the saved page's warning, made again
    assert _not_told([a, warning("a"), b], told) == []  # beside itself
    assert _not_told([a, b, c], told) == [c]
    assert _not_told([warning("c"), a], {id(a): a}) == [warning("c")]


# -- the file watcher says which files changed: the others are not looked at ----------------------------

def test_a_save_the_watcher_reports_looks_at_that_page_file_alone(site, monkeypatch):
    """At 10,000 pages a stat of every page file took 0.05 s of each save. The server's rebuild trusts the
    watcher: it looks at the files the events named (and at those too new to trust) and takes the others
    as the build before found them."""
    import dataclasses

    from sitegen.source import unchanged

    looked: list[str] = []
    real = unchanged.stat_key
    monkeypatch.setattr(unchanged, "stat_key", lambda path: looked.append(path.name) or real(path))
    cache = BuildCache()
    generate(_options(site), cache=cache)
    assert len(looked) == 9  # every page file at the first build
    saved = site / "content/thema/pagina1.md"
    _edit(site, "content/thema/pagina1.md", _page("Pagina 1", "Een nieuwe tekst."))
    looked.clear()
    result = generate(dataclasses.replace(_options(site), changed=frozenset({str(saved)})), cache=cache)
    assert looked == ["pagina1.md"]
    assert "Een nieuwe tekst." in str(result.site.page_by_url("/thema/pagina1/").body_html)
    assert _files(result) == _files(generate(_options(site)))


def test_a_change_no_event_reported_is_found_once_the_files_are_quiet(site):
    """An event can get lost (a full event queue, a network share): the server asks missed() when the files
    have been quiet for a while, and a yes makes it rebuild with every file looked at."""
    from sitegen.tools.serve.live import LiveSite

    live = LiveSite(_options(site), log=lambda *a: None)
    try:
        assert not live.rebuild().failed
        assert not live.missed()
        _edit(site, "content/thema/pagina2.md", _page("Pagina 2", "Stil gewijzigd."))
        live.rebuild(frozenset())  # no event named it: taken as it was
        assert b"Stil gewijzigd." not in live.snapshot.files["thema/pagina2/index.html"]
        assert live.missed()
        live.rebuild()
        assert b"Stil gewijzigd." in live.snapshot.files["thema/pagina2/index.html"]
        assert not live.missed()
    finally:
        live.close()


def test_a_page_saved_just_before_a_rebuild_and_changed_again_unreported_is_found_too(site):
    """A file saved in the last seconds is not trusted by its size and times (load.RACY_SECONDS); what it was
    like when read is kept, so a change after that which no event reported is found once the files are quiet."""
    from sitegen.tools.serve.live import LiveSite

    live = LiveSite(_options(site), log=lambda *a: None)
    try:
        page = site / "content/thema/pagina2.md"
        page.write_text(_page("Pagina 2", "Net opgeslagen."), encoding="utf-8")  # now: too new to trust
        assert not live.rebuild().failed
        assert not live.missed()
        page.write_text(_page("Pagina 2", "Daarna nog eens anders opgeslagen."), encoding="utf-8")
        assert live.missed()
    finally:
        live.close()


def test_the_watcher_names_the_saved_files_and_any_folder_event_makes_it_look_at_all(monkeypatch, tmp_path):
    """The events since the last rebuild, each file (a rename's both names); a folder made, moved or removed
    sends no event for the files in it, so then every file is looked at. Quiet after a rebuild, the watcher
    asks missed() once, and a yes rebuilds with every file looked at."""
    import threading
    import time

    from watchdog.events import DirCreatedEvent, DirModifiedEvent, FileClosedEvent, FileMovedEvent

    from sitegen.tools.serve import watch

    class Live:
        closing = False
        missing = False
        asked = 0

        def __init__(self):
            self.rebuilt: list = []
            self.done = threading.Event()

        def rebuild(self, saved=None):
            self.rebuilt.append(saved)
            self.done.set()

        def tidy(self, waiting, collect):
            pass

        def missed(self):
            self.asked += 1
            return self.missing

    monkeypatch.setattr(watch, "SAVED_QUIET_SECONDS", 0.0)
    monkeypatch.setattr(watch, "TIDY_SECONDS", 0.3)
    content = tmp_path / "content"
    live = Live()
    rebuilder = watch.Rebuilder(live, tmp_path, ignore=())
    rebuilder.last_event = time.monotonic()
    rebuilder.thread.start()

    def rebuilt_after(*events) -> object:
        live.done.clear()
        for event in events:
            rebuilder.on_any_event(event)
        assert live.done.wait(10)
        return live.rebuilt[-1]

    try:
        assert rebuilt_after(FileClosedEvent(str(content / "a.md")), DirModifiedEvent(str(content))) == \
            frozenset({str(content / "a.md")})
        assert rebuilt_after(FileMovedEvent(str(content / "b.md"), str(content / "c.md"))) == \
            frozenset({str(content / "b.md"), str(content / "c.md")})
        assert rebuilt_after(DirCreatedEvent(str(content / "nieuw")), FileClosedEvent(str(content / "d.md"))) is None
        time.sleep(1.0)
        assert live.asked == 1 and len(live.rebuilt) == 3  # asked once in the quiet, and nothing was missed
        live.missing = True
        live.done.clear()
        rebuilder.checked = False  # as after a rebuild
        assert live.done.wait(10) and live.rebuilt[-1] is None
    finally:
        live.closing = True
        rebuilder.pending.set()
        rebuilder.thread.join(5)
