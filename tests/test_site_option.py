"""make test SITE=map: a folder that is not a site is refused at once, in Dutch, whatever the environment
(the check once sat behind the PYTHONDONTWRITEBYTECODE branch of conftest and was skipped without it)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("dont_write_bytecode", [None, "1"])
def test_a_site_folder_without_site_yaml_is_refused_with_a_dutch_message(tmp_path, dont_write_bytecode):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    if dont_write_bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = dont_write_bytecode
    result = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--collect-only", "-q",
                             f"--site={tmp_path}", "tests/test_structure.py"],
                            cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == pytest.ExitCode.USAGE_ERROR, result.stdout + result.stderr
    assert f"--site {tmp_path}: daar staat geen site.yaml" in result.stderr
