"""Shared test helpers: write a small site from dedented strings, run the build like an editor would."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

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
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file below root, by relative path, for whole-tree comparisons."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, driven by Playwright (tests/harness/browser.py): one per test module."""
    from harness.browser import launch

    with launch() as running:
        yield running


@pytest.fixture(scope="module")
def real_output(tmp_path_factory, request) -> Path:
    """This repository's own site (content/, site.yaml) built into a folder of its own, at the test module's
    NOW when it sets one (the resident tasks look at the agenda of a given week), else at conftest's.
    Built with --demo: the agenda's example activities give every agenda page type something to show."""
    folder = tmp_path_factory.mktemp("real") / "output"
    result = run_build("--output", str(folder), "--now", getattr(request.module, "NOW", NOW), "--demo", "-q")
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture(scope="module")
def real_site_url(real_output):
    """real_output served on 127.0.0.1, as a resident's browser reaches it."""
    from harness.server import serve_directory

    with serve_directory(real_output) as url:
        yield url


# --------------------------------------------------------------------------- any site: pytest --site PATH

def pytest_addoption(parser):
    parser.addoption("--site", default=None, metavar="MAP",
                     help="run the content-independent tests (marked any_site) against this site folder, built "
                          "under a sub-path; every other test skips (make test SITE=MAP)")


def pytest_configure(config):
    config.addinivalue_line("markers", "any_site: content-independent; runs against the site given by --site")
    site = config.getoption("--site", default=None)
    if site and not (Path(site) / "site.yaml").is_file():
        raise pytest.UsageError(f"--site {site}: daar staat geen site.yaml (geef de map van een site)")


def pytest_collection_modifyitems(config, items):
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
