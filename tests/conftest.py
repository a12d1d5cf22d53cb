"""Shared test helpers: write a small site from dedented strings, run the build like an editor would."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.util
import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Callable

import jinja2
import jinja2.bccache
import pytest

REPO = Path(__file__).resolve().parent.parent
NOW = "2026-11-23T12:00"

MINIMAL_SITE_YAML = """\
title: Testcoalitie
tagline: Samen tegen eenzaamheid
base_url: https://test.example.nl/
municipality: Testgemeente
contact:
  organisation: Welzijn Test
  phone: 012-3456789
menu:
  - title: Home
    page: index.md
footer_links: []
helplines:
  - name: De Luisterlijn
    phone: 088 0767 000
    hours: dag en nacht
"""


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write files (path -> text, dedented; or bytes as they are) below root."""
    for name, body in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(body, bytes):
            path.write_bytes(body)
        else:
            path.write_text(textwrap.dedent(body), encoding="utf-8")
    return root


@pytest.fixture
def make_site(tmp_path):
    """A site with a valid site.yaml and home page, plus whatever files the test adds or replaces."""

    def make(files: dict[str, str | bytes] | None = None) -> Path:
        base = {
            "site.yaml": MINIMAL_SITE_YAML,
            "content/index.md": "---\ntitle: Welkom\ndescription: De beginpagina.\n---\n\nWelkom op de site.\n",
        }
        base.update(files or {})
        return write_tree(tmp_path / "site", base)

    return make


def run_build(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    """Run build.py as a separate process, as an editor or CI would."""
    with one_build_at_a_time(args, cwd):
        return subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=cwd,
                              capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="session")
def build_main():
    """build_main(*args) -> (exit code, stderr): build.py's main() in this process. For files with many cases
    of what a build says (a message, exit 1, output/ untouched), where a process each would add its start-up
    (half a second) every time; each such file also runs a few of its cases with run_build, as an editor
    does. What only a process shows (a signal, Ctrl-C, a missing package, a crash) stays with run_build."""
    spec = importlib.util.spec_from_file_location("build_py_in_process", REPO / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def run(*args: str) -> tuple[int, str]:
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = module.main(list(args))
        return code, err.getvalue()

    return run


@contextlib.contextmanager
def one_build_at_a_time(args: tuple[str, ...], cwd: Path):
    """Builds of a site in this repository (its own site, examples/) take turns across the test processes
    (pytest -n 2): build.py holds the site's .cache/ for one build and makes a second one give up after 5 s,
    which is right for two editors but not for two test workers that both build the real site. Sites in a
    test's own tmp folder need no turn."""
    site = Path(args[args.index("--site") + 1]) if "--site" in args[:-1] else Path(cwd)
    site = (site if site.is_absolute() else Path(cwd) / site).resolve()
    if not site.is_relative_to(REPO):
        yield
        return
    digest = hashlib.sha256(str(site).encode("utf-8")).hexdigest()[:16]
    with open(Path(tempfile.gettempdir()) / f"sitegen-tests-{digest}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


# A file system in memory, when the machine has one (Linux: /dev/shm). On a virtual machine's disk a build's
# many small writes, renames and folder removals take a third of its time.
RAM = Path("/dev/shm")
RAM_NEEDED = 1 << 30  # a container's /dev/shm is often 64 MiB: too small, so such a machine uses the disk


def _free(folder: Path) -> int:
    stat = os.statvfs(folder)
    return stat.f_bavail * stat.f_frsize


@pytest.fixture(scope="session")
def ram_folders(tmp_path_factory):
    """ram_folders(name) -> a new empty folder in memory (RAM), else below pytest's tmp folder: for tests that
    build a small site tens of times and compare what the builds make (the cache and its keys), not how a
    disk behaves (test_faults and test_safety stay on the disk). Removed at the end of the session."""
    made: list[Path] = []

    def make(name: str) -> Path:
        if not (RAM.is_dir() and os.access(RAM, os.W_OK | os.X_OK) and _free(RAM) >= RAM_NEEDED):
            return tmp_path_factory.mktemp(name)
        made.append(Path(tempfile.mkdtemp(prefix=f"sitegen-test-{name}-", dir=RAM)))
        return made[-1]

    yield make
    for folder in made:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def ram_path(ram_folders):
    """tmp_path, in memory when the machine allows (ram_folders); removed after the test."""
    folder = ram_folders("t")
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


class CompiledTemplates(jinja2.BytecodeCache):
    """jinja2's compiled templates kept in memory, by template name and file; jinja2 checks each against its
    source (a SHA-1 of the text) and compiles again on a mismatch, so an edited template is never served
    stale."""

    def __init__(self) -> None:
        self.stored: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.stored:
            bucket.bytecode_from_string(self.stored[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.stored[bucket.key] = bucket.bytecode_to_string()


@contextlib.contextmanager
def reference_builds_share_compiled_templates(shared: CompiledTemplates):
    """Within: every --no-cache build in this process (the reference a cached build is compared with) takes
    its compiled templates from shared (kept by the test module, over many builds), instead of compiling
    every template anew (40% of a small site's clean build). The compiled code is what jinja2 makes of the
    same template text, so the output is byte for byte a clean build's. Builds with a cache keep their own
    (.cache/jinja)."""
    from sitegen import pipeline

    own = pipeline._bytecode_cache
    pipeline._bytecode_cache = lambda options, paths: own(options, paths) if options.use_cache else shared
    try:
        yield shared
    finally:
        pipeline._bytecode_cache = own


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file below root, by relative path, for whole-tree comparisons."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by Playwright (tests/harness/browser.py): one for the whole test session
    (per xdist worker); every test opens its own context in it, so no cookie or storage crosses tests."""
    from harness.browser import launch

    with launch() as running:
        yield running


@pytest.fixture(scope="module")
def tabs(browser):
    """tabs(width, height=900, **kwargs) -> a page of the module's browser kept open for every test of the
    module that asks for that kind of window (harness.browser.Tabs): cookies and emulated media reset."""
    from harness.browser import Tabs

    pages = Tabs(browser)
    yield pages
    pages.close()


@pytest.fixture(scope="session")
def real_builds(tmp_path_factory, request):
    """This repository's own site (content/, site.yaml) built once per --now for the whole session:
    real_builds(now) -> the output folder. Built with --demo: the agenda's example activities give every agenda
    page type something to show. Shared by every module that reads the real site, and by the test processes
    of pytest -n 2 (the first to ask builds it in the session's folder, the other waits for it, then reads it),
    so its files are made read-only: a test that needs to change one copies the folder first."""
    shared = shared_session_folder(tmp_path_factory, request.config)
    built: dict[str, Path] = {}

    def build(now: str) -> Path:
        if now not in built:
            folder = shared / f"real-{hashlib.sha256(now.encode()).hexdigest()[:12]}"
            built[now] = built_once(folder, lambda output: build_real_site(output, now))
        return built[now]

    return build


def shared_session_folder(tmp_path_factory, config) -> Path:
    """A folder of this pytest session that every test process sees: under pytest-xdist each worker gets a
    folder of its own (popen-gw0, ...) inside the controller's; that one they share."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if hasattr(config, "workerinput") else base


def built_once(folder: Path, make: Callable[[Path], None]) -> Path:
    """folder/output, made by make(output) in the first test process that asks (the others wait on the lock,
    then find it done); when make fails (raises), the next one to ask makes it again (and reports it too)."""
    folder.mkdir(parents=True, exist_ok=True)
    output = folder / "output"
    with open(folder / "lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "done").is_file():
            shutil.rmtree(output, ignore_errors=True)
            make(output)
            (folder / "done").touch()
    return output


def build_real_site(output: Path, now: str) -> None:
    """The real site with --demo into output, its files made read-only (real_builds)."""
    result = run_build("--output", str(output), "--now", now, "--demo", "-q")
    assert result.returncode == 0, result.stderr
    for path in output.rglob("*"):
        if path.is_file():
            path.chmod(0o444)


@pytest.fixture(scope="module")
def real_output(real_builds, request) -> Path:
    """The real site (real_builds) at the test module's NOW when it sets one (the resident tasks look at the
    agenda of a given week), else at conftest's."""
    return real_builds(getattr(request.module, "NOW", NOW))


@pytest.fixture(scope="session")
def served():
    """served(folder) -> its URL on 127.0.0.1: one server per folder for the whole session."""
    from harness.server import serve_directory

    with contextlib.ExitStack() as stack:
        urls: dict[Path, str] = {}

        def serve(folder: Path) -> str:
            if folder not in urls:
                urls[folder] = stack.enter_context(serve_directory(folder))
            return urls[folder]

        yield serve


@pytest.fixture(scope="module")
def real_site_url(real_output, served):
    """real_output served on 127.0.0.1, as a resident's browser reaches it."""
    return served(real_output)


# --------------------------------------------------------------------------- any site: pytest --site PATH

def pytest_addoption(parser):
    parser.addoption("--site", default=None, metavar="MAP",
                     help="run the content-independent tests (marked any_site) against this site folder, built "
                          "under a sub-path; every other test skips (make test SITE=MAP)")


def pytest_configure(config):
    config.addinivalue_line("markers", "any_site: content-independent; runs against the site given by --site")
    keep_longest_first(config)
    site = config.getoption("--site", default=None)
    if site and not (Path(site) / "site.yaml").is_file():
        raise pytest.UsageError(f"--site {site}: daar staat geen site.yaml (geef de map van een site)")
    if not hasattr(config, "workerinput"):  # the controller; xdist's workers get its environment
        subprocesses_keep_compiled_code(config)
    ctrl_c_reaches_the_builds()


def ctrl_c_reaches_the_builds() -> None:
    """A shell that starts a job in the background (make test &, a CI step in some runners) starts it with
    Ctrl-C ignored, and every process inherits that: the builds and servers the tests stop with Ctrl-C as an
    editor does would then go on, and those tests fail for no fault of the generator. Python's own
    handler again here: a handler, unlike ignoring, is not inherited, so every process started from here
    begins with the signal's default, as from a terminal."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def pytest_unconfigure(config):
    folder = config.stash.get(PYCACHE, None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


PYCACHE = pytest.StashKey[Path]()


def subprocesses_keep_compiled_code(config) -> None:
    """With PYTHONDONTWRITEBYTECODE set (as in many containers), every build.py a test starts compiled the
    whole generator again: an eighth of a second of CPU for each of the many builds run as processes.
    They keep the compiled code in a folder of this session instead (PYTHONPYCACHEPREFIX), still writing
    nothing next to the sources; Python checks each file against its source as always."""
    if not os.environ.get("PYTHONDONTWRITEBYTECODE") or os.environ.get("PYTHONPYCACHEPREFIX"):
        return
    folder = Path(tempfile.mkdtemp(prefix="sitegen-tests-pycache-"))
    config.stash[PYCACHE] = folder
    del os.environ["PYTHONDONTWRITEBYTECODE"]
    os.environ["PYTHONPYCACHEPREFIX"] = str(folder)


# The test files that take longest (measured with --durations, summed per file), longest first. make test runs
# whole files in two processes (--dist loadfile), handing out the next file in collection order as a process
# gets free; when one of these came last, the other process sat idle for minutes. Started first, they end
# with the short files filling in around them. A file not listed keeps its place after these: a stale list
# costs time, never a test.
LONGEST_FIRST = ("test_rebuild_equals_clean.py", "test_faults.py", "test_accessibility.py",
                 "test_rebuild_every_edit.py", "test_xss.py", "test_resident_tasks.py", "test_safety.py",
                 "test_redactie.py", "test_crafted_cache.py", "test_cache.py", "test_docs_commands.py",
                 "test_init.py", "test_harness.py", "test_reflow.py", "test_scaffold.py", "test_search_browser.py",
                 "test_symlinks.py", "test_parallel.py", "test_init_browser.py")


def keep_longest_first(config) -> None:
    """pytest-xdist hands out whole files in collection order only without its own reordering: by default
    (--loadscope-reorder) it sorts the files by their number of tests, most first, so that a file with one
    long test (test_rebuild_every_edit.py) started last of all (xdist/scheduler/loadscope.py, schedule())."""
    if hasattr(config.option, "loadscopereorder"):  # pytest-xdist is installed (the controller reads this)
        config.option.loadscopereorder = False


def longest_first(items: list) -> None:
    rank = {name: n for n, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: a file's own order is kept


def pytest_collection_modifyitems(config, items):
    longest_first(items)
    for item in items:  # Chromium or the Nu checker take seconds: every browser test is slow (make test-fast)
        if "browser" in item.keywords and "slow" not in item.keywords:
            item.add_marker(pytest.mark.slow)
    site = config.getoption("--site")
    if not site:
        return
    skip = pytest.mark.skip(reason=f"content-specific: checks this repository's own sites, not --site {site}")
    for item in items:
        if "any_site" not in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def site_source(request) -> Path:
    """The site folder the any_site tests check: --site, else this repository's own site."""
    site = request.config.getoption("--site")
    return Path(site).resolve() if site else REPO
