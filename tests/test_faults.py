"""Fault injection (issue 19): a damaged cache, a full disk or an odd file never gives a wrong site or a
"Programmafout". Each fault is set up on a copy of a small site, then build.py runs as an editor or CI
runs it, under a timeout. Every build either gives the bytes a clean --no-cache build gives, or exits 1
with a Dutch message while output/ stays byte-identical; never exit 2, never a hang, and nothing left
behind (temporary files, staging folders, processes)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import jinja2
import jinja2.bccache
import pytest

from conftest import (NOW, REPO, CompiledTemplates, reference_builds_share_compiled_templates, tree_bytes,
                      write_tree)
from sitegen.core import dates
from sitegen.incremental.cache import CACHE_DIR, STATE_FILE, STORE_FILE
from sitegen.incremental.lock import BUSY_MESSAGE, LOCK_FILE
from sitegen.core.options import BuildOptions
from sitegen.write.spare import spare_path, work_dir

FIXTURE = Path(__file__).parent / "fixtures" / "golden_site"
TIMEOUT = 120  # seconds: a build that takes longer hangs
ROOT = os.geteuid() == 0
NOTICE = "De bouwcache was beschadigd en is opnieuw gemaakt."  # DAMAGED_NOTICE, as the command line prints it


def make_site(root: Path, pages: int = 0) -> Path:
    """The golden fixture plus a PDF, a static file, an agenda and `pages` extra pages."""
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns(".cache", "output"))
    files = {
        "content/over/samen.md": "---\ntitle: Samen\ndate: 2025-05-01\n---\n\n## Samen\n\nZie [oorzaken](oorzaken.md) "
                                 "en [de folder](folder.pdf).\n",
        "content/over/folder.pdf": b"%PDF-1.4 folder versie 1\n",
        "content/agenda.yaml": "- id: koffie\n  title: Koffie\n  start: 2026-12-01 10:00\n  end: 11:00\n"
                               "  location:\n    name: Dorpshuis\n    place: Beilen\n",
        "static/extra.txt": "eerste versie\n",
    }
    for n in range(pages):
        files[f"content/veel/p{n}.md"] = f"---\ntitle: Pagina {n}\n---\n\nTekst {n} over [samen](../over/samen.md).\n"
    write_tree(root, files)
    return root


def build(root: Path, *args: str, output: Path | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, str(REPO / "build.py"), "--site", str(root), "--now", NOW, *args]
    if output is not None:
        command += ["--output", str(output)]
    return subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})


# The clean builds' compiled templates, kept from one to the next (conftest: checked against the template text).
REFERENCE_TEMPLATES = CompiledTemplates()


def clean_bytes(root: Path, scratch: Path) -> dict[str, bytes]:
    """What a --no-cache build of root makes, in a folder of its own: the reference the builds under test
    are compared with, so build.py's build runs in this process (a second process would only add its
    start-up, a second or so each time), taking the templates compiled by the clean builds before."""
    from sitegen.pipeline import build as clean_build

    out = scratch / f"clean-{time.monotonic_ns()}"
    with reference_builds_share_compiled_templates(REFERENCE_TEMPLATES):
        clean_build(BuildOptions(root=root.resolve(), output=out.resolve(), now=dates.parse_now(NOW),
                                 use_cache=False, workers=1))
    data = tree_bytes(out)
    shutil.rmtree(out)
    shutil.rmtree(spare_path(out, work_dir(out, root)), ignore_errors=True)
    return data


def assert_clean(result: subprocess.CompletedProcess, root: Path, scratch: Path, output: Path | None = None):
    assert result.returncode == 0, result.stderr
    assert tree_bytes(output or root / "output") == clean_bytes(root, scratch)
    assert_nothing_left(root, output)


def assert_refused(result: subprocess.CompletedProcess, before: dict[str, bytes], output: Path, *words: str):
    """Exit 1, a Dutch message naming what to do (words), and output/ exactly as it was."""
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert "Programmafout" not in result.stderr and "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr
    assert tree_bytes(output) == before


def assert_nothing_left(root: Path, output: Path | None = None) -> None:
    output = output or root / "output"
    left = [p.name for p in output.parent.iterdir() if p.name.startswith((f".{output.name}.new-", f".{output.name}.old-"))]
    if (root / CACHE_DIR).is_dir():
        left += [p.name for p in (root / CACHE_DIR).rglob("*.tmp")]
    assert left == []


def edit(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


@pytest.fixture
def site(tmp_path, build_main) -> Path:
    """The site, built once with its cache: in this process (conftest.build_main), since only the builds
    after it are under test (a process of its own added half a second of start-up to every test)."""
    root = make_site(tmp_path / "site")
    code, err = build_main("--site", str(root), "--now", NOW)
    assert code == 0, err
    return root


# --- a cache that cannot lie ---------------------------------------------------------------------------


def flip(path: Path, offset: int, bits: int = 1) -> None:
    data = bytearray(path.read_bytes())
    for n in range(bits):
        data[(offset + n * 7) % len(data)] ^= 1 << (n % 8)
    path.write_bytes(bytes(data))


def cache_files(root: Path) -> list[Path]:
    """The store, the state and the compiled page.html and base.html, which every rebuild of a page loads.
    (A compiled template's file name is a hash of the template's path, so sorting the folder would pick
    different templates in different clones.)"""
    cache = root / CACHE_DIR
    compiled = []
    for name in ("page.html", "base.html"):
        source = next(d / name for d in (root / "templates", REPO / "templates") if (d / name).exists())
        bucket = jinja2.bccache.Bucket(None, jinja2.FileSystemBytecodeCache().get_cache_key(name, str(source)), "")
        compiled.append(cache / "jinja" / jinja2.FileSystemBytecodeCache()._get_cache_filename(bucket).rsplit("/", 1)[1])
    assert all(p.exists() for p in compiled), sorted((cache / "jinja").iterdir())
    return [cache / STORE_FILE, cache / STATE_FILE, *compiled]


@pytest.mark.slow
@pytest.mark.parametrize("which", [0, 1, 2])
def test_flipped_bits_in_any_cache_file_never_give_a_wrong_site(site, tmp_path, which):
    """As in CI, which restores only .cache/: output/ and its spare are gone, so every page comes from
    the cache. Several offsets, and 1 to 16 bits at each."""
    pristine = {p: p.read_bytes() for p in cache_files(site)}
    target = cache_files(site)[which]
    size = len(pristine[target])
    chance = random.Random(which)
    offsets = sorted({size // 2, size - 5, chance.randrange(size)})
    expected = clean_bytes(site, tmp_path)
    for offset in offsets:
        for path, data in pristine.items():
            if path.exists():
                path.write_bytes(data)
        flip(target, offset, bits=chance.choice([1, 3, 16]))
        for folder in (site / "output", spare_path(site / "output", work_dir(site / "output", site))):
            shutil.rmtree(folder, ignore_errors=True)
        result = build(site)
        assert result.returncode == 0, (offset, result.stderr)
        assert "Programmafout" not in result.stderr
        assert tree_bytes(site / "output") == expected, offset
        # And the cache that build left is sound: an edit after it is right too.
        edit(site / "content" / "over" / "samen.md", f"\nNog een zin {offset}.\n")
        assert_clean(build(site), site, tmp_path)
        expected = tree_bytes(site / "output")
        pristine = {p: p.read_bytes() for p in cache_files(site) if p.exists()}
        target = cache_files(site)[which]


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["truncate", "garble", "empty", "directory"])
def test_a_damaged_cache_file_is_dropped_with_one_line(site, tmp_path, damage):
    (site / "content" / "privacy.md").touch()  # past the no-change check, to the cache itself
    for target in cache_files(site):
        if damage == "truncate":
            target.write_bytes(target.read_bytes()[: len(target.read_bytes()) // 2])
        elif damage == "garble":
            target.write_bytes(bytes(b ^ 0x5A for b in target.read_bytes()))
        elif damage == "empty":
            target.write_bytes(b"")
        elif target.name == STATE_FILE:
            target.unlink()
            target.mkdir()
        edit(site / "content" / "over" / "samen.md", f"\n{damage} {target.name}.\n")
        result = build(site)
        assert_clean(result, site, tmp_path)
        # (SQLite takes an empty file for a new database: nothing to say then.)
        if (damage != "directory" or target.name == STATE_FILE) and not (damage == "empty" and target.name == STORE_FILE):
            assert result.stderr.count(NOTICE) == 1, result.stderr
        assert build(site).stderr.count(NOTICE) == 0  # said once; the new cache is fine


@pytest.mark.slow
def test_check_also_drops_a_damaged_cache(site, tmp_path):
    (site / CACHE_DIR / STORE_FILE).write_bytes(b"SQLite format 3\0" + b"\xff" * 5000)
    result = build(site, "check")
    assert result.returncode == 0 and NOTICE in result.stderr, result.stderr


# --- inputs judged by content --------------------------------------------------------------------------


def same_size_old_time(path: Path, data: bytes) -> None:
    """What cp -p, rsync -t or tar do: other bytes, the same size, the old modification time."""
    info = path.stat()
    assert len(data) == info.st_size
    path.write_bytes(data)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


@pytest.mark.parametrize("name", ["content/over/folder.pdf", "content/over/bankje.png", "static/extra.txt",
                                  "content/over/oorzaken.md", "templates/page.html"])
@pytest.mark.slow
def test_a_file_changed_at_the_same_size_and_time_is_read_again(tmp_path, name):
    root = make_site(tmp_path / "site")
    if name.startswith("templates/"):
        write_tree(root, {name: (REPO / "templates" / "page.html").read_text(encoding="utf-8")})
    assert build(root).returncode == 0
    path = root / name
    data = path.read_bytes()
    if name.endswith((".md", ".html")):
        changed = data.replace(b"Waarom", b"Daarom", 1).replace(b"<h1>", b"<h3>", 1)
    else:
        changed = data[:-2] + bytes([data[-2] ^ 1]) + data[-1:]
    assert changed != data
    same_size_old_time(path, changed)
    assert_clean(build(root), root, tmp_path)
    edit(root / "content" / "privacy.md", "\nLater nog iets.\n")  # and also after a later edit
    assert_clean(build(root), root, tmp_path)


# --- output that is what the manifest says ------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("tree", ["output", "spare"])
def test_a_file_edited_by_hand_is_replaced_by_the_next_build(site, tmp_path, tree):
    edit(site / "content" / "privacy.md", "\nTweede versie.\n")
    assert build(site).returncode == 0  # now the spare holds a full tree as well
    folder = site / "output" if tree == "output" else spare_path(site / "output", work_dir(site / "output", site))
    page = folder / "over" / "oorzaken" / "index.html"
    data = page.read_bytes()
    with page.open("r+b") as handle:  # in place, at the same size, the time put back
        handle.write(b"<!-- met de hand -->")
    os.utime(page, ns=(page.stat().st_atime_ns, page.stat().st_mtime_ns - 10**9))
    assert page.read_bytes() != data
    result = build(site)  # no input changed
    assert_clean(result, site, tmp_path)
    if tree == "output":
        assert "met de hand veranderd" in result.stderr and "over/oorzaken/index.html" in result.stderr
    for _ in range(2):
        edit(site / "content" / "privacy.md", "\nNog een versie.\n")
        assert_clean(build(site), site, tmp_path)
    served = {(p.stat().st_ino, p.stat().st_dev) for p in (site / "output").rglob("*") if p.is_file()}
    spare = {(p.stat().st_ino, p.stat().st_dev) for p in spare_path(site / "output", work_dir(site / "output", site)).rglob("*") if p.is_file()}
    assert not served & spare  # no hard links between the served tree and the one written next


# --- environment faults ----------------------------------------------------------------------------------


@contextlib.contextmanager
def tmpfs(where: Path, size: str):
    where.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], check=True)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def mounts_allowed() -> bool:
    if not ROOT:
        return False
    probe = Path("/tmp") / f"sitegen-mount-probe-{os.getpid()}"
    probe.mkdir(exist_ok=True)
    try:
        ok = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe)],
                            capture_output=True).returncode == 0
        if ok:
            subprocess.run(["umount", str(probe)], check=False)
        return ok
    finally:
        probe.rmdir()


needs_mounts = pytest.mark.skipif(not mounts_allowed(), reason="mounting a tmpfs or a bind mount needs root "
                                  "(and a system that allows it)")


def fill(folder: Path, leave: int) -> Path:
    """A file that takes all free space of folder's file system but `leave` bytes."""
    filler = folder / "vulling"
    stats = os.statvfs(folder)
    free = stats.f_bavail * stats.f_frsize
    with filler.open("wb") as handle:
        try:
            handle.write(b"\0" * max(0, free - leave))
            handle.flush()
            os.fsync(handle.fileno())
        except OSError:
            pass
    return filler


@pytest.mark.slow
@needs_mounts
@pytest.mark.parametrize("where", ["site", "cache"])
def test_a_full_disk_fails_cleanly_and_the_next_build_is_right(tmp_path, where):
    """The site (with output/) or only .cache on a small tmpfs that fills up at several moments of a build."""
    with tmpfs(tmp_path / "disk", "4m") as disk:
        if where == "site":
            root = make_site(disk / "site", pages=30)
            full = disk
        else:
            root = make_site(tmp_path / "site", pages=30)
            (root / CACHE_DIR).mkdir()
            subprocess.run(["mount", "--bind", str(disk), str(root / CACHE_DIR)], check=True)
            full = root / CACHE_DIR
        try:
            assert build(root).returncode == 0
            outcomes = []
            for n, leave in enumerate([0, 16 * 1024, 96 * 1024]):
                before = tree_bytes(root / "output")
                edit(root / "content" / "over" / "samen.md", f"\nRonde {n}: " + "tekst " * 400 + "\n")
                filler = fill(full, leave)
                result = build(root)
                outcomes.append(result.returncode)
                if result.returncode == 1:
                    assert_refused(result, before, root / "output", "schijf is vol")
                else:
                    assert result.returncode == 0, result.stderr
                assert_nothing_left(root)
                filler.unlink()
                # With room again, the next build is exactly a clean one (no stale file kept).
                edit(root / "content" / "privacy.md", f"\nRonde {n}.\n")
                result = build(root)
                assert result.returncode == 0, result.stderr
                assert tree_bytes(root / "output") == clean_bytes(root, tmp_path)
            assert 1 in outcomes  # the disk did fill up during a build
        finally:
            if where == "cache":
                subprocess.run(["umount", "-l", str(root / CACHE_DIR)], check=False)


@pytest.mark.slow
@needs_mounts
def test_a_read_only_site_folder_is_an_editor_message(tmp_path):
    root = make_site(tmp_path / "site")
    out = tmp_path / "uit"
    assert build(root, output=out).returncode == 0
    edit(root / "content" / "over" / "samen.md", "\nAnders.\n")
    before = tree_bytes(out)
    subprocess.run(["mount", "--bind", "-o", "ro", str(root), str(root)], check=True)
    try:
        result = build(root, output=out)
        assert_refused(result, before, out, "alleen-lezen", str(root))
    finally:
        subprocess.run(["umount", "-l", str(root)], check=False)
    assert_clean(build(root, output=out), root, tmp_path, output=out)


@pytest.mark.slow
def test_cache_that_is_a_file_is_an_editor_message(site, tmp_path):
    before = tree_bytes(site / "output")
    shutil.rmtree(site / CACHE_DIR)
    (site / CACHE_DIR).write_text("geen map")
    edit(site / "content" / "over" / "samen.md", "\nAnders.\n")
    assert_refused(build(site), before, site / "output", "een bestand waar een map moet", ".cache")
    (site / CACHE_DIR).unlink()
    assert_clean(build(site), site, tmp_path)


@pytest.mark.slow
def test_output_whose_parent_is_a_file_is_an_editor_message(site, tmp_path):
    (tmp_path / "bestand").write_text("x")
    result = build(site, output=tmp_path / "bestand" / "uit")
    assert result.returncode == 1 and "Programmafout" not in result.stderr, result.stderr
    assert "bestand" in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("where", ["content/kapot.md", "content/over/foto.png", "static/pijp.css"])
def test_a_fifo_is_refused_and_never_opened(site, tmp_path, where):
    # Issue 24: a special file in the sources is refused like a symlink (it was skipped with a warning).
    os.mkfifo(site / where)
    before = tree_bytes(site / "output")
    assert_refused(build(site), before, site / "output", "geen gewoon bestand", where)
    assert build(site, "check").returncode == 1
    os.unlink(site / where)
    assert_clean(build(site), site, tmp_path)


@pytest.mark.slow
def test_a_fifo_as_a_template_is_refused(site, tmp_path):
    (site / "templates").mkdir(exist_ok=True)
    os.mkfifo(site / "templates" / "page.html")
    before = tree_bytes(site / "output")
    assert_refused(build(site), before, site / "output", "geen gewoon bestand", "page.html")
    assert build(site, "check").returncode == 1


@pytest.mark.slow
def test_a_file_name_that_is_not_utf8_is_an_editor_message(site, tmp_path):
    before = tree_bytes(site / "output")
    with open(os.path.join(os.fsencode(site / "content"), b"caf\xe9.md"), "wb") as handle:
        handle.write(b"---\ntitle: Caf\xc3\xa9\n---\n\nKoffie.\n")
    result = build(site)
    assert_refused(result, before, site / "output", "geen geldige tekst", "caf�.md")
    os.unlink(os.path.join(os.fsencode(site / "content"), b"caf\xe9.md"))
    assert_clean(build(site), site, tmp_path)


@pytest.mark.slow
def test_a_symlink_loop_is_an_editor_message_also_with_a_cache(site, tmp_path):
    before = tree_bytes(site / "output")
    (site / "content" / "a.md").symlink_to("b.md")
    (site / "content" / "b.md").symlink_to("a.md")
    for _ in range(2):  # the second time nothing else changed: the no-change check must not skip it
        assert_refused(build(site), before, site / "output", "in een kring", "a.md")
    (site / "content" / "a.md").unlink()
    (site / "content" / "b.md").unlink()
    assert_clean(build(site), site, tmp_path)


# --- one build at a time ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_second_build_waits_then_gives_up_without_touching_anything(site, tmp_path):
    edit(site / "content" / "over" / "samen.md", "\nAnders.\n")
    before = tree_bytes(site / "output")
    cache_before = {p: p.read_bytes() for p in (site / CACHE_DIR).rglob("*") if p.is_file()}
    with open(site / CACHE_DIR / LOCK_FILE, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a build of this site is running
        result = build(site)
    assert_refused(result, before, site / "output", BUSY_MESSAGE)
    assert {p: p.read_bytes() for p in (site / CACHE_DIR).rglob("*") if p.is_file()} == cache_before
    assert_clean(build(site), site, tmp_path)


@pytest.mark.slow
def test_a_state_file_left_half_written_by_a_killed_build_is_cleared_by_the_next(site, tmp_path):
    """A build killed while it writes .cache/state.json leaves its temporary file (the kill lands there
    now and then in the test below): the next build that saves the cache removes it."""
    edit(site / "content" / "over" / "samen.md", "\nEen regel erbij.\n")
    (site / CACHE_DIR / "state.json.99999.tmp").write_bytes(b"half")
    assert_clean(build(site), site, tmp_path)


@pytest.mark.slow
def test_a_store_held_by_another_process_then_a_killed_build(site, tmp_path):
    """Another process holds blobs.sqlite; the build works without saving it. Then a build is killed while
    writing: no later build shows a reverted page."""
    edit(site / "content" / "over" / "samen.md", "\nEerste regel erbij.\n")
    other = sqlite3.connect(site / CACHE_DIR / STORE_FILE, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        assert_clean(build(site), site, tmp_path)
    finally:
        other.rollback()
        other.close()
    page = site / "content" / "over" / "samen.md"
    page.write_text(page.read_text(encoding="utf-8").replace("\nEerste regel erbij.\n", ""), encoding="utf-8")
    for delay in (0.3, 0.6, 0.9):
        process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--site", str(site), "--now", NOW],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.kill()
        process.wait()
        assert_clean(build(site), site, tmp_path)
        assert b"Eerste regel erbij" not in (site / "output" / "over" / "samen" / "index.html").read_bytes()
        edit(site / "content" / "privacy.md", f"\n{delay}\n")


# --- no orphans ------------------------------------------------------------------------------------------


def children(pid: int) -> set[int]:
    found = set()
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found.update(int(n) for n in handle.read().split())
    except OSError:
        pass
    return found


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split(") ")[-1][0] != "Z"
    except OSError:
        return False


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_workers_end_when_the_build_is_killed(tmp_path):
    root = make_site(tmp_path / "site", pages=120)
    seen_any = False
    for attempt in range(6):
        shutil.rmtree(root / CACHE_DIR, ignore_errors=True)  # a cold build: the pools start
        process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--site", str(root), "--now", NOW,
                                    "--jobs", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        workers: set[int] = set()
        deadline = time.monotonic() + 60
        while not workers and process.poll() is None and time.monotonic() < deadline:
            workers = children(process.pid)
            time.sleep(0.002)
        time.sleep(0.01 * attempt)
        workers |= children(process.pid)
        process.kill()  # only the build itself, as an out-of-memory killer would
        process.wait()
        seen_any = seen_any or bool(workers)
        gone = time.monotonic() + 2  # the workers have 2 seconds to notice and end
        while any(alive(pid) for pid in workers) and time.monotonic() < gone:
            time.sleep(0.02)
        assert [pid for pid in workers if alive(pid)] == []
    assert seen_any


# --- the dev server reads a settled file -----------------------------------------------------------------


def test_serve_reads_a_file_saved_in_two_steps_again(tmp_path):
    from sitegen.tools.serve.live import LiveSite

    root = make_site(tmp_path / "site")
    live = LiveSite(BuildOptions(root=root, output=root / "output", now=dates.parse_now(NOW), use_cache=False,
                                 search=False, workers=1), log=lambda *a: None)
    assert not live.rebuild().failed
    page = root / "content" / "over" / "samen.md"
    text = page.read_text(encoding="utf-8")
    page.write_text("", encoding="utf-8")  # step one: the editor's program empties the file

    def finish() -> None:
        time.sleep(0.05)
        page.write_text(text + "\nNieuw.\n", encoding="utf-8")  # step two

    writer = threading.Thread(target=finish)
    writer.start()
    snapshot = live.rebuild()
    writer.join()
    assert not snapshot.failed, snapshot.problems
    assert b"Nieuw." in snapshot.files["over/samen/index.html"]
