"""The requirements files pin every package the build and the tests need, the dependencies of each too:
make installs them with pip's --no-deps (no resolving, a third faster), so a dependency left out would be
missing from a fresh clone's venv (pip check then stops make with its name)."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conftest import REPO


def pins(path: Path) -> dict[str, str]:
    """name -> version of every `name==version` line, following `-r other.txt`."""
    found: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line.startswith("-r "):
            found.update(pins(path.parent / line[3:].strip()))
        elif line:
            name, version = re.fullmatch(r"([A-Za-z0-9_.\-]+)==(\S+)", line).groups()
            found[canonicalize_name(name)] = version
    return found


def missing_dependencies(pinned: dict[str, str]) -> list[str]:
    """The dependencies (as the installed packages declare them, extras left out) that are not pinned."""
    missing = []
    for name in pinned:
        for text in metadata.requires(name) or []:
            needed = Requirement(text)
            if needed.marker is not None and not needed.marker.evaluate({"extra": ""}):
                continue
            if canonicalize_name(needed.name) not in pinned:
                missing.append(f"{name} needs {needed.name}")
    return missing


@pytest.mark.parametrize("name", ["requirements.txt", "requirements-dev.txt"])
def test_every_dependency_of_a_pinned_package_is_pinned_too(name):
    assert missing_dependencies(pins(REPO / name)) == []


def test_the_pins_are_what_the_venv_has():
    pinned = pins(REPO / "requirements-dev.txt")
    assert {name: metadata.version(name) for name in pinned} == pinned


def test_a_dependency_left_out_is_found():
    pinned = pins(REPO / "requirements.txt")
    del pinned["typing-extensions"]
    assert missing_dependencies(pinned) == ["icalendar needs typing-extensions"]
