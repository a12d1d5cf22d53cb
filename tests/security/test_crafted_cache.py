"""A cache is data, not code (issue 24, item 5): a `.cache/` restored from a CI artifact is input from a
stranger. For each file of the cache a crafted payload that would run code when unpickled or unmarshalled
(with a valid checksum, computed as the cache computes it: a checksum is no defence) must never run: the
build drops the cache with its one line, exits 0 and writes what a clean build writes. And the cache is
keyed on what the output depends on besides the site: the time zone data and the vendored web editor."""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import pickle
import shutil
import sqlite3
import subprocess
import sys
import zlib
from pathlib import Path

import jinja2
import jinja2.bccache
import pytest

from conftest import NOW, REPO, tree_bytes, write_tree
from sitegen.incremental.cache import CACHE_DIR, STATE_FILE, STORE_FILE
from sitegen.incremental.bytecode import KEY_FILE
from sitegen.incremental.store import seal

FIXTURE = REPO / "tests" / "fixtures" / "golden_site"
NOTICE = "De bouwcache was beschadigd en is opnieuw gemaakt."  # cache.DAMAGED_NOTICE, as printed
TIMEOUT = 120


class Exploit:
    """Unpickled, it runs a shell command: what a crafted cache would hide in a pickle."""

    def __init__(self, command: str) -> None:
        self.command = command

    def __reduce__(self):
        return os.system, (self.command,)


def make_site(root: Path) -> Path:
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns(".cache", "output"))
    write_tree(root, {
        "content/over/samen.md": "---\ntitle: Samen\ndate: 2025-05-01\n---\n\n## Samen\n\nZie [oorzaken](oorzaken.md).\n",
        "content/agenda.yaml": "- id: koffie\n  title: Koffie\n  start: 2026-12-01 10:00\n  end: 11:00\n"
                               "  location:\n    name: Dorpshuis\n    place: Beilen\n",
    })
    return root


@pytest.fixture
def env(tmp_path) -> dict:
    """The builds' environment: their own key folder (XDG_CACHE_HOME), so the test knows where it is."""
    return {**os.environ, "PYTHONIOENCODING": "utf-8", "XDG_CACHE_HOME": str(tmp_path / "user-cache")}


def build(root: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "build.py"), "--site", str(root), "--now", NOW, *args],
                          capture_output=True, text=True, timeout=TIMEOUT, env=env)


def clean_bytes(root: Path, env: dict, scratch: Path) -> dict[str, bytes]:
    out = scratch / "clean-output"
    shutil.rmtree(out, ignore_errors=True)
    result = build(root, env, "--no-cache", "--output", str(out))
    assert result.returncode == 0, result.stderr
    return tree_bytes(out)


def edit(path: Path, text: str) -> None:
    """An edit of a page, so that the next build gets past the no-change check, reads the cache and
    renders that page (with page.html) again."""
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def assert_refused_and_rebuilt(result, root: Path, env: dict, scratch: Path, marker: Path, notice: bool = True):
    assert not marker.exists(), "the crafted cache ran code"
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "Programmafout" not in result.stderr
    assert result.stderr.count(NOTICE) == (1 if notice else 0), result.stderr
    assert tree_bytes(root / "output") == clean_bytes(root, env, scratch)
    assert not marker.exists()


@pytest.fixture
def site(tmp_path, env) -> Path:
    root = make_site(tmp_path / "site")
    first = build(root, env)
    assert first.returncode == 0, first.stderr
    return root


# --- the state file -------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_pickle_in_the_state_file_never_runs(site, env, tmp_path):
    marker = tmp_path / "MARKER-state"
    payload = pickle.dumps(Exploit(f"touch {marker}"))
    state = site / CACHE_DIR / STATE_FILE
    # In the state file's own form: its first line the checksum of the rest, as cache._dump computes it.
    state.write_bytes(b"%08x\n" % zlib.crc32(payload, zlib.crc32(STATE_FILE.encode())) + payload)
    # And where the previous version kept it, sealed as store.seal does: never read again.
    (site / CACHE_DIR / "state.pickle").write_bytes(seal(b"state.pickle", payload))
    result = build(site, env)
    assert_refused_and_rebuilt(result, site, env, tmp_path, marker)
    assert not (site / CACHE_DIR / "state.pickle").exists()  # the old file is removed with the cache


@pytest.mark.slow
def test_json_naming_a_type_the_cache_does_not_hold_is_refused(site, env, tmp_path):
    marker = tmp_path / "MARKER-json"
    state = site / CACHE_DIR / STATE_FILE
    data = json.loads(state.read_bytes().partition(b"\n")[2])
    data["m"][data["m"].index("warnings") + 1] = [{"os.system": [f"touch {marker}"]}]
    payload = json.dumps(data).encode()
    state.write_bytes(b"%08x\n" % zlib.crc32(payload, zlib.crc32(STATE_FILE.encode())) + payload)
    assert_refused_and_rebuilt(build(site, env), site, env, tmp_path, marker)


# --- a row of each kind in blobs.sqlite -----------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["conversions", "hints", "renders", "sources"])
def test_a_pickle_in_a_cache_entry_never_runs(site, env, tmp_path, kind):
    marker = tmp_path / f"MARKER-{kind}"
    payload = pickle.dumps(Exploit(f"touch {marker}"))
    with sqlite3.connect(site / CACHE_DIR / STORE_FILE) as db:
        key = db.execute("SELECT key FROM entries WHERE kind = ? LIMIT 1", (kind,)).fetchone()[0]
        # Sealed as store.save_entries seals an entry (its kind and key in the checksum), in place of a real one.
        db.execute("UPDATE entries SET value = ? WHERE kind = ? AND key = ?",
                   (seal(kind.encode() + b"\0" + key.encode(), payload), kind, key))
        # And a row with a pickled key, as the previous version wrote keys.
        pickled_key = pickle.dumps(Exploit(f"touch {marker}-key"))
        db.execute("INSERT INTO entries (kind, key, value) VALUES (?, ?, ?)",
                   (kind, pickled_key, seal(kind.encode() + b"\0" + pickled_key, payload)))
    edit(site / "content" / "over" / "samen.md", "\nNog een zin.\n")
    result = build(site, env)
    assert not Path(f"{marker}-key").exists()
    assert_refused_and_rebuilt(result, site, env, tmp_path, marker)


@pytest.mark.slow
def test_an_entry_of_whitelisted_types_in_the_wrong_place_is_refused(site, env, tmp_path):
    """The codec builds only known types; a known type where another belongs (a Location for a
    conversion) is damage too, not a crash further on."""
    with sqlite3.connect(site / CACHE_DIR / STORE_FILE) as db:
        key = db.execute("SELECT key FROM entries WHERE kind = 'conversions' LIMIT 1").fetchone()[0]
        value = b'{"Location":["content/index.md",1,1]}'
        db.execute("UPDATE entries SET value = ? WHERE kind = 'conversions' AND key = ?",
                   (seal(b"conversions\0" + key.encode(), value), key))
    edit(site / "content" / "over" / "samen.md", "\nNog een zin.\n")
    assert_refused_and_rebuilt(build(site, env), site, env, tmp_path, tmp_path / "no-marker")


# --- special files ---------------------------------------------------------------------------------------


def cache_file_kinds(root: Path) -> dict[str, Path]:
    """One file of each kind a restored .cache/ holds, after a build and a rebuild (so the spare holds files)."""
    cache = root / CACHE_DIR
    spare = next((cache / "output-trees").glob("*/.sitegen-spare-output"))
    return {"state": cache / STATE_FILE, "store": cache / STORE_FILE, "gitignore": cache / ".gitignore",
            "lock": cache / "build.lock", "compiled": compiled_page_template(root),
            "spare record": spare / ".sitegen-spare.json", "spare ignore": spare / ".gitignore",
            "spare page": spare / "over" / "samen" / "index.html"}


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["state", "store", "gitignore", "lock", "compiled", "spare record", "spare ignore",
                                  "spare page"])
def test_a_fifo_anywhere_in_a_restored_cache_never_holds_the_build(site, env, tmp_path, kind):
    """tar (and so actions/cache) restores FIFOs: opening one to read or write waits for ever for the other
    end. The spare's record and the cache's .gitignore held the build until its CI job timed out."""
    edit(site / "content" / "over" / "samen.md", "\nEerst.\n")
    assert build(site, env).returncode == 0
    target = cache_file_kinds(site)[kind]
    assert target.is_file(), target
    target.unlink()
    os.mkfifo(target)
    edit(site / "content" / "over" / "samen.md", "\nDaarna.\n")
    result = build(site, env)  # subprocess.TimeoutExpired (120 s) when it waits
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "Programmafout" not in result.stderr
    assert tree_bytes(site / "output") == clean_bytes(site, env, tmp_path)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file and folder below folder (a folder as None), to see that nothing there was touched."""
    return {p.relative_to(folder).as_posix(): None if p.is_dir() else p.read_bytes() for p in folder.rglob("*")}


LINKED = {  # what stands in .cache/ in a restored cache -> what its link points to, out of the site
    "cache folder": ("", "copy of the cache"), "trees folder": ("output-trees", "empty folder"),
    "work folder": ("output-trees/*", "empty folder"), "store": (STORE_FILE, "other database"),
    "store, not there yet": (STORE_FILE, "nothing"), "journal": (STORE_FILE + "-journal", "file"),
    "lock": ("build.lock", "nothing"), "state": (STATE_FILE, "file"), "gitignore": (".gitignore", "file"),
}


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(LINKED))
def test_a_link_anywhere_in_a_restored_cache_is_never_followed(site, env, tmp_path, kind):
    """tar (and so actions/cache) restores links. A build followed them: it wrote the spare, the previous
    output/ with a page taken down for privacy reasons, into the folder a work folder or .cache/ itself
    linked to (a web server's, say), SQLite's tables into any database (or a new file) a link put in
    place of the store, and a file where the lock's link pointed. Each link must be removed, never
    followed: what it points to stays as it was, and the build makes what a clean build makes."""
    edit(site / "content" / "over" / "samen.md", "\nEerst.\n")
    assert build(site, env).returncode == 0  # now the spare holds the previous output/
    name, target_kind = LINKED[kind]
    place = next((site / CACHE_DIR).glob(name)) if "*" in name else site / CACHE_DIR / name
    outside = tmp_path / "outside"
    outside.mkdir()
    target = outside / "target"
    if target_kind == "copy of the cache":
        shutil.copytree(place, target, symlinks=True)
    elif target_kind == "empty folder":
        target.mkdir()
    elif target_kind == "other database":
        with sqlite3.connect(target) as db:
            db.execute("CREATE TABLE people (name TEXT)")
        db.close()
    elif target_kind == "file":
        target.write_bytes(b"precious\n")
    if place.is_dir() and not place.is_symlink():
        shutil.rmtree(place)
    else:
        place.unlink(missing_ok=True)
    place.symlink_to(target, target_is_directory=target.is_dir())
    before = snapshot(outside)
    edit(site / "content" / "over" / "samen.md", "\nDaarna.\n")
    result = build(site, env)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "Programmafout" not in result.stderr
    assert snapshot(outside) == before, f"{kind}: the build wrote where the link pointed"
    assert not place.is_symlink()
    assert tree_bytes(site / "output") == clean_bytes(site, env, tmp_path)


# --- the compiled templates -----------------------------------------------------------------------------


def compiled_page_template(root: Path) -> Path:
    """The file of .cache/jinja/ that holds page.html compiled (its name is a hash of the template's path)."""
    source = next(d / "page.html" for d in (root / "templates", REPO / "templates") if (d / "page.html").exists())
    bucket = jinja2.bccache.Bucket(None, jinja2.FileSystemBytecodeCache().get_cache_key("page.html", str(source)), "")
    return root / CACHE_DIR / "jinja" / jinja2.FileSystemBytecodeCache()._get_cache_filename(bucket).rsplit("/", 1)[1]


def exploit_bytecode(marker: Path) -> bytes:
    """What jinja2 would load as a compiled template and run: its header, then a pickle (jinja2 unpickles
    the source checksum) and marshalled code."""
    code = compile(f"import os\nos.system('touch {marker}-code')\n", "page.html", "exec")
    return jinja2.bccache.bc_magic + pickle.dumps(Exploit(f"touch {marker}"), 2) + marshal.dumps(code)


@pytest.mark.slow
@pytest.mark.parametrize("form", ["checksum", "our-key-id", "other-key"])
def test_a_crafted_compiled_template_never_runs(site, env, tmp_path, form):
    """checksum: sealed as the previous version sealed it (CRC-32, store.seal). our-key-id: in the signed
    form with this user's key id but a signature made without the key (which is not in the cache or the
    site). other-key: signed with another key, as a cache made on another machine: a miss, compiled again."""
    from sitegen.incremental import bytecode as memo

    marker = tmp_path / f"MARKER-{form}"
    target = compiled_page_template(site)
    assert target.exists()
    bucket_key = jinja2.FileSystemBytecodeCache().get_cache_key(
        "page.html", str(next(d / "page.html" for d in (site / "templates", REPO / "templates")
                              if (d / "page.html").exists())))
    body = exploit_bytecode(marker)
    if form == "checksum":
        target.write_bytes(seal(bucket_key.encode(), body))
    else:
        key = (Path(env["XDG_CACHE_HOME"]) / "sitegen" / KEY_FILE).read_bytes()
        guessed = hashlib.sha256(b"a guess").digest()
        key_id = memo._key_id(key) if form == "our-key-id" else memo._key_id(guessed)
        target.write_bytes(memo._MAGIC + key_id + memo._sign(guessed, bucket_key, body) + body)
    edit(site / "content" / "over" / "samen.md", "\nNog een zin.\n")
    result = build(site, env)
    assert not Path(f"{marker}-code").exists()
    assert_refused_and_rebuilt(result, site, env, tmp_path, marker, notice=form != "other-key")
    key = (Path(env["XDG_CACHE_HOME"]) / "sitegen" / KEY_FILE).read_bytes()
    assert target.read_bytes().startswith(memo._MAGIC + memo._key_id(key))  # compiled and signed again


@pytest.mark.slow
def test_without_a_usable_key_nothing_compiled_is_kept_or_read(site, env, tmp_path):
    """A key file others may write is not trusted: the build compiles every template and keeps none."""
    key = Path(env["XDG_CACHE_HOME"]) / "sitegen" / KEY_FILE
    key.chmod(0o666)
    shutil.rmtree(site / CACHE_DIR / "jinja")
    edit(site / "content" / "over" / "samen.md", "\nNog een zin.\n")
    result = build(site, env)
    assert result.returncode == 0, result.stderr
    assert not any((site / CACHE_DIR / "jinja").iterdir())
    assert tree_bytes(site / "output") == clean_bytes(site, env, tmp_path)


# --- what the output depends on besides the site -----------------------------------------------------------


def zone_folder(folder: Path, zone_file: Path, release: str) -> Path:
    """A zoneinfo folder (PYTHONTZPATH) whose Europe/Amsterdam holds zone_file's rules."""
    (folder / "Europe").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(zone_file, folder / "Europe" / "Amsterdam")
    for name in ("UTC", "Etc/UTC"):
        if (Path("/usr/share/zoneinfo") / name).exists():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path("/usr/share/zoneinfo") / name, folder / name)
    (folder / "tzdata.zi").write_text(f"# version {release}\n", encoding="ascii")
    return folder


def cache_version(root: Path) -> str:
    with sqlite3.connect(root / CACHE_DIR / STORE_FILE) as db:
        return db.execute("SELECT value FROM meta WHERE name = 'version'").fetchone()[0]


@pytest.mark.slow
@pytest.mark.skipif(not Path("/usr/share/zoneinfo/Asia/Tokyo").exists(), reason="no system zoneinfo")
def test_new_time_zone_data_makes_the_cached_build_redo_what_depends_on_it(tmp_path, env):
    zones = tmp_path / "zoneinfo"
    env = {**env, "PYTHONTZPATH": str(zone_folder(zones, Path("/usr/share/zoneinfo/Europe/Amsterdam"), "2025a"))}
    root = make_site(tmp_path / "site")
    assert build(root, env).returncode == 0
    version = cache_version(root)
    # Only the release named in tzdata.zi changes: the cache's version changes with it.
    zone_folder(zones, Path("/usr/share/zoneinfo/Europe/Amsterdam"), "2025b")
    assert build(root, env).returncode == 0
    assert cache_version(root) != version
    before = tree_bytes(root / "output")
    # New rules for the zone (Tokyo's, to make the difference plain): calendars and feeds change.
    zone_folder(zones, Path("/usr/share/zoneinfo/Asia/Tokyo"), "2025c")
    result = build(root, env)
    assert result.returncode == 0, result.stderr
    clean = clean_bytes(root, env, tmp_path)
    assert clean != before  # the zone data shows in the output (else this test proves nothing)
    assert tree_bytes(root / "output") == clean


@pytest.mark.slow
def test_a_new_decap_cms_js_reaches_the_output(tmp_path, env):
    root = make_site(tmp_path / "site")
    with (root / "site.yaml").open("a", encoding="utf-8") as handle:
        handle.write("cms:\n  repo: coalitie/website\n")
    program = root / "node_modules" / "decap-cms" / "dist" / "decap-cms.js"
    program.parent.mkdir(parents=True)
    program.write_text("/* decap-cms 3.0.0 stand-in */\n", encoding="utf-8")
    assert build(root, env).returncode == 0
    assert (root / "output" / "admin" / "decap-cms.js").read_text(encoding="utf-8") == program.read_text(encoding="utf-8")
    program.write_text("/* decap-cms 3.0.1 stand-in */\n", encoding="utf-8")  # npm ci of a new version
    result = build(root, env)
    assert result.returncode == 0, result.stderr
    assert (root / "output" / "admin" / "decap-cms.js").read_text(encoding="utf-8") == "/* decap-cms 3.0.1 stand-in */\n"
    assert tree_bytes(root / "output") == clean_bytes(root, env, tmp_path)
