#!/usr/bin/env python3
"""Our dev server against Hugo's, on the same content: the time from saving one page until the changed
page is served (run by bench/run.py --compare, or alone: python bench/serve_compare.py SITE [ROUNDS]).

What an editor waits for is the whole path: the file watcher noticing the save, the rebuild, and the
server answering with the new page. Both servers are measured that way, from outside, over HTTP: the
page is asked for every 10 ms until it has the new sentence. The edits alternate between the two, so a
busy machine slows both alike. Hugo's own figure ("Total in N ms", its rebuild alone) is kept beside it.
"""

from __future__ import annotations

import json
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import NOW, OUT, REPO, ensure_peers, hugo_binary, layout_peers  # noqa: E402

PAGE = Path("sectie4") / "pagina4.md"  # the edited page, as content/<PAGE> in both sites
URL_PATH = "/sectie4/pagina4/"
TIMEOUT = 120.0  # seconds for one rebuild to show; a first build of 10,000 pages takes longer: see _ready


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.read().decode("utf-8", "replace")
    except OSError:
        return ""


class Server:
    """A dev server as a process, with its output collected on a thread (Hugo reports its rebuild time)."""

    def __init__(self, name: str, command: list[str], url: str):
        self.name, self.url = name, url
        self.lines: list[str] = []
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)

    def ready(self, limit: float = 1800.0) -> None:
        """Wait until the first build is served (10,000 pages take a minute or more)."""
        ends = time.monotonic() + limit
        while time.monotonic() < ends:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} stopped:\n{''.join(self.lines[-20:])}")
            if "<html" in fetch(self.url + URL_PATH.lstrip("/")):
                return
            time.sleep(0.5)
        raise RuntimeError(f"{self.name} did not start within {limit:.0f} s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def edit_and_wait(server: Server, page: Path, round_: int) -> float:
    """Add a sentence to the page and time until the server shows it."""
    sentence = f"Servermeting {server.name} {round_} {time.time_ns()}."  # new in every run of this script
    text = page.read_text(encoding="utf-8")
    started = time.perf_counter()
    page.write_text(text.replace("## Deel 1\n", f"## Deel 1\n\n{sentence}\n", 1), encoding="utf-8")
    while time.perf_counter() - started < TIMEOUT:
        if sentence in fetch(server.url + URL_PATH.lstrip("/")):
            return time.perf_counter() - started
        time.sleep(0.01)
    raise RuntimeError(f"{server.name}: the edit did not show within {TIMEOUT:.0f} s")


def hugo_totals(lines: list[str]) -> list[float]:
    """Hugo's own rebuild times ("Total in 812 ms"), in seconds, after its first build."""
    found = [float(m.group(1)) / 1000 for line in lines for m in [re.search(r"Total in (\d+) ms", line)] if m]
    return found[1:]


def compare_servers(site: Path, rounds: int = 5) -> dict:
    """The median time from a save until the changed page is served, ours and Hugo's."""
    bin_dir = ensure_peers()
    _, hugo_site = layout_peers(site, OUT / f"peers-{site.name}")
    ours_port, hugo_port = free_port(), free_port()
    servers = [
        Server("ours", [sys.executable, str(REPO / "build.py"), "--site", str(site), "--now", NOW, "serve",
                        "--port", str(ours_port)], f"http://127.0.0.1:{ours_port}/"),
        Server("hugo", [str(hugo_binary(bin_dir)), "server", "-s", str(hugo_site), "--port", str(hugo_port),
                        "--renderToMemory", "--disableLiveReload", "--bind", "127.0.0.1",
                        "--baseURL", f"http://127.0.0.1:{hugo_port}/"], f"http://127.0.0.1:{hugo_port}/"),
    ]
    pages = {"ours": site / "content" / PAGE, "hugo": hugo_site / "content" / PAGE}
    times: dict[str, list[float]] = {"ours": [], "hugo": []}
    try:
        for server in servers:
            server.ready()
        time.sleep(2)  # both watchers settled
        for round_ in range(rounds):
            for server in servers:
                times[server.name].append(edit_and_wait(server, pages[server.name], round_))
                time.sleep(1)  # let the server finish what follows the page (feeds, search index)
    finally:
        for server in servers:
            server.stop()
    result = {name: statistics.median(values) for name, values in times.items()}
    totals = hugo_totals(servers[1].lines)
    if totals:
        result["hugo_own_total"] = statistics.median(totals)
    result["ratio"] = result["ours"] / result["hugo"]
    return result


if __name__ == "__main__":
    print(json.dumps(compare_servers(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 5)))
