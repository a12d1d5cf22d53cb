"""The tests that stop a build or a server with Ctrl-C also work when make test runs in the background."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from conftest import REPO, write_tree

pytestmark = pytest.mark.slow  # a pytest run of its own

CONFTEST = f"""\
import importlib.util

spec = importlib.util.spec_from_file_location("repo_conftest", {str(REPO / "tests" / "conftest.py")!r})
repo = importlib.util.module_from_spec(spec)
spec.loader.exec_module(repo)


def pytest_configure(config):
    repo.ctrl_c_reaches_the_builds()
"""

CHILD = """\
import subprocess
import sys


def test_a_process_started_by_a_test_can_be_stopped_with_ctrl_c():
    disposition = subprocess.run([sys.executable, "-c", "import signal; print(signal.getsignal(signal.SIGINT))"],
                                 capture_output=True, text=True, check=True).stdout
    assert "default_int_handler" in disposition, disposition
"""


def test_a_test_run_started_with_ctrl_c_ignored_gives_its_processes_ctrl_c_back(tmp_path):
    """`make test &` in a non-interactive shell starts pytest with SIGINT ignored; without the conftest's
    reset every build a test started inherited that, and each Ctrl-C test failed (an editor's Ctrl-C did
    nothing)."""
    write_tree(tmp_path, {"conftest.py": CONFTEST, "test_child.py": CHILD})
    result = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-o", "addopts=",
                             "--rootdir", str(tmp_path), str(tmp_path)], cwd=tmp_path, capture_output=True,
                            text=True, timeout=120, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
