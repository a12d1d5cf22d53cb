"""`build.py serve`: build in memory, serve on 127.0.0.1, rebuild when a source changes, reload the browser.

The site is generated with the same `generate()` as a build, into memory: output/ is never touched. A watchdog
observer watches content/, templates/, static/ and site.yaml; a change triggers a rebuild after a short quiet
spell, and every open tab is told to reload over server-sent events (/__livereload). Pages get a
`<script src="/__livereload.js">` only here (our pages allow scripts from their own host only). When the
content has errors, HTML requests get a Dutch page listing them, while the last good build keeps serving the
rest; saving the fixed file brings the pages back by themselves.

Every change rebuilds the whole site in memory: for the real site (31 pages) that measured 0.5-1 s, for a
small one under 0.2 s, so there is no partial rebuild and no cache to get wrong (house rule 9).
"""

from __future__ import annotations

import dataclasses
import html
import mimetypes
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from ..core.errors import ContentError, Problem
from ..source.load import site_paths
from ..incremental.cache import BuildCache
from ..pipeline import BuildOptions, generate
from ..core.urls import output_path

RELOAD_PATH = "/__livereload"
SCRIPT_PATH = "/__livereload.js"
SCRIPT_TAG = f'<script src="{SCRIPT_PATH}" defer></script>'
PANEL_STYLE_PATH = "/__waarschuwingen.css"
PANEL_STYLE_TAG = f'<link rel="stylesheet" href="{PANEL_STYLE_PATH}">'
PANEL_CLASS = "sitegen-waarschuwingen"
QUIET_SECONDS = 0.15  # editors save in bursts (temp file, rename): wait until it is quiet
SETTLE_SECONDS = 0.3  # a rebuild that fails is tried once more after this pause (a file saved in two steps)
KEEPALIVE_SECONDS = 10

RELOAD_SCRIPT = f"""\
// Live reload while editing (only served by `build.py serve`, never in the built site).
(function () {{
  var source = new EventSource("{RELOAD_PATH}");
  source.addEventListener("reload", function () {{ window.location.reload(); }});
}})();
""".encode("utf-8")


# The warnings panel: a stylesheet from our own host, as the pages' Content-Security-Policy allows no
# inline styles. Served and linked only by `serve`; the built site never has it.
PANEL_STYLE = f"""\
.{PANEL_CLASS} {{ background: #fff8d6; color: #1a1a1a; border-bottom: 3px solid #8a6d00; padding: .75rem 1rem;
  font: 1rem/1.5 system-ui, sans-serif; }}
.{PANEL_CLASS} h2 {{ font-size: 1.1rem; margin: 0 0 .5rem; }}
.{PANEL_CLASS} ol {{ margin: 0; padding-left: 1.5rem; }}
.{PANEL_CLASS} li {{ margin-bottom: .5rem; overflow-wrap: anywhere; }}
.{PANEL_CLASS} code {{ background: #fff; padding: 0 .25rem; }}
""".encode("utf-8")


@dataclass
class Snapshot:
    """One build as served: files by output path, and the problems of the latest attempt (if it failed)."""

    files: dict[str, bytes] = field(default_factory=dict)
    assets: dict[str, str] = field(default_factory=dict)  # output path -> file on disk
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    bug: str | None = None

    @property
    def failed(self) -> bool:
        return bool(self.problems) or self.bug is not None


class LiveSite:
    """The served state: the last good build, the latest problems, and a version that rises on each rebuild."""

    def __init__(self, options: BuildOptions, log=print):
        self.options = options
        self.log = log
        self.snapshot = Snapshot()
        self.cache = BuildCache()  # the incremental engine's memory, kept between rebuilds
        self.version = 0
        self.closing = False
        self.changed = threading.Condition()

    def rebuild(self) -> Snapshot:
        """Generate the site; keep the last good files when the content has errors."""
        started = time.perf_counter()
        try:
            result = self._generate_settled()
        except ContentError as exc:
            snapshot = dataclasses.replace(self.snapshot, problems=exc.problems, warnings=exc.warnings, bug=None)
            self.log(f"{len(exc.problems)} {'fout' if len(exc.problems) == 1 else 'fouten'}: de browser toont ze. "
                     "De vorige versie van de site blijft bewaard.")
            for problem in exc.problems:
                self.log("  " + problem.format())
        except Exception as exc:  # a bug in the generator or a template: show it, keep serving
            detail = traceback.format_exc()
            snapshot = dataclasses.replace(self.snapshot, problems=[], warnings=[],
                                           bug=f"{type(exc).__name__}: {exc}\n\n{detail}")
            self.log(f"Programmafout: {type(exc).__name__}: {exc}")
        else:
            files = {o.path: o.data for o in result.outputs}
            assets = {output_path(a.url): a.source_path for a in result.site.assets}
            snapshot = Snapshot(files, assets, [], result.warnings)
            count = len(result.warnings)
            self.log(f"Gebouwd in {time.perf_counter() - started:.2f} s: {len(result.site.pages)} pagina's"
                     + (f", {count} {'waarschuwing' if count == 1 else 'waarschuwingen'} (ook bovenaan elke "
                        "pagina in de browser)" if count else "") + ".")
            for warning in sorted(result.warnings):
                self.log("  " + warning.format())
        with self.changed:
            self.snapshot = snapshot
            self.version += 1
            self.changed.notify_all()
        return snapshot

    def _generate_settled(self):
        """generate(), read again after a short pause when it fails: an editor's program may save a file
        in two steps (empty it, then write it), and a rebuild that read it in between should not show an
        error page for a file that is fine a moment later."""
        try:
            result = generate(self.options, cache=self.cache)
        except ContentError:
            time.sleep(SETTLE_SECONDS)
            result = generate(self.options, cache=self.cache)
        self.cache.prune()
        return result

    def wait_for_change(self, seen: int, timeout: float) -> int:
        """Block until the version passes `seen`, the server closes, or the timeout ends; the version then."""
        with self.changed:
            self.changed.wait_for(lambda: self.version > seen or self.closing, timeout)
            return self.version

    def close(self) -> None:
        with self.changed:
            self.closing = True
            self.changed.notify_all()


class Handler(BaseHTTPRequestHandler):
    """Serves the live site from memory; the server carries the LiveSite (no globals)."""

    server: "DevServer"
    server_version = "sitegen-serve"

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self._serve(body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(body=False)

    def _serve(self, body: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        live = self.server.live
        if path == RELOAD_PATH:
            return self._events(live)
        if path == SCRIPT_PATH:
            return self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", RELOAD_SCRIPT, body)
        if path == PANEL_STYLE_PATH:
            return self._send(HTTPStatus.OK, "text/css; charset=utf-8", PANEL_STYLE, body)
        snapshot = live.snapshot
        wanted = output_path(path)
        data, found = self._find(snapshot, wanted)
        if found is None and not wanted.endswith("index.html") and self._find(snapshot, wanted + "/index.html")[1]:
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", path + "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        is_page = found is None or found.endswith(".html")
        # The web editor (/admin/) is never reloaded nor replaced by the error page: that would throw away
        # what an editor is typing, and its own saves are what set off the rebuilds.
        editor = wanted.startswith("admin/")
        if snapshot.failed and is_page and not editor:
            return self._send(HTTPStatus.INTERNAL_SERVER_ERROR, "text/html; charset=utf-8",
                              error_page(snapshot), body)
        status = HTTPStatus.OK
        if found is None:
            status = HTTPStatus.NOT_FOUND
            data, found = self._find(snapshot, "404.html")
            if found is None:
                return self._send(status, "text/plain; charset=utf-8", "Niet gevonden.\n".encode(), body)
        kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "application/xml", "image/svg+xml"):
            kind += "; charset=utf-8"
        if found.endswith(".html") and not editor:
            data = inject_panel(inject_script(data), snapshot.warnings)
        return self._send(status, kind, data, body)

    def _find(self, snapshot: Snapshot, wanted: str) -> tuple[bytes, str | None]:
        if wanted in snapshot.files:
            return snapshot.files[wanted], wanted
        source = snapshot.assets.get(wanted)
        if source is not None:
            try:
                return Path(source).read_bytes(), wanted
            except OSError:
                return b"", None
        return b"", None

    def _send(self, status: HTTPStatus, kind: str, data: bytes, body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _events(self, live: LiveSite) -> None:
        """Server-sent events: 'reload' after each rebuild; a comment now and then keeps the line open."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = live.version
        try:
            self.wfile.write(b"retry: 500\n: verbonden\n\n")
            self.wfile.flush()
            while not live.closing:
                version = live.wait_for_change(seen, KEEPALIVE_SECONDS)
                if live.closing:
                    break
                if version > seen:
                    seen = version
                    self.wfile.write(f"event: reload\ndata: {version}\n\n".encode())
                else:
                    self.wfile.write(b": wacht\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the tab was closed or reloaded

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (http.server's name)
        if self.server.verbose:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")


def inject_script(page: bytes) -> bytes:
    """Add the live-reload script before </head> (or at the end when there is none)."""
    marker = b"</head>"
    tag = SCRIPT_TAG.encode()
    index = page.find(marker)
    return page[:index] + tag + b"\n" + page[index:] if index >= 0 else page + tag


def inject_panel(page: bytes, warnings: list[Problem]) -> bytes:
    """Put the build's warnings at the top of the page's body, with their stylesheet in the head."""
    if not warnings:
        return page
    count = len(warnings)
    rows = "".join(f"<li><code>{html.escape(str(w.location))}</code> {html.escape(w.message)}</li>"
                   for w in sorted(warnings))
    panel = (f'<aside class="{PANEL_CLASS}" aria-labelledby="{PANEL_CLASS}-kop">'
             f'<h2 id="{PANEL_CLASS}-kop">{count} {"waarschuwing" if count == 1 else "waarschuwingen"} bij het '
             "bouwen (alleen te zien in deze voorbeeldweergave, niet op de echte site)</h2>"
             f"<ol>{rows}</ol></aside>\n").encode("utf-8")
    head = page.find(b"</head>")
    if head >= 0:
        page = page[:head] + PANEL_STYLE_TAG.encode() + b"\n" + page[head:]
    body = page.find(b"<body")
    start = page.find(b">", body) + 1 if body >= 0 else 0
    return page[:start] + b"\n" + panel + page[start:]


def error_page(snapshot: Snapshot) -> bytes:
    """A readable Dutch page with everything that is wrong, and the reload script."""
    if snapshot.bug:
        items = f"<pre>{html.escape(snapshot.bug)}</pre>"
        lead = ("Er ging iets mis in het programma of in een sjabloon (templates/). Dat is geen fout in je tekst. "
                "Herstel het sjabloon, of vraag een ontwikkelaar om hulp en stuur deze melding mee.")
    else:
        count = len(snapshot.problems)
        lead = (f"Er {'is 1 fout' if count == 1 else f'zijn {count} fouten'} gevonden. Herstel "
                f"{'hem' if count == 1 else 'ze'} en sla het bestand op: deze pagina ververst dan vanzelf.")
        rows = "".join(
            f"<li><code>{html.escape(str(p.location))}</code><br>{html.escape(p.message)}</li>"
            for p in snapshot.problems)
        items = f"<ol>{rows}</ol>"
    page = f"""<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fout in de site</title>
<style>
body {{ font: 1.1rem/1.5 system-ui, sans-serif; max-width: 50rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }}
h1 {{ color: #a00000; }}
li {{ margin-bottom: 1rem; }}
code, pre {{ background: #f3f3f3; padding: .1rem .3rem; overflow-x: auto; }}
</style>
{SCRIPT_TAG}
</head>
<body>
<main>
<h1>De site kan niet gebouwd worden</h1>
<p>{lead}</p>
{items}
<p>Uitleg bij elke melding staat in <code>docs/redactie.md</code>.</p>
</main>
</body>
</html>
"""
    return page.encode("utf-8")


class DevServer(ThreadingHTTPServer):
    """The HTTP server with its LiveSite; handler threads die with it."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], live: LiveSite, verbose: bool = False):
        self.live = live
        self.verbose = verbose
        super().__init__(address, Handler)


class Rebuilder(FileSystemEventHandler):
    """Collects file events and rebuilds once they have been quiet for a moment."""

    def __init__(self, live: LiveSite, root: Path, ignore: tuple[Path, ...]):
        self.live = live
        self.root = root
        self.ignore = ignore
        self.pending = threading.Event()
        self.last_event = 0.0
        self.thread = threading.Thread(target=self._run, name="rebuild", daemon=True)

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        paths = [event.src_path, getattr(event, "dest_path", "") or ""]
        if all(self._ignored(p) for p in paths if p):
            return
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
                continue
            while time.monotonic() - self.last_event < QUIET_SECONDS:
                time.sleep(QUIET_SECONDS / 3)
            self.pending.clear()
            if not self.live.closing:
                self.live.rebuild()


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
          log=print) -> Running:
    """Build once, start serving and watching; port 0 takes a free port. Raises OSError when the port is taken."""
    server = DevServer((host, port), None, verbose)  # bind first: a taken port fails before any work
    url = f"http://{host}:{server.server_address[1]}/"
    live = LiveSite(dataclasses.replace(options, base_url=url), log)
    server.live = live
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
    print(f"De site staat klaar op {running.url}\nWijzigingen worden vanzelf getoond. Stoppen: Ctrl-C.", flush=True)
    try:
        while running.thread.is_alive():
            running.thread.join(0.5)
    except KeyboardInterrupt:
        print("\nGestopt.", flush=True)
    finally:
        running.stop()
    return 0
