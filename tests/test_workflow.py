"""The GitHub workflow is hardened: zizmor (offline) finds nothing of medium severity or higher."""

import re
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.y*ml"))
ZIZMOR = Path(sys.executable).parent / "zizmor"


def test_zizmor_finds_nothing_of_medium_severity_or_higher():
    result = subprocess.run([str(ZIZMOR), "--offline", "--min-severity", "medium", "--no-progress",
                             *map(str, WORKFLOWS)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_would_notice_an_unpinned_action(tmp_path):
    """The audit really runs: the same workflow with one action back on a tag fails it."""
    text = WORKFLOWS[0].read_text(encoding="utf-8")
    unpinned = re.sub(r"actions/checkout@[0-9a-f]{40}", "actions/checkout@v4", text, count=1)
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / WORKFLOWS[0].name).write_text(unpinned, encoding="utf-8")
    result = subprocess.run([str(ZIZMOR), "--offline", "--min-severity", "medium", "--no-progress",
                             str(folder / WORKFLOWS[0].name)], capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "unpinned-uses" in result.stdout + result.stderr


def test_every_action_is_pinned_to_a_commit_with_its_version_in_a_comment():
    for path in WORKFLOWS:
        for line in path.read_text(encoding="utf-8").splitlines():
            if "uses:" in line:
                assert re.search(r"uses: [\w./-]+@[0-9a-f]{40}\s+# v\d+\.\d+\.\d+$", line), line


def test_the_web_editor_comes_from_the_lock_file_only():
    for path in WORKFLOWS:
        text = path.read_text(encoding="utf-8")
        assert "npm install" not in text and "decap-cms@" not in text
        for job in yaml.safe_load(text)["jobs"].values():
            for step in job["steps"]:
                if "actions/checkout@" in step.get("uses", ""):
                    assert step["with"]["persist-credentials"] is False
