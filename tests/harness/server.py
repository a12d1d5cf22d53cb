"""Serve a static folder over HTTP on 127.0.0.1 for tests.

    from harness.server import serve_directory

    with serve_directory(output_dir) as base_url:   # "http://127.0.0.1:PORT/"
        urllib.request.urlopen(base_url + "over/")

- clean URLs: ``/over/`` serves ``over/index.html``; ``/over`` redirects (301)
  to ``/over/`` when that folder exists, or serves ``over.html`` if present;
- a missing path answers the folder's own ``404.html`` with status 404
  (a plain body when the folder has none);
- content types for everything a built site ships (html, css, js, xml, ics,
  json, svg, images, fonts, pagefind files, wasm...), ``charset=utf-8`` on text;
- ``Cache-Control: no-store`` so a browser always sees the current build (a file named by its
  content's hash, css/site.<hash>.css, is kept: ``immutable``, as the hosting recipes have it);
- no request logging; threaded; shut down and joined on exit.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import posixpath
import re
import threading
import urllib.parse
from functools import partial
from pathlib import Path
from typing import Iterator

HOST = "127.0.0.1"

CONTENT_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".xml": "application/xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".xsl": "application/xslt+xml; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".pdf": "application/pdf",
    ".wasm": "application/wasm",
    # Pagefind's index files are opaque binary blobs.
    ".pagefind": "application/octet-stream",
    ".pf_meta": "application/octet-stream",
    ".pf_index": "application/octet-stream",
    ".pf_fragment": "application/octet-stream",
    ".gz": "application/gzip",
}
DEFAULT_CONTENT_TYPE = "application/octet-stream"
HASHED = re.compile(r"^/css/.+\.[0-9a-f]{10}\.css$")  # the hashed stylesheet: docs/hosting.md's nginx recipe


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {"": DEFAULT_CONTENT_TYPE, **CONTENT_TYPES}
    server_version = "harness"
    sys_version = ""

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - quiet
        pass

    def end_headers(self) -> None:
        # A file named by its content's hash (css/site.<hash>.css) is kept, as the documented nginx and
        # Apache recipes have it: a page load then asks for the page alone, not for the stylesheet again.
        immutable = HASHED.match(urllib.parse.unquote(urllib.parse.urlsplit(self.path).path))
        self.send_header("Cache-Control", "public, max-age=31536000, immutable" if immutable else "no-store")
        super().end_headers()

    def guess_type(self, path) -> str:
        ext = posixpath.splitext(str(path))[1].lower()
        return CONTENT_TYPES.get(ext, DEFAULT_CONTENT_TYPE)

    def send_head(self):
        # Clean URL "/over" -> "over.html" when there is no folder "over/".
        fs_path = self.translate_path(self.path)
        url_path = urllib.parse.urlsplit(self.path).path
        if (
            not os.path.exists(fs_path)
            and not url_path.endswith("/")
            and not posixpath.splitext(url_path)[1]
            and os.path.isfile(fs_path + ".html")
        ):
            parts = urllib.parse.urlsplit(self.path)
            self.path = urllib.parse.urlunsplit(parts._replace(path=parts.path + ".html"))
        return super().send_head()

    def list_directory(self, path):
        # A folder without index.html is "not found", never a listing.
        self.send_error(404)
        return None

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", CONTENT_TYPES[".html"])
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextlib.contextmanager
def serve_directory(path: str | os.PathLike) -> Iterator[str]:
    """Serve *path* on 127.0.0.1 at a free port; yield the base URL (ends in "/")."""
    root = Path(path).resolve()
    if not root.is_dir():
        raise FileNotFoundError(f"serve_directory: not a folder: {root}")
    handler = partial(_Handler, directory=str(root))
    server = _Server((HOST, 0), handler)
    port = server.server_address[1]
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05},
        name=f"serve_directory:{port}", daemon=True,
    )
    thread.start()
    try:
        yield f"http://{HOST}:{port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
