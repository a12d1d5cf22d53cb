"""Golden output: a small fixture site renders to exactly the committed files.

Regenerate after a deliberate change with:
    REGENERATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
and review the diff of tests/golden/ like any other change.
"""

import os
import shutil
from pathlib import Path

import pytest

from conftest import NOW, run_build, tree_bytes

FIXTURE = Path(__file__).parent / "fixtures" / "golden_site"
GOLDEN = Path(__file__).parent / "golden" / "site"


@pytest.mark.slow
def test_fixture_site_renders_to_the_golden_files(tmp_path):
    output = tmp_path / "output"
    result = run_build("--site", str(FIXTURE), "--output", str(output), "--now", NOW, "--no-cache")
    assert result.returncode == 0, result.stderr
    if os.environ.get("REGENERATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(output, GOLDEN)
    produced, expected = tree_bytes(output), tree_bytes(GOLDEN)
    assert sorted(produced) == sorted(expected)
    for name in expected:
        assert produced[name] == expected[name], f"{name} differs from the golden file"


def site_copy(tmp_path):
    """A copy of the fixture, so that a cached build keeps its .cache/ out of the committed folder."""
    site = tmp_path / "site"
    shutil.copytree(FIXTURE, site, ignore=shutil.ignore_patterns(".cache", "output"))
    return site


@pytest.mark.slow
def test_two_builds_are_byte_identical(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    site = site_copy(tmp_path)
    for out in (first, second):
        assert run_build("--site", str(site), "--output", str(out), "--now", NOW).returncode == 0
    assert tree_bytes(first) == tree_bytes(second)


@pytest.mark.slow
def test_drafts_are_left_out_unless_asked(tmp_path):
    out = tmp_path / "out"
    site = site_copy(tmp_path)
    run_build("--site", str(site), "--output", str(out), "--now", NOW)
    assert not (out / "over" / "concept" / "index.html").exists()
    run_build("--site", str(site), "--output", str(out), "--now", NOW, "--drafts")
    assert (out / "over" / "concept" / "index.html").exists()
