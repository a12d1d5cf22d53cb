"""Own server, tested for real: the nginx recipes in docs/hosting.md, taken from the doc's own code blocks,
serve a built site with Debian's nginx, at the root of a host and under /eenzaamheid/.

Only what cannot be the same on a test machine is replaced: the ports (a free one instead of 80 and 443), the
site's folder (a temp build instead of /srv/eenzaamheid/output) and the certificate (a self-signed one in the
temp folder instead of Let's Encrypt's). nginx runs as a plain foreground process (no master, no daemon) with
its own config, pid and logs in the temp folder; `nginx -t` must pass without a single warning. nginx is
installed by tools/install-system-deps.sh (`make test`).
"""

from __future__ import annotations

import contextlib
import http.client
import re
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path
from typing import Iterator

import pytest

from conftest import NOW, REPO, run_build

HOSTING = REPO / "docs" / "hosting.md"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
ALIAS = "hulp-bij-eenzaamheid/"  # an old address the test gives the help page, to check the redirect page

pytestmark = [pytest.mark.slow,  # a real nginx per recipe, and Chromium
              pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx missing: run tools/install-system-deps.sh")]


def nginx_blocks() -> dict[str, str]:
    """docs/hosting.md's ```nginx blocks by what their first comment line says they are."""
    text = HOSTING.read_text(encoding="utf-8")
    blocks = re.findall(r"```nginx\n(.*?)```", text, re.S)
    named = {}
    for block in blocks:
        first = block.splitlines()[0]
        if first.startswith("# /etc/nginx/snippets/eenzaamheid-headers.conf"):
            named["headers"] = block
        elif "de site in de hoofdmap" in first:
            named["root"] = block
        elif "de site onder /eenzaamheid/" in first:
            named["subpath"] = block
    assert set(named) == {"headers", "root", "subpath"}, f"nginx blocks in docs/hosting.md: {list(named)}"
    return named


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def adapt(recipe: str, https_port: int, http_port: int, output: Path, certs: Path) -> str:
    """The documented recipe with only the ports, the site's folder and the certificate replaced."""
    for old in ("listen 443 ssl http2;", "/srv/eenzaamheid/output", "ssl_certificate "):
        assert old in recipe, f"docs/hosting.md's recipe no longer has {old!r}: adapt the test to the doc"
    text = recipe.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    text = text.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    text = text.replace("/srv/eenzaamheid/output", str(output))
    return re.sub(r"/etc/letsencrypt/live/[^/]+/", f"{certs}/", text)


def main_config(folder: Path) -> str:
    """What Debian's /etc/nginx/nginx.conf gives a site, with every file nginx writes in the temp folder."""
    temp = "\n".join(f"    {kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi",
                                                                           "uwsgi", "scgi"))
    return f"""\
daemon off;
master_process off;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{ worker_connections 64; }}
http {{
    include mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log {folder / "access.log"};
{temp}
    include site.conf;
}}
"""


def self_signed_certificate(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                    "/CN=127.0.0.1", "-keyout", str(folder / "privkey.pem"), "-out", str(folder / "fullchain.pem")],
                   check=True, capture_output=True, timeout=60)
    return folder


def wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text(encoding="utf-8", errors="replace")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.05)
    raise AssertionError(f"nginx did not listen on {port}")


@contextlib.contextmanager
def running_nginx(folder: Path, site_conf: str, headers: str, port: int) -> Iterator[str]:
    """nginx with the documented config in folder/conf; yields what `nginx -t` said about it."""
    conf = folder / "conf"
    (conf / "snippets").mkdir(parents=True)
    shutil.copy("/etc/nginx/mime.types", conf / "mime.types")
    (conf / "snippets" / "eenzaamheid-headers.conf").write_text(headers, encoding="utf-8")
    (conf / "site.conf").write_text(site_conf, encoding="utf-8")
    (conf / "nginx.conf").write_text(main_config(folder), encoding="utf-8")
    args = [NGINX, "-p", str(folder), "-c", str(conf / "nginx.conf"), "-e", str(folder / "error.log")]
    checked = subprocess.run([*args, "-t"], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stderr
    log = folder / "nginx.stderr"
    with log.open("w") as stderr:
        process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        wait_for_port(port, process, log)
        yield checked.stderr
    finally:
        process.terminate()
        process.wait(timeout=30)


def build_site(tmp: Path, base_url: str) -> Path:
    """This repository's own site, with one old address (an alias) on the help page, built for base_url."""
    site = tmp / "site"
    site.mkdir()
    shutil.copy(REPO / "site.yaml", site / "site.yaml")
    shutil.copytree(REPO / "content", site / "content")
    help_page = site / "content" / "hulp.md"
    help_page.write_text(help_page.read_text(encoding="utf-8").replace("---\n", f"---\naliases: /{ALIAS}\n", 1),
                         encoding="utf-8")
    output = tmp / "output"
    result = run_build("--site", str(site), "--output", str(output), "--base-url", base_url, "--now", NOW, "-q")
    assert result.returncode == 0, result.stderr
    return output


@contextlib.contextmanager
def served(tmp_path_factory, recipe: str, prefix: str) -> Iterator[dict]:
    tmp = tmp_path_factory.mktemp(recipe)
    https_port, http_port = free_port(), free_port()
    output = build_site(tmp, f"https://127.0.0.1:{https_port}{prefix}")
    blocks = nginx_blocks()
    site_conf = adapt(blocks[recipe], https_port, http_port, output, self_signed_certificate(tmp / "certs"))
    with running_nginx(tmp / "nginx", site_conf, blocks["headers"], https_port) as said:
        yield {"port": https_port, "http_port": http_port, "prefix": prefix, "output": output, "nginx_t": said}


@pytest.fixture(scope="module")
def at_root(tmp_path_factory):
    with served(tmp_path_factory, "root", "/") as server:
        yield server


@pytest.fixture(scope="module")
def under_subpath(tmp_path_factory):
    with served(tmp_path_factory, "subpath", "/eenzaamheid/") as server:
        yield server


def fetch(port: int, path: str, tls: bool = True) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One GET without following redirects; the certificate is the test's own, so it is not verified."""
    if tls:
        connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=30,
                                                 context=ssl._create_unverified_context())
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def an_activity(output: Path) -> str:
    """The slug of an activity with its own page and calendar file."""
    slugs = sorted(p.stem for p in (output / "agenda").glob("*.ics") if (output / "agenda" / p.stem).is_dir())
    assert slugs, "the site has no activity with a calendar file"
    return slugs[0]


def expected_answers(server: dict, alias: bool = True) -> list[tuple[str, int, str, bytes]]:
    """(path, status, content type, a piece of the body) for what a resident's browser asks for."""
    p, output = server["prefix"], server["output"]
    home = (output / "index.html").read_text(encoding="utf-8")
    css = re.search(r'<link rel="stylesheet" href="([^"]+)"', home).group(1)
    assert css.startswith(f"{p}css/"), css
    slug = an_activity(output)
    utf8 = "; charset=utf-8"
    answers = [
        (p, 200, "text/html" + utf8, b"<h1"),
        (css, 200, "text/css" + utf8, (output / css[len(p):]).read_bytes()[:200]),
        (f"{p}agenda/", 200, "text/html" + utf8, b"<h1"),
        (f"{p}agenda/{slug}/", 200, "text/html" + utf8, b"<h1"),
        (f"{p}agenda/{slug}.ics", 200, "text/calendar" + utf8, b"BEGIN:VCALENDAR"),
        (f"{p}agenda.ics", 200, "text/calendar" + utf8, b"BEGIN:VCALENDAR"),
        (f"{p}feeds/nieuws.rss", 200, "application/rss+xml" + utf8, b"<rss"),
        (f"{p}feeds/nieuws.atom", 200, "application/atom+xml" + utf8, b"<feed"),
        (f"{p}sitemap.xml", 200, "text/xml" + utf8, b"<urlset"),
        (f"{p}favicon.svg", 200, "image/svg+xml" + utf8, b"<svg"),
        (f"{p}js/search.js", 200, "application/javascript" + utf8, b""),
        (f"{p}{ALIAS}", 200, "text/html" + utf8, f'url=https://127.0.0.1:{server["port"]}{p}hulp/'.encode()),
        (f"{p}bestaat-niet/", 404, "text/html" + utf8, b"Pagina niet gevonden"),
        (f"{p}admin/", 404, "text/html" + utf8, b"Pagina niet gevonden"),
    ]
    return [answer for answer in answers if alias or ALIAS not in answer[0]]


def check_answers(server: dict, alias: bool = True, types: dict[str, str] | None = None) -> None:
    """Every expected answer; types: another content type by file extension (Apache's mime.types)."""
    for path, status, content_type, piece in expected_answers(server, alias):
        content_type = (types or {}).get(Path(path).suffix, content_type)
        got, headers, body = fetch(server["port"], path)
        assert (got, headers["Content-Type"]) == (status, content_type), path
        assert piece in body, path
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], path
        assert headers["X-Content-Type-Options"] == "nosniff", path
        if status == 200:
            immutable = "/css/" in path
            assert headers["Cache-Control"] == ("public, max-age=31536000, immutable" if immutable else "no-cache"), path


@pytest.mark.slow
def test_nginx_takes_both_documented_recipes_without_a_single_warning(at_root, under_subpath):
    for server in (at_root, under_subpath):
        assert "[warn]" not in server["nginx_t"] and "[emerg]" not in server["nginx_t"], server["nginx_t"]
        assert "syntax is ok" in server["nginx_t"]


def test_the_root_recipe_serves_every_kind_of_file_with_its_status_type_and_headers(at_root):
    check_answers(at_root)


def test_the_subpath_recipe_serves_every_kind_of_file_with_its_status_type_and_headers(under_subpath):
    check_answers(under_subpath)


def test_the_recipes_redirect_to_https_and_to_the_folder_with_its_slash(at_root, under_subpath):
    status, headers, _ = fetch(at_root["http_port"], "/agenda/", tls=False)
    assert (status, headers["Location"]) == (301, "https://127.0.0.1/agenda/")
    status, headers, _ = fetch(at_root["port"], "/hulp")
    assert (status, headers["Location"]) == (301, "/hulp/")
    status, headers, _ = fetch(under_subpath["port"], "/eenzaamheid")
    assert (status, headers["Location"]) == (301, "/eenzaamheid/")
    status, headers, _ = fetch(under_subpath["port"], "/eenzaamheid/hulp")
    assert (status, headers["Location"]) == (301, "/eenzaamheid/hulp/")


def styled_without_failures(browser, base: str, slug: str) -> None:
    """In Chromium: home, agenda and an activity answer 200, site.css applies, and no request fails."""
    from harness.browser import new_page
    from harness.traffic import Traffic

    page = new_page(browser, 375, ignore_https_errors=True)
    traffic = Traffic(page)
    failed = []
    page.on("requestfailed", lambda request: failed.append((request.url, request.failure)))
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    for url in (base, f"{base}agenda/", f"{base}agenda/{slug}/"):
        assert page.goto(url).status == 200, url
        traffic.wait_until_quiet()  # the favicon too
        styled = page.evaluate("""() => ({
            margin: getComputedStyle(document.body).marginTop,
            text: getComputedStyle(document.documentElement).getPropertyValue('--text').trim(),
            rules: [...document.styleSheets].map(sheet => sheet.cssRules.length),
        })""")
        assert styled["margin"] == "0px" and styled["text"], (url, styled)  # site.css, not the browser's own
        assert styled["rules"] and all(styled["rules"]), (url, styled)
    page.context.close()
    assert failed == []


@pytest.mark.slow
def test_under_a_subpath_chromium_shows_the_pages_styled_with_no_failed_request(under_subpath, browser):
    styled_without_failures(browser, f"https://127.0.0.1:{under_subpath['port']}/eenzaamheid/",
                            an_activity(under_subpath["output"]))


# --------------------------------------------------------------------------- issue 26, "How it is proven"

@pytest.mark.slow
def test_an_adopter_following_the_docs_gets_a_live_site_under_a_subpath_end_to_end(tmp_path, browser):
    """init from a generator clone whose remote is on GitHub (a fake one), the placeholders filled in as an
    adopter would, zizmor on the workflow init wrote, the workflow's `run:` steps in order (check --publish,
    build), then the built site served by nginx with the documented sub-path recipe and looked at in Chromium."""
    import sys

    from test_publish_check import fill_in
    from test_workflow import git, run_steps, zizmor_findings

    generator = tmp_path / "generator"
    git("clone", "--quiet", "--no-hardlinks", str(REPO), str(generator), cwd=tmp_path)
    git("remote", "set-url", "origin", "https://github.com/aa-en-hunze/sitegen.git", cwd=generator)
    port = free_port()
    site = tmp_path / "site-aa-en-hunze"
    made = subprocess.run([sys.executable, str(generator / "build.py"), "init", str(site), "--gemeente", "Aa en Hunze",
                           "--dorpen", "Gieten, Rolde", "--base-url", f"https://127.0.0.1:{port}/eenzaamheid/"],
                          capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert made.returncode == 0, made.stderr
    fill_in(site)
    audit = zizmor_findings(site / ".github" / "workflows" / "site.yml")
    assert audit.returncode == 0 and "No findings" in audit.stdout + audit.stderr, audit.stdout + audit.stderr

    done = run_steps(site, generator)
    assert [(name.split(" ")[0], code) for name, code, _ in done] == [("Python-pakketten", 0), ("Klaar", 0),
                                                                     ("Bouwen", 0)], done
    output = site / "output"
    blocks = nginx_blocks()
    site_conf = adapt(blocks["subpath"], port, free_port(), output, self_signed_certificate(tmp_path / "certs"))
    with running_nginx(tmp_path / "nginx", site_conf, blocks["headers"], port) as said:
        assert "[warn]" not in said
        server = {"port": port, "prefix": "/eenzaamheid/", "output": output}
        check_answers(server, alias=False)
        status, _, body = fetch(port, "/eenzaamheid/")
        assert status == 200 and "Aa en Hunze".encode() in body and b"Midden-Drenthe" not in body
        styled_without_failures(browser, f"https://127.0.0.1:{port}/eenzaamheid/", an_activity(output))
