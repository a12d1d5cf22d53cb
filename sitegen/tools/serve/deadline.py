"""A time limit on reading each request, so that a slow or idle client cannot hold the dev server (issue 24).

A socket timeout alone bounds each read, not the whole request: a client sending one byte every few seconds
("slow loris") would never hit it. So every connection is watched from the moment it is accepted until its
request (line, headers and body) has been read; one reaper thread shuts down the connections that are late,
and their handler threads then see the end of the stream and finish.
"""

from __future__ import annotations

import socket
import threading
import time

REQUEST_SECONDS = 10.0  # to send the request line, the headers and the body
REAP_SECONDS = 0.25


class Deadlines:
    """Connections still sending their request, each with the moment it must have arrived."""

    def __init__(self, seconds: float = REQUEST_SECONDS):
        self.seconds = seconds
        self.pending: dict[socket.socket, float] = {}
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._reap, name="request-deadlines", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def watch(self, connection: socket.socket) -> None:
        with self.lock:
            self.pending[connection] = time.monotonic() + self.seconds

    def done(self, connection: socket.socket) -> bool:
        """The request has been read (or the connection ends): no limit from here on. False when it came
        too late (the connection has been shut down: what was read of it is not to be answered)."""
        with self.lock:
            return self.pending.pop(connection, None) is not None

    def close(self) -> None:
        self.stopped.set()
        if self.thread.is_alive():
            self.thread.join(timeout=2)

    def _reap(self) -> None:
        while not self.stopped.wait(REAP_SECONDS):
            now = time.monotonic()
            with self.lock:
                late = [c for c, due in self.pending.items() if due < now]
                for connection in late:
                    del self.pending[connection]
            for connection in late:
                try:
                    connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass  # closed in between
