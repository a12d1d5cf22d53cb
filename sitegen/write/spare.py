"""The spare tree and its record: the output/ of the build before, kept in a work folder so that the next
build changes only what differs instead of writing a whole new tree (the writer's docstring says why this
is safe). Its record is the only word trusted about which files of the spare and of output/ can be reused.

It imports the standard library only: the no-change check (incremental/fastpath.py) asks output_intact().
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

from ..core.atomic import read_regular, write_atomic
from ..core.hashing import bytes_digest, digest
from .guard import MARKER

TREES_DIR = "output-trees"  # in .cache/: the work folders of the output trees (work_dir)
SPARE_RECORD = ".sitegen-spare.json"  # inside the spare: what it holds, written last


def work_dir(output: Path, site_root: Path) -> Path:
    """Where the spare, staging and old trees of output live: in the site's .cache/, never beside output/,
    where a web server that serves output/'s parent would publish the previous build (a page removed for a
    privacy reason included). A rename cannot cross file systems: when .cache/ is on another one than
    output/, the trees stay beside output/ (docs/hosting.md says to keep both on one disk)."""
    output = output.resolve()
    key = bytes_digest(str(output).encode("utf-8", "surrogateescape"))[:12]
    trees = site_root.resolve() / ".cache" / TREES_DIR / f"{output.name}-{key}"
    if _device(output.parent) != _device(trees):  # .cache/ may be a mount of its own (CI caches it)
        return output.parent
    return trees


KEPT_TREES = 8  # work folders of other output folders kept (each --output path has its own)
QUIET_SECONDS = 3600  # a work folder changed this recently may be in use by a build without the cache lock


def prune_work_folders(trees: Path, current: Path, now: float) -> None:
    """Remove the work folders of other output folders but the KEPT_TREES used last (a build renames its
    spare, which dates its work folder): every --output path leaves one, and nothing else removes it once
    that output is gone. A folder used in the last QUIET_SECONDS stays; a removed one only costs the next
    build into that output a whole new tree."""
    try:
        with os.scandir(trees) as entries:
            folders = [(e.stat(follow_symlinks=False).st_mtime, e.path) for e in entries
                       if e.is_dir(follow_symlinks=False) and e.path != str(current)]
    except OSError:
        return
    for mtime, path in sorted(folders, reverse=True)[KEPT_TREES:]:
        if now - mtime > QUIET_SECONDS:
            shutil.rmtree(path, ignore_errors=True)


def _device(path: Path) -> int:
    """The file system of path, or of its nearest folder that exists."""
    near = next((p for p in (path, *path.parents) if p.exists()), Path("/"))
    return os.stat(near).st_dev


def spare_path(output: Path, work: Path | None = None) -> Path:
    """The spare tree of output, in its work folder (by default beside it). Its name does not start
    with output's own, so nothing that looks for `.<name>.*` leftovers mistakes it for one."""
    return (work or output.parent) / f".sitegen-spare-{output.name}"


def identity(info: os.stat_result) -> list[int]:
    """What tells a file we wrote from one changed since: any write changes its ctime, which no tool can
    set back (unlike the mtime: cp -p, rsync -t, tar)."""
    return [info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns]


def changed_by_hand(output: Path, current: dict[str, list]) -> list[str]:
    """The files of output/ that are there but no longer what the record says was put there."""
    changed = []
    root = str(output) + os.sep
    for path, entry in current.items():
        try:
            info = os.lstat(root + path)
        except OSError:
            continue
        if [info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns] != entry[1:]:  # identity(info)
            changed.append(path)
    return sorted(changed)


def unchanged(output: Path, path: str, digest: str, current: dict[str, list]) -> bool:
    """Whether output/path holds the bytes of digest: the record (current) says so and the file still has
    the size, times and inode it had when it was put there."""
    entry = current.get(path)
    if entry is None or entry[0] != digest:
        return False
    try:
        info = os.lstat(output / path)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and identity(info) == entry[1:]


def manifest_digest(manifest: dict[str, str]) -> str:
    """A short name for a manifest, for the record of what output/ holds (whatever the order of its keys)."""
    return digest(sorted(manifest.items()))


def read_record(spare: Path) -> dict | None:
    """The record of a spare that is a real folder with a well-formed record; else None (not to be trusted)."""
    try:
        if not stat.S_ISDIR(os.lstat(spare).st_mode):
            return None
        record = json.loads(read_regular(spare / SPARE_RECORD).decode("utf-8"))  # a restored .cache/: anything
        if (isinstance(record, dict) and isinstance(record.get("manifest"), str)
                and all(isinstance(record.get(tree), dict)
                        and all(isinstance(entry, list) and len(entry) == 5 for entry in record[tree].values())
                        for tree in ("output", "spare"))):
            return record
    except (OSError, ValueError):
        pass
    return None


def take_spare(spare: Path, record: dict | None, staging: Path) -> dict[str, list]:
    """Make staging the spare (returning what its record says it holds) or, without a usable one, empty."""
    if record is not None:
        try:
            spare.rename(staging)
        except OSError:
            pass  # another build took it first
        else:
            # First of all, so that even a staging folder that outlives us could never pass for a spare.
            (staging / SPARE_RECORD).unlink()
            return record["spare"]
    if os.path.islink(spare) or os.path.isfile(spare):
        os.unlink(spare)
    elif os.path.isdir(spare):
        shutil.rmtree(spare, ignore_errors=True)  # no usable record: nothing in it can be trusted
    staging.mkdir()
    return {}


def prune(root: Path, keep: dict[str, tuple]) -> set[str]:
    """Delete everything below root except the files in keep (path -> size, mtime_ns, inode, ctime_ns)
    that still have that size, times and inode, and the folders left empty. Returns the paths kept.

    Also removes anything not made by us (symlinks, files added by hand, files added by before_swap)."""
    kept: set[str] = set()

    def visit(folder: str, prefix: str) -> bool:  # True when folder ends up empty
        empty = True
        with os.scandir(folder) as entries:
            listed = list(entries)
        for entry in listed:
            path = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                if visit(entry.path, path + "/"):
                    os.rmdir(entry.path)
                else:
                    empty = False
                continue
            expected = keep.get(path)
            if expected is not None:
                info = entry.stat(follow_symlinks=False)
                # identity(info), inline: this runs for every file of the site
                if stat.S_ISREG(info.st_mode) and (info.st_size, info.st_mtime_ns, info.st_ino,
                                                   info.st_ctime_ns) == expected:
                    kept.add(path)
                    empty = False
                    continue
            os.unlink(entry.path)
        return empty

    visit(str(root), "")
    return kept


def keep_spare(old: Path | None, spare: Path, record: dict) -> None:
    """Keep the replaced output/ (old; None when there was none) as the spare, with its record.

    Any failure here only costs the next build its spare, so it is not an error."""
    try:
        if old is None:
            spare.mkdir(exist_ok=True)  # empty: it still records what output/ holds
        else:
            old.rename(spare)  # a rename keeps the files, their sizes, times and inodes
        write_atomic(spare / ".gitignore", b"*\n")  # keep it out of git status
        write_atomic(spare / SPARE_RECORD, json.dumps(record).encode("utf-8"))  # last, and whole: now it is trusted
    except OSError:
        for folder in (old, spare):
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)


def output_intact(output: Path, manifest: dict[str, str], work: Path | None = None) -> bool:
    """Whether output/ is ours and holds exactly the files of the manifest, each as it was put there (on
    the word of the spare's record: size, times and inode of every file)."""
    record = read_record(spare_path(output, work))
    if record is None or record["manifest"] != manifest_digest(manifest) or not (output / MARKER).is_file():
        return False
    root = str(output)
    for path, entry in record["output"].items():
        try:
            info = os.lstat(os.path.join(root, path))
        except OSError:
            return False
        if identity(info) != entry[1:]:
            return False
    return True


def remove_leftovers(output: Path, work: Path) -> None:
    """Folders left by a build that was killed half-way; ours by their name, dead by their process id.

    A spare taken by such a build carries its staging name, so it goes too; the spare itself is not
    matched (its name does not start with output's), and take_spare deletes it when it has no record.
    Trees that earlier versions kept beside output/ go as well, now that they live in the work folder."""
    if work != output.parent:
        legacy = spare_path(output)
        if legacy.is_dir() and not legacy.is_symlink() and (legacy / SPARE_RECORD).is_file():
            shutil.rmtree(legacy, ignore_errors=True)
    for pattern in (f".{output.name}.new-*", f".{output.name}.old-*"):
        for stale in [*output.parent.glob(pattern), *(work.glob(pattern) if work != output.parent else ())]:
            pid = stale.name.rsplit("-", 1)[-1]
            if stale.is_symlink():  # never ours (rmtree leaves it, and this build's staging name then fails)
                stale.unlink()
            elif pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
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


def clean(output: Path, work: Path | None = None) -> bool:
    """Remove an output folder we made and its spare; False when output/ was not ours (or not there)."""
    for spare in {spare_path(output.resolve()), spare_path(output.resolve(), work)}:
        if spare.is_dir() and not spare.is_symlink():
            shutil.rmtree(spare)
    if (output / MARKER).is_file():
        shutil.rmtree(output)
        return True
    return False
