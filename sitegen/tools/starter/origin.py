"""Where the generator that runs `init` comes from: its GitHub repository and its exact commit, so that the new
site's workflow installs the very program that made the site.

A release is a commit, not a tag: tags may not reach the published repository, a commit always does.
CHANGELOG.md names the commit of each version on a line `commit: <40 hex digits>` under its heading. The pin
is taken, in this order, from
- the generator's own git checkout (`git rev-parse HEAD`), when the generator's folder is the top of one;
- the CHANGELOG entry of the running version, for a copy without .git (a downloaded zip);
- otherwise nothing: the workflow gets an [INVULLEN: ...] that `check --publish` reports.
The repository: the `--generator-repo` option, else the checkout's `origin` remote when it is on GitHub, else
nothing (init asks in a terminal; otherwise again an [INVULLEN: ...]).
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

SHA = re.compile(r"^[0-9a-f]{40}$")
REPO_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")
GITHUB_URL = re.compile(r"^(?:https?://(?:[^@/\s]+@)?github\.com/|ssh://git@github\.com(?::\d+)?/|git@github\.com:|"
                        r"git://github\.com/)([^/\s]+/[^/\s]+?)(?:\.git)?/?$", re.I)
RELEASE_HEADING = re.compile(r"^## (\d+\.\d+\.\d+)\b.*$", re.M)
RELEASE_COMMIT = re.compile(r"^commit: ([0-9a-f]{40})\s*$", re.M)


@dataclass(frozen=True)
class Origin:
    """The generator's repository (owner/name on GitHub) and commit; None for what is not known."""

    repo: str | None
    commit: str | None
    version: str
    unpublished: bool = False  # a checkout with remote branches of which none contains HEAD: not pushed yet


def github_repo(text: str | None) -> str | None:
    """owner/name from 'owner/name' or any GitHub URL (https, ssh, git@); None when it is neither."""
    if not text:
        return None
    text = text.strip()
    match = GITHUB_URL.match(text)
    name = match.group(1) if match else text
    return name if REPO_NAME.match(name) else None


def release_commits(changelog: str) -> dict[str, str]:
    """Version -> the commit CHANGELOG.md names for it (versions without a commit line are left out)."""
    headings = list(RELEASE_HEADING.finditer(changelog))
    found = {}
    for number, heading in enumerate(headings):
        end = headings[number + 1].start() if number + 1 < len(headings) else len(changelog)
        commit = RELEASE_COMMIT.search(changelog, heading.end(), end)
        if commit:
            found[heading.group(1)] = commit.group(1)
    return found


def find_origin(root: Path, version: str, repo_option: str | None = None) -> Origin:
    """The generator at root: where it lives and which commit it is (see the module docstring)."""
    checkout = _is_checkout(root)
    repo = github_repo(repo_option) or (github_repo(_git(root, "remote", "get-url", "origin")) if checkout else None)
    if checkout:
        head = _git(root, "rev-parse", "--verify", "HEAD^{commit}")
        if head and SHA.match(head):
            known = bool(_git(root, "branch", "--remotes"))  # without remote branches nothing can be told
            unpublished = known and not _git(root, "branch", "--remotes", "--contains", head)
            return Origin(repo, head, version, unpublished=unpublished)
    try:
        changelog = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        changelog = ""
    return Origin(repo, release_commits(changelog).get(version), version)


def _is_checkout(root: Path) -> bool:
    """True when root is the top of a git checkout (not a folder copied into another repository)."""
    top = _git(root, "rev-parse", "--show-toplevel")
    return top is not None and Path(top).resolve() == root.resolve()


def _git(root: Path, *args: str) -> str | None:
    """A git command's output, or None when git is missing or says no."""
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=20,
                                stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() if result.returncode == 0 else None
