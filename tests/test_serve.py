"""`build.py serve`: serves the site, rebuilds on a change, reloads the tab, shows content errors in Dutch."""

import os
import http.client
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from conftest import NOW, REPO
from sitegen.core import dates
from sitegen.pipeline import BuildOptions
from sitegen.tools.serve.command import start
from sitegen.tools.serve.preview import SCRIPT_TAG

TIMEOUT = 2.0


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


class Events:
    """A live-reload listener, as the browser tab has one."""

    def __init__(self, url: str):
        host, port = re.match(r"http://([^:/]+):(\d+)/", url).groups()
        self.conn = http.client.HTTPConnection(host, int(port), timeout=TIMEOUT + 1)
        self.conn.request("GET", "/__livereload")
        self.response = self.conn.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type") == "text/event-stream"

    def wait_for_reload(self, within: float = TIMEOUT) -> float:
        started = time.monotonic()
        while time.monotonic() - started < within:
            line = self.response.readline().decode()
            if line.startswith("event: reload"):
                return time.monotonic() - started
        raise AssertionError(f"no reload event within {within} s")

    def close(self):
        self.conn.close()


@pytest.fixture
def served(make_site):
    site = make_site({"content/over.md": "---\ntitle: Over ons\n---\n\nWij zijn een coalitie.\n"})
    logs = []
    options = BuildOptions(root=site, output=site / "output", now=dates.parse_now(NOW))
    running = start(options, port=0, log=logs.append)
    try:
        yield site, running, logs
    finally:
        running.stop()


def test_serves_pages_with_the_reload_script_and_writes_no_output(served):
    site, running, _ = served
    status, page = fetch(running.url + "over/")
    assert status == 200 and "Wij zijn een coalitie." in page
    assert SCRIPT_TAG in page and page.index(SCRIPT_TAG) < page.index("</head>")
    assert fetch(running.url + "__livereload.js")[0] == 200
    assert fetch(running.url + "bestaat-niet/")[0] == 404
    assert not (site / "output").exists()


def test_change_broken_and_fixed_content_all_reach_the_browser(served):
    site, running, logs = served
    page = site / "content" / "over.md"
    events = Events(running.url)
    try:
        page.write_text("---\ntitle: Over ons\n---\n\nWij zijn een nieuwe coalitie.\n", encoding="utf-8")
        assert events.wait_for_reload() < TIMEOUT
        status, text = fetch(running.url + "over/")
        assert status == 200 and "Wij zijn een nieuwe coalitie." in text

        page.write_text("---\ntitel: Over ons\n---\n\nTekst.\n", encoding="utf-8")
        events.wait_for_reload()
        status, text = fetch(running.url + "over/")
        assert status == 500
        assert "De site kan niet gebouwd worden" in text and 'lang="nl"' in text
        assert "content/over.md:2:1" in text and "onbekende sleutel &#x27;titel&#x27;" in text
        assert SCRIPT_TAG in text, "the error page must reload itself once the file is fixed"
        assert any("content/over.md:2:1" in line for line in logs)

        page.write_text("---\ntitle: Over ons\n---\n\nWeer goed.\n", encoding="utf-8")
        events.wait_for_reload()
        status, text = fetch(running.url + "over/")
        assert status == 200 and "Weer goed." in text
    finally:
        events.close()


def test_a_page_asked_for_during_a_rebuild_is_answered_with_the_rebuilt_page(served, monkeypatch):
    """A request that comes while a rebuild runs waits for it (doing no work meanwhile) and gets the page as
    just saved, not the one before the save."""
    import threading

    from sitegen.tools.serve import live as live_module

    site, running, _ = served
    started, release = threading.Event(), threading.Event()
    real = live_module.generate
    monkeypatch.setattr(live_module, "generate",
                        lambda *a, **k: (started.set(), release.wait(10), real(*a, **k))[2])
    (site / "content" / "over.md").write_text("---\ntitle: Over ons\n---\n\nNet bewaard.\n", encoding="utf-8")
    assert started.wait(10)  # the watcher's rebuild runs (held until release)
    answers = []
    asking = threading.Thread(target=lambda: answers.append(fetch(running.url + "over/")))
    asking.start()
    asking.join(0.5)
    assert not answers, "answered while the rebuild ran"
    release.set()
    asking.join(10)
    assert answers and answers[0][0] == 200 and "Net bewaard." in answers[0][1]


def test_a_rebuild_that_takes_long_does_not_hold_a_request_longer_than_the_wait(served, monkeypatch):
    """A template change at 10,000 pages rebuilds for longer than anyone should wait for a page: after
    REBUILD_WAIT_SECONDS the request gets the last build, and the rebuilt page comes once it is there."""
    import threading
    import time

    from sitegen.tools.serve import live as live_module

    site, running, _ = served
    started, release = threading.Event(), threading.Event()
    real = live_module.generate
    monkeypatch.setattr(live_module, "REBUILD_WAIT_SECONDS", 0.3)
    monkeypatch.setattr(live_module, "generate",
                        lambda *a, **k: (started.set(), release.wait(10), real(*a, **k))[2])
    (site / "content" / "over.md").write_text("---\ntitle: Over ons\n---\n\nLang bezig.\n", encoding="utf-8")
    assert started.wait(10)
    asked = time.monotonic()
    status, body = fetch(running.url + "over/")
    waited = time.monotonic() - asked
    assert status == 200 and "Lang bezig." not in body and 0.25 <= waited < 5, waited
    release.set()
    deadline = time.monotonic() + 10
    while "Lang bezig." not in fetch(running.url + "over/")[1]:
        assert time.monotonic() < deadline, "the rebuilt page never came"
        time.sleep(0.05)


def test_the_last_good_build_keeps_serving_files_while_content_is_broken(served):
    site, running, _ = served
    stylesheet = re.search(r'href="(/css/site\.[0-9a-f]+\.css)"', fetch(running.url)[1]).group(1)
    events = Events(running.url)
    try:
        (site / "content" / "over.md").write_text("---\ntitle: [kapot\n---\n", encoding="utf-8")
        events.wait_for_reload()
        assert fetch(running.url + "over/")[0] == 500
        status, css = fetch(running.url + stylesheet.lstrip("/"))
        assert status == 200 and css
    finally:
        events.close()


def test_a_template_change_is_picked_up(served):
    site, running, _ = served
    events = Events(running.url)
    try:
        (site / "templates").mkdir()
        (site / "templates" / "page.html").write_text(
            '{% extends "standaard/page.html" %}{% block title %}Eigen sjabloon{% endblock %}', encoding="utf-8")
        events.wait_for_reload()
        assert "<title>Eigen sjabloon" in fetch(running.url + "over/")[1]
    finally:
        events.close()


@pytest.mark.slow
def test_ctrl_c_stops_the_command_cleanly(make_site):
    site = make_site()
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--port", "0", "--site", str(site),
                                "--now", NOW], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/", line).group(0)
        assert fetch(url)[0] == 200
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
        assert process.returncode == 0, err
        assert "Gestopt." in out and "Traceback" not in err
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_ctrl_c_the_moment_the_server_says_it_is_ready_is_a_clean_stop(make_site, monkeypatch, capsys):
    """The ready line says "Stoppen: Ctrl-C"; a Ctrl-C that came right after it, before the command waited
    for it, ended with exit 130 and "Afgebroken; output/ is niet veranderd." (3 of 15 times when sent at
    once after the line, and so in CI once): here the Ctrl-C comes as the line is printed."""
    from sitegen.tools.serve import command

    def ready_then_ctrl_c(*args, **kwargs):
        print(*args, **kwargs)
        if args and str(args[0]).startswith("De site staat klaar"):
            raise KeyboardInterrupt

    monkeypatch.setattr(command, "print", ready_then_ctrl_c, raising=False)
    site = make_site()
    options = BuildOptions(root=site, output=site / "output", now=dates.parse_now(NOW))
    try:
        code = command.main(options, port=0)
    except KeyboardInterrupt:  # not raised on: pytest would take it for the tester's own Ctrl-C and stop the run
        pytest.fail("the Ctrl-C came out of the serve command (build.py then exits 130)")
    assert code == 0
    assert "Gestopt." in capsys.readouterr().out


@pytest.mark.slow
def test_a_taken_port_is_a_clear_message(make_site):
    import socket
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, str(REPO / "build.py"), "serve", "--port", str(port),
                                 "--site", str(make_site())], capture_output=True, text=True, timeout=30)
    assert result.returncode == 1 and f"--port {port + 1}" in result.stderr


LONG_TITLE = "Een heel lange titel die veel te lang is voor zoekmachines en dus een waarschuwing geeft aan de redactie"


@pytest.fixture
def served_with_warning(make_site):
    site = make_site({"content/over.md": f"---\ntitle: {LONG_TITLE}\n---\n\nWij zijn een coalitie.\n"})
    logs = []
    options = BuildOptions(root=site, output=site / "output", now=dates.parse_now(NOW))
    running = start(options, port=0, log=logs.append)
    try:
        yield site, running, logs
    finally:
        running.stop()


def test_each_warning_is_listed_in_the_terminal_with_its_place(served_with_warning):
    _, _, logs = served_with_warning
    assert "1 waarschuwing (ook bovenaan elke pagina in de browser)" in logs[0]
    assert logs[1].startswith("  content/over.md:2:1: waarschuwing: de titel is lang (")


def test_the_warnings_panel_is_made_once_per_file_and_build_not_per_request(served_with_warning, monkeypatch):
    """A large site can have thousands of warnings: listing them again for every page asked for took a
    core of its own while an editor clicked around, and slowed the rebuild it shared the process with."""
    from sitegen.tools.serve import live as live_module

    _, running, _ = served_with_warning
    made = []
    real = live_module.warnings_panel
    monkeypatch.setattr(live_module, "warnings_panel", lambda *a: made.append(a[1:]) or real(*a))
    running.live.rebuild()
    pages = [fetch(running.url + path)[1] for path in ("over/", "over/", "", "over/")]
    assert all("<code>content/over.md:2:1</code> de titel is lang" in page for page in pages)
    assert made == [("content/over.md",), ("content/index.md",)]


def test_the_panel_lists_the_pages_own_warnings_first_and_counts_what_does_not_fit():
    """10,000 warnings on every page made each page 2.5 MB at 10,000 pages, and the one about the page
    the editor looked at was somewhere in the list."""
    from sitegen.core.errors import Location, Problem
    from sitegen.tools.serve.preview import PANEL_FEW, PANEL_ROWS, warnings_panel

    warnings = [Problem(Location(f"content/pagina{n:03d}.md", 2, 1), "de titel is lang", "waarschuwing")
                for n in range(300)]
    panel = warnings_panel(warnings, "content/pagina250.md").decode()
    assert panel.count("<li>") == PANEL_FEW and len(panel) < 2000
    assert panel.index("content/pagina250.md:2:1") < panel.index("content/pagina000.md:2:1")
    assert "300 waarschuwingen bij het bouwen" in panel
    assert f"En nog {300 - PANEL_FEW} waarschuwingen." in panel and "python build.py check" in panel
    assert "En nog" not in warnings_panel(warnings[:PANEL_FEW]).decode()
    own = [Problem(Location("content/lang.md", n, 1), "de zin is lang", "waarschuwing") for n in range(30)]
    panel = warnings_panel(warnings + own, "content/lang.md").decode()  # all of its own, up to PANEL_ROWS
    assert panel.count("<li>") == PANEL_ROWS and panel.count("content/lang.md") == PANEL_ROWS


@pytest.mark.slow
def test_the_preview_shows_the_warnings_in_a_panel_that_the_built_site_never_has(served_with_warning, tmp_path):
    site, running, _ = served_with_warning
    status, page = fetch(running.url + "over/")
    assert status == 200
    assert '<aside class="sitegen-waarschuwingen"' in page
    assert "<code>content/over.md:2:1</code> de titel is lang" in page
    assert fetch(running.url + "__waarschuwingen.css")[0] == 200
    built = tmp_path / "built"
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "--site", str(site), "--output", str(built),
                             "--now", NOW], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "de titel is lang" in result.stderr
    for path in built.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".css", ".js"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "sitegen-waarschuwingen" not in text and "__waarschuwingen" not in text, path


@pytest.mark.browser
@pytest.mark.parametrize("width", [375, 1280])
def test_the_warning_panel_is_seen_in_chromium_and_fits_the_screen(served_with_warning, browser, width):
    from harness.browser import opened_page, run_axe, screenshot

    _, running, _ = served_with_warning
    with opened_page(browser, width, 800) as page:
        page.goto(running.url + "over/")
        panel = page.locator("aside.sitegen-waarschuwingen")
        assert panel.is_visible()
        box = panel.bounding_box()
        assert box["y"] == 0 and box["x"] == 0 and box["width"] <= width
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
        assert "content/over.md:2:1" in panel.inner_text() and "de titel is lang" in panel.inner_text()
        assert panel.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 248, 214)"  # styled: CSS ran
        assert run_axe(page) == []
        screenshot(page, REPO / "test-artifacts" / f"serve-warning-panel-{width}.png")


def test_the_preview_shows_a_draft_and_a_scheduled_item_saying_they_are_not_public(make_site):
    site = make_site({"content/over.md": "---\ntitle: Over ons\ndraft: true\n---\n\nWij zijn een coalitie.\n",
                      "content/nieuws/index.md": "---\ntitle: Nieuws\n---\n\nHet nieuws.\n",
                      "content/nieuws/kerst.md": "---\ntitle: Kerstmarkt\ndate: 2099-12-15\n---\n\nDe markt.\n"})
    running = start(BuildOptions(root=site, output=site / "output", now=dates.parse_now(NOW)), port=0,
                    log=lambda text: None)
    try:
        status, draft = fetch(running.url + "over/")
        assert status == 200 and "Nog niet openbaar.</strong> Dit is een concept (draft: true)" in draft
        status, later = fetch(running.url + "nieuws/kerst/")
        assert status == 200 and "Deze pagina komt online op 15 december 2099" in later
    finally:
        running.stop()


# --- the dev server's memory ------------------------------------------------------------------------------


@pytest.fixture
def live_site(make_site):
    """A dev server's state on a one-page site, without the server; closed (and the collector thawed) after."""
    from sitegen.tools.serve.live import LiveSite

    site = make_site({"content/over.md": "---\ntitle: Over ons\n---\n\nWij zijn een coalitie.\n"})
    live = LiveSite(BuildOptions(root=site, output=site / "output", now=dates.parse_now(NOW)), log=lambda *a: None)
    try:
        yield live
    finally:
        live.close()


class _Node:
    pass


def _cycle():
    """An object in a reference cycle (only the collector frees it), and a weak reference to see it go."""
    import weakref

    node = _Node()
    node.itself = node
    return node, weakref.ref(node)


def test_a_rebuild_freezes_what_is_alive_and_tidy_collects_the_cycles_left_since(live_site):
    """A rebuild's garbage collections look only at what it made, not at the whole cache again and again;
    the cycles left meanwhile are collected when no one waits (tidy)."""
    import gc

    node, gone = _cycle()
    assert not live_site.rebuild().failed and gc.get_freeze_count() > 0
    del node
    gc.collect()
    assert gone() is not None  # frozen: not looked at
    live_site.tidy()
    assert gone() is None and gc.get_freeze_count() > 0
    live_site.close()
    assert gc.get_freeze_count() == 0


def test_tidy_stops_when_a_file_is_saved_and_goes_on_at_the_next_quiet_moment(live_site):
    """A save that comes while the server tidies does not wait for the whole tidy (at 10,000 pages it
    started 0.15-0.5 s late): tidy stops before its next step, and the next quiet moment finishes it."""
    import gc

    node, gone = _cycle()
    assert not live_site.rebuild().failed
    del node
    live_site.tidy(waiting=lambda: True)
    gc.collect()
    assert gone() is not None and live_site.untidy == 1
    live_site.tidy(waiting=lambda: False)
    assert gone() is None and live_site.untidy == 0


def test_rebuilds_without_a_quiet_moment_are_tidied_all_the_same(live_site):
    """A program that saves every second never leaves the watcher a quiet moment: the cycles the rebuilds
    leave are collected every few rebuilds anyway, so the server's memory does not only grow."""
    import gc

    from sitegen.tools.serve.live import TIDY_EVERY

    node, gone = _cycle()
    assert not live_site.rebuild().failed  # frozen with everything alive
    del node
    for _ in range(TIDY_EVERY - 2):
        assert not live_site.rebuild().failed
    gc.collect()
    assert gone() is not None
    assert not live_site.rebuild().failed  # the TIDY_EVERY-th since the last tidy
    assert gone() is None


def test_rebuilds_after_edits_leave_no_list_of_entries_to_save_growing(live_site):
    """The dev server's cache is never saved: the entries a rebuild replaced (kept for save()) would only
    pile up, two for every page edited, for as long as the server runs."""
    page = live_site.options.root / "content" / "over.md"
    for round_ in range(3):
        page.write_text(f"---\ntitle: Over ons\n---\n\nWij zijn een coalitie, ronde {round_}.\n", encoding="utf-8")
        assert not live_site.rebuild().failed
        assert f"ronde {round_}" in live_site.snapshot.files["over/index.html"].decode("utf-8")
        assert live_site.cache.changed == set()


def _entries(live) -> dict[str, int]:
    from sitegen.incremental.cache import KINDS

    return {kind: len(getattr(live.cache, kind)) for kind in KINDS}


def test_a_rebuild_leaves_forgetting_the_entries_it_did_not_use_to_tidy(live_site):
    """Finding the entries a rebuild did not use looks at every entry (0.13 s at 10,000 pages): the server
    does it when no one waits. Until then an edited page's old entries stay; after it they are gone."""
    page = live_site.options.root / "content" / "over.md"
    assert not live_site.rebuild().failed
    live_site.tidy()
    before = _entries(live_site)
    page.write_text("---\ntitle: Over ons\n---\n\nWij zijn een andere coalitie.\n", encoding="utf-8")
    assert not live_site.rebuild().failed
    assert _entries(live_site)["conversions"] > before["conversions"]  # the old text's: not looked for yet
    live_site.tidy()
    assert _entries(live_site) == before


FIVE_PAGES = {f"content/pagina{n}.md": f"---\ntitle: Pagina {n}\n---\n\nTekst {n}.\n" for n in range(5)}


def _aged_live_site(site):
    """A dev server's state on site, its files saved long ago (a file changed in the last seconds is read
    again on every build: load.RACY_SECONDS, so nothing of it would be taken over)."""
    from sitegen.tools.serve.live import LiveSite

    for path in site.rglob("*"):
        os.utime(path, (time.time() - 3600,) * 2)
    return LiveSite(BuildOptions(root=site, output=site / "output", now=dates.parse_now(NOW)), log=lambda *a: None)


KOFFIE = ("id: koffie\ntitle: Koffie in het dorpshuis\nstart: 2026-12-09 10:00\nend: 11:30\n"
          "location:\n  name: Dorpshuis\n  place: Beilen\n")


def _page_and_activity(make_site, activity: str):
    """A site of one page (over.md) and one activity (content/agenda/koffie.yaml), and its dev server."""
    site = make_site({"content/over.md": "---\ntitle: Over ons\n---\n\nWij zijn een coalitie.\n",
                      "content/agenda/koffie.yaml": activity})
    return site, _aged_live_site(site)


def test_after_the_first_tidy_a_save_models_only_the_page_saved(make_site, monkeypatch):
    """The server tidies 2 s after its first build; the editor's first save then must model the saved page
    alone. It modelled every page again (tidy gave each page read a new object with its text stored, and
    the build takes over only pages read as the very same objects): 1.1 s more at 10,000 pages."""
    from sitegen.source import assemble

    site = make_site(FIVE_PAGES)
    live = _aged_live_site(site)
    modelled: list[str] = []
    real = assemble.model_page
    monkeypatch.setattr(assemble, "model_page",
                        lambda source, *rest: modelled.append(source.rel) or real(source, *rest))
    try:
        assert not live.rebuild().failed
        live.tidy()
        modelled.clear()
        (site / "content" / "pagina3.md").write_text("---\ntitle: Pagina 3\n---\n\nNieuw.\n", encoding="utf-8")
        assert not live.rebuild().failed
        assert "Nieuw." in live.snapshot.files["pagina3/index.html"].decode("utf-8")
        assert modelled == ["pagina3.md"]
    finally:
        live.close()


def test_a_save_hashes_only_the_saved_pages_text(make_site, monkeypatch):
    """A conversion is found by its text's hash: the server takes over the hash of each text it read
    before (hashing 11,000 texts again took 0.06 s a rebuild at 10,000 pages)."""
    from sitegen.incremental import engine

    site = make_site(FIVE_PAGES)
    live = _aged_live_site(site)
    hashed: list[str] = []
    real = engine.text_key
    monkeypatch.setattr(engine, "text_key", lambda text: hashed.append(str(text)) or real(text))
    try:
        assert not live.rebuild().failed
        live.tidy()
        hashed.clear()
        (site / "content" / "pagina3.md").write_text("---\ntitle: Pagina 3\n---\n\nNieuw.\n", encoding="utf-8")
        assert not live.rebuild().failed
        assert [text.strip() for text in hashed] == ["Nieuw."]
    finally:
        live.close()


def test_a_save_gives_the_search_index_the_same_documents_for_the_pages_not_saved(make_site, monkeypatch):
    """A search document's entry is found by its arguments: the server gives an unchanged page's document as
    the very same tuple as the build before, whose key it then takes over without hashing it again (16,000
    documents hashed on every save at 10,000 pages); the saved page's document is a new one."""
    from sitegen.incremental import memo

    site = make_site(FIVE_PAGES)
    live = _aged_live_site(site)
    asked: list[dict] = []
    real = memo._keys
    monkeypatch.setattr(memo, "_keys", lambda previous, name, arguments: asked.append(
        {args[0]: args for args in arguments}) or real(previous, name, arguments))
    try:
        assert not live.rebuild().failed
        live.tidy()
        (site / "content" / "pagina3.md").write_text("---\ntitle: Pagina 3\n---\n\nNieuw.\n", encoding="utf-8")
        assert not live.rebuild().failed
        before, after = asked
        assert sorted(url for url in after if after[url] is not before[url]) == ["/pagina3/"]
    finally:
        live.close()


def test_the_text_hashes_kept_follow_the_pages_when_the_first_page_is_renamed(make_site):
    """The hashes are kept per list of texts, named by its first file: after the first page is renamed, the
    list under its old name is let go (it held every page's text for as long as the server ran)."""
    from sitegen.incremental.engine import TEXT_KEYS

    site = make_site({**FIVE_PAGES, "content/a0.md": "---\ntitle: Eerst\n---\n\nTekst.\n",
                      "content/agenda/koffie.yaml": KOFFIE})
    live = _aged_live_site(site)
    try:
        for round_ in range(1, 4):
            assert not live.rebuild().failed
            (site / "content" / f"a{round_ - 1}.md").rename(site / "content" / f"a{round_}.md")
        assert not live.rebuild().failed
        assert sorted(live.cache.memory[TEXT_KEYS]) == ["a3.md", "agenda.yaml"]
    finally:
        live.close()


def test_a_page_save_words_no_activity_for_search_again_and_an_activity_edit_does(make_site, monkeypatch):
    """The search index's text of 5,000 activities took a sixth of a rebuild at 10,000 pages: after a page
    edit (same activities, same moment) it is taken over; after an activity edit it is made again."""
    from sitegen.render import search

    activity = KOFFIE + "cost: gratis\n"
    site, live = _page_and_activity(make_site, activity)
    worded: list[str] = []
    real = search._activity_text
    monkeypatch.setattr(search, "_activity_text", lambda event: worded.append(event.id) or real(event))
    try:
        assert not live.rebuild().failed
        assert worded == ["koffie"]
        (site / "content" / "over.md").write_text("---\ntitle: Over ons\n---\n\nAnders.\n", encoding="utf-8")
        assert not live.rebuild().failed
        assert worded == ["koffie"]
        (site / "content" / "agenda" / "koffie.yaml").write_text(activity.replace("gratis", "€ 1"), encoding="utf-8")
        assert not live.rebuild().failed
        assert worded == ["koffie", "koffie"]
        index = b"".join(data for path, data in live.snapshot.files.items() if path.startswith("zoekindex/"))
        assert "Kosten: € 1.".encode("utf-8") in index or "Kosten: \\u20ac 1.".encode() in index
    finally:
        live.close()


def test_a_page_save_models_no_activity_again_and_keeps_reporting_a_broken_link_in_one(make_site, monkeypatch):
    """Activities modelled in the build before are taken over after a page save (5,000 took a sixth of a
    rebuild at 10,000 pages), with their problems: a broken link in a description stays an error."""
    from sitegen.agenda import render

    activity = KOFFIE + "description: Lees [meer](nergens.md).\n"
    site, live = _page_and_activity(make_site, activity)
    modelled: list[str] = []
    real = render.replace
    monkeypatch.setattr(render, "replace", lambda event, **changes: modelled.append(event.id) or real(event, **changes))
    try:
        for round_ in range(2):
            (site / "content" / "over.md").write_text(f"---\ntitle: Over ons\n---\n\nRonde {round_}.\n",
                                                      encoding="utf-8")
            snapshot = live.rebuild()
            assert [p.message for p in snapshot.problems if "nergens.md" in p.message], snapshot.problems
            assert modelled == ["koffie"]
        (site / "content" / "agenda" / "koffie.yaml").write_text(activity.replace("nergens.md", "over.md"),
                                                                 encoding="utf-8")
        assert not live.rebuild().failed
        assert modelled == ["koffie", "koffie"]
        assert 'href="/over/"' in live.snapshot.files["agenda/koffie/index.html"].decode("utf-8")
    finally:
        live.close()


def test_tidy_after_a_failed_rebuild_keeps_what_the_last_good_build_used(live_site):
    """A rebuild that stopped at an error used only part of the cache: tidying after it must not throw the
    rest away (the next good build would make every page again)."""
    page = live_site.options.root / "content" / "over.md"
    assert not live_site.rebuild().failed
    live_site.tidy()
    before = _entries(live_site)
    page.write_text("---\ntitel: Over ons\n---\n\nTekst.\n", encoding="utf-8")
    assert live_site.rebuild().failed
    live_site.tidy()
    after = _entries(live_site)
    assert all(after[kind] >= before[kind] for kind in ("conversions", "renders", "hints"))


def test_the_watcher_tidies_once_the_files_have_been_quiet_and_collects_after_a_longer_quiet(monkeypatch,
                                                                                               tmp_path):
    """Tidy (the cache) after TIDY_SECONDS; the full collection, which a save cannot stop, only after
    COLLECT_SECONDS: at 10,000 pages a save 2-3 s after the last one waited for it."""
    import threading

    from sitegen.tools.serve import watch

    class Live:
        closing = False
        tidied = threading.Event()
        collected = threading.Event()

        def tidy(self, waiting, collect):
            self.waiting = waiting
            (self.collected if collect else self.tidied).set()

        def missed(self):
            return False

    monkeypatch.setattr(watch, "TIDY_SECONDS", 0.0)
    monkeypatch.setattr(watch, "COLLECT_SECONDS", 0.6)
    live = Live()
    rebuilder = watch.Rebuilder(live, tmp_path, ignore=())
    rebuilder.last_event = time.monotonic()
    rebuilder.thread.start()
    try:
        assert live.tidied.wait(5) and not live.collected.is_set()
        assert not live.waiting()  # no file saved since: tidy goes on to the end
        assert live.collected.wait(5)
        rebuilder.pending.set()
        assert live.waiting()  # a file saved: tidy stops
    finally:
        live.closing = True
        rebuilder.thread.join(5)


def test_tidy_without_collect_keeps_the_cycles_for_the_full_collection_which_comes_at_last(live_site):
    """A tidy after a short quiet drops cache entries only; the cycles wait for a tidy with collect, or
    for the TIDY_EVERY-th rebuild since the last collection (an editor who never pauses long enough)."""
    import gc

    from sitegen.tools.serve.live import TIDY_EVERY

    node, gone = _cycle()
    assert not live_site.rebuild().failed
    del node
    live_site.tidy(collect=False)
    gc.collect()
    assert gone() is not None and live_site.untidy == 0 and live_site.uncollected == 1
    live_site.tidy(collect=True)
    assert gone() is None and live_site.uncollected == 0
    node, gone = _cycle()
    for _ in range(TIDY_EVERY):
        assert not live_site.rebuild().failed
        live_site.tidy(collect=False)
        if _ == 0:
            del node
    assert gone() is None and live_site.uncollected == 0


def test_the_watcher_rebuilds_at_once_after_a_finished_save_and_waits_while_a_write_is_open(monkeypatch, tmp_path):
    """A closed or renamed file is a finished save (the dev server answers an edit sooner); a file still being
    written waits the whole quiet time, so a half-written page is not built."""
    import threading

    from watchdog.events import DirModifiedEvent, FileClosedEvent, FileModifiedEvent, FileMovedEvent

    from sitegen.tools.serve import watch

    class Live:
        closing = False
        rebuilt = threading.Event()

        def rebuild(self, saved=None):
            self.rebuilt.set()

        def tidy(self, waiting, collect):
            pass

        def missed(self):
            return False

    monkeypatch.setattr(watch, "QUIET_SECONDS", 30.0)
    monkeypatch.setattr(watch, "SAVED_QUIET_SECONDS", 0.0)
    page = str(tmp_path / "content" / "over.md")
    live = Live()
    rebuilder = watch.Rebuilder(live, tmp_path, ignore=())
    rebuilder.thread.start()
    try:
        rebuilder.on_any_event(FileModifiedEvent(page))
        assert not live.rebuilt.wait(0.5)  # still being written
        rebuilder.on_any_event(FileClosedEvent(page))
        rebuilder.on_any_event(DirModifiedEvent(str(tmp_path / "content")))  # follows a new file's events
        assert live.rebuilt.wait(10)
        live.rebuilt.clear()
        rebuilder.on_any_event(FileMovedEvent(page + ".tmp", page))
        assert live.rebuilt.wait(10)
    finally:
        live.closing = True
        rebuilder.thread.join(5)


def test_a_rebuild_makes_no_full_collection_and_leaves_the_collector_as_it_was(make_site, monkeypatch):
    import gc

    from sitegen.tools.serve import live as live_module

    site = make_site({"content/over.md": "---\ntitle: Over ons\n---\n\nWij zijn een coalitie.\n"})
    seen = []
    real = live_module.generate
    monkeypatch.setattr(live_module, "generate", lambda *a, **k: seen.append(gc.get_threshold()) or real(*a, **k))
    before = gc.get_threshold()
    live = live_module.LiveSite(BuildOptions(root=site, output=site / "output", now=dates.parse_now(NOW)),
                                log=lambda *a: None)
    try:
        assert not live.rebuild().failed
    finally:
        live.close()
    assert seen == [(before[0], before[1], live_module.FULL_COLLECTION_NEVER)] and gc.get_threshold() == before


def test_a_snapshot_made_from_another_starts_without_its_panels():
    """A failed rebuild's snapshot is the last good one with other warnings (dataclasses.replace): a panel
    made for the old warnings must not be served with the new ones."""
    import dataclasses

    from sitegen.core.errors import Location, Problem
    from sitegen.tools.serve.live import Snapshot

    old = Snapshot(warnings=[Problem(Location("content/over.md", 2, 1), "oud", "waarschuwing")])
    assert b"oud" in old.panel("over/index.html")
    new = dataclasses.replace(old, warnings=[Problem(Location("content/over.md", 2, 1), "nieuw", "waarschuwing")])
    assert b"nieuw" in new.panel("over/index.html") and b"oud" not in new.panel("over/index.html")
