"""The file watcher of `build.py serve`: collect the file events of the site's sources and rebuild once
they have been quiet for a moment (editors save in bursts: a temporary file, then a rename).
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler

from .live import LiveSite

QUIET_SECONDS = 0.15  # editors save in bursts (temp file, rename): wait until it is quiet
# A file closed after writing, renamed into place or deleted is a finished save: a burst's next event follows
# within milliseconds, so a much shorter quiet suffices. A write not yet closed waits the whole QUIET_SECONDS.
SAVED_QUIET_SECONDS = 0.03
FINISHED = frozenset({"closed", "moved", "deleted"})
TIDY_SECONDS = 2.0  # quiet this long after a rebuild: the cache entries it did not use are dropped (LiveSite.tidy)
COLLECT_SECONDS = 10.0  # quiet this long: the garbage of the rebuilds since is collected too (0.7 s at 10,000 pages)


class Rebuilder(FileSystemEventHandler):
    """Collects file events and rebuilds once they have been quiet for a moment."""

    def __init__(self, live: LiveSite, root: Path, ignore: tuple[Path, ...]):
        self.live = live
        self.root = root
        self.ignore = ignore
        self.pending = threading.Event()
        self.last_event = 0.0
        self.quiet = QUIET_SECONDS  # how long the events so far must be quiet before a rebuild
        # The files the events since the last rebuild named; None: not only files (a folder made, moved or
        # removed: its files send no events of their own), so the next rebuild looks at every file.
        self.saved: set[str] | None = set()
        self.saved_lock = threading.Lock()
        # Whether missed() was asked since the last rebuild; the first build was made before the watching began.
        self.checked = False
        self.thread = threading.Thread(target=self._run, name="rebuild", daemon=True)

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        paths = [event.src_path, getattr(event, "dest_path", "") or ""]
        if all(self._ignored(p) for p in paths if p):
            return
        if not (event.is_directory and event.event_type == "modified"):  # a folder's time follows each file
            # made or removed in it, after that file's own events: those say whether the save is finished
            self.quiet = SAVED_QUIET_SECONDS if event.event_type in FINISHED and not event.is_directory \
                else QUIET_SECONDS
        with self.saved_lock:
            if event.is_directory and event.event_type != "modified":
                self.saved = None
            elif self.saved is not None:
                self.saved.update(os.fsdecode(p) for p in paths if p)
        self.last_event = time.monotonic()
        self.pending.set()

    def _ignored(self, name: str | bytes) -> bool:
        path = Path(name.decode() if isinstance(name, bytes) else name)
        if any(part.startswith(".") for part in path.parts[-3:]) or path.name.endswith(("~", ".swp", ".swx")):
            return True  # hidden files, editors' temporary and backup files
        if path.parent == self.root and path.name != "site.yaml":
            return True  # of the site's own folder only site.yaml is a source
        return any(path == root or root in path.parents for root in self.ignore)

    def _run(self) -> None:
        while not self.live.closing:
            if not self.pending.wait(0.2):
                quiet = time.monotonic() - self.last_event
                if quiet >= TIDY_SECONDS and not self.checked:
                    self.checked = True
                    if self.live.missed():
                        self._all_files_again()
                        continue
                if quiet >= TIDY_SECONDS:  # stops when a file is saved
                    self.live.tidy(waiting=self.pending.is_set, collect=quiet >= COLLECT_SECONDS)
                continue
            while (waited := time.monotonic() - self.last_event) < self.quiet:
                time.sleep(min(self.quiet - waited, 0.01))  # short naps: a finished save shortens the wait
            self.pending.clear()
            with self.saved_lock:  # a save from here on is in the next rebuild's
                saved, self.saved = self.saved, set()
            self.checked = False
            if not self.live.closing:
                self.live.rebuild(None if saved is None else frozenset(saved))

    def _all_files_again(self) -> None:
        """A rebuild that looks at every file (see LiveSite.missed)."""
        with self.saved_lock:
            self.saved = None
        self.pending.set()
