"""The dev server (`build.py serve`, also under make redactie) under load and abuse (issue 24, items 2 and 7).

A backlog that queues 200 browsers, a time limit on every request so idle or slow clients cannot hold it,
redirects that never leave the site, and copied files read without following a link re-pointed after the
build.
"""

from __future__ import annotations

import http.client
import os
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urljoin, urlsplit

import pytest

from conftest import NOW
from sitegen.core import dates
from sitegen.core.options import BuildOptions
from sitegen.tools.serve.command import start
from sitegen.tools.serve.handler import DevServer

SECRET = "GEHEIM-BUITEN-DE-SITE"


@pytest.fixture
def served(make_site, tmp_path):
    outside = tmp_path / "buiten"
    outside.mkdir()
    (outside / "geheim.pdf").write_text(SECRET)
    site = make_site({
        "content/over.md": "---\ntitle: Over ons\n---\n\nWij zijn een coalitie. [Folder](folder.pdf)\n",
        "content/folder.pdf": b"%PDF-1.4 echte folder\n",
    })
    options = BuildOptions(root=site, output=site / "output", now=dates.parse_now(NOW))
    running = start(options, port=0, log=lambda text: None)
    try:
        yield site, running, outside
    finally:
        running.stop()


def get(running, path: str, host: str | None = None, timeout: float = 10) -> tuple[int, dict, bytes]:
    port = running.server.server_address[1]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", host or f"127.0.0.1:{port}")
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_the_listen_backlog_queues_150_connections_while_the_server_is_busy():
    server = DevServer(("127.0.0.1", 0), None)  # listening, but not accepting yet: as when every thread is busy
    clients = []
    try:
        assert server.request_queue_size >= 128
        for _ in range(150):
            client = socket.socket()
            client.settimeout(2)
            client.connect(server.server_address)  # a full backlog drops the SYN: this would time out
            clients.append(client)
    finally:
        for client in clients:
            client.close()
        server.server_close()


@pytest.mark.slow
def test_idle_and_slow_clients_do_not_hold_the_server_and_are_cut_off(served):
    site, running, _ = served
    running.server.deadlines.seconds = 2.0  # the real limit is 10 s; the same code with a shorter wait
    port = running.server.server_address[1]
    idle = []
    for number in range(20):
        client = socket.create_connection(("127.0.0.1", port))
        if number % 2:
            client.sendall(b"GET /over/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # headers never finished
        idle.append(client)
    try:
        started = time.monotonic()
        status, _, page = get(running, "/over/")
        assert status == 200 and b"Wij zijn een coalitie." in page
        assert time.monotonic() - started < 3
        for client in idle:  # each is closed by the server once its time is up
            client.settimeout(8)
            assert client.recv(1024) == b""
        assert time.monotonic() - started < 8
    finally:
        for client in idle:
            client.close()


@pytest.mark.slow
def test_a_slow_drip_of_header_bytes_is_cut_off_at_the_deadline(served):
    site, running, _ = served
    running.server.deadlines.seconds = 1.5
    client = socket.create_connection(("127.0.0.1", running.server.server_address[1]))
    started = time.monotonic()
    try:
        client.settimeout(0.5)
        closed = False
        for byte in b"GET /over/ HTTP/1.1\r\nX-Langzaam: " + b"a" * 40:
            try:
                client.sendall(bytes([byte]))
                if client.recv(1024) == b"":
                    closed = True
                    break
            except socket.timeout:
                continue
            except OSError:
                closed = True
                break
        assert closed and time.monotonic() - started < 5
    finally:
        client.close()


def test_200_concurrent_clients_get_the_same_answers_as_one_and_quickly(served):
    """With a backlog of 5, connections beyond it were dropped and retried by TCP after 1, 3, 7 s (max 24 s)."""
    site, running, _ = served
    paths = ["/over/", "/folder.pdf", "/", "/bestaat-niet/"]
    alone = {path: get(running, path)[::2] for path in paths}
    assert alone["/over/"][0] == 200 and alone["/folder.pdf"][0] == 200 and alone["/bestaat-niet/"][0] == 404

    def timed(number: int):
        started = time.monotonic()
        answer = get(running, paths[number % 4], timeout=60)[::2]
        return paths[number % 4], answer, time.monotonic() - started

    with ThreadPoolExecutor(max_workers=200) as pool:
        results = list(pool.map(timed, range(200)))
    for path, answer, _ in results:
        assert answer == alone[path], path
    slowest = max(seconds for _, _, seconds in results)
    # Quiet: ~0.3 s. With the default backlog of 5 the slowest took 55 s (dropped connections wait for TCP's
    # retries); 2.5 s failed on a machine with a load average of 10 while the backlog was right.
    assert slowest < 6, f"the slowest of 200 took {slowest:.1f} s"


@pytest.mark.parametrize("path", ["/%2Fover", "/%2F%2Fover", "//over", "///over", "//evil.example/",
                                  "//evil.example", "/\\evil.example", "/%5Cevil.example", "/%5C%5Cevil.example",
                                  "/\\/evil.example", "/%2F%5Cevil.example", "//evil.example/%2E%2E/over",
                                  "/over/%2F..%2F..%2F/", "/%09/evil.example", "/over%0d%0aSet-Cookie:x=1"])
def test_no_answer_sends_the_browser_off_the_site(served, path):
    site, running, _ = served
    status, headers, _ = get(running, path)
    where = headers.get("Location")
    if where is None:
        return
    assert not where.startswith(("//", "/\\")) and "\\" not in where and "\r" not in where and "\n" not in where
    base = running.url
    assert urlsplit(urljoin(base, where)).netloc == urlsplit(base).netloc


def test_a_redirect_to_the_folder_keeps_the_one_slash(served):
    site, running, _ = served
    assert get(running, "/over")[1]["Location"] == "/over/"
    assert get(running, "/%2Fover")[1]["Location"] == "/over/"


def test_a_copied_file_relinked_outside_the_site_after_the_build_is_not_served(served):
    site, running, outside = served
    assert get(running, "/folder.pdf")[2] == b"%PDF-1.4 echte folder\n"
    pdf = site / "content" / "folder.pdf"
    link = site / "content" / ".nieuwe-link"
    link.symlink_to(outside / "geheim.pdf")
    os.replace(link, pdf)  # the file is now a link out; the rebuild refuses it, the old snapshot stays
    for _ in range(10):
        status, _, body = get(running, "/folder.pdf")
        assert SECRET.encode() not in body and status != 200
        time.sleep(0.1)


@pytest.mark.slow
def test_a_copied_file_in_a_folder_relinked_outside_is_not_served(served, tmp_path):
    site, running, outside = served
    (site / "content" / "bijlagen").mkdir()
    (site / "content" / "bijlagen" / "geheim.pdf").write_bytes(b"%PDF-1.4 bijlage\n")
    (site / "content" / "over.md").write_text("---\ntitle: Over ons\n---\n\n[Bijlage](bijlagen/geheim.pdf)\n")
    deadline = time.monotonic() + 10
    while get(running, "/bijlagen/geheim.pdf")[0] != 200:
        assert time.monotonic() < deadline, "the rebuild did not pick up the new file"
        time.sleep(0.1)
    moved = tmp_path / "weg"
    os.rename(site / "content" / "bijlagen", moved)
    (site / "content" / "bijlagen").symlink_to(outside, target_is_directory=True)
    for _ in range(10):
        status, _, body = get(running, "/bijlagen/geheim.pdf")
        assert SECRET.encode() not in body and status != 200
        time.sleep(0.1)
