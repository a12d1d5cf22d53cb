"""The only module that touches output/: it brings a tree beside output/ to the new state and swaps it in at once.

Double buffering. In a work folder (work_dir(): inside the site's .cache/) we keep a spare tree,
`.sitegen-spare-<name>`: the output/ of the build before, kept after the last swap instead of deleted. A build takes the spare (renames it to its staging name
`.<name>.new-<pid>`), deletes from it what changed or is gone, writes what is new or changed, and swaps the
result with output/ in one step; the old output/ becomes the next spare. A one-page edit then costs a walk
over the spare plus the few changed files, instead of a fresh folder with a hard link for every file and the
deletion of the old tree (tenths of a second on a 1,000-page site, seconds at 10,000). Files the spare lacks
but output/ has unchanged are hard-linked from output/; without a spare the staging folder starts empty.

What keeps this safe:
- Nothing is ever written into an existing file: output/ and the spare share unchanged files as hard links,
  so writing into one would change the live site. A changed file is unlinked and written as a new file.
- Files are reused only on the word of the spare's record (SPARE_RECORD, written last, when the spare is
  settled). It describes both trees, each file by digest, size, mtime_ns and inode, taken when the file was
  put in place: a file edited or replaced since (by hand, in either tree) is not reused. Not seen: an edit
  in place that keeps the size and sets the time back, or falls in the same clock tick (a few ms). Files the
  record does not list are deleted, and a spare without a readable record is deleted whole.
- A build deletes the record as soon as it takes the spare and changes the spare only under the staging
  name, so a build killed half-way leaves a folder the next build removes (_remove_leftovers).
- output/ is only replaced by one atomic exchange (renameat2): a kill at any moment leaves the old or the new
  site. Without renameat2 two renames do it, with a short moment without output/.
- The caller's `previous` manifest is used only when there is no record (the first build, or after a build
  was killed), and not for the no-change shortcut when the record says output/ got another manifest (a
  --no-cache build does not save its manifest; a build can be killed after its swap, before its cache is
  saved).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
from pathlib import Path
from typing import Callable

from .errors import Location, Problem, ContentError
from .model import Asset, Output
from .urls import output_path

MARKER = ".sitegen-output"
MARKER_TEXT = "Deze map wordt gemaakt door build.py. Wijzig hier niets: het wordt overschreven.\n"
RENAME_EXCHANGE = 2
SPARE_RECORD = ".sitegen-spare.json"  # inside the spare: what it holds (see above)


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


def _relative(relative: str) -> str:
    """relative made normal ("a/./b" -> "a/b"), refusing anything that would land outside the output folder.

    Enough on its own because the staging folder holds no symlinks (_prune removes any from a spare)."""
    normal = os.path.normpath(relative)
    if os.path.isabs(relative) or normal == ".." or normal.startswith("../") or normal == ".":
        raise ContentError([Problem(Location(relative), f"{relative} zou buiten de uitvoermap komen.")])
    return normal


def work_dir(output: Path, site_root: Path) -> Path:
    """Where the spare, staging and old trees of output live: in the site's .cache/, never beside output/,
    where a web server that serves output/'s parent would publish the previous build (a page removed for a
    privacy reason included). A rename cannot cross file systems: when .cache/ is on another one than
    output/, the trees stay beside output/ (docs/hosting.md says to keep both on one disk)."""
    output = output.resolve()
    root = site_root.resolve()
    near = next((p for p in (output.parent, *output.parent.parents) if p.exists()), Path("/"))
    if os.stat(near).st_dev != os.stat(root).st_dev:
        return output.parent
    key = hashlib.sha256(str(output).encode("utf-8", "surrogateescape")).hexdigest()[:12]
    return root / ".cache" / "output-trees" / f"{output.name}-{key}"


def spare_path(output: Path, work: Path | None = None) -> Path:
    """The spare tree of output, in its work folder (by default beside it). Its name does not start
    with output's own, so nothing that looks for `.<name>.*` leftovers mistakes it for one."""
    return (work or output.parent) / f".sitegen-spare-{output.name}"


def write_site(output: Path, outputs: list[Output], assets: list[Asset],
               before_swap: Callable[[Path], None] | None = None,
               previous: dict[str, str] | None = None, variant: str = "",
               work: Path | None = None) -> dict[str, str]:
    """Bring the spare (or an empty folder) beside output/ to the new state, then put it in place in one step.

    before_swap(staging) runs on the complete new tree just before the swap; when it raises, the new tree
    is thrown away and output/ stays as it was. Files it adds are not reused by later builds.
    previous is the manifest (path -> digest) the last build returned: when nothing changed at all,
    output/ is not touched. Returns the new manifest."""
    output = output.resolve()
    work = work or output.parent  # work_dir(): where the spare and staging trees live
    manifest = _manifest(outputs, assets, variant)
    spare = spare_path(output, work)
    record = _read_record(spare)
    previous = previous or {}
    if record is not None and record["manifest"] != _fingerprint(previous):
        previous = {}  # not what output/ holds: see the module docstring
    if manifest == previous and output_intact(output, manifest):
        return manifest
    plan = _plan(outputs, assets)  # refuses duplicates and escapes before anything is touched
    output.parent.mkdir(parents=True, exist_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(output, work)
    reusable = (output / MARKER).is_file()
    # What output/ holds: the record's description, each file checked before use; else previous alone.
    current = record["output"] if record is not None else None
    staging = work / f".{output.name}.new-{os.getpid()}"
    old = None
    try:
        spare_files = _take_spare(spare, record, staging)
        # A spare file stays when the record says it holds the new bytes (and _prune finds its size, time
        # and inode unchanged). Only paths already in normal form (all of ours) are reused: "a//b" and
        # "a/b" would be two manifest keys for one file, and one digest could describe the other's bytes.
        keep = {}
        for normal, path, _ in plan:
            entry = spare_files.get(path)
            if normal == path and entry is not None and entry[0] == manifest[path]:
                keep[path] = tuple(entry[1:])
        kept = _prune(staging, keep)
        placed: dict[str, list] = {}  # the new tree's description, for the record
        folders: set[str] = set()  # parents known to exist, to save a mkdir call per file
        for normal, path, source in plan:
            digest = manifest[path]
            if normal in kept:
                placed[path] = [digest, *keep[path]]
                continue
            parent = os.path.dirname(normal)
            if parent and parent not in folders:
                os.makedirs(staging / parent, exist_ok=True)
                folders.add(parent)
            target = staging / normal
            # Else link an unchanged file from output/; but not one the spare should have held: when it
            # failed its check it may be the very file output/ holds, edited in place through a hard link.
            linked = (reusable and normal == path and path not in keep
                      and _unchanged(output, path, digest, current, previous) and _link(output / path, target))
            if not linked and isinstance(source, str):
                shutil.copyfile(source, target)  # target does not exist: _prune removed all but `kept`
            elif not linked:
                with open(target, "xb") as handle:  # "x": never into an existing (maybe shared) file
                    handle.write(source.data)  # the bytes are read only here: they may come from a store
            info = os.lstat(target)
            placed[path] = [digest, info.st_size, info.st_mtime_ns, info.st_ino]
        if before_swap is not None:
            before_swap(staging)
        (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        if current is None:  # no record: output/ (the next spare) as it is now, on the word of previous
            current = _describe(output, previous) if reusable else {}
        if output.exists():
            if _exchange(staging, output):
                old = staging
            else:
                old = work / f".{output.name}.old-{os.getpid()}"
                output.rename(old)
                staging.rename(output)
        else:
            staging.rename(output)
    finally:
        if staging.exists() and staging != old:
            shutil.rmtree(staging, ignore_errors=True)
    if old is None:
        # A first build: give the next one a spare all the same (hard links to what was just written), so
        # that the first rebuild after a cold build also writes only what changed.
        current = _clone(output, spare, placed)
    _keep_spare(old, spare, {"manifest": _fingerprint(manifest), "output": placed, "spare": current})
    return manifest


def _clone(tree: Path, copy: Path, files: dict[str, list]) -> dict[str, list]:
    """Hard-link every file of files from tree into the new folder copy; returns what copy holds."""
    shutil.rmtree(copy, ignore_errors=True)
    held: dict[str, list] = {}
    folders: set[str] = set()
    try:
        copy.mkdir()
        for path, entry in files.items():
            parent = os.path.dirname(path)
            if parent and parent not in folders:
                os.makedirs(copy / parent, exist_ok=True)
                folders.add(parent)
            os.link(tree / path, copy / path)
            held[path] = entry  # a hard link: same inode, size and time as the file in tree
    except OSError:
        pass  # a partial spare is fine: what it holds is exactly what held says
    return held


def _plan(outputs: list[Output], assets: list[Asset]) -> list[tuple[str, str, Output | str]]:
    """(normal path, manifest path, output or file to copy) per file; refuses two sources for one path."""
    plan = []
    seen: dict[str, str] = {}
    for item in outputs:
        normal = _relative(item.path)
        if normal in seen:
            raise ContentError([Problem(Location(item.source),
                                        f"{item.path} wordt twee keer gemaakt (ook door {seen[normal]}).")])
        seen[normal] = item.source
        plan.append((normal, item.path, item))
    for asset in assets:
        path = output_path(asset.url)
        normal = _relative(path)
        if normal in seen:
            continue  # a generated file wins over a copied one of the same name
        seen[normal] = asset.source_path
        plan.append((normal, path, asset.source_path))
    return plan


def _unchanged(output: Path, path: str, digest: str, current: dict[str, list] | None,
               previous: dict[str, str]) -> bool:
    """Whether output/path holds the bytes of digest. With a record (current): when it says so and the
    file still has the size, time and inode it had when it was put there. Without: when previous says so."""
    if current is None:
        return previous.get(path) == digest
    entry = current.get(path)
    if entry is None or entry[0] != digest:
        return False
    try:
        info = os.lstat(output / path)
    except OSError:
        return False
    return [info.st_size, info.st_mtime_ns, info.st_ino] == entry[1:]


def _fingerprint(manifest: dict[str, str]) -> str:
    """A short name for a manifest, for the record of what output/ holds."""
    return hashlib.sha256(json.dumps(manifest, sort_keys=True).encode()).hexdigest()


def _read_record(spare: Path) -> dict | None:
    """The record of a spare that is a real folder with a well-formed record; else None (not to be trusted)."""
    try:
        if not stat.S_ISDIR(os.lstat(spare).st_mode):
            return None
        record = json.loads((spare / SPARE_RECORD).read_text(encoding="utf-8"))
        if (isinstance(record, dict) and isinstance(record.get("manifest"), str)
                and all(isinstance(record.get(tree), dict)
                        and all(isinstance(entry, list) and len(entry) == 4 for entry in record[tree].values())
                        for tree in ("output", "spare"))):
            return record
    except (OSError, ValueError):
        pass
    return None


def _take_spare(spare: Path, record: dict | None, staging: Path) -> dict[str, list]:
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


def _prune(root: Path, keep: dict[str, tuple]) -> set[str]:
    """Delete everything below root except the files in keep (path -> size, mtime_ns, inode) that still
    have that size, time and inode, and the folders left empty. Returns the paths kept.

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
                if stat.S_ISREG(info.st_mode) and (info.st_size, info.st_mtime_ns, info.st_ino) == expected:
                    kept.add(path)
                    empty = False
                    continue
            os.unlink(entry.path)
        return empty

    visit(str(root), "")
    return kept


def _describe(tree: Path, known: dict[str, str]) -> dict[str, list]:
    """Digest (from known, the tree's manifest), size, mtime_ns and inode of every file of known in tree."""
    files = {}
    root = str(tree)
    for path, digest in known.items():
        try:
            info = os.lstat(os.path.join(root, path)) if path else None
        except OSError:
            continue
        if info is not None and stat.S_ISREG(info.st_mode):
            files[path] = [digest, info.st_size, info.st_mtime_ns, info.st_ino]
    return files


def _keep_spare(old: Path | None, spare: Path, record: dict) -> None:
    """Keep the replaced output/ (old; None when there was none) as the spare, with its record.

    Any failure here only costs the next build its spare, so it is not an error."""
    try:
        if old is None:
            spare.mkdir(exist_ok=True)  # made by _clone, or empty: it still records what output/ holds
        else:
            old.rename(spare)  # a rename keeps the files, their sizes, times and inodes
        (spare / ".gitignore").write_text("*\n", encoding="utf-8")  # keep it out of git status
        (spare / SPARE_RECORD).write_text(json.dumps(record), encoding="utf-8")  # last: now it is trusted
    except OSError:
        for folder in (old, spare):
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)


def _manifest(outputs: list[Output], assets: list[Asset], variant: str) -> dict[str, str]:
    """A digest per output path: a hash of generated bytes; size and time for copied files.

    An output that knows its digest (kept from an earlier build) is not read: its bytes are needed only
    when the file is written."""
    manifest = {"": variant}
    for item in outputs:
        if item.path not in manifest:
            digest = getattr(item, "digest", None)
            manifest[item.path] = digest or hashlib.sha256(item.data).hexdigest()
    for asset in assets:
        path = output_path(asset.url)
        if path not in manifest:
            info = os.stat(asset.source_path)
            manifest[path] = f"file:{asset.source_path}:{info.st_size}:{info.st_mtime_ns}"
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


def _remove_leftovers(output: Path, work: Path) -> None:
    """Folders left by a build that was killed half-way; ours by their name, dead by their process id.

    A spare taken by such a build carries its staging name, so it goes too; the spare itself is not
    matched (its name does not start with output's), and _take_spare deletes it when it has no record.
    Trees that earlier versions kept beside output/ go as well, now that they live in the work folder."""
    if work != output.parent:
        legacy = spare_path(output)
        if legacy.is_dir() and not legacy.is_symlink() and (legacy / SPARE_RECORD).is_file():
            shutil.rmtree(legacy, ignore_errors=True)
    for pattern in (f".{output.name}.new-*", f".{output.name}.old-*"):
        for stale in [*output.parent.glob(pattern), *(work.glob(pattern) if work != output.parent else ())]:
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


def clean(output: Path, work: Path | None = None) -> bool:
    """Remove an output folder we made and its spare; False when output/ was not ours (or not there)."""
    for spare in {spare_path(output.resolve()), spare_path(output.resolve(), work)}:
        if spare.is_dir() and not spare.is_symlink():
            shutil.rmtree(spare)
    if (output / MARKER).is_file():
        shutil.rmtree(output)
        return True
    return False
