"""What the writer refuses before it touches anything: an output folder that is not ours to replace, a path
that would land outside it, and two sources for one output path (house rule 6)."""

from __future__ import annotations

import os
from pathlib import Path

from ..core.errors import Location, Problem, ContentError
from ..core.model import Asset, Output
from ..core.urls import output_path

MARKER = ".sitegen-output"  # in every output folder we made: only such a folder may be replaced
MARKER_TEXT = "Deze map wordt gemaakt door build.py. Wijzig hier niets: het wordt overschreven.\n"

Plan = list[tuple[str, str, Output | str]]  # (normal path, manifest path, output or file to copy)


def check_output_dir(output: Path, site_root: Path) -> str | None:
    """Why this output folder may not be (re)placed by a build, or None when it is safe."""
    out = output.resolve()
    root = site_root.resolve()
    home = Path.home().resolve()
    forbidden = {root: "de map van de site zelf", root / "content": "de map content/",
                 root / "templates": "de map templates/", root / "static": "de map static/",
                 home: "je thuismap", Path("/"): "de hoofdmap /"}
    if out in forbidden:
        return f"de uitvoermap mag niet {forbidden[out]} zijn"
    if out in root.parents:
        return "de uitvoermap mag geen map boven de site zijn"
    for inner in (root / "content", root / "templates", root / "static"):
        if inner in out.parents:
            return f"de uitvoermap mag niet binnen {inner.name}/ liggen"
    if out.exists():
        if not out.is_dir():
            return "de uitvoermap bestaat al als bestand"
        if any(out.iterdir()) and not (out / MARKER).is_file():
            return ("de uitvoermap bestaat al, is niet leeg en is niet door build.py gemaakt; "
                    "kies een andere map of maak deze leeg")
    return None


def safe_relative(relative: str) -> str:
    """relative made normal ("a/./b" -> "a/b"), refusing anything that would land outside the output folder.

    Enough on its own because the staging folder holds no symlinks (spare.prune removes any from a spare)."""
    normal = os.path.normpath(relative)
    if os.path.isabs(relative) or normal == ".." or normal.startswith("../") or normal == ".":
        raise ContentError([Problem(Location(relative), f"{relative} zou buiten de uitvoermap komen.")])
    return normal


def plan_files(outputs: list[Output], assets: list[Asset]) -> Plan:
    """(normal path, manifest path, output or file to copy) per file; refuses two sources for one path."""
    plan = []
    seen: dict[str, str] = {}
    for item in outputs:
        normal = safe_relative(item.path)
        if normal in seen:
            raise ContentError([Problem(Location(item.source),
                                        f"{item.path} wordt twee keer gemaakt (ook door {seen[normal]}).")])
        seen[normal] = item.source
        plan.append((normal, item.path, item))
    for asset in assets:
        path = output_path(asset.url)
        normal = safe_relative(path)
        if normal in seen:
            continue  # a generated file wins over a copied one of the same name
        seen[normal] = asset.source_path
        plan.append((normal, path, asset.source_path))
    return plan
