"""What a build depends on besides the site's own text, for the cache to tell when it is out of date.

cache_version(): the generator's code, Python, the converter packages and the time zone data; a cache
made under another is thrown away. fingerprint(): the name, size, times and inode of every input file
(the site's and the vendored ones the build copies), for the no-change check. Standard library only,
and cheap: both run on every build, also one with nothing to do (stat, never hash megabytes).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import sys
from pathlib import Path

GENERATOR = Path(__file__).resolve().parents[1]  # the sitegen package, every subpackage included


@functools.cache  # one process runs one version of the code
def cache_version() -> str:
    """Anything that changes what a cached entry means: our code, the converters' code, the time zone data.

    By content and installed versions, not file times, so that a cache restored into a fresh checkout
    (a CI job that keeps .cache/ between runs) still counts. Packages are found without importing them
    (importlib.metadata alone costs more than a whole no-change build should): the names of the
    *.dist-info folders beside them carry their versions. Never the folders' paths: the same packages in
    another virtual environment (another checkout, a linked .venv, another CI workspace) are the same."""
    digest = hashlib.sha256(sys.version.encode())
    for path in sorted(GENERATOR.rglob("*.py")):
        digest.update(path.relative_to(GENERATOR).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    folders = set()
    for package in ("markdown", "nh3", "jinja2", "icalendar", "feedgen", "yaml", "lxml", "dateutil", "tzdata"):
        spec = importlib.util.find_spec(package)
        origin = spec.origin if spec is not None else None
        digest.update(f"{package}={origin is not None};".encode())
        if origin:
            folders.add(Path(origin).parent.parent if spec.submodule_search_locations else Path(origin).parent)
    names = set()
    for folder in folders:
        try:
            names.update(n for n in os.listdir(folder) if n.endswith((".dist-info", ".egg-info")))
        except OSError:
            pass
    digest.update(",".join(sorted(names)).encode())
    digest.update(zone_data().encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


ZONE = "Europe/Amsterdam"  # the zone of every date the site shows (core/dates.py)


def zone_data() -> str:
    """The time zone data the build uses, as zoneinfo finds it: the zone's file in the first folder of
    zoneinfo.TZPATH that has one (its size and time, and the version line of tzdata.zi beside it), else
    the tzdata package (its version is in the *.dist-info names cache_version() reads). A tzdata update then
    makes the next build redo what depends on it (calendars, feeds, agenda pages), not only its input.
    A stat and one short read: this runs in the no-change check too."""
    import zoneinfo

    for folder in zoneinfo.TZPATH:
        try:
            stat = os.stat(os.path.join(folder, ZONE))
        except OSError:
            continue
        try:
            with open(os.path.join(folder, "tzdata.zi"), "rb") as handle:
                release = handle.read(64).split(b"\n", 1)[0].decode("ascii", "replace")
        except OSError:
            release = ""
        return f"zoneinfo:{folder}:{stat.st_size}:{stat.st_mtime_ns}:{release}"
    return "zoneinfo:tzdata package"


# The web editor's program as npm installs it (source/files.py, cms_dist): its files the build copies.
VENDORED = (os.path.join("node_modules", "decap-cms", "dist"), "decap-cms.js")


def vendored_files(roots: tuple[Path, ...]) -> list[str]:
    """Every file the build may copy from a vendored package (the *decap-cms.js of each root's
    node_modules/decap-cms/dist): the site's and the generator's, as either may be the one used."""
    folder, suffix = VENDORED
    found = []
    for root in dict.fromkeys(roots):
        try:
            names = os.listdir(root / folder)
        except OSError:
            continue
        found += sorted(os.path.join(root, folder, n) for n in names if n.endswith(suffix))
    return found


def fingerprint(root: Path, folders: tuple[Path, ...], settings: str, files: tuple[str, ...] = ()) -> str:
    """Name, size, times and inode of every input file (in folders, and files), with the build's settings:
    equal means no change.

    The inode change time (ctime) cannot be set back by tools that restore a file's modification time."""
    digest = hashlib.sha256(settings.encode("utf-8"))
    for folder in folders:
        _stat_into(digest, os.fspath(folder), os.lstat)
        for base, dirs, names in os.walk(folder):
            dirs.sort()
            # A link to a folder is listed among the folders and never walked: hashed here as an entry, a link
            # added after a good build is a change, and the build then refuses it (source/load.py).
            links = [d for d in dirs if os.path.islink(os.path.join(base, d))]
            for name in sorted(names + links):
                _stat_into(digest, os.path.join(base, name), os.lstat)
    for path in files:  # the generator's vendored files: reached through a linked node_modules on purpose
        _stat_into(digest, path, os.stat)
    _stat_into(digest, os.fspath(root / "site.yaml"), os.lstat)
    return digest.hexdigest()


def _stat_into(digest, path: str, stat_of) -> None:
    """The entry's kind (file, link, pipe), size, times and inode; a link's own, never its target's."""
    try:
        stat = stat_of(path)
    except OSError as exc:  # missing, or a loop: it must not pass for "no change"
        digest.update(f"{path}\0{exc.errno}\n".encode("utf-8", "surrogateescape"))
        return
    digest.update(f"{path}\0{stat.st_mode}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ctime_ns}\0{stat.st_ino}\n"
                  .encode("utf-8", "surrogateescape"))
