"""The only code that touches output/ (with guard.py and spare.py): it brings a tree beside output/ to the
new state and swaps it in at once.

Double buffering. In a work folder (spare.work_dir(): inside the site's .cache/) we keep a spare tree,
`.sitegen-spare-<name>`: the output/ of the build before, kept after the last swap instead of deleted.
A build takes the spare (renames it to its staging name `.<name>.new-<pid>`), deletes from it what
changed or is gone, writes what is new or changed, and swaps the result with output/ in one step; the
old output/ becomes the next spare. A one-page edit then costs a walk over the spare plus the few changed
files, instead of a fresh folder and the deletion of the old tree (tenths of a second on a 1,000-page
site, seconds at 10,000). Files the spare lacks but output/ has
unchanged are copied from output/; without a spare the staging folder starts empty.

What keeps this safe:
- The two trees never share a file (no hard links): what is served is never a second name for what is
  being written, and a hand edit in one cannot show up in the other.
- Files are reused only on the word of the spare's record (SPARE_RECORD, written last, when the spare is
  settled). It describes both trees, each file by digest, size, mtime_ns, inode and ctime_ns, taken when
  the file was put in place: a file edited or replaced since (by hand, in either tree) is not reused; its
  change time cannot be set back by any tool. A file of output/ found changed is reported (`notice`) and
  replaced. Files the record does not list are deleted, and a spare without a readable record is deleted
  whole; without a record nothing of output/ is reused either.
- A build deletes the record as soon as it takes the spare and changes the spare only under the staging
  name, so a build killed half-way leaves a folder the next build removes (spare.remove_leftovers).
- output/ is only replaced by one atomic exchange (renameat2): a kill at any moment leaves the old or the new
  site. Without renameat2 two renames do it, with a short moment without output/.
- `commit(manifest)` runs on the complete new tree just before the swap (the build saves its cache there):
  when it fails, output/ stays as it was, and a cache is never saved for an output that was not put in place
  before it (a build killed between the two leaves a cache whose manifest output/ does not match: the
  record then says so, and the next build writes what differs).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
from pathlib import Path
from typing import Callable

from ..core.errors import Location, Problem, ContentError
from ..core.hashing import bytes_digest
from ..core.model import Asset, Output
from ..core.urls import output_path
from .guard import MARKER, MARKER_TEXT, Plan, plan_files
from .spare import (changed_by_hand, identity, keep_spare, manifest_digest, output_intact, prune, read_record,
                    remove_leftovers, spare_path, take_spare, unchanged)

RENAME_EXCHANGE = 2


def write_site(output: Path, outputs: list[Output], assets: list[Asset],
               before_swap: Callable[[Path], None] | None = None,
               variant: str = "",
               commit: Callable[[dict[str, str]], None] | None = None,
               notice: Callable[[str], None] | None = None,
               work: Path | None = None,
               map_fn: Callable[[Callable, list], list] | None = None) -> dict[str, str]:
    """Bring the spare (or an empty folder) beside output/ to the new state, then put it in place in one step.

    before_swap(staging) runs on the complete new tree just before the swap; when it raises, the new tree
    is thrown away and output/ stays as it was. Files it adds are not reused by later builds.
    commit(manifest) runs last before the swap, also when output/ already holds the new state; when it
    raises, output/ stays as it was. notice(text) hears of files in output/ changed by hand.
    What output/ holds is known from the spare's record alone (module docstring), never from a caller.
    map_fn(function, items): [function(item) ...], across the build's workers (each file is written by one
    of them; a file system takes new files from two processes about twice as fast as from one).
    Returns the new manifest."""
    output = output.resolve()
    work = work or output.parent  # work_dir(): where the spare and staging trees live
    manifest = _manifest(outputs, assets, variant)
    spare = spare_path(output, work)
    record = read_record(spare)
    if record is not None and record["manifest"] == manifest_digest(manifest) and output_intact(output, manifest, work):
        if commit is not None:
            commit(manifest)
        return manifest
    plan = plan_files(outputs, assets)  # refuses duplicates and escapes before anything is touched
    output.parent.mkdir(parents=True, exist_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    remove_leftovers(output, work)
    # What output/ holds, on the word of the record, each file checked before use; nothing without one.
    current = record["output"] if record is not None and (output / MARKER).is_file() else {}
    if notice is not None:
        _report_hand_edits(output, current, notice)
    staging = work / f".{output.name}.new-{os.getpid()}"
    old = None
    try:
        placed = _fill(staging, output, plan, manifest, take_spare(spare, record, staging), current,
                       map_fn or _in_turn)
        if before_swap is not None:
            before_swap(staging)
        (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        if commit is not None:
            commit(manifest)
        old = _swap(staging, output, work)
    finally:
        if staging.exists() and staging != old:
            shutil.rmtree(staging, ignore_errors=True)
    keep_spare(old, spare, {"manifest": manifest_digest(manifest), "output": placed,
                            "spare": current if old is not None else {}})
    return manifest


def _report_hand_edits(output: Path, current: dict[str, list], notice: Callable[[str], None]) -> None:
    for path in changed_by_hand(output, current):
        notice(f"{output.name}/{path} is met de hand veranderd; de build heeft het vervangen door de "
               "gemaakte versie. Verander bestanden in content/, niet in de uitvoermap.")


def _fill(staging: Path, output: Path, plan: Plan, manifest: dict[str, str], spare_files: dict[str, list],
          current: dict[str, list], map_fn: Callable[[Callable, list], list]) -> dict[str, list]:
    """Bring staging (the spare taken, or an empty folder) to the new tree; returns its description for the
    record: path -> [digest, size, mtime_ns, inode, ctime_ns]."""
    # A spare file stays when the record says it holds the new bytes (and prune finds its size, times
    # and inode unchanged). Only paths already in normal form (all of ours) are reused: "a//b" and
    # "a/b" would be two manifest keys for one file, and one digest could describe the other's bytes.
    keep = {}
    for normal, path, _ in plan:
        entry = spare_files.get(path)
        if normal == path and entry is not None and entry[0] == manifest[path]:
            keep[path] = tuple(entry[1:])
    kept = prune(staging, keep)
    todo = [(normal, path, source, manifest[path]) for normal, path, source in plan if normal not in kept]
    for parent in sorted({os.path.dirname(normal) for normal, *_ in todo} - {""}):  # here, before the workers
        os.makedirs(staging / parent, exist_ok=True)
    made = dict(zip([path for _, path, *_ in todo], map_fn(lambda item: _place(staging, output, item, current), todo)))
    return {path: made[path] if path in made else [manifest[path], *keep[path]] for _, path, _ in plan}


def _place(staging: Path, output: Path, item: tuple, current: dict[str, list]) -> list:
    """Write one file of the new tree into staging; its entry for the record. Done again by the build when
    it failed in a worker (parallel.fork_map), so whatever it had made of the file goes first."""
    normal, path, source, digest = item
    target = staging / normal
    with contextlib.suppress(FileNotFoundError):
        os.unlink(target)
    # Else copy an unchanged file from output/ (a copy, never a link: see the module docstring).
    if normal == path and unchanged(output, path, digest, current):
        shutil.copyfile(output / path, target)
    elif isinstance(source, str):
        _copy_regular(source, target)
    else:
        data = source.data  # read only here: it may come from a store
        with open(target, "xb") as handle:  # "x": never into an existing file
            handle.write(data)
    return [digest, *identity(os.lstat(target))]


def _in_turn(function: Callable, items: list) -> list:
    return [function(item) for item in items]


def _swap(staging: Path, output: Path, work: Path) -> Path | None:
    """Put staging in output's place; returns where the old output/ went (None when there was none)."""
    if not output.exists():
        staging.rename(output)
        return None
    if _exchange(staging, output):
        return staging
    old = work / f".{output.name}.old-{os.getpid()}"
    output.rename(old)
    staging.rename(output)
    return old


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2); False where the system cannot."""
    libc = _libc()
    if libc is None:
        return False
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), RENAME_EXCHANGE)
    return result == 0


def _libc():
    """The C library, or None. Loaded as the program's own symbols: ctypes.util.find_library would cost
    more than a one-page rebuild writes (it imports subprocess and more, and may run a compiler)."""
    import ctypes

    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def _copy_regular(source: str, target: Path) -> None:
    """Copy a site file, refusing anything but a regular file (a FIFO would block the build for ever)."""
    fd = os.open(source, os.O_RDONLY | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ContentError([Problem(Location(source), "dit is geen gewoon bestand (maar bijvoorbeeld een "
                                        "pipe of apparaat) en kan niet gekopieerd worden. Haal het weg.")])
        with open(fd, "rb", closefd=False) as reader, open(target, "xb") as writer:
            shutil.copyfileobj(reader, writer, 1 << 20)
    finally:
        os.close(fd)


def _manifest(outputs: list[Output], assets: list[Asset], variant: str) -> dict[str, str]:
    """A digest per output path: a hash of generated bytes; size and time for copied files.

    An output that knows its digest (kept from an earlier build) is not read: its bytes are needed only
    when the file is written."""
    manifest = {"": variant}
    for item in outputs:
        if item.path not in manifest:
            digest = getattr(item, "digest", None)
            manifest[item.path] = digest or bytes_digest(item.data)
    for asset in assets:
        path = output_path(asset.url)
        if path not in manifest:
            info = os.stat(asset.source_path)  # ctime and inode too: a copy with its old mtime put back
            manifest[path] = (f"file:{asset.source_path}:{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}"
                              f":{info.st_ino}")
    return manifest
