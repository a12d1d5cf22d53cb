"""make test hands out the longest test files first (conftest.LONGEST_FIRST), also under pytest-xdist."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO, write_tree

pytestmark = pytest.mark.slow  # a pytest run of its own, with a worker process

CONFTEST = f"""\
import importlib.util

spec = importlib.util.spec_from_file_location("repo_conftest", {str(REPO / "tests" / "conftest.py")!r})
repo = importlib.util.module_from_spec(spec)
spec.loader.exec_module(repo)


def pytest_configure(config):
    repo.keep_longest_first(config)


def pytest_collection_modifyitems(config, items):
    repo.longest_first(items)
"""


def test_a_listed_file_with_one_test_runs_before_unlisted_files_with_many(tmp_path):
    """xdist's --dist loadfile would start the files with most tests first (its --loadscope-reorder): a
    long file of one test (test_rebuild_every_edit.py) then started last, one worker idle meanwhile."""
    many = "".join(f"def test_{n}():\n    pass\n\n\n" for n in range(5))
    write_tree(tmp_path, {"conftest.py": CONFTEST, "test_a_many.py": many, "test_b_many.py": many,
                          "test_rebuild_every_edit.py": "def test_long():\n    pass\n"})
    result = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-n", "1", "--dist",
                             "loadfile", "-v", "-o", "addopts=", "--rootdir", str(tmp_path), str(tmp_path)],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    ran = [line.split("PASSED ")[1].split("::")[0] for line in result.stdout.splitlines() if "PASSED " in line]
    assert ran[0] == "test_rebuild_every_edit.py", result.stdout
    assert sorted(ran) == sorted(["test_rebuild_every_edit.py"] + ["test_a_many.py"] * 5 + ["test_b_many.py"] * 5)
