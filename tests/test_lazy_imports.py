"""A one-page edit in a fresh build.py process loads no module only other work needs (issue 25 item 6):
the recurrence rules' parser (dateutil.rrule) only when activities are expanded again."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import sys
from pathlib import Path

from conftest import NOW, REPO, write_tree

FIXTURE = Path(__file__).parent / "fixtures" / "golden_site"
AGENDA = """\
- id: koffie
  title: Koffie
  start: 2026-11-24 10:00
  end: 11:30
  repeat:
    every: week
  location:
    name: Dorpshuis
    place: Beilen
"""


def loaded_after_build(root: Path, modules: tuple[str, ...]) -> list[bool]:
    code = (f"import sys, build; build.main(['--site', {str(root)!r}, '--now', {NOW!r}, '-q']); "
            f"print(' '.join(str(m in sys.modules) for m in {modules!r}))")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    return [word == "True" for word in done.stdout.split()]


def test_a_page_edit_does_not_load_the_recurrence_parser(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns(".cache", "output"))
    write_tree(root, {"content/agenda.yaml": AGENDA})
    hour_ago = time.time() - 3600  # files as old as a checkout's: the cache trusts their times
    for path in root.rglob("*"):
        os.utime(path, (hour_ago, hour_ago))
    assert loaded_after_build(root, ("dateutil.rrule",)) == [True]  # the first build expands the rule
    page = next(path for path in sorted((root / "content").glob("*.md")) if path.name != "index.md")
    page.write_text(page.read_text(encoding="utf-8") + "\nNog een zin.\n", encoding="utf-8")
    assert loaded_after_build(root, ("dateutil.rrule",)) == [False]
