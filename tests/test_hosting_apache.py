"""Own server, tested for real, with Apache: the recipes in docs/hosting.md, taken from the doc's own code blocks,
serve a built site with Debian's Apache 2.4, at the root of a host and under /eenzaamheid/.

As for nginx (tests/test_hosting_nginx.py, whose helpers this uses), only the ports, the site's folder and the
certificate are replaced. Apache runs as one foreground process (`apache2 -X`) with its own config, pid and
logs in a temp folder; `apache2 -t` must say "Syntax OK" with no warning. Run as root, Apache serves as
www-data, so the site lives in a folder everyone may read. Apache is installed by tools/install-system-deps.sh.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator

import pytest

from conftest import REPO
from test_hosting_nginx import (
    an_activity,
    build_site,
    check_answers,
    fetch,
    free_port,
    self_signed_certificate,
    styled_without_failures,
    wait_for_port,
)

HOSTING = REPO / "docs" / "hosting.md"
APACHE = "/usr/sbin/apache2"
MODULES = Path("/usr/lib/apache2/modules")
# What Debian's apache2.conf and its enabled modules give a site, plus the two `a2enmod` the doc asks for.
LOADED = ["mpm_event", "authz_core", "mime", "dir", "alias", "headers", "ssl"]
# Apache's own /etc/mime.types names these differently from nginx's; both are right.
APACHE_TYPES = {".js": "text/javascript; charset=utf-8", ".xml": "application/xml; charset=utf-8"}

pytestmark = [pytest.mark.slow,  # a real apache per recipe, and Chromium
              pytest.mark.skipif(not Path(APACHE).exists(), reason="apache2 missing: run tools/install-system-deps.sh")]


def apache_blocks() -> dict[str, str]:
    """docs/hosting.md's ```apache blocks by what their first comment line says they are."""
    text = HOSTING.read_text(encoding="utf-8")
    named = {}
    for block in re.findall(r"```apache\n(.*?)```", text, re.S):
        first = block.splitlines()[0]
        if "de site in de hoofdmap" in first:
            named["root"] = block
        elif "de site onder /eenzaamheid/" in first:
            named["subpath"] = block
    assert set(named) == {"root", "subpath"}, f"apache blocks in docs/hosting.md: {list(named)}"
    return named


def adapt(recipe: str, https_port: int, http_port: int, output: Path, certs: Path) -> str:
    """The documented recipe with only the ports, the site's folder and the certificate replaced."""
    for old in ("<VirtualHost *:443>", "/srv/eenzaamheid/output", "SSLCertificateFile "):
        assert old in recipe, f"docs/hosting.md's recipe no longer has {old!r}: adapt the test to the doc"
    text = recipe.replace("<VirtualHost *:443>", f"<VirtualHost *:{https_port}>")
    text = text.replace("<VirtualHost *:80>", f"<VirtualHost *:{http_port}>")
    text = text.replace("/srv/eenzaamheid/output", str(output))
    return re.sub(r"/etc/letsencrypt/live/[^/]+/", f"{certs}/", text)


def main_config(folder: Path, ports: tuple[int, int]) -> str:
    modules = "\n".join(f"LoadModule {name}_module {MODULES / f'mod_{name}.so'}" for name in LOADED)
    user = "User www-data\nGroup www-data\n" if os.geteuid() == 0 else ""
    return f"""\
ServerRoot {folder}
ServerName 127.0.0.1
{chr(10).join(f"Listen 127.0.0.1:{port}" for port in ports)}
PidFile {folder / "apache.pid"}
DefaultRuntimeDir {folder}
Mutex file:{folder} default
ErrorLog {folder / "error.log"}
LogLevel warn
{user}{modules}
TypesConfig /etc/mime.types
Include {folder / "site.conf"}
"""


@contextlib.contextmanager
def running_apache(folder: Path, site_conf: str, ports: tuple[int, int]) -> Iterator[str]:
    """Apache with the documented config; yields what `apache2 -t` said about it."""
    (folder / "site.conf").write_text(site_conf, encoding="utf-8")
    (folder / "apache2.conf").write_text(main_config(folder, ports), encoding="utf-8")
    args = [APACHE, "-d", str(folder), "-f", str(folder / "apache2.conf")]
    checked = subprocess.run([*args, "-t"], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stderr
    log = folder / "apache.stderr"
    with log.open("w") as stderr:
        process = subprocess.Popen([*args, "-X"], stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        wait_for_port(ports[0], process, log)
        yield checked.stderr
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextlib.contextmanager
def served(recipe: str, prefix: str) -> Iterator[dict]:
    tmp = Path(tempfile.mkdtemp(prefix="hosting-apache-"))  # readable for www-data, unlike pytest's tmp
    try:
        tmp.chmod(0o755)
        https_port, http_port = free_port(), free_port()
        output = build_site(tmp, f"https://127.0.0.1:{https_port}{prefix}")
        subprocess.run(["chmod", "-R", "a+rX", str(tmp)], check=True)
        site_conf = adapt(apache_blocks()[recipe], https_port, http_port, output,
                          self_signed_certificate(tmp / "certs"))
        ports = (https_port, http_port) if "<VirtualHost *:80>" in apache_blocks()[recipe] else (https_port,)
        (tmp / "apache").mkdir()
        with running_apache(tmp / "apache", site_conf, ports) as said:
            yield {"port": https_port, "http_port": http_port, "prefix": prefix, "output": output, "said": said}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def at_root():
    with served("root", "/") as server:
        yield server


@pytest.fixture(scope="module")
def under_subpath():
    with served("subpath", "/eenzaamheid/") as server:
        yield server


@pytest.mark.slow
def test_apache_takes_both_documented_recipes_without_a_warning(at_root, under_subpath):
    for server in (at_root, under_subpath):
        assert server["said"].strip() == "Syntax OK", server["said"]


def test_the_root_recipe_serves_every_kind_of_file_with_its_status_type_and_headers(at_root):
    check_answers(at_root, types=APACHE_TYPES)


def test_the_subpath_recipe_serves_every_kind_of_file_with_its_status_type_and_headers(under_subpath):
    check_answers(under_subpath, types=APACHE_TYPES)


def test_the_recipes_redirect_to_https_and_to_the_folder_with_its_slash(at_root, under_subpath):
    status, headers, _ = fetch(at_root["http_port"], "/agenda/", tls=False)
    assert (status, headers["Location"]) == (301, "https://eenzaamheid.westerveld.nl/agenda/")
    status, headers, _ = fetch(at_root["port"], "/hulp")
    assert status == 301 and headers["Location"].endswith("/hulp/")
    status, headers, _ = fetch(under_subpath["port"], "/eenzaamheid")
    assert status == 301 and headers["Location"].endswith("/eenzaamheid/")
    status, headers, _ = fetch(under_subpath["port"], "/eenzaamheid/hulp")
    assert status == 301 and headers["Location"].endswith("/eenzaamheid/hulp/")


@pytest.mark.slow
def test_under_a_subpath_chromium_shows_the_pages_styled_with_no_failed_request(under_subpath, browser):
    styled_without_failures(browser, f"https://127.0.0.1:{under_subpath['port']}/eenzaamheid/",
                            an_activity(under_subpath["output"]))
