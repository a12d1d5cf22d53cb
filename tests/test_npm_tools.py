"""tools/npm_tools.py: the npm packages come from package-lock.json's pins, checked, and unpack only into
their own folder (it replaced `npm ci`, which installed decap-cms's whole build tree)."""

import importlib.util
import io
import json
import tarfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("npm_tools", REPO / "tools" / "npm_tools.py")
npm_tools = importlib.util.module_from_spec(spec)
spec.loader.exec_module(npm_tools)


def _tarball(path: Path, members: dict[str, bytes], links: dict[str, str] = {}) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for name, target in links.items():
            info = tarfile.TarInfo(name)
            info.type = tarfile.SYMTYPE
            info.linkname = target
            tar.addfile(info)
    return path


def test_every_dev_dependency_is_pinned_with_its_integrity():
    pins = npm_tools.pinned(REPO)
    wanted = json.loads((REPO / "package.json").read_text())["devDependencies"]
    assert [name for name, _, _ in pins] == sorted(wanted)
    for name, version, integrity in pins:
        assert version == wanted[name] and integrity.startswith("sha512-")


def test_the_installed_packages_match_the_lock_file():
    """What the tests use is there; the installed package.json says the pinned version."""
    for name, version, _ in npm_tools.pinned(REPO):
        installed = REPO / "node_modules" / name / "package.json"
        if not installed.exists():
            pytest.skip("node_modules not installed (bash tools/install-system-deps.sh)")
        assert json.loads(installed.read_text())["version"] == version


def test_unpack_keeps_the_package_folder_and_nothing_outside_it(tmp_path):
    archive = _tarball(tmp_path / "p.tgz", {"package/dist/app.js": b"ok", "package/package.json": b"{}",
                                            "package/../../evil.txt": b"x", "other/evil.txt": b"x"},
                       links={"package/link": "/etc/passwd"})
    target = tmp_path / "node_modules" / "pkg"
    npm_tools.unpack(archive, target)
    assert (target / "dist" / "app.js").read_bytes() == b"ok"
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*")) == ["dist", "dist/app.js",
                                                                                  "package.json"]
    assert not list(tmp_path.rglob("evil.txt"))


def _fake_npm(tmp_path: Path, archive: Path, monkeypatch) -> None:
    """An `npm` on PATH whose `pack` hands out the given tarball (the real one needs the registry)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "npm"
    script.write_text(f"""#!/bin/sh
dest=$(echo "$@" | sed 's/.*--pack-destination \\([^ ]*\\).*/\\1/')
cp {archive} "$dest/pkg-1.0.0.tgz"
echo '[{{"filename": "pkg-1.0.0.tgz"}}]'
""")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:" + __import__("os").environ["PATH"])


def _repo(tmp_path: Path, integrity: str) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "package.json").write_text(json.dumps({"devDependencies": {"pkg": "1.0.0"}}))
    (repo / "package-lock.json").write_text(json.dumps({"packages": {"node_modules/pkg": {
        "version": "1.0.0", "integrity": integrity}}}))
    return repo


def test_the_pinned_download_is_installed_and_stamped(tmp_path, monkeypatch):
    archive = _tarball(tmp_path / "p.tgz", {"package/a.js": b"ok"})
    _fake_npm(tmp_path, archive, monkeypatch)
    repo = _repo(tmp_path, npm_tools.integrity_of(archive))
    npm_tools.install(repo)
    assert (repo / "node_modules" / "pkg" / "a.js").read_bytes() == b"ok"
    assert (repo / "node_modules" / npm_tools.STAMP).exists()


def test_a_download_that_is_not_the_pinned_one_stops_the_install(tmp_path, monkeypatch):
    archive = _tarball(tmp_path / "p.tgz", {"package/a.js": b"changed"})
    _fake_npm(tmp_path, archive, monkeypatch)
    pinned = npm_tools.integrity_of(_tarball(tmp_path / "q.tgz", {"package/a.js": b"ok"}))
    repo = _repo(tmp_path, pinned)
    with pytest.raises(SystemExit, match="integrity"):
        npm_tools.install(repo)
    assert not (repo / "node_modules" / "pkg").exists()
    assert not (repo / "node_modules" / npm_tools.STAMP).exists()


def test_only_the_named_package_is_installed_and_an_unknown_name_stops(tmp_path, monkeypatch):
    """A site's GitHub workflow needs the web editor only (`--only decap-cms`), not the test tools."""
    archive = _tarball(tmp_path / "p.tgz", {"package/a.js": b"ok"})
    _fake_npm(tmp_path, archive, monkeypatch)
    repo = _repo(tmp_path, npm_tools.integrity_of(archive))
    lock = json.loads((repo / "package-lock.json").read_text())
    lock["packages"]["node_modules/other"] = {"version": "2.0.0", "integrity": "sha512-never-fetched"}
    (repo / "package-lock.json").write_text(json.dumps(lock))
    (repo / "package.json").write_text(json.dumps({"devDependencies": {"pkg": "1.0.0", "other": "2.0.0"}}))
    npm_tools.main([str(repo), "--only", "pkg"])
    assert (repo / "node_modules" / "pkg" / "a.js").read_bytes() == b"ok"
    assert not (repo / "node_modules" / "other").exists()
    assert not (repo / "node_modules" / npm_tools.STAMP).exists()  # not everything is there
    with pytest.raises(SystemExit, match="decap-cmss"):
        npm_tools.main([str(repo), "--only", "decap-cmss"])


def test_the_messages_for_a_missing_web_editor_name_this_command(tmp_path, monkeypatch):
    """/admin/ and `build.py redactie` tell an editor how to install the web editor: the command they name is
    this tool's, with its real option (it was `npm ci`, which installs decap-cms's whole build tree)."""
    import io as text_io
    from types import SimpleNamespace

    from sitegen.core.options import BuildOptions
    from sitegen.render import cms
    from sitegen.tools import redactie

    command = "python3 tools/npm_tools.py --only decap-cms"
    admin = " ".join(cms.missing(SimpleNamespace(config=SimpleNamespace(cms=object())), False, None))
    monkeypatch.setattr(redactie, "cms_dist", lambda paths: None)
    err = text_io.StringIO()
    import datetime as dt
    options = BuildOptions(root=tmp_path, output=tmp_path / "output", now=dt.datetime(2026, 12, 7, 12))
    assert redactie.main(options, err=err) == 1
    for said in (admin.replace("<code>", "").replace("</code>", ""), err.getvalue()):
        assert command in said and "npm ci" not in said, said
    installed = []
    monkeypatch.setattr(npm_tools, "install", lambda repo, only: installed.append((repo, only)))
    npm_tools.main(command.split()[2:])
    assert installed == [(REPO, ["decap-cms"])] and "decap-cms" in [name for name, _, _ in npm_tools.pinned(REPO)]
