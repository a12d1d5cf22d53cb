"""`build.py init`: another coalition's own site, neutral, complete, building with zero errors, upgradable
by moving the generator to a new version without anyone else's content."""

import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from conftest import NOW, REPO
from sitegen import __version__
from sitegen.source.address import FORMS
from sitegen.source.schemas import CMS
from sitegen.tools.starter import command as starter
from sitegen.tools.starter.origin import Origin, release_commits

BASE = "https://www.gemeentewesterveld.nl/eenzaamheid/"
# Traces of the Midden-Drenthe site: names, villages, phone numbers, domains.
MIDDEN_DRENTHE = re.compile(r"midden-?drenthe|middendrenthe|welzijnswerk ?md|beilen|smilde|westerbork|hooghalen|"
                            r"wijster|hijken|orvelte|1651200|eentegeneenzaamheid-middendrenthe", re.I)


def run(*args: str, generator: Path = REPO, stdin=subprocess.DEVNULL) -> subprocess.CompletedProcess:
    """build.py as a coalition runs it, from a generator folder, never from a terminal here."""
    return subprocess.run([sys.executable, str(generator / "build.py"), *args], cwd=generator, stdin=stdin,
                          capture_output=True, text=True, timeout=300)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def fill_placeholders(site: Path) -> None:
    """What the coalition does after init: fill in every [INVULLEN: ...]."""
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".md", ".yaml"):
            text = path.read_text(encoding="utf-8")
            text = re.sub(r'(?m)^  # phone: "\[INVULLEN: telefoonnummer\]".*$', '  phone: "0521-123456"', text)
            text = re.sub(r"\[INVULLEN: [^\]]*\]", "Stichting Welzijn Westerveld", text)
            path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def westerveld(tmp_path_factory):
    site = tmp_path_factory.mktemp("init") / "westerveld"
    result = run("init", str(site), "--gemeente", "Westerveld", "--dorpen", "Diever, Dwingeloo, Havelte",
                 "--base-url", BASE)
    assert result.returncode == 0, result.stderr
    return site


@pytest.mark.slow
def test_init_without_options_makes_a_site_for_voorbeeldgemeente_that_builds(tmp_path):
    site = tmp_path / "nieuw"
    result = run("init", str(site))
    assert result.returncode == 0, result.stderr
    assert "Voorbeeldgemeente" in (site / "site.yaml").read_text(encoding="utf-8")
    for rel in ("content/index.md", "content/hulp.md", "content/contact.md", "content/privacy.md",
                "content/toegankelijkheid.md", "content/agenda/koffieochtend-voorbeeld.yaml", "content/nieuws/index.md",
                ".github/workflows/site.yml", "README.md", ".gitignore"):
        assert (site / rel).is_file(), rel
    assert len(list((site / "content" / "nieuws").glob("20*.md"))) == 1
    assert not (site / "content" / "agenda.yaml").exists()  # one file per activity (issue 14), not one list
    built = run("--site", str(site), "--now", NOW, "--no-search")
    assert built.returncode == 0, built.stderr
    out = site / "output"
    for page in ("index.html", "hulp/index.html", "contact/index.html", "privacy/index.html",
                 "toegankelijkheid/index.html", "agenda/index.html", "nieuws/index.html", "favicon.svg"):
        assert (out / page).is_file(), page
    assert not (out / "agenda" / "koffieochtend-voorbeeld").exists()  # an example: only in a demo build
    demo = run("--site", str(site), "--now", NOW, "--no-search", "--demo", "--output", str(tmp_path / "demo"))
    assert demo.returncode == 0, demo.stderr
    assert (tmp_path / "demo" / "agenda" / "koffieochtend-voorbeeld" / "index.html").is_file()
    assert "Voorbeeldgemeente" in (out / "toegankelijkheid" / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_check_lists_each_placeholder_as_a_warning_until_it_is_filled(westerveld, tmp_path):
    result = run("check", "--site", str(westerveld))
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "moet nog iets ingevuld worden" in line]
    assert len(warnings) >= 8
    for line in warnings:  # each names the file and the line and column where the placeholder is
        path, number, column = re.match(r"^([^:]+):(\d+):(\d+): waarschuwing: ", line).groups()
        assert "[INVULLEN" in (westerveld / path).read_text(encoding="utf-8").splitlines()[int(number) - 1]
    assert "content/toegankelijkheid.md" in result.stderr and "site.yaml" in result.stderr
    copy = tmp_path / "gevuld"
    subprocess.run(["cp", "-r", str(westerveld), str(copy)], check=True)
    fill_placeholders(copy)
    result = run("check", "--site", str(copy))
    assert result.returncode == 0, result.stderr
    assert "ingevuld" not in result.stderr and "fout" not in result.stderr


@pytest.mark.slow
def test_an_init_site_under_a_subpath_has_every_reference_resolving_and_no_trace_of_midden_drenthe(westerveld,
                                                                                                   tmp_path):
    out = tmp_path / "www" / "eenzaamheid"
    result = run("--site", str(westerveld), "--output", str(out), "--now", NOW)
    assert result.returncode == 0, result.stderr
    prefix = urlsplit(BASE).path
    broken, checked = [], 0
    for page in sorted(out.rglob("*.html")):
        for link in re.findall(r'(?:href|src)="([^"]+)"', page.read_text(encoding="utf-8")):
            parts = urlsplit(link.replace("&amp;", "&"))
            if parts.scheme in ("mailto", "tel") or link.startswith("#"):
                continue
            if parts.netloc and not link.startswith(BASE):
                continue  # another site (a helpline's)
            path = unquote(parts.path)
            if not path.startswith(prefix):
                broken.append(f"{page.relative_to(out)}: {link} is not under {prefix}")
                continue
            target = out / path[len(prefix):]
            checked += 1
            if not (target / "index.html" if path.endswith("/") else target).is_file():
                broken.append(f"{page.relative_to(out)}: {link}")
    assert broken == [] and checked > 100
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{BASE}</loc>" in sitemap and f"{BASE}hulp/" in sitemap
    robots = (out / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {BASE}sitemap.xml" in robots and "Zoekmachines lezen alleen /robots.txt" in robots
    traces = [f"{rel}: {match.group(0)}" for rel, data in tree(out).items()
              for match in MIDDEN_DRENTHE.finditer(data.decode("utf-8", errors="replace"))]
    assert traces == []
    sources = [f"{rel}: {m.group(0)}" for rel, data in tree(westerveld).items() if not rel.startswith(("output/", ".cache/"))
               for m in MIDDEN_DRENTHE.finditer(data.decode("utf-8", errors="replace"))]
    assert sources == []
    assert "Westerveld" in (out / "index.html").read_text(encoding="utf-8")
    assert (out.parent.iterdir().__next__() == out) and len(list(out.parent.iterdir())) == 1


def test_new_activity_in_an_init_site_takes_its_examples_from_that_site(westerveld, tmp_path):
    copy = tmp_path / "site"
    subprocess.run(["cp", "-r", str(westerveld), str(copy)], check=True)
    result = run("new", "activiteit", "Koffie in Diever", "--site", str(copy))
    assert result.returncode == 0, result.stderr
    assert f"python build.py serve --site {copy}" in result.stdout
    assert not (copy / "content" / "agenda.yaml").exists()
    new = (copy / "content" / "agenda" / "koffie-in-diever.yaml").read_text(encoding="utf-8")
    assert "place: Diever" in new
    assert not MIDDEN_DRENTHE.search(new)


@pytest.mark.slow
@pytest.mark.parametrize("args", [[], ["--hulplijn", "Hulplijn Westerveld=0521-999999"]])
def test_an_init_site_opens_its_help_page_from_the_header_and_shows_its_helplines_on_the_home_page(tmp_path, args):
    site = tmp_path / "site"
    assert run("init", str(site), *args).returncode == 0
    config = yaml.safe_load((site / "site.yaml").read_text(encoding="utf-8"))
    assert config["help_page"] == "hulp.md" and config["address_form"] == "u"
    assert config["helplines"] and all(line.get("home") is True for line in config["helplines"])
    built = run("--site", str(site), "--now", NOW, "--no-search")
    assert built.returncode == 0, built.stderr
    home = (site / "output" / "index.html").read_text(encoding="utf-8")
    assert '<a class="help-link" href="/hulp/">Hulp nodig?</a>' in home
    help_page = (site / "output" / "hulp" / "index.html").read_text(encoding="utf-8")
    assert 'class="help-top"' in help_page and 'aria-current="page">Hulp nodig?</a>' in help_page


@pytest.mark.slow
@pytest.mark.parametrize("args", [[], ["--organisatie", "Welzijn Westerveld", "--telefoon", "0521-123456"]])
def test_a_fresh_init_site_speaks_to_the_reader_as_u_and_check_warns_only_of_placeholders(tmp_path, args):
    site = tmp_path / "site"
    assert run("init", str(site), *args).returncode == 0
    result = run("check", "--site", str(site), "--now", NOW)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if ": waarschuwing: " in line]
    assert warnings and all("moet nog iets ingevuld worden" in line for line in warnings), warnings
    texts = {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in (site / "content").rglob("*.md")}
    config = yaml.safe_load((site / "site.yaml").read_text(encoding="utf-8"))
    texts.update({f"helpline {line['name']}": line.get("description", "") for line in config["helplines"]})
    assert {where: FORMS["je"].findall(text) for where, text in texts.items() if FORMS["je"].search(text)} == {}


@pytest.mark.slow
def test_the_web_editor_settings_are_a_comment_in_site_yaml_that_works_once_the_hashes_are_removed(tmp_path):
    site = tmp_path / "site"
    assert run("init", str(site)).returncode == 0
    text = (site / "site.yaml").read_text(encoding="utf-8")
    assert "cms" not in yaml.safe_load(text) and "# cms:\n" in text  # off until the login service exists
    block = text[text.index("# cms:\n"):].splitlines()
    block = block[:1 + next(i for i, line in enumerate(block[1:]) if not line.startswith("#   "))]
    settings = yaml.safe_load("\n".join(line[2:] for line in block))["cms"]
    assert {"repo", "branch", "auth_url"} <= set(settings) <= {field.name for field in CMS.fields}
    (site / "site.yaml").write_text(text.replace("\n".join(block), "\n".join(line[2:] for line in block)),
                                    encoding="utf-8")
    built = run("--site", str(site), "--now", NOW, "--no-search")
    assert built.returncode == 0, built.stderr
    config = (site / "output" / "admin" / "config.yml").read_text(encoding="utf-8")
    assert f"repo: {settings['repo']}" in config and f"base_url: {settings['auth_url']}" in config


def test_asks_in_dutch_in_a_terminal(tmp_path, monkeypatch):
    answers = iter(["Westerveld", "Diever, Havelte", BASE, "Welzijn Westerveld", "0521-123456",
                    "", "", "", "https://github.com/westerveld/sitegen"])
    asked = []

    def ask(question):
        asked.append(question)
        return next(answers)

    # A generator whose git remote is not on GitHub: init asks where it lives.
    monkeypatch.setattr(starter, "find_origin", lambda root, version, repo=None: Origin(repo, "a" * 40, version))
    code = starter.main(tmp_path / "site", {}, dt.date(2026, 11, 30), interactive=True, ask=ask)
    assert code == 0
    assert asked[-1].startswith("Op welke GitHub-repository staat dit programma")
    assert "  GENERATOR_REPO: westerveld/sitegen\n" in (tmp_path / "site" / ".github" / "workflows" /
                                                       "site.yml").read_text(encoding="utf-8")
    assert asked[0] == "Naam van de gemeente [Voorbeeldgemeente]: "
    assert any(q.startswith("Dorpen en kernen") for q in asked)
    text = (tmp_path / "site" / "site.yaml").read_text(encoding="utf-8")
    assert 'municipality: "Westerveld"' in text and 'villages: ["Diever", "Havelte"]' in text
    assert 'phone: "0521-123456"' in text and f"base_url: {BASE}" in text


@pytest.mark.parametrize("case, args, message", [
    ("niet-leeg", [], "bestaat al en is niet leeg"),
    ("adres", ["--base-url", "www.westerveld.nl"], "'www.westerveld.nl' is geen geldig webadres"),
    ("dorpen", ["--dorpen", "Diever, Havelte, diever"], "Het dorp 'diever' staat twee keer in de lijst"),
    ("geen-logo", ["--logo", "bestaat-niet.svg", "--logo-alt", "Logo"], "Het logo 'bestaat-niet.svg' bestaat niet"),
    ("geen-afbeelding", ["--logo", "logo.svg", "--logo-alt", "Logo"], "is geen SVG- of PNG-afbeelding"),
    ("kleur", ["--kleur", "#6fbf73"], "De kleur #6fbf73 is slecht te lezen"),
])
def test_bad_input_is_refused_in_dutch_and_writes_nothing(tmp_path, case, args, message):
    (tmp_path / "logo.svg").write_text("dit is geen afbeelding", encoding="utf-8")
    target = tmp_path / "site"
    if case == "niet-leeg":
        target.mkdir()
        (target / "notities.txt").write_text("van mij", encoding="utf-8")
    args = [a if a != "logo.svg" else str(tmp_path / "logo.svg") for a in args]
    args = [a if a != "bestaat-niet.svg" else str(tmp_path / "bestaat-niet.svg") for a in args]
    before = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    result = run("init", str(target), *args)
    assert result.returncode == 1
    assert message.replace("bestaat-niet.svg", str(tmp_path / "bestaat-niet.svg")) in result.stderr
    assert "Er is niets gemaakt." in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == before


@pytest.mark.slow
def test_a_logo_and_a_passing_colour_are_in_the_built_site(tmp_path):
    logo = tmp_path / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="5"/></svg>',
                    encoding="utf-8")
    site = tmp_path / "site"
    result = run("init", str(site), "--gemeente", "Westerveld", "--kleur", "#1a5e8a", "--logo", str(logo),
                 "--logo-alt", "Logo van de coalitie Westerveld")
    assert result.returncode == 0, result.stderr
    assert run("--site", str(site), "--now", NOW, "--no-search").returncode == 0
    home = (site / "output" / "index.html").read_text(encoding="utf-8")
    assert ('<img class="site-logo" src="/img/logo.svg" alt="Logo van de coalitie Westerveld" width="10" height="10">'
            in home)
    assert (site / "output" / "img" / "logo.svg").read_bytes() == logo.read_bytes()
    css = re.search(r'href="/(css/site\.[0-9a-f]+\.css)"', home).group(1)
    assert "--accent: #1a5e8a;" in (site / "output" / css).read_text(encoding="utf-8")
    assert '#1a5e8a' not in (REPO / "static" / "css" / "site.css").read_text(encoding="utf-8")


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args], cwd=cwd,
                          check=True, capture_output=True, text=True).stdout


@pytest.mark.slow
def test_a_site_upgrades_by_moving_the_generator_to_a_new_commit_without_anyone_elses_content(tmp_path):
    """The generator as its own clone at a commit (as the site's workflow pins it): version 1 builds the site;
    upstream then changes a template and adds a news item to its own site; moving the clone to version 2
    brings the template change into the site's output and not the news item, with no merge at all."""
    generator = tmp_path / "generator"
    git("clone", "--quiet", "--no-hardlinks", str(REPO), str(generator), cwd=tmp_path)
    site = tmp_path / "site"
    assert run("init", str(site), "--gemeente", "Westerveld", generator=generator).returncode == 0
    first_commit = git("rev-parse", "HEAD", cwd=generator).strip()
    assert f"GENERATOR_VERSION: {first_commit}" in (site / ".github" / "workflows" / "site.yml").read_text()
    first = run("--site", str(site), "--now", NOW, "--no-search", generator=generator)
    assert first.returncode == 0, first.stderr
    before = tree(site / "output")
    site_files = {rel: data for rel, data in tree(site).items() if not rel.startswith(("output/", ".cache/"))}
    # Upstream: a new version of the generator, and new content on its own site.
    base = generator / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</body>", "<!-- versie 2 -->\n</body>"),
                    encoding="utf-8")
    (generator / "content" / "nieuws" / "2026-11-01-alleen-upstream.md").write_text(
        "---\ntitle: Alleen upstream\n---\nDit hoort niet in een andere site.\n", encoding="utf-8")
    git("commit", "--quiet", "-am", "version 2", cwd=generator)
    git("add", "content", cwd=generator)
    git("commit", "--quiet", "-m", "upstream news", cwd=generator)
    second_commit = git("rev-parse", "HEAD", cwd=generator).strip()
    git("checkout", "--quiet", second_commit, cwd=generator)  # the upgrade: the site's pin moves to the new commit
    second = run("--site", str(site), "--now", NOW, "--no-search", generator=generator)
    assert second.returncode == 0, second.stderr
    after = tree(site / "output")
    assert "<!-- versie 2 -->" in after["index.html"].decode() and "<!-- versie 2 -->" not in before["index.html"].decode()
    assert not any("alleen-upstream" in rel or b"Alleen upstream" in data for rel, data in after.items())
    assert {rel: data for rel, data in tree(site).items() if not rel.startswith(("output/", ".cache/"))} == site_files


# --- releases: a version is a commit, and every pin resolves ------------------------------------------------

SHA = re.compile(r"\b[0-9a-f]{40}\b")
TAG_PIN = re.compile(r"(--branch|checkout|GENERATOR_VERSION:)\s+v\d+\.\d+")


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    """The repository as an adopter gets it: a clone, in which every pin must be a commit."""
    path = tmp_path_factory.mktemp("clone") / "generator"
    git("clone", "--quiet", "--no-hardlinks", str(REPO), str(path), cwd=path.parent)
    return path


def pins_in(text: str) -> set[str]:
    """Every full commit hash in a text that pins the generator (action pins on 'uses:' lines are GitHub's)."""
    return {sha for line in text.splitlines() if "actions/" not in line for sha in SHA.findall(line)}


def is_commit(clone: Path, sha: str) -> bool:
    return subprocess.run(["git", "cat-file", "-e", f"{sha}^{{commit}}"], cwd=clone).returncode == 0


def test_every_version_in_the_changelog_is_a_commit_that_carries_that_version(clone):
    releases = release_commits((REPO / "CHANGELOG.md").read_text(encoding="utf-8"))
    assert __version__ in releases, f"CHANGELOG.md: add 'commit: <sha>' under the heading of {__version__}"
    assert "1.0.0" in releases
    for version, sha in releases.items():
        assert is_commit(clone, sha), f"{version}: {sha} is not a commit of the repository"
        init = git("show", f"{sha}:sitegen/__init__.py", cwd=clone)
        assert f'__version__ = "{version}"' in init, f"{sha} is not version {version}"


def test_every_pin_in_the_docs_and_in_what_init_writes_resolves_and_none_is_a_tag(westerveld, clone):
    texts = {path.relative_to(REPO).as_posix(): path.read_text(encoding="utf-8")
             for path in [REPO / "README.md", REPO / "CHANGELOG.md", *(REPO / "docs").glob("*.md"),
                          *(REPO / "sitegen" / "tools" / "starter").glob("*.py")]}
    texts.update({f"init: {rel}": (westerveld / rel).read_text(encoding="utf-8")
                  for rel in (".github/workflows/site.yml", "README.md")})
    pins = {(where, sha) for where, text in texts.items() for sha in pins_in(text)}
    assert [p for p in pins if not is_commit(clone, p[1])] == []
    assert {where for where, _ in pins} >= {"CHANGELOG.md", "init: .github/workflows/site.yml", "init: README.md"}
    assert {where: TAG_PIN.findall(text) for where, text in texts.items() if TAG_PIN.search(text)} == {}
    head = git("rev-parse", "HEAD", cwd=REPO).strip()  # a checkout pins the commit it runs
    assert f"  GENERATOR_VERSION: {head}  # versie {__version__}\n" in texts["init: .github/workflows/site.yml"]
    assert f"git -C generator checkout {head}\n" in texts["init: README.md"]


@pytest.mark.parametrize("remote, option, expected", [
    ("git@github.com:aa-en-hunze/sitegen.git", None, "aa-en-hunze/sitegen"),
    ("https://github.com/aa-en-hunze/sitegen", None, "aa-en-hunze/sitegen"),
    ("git@github.com:aa-en-hunze/sitegen.git", "https://github.com/anders/programma.git", "anders/programma"),
    ("https://gitlab.com/aa-en-hunze/sitegen.git", None, None),
])
@pytest.mark.slow
def test_init_fills_in_where_the_generator_lives_from_an_option_or_its_git_remote(clone, tmp_path, remote,
                                                                                   option, expected):
    git("remote", "set-url", "origin", remote, cwd=clone)
    site = tmp_path / "site"
    result = run("init", str(site), "--gemeente", "Aa en Hunze", *(["--generator-repo", option] if option else []),
                 generator=clone)
    assert result.returncode == 0, result.stderr
    workflow = (site / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8")
    head = git("rev-parse", "HEAD", cwd=clone).strip()
    assert f"  GENERATOR_VERSION: {head}  # versie {__version__}\n" in workflow
    if expected:
        assert f"  GENERATOR_REPO: {expected}\n" in workflow
        assert f"git clone https://github.com/{expected}.git generator" in (site / "README.md").read_text()
        assert f"De workflow gebruikt het programma van github.com/{expected}" in result.stdout
    else:  # not on GitHub: a question in the workflow that the publish check reports
        assert '  GENERATOR_REPO: "[INVULLEN: de GitHub-repository van het programma' in workflow
        assert "Vul in .github/workflows/site.yml bij GENERATOR_REPO" in result.stdout
        published = run("check", "--publish", "--site", str(site), generator=clone)
        assert published.returncode == 1 and ".github/workflows/site.yml:27:20: hier staat nog" in published.stderr


def test_a_wrong_generator_repo_is_refused_in_dutch(tmp_path):
    result = run("init", str(tmp_path / "site"), "--generator-repo", "niet goed")
    assert result.returncode == 1 and "--generator-repo 'niet goed' begrijp ik niet" in result.stderr
    assert not (tmp_path / "site").exists()


@pytest.mark.slow
@pytest.mark.parametrize("recorded", [True, False])
def test_a_copy_without_git_pins_the_commit_its_changelog_names_for_its_version(clone, tmp_path, recorded):
    """A generator copied into another repository (or unpacked from a zip): not its own checkout, so the
    CHANGELOG's commit of its version, or else a question that the publish check reports."""
    outer = tmp_path / "site-repo"
    outer.mkdir()
    git("init", "--quiet", cwd=outer)
    copy = outer / "generator"
    shutil.copytree(clone, copy, ignore=shutil.ignore_patterns(".git"))
    sha = "3af1978b281de2e41e97c670a16efcb5e02d06af"
    (copy / "CHANGELOG.md").write_text(f"# Wijzigingen\n\n## {__version__} - 2026-12-06\n\n"
                                       + (f"commit: {sha}\n" if recorded else "Nog niet uitgebracht.\n"),
                                       encoding="utf-8")
    site = tmp_path / "site"
    result = run("init", str(site), "--generator-repo", "aa-en-hunze/sitegen", generator=copy)
    assert result.returncode == 0, result.stderr
    workflow = (site / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8")
    if recorded:
        assert f"  GENERATOR_VERSION: {sha}  # versie {__version__}\n" in workflow
    else:
        assert '  GENERATOR_VERSION: "[INVULLEN: de commit van het programma' in workflow
        published = run("check", "--publish", "--site", str(site), generator=copy)
        assert published.returncode == 1 and ".github/workflows/site.yml:28:" in published.stderr


def test_release_commits_reads_each_versions_commit_line():
    text = ("# Wijzigingen\n\n## Een versie is een commit\n\ncommit: " + "0" * 40 + "\n\n## 1.2.0 - 2027-01-01\n\n"
            "Nog niet uitgebracht.\n\n## 1.1.0 - 2026-12-06\n\ncommit: " + "a" * 40 + "\n\n## 1.0.0\n\n"
            "commit: " + "b" * 40 + "\n")
    assert release_commits(text) == {"1.1.0": "a" * 40, "1.0.0": "b" * 40}


def test_the_site_readme_warns_about_the_60_day_stop_and_names_the_publish_check(westerveld):
    readme = (westerveld / "README.md").read_text(encoding="utf-8")
    assert "60 dagen" in readme and "Enable workflow" in readme
    assert f"generator/build.py check --publish --site {westerveld.name}" in readme
    assert "pip install -r generator/requirements.txt   # altijd opnieuw" in readme


def test_the_docs_agree_that_the_generator_lives_beside_the_site(westerveld):
    """On a computer the generator is a folder beside the site's (the workflow alone puts it inside, on
    GitHub's machine): README.md, docs/hosting.md and the site's own README say so, and none builds with the
    generator inside the site (`generator/build.py ... --site .`)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Een andere gemeente"):readme.index("## Voor ontwikkelaars")]
    texts = {"README.md": section, "docs/hosting.md": (REPO / "docs" / "hosting.md").read_text(encoding="utf-8"),
             "init: README.md": (westerveld / "README.md").read_text(encoding="utf-8")}
    for where, text in texts.items():
        assert "**naast" in text and "generator/" in text, where
        assert not re.search(r"generator/build\.py [^\n]*--site \.(\s|$)", text), where
