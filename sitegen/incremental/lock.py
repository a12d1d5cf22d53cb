"""One build at a time uses a site's cache: an flock on .cache/build.lock, which ends with the process
however it ends. Standard library only, like cache.py."""

from __future__ import annotations

import contextlib
import errno
import os
import time
from pathlib import Path

from ..core.atomic import real_folder

CACHE_DIR = ".cache"  # in the site: the build cache (cache.py), its lock, the output trees
LOCK_FILE = "build.lock"
BUSY_MESSAGE = "er draait al een build voor deze site. Wacht tot die klaar is en probeer het dan opnieuw"
LOCK_WAIT_SECONDS = 5.0  # a second build waits this long for the first before it gives up


@contextlib.contextmanager
def locked(root: Path, wait: float | None = None):
    """Hold the site's cache for one build: an exclusive flock on .cache/build.lock. A second build waits
    up to `wait` seconds, then raises BusyError. The lock ends with the process, however it ends (also its
    forked workers hold it, until they end with it: parallel.die_with_parent)."""
    import fcntl

    wait = LOCK_WAIT_SECONDS if wait is None else wait
    folder = real_folder(root / CACHE_DIR, base=root)  # a link in its place: the build would write there
    fd = _lock_file(folder / LOCK_FILE)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise BusyError(str(folder)) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)


def _lock_file(path: Path) -> int:
    """The lock file, opened for the lock; a link in its place is removed, never followed (opening it would
    make the file it points to, out of the site)."""
    flags = os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW
    try:
        return os.open(path, flags, 0o644)
    except OSError as exc:
        if exc.errno != errno.ELOOP:
            raise
    path.unlink()
    return os.open(path, flags, 0o644)


class BusyError(Exception):
    """Another build holds this site's cache."""
