"""`make redactie`: the web editor on this computer, in one command.

Builds the site and serves it with live reload (tools/serve/) on 127.0.0.1, with /admin/ running Decap CMS
(from node_modules/decap-cms, package-lock.json) and its backend answering on the same port at /api/v1
(tools/editor_backend.py): one Python process, one origin, nothing else to start or to stop. The backend
saves into the site's content/ only; see that module for what it refuses. Ctrl-C or `kill` stops it.
"""

from __future__ import annotations

import signal
import sys

from ..core.options import BuildOptions
from ..core.paths import site_paths
from ..source.files import cms_dist


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def main(options: BuildOptions, port: int = 8000, cms_port: int | None = None, out=sys.stdout,
         err=sys.stderr) -> int:
    """Run the site and the web editor until Ctrl-C; 1 with a Dutch message when they cannot start.

    cms_port is no longer used (the editor's backend shares the site's port); it is accepted so that an
    older command line still works."""
    from .serve.command import start

    if cms_dist(site_paths(options.root)) is None:
        print("De webeditor is niet geïnstalleerd (node_modules/decap-cms ontbreekt). Draai eerst: "
              "python3 tools/npm_tools.py --only decap-cms in de map van het programma "
              "(make redactie doet dat zelf).", file=err)
        return 1
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops the editor as Ctrl-C does
    running = None
    try:
        try:
            running = start(options, port=port, log=lambda text: print(text, file=err, flush=True), editor=True)
        except OSError as exc:
            print(f"Poort {port} is al bezet ({exc.strerror or exc}), dus de webeditor kan niet starten. Draait "
                  "de webeditor al in een ander venster? Stop die dan met Ctrl-C, of kies een andere poort: "
                  f"make redactie PORT={port + 10}", file=err)
            return 1
        print(f"De site staat klaar op {running.url}\nDe webeditor: {running.url}admin/ (slaat op in "
              f"{options.root}/content)\nStoppen: Ctrl-C.", file=out, flush=True)
        while running.thread.is_alive():
            running.thread.join(0.5)
    except KeyboardInterrupt:
        print("\nGestopt: de site en de webeditor.", file=out, flush=True)
    finally:
        if running is not None:
            running.stop()
    return 0
