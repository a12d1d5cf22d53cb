"""The only module that touches output/: builds the new tree beside it and swaps it in at once."""

from __future__ import annotations

import ctypes
import hashlib
import ctypes.util
import os
import shutil
from pathlib import Path
from typing import Callable

from .errors import Location, Problem, ContentError
from .model import Asset, Output
from .urls import output_path

MARKER = ".sitegen-output"
MARKER_TEXT = "Deze map wordt gemaakt door build.py. Wijzig hier niets: het wordt overschreven.\n"
RENAME_EXCHANGE = 2


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


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2); False where the system cannot."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), RENAME_EXCHANGE)
    return result == 0


def _safe_join(root: Path, relative: str) -> Path:
    """root/relative, refusing anything that would land outside root (the staging folder has no symlinks)."""
    normal = os.path.normpath(relative)
    if os.path.isabs(relative) or normal == ".." or normal.startswith("../") or normal == ".":
        raise ContentError([Problem(Location(relative), f"{relative} zou buiten de uitvoermap komen.")])
    return root / normal


def write_site(output: Path, outputs: list[Output], assets: list[Asset],
               before_swap: Callable[[Path], None] | None = None,
               previous: dict[str, str] | None = None, variant: str = "") -> dict[str, str]:
    """Write every file into a fresh folder beside output/, then put it in place in one step.

    before_swap(staging) runs on the complete new tree just before the swap (the search index is made
    there); when it raises, the new tree is thrown away and output/ stays as it was.
    previous is the manifest (path -> digest) the last build returned: files whose bytes did not change
    are hard-linked from the current output/ instead of written again, and when nothing changed at all
    output/ is not touched. Returns the new manifest."""
    output = output.resolve()
    manifest = _manifest(outputs, assets, variant)
    previous = previous or {}
    if manifest == previous and output_intact(output, manifest):
        return manifest
    output.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(output)
    reusable = (output / MARKER).is_file()
    staging = output.parent / f".{output.name}.new-{os.getpid()}"
    try:
        staging.mkdir()
        seen: dict[str, str] = {}
        for item in outputs:
            if item.path in seen:
                raise ContentError([Problem(Location(item.source),
                                            f"{item.path} wordt twee keer gemaakt (ook door {seen[item.path]}).")])
            seen[item.path] = item.source
            target = _safe_join(staging, item.path)
            target.parent.mkdir(parents=True, exist_ok=True)
            if not (reusable and previous.get(item.path) == manifest[item.path] and _link(output / item.path, target)):
                target.write_bytes(item.data)
        for asset in assets:
            path = output_path(asset.url)
            if path in seen:
                continue  # a generated file wins over a copied one of the same name
            seen[path] = asset.source_path
            target = _safe_join(staging, path)
            target.parent.mkdir(parents=True, exist_ok=True)
            if not (reusable and previous.get(path) == manifest[path] and _link(output / path, target)):
                shutil.copyfile(asset.source_path, target)
        if before_swap is not None:
            before_swap(staging)
        (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        if output.exists():
            if not _exchange(staging, output):
                old = output.parent / f".{output.name}.old-{os.getpid()}"
                output.rename(old)
                staging.rename(output)
                staging = old
        else:
            staging.rename(output)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return manifest


def _manifest(outputs: list[Output], assets: list[Asset], variant: str) -> dict[str, str]:
    """A digest per output path: a hash of generated bytes; size and time for copied files."""
    manifest = {"": variant}
    for item in outputs:
        manifest.setdefault(item.path, hashlib.sha256(item.data).hexdigest())
    for asset in assets:
        path = output_path(asset.url)
        if path not in manifest:
            stat = os.stat(asset.source_path)
            manifest[path] = f"file:{asset.source_path}:{stat.st_size}:{stat.st_mtime_ns}"
    return manifest


def output_intact(output: Path, manifest: dict[str, str]) -> bool:
    """Whether output/ is ours and still holds every file of the manifest."""
    return (output / MARKER).is_file() and all((output / path).is_file() for path in manifest if path)


def _link(existing: Path, target: Path) -> bool:
    """Reuse an unchanged file of the current output by a hard link; False when that is not possible."""
    try:
        os.link(existing, target)
        return True
    except OSError:
        return False


def _remove_leftovers(output: Path) -> None:
    """Folders left by a build that was killed half-way; ours by their name, dead by their process id."""
    for pattern in (f".{output.name}.new-*", f".{output.name}.old-*"):
        for stale in output.parent.glob(pattern):
            pid = stale.name.rsplit("-", 1)[-1]
            if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
                continue  # another build is writing it right now
            shutil.rmtree(stale, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean(output: Path) -> bool:
    """Remove an output folder we made; False when there was nothing of ours to remove."""
    if (output / MARKER).is_file():
        shutil.rmtree(output)
        return True
    return False
