"""`make redactie`: the web editor on this computer, in one command.

Builds the site, serves it with live reload (tools/serve/), and serves /admin/ with Decap CMS saving straight
into this checkout through decap-server (npm, from package-lock.json). Both listen on 127.0.0.1 only.
Ctrl-C (or the end of this process, however it ends) stops both: decap-server is told to die with us.
"""

from __future__ import annotations

import ctypes
import dataclasses
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from ..core.options import BuildOptions
from ..core.paths import GENERATOR_ROOT

HOST = "127.0.0.1"
SERVER_JS = Path("node_modules") / "decap-server" / "dist" / "index.js"
PR_SET_PDEATHSIG = 1


def decap_server(root: Path) -> Path | None:
    """decap-server as npm ci installed it: in the site's node_modules/, else the generator's."""
    for base in (root, GENERATOR_ROOT):
        if (base / SERVER_JS).is_file():
            return base / SERVER_JS
    return None


def port_taken(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((HOST, port))
        except OSError:
            return True
    return False


def _die_with_parent() -> None:
    """In the child, before exec: get SIGTERM when the process that started it ends, even by kill -9."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def start_decap_server(script: Path, root: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "PORT": str(port), "BIND_HOST": HOST, "GIT_REPO_DIRECTORY": str(root), "MODE": "fs",
           "LOG_LEVEL": "warn"}
    # Its own process group: Ctrl-C reaches us, and we stop it in order (it cannot outlive us: PDEATHSIG).
    return subprocess.Popen(["node", str(script)], env=env, cwd=root, stdin=subprocess.DEVNULL,
                            start_new_session=True, preexec_fn=_die_with_parent)


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            if probe.connect_ex((HOST, port)) == 0:
                return True
        time.sleep(0.1)
    return False


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def main(options: BuildOptions, port: int = 8000, cms_port: int = 8081, out=sys.stdout, err=sys.stderr) -> int:
    """Run the site and the web editor until Ctrl-C; 1 with a Dutch message when they cannot start."""
    from .serve.command import start

    script = decap_server(options.root)
    if script is None:
        print("De webeditor is niet geïnstalleerd (node_modules/decap-server ontbreekt). Draai eerst: "
              "npm ci --ignore-scripts (of: make test, dat installeert alles).", file=err)
        return 1
    for wanted, what, option in ((port, "de site", "PORT"), (cms_port, "de webeditor (decap-server)", "CMS_PORT")):
        if port_taken(wanted):
            print(f"Poort {wanted} is al bezet, dus {what} kan niet starten. Draait de webeditor al in een ander "
                  f"venster? Stop die dan met Ctrl-C, of kies een andere poort: make redactie {option}="
                  f"{wanted + 10}", file=err)
            return 1
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops both servers as Ctrl-C does
    server = start_decap_server(script, options.root, cms_port)
    running = None
    try:
        if not wait_for_port(cms_port, server):
            print(f"decap-server startte niet op poort {cms_port}. Kijk naar de melding hierboven.", file=err)
            return 1
        proxy = f"http://{HOST}:{cms_port}/api/v1"
        running = start(dataclasses.replace(options, cms_proxy=proxy), port=port,
                        log=lambda text: print(text, file=err, flush=True))
        print(f"De site staat klaar op {running.url}\nDe webeditor: {running.url}admin/ (slaat op in "
              f"{options.root}/content)\nStoppen: Ctrl-C.", file=out, flush=True)
        while running.thread.is_alive() and server.poll() is None:
            running.thread.join(0.5)
        if server.poll() is not None:
            print("decap-server is gestopt; de webeditor kan niet meer opslaan. Start opnieuw: make redactie",
                  file=err)
            return 1
    except KeyboardInterrupt:
        print("\nGestopt: de site en de webeditor.", file=out, flush=True)
    finally:
        if running is not None:
            running.stop()
        stop(server)
    return 0
