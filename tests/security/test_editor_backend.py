"""The local web editor's backend (make redactie) attacked on a copy of the real site (issue 24, item 1).

The backend runs as `make redactie` runs it: the preview with the editor switched on (serve.command.start with
editor=True), answering Decap's proxy protocol at /api/v1 on the preview's own port. Every attack must be
refused (403, or another 4xx, with a Dutch JSON sentence) AND leave its target as it was; the saves an
editor makes (a page, an activity, a picture) must still work.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import NOW, REPO
from sitegen.core import dates
from sitegen.core.options import BuildOptions
from sitegen.tools.serve.command import start

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
PAGE = "---\ntitle: Vrijwilliger worden\n---\n\nBel ons.\n"
ACTIVITY = "title: Breicafé\nstart: 2026-12-01 14:00\nend: '16:00'\n"
OPTIONS = {"commitMessage": "x", "useWorkflow": False, "status": "draft", "collectionName": "paginas"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A copy of this repository's site and code, as an editor's checkout has them (with .git/ and .cache/)."""
    root = tmp_path_factory.mktemp("editor") / "site"
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(".git", ".venv", "node_modules", "output*", "tests",
                                                              "bench", "examples", ".hypothesis", ".cache",
                                                              "test-artifacts", "docs"))
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "config", "remote.origin.url",
                    "https://x-access-token:GEHEIM-TOKEN@github.com/coalitie/site"], check=True)
    (root / ".cache").mkdir()
    (root / ".cache" / "x").write_text("cache\n")
    outside = root.parent / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("---\ntitle: GEHEIM-BUITEN\n---\n")
    return root


@pytest.fixture(scope="module")
def editor(site):
    options = BuildOptions(root=site, output=site / "output", now=dates.parse_now(NOW))
    running = start(options, port=0, log=lambda text: None, editor=True)
    try:
        yield running
    finally:
        running.stop()


def port_of(running) -> int:
    return running.server.server_address[1]


def post(running, action: str, params: dict, host: str | None = None, origin: str | None = "same",
         content_type: str = "application/json; charset=utf-8") -> tuple[int, dict | None]:
    """A POST as Decap's proxy backend makes it, with the Host and Origin given (default: the preview's own)."""
    port = port_of(running)
    headers = {"Host": host or f"127.0.0.1:{port}", "Content-Type": content_type}
    if origin == "same":
        origin = f"http://127.0.0.1:{port}"
    if origin is not None:
        headers["Origin"] = origin
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("POST", "/api/v1", json.dumps({"action": action, "params": {"branch": "main", **params}}),
                           headers)
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    return response.status, (json.loads(body) if body else None)


def snapshot(site: Path) -> dict[str, str]:
    """Digest of every file of the copy outside content/ (and the file outside the site), to prove nothing moved."""
    found = {}
    for path in sorted([*site.rglob("*"), *(site.parent / "outside").rglob("*")]):
        if path.is_file() and not path.is_symlink() and "content" not in path.relative_to(site.parent).parts:
            found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def entry(path: str, raw: str = "hacked\n", new_path: str | None = None) -> dict:
    data_file = {"slug": "x", "path": path, "raw": raw}
    if new_path:
        data_file["newPath"] = new_path
    return {"dataFiles": [data_file], "assets": [], "options": OPTIONS}


def asset(path: str, data: bytes = PNG) -> dict:
    return {"path": path, "content": base64.b64encode(data).decode(), "encoding": "base64"}


TARGETS = ["build.py", "sitegen/x.py", "sitegen/pipeline.py", ".github/workflows/x.yml",
           ".github/workflows/site.yml", ".cache/x", "../outside/x.md", "content/../build.py", "/etc/x.md",
           "content/.verborgen.md", ".git/config", "content\\..\\build.py", "content//x.md", "content/./x.md",
           "templates/base.html", "content/agenda/x.md", "content/agenda/../../build.py"]


@pytest.mark.parametrize("target", TARGETS)
def test_saving_an_entry_outside_the_collections_is_refused_and_changes_nothing(editor, site, target):
    before = snapshot(site)
    status, answer = post(editor, "persistEntry", entry(target))
    assert status == 403, answer
    assert answer["error"].startswith("De webeditor mag dit bestand niet lezen of veranderen")
    assert snapshot(site) == before


SITE_FORM_KEYS = ("contact", "helplines", "villages", "theme")


def test_site_yaml_saves_change_only_the_keys_of_its_form_and_keep_the_rest_byte_for_byte(editor, site):
    """The web editor edits site.yaml's contact details and helplines (a files collection); a request that also
    changes the address, the menu or where the editor logs in changes none of those."""
    path = site / "site.yaml"
    before = path.read_text(encoding="utf-8")
    import yaml
    sent = yaml.safe_load(before)
    sent["contact"]["phone"] = "0593-000000"
    sent.update(base_url="https://kwaad.example/", menu=[{"title": "Kwaad", "url": "https://kwaad.example/"}],
                cms={"repo": "kwaad/site", "auth_url": "https://kwaad.example"}, help_page="../build.py")
    status, answer = post(editor, "persistEntry", entry("site.yaml", yaml.safe_dump(sent, allow_unicode=True)))
    after = path.read_text(encoding="utf-8")
    try:
        assert status == 200, answer
        assert "0593-000000" in after and "kwaad" not in after
        changed = [l for l in after.splitlines() if l not in before.splitlines()]
        assert changed == ["  phone: 0593-000000"]  # the rest of the file, comments and order too, as it was
    finally:
        path.write_text(before, encoding="utf-8")


@pytest.mark.parametrize("raw", ["hacked\n", "- a\n- b\n", "base_url: https://kwaad.example/\n", "contact: [\n"])
def test_site_yaml_is_not_replaced_by_what_is_not_its_form(editor, site, raw):
    before = snapshot(site)
    status, _ = post(editor, "persistEntry", entry("site.yaml", raw))
    assert status in (200, 403) and snapshot(site) == before


@pytest.mark.parametrize("move", [("content/x.md", "site.yaml"), ("site.yaml", "content/x.md")])
def test_site_yaml_is_never_moved_replaced_or_deleted(editor, site, move):
    before = snapshot(site)
    (site / "content" / "x.md").write_text(PAGE)
    try:
        assert post(editor, "persistEntry", entry(move[0], PAGE, new_path=move[1]))[0] == 403
        assert post(editor, "deleteFile", {"path": "site.yaml", "options": {"commitMessage": "x"}})[0] == 403
        assert snapshot(site) == before
    finally:
        (site / "content" / "x.md").unlink(missing_ok=True)


@pytest.mark.parametrize("target", ["build.py", ".github/workflows/site.yml", ".cache/x", "../outside/x.md",
                                    "sitegen/x.py"])
def test_a_move_out_of_the_collections_is_refused_and_the_entry_is_not_written_either(editor, site, target):
    before = snapshot(site)
    status, answer = post(editor, "persistEntry", entry("content/verplaatst.md", new_path=target))
    assert status == 403, answer
    assert snapshot(site) == before and not (site / "content" / "verplaatst.md").exists()


@pytest.mark.parametrize("target", ["build.py", ".github/workflows/site.yml", ".cache/x", "sitegen/pipeline.py",
                                    "content/../build.py", "../outside/secret.md", "site.yaml"])
def test_deleting_outside_the_content_is_refused(editor, site, target):
    before = snapshot(site)
    assert post(editor, "deleteFile", {"path": target, "options": {"commitMessage": "x"}})[0] == 403
    # All or nothing: a legitimate path in the same request is not deleted either.
    status, _ = post(editor, "deleteFiles", {"paths": ["content/index.md", target],
                                             "options": {"commitMessage": "x"}})
    assert status == 403
    assert snapshot(site) == before and (site / "content" / "index.md").is_file()


@pytest.mark.parametrize("target", [".github/workflows/site.yml", "sitegen/evil.png", ".cache/x.png",
                                    "content/.verborgen.png", "content/evil.md", "content/agenda/evil.yaml",
                                    "content/evil.html", "content/evil.svg", "../outside/x.png"])
def test_media_outside_the_content_or_of_another_kind_is_refused(editor, site, target):
    before = snapshot(site)
    status, _ = post(editor, "persistMedia", {"asset": asset(target), "options": {"commitMessage": "x"}})
    assert status == 403
    status, _ = post(editor, "persistEntry", {**entry("content/met-bijlage.md", PAGE), "assets": [asset(target)]})
    assert status == 403
    assert snapshot(site) == before and not (site / "content" / "met-bijlage.md").exists()
    if target.startswith("content/"):
        assert not (site / target).exists()


@pytest.mark.parametrize("action, params", [
    ("getEntry", {"path": ".git/config"}),
    ("getEntry", {"path": "content/../.git/config"}),
    ("getEntry", {"path": "build.py"}),
    ("entriesByFiles", {"files": [{"path": ".git/config"}]}),
    ("getMediaFile", {"path": ".git/config"}),
    ("getMediaFile", {"path": ".cache/x"}),
    ("entriesByFolder", {"folder": ".git", "extension": "", "depth": 1}),
    ("entriesByFolder", {"folder": ".github/workflows", "extension": "yml", "depth": 1}),
    ("entriesByFolder", {"folder": "", "extension": "py", "depth": 1}),
    ("entriesByFolder", {"folder": "content", "extension": "md", "depth": 20}),
    ("getMedia", {"mediaFolder": ".git"}),
    ("getMedia", {"mediaFolder": "."}),
    ("getMedia", {"mediaFolder": "sitegen"}),
])
def test_reading_outside_the_collections_is_refused(editor, action, params):
    status, answer = post(editor, action, params)
    assert status == 403, answer
    assert "GEHEIM-TOKEN" not in json.dumps(answer) and "[core]" not in json.dumps(answer)


def test_a_symlink_in_content_pointing_out_is_neither_read_nor_written_through(editor, site):
    link = site / "content" / "snelkoppeling.md"
    link.symlink_to("../build.py")
    folder = site / "content" / "map-buiten"
    folder.symlink_to(site.parent / "outside", target_is_directory=True)
    before = snapshot(site)
    try:
        assert post(editor, "getEntry", {"path": "content/snelkoppeling.md"})[0] == 403
        assert post(editor, "persistEntry", entry("content/snelkoppeling.md"))[0] == 403
        assert post(editor, "deleteFile", {"path": "content/snelkoppeling.md",
                                           "options": {"commitMessage": "x"}})[0] == 403
        assert post(editor, "persistMedia", {"asset": asset("content/map-buiten/x.png"),
                                             "options": {"commitMessage": "x"}})[0] == 403
        assert post(editor, "getMedia", {"mediaFolder": "content/map-buiten"})[0] == 403
        status, listed = post(editor, "entriesByFolder", {"folder": "content", "extension": "md", "depth": 1})
        assert status == 200 and "snelkoppeling" not in json.dumps(listed) and "GEHEIM" not in json.dumps(listed)
        assert snapshot(site) == before and link.is_symlink()
        assert not (site.parent / "outside" / "x.png").exists()
    finally:
        link.unlink()
        folder.unlink()


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1", "localhost",
                                  "127.0.0.1:1", "localhost.evil.example:{port}", "0.0.0.0:{port}"])
def test_another_host_is_refused_and_nothing_is_written(editor, site, host):
    status, answer = post(editor, "persistEntry", entry("content/via-andere-host.md", PAGE),
                          host=host.format(port=port_of(editor)))
    assert status == 403 and "De webeditor antwoordt alleen op" in answer["error"]
    assert not (site / "content" / "via-andere-host.md").exists()
    status, answer = post(editor, "getEntry", {"path": "content/index.md"}, host=host.format(port=port_of(editor)))
    assert status == 403 and "data" not in answer


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "http://127.0.0.1:1", "https://127.0.0.1:{port}",
                                    "http://127.0.0.1.evil.example:{port}", None])
def test_another_origin_or_none_is_refused_and_nothing_is_written(editor, site, origin):
    origin = origin.format(port=port_of(editor)) if origin else None
    status, answer = post(editor, "persistEntry", entry("content/van-elders.md", PAGE), origin=origin)
    assert status == 403 and "Alleen de webeditor op deze computer mag hier opslaan" in answer["error"]
    assert not (site / "content" / "van-elders.md").exists()


def test_a_form_post_without_json_is_refused(editor, site):
    """A plain form (text/plain) needs no CORS preflight: it is refused even from the right origin."""
    status, _ = post(editor, "persistEntry", entry("content/formulier.md", PAGE), content_type="text/plain")
    assert status == 415 and not (site / "content" / "formulier.md").exists()


def test_no_cors_preflight_is_granted(editor):
    port = port_of(editor)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("OPTIONS", "/api/v1", headers={"Origin": "http://evil.example",
                                                      "Access-Control-Request-Method": "POST"})
    response = connection.getresponse()
    response.read()
    connection.close()
    assert response.status >= 400 and response.getheader("Access-Control-Allow-Origin") is None


def test_a_request_larger_than_the_limit_is_refused_before_it_is_read(editor):
    port = port_of(editor)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest("POST", "/api/v1", skip_host=True)
    for name, value in (("Host", f"127.0.0.1:{port}"), ("Origin", f"http://127.0.0.1:{port}"),
                        ("Content-Type", "application/json"), ("Content-Length", str(10 ** 9))):
        connection.putheader(name, value)
    connection.endheaders()
    response = connection.getresponse()
    answer = json.loads(response.read())
    connection.close()
    assert response.status == 413 and "te groot" in answer["error"]


@pytest.mark.parametrize("body", [b"[" * 200_000, b"{\"action\": ", b"\xff\xfe", b'"persistEntry"',
                                  b'{"action": "persistEntry", "params": []}',
                                  b'{"action": "unpublishedEntries", "params": {}}'])
def test_a_malformed_request_gets_a_dutch_error_and_the_server_keeps_serving(editor, body):
    port = port_of(editor)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("POST", "/api/v1", body, {"Host": f"127.0.0.1:{port}", "Origin": f"http://127.0.0.1:{port}",
                                                 "Content-Type": "application/json"})
    response = connection.getresponse()
    answer = json.loads(response.read())
    connection.close()
    assert 400 <= response.status < 500 and answer["error"].startswith("D")
    assert post(editor, "getEntry", {"path": "content/index.md"})[0] == 200


def test_the_editor_saves_a_page_an_activity_and_a_picture(editor, site):
    assert post(editor, "persistEntry", entry("content/vrijwilliger-worden.md", PAGE))[0] == 200
    assert (site / "content" / "vrijwilliger-worden.md").read_text(encoding="utf-8") == PAGE
    status, _ = post(editor, "persistEntry", {**entry("content/agenda/breicafe.yaml", ACTIVITY),
                                              "assets": [asset("content/agenda/breicafe.png")]})
    assert status == 200
    assert (site / "content" / "agenda" / "breicafe.yaml").read_text(encoding="utf-8") == ACTIVITY
    assert (site / "content" / "agenda" / "breicafe.png").read_bytes() == PNG
    status, media = post(editor, "persistMedia", {"asset": asset("content/foto.png"),
                                                  "options": {"commitMessage": "x"}})
    assert status == 200 and media["path"] == "content/foto.png" and base64.b64decode(media["content"]) == PNG
    assert media["id"] == hashlib.sha256(PNG).hexdigest() and (site / "content" / "foto.png").read_bytes() == PNG
    leftovers = [p.name for p in (site / "content").rglob(".*")]
    assert leftovers == [], "atomic writes leave no temporary file behind"


def test_the_editor_reads_lists_renames_and_deletes_content(editor, site):
    index = (site / "content" / "index.md").read_bytes()
    status, answer = post(editor, "getEntry", {"path": "content/index.md"})
    assert status == 200 and answer["data"] == index.decode() and answer["file"]["id"] == hashlib.sha256(index).hexdigest()
    status, listed = post(editor, "entriesByFolder", {"folder": "content/agenda", "extension": "yaml", "depth": 1})
    names = {Path(e["file"]["path"]).name for e in listed}
    assert status == 200 and names == {p.name for p in (site / "content" / "agenda").glob("*.yaml")}
    status, _ = post(editor, "persistEntry", entry("content/oud-adres.md", PAGE, new_path="content/nieuw-adres.md"))
    assert status == 200 and (site / "content" / "nieuw-adres.md").read_text() == PAGE
    assert not (site / "content" / "oud-adres.md").exists()
    assert post(editor, "deleteFiles", {"paths": ["content/nieuw-adres.md"], "options": {"commitMessage": "x"}})[0] == 200
    assert not (site / "content" / "nieuw-adres.md").exists()
    status, media = post(editor, "getMedia", {"mediaFolder": "content"})
    assert status == 200 and all(not m["name"].endswith((".md", ".yaml")) for m in media)


def test_the_preview_names_its_own_backend_on_its_own_origin(editor):
    config = editor.live.snapshot.files["admin/config.yml"].decode()
    assert "name: proxy" in config and "proxy_url: /api/v1" in config
