"""The GitHub workflow is hardened: zizmor (offline) finds nothing of medium severity or higher."""

import re
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.y*ml"))
ZIZMOR = Path(sys.executable).parent / "zizmor"


def test_zizmor_finds_nothing_of_medium_severity_or_higher():
    result = subprocess.run([str(ZIZMOR), "--offline", "--min-severity", "medium", "--no-progress",
                             *map(str, WORKFLOWS)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_would_notice_an_unpinned_action(tmp_path):
    """The audit really runs: the same workflow with one action back on a tag fails it."""
    text = WORKFLOWS[0].read_text(encoding="utf-8")
    unpinned = re.sub(r"actions/checkout@[0-9a-f]{40}", "actions/checkout@v4", text, count=1)
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / WORKFLOWS[0].name).write_text(unpinned, encoding="utf-8")
    result = subprocess.run([str(ZIZMOR), "--offline", "--min-severity", "medium", "--no-progress",
                             str(folder / WORKFLOWS[0].name)], capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "unpinned-uses" in result.stdout + result.stderr


def test_every_action_is_pinned_to_a_commit_with_its_version_in_a_comment():
    for path in WORKFLOWS:
        for line in path.read_text(encoding="utf-8").splitlines():
            if "uses:" in line:
                assert re.search(r"uses: [\w./-]+@[0-9a-f]{40}\s+# v\d+\.\d+\.\d+$", line), line


def test_the_web_editor_comes_from_the_lock_file_only():
    for path in WORKFLOWS:
        text = path.read_text(encoding="utf-8")
        assert "npm install" not in text and "decap-cms@" not in text
        for job in yaml.safe_load(text)["jobs"].values():
            for step in job["steps"]:
                if "actions/checkout@" in step.get("uses", ""):
                    assert step["with"]["persist-credentials"] is False


# --- the workflow `init` writes into a new site (issue 26) ----------------------------------------------------

import os  # noqa: E402
import shutil  # noqa: E402

import pytest  # noqa: E402

from conftest import NOW  # noqa: E402
from test_publish_check import fill_in  # noqa: E402

ACTION_PIN = re.compile(r"uses: ([\w./-]+)@([0-9a-f]{40})\s+# (v\d+\.\d+\.\d+)$")


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args], cwd=cwd,
                          check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """An init site made by a generator clone whose remote is on GitHub (a fake one), and that clone."""
    root = tmp_path_factory.mktemp("adopt")
    generator = root / "generator"
    git("clone", "--quiet", "--no-hardlinks", str(REPO), str(generator), cwd=root)
    git("remote", "set-url", "origin", "https://github.com/aa-en-hunze/sitegen.git", cwd=generator)
    site = root / "site-aa-en-hunze"
    result = subprocess.run([sys.executable, str(generator / "build.py"), "init", str(site), "--gemeente",
                             "Aa en Hunze", "--dorpen", "Gieten, Rolde"], capture_output=True, text=True,
                            timeout=300, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    return site, generator


def zizmor_findings(path: Path) -> subprocess.CompletedProcess:
    """zizmor with every audit on (the pedantic persona) and no minimum severity."""
    return subprocess.run([str(ZIZMOR), "--offline", "--persona", "pedantic", "--no-progress", str(path)],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_zizmor_finds_nothing_at_any_severity_in_the_workflow_init_writes(generated, tmp_path):
    site, _ = generated
    result = zizmor_findings(site / ".github" / "workflows" / "site.yml")
    assert result.returncode == 0 and "No findings to report" in result.stdout + result.stderr, result.stdout
    # Also when init could not fill in the generator's repository and commit (a question instead).
    text = (site / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^  GENERATOR_REPO: .*$", '  GENERATOR_REPO: "[INVULLEN: de GitHub-repository]"', text)
    text = re.sub(r"(?m)^  GENERATOR_VERSION: .*$", '  GENERATOR_VERSION: "[INVULLEN: de commit]"', text)
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "site.yml").write_text(text, encoding="utf-8")
    assert zizmor_findings(folder / "site.yml").returncode == 0


def test_the_audit_of_the_init_workflow_really_runs(generated, tmp_path):
    """The old workflow's shape (actions on tags) gives findings again."""
    site, _ = generated
    text = (site / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8")
    text = re.sub(r"actions/checkout@[0-9a-f]{40}", "actions/checkout@v4", text)
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "site.yml").write_text(text, encoding="utf-8")
    result = zizmor_findings(folder / "site.yml")
    assert result.returncode != 0 and "unpinned-uses" in result.stdout


def test_the_init_workflow_is_pinned_least_privileged_cached_and_checks_before_it_publishes(generated):
    site, generator = generated
    text = (site / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8")
    workflow = yaml.safe_load(text)
    head = git("rev-parse", "HEAD", cwd=generator).strip()
    assert workflow["env"] == {"GENERATOR_REPO": "aa-en-hunze/sitegen", "GENERATOR_VERSION": head}
    own = {match.group(1): match.groups()[1:] for path in WORKFLOWS
           for line in path.read_text(encoding="utf-8").splitlines()
           if (match := ACTION_PIN.search(line.replace("  #", " #")))}
    assert len(own) >= 5
    uses = [line for line in text.splitlines() if "uses:" in line]
    assert len(uses) == 10  # build 5, the tidy job 3 (its own checkouts and Python), deploy 1, server 1
    assert sum("actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093  # v4.3.0" in line
               for line in uses) == 1  # the own-server job's, pinned like the rest
    for line in uses:  # by full commit, version in a comment, the same commits as the generator's own workflow
        name, sha, version = ACTION_PIN.search(line.replace("  #", " #")).groups()
        assert own.get(name, (sha, version)) == (sha, version), line
    assert workflow["permissions"] == {}
    assert workflow["jobs"]["build"]["permissions"] == {"contents": "read"}
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert workflow["jobs"]["server"]["permissions"] == {}
    assert workflow["concurrency"]["group"] == "website-${{ github.ref }}"
    steps = workflow["jobs"]["build"]["steps"]
    withs = {step["uses"].split("@")[0]: step.get("with", {}) for step in steps if "uses" in step}
    assert withs["actions/setup-python"]["cache"] == "pip" and withs["actions/setup-node"]["cache"] == "npm"
    assert all(w.get("persist-credentials") is False for s in steps if "actions/checkout@" in s.get("uses", "")
               for w in [s["with"]])
    runs = [step.get("run", "") for step in steps]
    npm = next(step for step in steps if "npm_tools.py" in step.get("run", ""))
    assert npm["run"].startswith("python tools/npm_tools.py --only decap-cms") and npm["working-directory"] == "generator"
    publish = next(i for i, run in enumerate(runs) if "check --publish" in run)
    build = next(i for i, run in enumerate(runs) if run.startswith("python generator/build.py --site"))
    upload = next(i for i, step in enumerate(steps) if "upload-pages-artifact" in step.get("uses", ""))
    assert publish < build < upload and steps[publish]["if"] == "github.event_name != 'pull_request'"
    assert workflow["jobs"]["deploy"]["needs"] == "build"


def run_steps(site: Path, generator_clone: Path, event: str = "push", npm: bool = False) -> list[tuple[str, int, str]]:
    """The workflow's build job run here, step by step, as GitHub would for an event: the generator checked
    out at GENERATOR_VERSION into generator/, then every `run:` step in order until one fails. Not run: the
    actions themselves (checkout, setup, upload: GitHub's), and the web editor's download unless npm (it
    needs the npm registry, as `make test` does). pip runs with PIP_NO_INDEX: every package is already
    installed, so it only confirms the pinned versions."""
    workflow = yaml.safe_load((site / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8"))
    target = site / "generator"
    if not target.exists():
        git("clone", "--quiet", "--no-hardlinks", str(generator_clone), str(target), cwd=site)
        git("checkout", "--quiet", workflow["env"]["GENERATOR_VERSION"], cwd=target)
    done = []
    env = {**os.environ, "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    for step in workflow["jobs"]["build"]["steps"]:
        condition = step.get("if", "")
        if "run" not in step or ("npm_tools.py" in step["run"] and not npm):
            continue
        if condition and (("== 'pull_request'" in condition) != (event == "pull_request")):
            continue
        command = step["run"].replace("python ", f"{sys.executable} ", 1)
        result = subprocess.run(command, shell=True, cwd=site / step.get("working-directory", "."), env=env,
                                capture_output=True, text=True, timeout=600)
        done.append((step.get("name", ""), result.returncode, result.stdout + result.stderr))
        if result.returncode:
            break
    return done


@pytest.mark.slow
def test_the_workflow_steps_refuse_an_unfinished_site_before_building_it(generated, tmp_path):
    site, generator = generated
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    done = run_steps(copy, generator)
    assert [code for _, code, _ in done] == [0, 1], done
    name, _, said = done[-1]
    assert name.startswith("Klaar om te publiceren?") and "::error file=content/" in said
    assert not (copy / "output").exists()
    assert [code for _, code, _ in run_steps(copy, generator, "pull_request")] == [0, 0, 0]  # a PR: checked


@pytest.mark.slow
def test_the_workflow_steps_build_a_filled_in_site_with_the_pinned_generator(generated, tmp_path):
    site, generator = generated
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    fill_in(copy)
    config = copy / "site.yaml"  # the web editor switched on, as docs/redactie.md tells
    config.write_text(config.read_text(encoding="utf-8").replace(
        "# cms:\n#   repo: organisatie/website ", "cms:\n  repo: aa-en-hunze/website ").replace(
        "#   branch: main ", "  branch: main ").replace(
        "#   auth_url: https://inloggen.voorbeeld.nl", "  auth_url: https://inloggen.aa-en-hunze.nl"),
        encoding="utf-8")
    done = run_steps(copy, generator, npm=True)
    assert [(name.split(" ")[0], code) for name, code, _ in done] == [
        ("Python-pakketten", 0), ("Webeditor", 0), ("Klaar", 0), ("Bouwen", 0)], done
    assert (copy / "output" / "index.html").is_file() and (copy / "output" / "agenda" / "index.html").is_file()
    # the web editor's program, at the lock file's pin, without decap-cms's build tree
    assert (copy / "output" / "admin" / "decap-cms.js").stat().st_size > 1_000_000
    assert sorted(p.name for p in (copy / "generator" / "node_modules").iterdir()) == ["decap-cms"]
    assert "Aa en Hunze" in (copy / "output" / "index.html").read_text(encoding="utf-8")


def test_the_own_server_job_publishes_instead_of_pages_only_when_deploy_host_is_set(generated):
    """Exactly one of the two publish jobs runs on main: Pages without DEPLOY_HOST, the own server with it (so
    a site on its own server has no failing Pages job); neither on a pull request."""
    site, _ = generated
    jobs = yaml.safe_load((site / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8"))["jobs"]
    assert jobs["deploy"]["if"] == "github.event_name != 'pull_request' && vars.DEPLOY_HOST == ''"
    assert jobs["server"]["if"] == "github.event_name != 'pull_request' && vars.DEPLOY_HOST != ''"
    server = jobs["server"]
    assert server["needs"] == "build" and server["environment"] == "eigen-server" and server["name"].startswith(
        "Publiceren op de eigen server")
    download = server["steps"][0]
    assert download["uses"].startswith("actions/download-artifact@") and download["with"]["name"] == "github-pages"
    upload = next(s for s in jobs["build"]["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    assert "name" not in upload.get("with", {})  # so its artifact has the default name, github-pages
    deploy = server["steps"][-1]
    assert deploy["env"] == {"DEPLOY_SSH_KEY": "${{ secrets.DEPLOY_SSH_KEY }}",  # the one secret
                             "DEPLOY_KNOWN_HOSTS": "${{ vars.DEPLOY_KNOWN_HOSTS }}",
                             "DEPLOY_HOST": "${{ vars.DEPLOY_HOST }}", "DEPLOY_USER": "${{ vars.DEPLOY_USER }}",
                             "DEPLOY_PATH": "${{ vars.DEPLOY_PATH }}", "DEPLOY_PORT": "${{ vars.DEPLOY_PORT }}"}
    for step in server["steps"]:  # values only through env:, never ${{ }} in the shell (template injection)
        assert "${{" not in step.get("run", "")
    script = deploy["run"]
    assert "StrictHostKeyChecking=yes" in script and "ssh-keyscan" not in script
    assert "StrictHostKeyChecking=no" not in script and "accept-new" not in script
    assert "rsync -rlptz --checksum --delete-delay --delay-updates" in script


def test_zizmor_would_notice_a_value_written_into_the_deploy_shell(generated, tmp_path):
    """zizmor reads the own-server job too: a variable put straight into its shell is a finding."""
    site, _ = generated
    text = (site / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8")
    text = text.replace('echo "De site staat op $DEPLOY_HOST', 'echo "De site staat op ${{ vars.DEPLOY_HOST }}', 1)
    assert "staat op ${{ vars.DEPLOY_HOST }}" in text
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "site.yml").write_text(text, encoding="utf-8")
    result = zizmor_findings(folder / "site.yml")
    assert result.returncode != 0 and "template-injection" in result.stdout


# --- the tidy job: a web editor's save on GitHub, merged back into the file as it was (issue 27) ---------------

def test_the_tidy_job_runs_only_on_the_web_editors_own_branches_and_may_only_write_contents(generated):
    site, _ = generated
    jobs = yaml.safe_load((site / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8"))["jobs"]
    tidy = jobs["netjes"]
    assert tidy["if"] == ("github.event_name == 'pull_request' && startsWith(github.head_ref, 'cms/') "
                          "&& github.event.pull_request.head.repo.full_name == github.repository")
    assert tidy["permissions"] == {"contents": "write"}
    checkouts = [s for s in tidy["steps"] if "actions/checkout@" in s.get("uses", "")]
    assert [c["with"]["persist-credentials"] for c in checkouts] == [False, False]
    assert checkouts[0]["with"]["fetch-depth"] == 0  # the base branch, to merge against
    for step in tidy["steps"]:  # values only through env:, never ${{ }} in the shell (template injection)
        assert "${{" not in step.get("run", "")
    runs = [s for s in tidy["steps"] if "run" in s]
    assert runs[1]["env"] == {"BASIS": "${{ github.base_ref }}"} and "redactie-netjes" in runs[1]["run"]
    # the optional secret's push starts a run of the required checks on the tidied commit (docs/redactie.md)
    assert runs[2]["env"] == {"TAK": "${{ github.head_ref }}",
                              "TOKEN": "${{ secrets.NETJES_TOKEN || github.token }}"}


def test_zizmor_would_notice_the_branch_name_written_into_the_tidy_shell(generated, tmp_path):
    """A branch name is chosen by whoever opens the pull request: straight in the shell, zizmor says so."""
    site, _ = generated
    text = (site / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8")
    text = text.replace('"HEAD:refs/heads/$TAK"', '"HEAD:refs/heads/${{ github.head_ref }}"', 1)
    assert "${{ github.head_ref }}\"" in text
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "site.yml").write_text(text, encoding="utf-8")
    result = zizmor_findings(folder / "site.yml")
    assert result.returncode != 0 and "template-injection" in result.stdout


@pytest.mark.slow
def test_the_tidy_job_puts_only_the_changed_line_back_on_the_editors_branch(generated, tmp_path):
    """The job's run: steps, here, as GitHub runs them on a pull request from cms/...: the site's repository
    on GitHub is a bare repository (origin), the checkout is at the branch's head with all history."""
    from test_editor_tidy import ACTIVITY, ACTIVITY_AS_DECAP
    site, generator = generated
    origin = tmp_path / "origin.git"
    git("init", "-q", "--bare", "-b", "main", str(origin), cwd=tmp_path)
    work = tmp_path / "werk"
    shutil.copytree(site, work)
    (work / "content" / "agenda" / "koffie.yaml").write_text(ACTIVITY, encoding="utf-8")
    git("init", "-q", "-b", "main", cwd=work)
    git("add", ".", cwd=work)
    git("commit", "-qm", "site", cwd=work)
    git("checkout", "-q", "-b", "cms/agenda/koffie", cwd=work)
    (work / "content" / "agenda" / "koffie.yaml").write_text(ACTIVITY_AS_DECAP, encoding="utf-8")
    git("commit", "-qam", "Decap: opgeslagen", cwd=work)
    git("push", "-q", str(origin), "main", "cms/agenda/koffie", cwd=work)
    checkout = tmp_path / "checkout"  # actions/checkout: the head commit, every branch, credentials not kept
    git("clone", "-q", str(origin), str(checkout), cwd=tmp_path)
    git("checkout", "-q", "--detach", "origin/cms/agenda/koffie", cwd=checkout)
    workflow = yaml.safe_load((site / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8"))
    git("clone", "--quiet", "--no-hardlinks", str(generator), str(checkout / "generator"), cwd=tmp_path)
    git("checkout", "--quiet", workflow["env"]["GENERATOR_VERSION"], cwd=checkout / "generator")
    env = {**os.environ, "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1", "BASIS": "main",
           "TAK": "cms/agenda/koffie", "TOKEN": "geheim"}
    for step in workflow["jobs"]["netjes"]["steps"]:
        if "run" in step:
            command = step["run"].replace("python ", f"{sys.executable} ", 1)
            result = subprocess.run(["bash", "-c", command], cwd=checkout, env=env, capture_output=True, text=True,
                                    timeout=300)
            assert result.returncode == 0, (step.get("name"), result.stdout + result.stderr)
    diff = git("diff", "--unified=0", "main", "cms/agenda/koffie", "--", "content/agenda/koffie.yaml", cwd=origin)
    assert [l for l in diff.splitlines() if l[:1] in "+-" and not l.startswith(("+++", "---"))] == \
        ["-cost: gratis", "+cost: € 1,00"]
    assert git("log", "-1", "--format=%s", "cms/agenda/koffie", cwd=origin).startswith("Webeditor netjes")
    again = subprocess.run(["bash", "-c", workflow["jobs"]["netjes"]["steps"][-1]["run"]], cwd=checkout, env=env,
                           capture_output=True, text=True)
    assert again.returncode == 0 and "Alles was al netjes." in again.stdout
    # A run for an older save, while the branch moved on: its push is refused, said as a warning, not a failure.
    git("checkout", "-q", "--detach", "HEAD~1", cwd=checkout)
    (checkout / "content" / "agenda" / "koffie.yaml").write_text(ACTIVITY.replace("gratis", "€ 3,00"), encoding="utf-8")
    late = subprocess.run(["bash", "-c", workflow["jobs"]["netjes"]["steps"][-1]["run"]], cwd=checkout, env=env,
                          capture_output=True, text=True)
    assert late.returncode == 0 and "::warning::De tak cms/agenda/koffie is intussen weer veranderd" in late.stdout
    assert git("log", "-1", "--format=%s", "cms/agenda/koffie", cwd=origin).startswith("Webeditor netjes")
