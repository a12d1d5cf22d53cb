#!/usr/bin/env python3
"""Install the npm packages the tests and the web editor use, exactly as package-lock.json pins them, without
their dependency trees.

`npm ci` installs decap-cms's whole build tree (about 480 packages, 416 MB, 30-100 s), while we use only its
ready-made dist/ folder; vnu-jar and axe-core have no dependencies. So: `npm pack` fetches each package named
in package.json's devDependencies at the version package-lock.json pins, its sha512 is checked against the
lock file's integrity (a mismatch stops the install), and it is unpacked into node_modules/<name>/ (about 4 s).

    python3 tools/npm_tools.py [REPO]                     # all of them into REPO/node_modules (default: here)
    python3 tools/npm_tools.py [REPO] --only decap-cms    # only the web editor (a site's GitHub workflow)
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

STAMP = ".tools-installed"


def pinned(repo: Path) -> list[tuple[str, str, str]]:
    """(name, version, integrity) of each devDependency, as the lock file pins it."""
    wanted = json.loads((repo / "package.json").read_text(encoding="utf-8"))["devDependencies"]
    packages = json.loads((repo / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    found = []
    for name in sorted(wanted):
        entry = packages[f"node_modules/{name}"]
        found.append((name, entry["version"], entry["integrity"]))
    return found


def integrity_of(path: Path) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode("ascii")


def unpack(archive: Path, target: Path) -> None:
    """The tarball's package/ folder becomes target; nothing may land outside it."""
    target.parent.mkdir(parents=True, exist_ok=True)  # a scoped package: node_modules/@scope/name
    staging = target.with_name(target.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    with tarfile.open(archive, "r:gz") as tar:
        members = []
        for member in tar.getmembers():
            parts = Path(member.name).parts
            if not (member.isfile() or member.isdir()) or len(parts) < 2 or ".." in parts or parts[0] != "package":
                continue  # npm packages hold files and folders under package/; anything else is skipped
            member.name = str(Path(*parts[1:]))
            members.append(member)
        tar.extractall(staging, members=members)
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)


def install(repo: Path, only: list[str] | None = None) -> None:
    """Each pinned package (or only those named) into repo/node_modules; the stamp only when all are there."""
    chosen = [pin for pin in pinned(repo) if only is None or pin[0] in only]
    unknown = sorted(set(only or ()) - {name for name, _, _ in chosen})
    if unknown:
        raise SystemExit(f"npm_tools: not in package.json's devDependencies: {', '.join(unknown)}")
    modules = repo / "node_modules"
    modules.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, version, integrity in chosen:
            result = subprocess.run(["npm", "pack", f"{name}@{version}", "--json", "--pack-destination", tmp,
                                     "--loglevel=error"], capture_output=True, text=True, check=True)
            archive = Path(tmp) / json.loads(result.stdout)[0]["filename"]
            if integrity_of(archive) != integrity:
                raise SystemExit(f"npm_tools: {name}@{version} does not match package-lock.json's integrity")
            unpack(archive, modules / name)
    if only is None:
        (modules / STAMP).touch()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repo", nargs="?", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--only", nargs="+", metavar="NAME", help="install only these packages")
    arguments = parser.parse_args(argv)
    install(arguments.repo, arguments.only)


if __name__ == "__main__":
    main(sys.argv[1:])
