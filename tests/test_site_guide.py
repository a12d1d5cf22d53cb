"""Every site gets its own editors' guide: `init` for "Aa en Hunze" writes docs/redactie.md with that site's
name, villages and address (and nothing of Midden-Drenthe), and every command in it works in the site's
folder, in order, as an editor types them: install the generator beside the site at the pinned commit, check,
preview, make something new, write one's own text, check again, ask whether it may go online, build."""

from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from conftest import REPO, run_build

VILLAGES = ["Gieten", "Rolde", "Annen", "Gasselte"]
MIDDEN_DRENTHE = ["Midden-Drenthe", "Beilen", "Westerbork", "Smilde", "Hooghalen", "Wijster", "De Brink",
                  "9411"]


@pytest.fixture(scope="module")
def workplace(tmp_path_factory) -> Path:
    """A folder with the new site in it; the guide puts generator/ and .venv/ beside the site."""
    work = tmp_path_factory.mktemp("werk")
    result = run_build("init", "site-aa-en-hunze", "--gemeente", "Aa en Hunze", "--dorpen", ", ".join(VILLAGES),
                       "--base-url", "https://www.aaenhunze.nl/eenzaamheid/", "--generator-repo",
                       "voorbeeld/sitegen", cwd=work)
    assert result.returncode == 0, result.stderr
    # The Python the tests run in stands in for the .venv/ an editor makes: `make installeer` keeps it and
    # its pip finds every requirement already there (PIP_NO_INDEX below: it cannot fetch anything).
    (work / ".venv").symlink_to(Path(sys.prefix))
    return work


def guide_commands(guide: str) -> list[str]:
    lines = [line for block in re.findall(r"```sh\n(.*?)```", guide, re.S) for line in block.splitlines()]
    return [re.sub(r"\s+#.*$", "", line).strip() for line in lines if line.strip()]


def make(command: str, site: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PIP_NO_INDEX": "1", **env}
    if "PYTHONPYCACHEPREFIX" not in environment:  # (conftest sets one: compiled code kept there, not here)
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
    environment.pop("VIRTUAL_ENV", None)
    return subprocess.run(shlex.split(command), cwd=site, capture_output=True, text=True, timeout=600,
                          env=environment)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_once(site: Path) -> str:
    """`make serve` on a free port: fetch the home page, then Ctrl+C (to make and the server both)."""
    port = free_port()
    process = subprocess.Popen(["make", "serve", f"PORT={port}"], cwd=site, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        for _ in range(5):
            line = process.stdout.readline()
            if "De site staat klaar op" in line or not line:
                break
        assert "De site staat klaar op" in line, process.stderr.read() if process.poll() is not None else line
        url = re.search(r"http://\S+", line).group(0)
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8")
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.communicate(timeout=30)


def write_own_text(site: Path, new_files: set[Path]) -> None:
    """What the editor does after `make nieuw`: the sentence `new` put there becomes their own."""
    for path in new_files:
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"Schrijf hier (?!onder)[^#\n]*", "Elke dinsdag eten we samen in Gieten. ", text),
                        encoding="utf-8")


def content_files(site: Path) -> set[Path]:
    return {p for p in (site / "content").rglob("*") if p.is_file()}


def test_the_guide_names_this_site_only_and_only_commands_its_makefile_has(workplace):
    site = workplace / "site-aa-en-hunze"
    guide = (site / "docs" / "redactie.md").read_text(encoding="utf-8")
    assert "Eén tegen eenzaamheid Aa en Hunze" in guide and "https://www.aaenhunze.nl/eenzaamheid/" in guide
    assert all(village in guide for village in VILLAGES)
    assert [name for name in MIDDEN_DRENTHE if name in guide] == []
    assert "python build.py" not in guide
    makefile = (site / "Makefile").read_text(encoding="utf-8")
    commands = guide_commands(guide)
    assert commands and all(command.startswith("make ") for command in commands), commands
    for command in commands:
        assert re.search(rf"^{command.split()[1]}:", makefile, re.M), command
    assert "docs/redactie.md" in (site / "README.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_every_command_in_the_guide_works_in_the_site_folder_in_order(workplace):
    site = workplace / "site-aa-en-hunze"
    guide = (site / "docs" / "redactie.md").read_text(encoding="utf-8")
    made_new: set[Path] = set()
    for command in guide_commands(guide):
        if command == "make serve":
            assert "Aa en Hunze" in serve_once(site)
            continue
        before = content_files(site)
        result = make(command, site, GENERATOR_URL=str(REPO))
        said = result.stdout + result.stderr
        assert "Programmafout" not in said and "Traceback" not in said, f"{command}\n{said}"
        if command == "make klaar":  # the new site still has [INVULLEN: ...] and its example activity
            assert result.returncode != 0 and "INVULLEN" in said and "example" in said, said
            continue
        if command == "make check" and made_new:
            write_own_text(site, made_new)  # the guide: "Schrijf je eigen tekst en typ dan: make check"
            made_new = set()
            result = make(command, site)
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
        made_new |= content_files(site) - before
    assert (workplace / "generator" / "build.py").is_file()
    assert (site / "output" / "index.html").is_file()
    assert (site / "output" / "agenda" / "koffieochtend-in-gieten" / "index.html").is_file()


def test_the_makefile_says_in_dutch_what_to_do_without_the_generator(tmp_path):
    result = run_build("init", "site", "--gemeente", "Aa en Hunze", "--generator-repo", "voorbeeld/sitegen",
                       cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    result = make("make check", tmp_path / "site")
    assert result.returncode != 0 and "make installeer" in result.stderr, result.stderr
    (tmp_path / "generator").symlink_to(REPO)
    result = make("make nieuw", tmp_path / "site")
    assert result.returncode != 0 and "make nieuw SOORT=activiteit TITEL=" in result.stderr, result.stderr
