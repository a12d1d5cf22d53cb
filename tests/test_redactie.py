"""The web editor as an editor uses it: `build.py redactie` (make redactie) on a copy of the real site, Decap CMS
in Debian's Chromium, saving through the editor's own backend (/api/v1 on the preview's port) into the files;
then `check` and the built page.

All on 127.0.0.1. Screenshots of the list, the activity form and an error go to test-artifacts/ (and, with
REGENERATE_DOC_SHOTS=1, to docs/img/ for docs/redactie.md).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from conftest import NOW, REPO, run_build
from harness.browser import external_requests, new_page, record_requests

pytestmark = pytest.mark.browser
ARTIFACTS = REPO / "test-artifacts"
DOC_SHOTS = REPO / "docs" / "img"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def start_redactie(site: Path, port: int) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "redactie", "--site", str(site), "--port",
                                str(port), "--now", NOW],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if line.startswith("Stoppen: Ctrl-C."):
            return process
    process.kill()
    raise AssertionError("redactie did not start:\n" + "".join(lines))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("redactie") / "site"
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(".git", ".venv", "node_modules", "output*", "tests",
                                                              "bench", "examples", ".hypothesis", ".cache",
                                                              "test-artifacts", "docs"))
    # A checkout, as an editor's is (its .git/ is never the editor's to read), with the files whose saves
    # are compared by `git diff` committed.
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "site.yaml", "content/agenda"], check=True)
    subprocess.run(["git", "-C", str(root), "-c", "user.name=Test", "-c", "user.email=test@voorbeeld.nl", "commit",
                    "-qm", "site"], check=True)
    return root


def git_diff(site: Path, path: str) -> list[str]:
    """The changed lines of a file (+ and -, without the header), as `git diff` shows an editor."""
    diff = subprocess.run(["git", "-C", str(site), "diff", "--unified=0", "--", path], capture_output=True,
                          text=True, check=True).stdout
    return [l for l in diff.splitlines() if l[:1] in "+-" and not l.startswith(("+++", "---"))]


@pytest.fixture(scope="module")
def editor(site):
    port = free_port()
    process = start_redactie(site, port)
    yield f"http://127.0.0.1:{port}/", process, port
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)



@pytest.fixture(scope="module")
def editor_tab(browser, editor):
    """One tab, logged in to Decap once for the module (a fresh context and login take 3-4 s a test; a
    reload of the logged-in tab about 1 s). Each test's `page` starts it over: see fresh_start."""
    url = editor[0]
    page = new_page(browser, 1280, 900, locale="nl-NL")  # dates as a Dutch editor's browser shows them
    page.set_default_timeout(30_000)
    requests = record_requests(page)
    # Leaving a form with unsaved changes asks "leave the page?" (beforeunload): yes, when a test starts over.
    page.on("dialog", lambda dialog: dialog.accept() if dialog.type == "beforeunload" else dialog.dismiss())
    page.goto(url + "admin/")
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_text("Inhoudstypen").wait_for()
    login = page.evaluate("localStorage.getItem('decap-cms-user')")
    assert login, "Decap keeps its login in localStorage"
    # Every document of the tab starts with the login (and nothing else of a test before): see fresh_start.
    page.add_init_script(f"if (!localStorage.getItem('decap-cms-user')) localStorage.setItem('decap-cms-user', "
                         f"{json.dumps(login)});")
    yield page, requests
    page.context.close()


STORAGE = "cookies,local_storage,indexeddb,cache_storage,service_workers,websql,file_systems,shader_cache"


def fresh_start(page, url: str) -> None:
    """The tab as a new one after logging in: no document of the test before (its form, its unsaved changes,
    Decap's state in memory), the site's storage wiped (Decap's drafts and backups in localStorage and
    IndexedDB, sessionStorage with the document); only the login is put back (editor_tab's init script)."""
    if page.url.startswith(url):
        page.evaluate("sessionStorage.clear()")  # the tab's own, kept across documents
    page.goto("about:blank")
    session = page.context.new_cdp_session(page)
    session.send("Storage.clearDataForOrigin", {"origin": url.rstrip("/"), "storageTypes": STORAGE})
    session.detach()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url + "admin/")
    page.get_by_text("Inhoudstypen").wait_for()


# Decap's drafts of unsaved entries (localforage, in IndexedDB), and what else is in storage but the login
# and the list view Decap writes as it starts.
LEFT_OVER = """async () => {
  const stored = Object.keys(localStorage).filter(k => !['decap-cms-user', 'decap-cms.entries.viewStyle'].includes(k));
  const names = (await indexedDB.databases()).map(d => d.name);
  if (!names.includes('localforage')) return stored;
  const db = await new Promise((ok, no) => { const r = indexedDB.open('localforage'); r.onsuccess = () => ok(r.result);
                                              r.onerror = no; });
  const stores = [...db.objectStoreNames];
  for (const name of stores) {
    const keys = await new Promise(ok => { const q = db.transaction(name).objectStore(name).getAllKeys();
                                           q.onsuccess = () => ok(q.result); });
    // localForageTest: localforage's own probe, written and removed again as it starts
    stored.push(...keys.filter(k => k !== 'localForageTest').map(k => `${name}/${k}`));
  }
  db.close();
  // what-input (in Decap) notes in sessionStorage whether a mouse or keyboard is used, as each document starts.
  const session = Object.keys(sessionStorage).filter(k => !['what-input', 'what-intent'].includes(k));
  return [...stored, ...session.map(k => `session/${k}`)];
}"""


def left_over(page) -> list[str]:
    return page.evaluate(LEFT_OVER)


@pytest.fixture
def page(editor_tab, editor):
    url = editor[0]
    page, requests = editor_tab
    seen = len(requests)
    fresh_start(page, url)
    left = left_over(page)
    assert left == [], f"nothing of the test before is left: {left}"
    yield page
    assert external_requests(requests[seen:]) == [], "the editor loads nothing from another host"


def new_entry(page, url: str, collection: str) -> None:
    page.goto(f"{url}admin/#/collections/{collection}/new")
    page.locator("input").first.wait_for()


def field(page, label: str, required: bool = False):
    return page.get_by_label(label if required else f"{label} (optioneel)", exact=True)


def open_group(page, label: str) -> None:
    """An optional group (place, sign-up, repeat) starts folded: open it with its expand button."""
    page.get_by_text(label, exact=True).locator("[data-testid=expand-button]").click()


def choose(page, label: str, option: str, required: bool = False) -> None:
    """A select field (react-select): open it, pick the option."""
    field(page, label, required).click(force=True)
    page.get_by_text(option, exact=True).last.click()


def publish(page, answer: str | None = None) -> None:
    """Publish, then wait for Decap's answer instead of a fixed pause: its toast (saved, or the form refused),
    or the text given as answer. Whether the save reached the file, each test checks itself (wait_for_file)."""
    page.get_by_role("button", name="Publiceer").click()
    page.get_by_role("menuitem", name="Publiceer nu").click()
    if answer:
        page.get_by_text(answer, exact=False).first.wait_for()
    else:
        page.get_by_text("Item opgeslagen").or_(page.get_by_text("Oeps, sommige verplichte velden")).first.wait_for()
    shot(page, "na-publiceren")


def wait_for_file(path: Path, seconds: float = 60, changed_from: str | None = None) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            if text and text != changed_from:
                return text
        time.sleep(0.02)
    raise AssertionError(f"{path} was not saved; there are: {sorted(p.name for p in path.parent.iterdir())}")


def as_written(text: str) -> dict:
    """The YAML as the build reads it: every value as the text that is written (16:00 stays 16:00)."""
    return yaml.load(text, Loader=yaml.BaseLoader)


def checked_and_built(build_main, site: Path, tmp_path: Path, page_path: str) -> str:
    """`build.py check` exits 0, and the built page (as the editor's preview shows it) as text. --demo: the
    real site's activities are mostly examples (example: true), which the preview shows and the public build
    leaves out. build.py's main() in this process (conftest.build_main: a process each would add its start-up,
    a second or more); `check` as its own process, as an editor runs it, is in the tests of a refused and a
    warned save (test_an_end_before_the_start..., test_two_audiences...)."""
    code, err = build_main("check", "--site", str(site), "--now", NOW)
    assert code == 0, err
    out = tmp_path / "out"
    code, err = build_main("--site", str(site), "--now", NOW, "--output", str(out), "--no-search", "--demo")
    assert code == 0, err
    return (out / page_path).read_text(encoding="utf-8")


def shot(page, name: str, docs: bool = False) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"redactie-{name}.png"))
    if docs and os.environ.get("REGENERATE_DOC_SHOTS"):  # the port in the editor's top bar differs each run
        DOC_SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(DOC_SHOTS / f"redactie-{name}.png"))


def test_the_agenda_lists_every_activity_one_per_file(page, editor, site):
    page.goto(editor[0] + "admin/#/collections/agenda")
    page.get_by_text("Koffieochtend in Beilen", exact=False).first.wait_for()
    for path in (site / "content" / "agenda").glob("*.yaml"):
        title = yaml.safe_load(path.read_text(encoding="utf-8"))["title"]
        assert page.get_by_text(title, exact=False).count() >= 1, title
    shot(page, "lijst", docs=True)


def test_a_weekly_activity_with_place_cost_and_sign_up(build_main, page, editor, site, tmp_path):
    url = editor[0]
    new_entry(page, url, "agenda")
    field(page, "Naam van de activiteit", True).fill("Breicafé in Hijken")
    field(page, "Begin", True).fill("1-12-2026 14:00")
    field(page, "Einde").fill("16:00")
    open_group(page, "Plaats")
    field(page, "Naam van het gebouw of de plek").fill("Dorpshuis Hijken")
    field(page, "Dorp of stad").fill("Hijken")
    field(page, "Kosten").fill("€ 2,00")
    open_group(page, "Aanmelden")
    field(page, "Aanmelden nodig?").click()
    field(page, "Aanmelden per telefoon").fill("088-1651200")
    open_group(page, "Herhaling")
    choose(page, "Elke", "week")
    field(page, "Op").fill("dinsdag")
    field(page, "Naam van de activiteit", True).scroll_into_view_if_needed()
    shot(page, "activiteit", docs=True)
    publish(page)
    saved = wait_for_file(site / "content" / "agenda" / "breicafe-in-hijken.yaml")
    # The file is the one docs/redactie.md shows an editor.
    assert f"```yaml\n{saved}```" in (REPO / "docs" / "redactie.md").read_text(encoding="utf-8")
    data = as_written(saved)
    assert data["title"] == "Breicafé in Hijken" and str(data["start"]) == "2026-12-01 14:00"
    assert data["end"] == "16:00" and data["cost"] == "€ 2,00"
    assert data["location"] == {"name": "Dorpshuis Hijken", "place": "Hijken"}
    assert data["registration"]["needed"] == "true" and data["registration"]["phone"] == "088-1651200"
    assert data["repeat"]["every"] == "week" and data["repeat"]["on"] in (["dinsdag"], "dinsdag")
    built = checked_and_built(build_main, site, tmp_path, "agenda/breicafe-in-hijken/index.html")
    for shown in ("Breicafé in Hijken", "Dorpshuis Hijken", "€ 2,00", "088-1651200", "dinsdag"):
        assert shown in built, shown


def test_a_monthly_activity_that_skips_the_summer_and_christmas_in_words(build_main, page, editor, site, tmp_path):
    """'Niet op' under Herhaling takes months and periods as an editor says them, with a Dutch hint."""
    new_entry(page, editor[0], "agenda")
    field(page, "Naam van de activiteit", True).fill("Soep in Hijken")
    field(page, "Begin", True).fill("6-10-2026 12:00")
    open_group(page, "Herhaling")
    choose(page, "Elke", "maand")
    field(page, "Op").fill("eerste dinsdag")
    skips = field(page, "Niet op (data, maanden of periodes)")
    skips.fill("juli, augustus, 21 december tot en met 3 januari")
    assert page.get_by_text("een maand, zoals juli, of een periode, zoals 13 juli tot en met 21 augustus",
                            exact=False).count() == 1
    publish(page)
    saved = wait_for_file(site / "content" / "agenda" / "soep-in-hijken.yaml")
    data = as_written(saved)
    assert data["repeat"]["except"] == ["juli", "augustus", "21 december tot en met 3 januari"], saved
    built = checked_and_built(build_main, site, tmp_path, "agenda/soep-in-hijken/index.html")
    assert ("Elke eerste dinsdag van de maand, behalve in juli en augustus en van 21 december tot en met "
            "3 januari.") in built
    (site / "content" / "agenda" / "soep-in-hijken.yaml").unlink()  # the other tests see the site as it was


def test_an_online_one_off_activity_without_a_place(build_main, page, editor, site, tmp_path):
    new_entry(page, editor[0], "agenda")
    field(page, "Naam van de activiteit", True).fill("Online koffie-uur")
    field(page, "Begin", True).fill("10-12-2026 10:00")
    field(page, "Duur (in plaats van einde)").fill("1 uur")
    field(page, "Link om online mee te doen").fill("https://www.voorbeeld.nl/koffie-uur")
    publish(page)
    data = as_written(wait_for_file(site / "content" / "agenda" / "online-koffie-uur.yaml"))
    assert data["online"] == "https://www.voorbeeld.nl/koffie-uur"
    for group in ("location", "repeat", "registration", "organiser"):
        assert group not in data, group  # nothing asked, nothing written
    built = checked_and_built(build_main, site, tmp_path, "agenda/online-koffie-uur/index.html")
    assert "Online koffie-uur" in built and "https://www.voorbeeld.nl/koffie-uur" in built


def test_cancel_an_existing_activity_with_a_reason(build_main, page, editor, site, tmp_path):
    path = site / "content" / "agenda" / "kerstavond-bovensmilde.yaml"
    before = path.read_text(encoding="utf-8")
    page.goto(editor[0] + "admin/#/collections/agenda/entries/kerstavond-bovensmilde")
    field(page, "Naam van de activiteit", True).wait_for()
    choose(page, "Status", "afgelast")
    field(page, "Uitleg bij afgelast of verplaatst").fill("Door te weinig aanmeldingen gaat het niet door.")
    publish(page)
    data = as_written(wait_for_file(path, changed_from=before))
    assert data["status"] == "afgelast"
    assert data["status_note"] == "Door te weinig aanmeldingen gaat het niet door."
    assert data["title"] == as_written(before)["title"]  # the rest is as it was
    built = checked_and_built(build_main, site, tmp_path, "agenda/kerstavond-bovensmilde/index.html")
    assert "Afgelast" in built and "Door te weinig aanmeldingen gaat het niet door." in built


def test_a_news_item_without_a_date_cannot_be_saved_and_with_one_it_is(build_main, page, editor, site, tmp_path):
    new_entry(page, editor[0], "nieuws")
    field(page, "Titel", True).fill("Nieuwe wandelgroep in Smilde")
    page.locator("[data-slate-editor]").last.fill("Elke week wandelen we samen.")
    field(page, "Datum", True).fill("20 november")  # not a date the form can read: said in Dutch, not saved
    publish(page, answer="schrijf de datum als dag-maand-jaar, zoals 16-12-2026")
    field(page, "Datum", True).fill("")
    publish(page)
    page.get_by_text("Oeps, sommige verplichte velden zijn niet ingevuld.").wait_for()
    page.get_by_text("Datum is vereist.").wait_for()
    shot(page, "fout", docs=True)
    assert not list((site / "content" / "nieuws").glob("*wandelgroep*"))
    field(page, "Datum", True).fill("20-11-2026")  # as the Dutch write it; the file gets 2026-11-20
    publish(page)
    path = site / "content" / "nieuws" / "2026-11-20-nieuwe-wandelgroep-in-smilde.md"
    text = wait_for_file(path)
    assert re.search(r"^date: 2026-11-20$", text, re.M) and "Elke week wandelen we samen." in text
    built = checked_and_built(build_main, site, tmp_path, "nieuws/2026-11-20-nieuwe-wandelgroep-in-smilde/index.html")
    assert "Nieuwe wandelgroep in Smilde" in built and "Elke week wandelen we samen." in built


def preview_notice(page):
    """The preview pane's notice on what is not public yet (Decap shows the preview in a frame)."""
    return page.frame_locator("iframe").first.locator(".preview-notice")


def test_the_preview_of_a_news_item_dated_next_week_says_it_is_not_public_until_then(page, editor, site):
    """The editor's clock decides, not the build's: /admin/ may have been built days before."""
    import datetime as dt

    from playwright.sync_api import expect
    today = dt.date.today()
    new_entry(page, editor[0], "nieuws")
    field(page, "Titel", True).fill("Kerstmarkt in Westerbork")
    page.locator("[data-slate-editor]").last.fill("Op de kerstmarkt staan we met koffie.")
    field(page, "Datum", True).fill(f"{today:%d-%m-%Y}")
    page.frame_locator("iframe").first.get_by_text("Kerstmarkt in Westerbork").wait_for()
    assert preview_notice(page).count() == 0  # dated today: public, nothing to say
    later = today + dt.timedelta(days=7)
    field(page, "Datum", True).fill(f"{later:%d-%m-%Y}")
    months = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
              "oktober", "november", "december")
    notice = preview_notice(page)
    notice.wait_for()
    assert notice.inner_text().startswith(f"Nog niet openbaar tot {later.day} {months[later.month - 1]} {later.year}.")
    page.set_viewport_size({"width": 1280, "height": 900})
    shot(page, "nog-niet-openbaar", docs=True)
    field(page, "Datum", True).fill(f"{today:%d-%m-%Y}")
    expect(preview_notice(page)).to_have_count(0)  # gone again (polled, instead of a fixed 500 ms pause)
    page.get_by_text("Concept (nog niet op de site)", exact=False).first.click()  # a draft is not public either
    notice.wait_for()
    assert notice.inner_text().startswith("Nog niet openbaar.") and "concept" in notice.inner_text()


def test_an_end_before_the_start_is_refused_by_check_with_file_and_line(page, editor, site):
    new_entry(page, editor[0], "agenda")
    field(page, "Naam van de activiteit", True).fill("Te vroeg klaar")
    field(page, "Begin", True).fill("3-12-2026 14:00")
    field(page, "Einde").fill("13:00")
    publish(page)
    path = site / "content" / "agenda" / "te-vroeg-klaar.yaml"
    text = wait_for_file(path)
    line = next(n for n, l in enumerate(text.splitlines(), 1) if l.startswith("end:"))
    # The preview shows the same message as `check` and GitHub's annotation (a picture for docs/redactie.md).
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        page.goto(editor[0] + "agenda/")
        if page.get_by_text("te-vroeg-klaar.yaml", exact=False).count():
            break
        time.sleep(0.2)
    assert page.get_by_text("de activiteit eindigt (13:00", exact=False).count() >= 1
    shot(page, "fout-in-voorbeeld", docs=True)
    check = run_build("check", "--site", str(site), "--now", NOW)
    path.unlink()  # leave the copy clean for the tests after this one
    assert check.returncode == 1
    assert f"content/agenda/te-vroeg-klaar.yaml:{line}:1: de activiteit eindigt (13:00 " in check.stderr


def test_edit_an_existing_news_item(build_main, page, editor, site, tmp_path):
    path = site / "content" / "nieuws" / "2025-03-10-nieuwe-partners.md"
    before = path.read_text(encoding="utf-8")
    page.goto(editor[0] + "admin/#/collections/nieuws/entries/2025-03-10-nieuwe-partners")
    field(page, "Titel", True).fill("RegioBank, Jumbo en meer partners doen mee")
    publish(page)
    text = wait_for_file(path, changed_from=before)
    assert re.search(r"^title: .*RegioBank, Jumbo en meer partners doen mee", text, re.M)
    assert re.search(r"^date: 2025-03-10$", text, re.M)  # the rest of the front matter stays
    built = checked_and_built(build_main, site, tmp_path, "nieuws/2025-03-10-nieuwe-partners/index.html")
    assert "RegioBank, Jumbo en meer partners doen mee" in built


def test_create_a_page(build_main, page, editor, site, tmp_path):
    new_entry(page, editor[0], "paginas")
    field(page, "Titel", True).fill("Vrijwilliger worden")
    field(page, "Beschrijving").fill("Zo helpt u mee tegen eenzaamheid in Midden-Drenthe.")
    page.locator("[data-slate-editor]").last.fill("Bel ons of kom langs in het dorpshuis.")
    publish(page)
    text = wait_for_file(site / "content" / "vrijwilliger-worden.md")
    assert text.startswith("---\ntitle: Vrijwilliger worden\n")
    built = checked_and_built(build_main, site, tmp_path, "vrijwilliger-worden/index.html")
    assert "Vrijwilliger worden" in built and "Bel ons of kom langs in het dorpshuis." in built


def test_two_audiences_a_cancellation_without_reason_and_a_venue_with_only_a_place(build_main, page, editor, site,
                                                                                   tmp_path):
    """What the form lets an editor save, the build accepts: a list typed with a comma is two audiences, a
    cancellation without a reason gets the build's Dutch sentence, a half-filled group a sensible reading."""
    new_entry(page, editor[0], "agenda")
    assert page.get_by_text("Wijzigingen opgeslagen").count() == 0  # nothing was saved from a new form
    shot(page, "nieuw")
    field(page, "Naam van de activiteit", True).fill("Kerstbingo in Hijken")
    field(page, "Begin", True).fill("16-12-2026 14:00")
    field(page, "Voor wie").fill("ouderen, mantelzorgers")
    choose(page, "Status", "afgelast")
    open_group(page, "Plaats")
    field(page, "Dorp of stad").fill("Hijken")
    open_group(page, "Organisator")
    field(page, "Telefoon").fill("0593-123456")
    shot(page, "afgelast")
    publish(page)
    saved = wait_for_file(site / "content" / "agenda" / "kerstbingo-in-hijken.yaml")
    data = as_written(saved)
    assert data["audience"] == ["ouderen", "mantelzorgers"]
    assert data["status"] == "afgelast" and "status_note" not in data
    assert data["location"] == {"place": "Hijken"} and data["organiser"] == {"phone": "0593-123456"}
    check = run_build("check", "--site", str(site), "--now", NOW)
    assert check.returncode == 0, check.stderr
    assert "kerstbingo-in-hijken.yaml" in check.stderr and "Op de site staat nu: 'Deze activiteit gaat niet door.'" \
        in check.stderr  # said as a warning, with the file
    built = checked_and_built(build_main, site, tmp_path, "agenda/kerstbingo-in-hijken/index.html")
    assert "Deze activiteit gaat niet door." in built and "Hijken" in built and "0593-123456" in built
    audiences = checked_and_built(build_main, site, tmp_path / "2", "agenda/voor/mantelzorgers/index.html")
    assert "Kerstbingo in Hijken" in audiences


def test_a_save_of_one_field_changes_only_that_line_and_keeps_the_comments(page, editor, site):
    path = "content/agenda/koffieochtend-beilen.yaml"
    before = (site / path).read_text(encoding="utf-8")
    assert before.startswith("# ")  # the file has a comment of its own, and flow lists
    page.goto(editor[0] + "admin/#/collections/agenda/entries/koffieochtend-beilen")
    field(page, "Kosten").fill("€ 1,00")
    publish(page)
    wait_for_file(site / path, changed_from=before)
    assert git_diff(site, path) == ["-cost: gratis", "+cost: € 1,00"]


def test_a_save_of_an_untouched_form_changes_no_byte(page, editor, site):
    """Decap offers no publish for an untouched entry; changed and changed back, it sends every value as it
    was: the file keeps every byte (its comments, its own quoting and order)."""
    path = "content/agenda/soep-en-praatje-smilde.yaml"
    before = (site / path).read_bytes()
    page.goto(editor[0] + "admin/#/collections/agenda/entries/soep-en-praatje-smilde")
    cost = field(page, "Kosten")
    cost.wait_for()
    page.get_by_role("button", name="Publiceer").click()
    assert page.get_by_role("menuitem", name="Publiceer nu").count() == 0  # nothing to publish yet
    page.keyboard.press("Escape")
    cost.fill("iets anders")
    publish(page)
    wait_for_file(site / path, changed_from=before.decode("utf-8"))
    assert git_diff(site, path) == ["-cost: € 3,50", "+cost: iets anders"]
    page.reload()
    field(page, "Kosten").fill("€ 3,50")
    publish(page)
    deadline = time.monotonic() + 30
    while (site / path).read_bytes() != before and time.monotonic() < deadline:
        time.sleep(0.02)
    assert git_diff(site, path) == [] and (site / path).read_bytes() == before


def test_the_contact_details_and_helplines_of_site_yaml_in_the_editor(build_main, page, editor, site, tmp_path):
    page.goto(editor[0] + "admin/#/collections/site/entries/site")
    page.get_by_text("Hulplijnen", exact=False).first.wait_for()
    shot(page, "contact")
    phone = page.locator("input[value='088-1651200']").first
    phone.fill("088-1651299")
    publish(page)
    text = wait_for_file(site / "site.yaml", changed_from=git_show(site, "site.yaml"))
    assert git_diff(site, "site.yaml") == ["-  phone: 088-1651200", "+  phone: 088-1651299"]
    built = checked_and_built(build_main, site, tmp_path, "index.html")
    assert "088-1651299" in built and "088-1651299" in text
    subprocess.run(["git", "-C", str(site), "checkout", "--", "site.yaml"], check=True)


def git_show(site: Path, path: str) -> str:
    return subprocess.run(["git", "-C", str(site), "show", f"HEAD:{path}"], capture_output=True, text=True,
                          check=True).stdout


def test_ctrl_c_stops_the_editor_and_leaves_no_process(editor):
    url, process, port = editor
    assert listening(port)
    children = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()
    assert children == [], "the editor's backend runs in the same process: nothing else to stop"
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 0
    assert not listening(port)


def test_a_taken_port_gives_a_dutch_message_and_starts_nothing(site):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, str(REPO / "build.py"), "redactie", "--site", str(site),
                                 "--port", str(port)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"Poort {port} is al bezet" in result.stderr and "de webeditor kan niet starten" in result.stderr
    assert f"make redactie PORT={port + 10}" in result.stderr
    assert "Traceback" not in result.stderr

