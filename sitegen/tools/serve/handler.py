"""The preview's HTTP side: serve the live site from memory, with the reload events and the preview's extras.

The web editor (/admin/) is served as it is built; every other page gets the reload script and the warnings
panel, or the error page while the content has errors.
"""

from __future__ import annotations

import mimetypes
import sys
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ...core.urls import output_path
from .live import LiveSite, Snapshot
from .preview import (PANEL_STYLE, PANEL_STYLE_PATH, RELOAD_PATH, RELOAD_SCRIPT, SCRIPT_PATH, error_page,
                      inject_panel, inject_script)

KEEPALIVE_SECONDS = 10


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


class DevServer(ThreadingHTTPServer):
    """The HTTP server with its LiveSite; handler threads die with it."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], live: LiveSite, verbose: bool = False):
        self.live = live
        self.verbose = verbose
        super().__init__(address, Handler)
