"""The site workflow's own-server job really publishes (issue 26 item 2): its shell runs here, as GitHub would
run it, against a throwaway sshd on 127.0.0.1 with its own host key, and rsync puts the built site in place.

Nothing in the job is imitated except GitHub itself: the artifact is made with the tar command of
actions/upload-pages-artifact v3 and put where actions/download-artifact puts it, then every `run:` step of the
job `server` runs in order with bash, in a minimal environment (HOME and RUNNER_TEMP in a temp folder), with
the step's own `env:` filled in from the secrets and variables a maintainer would set. The host key line is
made the way docs/hosting.md tells the maintainer to (ssh-keyscan, checked against the server's fingerprint).
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from conftest import MINIMAL_SITE_YAML, NOW, REPO, run_build, tree_bytes, write_tree
from sitegen.tools.starter import repository
from sitegen.tools.starter.origin import Origin

SSHD = Path("/usr/sbin/sshd")
NEEDED = {"sshd": SSHD.is_file() and os.access(SSHD, os.X_OK),
          **{tool: shutil.which(tool) is not None for tool in ("ssh", "ssh-keygen", "ssh-keyscan", "rsync")}}
pytestmark = pytest.mark.skipif(not all(NEEDED.values()), reason=(
    "nodig voor deze test: " + ", ".join(tool for tool, found in NEEDED.items() if not found)
    + " (installeer openssh-server en rsync: bash tools/install-system-deps.sh)"))

VALUE = re.compile(r"^\$\{\{ (secrets|vars)\.(\w+) \}\}$")
PAGES = {
    "content/index.md": "---\ntitle: Welkom\ndescription: De beginpagina.\n---\n\nWelkom op de site.\n",
    "content/hulp.md": "---\ntitle: Hulp\ndescription: Waar je hulp vindt.\n---\n\nBel de Luisterlijn.\n",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def keygen(path: Path) -> str:
    """A new ed25519 key pair without a passphrase at path (and path.pub); the public key's line."""
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "", "-f", str(path)], check=True,
                   stdin=subprocess.DEVNULL)
    return path.with_suffix(".pub").read_text(encoding="utf-8").strip()


@pytest.fixture(scope="module")
def sshd(tmp_path_factory):
    """A throwaway OpenSSH server for the user running the tests, on a free port on 127.0.0.1: its own host
    key, config, authorized_keys (the deploy key's public half), pid file and log, all in a temp folder."""
    root = tmp_path_factory.mktemp("sshd")
    host_key = root / "host_ed25519"
    keygen(host_key)
    client_public = keygen(root / "deploy_key")
    (root / "authorized_keys").write_text(f"restrict {client_public}\n", encoding="utf-8")  # as the docs say
    port = free_port()
    user = pwd.getpwuid(os.getuid()).pw_name
    config = root / "sshd_config"
    config.write_text(f"""\
ListenAddress 127.0.0.1
Port {port}
HostKey {host_key}
PidFile {root / "sshd.pid"}
AuthorizedKeysFile {root / "authorized_keys"}
AllowUsers {user}
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
UsePAM no
StrictModes no
PrintMotd no
""", encoding="utf-8")
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # as root sshd wants its privilege separation folder
    log = (root / "sshd.log").open("w")
    process = subprocess.Popen([str(SSHD), "-D", "-e", "-f", str(config)], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while True:
            assert process.poll() is None, (root / "sshd.log").read_text(encoding="utf-8")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "sshd did not start listening"
                time.sleep(0.1)
        yield {"port": port, "user": user, "host_key": host_key, "key": (root / "deploy_key"), "root": root}
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.fixture(scope="module")
def known_hosts_line(sshd) -> str:
    """The host key line as docs/hosting.md has the maintainer make it: ssh-keyscan, then the fingerprint
    compared with the one the server's admin reads from the server's own key (ssh-keygen -lf)."""
    scanned = subprocess.run(["ssh-keyscan", "-p", str(sshd["port"]), "-t", "ed25519", "127.0.0.1"],
                             capture_output=True, text=True, timeout=30, check=True).stdout
    lines = [line for line in scanned.splitlines() if line and not line.startswith("#")]
    assert len(lines) == 1 and lines[0].startswith(f"[127.0.0.1]:{sshd['port']} ssh-ed25519 "), scanned

    def fingerprint(text_or_path) -> str:
        args = ["ssh-keygen", "-lf", "-"] if isinstance(text_or_path, str) else ["ssh-keygen", "-lf", str(text_or_path)]
        out = subprocess.run(args, input=text_or_path if isinstance(text_or_path, str) else None,
                             capture_output=True, text=True, check=True).stdout
        return out.split()[1]

    assert fingerprint(lines[0] + "\n") == fingerprint(sshd["host_key"].with_suffix(".pub"))
    return lines[0]


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, Path]:
    """Two builds of one small site: 'full' with a help page, 'without' after that page was removed."""
    root = tmp_path_factory.mktemp("builds")
    site = write_tree(root / "site", {"site.yaml": MINIMAL_SITE_YAML, **PAGES})
    done = {}
    for name in ("full", "without"):
        if name == "without":
            (site / "content" / "hulp.md").unlink()
        result = run_build("--site", str(site), "--output", str(root / name), "--now", NOW, "--no-cache")
        assert result.returncode == 0, result.stderr
        done[name] = root / name
    assert (done["full"] / "hulp" / "index.html").is_file() and not (done["without"] / "hulp").exists()
    # Every file of both builds with one time: a file of equal size and time but other bytes (the search index
    # of two builds in one second) must still be sent (rsync --checksum), not skipped by rsync's quick check.
    for path in [*done["full"].rglob("*"), *done["without"].rglob("*")]:
        os.utime(path, (1_700_000_000, 1_700_000_000), follow_symlinks=False)
    return done


@pytest.fixture(scope="module")
def server_job() -> dict:
    """The job `server` of the workflow that init writes, as GitHub reads it."""
    text = repository.workflow(Origin("aa-en-hunze/sitegen", "0" * 40, "1.0.0"))
    return yaml.safe_load(text)["jobs"]["server"]


def pages_artifact(output: Path, folder: Path) -> None:
    """What actions/upload-pages-artifact v3 uploads (its own tar command, artifact 'github-pages') and
    actions/download-artifact then unpacks into the step's path: one artifact.tar."""
    folder.mkdir(parents=True)
    subprocess.run(["tar", "--dereference", "--hard-dereference", "--directory", str(output), "-cf",
                    str(folder / "artifact.tar"), "--exclude=.git", "--exclude=.github", "."], check=True)


def run_job(job: dict, output: Path, where: Path, secrets: dict[str, str], variables: dict[str, str]):
    """Run the job's steps in order as a runner would, until one fails: the download step gets the artifact,
    each `run:` step runs with `bash -e` and the values its `env:` names (an unset one is empty, as on GitHub).
    Returns [(step name, exit code, output)] and the runner's temp folder."""
    workspace, temp, home = where / "workspace", where / "runner-temp", where / "home"
    for folder in (workspace, temp, home):
        folder.mkdir(parents=True)
    base = {"PATH": os.environ["PATH"], "HOME": str(home), "RUNNER_TEMP": str(temp), "LANG": "C.UTF-8",
            "GITHUB_WORKSPACE": str(workspace), "CI": "true", "GITHUB_ACTIONS": "true"}
    done = []
    for step in job["steps"]:
        if "uses" in step:
            assert step["uses"].startswith("actions/download-artifact@")
            assert step["with"]["name"] == "github-pages"
            pages_artifact(output, workspace / step["with"]["path"])
            continue
        env = dict(base)
        for name, value in step.get("env", {}).items():
            kind, key = VALUE.match(value).groups()  # env: takes only secrets and variables, nothing else
            env[name] = (secrets if kind == "secrets" else variables).get(key, "")
        script = where / "step.sh"
        script.write_text(step["run"], encoding="utf-8")
        result = subprocess.run(["bash", "-e", str(script)], cwd=workspace, env=env, capture_output=True,
                                text=True, timeout=120, stdin=subprocess.DEVNULL)
        done.append((step.get("name", ""), result.returncode, result.stdout + result.stderr))
        if result.returncode:
            break
    return done, temp


def settings(sshd, known_hosts: str, path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """The secret and the variables a maintainer sets in GitHub for this server."""
    secrets = {"DEPLOY_SSH_KEY": sshd["key"].read_text(encoding="utf-8")}
    variables = {"DEPLOY_HOST": "127.0.0.1", "DEPLOY_PORT": str(sshd["port"]), "DEPLOY_USER": sshd["user"],
                 "DEPLOY_PATH": str(path), "DEPLOY_KNOWN_HOSTS": known_hosts}
    return secrets, variables


def snapshot(root: Path) -> dict[str, tuple]:
    """Every file and folder below root with its bytes, mode and modification time."""
    found = {}
    for path in sorted(root.rglob("*")):
        info = path.stat()
        found[path.relative_to(root).as_posix()] = (path.read_bytes() if path.is_file() else None,
                                                    oct(info.st_mode), info.st_mtime_ns)
    return found


def test_the_built_site_arrives_byte_identical_and_a_removed_page_is_removed_there(
        sshd, known_hosts_line, builds, server_job, tmp_path):
    served = tmp_path / "server" / "eenzaamheid"
    served.mkdir(parents=True)
    (served / "oud-bestand.html").write_text("van een vorige site\n", encoding="utf-8")
    secrets, variables = settings(sshd, known_hosts_line, served)

    done, temp = run_job(server_job, builds["full"], tmp_path / "first", secrets, variables)
    assert [code for _, code, _ in done] == [0, 0], done
    assert tree_bytes(served) == tree_bytes(builds["full"])  # byte for byte, and nothing else left
    assert f"De site staat op 127.0.0.1 in {served}." in done[-1][2]
    assert list(temp.iterdir()) == []  # the key and the host key line are gone after the job
    modes = {path.relative_to(served).as_posix(): path.stat().st_mode & 0o777 for path in served.rglob("*")}
    assert {mode for name, mode in modes.items() if (served / name).is_file()} == {0o644}
    assert {mode for name, mode in modes.items() if (served / name).is_dir()} == {0o755}

    done, _ = run_job(server_job, builds["without"], tmp_path / "second", secrets, variables)
    assert [code for _, code, _ in done] == [0, 0], done
    assert not (served / "hulp").exists()
    assert tree_bytes(served) == tree_bytes(builds["without"])
    assert not [p for p in served.rglob("*") if p.name.startswith(".~tmp~")]  # --delay-updates cleaned up


def test_a_host_key_other_than_the_pinned_one_is_refused_and_nothing_changes(
        sshd, known_hosts_line, builds, server_job, tmp_path):
    served = tmp_path / "server" / "eenzaamheid"
    served.mkdir(parents=True)
    secrets, variables = settings(sshd, known_hosts_line, served)
    done, _ = run_job(server_job, builds["full"], tmp_path / "first", secrets, variables)
    assert [code for _, code, _ in done] == [0, 0], done
    before = snapshot(served)

    other = keygen(tmp_path / "other_host_key")  # the line of another server (or a man in the middle)
    wrong = f"[127.0.0.1]:{sshd['port']} {other}"
    secrets, variables = settings(sshd, wrong, served)
    done, temp = run_job(server_job, builds["without"], tmp_path / "second", secrets, variables)
    name, code, said = done[-1]
    assert name.startswith("Naar de server") and code != 0
    assert "Host key verification failed" in said
    assert "::error::Publiceren op 127.0.0.1 is mislukt" in said and "DEPLOY_KNOWN_HOSTS" in said
    assert snapshot(served) == before  # not one file, mode or time changed
    assert list(temp.iterdir()) == []


def test_a_missing_secret_or_variable_is_named_in_dutch_with_where_to_set_it(
        sshd, known_hosts_line, builds, server_job, tmp_path):
    served = tmp_path / "server" / "eenzaamheid"
    served.mkdir(parents=True)
    secrets, variables = settings(sshd, known_hosts_line, served)
    del variables["DEPLOY_USER"], variables["DEPLOY_KNOWN_HOSTS"]
    done, temp = run_job(server_job, builds["full"], tmp_path / "run", {}, variables)
    name, code, said = done[-1]
    assert name.startswith("Naar de server") and code == 1
    errors = [line for line in said.splitlines() if line.startswith("::error::")]
    assert errors == [
        "::error::Het geheim DEPLOY_SSH_KEY ontbreekt. Zet de private sleutel die alleen voor het publiceren is "
        "gemaakt in GitHub onder Settings > Environments > eigen-server > Environment secrets.",
        "::error::De variabele DEPLOY_USER ontbreekt. Zet hem in GitHub onder Settings > Secrets and variables > "
        "Actions, tabblad Variables.",
        "::error::De variabele DEPLOY_KNOWN_HOSTS ontbreekt. Zet hem in GitHub onder Settings > Secrets and "
        "variables > Actions, tabblad Variables.",
    ], said
    assert list(served.iterdir()) == [] and list(temp.iterdir()) == []


@pytest.mark.parametrize("path", ["/", "srv/eenzaamheid", "//"])
def test_a_server_folder_that_is_not_a_full_path_or_is_the_root_is_refused(
        sshd, known_hosts_line, builds, server_job, tmp_path, path):
    """rsync --delete into / (or a folder relative to the user's home) would wipe what is there: refused."""
    secrets, variables = settings(sshd, known_hosts_line, Path("/unused"))
    variables["DEPLOY_PATH"] = path
    done, _ = run_job(server_job, builds["full"], tmp_path / "run", secrets, variables)
    _, code, said = done[-1]
    assert code == 1 and f"::error::DEPLOY_PATH moet een volledige map op de server zijn, zoals " \
                         f"/srv/eenzaamheid/output (nu: '{path}')." in said


def test_the_docs_name_every_secret_and_variable_the_job_reads_and_where_to_set_them(server_job):
    """docs/hosting.md's section names each one the deploy step takes, with the GitHub screens; the new site's
    README points there."""
    docs = (REPO / "docs" / "hosting.md").read_text(encoding="utf-8")
    section = docs[docs.index("## Publiceren op de eigen server via de workflow"):]
    section = section[:section.index("\n## ")]
    names = set(server_job["steps"][-1]["env"])
    assert names == {"DEPLOY_SSH_KEY", "DEPLOY_KNOWN_HOSTS", "DEPLOY_HOST", "DEPLOY_USER", "DEPLOY_PATH",
                     "DEPLOY_PORT"}
    rows = {match.group(1): match.group(2) for match in re.finditer(r"^\| `(DEPLOY_\w+)` \| ([^|]+) \|", section,
                                                                       re.M)}
    assert set(rows) == names and rows["DEPLOY_SSH_KEY"].strip() == "**geheim**"
    assert "Settings > Secrets and variables >\nActions" in section and "Settings > Environments" in section
    assert f"`{server_job['environment']}`" in section and "ssh-keyscan -t ed25519" in section
    assert "ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub" in section and "restrict" in section
    readme = repository.README_REST  # the part of the new site's README.md about publishing
    assert "DEPLOY_HOST" in readme and '"Publiceren op de eigen server via de workflow"' in readme
