"""The preview's HTTP side: serve the live site from memory, with the reload events and the preview's extras.

The web editor (/admin/) is served as it is built; every other page gets the reload script and the warnings
panel, or the error page while the content has errors. Under `make redactie` the editor's backend answers
POSTs to /api/v1 on the same origin (tools/editor_backend.py).

Against load and abuse (issue 24): a listen backlog of 256, a request that must be read within
deadline.REQUEST_SECONDS (slow clients are cut off, idle ones too) and a socket timeout on every read and
write; a redirect's Location is built from the path's names, so it never starts with `//` or a backslash; a
copied file is read from its folder without following a link (safefs), so a link re-pointed after the build
is not served.
"""

from __future__ import annotations

import mimetypes
import sys
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from ...core.urls import output_path
from ..editor_backend import API_PATH, Answer, EditorBackend, Refusal
from . import safefs
from .deadline import Deadlines
from .live import LiveSite, Snapshot
from .preview import (PANEL_STYLE, PANEL_STYLE_PATH, RELOAD_PATH, RELOAD_SCRIPT, SCRIPT_PATH, error_page,
                      inject_panel, inject_script)

KEEPALIVE_SECONDS = 10
SOCKET_SECONDS = 30  # any one read or write; the reload stream writes every KEEPALIVE_SECONDS
MAX_ASSET_BYTES = 1024 * 1024 * 1024


def location(path: str) -> str:
    """path + '/' as a Location on this site: empty names dropped (never `//`), a backslash escaped."""
    names = [name for name in path.split("/") if name]
    return quote("/" + "/".join(names) + "/" if names else "/", safe="/")


class Handler(BaseHTTPRequestHandler):
    """Serves the live site from memory; the server carries the LiveSite (no globals)."""

    server: "DevServer"
    server_version = "sitegen-serve"
    timeout = SOCKET_SECONDS

    def setup(self) -> None:
        super().setup()
        self.server.deadlines.watch(self.connection)

    def finish(self) -> None:
        self.server.deadlines.done(self.connection)
        super().finish()

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        if self._in_time():
            self._serve(body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        if self._in_time():
            self._serve(body=False)

    def _in_time(self) -> bool:
        """Whether the request was read before its deadline (a late one was cut off half-way: no answer)."""
        if self.server.deadlines.done(self.connection):
            return True
        self.close_connection = True
        return False

    def do_POST(self) -> None:  # noqa: N802
        """The web editor's backend (make redactie); nothing else takes a POST."""
        editor = self.server.editor
        if not self._in_time():
            return None
        if editor is None or urlsplit(self.path).path != API_PATH:
            return self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", "Niet gevonden.\n".encode(), True)
        try:
            editor.check_request("POST", self.headers)
        except Refusal as refusal:
            return self._answer(Answer.json(refusal.status, {"error": refusal.message}))
        self.server.deadlines.watch(self.connection)  # the body too must come in time
        length = int(self.headers["Content-Length"])
        data = self.rfile.read(length)
        if not self.server.deadlines.done(self.connection) or len(data) != length:
            self.close_connection = True
            return None  # the client went away, or was too slow
        return self._answer(editor.answer(data))

    def _answer(self, answer: Answer, body: bool = True) -> None:
        self._send(HTTPStatus(answer.status), "application/json; charset=utf-8", answer.body, body)

    def _serve(self, body: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        live = self.server.live
        if path == API_PATH and self.server.editor is not None:
            try:
                self.server.editor.check_request(self.command, self.headers)
            except Refusal as refusal:
                return self._answer(Answer.json(refusal.status, {"error": refusal.message}), body)
        if path == RELOAD_PATH:
            return self._events(live)
        if path == SCRIPT_PATH:
            return self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", RELOAD_SCRIPT, body)
        if path == PANEL_STYLE_PATH:
            return self._send(HTTPStatus.OK, "text/css; charset=utf-8", PANEL_STYLE, body)
        snapshot = live.settled()  # during a rebuild: the build it makes
        wanted = output_path(path)
        data, found = self._find(snapshot, wanted)
        if found is None and not wanted.endswith("index.html") and self._find(snapshot, wanted + "/index.html")[1]:
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", location(path))
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
            data = inject_panel(inject_script(data), snapshot.panel(found))
        return self._send(status, kind, data, body)

    def _find(self, snapshot: Snapshot, wanted: str) -> tuple[bytes, str | None]:
        """The bytes at an output path: a built file, or a copied one read now from the folder it was found
        in, without following a link (one re-pointed since the build is not served)."""
        if wanted in snapshot.files:
            return snapshot.files[wanted], wanted
        source = snapshot.assets.get(wanted)
        folder = next((f for f in snapshot.folders if source and source.startswith(f + "/")), None)
        if folder is None:
            return b"", None
        try:
            return safefs.read(Path(folder), source[len(folder) + 1:], MAX_ASSET_BYTES), wanted
        except (OSError, safefs.Refused, safefs.TooLarge):
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
        except OSError:
            pass  # the tab was closed or reloaded, or stopped reading

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (http.server's name)
        if self.server.verbose:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")


class DevServer(ThreadingHTTPServer):
    """The HTTP server with its LiveSite; handler threads die with it."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256  # 200 browsers at once are queued, not refused (the default is 5)

    def __init__(self, address: tuple[str, int], live: LiveSite, verbose: bool = False):
        self.live = live
        self.verbose = verbose
        self.editor: EditorBackend | None = None
        self.deadlines = Deadlines()
        super().__init__(address, Handler)
        self.deadlines.start()

    def handle_error(self, request, client_address) -> None:
        """A browser that went away mid-answer (or a client cut off at its deadline) is no error of ours."""
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)

    def server_close(self) -> None:
        super().server_close()
        self.deadlines.close()
