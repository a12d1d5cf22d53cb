"""One fixture folder per mistake an editor can make; each gives exactly its expected Dutch message.

Each folder under fixtures/invalid/ holds only the files that differ from fixtures/invalid/_base/.
Regenerate the expected messages with: REGENERATE_GOLDEN=1 python -m pytest tests/test_invalid_sites.py
(then read every changed line: they are what editors will see).
"""

import os
import shutil
from pathlib import Path

import pytest

from conftest import NOW, run_build, tree_bytes

FIXTURES = Path(__file__).parent / "fixtures" / "invalid"
CASES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir() and not p.name.startswith("_"))


def assemble_case(case: str, into: Path) -> Path:
    shutil.copytree(FIXTURES / "_base", into)
    shutil.copytree(FIXTURES / case, into, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected.txt"))
    return into


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES)
def test_errors_on_mistake_with_exact_message_and_writes_nothing(case, tmp_path, build_main):
    site = assemble_case(case, tmp_path / "site")
    output = site / "output"
    output.mkdir()
    (output / ".sitegen-output").write_text("van een vorige build")
    (output / "index.html").write_text("vorige site")
    before = tree_bytes(output)

    code, stderr = build_main("--site", str(site), "--now", NOW)  # in this process: 70 cases, see conftest

    assert code == 1, stderr
    expected_file = FIXTURES / case / "expected.txt"
    if os.environ.get("REGENERATE_GOLDEN"):
        expected_file.write_text(stderr, encoding="utf-8")
    assert stderr == expected_file.read_text(encoding="utf-8")
    assert tree_bytes(output) == before, "a failed build must leave output/ as it was"
    assert "Traceback" not in stderr


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES[:: max(1, len(CASES) // 4)])
def test_build_py_as_a_process_says_the_same(case, tmp_path):
    """A few cases as an editor runs them (build.py, a process of its own): exit 1, the same message."""
    site = assemble_case(case, tmp_path / "site")
    result = run_build("--site", str(site), "--now", NOW)
    assert result.returncode == 1, result.stderr
    assert result.stderr == (FIXTURES / case / "expected.txt").read_text(encoding="utf-8")
    assert not (site / "output").exists()
