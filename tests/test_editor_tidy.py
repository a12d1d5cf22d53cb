"""`build.py redactie-netjes`: a save of the web editor on GitHub (Decap rewrites the whole file on a branch
cms/...) merged back into the base version, so the pull request shows only the changed lines.

On a real git repository in a temporary folder: a base commit whose files have comments and their own order,
a branch with Decap-style rewrites, the command, and `git diff` against the base.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import run_build, write_tree

ACTIVITY = """\
# Elke week koffie in Beilen; vraag Janny bij vragen.
title: Koffieochtend   # zoals op de poster
start: 2026-12-01 10:00
audience: [ouderen, mantelzorgers]

# De plek
location:
  name: Dorpshuis  # de grote zaal
  place: Beilen
cost: gratis
"""
ACTIVITY_AS_DECAP = """\
title: Koffieochtend
start: '2026-12-01 10:00'
location:
  name: Dorpshuis
  place: Beilen
cost: € 1,00
audience:
  - ouderen
  - mantelzorgers
"""
NEWS = """\
---
# Voor de krant van december
title: Kerstmarkt in Westerbork
date: 2026-12-13
description: Koffie en kerststukjes op de markt.  # kort houden
---

Op de kerstmarkt staan we met koffie.
"""
NEWS_AS_DECAP = """\
---
title: Kerstmarkt in Westerbork
description: Koffie en kerststukjes op de markt.
date: '2026-12-13'
---
Op de kerstmarkt staan we met koffie en thee.
"""
OTHER = "# niet aangeraakt\ntitle: Soep\nstart: 2026-12-02 12:00\n"


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), "-c", "user.name=Test", "-c", "user.email=test@voorbeeld.nl",
                           *args], check=True, capture_output=True, text=True).stdout


def changed_lines(root: Path, base: str) -> list[str]:
    diff = git(root, "diff", "--unified=0", base, "--")
    return [l for l in diff.splitlines() if l[:1] in "+-" and not l.startswith(("+++", "---"))]


def repository(tmp_path: Path) -> Path:
    """A site repository with a base commit on main and a branch cms/... as Decap's GitHub backend leaves it."""
    root = write_tree(tmp_path / "site", {"content/agenda/koffie.yaml": ACTIVITY, "content/agenda/soep.yaml": OTHER,
                                          "content/nieuws/2026-12-13-kerstmarkt.md": NEWS})
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-qm", "basis")
    git(root, "checkout", "-q", "-b", "cms/nieuws/2026-12-13-kerstmarkt")
    (root / "content/agenda/koffie.yaml").write_text(ACTIVITY_AS_DECAP, encoding="utf-8")
    (root / "content/nieuws/2026-12-13-kerstmarkt.md").write_text(NEWS_AS_DECAP, encoding="utf-8")
    (root / "content/agenda/nieuw.yaml").write_text("title: Nieuw\nstart: '2026-12-20 10:00'\n", encoding="utf-8")
    git(root, "add", ".")
    git(root, "commit", "-qm", "Decap: opgeslagen")
    return root


def test_a_decap_rewrite_becomes_only_the_changed_lines_with_comments_and_order_kept(tmp_path):
    root = repository(tmp_path)
    result = run_build("redactie-netjes", "--site", str(root), "--basis", "main")
    assert result.returncode == 0, result.stderr
    assert "content/agenda/koffie.yaml: alleen de veranderde regels" in result.stdout
    assert git(root, "diff", "--name-only", "main", "--", "content/agenda/soep.yaml") == ""
    activity = git(root, "diff", "--unified=0", "main", "--", "content/agenda/koffie.yaml")
    assert [l for l in activity.splitlines() if l[:1] in "+-" and not l.startswith(("+++", "---"))] == \
        ["-cost: gratis", "+cost: € 1,00"]
    news = git(root, "diff", "--unified=0", "main", "--", "content/nieuws/2026-12-13-kerstmarkt.md")
    assert [l for l in news.splitlines() if l[:1] in "+-" and not l.startswith(("+++", "---"))] == \
        ["-Op de kerstmarkt staan we met koffie.", "+Op de kerstmarkt staan we met koffie en thee."]
    # A file new on the branch stays as Decap wrote it; a second run has nothing left to do.
    assert (root / "content/agenda/nieuw.yaml").read_text(encoding="utf-8") == \
        "title: Nieuw\nstart: '2026-12-20 10:00'\n"
    again = run_build("redactie-netjes", "--site", str(root), "--basis", "main")
    assert again.returncode == 0 and "Alles was al netjes" in again.stdout


def test_the_merge_never_changes_what_a_file_says(tmp_path):
    """A text the merge cannot cut into keys stays as the branch has it."""
    from sitegen.tools.editor_tidy import tidied
    odd = "title: Koffie\nstart: 2026-12-01 10:00\n"
    assert tidied("content/agenda/x.yaml", "- not: a mapping\n", odd) == odd
    assert tidied("content/agenda/koffie.yaml", ACTIVITY, ACTIVITY_AS_DECAP) == \
        ACTIVITY.replace("cost: gratis", "cost: € 1,00")


def test_outside_a_git_repository_it_says_so_in_dutch(tmp_path):
    result = run_build("redactie-netjes", "--site", str(tmp_path), "--basis", "main")
    assert result.returncode == 1 and "Netjes maken lukt niet" in result.stderr and "--basis" in result.stderr
