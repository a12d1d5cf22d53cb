"""`build.py serve`: build once, then serve, watch and rebuild until Ctrl-C; `start()` is the same for tests."""

from __future__ import annotations

import dataclasses
import sys
import threading
from dataclasses import dataclass

from watchdog.observers import Observer

from ...core.options import BuildOptions
from ...core.paths import site_paths
from ..editor_backend import API_PATH, EditorBackend
from .handler import DevServer
from .live import LiveSite
from .watch import Rebuilder


@dataclass
class Running:
    """A started dev server: its address and how to stop it."""

    url: str
    live: LiveSite
    server: DevServer
    observer: Observer
    thread: threading.Thread

    def stop(self) -> None:
        """Stop watching and serving; open event streams end."""
        self.live.close()
        self.observer.stop()
        self.server.shutdown()
        self.server.server_close()
        self.observer.join(timeout=5)
        self.thread.join(timeout=5)


def start(options: BuildOptions, port: int = 8000, host: str = "127.0.0.1", verbose: bool = False,
          log=print, editor: bool = False) -> Running:
    """Build once, start serving and watching; port 0 takes a free port. Raises OSError when the port is taken.

    editor: also answer the web editor's saves at /api/v1 (make redactie), for this site's content only."""
    server = DevServer((host, port), None, verbose)  # bind first: a taken port fails before any work
    url = f"http://{host}:{server.server_address[1]}/"
    if editor:
        options = dataclasses.replace(options, cms_proxy=API_PATH)  # same origin: config.yml says /api/v1
    # A preview shows what the editor is working on: drafts and scheduled items too, each saying so.
    live = LiveSite(dataclasses.replace(options, base_url=url, drafts=True), log)
    server.live = live
    if editor:
        server.editor = EditorBackend(site_paths(options.root).root, server.server_address[1],
                                      lambda: live.snapshot.files.get("admin/config.yml"))
    live.rebuild()
    paths = site_paths(options.root)
    rebuilder = Rebuilder(live, paths.root, ignore=(options.output.resolve(),))
    observer = Observer()
    watched = [paths.content, *paths.templates, *paths.static]
    for folder in watched:
        if folder.is_dir():
            observer.schedule(rebuilder, str(folder), recursive=True)
    observer.schedule(rebuilder, str(paths.root), recursive=False)  # site.yaml
    observer.start()
    rebuilder.thread.start()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="http", daemon=True)
    thread.start()
    return Running(url, live, server, observer, thread)


def main(options: BuildOptions, port: int = 8000, verbose: bool = False) -> int:
    """The serve command: run until Ctrl-C."""
    try:
        running = start(options, port=port, verbose=verbose, log=lambda text: print(text, file=sys.stderr, flush=True))
    except OSError as exc:
        print(f"Kan niet starten op poort {port} ({exc.strerror or exc}). Is er al een server? Kies een andere "
              f"poort: python build.py serve --port {port + 1}", file=sys.stderr)
        return 1
    try:  # from the line that says Ctrl-C stops it: a Ctrl-C right after it is a clean stop too (exit 0)
        print(f"De site staat klaar op {running.url}\nWijzigingen worden vanzelf getoond. Stoppen: Ctrl-C.", flush=True)
        while running.thread.is_alive():
            running.thread.join(0.5)
    except KeyboardInterrupt:
        print("\nGestopt.", flush=True)
    finally:
        running.stop()
    return 0
