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
