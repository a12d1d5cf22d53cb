"""A symlink or special file anywhere in the site's sources is refused: exit 1, the path and a Dutch sentence.

Decision (issue 24, docs/security.md): links are refused everywhere in site.yaml, content/ (pages, agenda,
newsletters, images and PDFs), templates/ and static/, also when they point inside the site: a pull request
can hold a link, and a link can publish .git/config (with the deploy token), the build cache (with draft
text) or any file of the machine that builds. The generator's own node_modules/ is not the site's input.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from conftest import MINIMAL_SITE_YAML, NOW, REPO, run_build, tree_bytes
from .input_attacks import SECRET, assert_refused, plant_secrets, published_bytes, with_previous_output

FILE_LINK = "dit bestand is een snelkoppeling (symlink); die neemt de website niet over. Zet het bestand zelf hier neer."
FOLDER_LINK = ("deze map is een snelkoppeling (symlink); die neemt de website niet over. Zet de map zelf met haar "
               "bestanden hier neer.")
SPECIAL = "dit is geen gewoon bestand maar bijvoorbeeld een pipe of een apparaat; dat neemt de website niet over."

PAGE = "---\ntitle: {title}\n---\n\nTekst.\n"
ACTIVITY = "title: Koffie\nstart: 2026-12-01 10:00\nduration: 2 uur\nlocation:\n  name: Dorpshuis\n"

# (where the link is, what it points to (relative to the link's folder, or absolute), the message's kind)
LINKS = {
    "a page to the deploy token": ("content/token.md", "../.git/config", FILE_LINK),
    "a copied file to the deploy token": ("content/token.txt", "../.git/config", FILE_LINK),
    "an image to the build cache": ("content/over/cache.png", "../../.cache/blobs.sqlite", FILE_LINK),
    "a PDF to a system file": ("content/passwd.pdf", "/etc/passwd", FILE_LINK),
    "an activity to the deploy token": ("content/agenda/koffie.yaml", "../../.git/config", FILE_LINK),
    "a newsletter to the deploy token": ("content/nieuwsbrieven/2026-11-01-brief.md", "../../.git/config", FILE_LINK),
    "a static file to the deploy token": ("static/css/extra.css", "../../.git/config", FILE_LINK),
    "a template to the deploy token": ("templates/page.html", "../.git/config", FILE_LINK),
    "a page to another page inside content/": ("content/kopie.md", "index.md", FILE_LINK),
    "a link to nowhere": ("content/weg.md", "bestaat-niet.md", FILE_LINK),
    "a folder to .git": ("content/git", "../.git", FOLDER_LINK),
    "a folder to the root of the machine": ("static/alles", "/", FOLDER_LINK),
}


@pytest.fixture
def site(make_site, build_main):
    site = make_site({"content/over/index.md": PAGE.format(title="Over"),
                      "content/agenda/wandelen.yaml": ACTIVITY.replace("Koffie", "Wandelen"),
                      "static/css/.gitkeep": ""})
    plant_secrets(site)
    code, stderr = build_main("--site", str(site), "--now", NOW, "-q")  # in this process: set-up only
    assert code == 0, stderr  # .cache/ now holds the store
    assert (site / ".cache" / "blobs.sqlite").is_file()
    return site


@pytest.mark.slow
@pytest.mark.parametrize("case", LINKS)
def test_errors_on_a_symlink_in_the_sources_with_its_path(site, build_main, case):
    where, target, message = LINKS[case]
    link = site / where
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)
    before = with_previous_output(site)
    # build.py's main() in this process (conftest.build_main); the other tests here run it as a process.
    stderr = assert_refused(site, before, [f"{where}: {message}"], main=build_main)
    assert SECRET not in stderr


@pytest.mark.slow
def test_errors_when_site_yaml_is_a_symlink(site):
    (site / "instellingen.yaml").write_bytes((site / "site.yaml").read_bytes())
    (site / "site.yaml").unlink()
    (site / "site.yaml").symlink_to("instellingen.yaml")
    assert_refused(site, with_previous_output(site), [f"site.yaml: {FILE_LINK}"])


@pytest.mark.slow
@pytest.mark.parametrize("folder", ["content", "static", "templates"])
def test_errors_when_a_whole_source_folder_is_a_symlink(site, tmp_path, folder):
    elsewhere = tmp_path / f"elders-{folder}"
    source = site / folder
    if source.is_dir():
        source.rename(elsewhere)
    else:
        elsewhere.mkdir()
    source.symlink_to(elsewhere)
    assert_refused(site, with_previous_output(site), [f"{folder}: {FOLDER_LINK}"])


@pytest.mark.parametrize("where", ["content/pijp.md", "content/over/pijp.png", "content/agenda/pijp.yaml",
                                   "static/pijp.css"])
@pytest.mark.slow
def test_errors_on_a_fifo_without_opening_it(site, where):
    os.mkfifo(site / where)
    assert_refused(site, with_previous_output(site), [f"{where}: {SPECIAL}"])


@pytest.mark.slow
def test_errors_on_a_socket(site, tmp_path):
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(site / "content" / "praat.sock"))
        assert_refused(site, with_previous_output(site), [f"content/praat.sock: {SPECIAL}"])


@pytest.mark.slow
def test_a_hidden_link_is_neither_followed_nor_published(site):
    (site / "content" / ".env").symlink_to("../.git/config")
    result = run_build("--site", str(site), "--now", NOW, "-q")
    assert result.returncode == 0, result.stderr
    assert SECRET.encode() not in published_bytes(site / "output")


@pytest.mark.slow
def test_a_symlinked_node_modules_of_the_generator_still_gives_the_web_editor(make_site):
    """Not the site's input: the web editor's program is copied from node_modules/, linked or not (as in
    every worktree of this repository, and as npm workspaces do)."""
    node_modules = REPO / "node_modules"
    if not (node_modules / "decap-cms" / "dist" / "decap-cms.js").is_file():
        pytest.skip("decap-cms is not installed (npm ci)")
    site = make_site({"site.yaml": MINIMAL_SITE_YAML + "cms:\n  repo: coalitie/website\n"})
    (site / "node_modules").symlink_to(node_modules.resolve())
    result = run_build("--site", str(site), "--now", NOW, "-q")
    assert result.returncode == 0, result.stderr
    copied = tree_bytes(site / "output")
    assert copied["admin/decap-cms.js"] == (node_modules / "decap-cms" / "dist" / "decap-cms.js").read_bytes()


@pytest.mark.slow
def test_every_file_the_build_publishes_is_a_regular_file_of_the_site(site):
    """With no link anywhere, what is published is exactly what the sources hold: no secret."""
    result = run_build("--site", str(site), "--now", NOW, "-q")
    assert result.returncode == 0, result.stderr
    assert SECRET.encode() not in published_bytes(site / "output")
    assert not any(Path(p).is_symlink() for p in (site / "output").rglob("*"))


@pytest.mark.slow
def test_a_symlinked_folder_added_after_a_build_is_refused_by_the_next_build(site):
    assert run_build("--site", str(site), "--now", NOW, "-q").returncode == 0
    before = tree_bytes(site / "output")
    (site / "content" / "git").symlink_to("../.git")
    assert_refused(site, before, [f"content/git: {FOLDER_LINK}"])
