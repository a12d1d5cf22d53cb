"""Whether a source file is unchanged since an earlier build, by its size, times and inode alone (as git
and make decide), so that what was read from it then is taken over instead of reading it again."""

from __future__ import annotations

import os
import time
from pathlib import Path

from ..core.errors import Problems


# A file changed within this many seconds of being read may change again within the same clock tick,
# unseen by its size and times; such a file is read again next time instead of trusted (as git does).
RACY_SECONDS = 2


def stat_key(path: Path) -> tuple | None:
    """What tells an unchanged file apart (name, size, times, inode); None when it is too new to trust."""
    key = _as_it_is(path)
    return None if key is None or key[2] > time.time_ns() - RACY_SECONDS * 10**9 else key


def _as_it_is(path: Path) -> tuple | None:
    """(name, size, times, inode) of the file now; None when it is not there."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (str(path), stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


class StatKeys:
    """stat_key of each file a build reads, told by the dev server's file watcher which files changed since
    the build before in this process: a file it did not name keeps the key it had then, not looked at
    again (at 10,000 pages a stat of every page took 0.05 s of each save). changed None: any file may
    have changed (a build.py build, the server's first build, a folder moved): each one is looked at.

    known: path -> key of the build before (kept by the caller); seen: this build's, to keep for the next.
    A file too new to trust (stat_key None) is looked at until it is not; unsure holds what it was like
    when read (for changed_since)."""

    def __init__(self, known: dict[str, tuple], changed: frozenset[str] | None = None) -> None:
        self.known = known
        self.changed = changed
        self.seen: dict[str, tuple] = {}
        self.unsure: dict[str, tuple | None] = {}

    def __call__(self, path: Path) -> tuple | None:
        name = str(path)
        key = self.known.get(name) if self.changed is not None and name not in self.changed else None
        if key is None:
            key = stat_key(path)
        if key is not None:
            self.seen[name] = key
        else:
            self.unsure[name] = _as_it_is(path)
        return key


def changed_since(seen: dict[str, tuple], unsure: dict[str, tuple | None]) -> list[str]:
    """The files a build read (StatKeys.seen and .unsure) that are no longer as they were: what a watcher
    missed. A file read too new to trust counts as changed when its size, times or inode moved since."""
    return [name for name, key in seen.items() if stat_key(Path(name)) != key] + \
        [name for name, key in unsure.items() if _as_it_is(Path(name)) != key]


def read_unless_unchanged(path: Path, read, problems: Problems, read_before: dict, used: set,
                          still_valid=lambda value: True, stat=stat_key):
    """What read() gave for this file earlier, when the file is unchanged (stat(path): stat_key or a
    StatKeys) and the value still_valid; else read() now, kept for next time when it reported no problem.
    The key goes in used."""
    key = stat(path)
    value = read_before.get(key) if key is not None else None
    if value is None or not still_valid(value):
        before = len(problems.items)
        value = read()
        if value is not None and key is not None and len(problems.items) == before:
            read_before[key] = value
    if key in read_before:
        used.add(key)
    return value
