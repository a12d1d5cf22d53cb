"""The only module that touches output/: it brings a tree beside output/ to the new state and swaps it in at once.

Double buffering. In a work folder (work_dir(): inside the site's .cache/) we keep a spare tree,
`.sitegen-spare-<name>`: the output/ of the build before, kept after the last swap instead of deleted. A build takes the spare (renames it to its staging name
`.<name>.new-<pid>`), deletes from it what changed or is gone, writes what is new or changed, and swaps the
result with output/ in one step; the old output/ becomes the next spare. A one-page edit then costs a walk
over the spare plus the few changed files, instead of a fresh folder and the deletion of the old tree
(tenths of a second on a 1,000-page site, seconds at 10,000). Files the spare lacks but output/ has
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
  name, so a build killed half-way leaves a folder the next build removes (_remove_leftovers).
- output/ is only replaced by one atomic exchange (renameat2): a kill at any moment leaves the old or the new
  site. Without renameat2 two renames do it, with a short moment without output/.
- `commit(manifest)` runs on the complete new tree just before the swap (the build saves its cache there):
  when it fails, output/ stays as it was, and a cache is never saved for an output that was not put in place
  before it (a build killed between the two leaves a cache whose manifest output/ does not match: the
  record then says so, and the next build writes what differs).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
from pathlib import Path
from typing import Callable

from ..core.errors import Location, Problem, ContentError
from ..core.model import Asset, Output
from ..core.urls import output_path

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
    key = hashlib.sha256(str(output).encode("utf-8", "surrogateescape")).hexdigest()[:12]
    trees = site_root.resolve() / ".cache" / "output-trees" / f"{output.name}-{key}"
    if _device(output.parent) != _device(trees):  # .cache/ may be a mount of its own (CI caches it)
        return output.parent
    return trees


def _device(path: Path) -> int:
    """The file system of path, or of its nearest folder that exists."""
    near = next((p for p in (path, *path.parents) if p.exists()), Path("/"))
    return os.stat(near).st_dev


def spare_path(output: Path, work: Path | None = None) -> Path:
    """The spare tree of output, in its work folder (by default beside it). Its name does not start
    with output's own, so nothing that looks for `.<name>.*` leftovers mistakes it for one."""
    return (work or output.parent) / f".sitegen-spare-{output.name}"


def write_site(output: Path, outputs: list[Output], assets: list[Asset],
               before_swap: Callable[[Path], None] | None = None,
               previous: dict[str, str] | None = None, variant: str = "",
               commit: Callable[[dict[str, str]], None] | None = None,
               notice: Callable[[str], None] | None = None,
               work: Path | None = None) -> dict[str, str]:
    """Bring the spare (or an empty folder) beside output/ to the new state, then put it in place in one step.

    before_swap(staging) runs on the complete new tree just before the swap; when it raises, the new tree
    is thrown away and output/ stays as it was. Files it adds are not reused by later builds.
    commit(manifest) runs last before the swap, also when output/ already holds the new state; when it
    raises, output/ stays as it was. notice(text) hears of files in output/ changed by hand.
    previous: the manifest the last build returned; kept for callers, the spare's record alone is trusted.
    Returns the new manifest."""
    output = output.resolve()
    work = work or output.parent  # work_dir(): where the spare and staging trees live
    manifest = _manifest(outputs, assets, variant)
    spare = spare_path(output, work)
    record = _read_record(spare)
    if record is not None and record["manifest"] == _fingerprint(manifest) and output_intact(output, manifest, work):
        if commit is not None:
            commit(manifest)
        return manifest
    plan = _plan(outputs, assets)  # refuses duplicates and escapes before anything is touched
    output.parent.mkdir(parents=True, exist_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(output, work)
    # What output/ holds, on the word of the record, each file checked before use; nothing without one.
    current = record["output"] if record is not None and (output / MARKER).is_file() else {}
    if notice is not None:
        for path in _changed_by_hand(output, current):
            notice(f"{output.name}/{path} is met de hand veranderd; de build heeft het vervangen door de "
                   "gemaakte versie. Verander bestanden in content/, niet in de uitvoermap.")
    staging = work / f".{output.name}.new-{os.getpid()}"
    old = None
    try:
        spare_files = _take_spare(spare, record, staging)
        # A spare file stays when the record says it holds the new bytes (and _prune finds its size, times
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
            # Else copy an unchanged file from output/ (a copy, never a link: see the module docstring).
            if normal == path and _unchanged(output, path, digest, current):
                shutil.copyfile(output / path, target)
            elif isinstance(source, str):
                _copy_regular(source, target)
            else:
                with open(target, "xb") as handle:  # "x": never into an existing file
                    handle.write(source.data)  # the bytes are read only here: they may come from a store
            placed[path] = [digest, *_identity(os.lstat(target))]
        if before_swap is not None:
            before_swap(staging)
        (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        if commit is not None:
            commit(manifest)
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
    _keep_spare(old, spare, {"manifest": _fingerprint(manifest), "output": placed,
                             "spare": current if old is not None else {}})
    return manifest


def _identity(info: os.stat_result) -> list[int]:
    """What tells a file we wrote from one changed since: any write changes its ctime, which no tool can
    set back (unlike the mtime: cp -p, rsync -t, tar)."""
    return [info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns]


def _changed_by_hand(output: Path, current: dict[str, list]) -> list[str]:
    """The files of output/ that are there but no longer what the record says was put there."""
    changed = []
    root = str(output)
    for path, entry in current.items():
        try:
            info = os.lstat(os.path.join(root, path))
        except OSError:
            continue
        if _identity(info) != entry[1:]:
            changed.append(path)
    return sorted(changed)


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


def _unchanged(output: Path, path: str, digest: str, current: dict[str, list]) -> bool:
    """Whether output/path holds the bytes of digest: the record (current) says so and the file still has
    the size, times and inode it had when it was put there."""
    entry = current.get(path)
    if entry is None or entry[0] != digest:
        return False
    try:
        info = os.lstat(output / path)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and _identity(info) == entry[1:]


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
                        and all(isinstance(entry, list) and len(entry) == 5 for entry in record[tree].values())
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
                if stat.S_ISREG(info.st_mode) and tuple(_identity(info)) == expected:
                    kept.add(path)
                    empty = False
                    continue
            os.unlink(entry.path)
        return empty

    visit(str(root), "")
    return kept


def _keep_spare(old: Path | None, spare: Path, record: dict) -> None:
    """Keep the replaced output/ (old; None when there was none) as the spare, with its record.

    Any failure here only costs the next build its spare, so it is not an error."""
    try:
        if old is None:
            spare.mkdir(exist_ok=True)  # empty: it still records what output/ holds
        else:
            old.rename(spare)  # a rename keeps the files, their sizes, times and inodes
        (spare / ".gitignore").write_text("*\n", encoding="utf-8")  # keep it out of git status
        temporary = spare / (SPARE_RECORD + ".tmp")
        temporary.write_text(json.dumps(record), encoding="utf-8")
        os.replace(temporary, spare / SPARE_RECORD)  # last, and whole: now it is trusted
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
            info = os.stat(asset.source_path)  # ctime and inode too: a copy with its old mtime put back
            manifest[path] = (f"file:{asset.source_path}:{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}"
                              f":{info.st_ino}")
    return manifest


def output_intact(output: Path, manifest: dict[str, str], work: Path | None = None) -> bool:
    """Whether output/ is ours and holds exactly the files of the manifest, each as it was put there (on
    the word of the spare's record: size, times and inode of every file)."""
    record = _read_record(spare_path(output, work))
    if record is None or record["manifest"] != _fingerprint(manifest) or not (output / MARKER).is_file():
        return False
    root = str(output)
    for path, entry in record["output"].items():
        try:
            info = os.lstat(os.path.join(root, path))
        except OSError:
            return False
        if _identity(info) != entry[1:]:
            return False
    return True


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
