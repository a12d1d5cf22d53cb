"""`build.py redactie-netjes`: a save of the web editor on GitHub made as small as a save on the local road.

On the local road (`make redactie`) the editor's own backend merges a save into the file on disk
(editor_backend_merge): only the values that changed are rewritten, comments and order stay. Decap's GitHub
backend cannot do that: it commits the whole file as Decap writes it, on a branch `cms/...` of its own. This
command undoes that afterwards: each content file changed on the branch is merged again into its version at
the branch's base, with the same merge, so the pull request shows only the lines that really changed.

It never changes what a file says: when the merged text does not read the same as the branch's text (every
value compared as the text written), the branch's text stays. Only files that existed at the base are merged;
a new file is left as Decap wrote it. The workflow that `init` writes runs this on pull requests from `cms/`
branches and commits the result back (sitegen/tools/starter/repository.py).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from .editor_backend_merge import merged, split_front_matter

CONTENT = ("content", "site.yaml")  # what the web editor changes
SUFFIXES = (".md", ".yaml", ".yml")


class GitProblem(Exception):
    """git could not answer: not a repository, or no such base."""


def _git(root: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, encoding="utf-8")
    if result.returncode:
        raise GitProblem(result.stderr.strip() or f"git {args[0]} mislukte")
    return result.stdout


def changed_files(root: Path, base: str) -> tuple[str, list[str]]:
    """(the commit the branch started from, the content files changed since then), paths relative to root."""
    start = _git(root, "merge-base", base, "HEAD").strip()
    names = _git(root, "diff", "--relative", "--name-only", "--diff-filter=M", "-z", start, "--", *CONTENT)
    return start, sorted(n for n in names.split("\0") if n.endswith(SUFFIXES))


def _reading(path: str, text: str) -> object:
    """What a file says: every value as the text written (as the merge compares), and a page's body."""
    if path.endswith(".md"):
        front, body = split_front_matter(text) or ("", text)
    else:
        front, body = text, ""
    try:
        values = yaml.load(front, Loader=yaml.BaseLoader)
    except yaml.YAMLError:
        values = object()  # unreadable: never the same
    return values, body.strip()


def tidied(path: str, base_text: str, branch_text: str) -> str:
    """The branch's file merged into its base version, or the branch's text when the merge would change
    what it says."""
    result = merged(path, base_text, branch_text)
    return result if _reading(path, result) == _reading(path, branch_text) else branch_text


def tidy(root: Path, base: str) -> list[str]:
    """Merge every changed content file into its base version, in place; the paths that changed."""
    start, names = changed_files(root, base)
    done = []
    for name in names:
        path = root / name
        try:
            branch_text = path.read_bytes().decode("utf-8")
            base_text = _git(root, "show", f"{start}:./{name}")
        except (OSError, UnicodeDecodeError, GitProblem):
            continue  # gone, not text, or not at the base: left as it is
        result = tidied(name, base_text, branch_text)
        if result != branch_text:
            path.write_text(result, encoding="utf-8", newline="")
            done.append(name)
    return done


def main(root: Path, base: str) -> int:
    """`build.py redactie-netjes [--basis TAK]`: 0, also when nothing needed tidying; 1 when git cannot."""
    try:
        done = tidy(root, base)
    except GitProblem as exc:
        print(f"Netjes maken lukt niet: {exc}. Draai dit in de map van de site (een git-repository), met bij "
              f"--basis de tak waar de wijziging in moet, zoals --basis origin/main.", file=sys.stderr)
        return 1
    for name in done:
        print(f"{name}: alleen de veranderde regels; commentaar en volgorde staan er weer.")
    if not done:
        print("Alles was al netjes: geen bestand aangepast.")
    return 0
