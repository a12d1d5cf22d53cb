"""The compiled templates every site of one user shares (incremental/bytecode.py): a new site's first build
and a build without a cache compile none of the generator's templates again, and what they make is what a
build that compiles them all makes. Whatever lies in the shared folder is never run unless this user's key
signed it; a wrong file there is compiled again and replaced, and the site's cache is not dropped for it."""

from __future__ import annotations

import marshal
import os
import signal

import jinja2
import jinja2.bccache
import pytest

from conftest import NOW, REPO, tree_bytes, write_tree
from sitegen.core import dates
from sitegen.incremental import bytecode
from sitegen.incremental.version import cache_version
from sitegen.pipeline import BuildOptions, build


@pytest.fixture
def user_cache(tmp_path, monkeypatch):
    """This test's own user folder ($XDG_CACHE_HOME), so it knows what the shared folder holds."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    return tmp_path / "user-cache" / "sitegen" / bytecode.SHARED_DIR


@pytest.fixture
def compiled(monkeypatch):
    """The templates jinja2 compiles from here on, by name."""
    names: list[str] = []
    original = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, *args, **kwargs):
        names.append(name)
        return original(self, source, name, filename, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return names


def new_site(root, files: dict | None = None):
    from conftest import MINIMAL_SITE_YAML

    return write_tree(root, {"site.yaml": MINIMAL_SITE_YAML,
                             "content/index.md": "---\ntitle: Welkom\ndescription: De beginpagina.\n---\n\nWelkom.\n",
                             "content/over.md": "---\ntitle: Over ons\ndescription: Wie wij zijn.\n---\n\nWij.\n",
                             **(files or {})})


def built(root, use_cache: bool = True, output=None) -> dict[str, bytes]:
    output = output or root / "output"
    build(BuildOptions(root=root, output=output, now=dates.parse_now(NOW), use_cache=use_cache, workers=1))
    return tree_bytes(output)


def shared_file(user_cache, name: str, folder=REPO / "templates"):
    key = jinja2.FileSystemBytecodeCache().get_cache_key(name, str(folder / name))
    return user_cache / cache_version()[:16] / f"__jinja2_{key}.cache"


def test_a_new_site_and_a_build_without_a_cache_compile_no_template_the_first_site_compiled(
        tmp_path, user_cache, compiled):
    first = built(new_site(tmp_path / "eerste"))
    assert "page.html" in compiled and "base.html" in compiled
    assert shared_file(user_cache, "page.html").is_file()
    compiled.clear()
    second = built(new_site(tmp_path / "tweede"))
    without_cache = built(new_site(tmp_path / "derde"), use_cache=False)
    assert compiled == []
    # What they make is what compiling every template makes (the shared folder emptied, then built again).
    for folder in user_cache.iterdir():
        for path in folder.iterdir():
            path.unlink()
    assert built(new_site(tmp_path / "vierde"), use_cache=False) == without_cache == first
    assert "page.html" in compiled
    assert second == first
    # The second site's own cache holds what its build used, as a cache whose build compiled them.
    kept = tmp_path / "tweede" / ".cache" / "jinja"
    assert kept.is_dir() and any(kept.iterdir())


def test_a_site_template_of_the_same_name_is_its_own_and_an_edit_is_compiled_again(tmp_path, user_cache, compiled):
    built(new_site(tmp_path / "gewoon"))
    own = "{% extends 'standaard/page.html' %}{% block content %}<p>EIGEN-SJABLOON</p>{% endblock %}\n"
    site = new_site(tmp_path / "eigen", {"templates/page.html": own})
    compiled.clear()
    made = built(site, use_cache=False)
    assert compiled == ["page.html"]  # the site's own page.html; the generator's base.html came compiled
    assert b"EIGEN-SJABLOON" in made["over/index.html"]
    (site / "templates" / "page.html").write_text(own.replace("EIGEN-SJABLOON", "ANDERS"), encoding="utf-8")
    assert b"ANDERS" in built(site, use_cache=False)["over/index.html"]


@pytest.fixture
def no_hang():
    """A read that waits for ever (a FIFO) is broken off after 10 s, and fails the test (the build may get
    over the error it raises: it drops the cache and builds anew)."""
    waited = []

    def give_up(signum, frame):
        waited.append(True)
        raise TimeoutError("the build waited on a compiled template's file")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)
    assert waited == [], "the build waited on a FIFO"


@pytest.mark.parametrize("damage", ["not-ours", "our-key-id-forged", "folder", "other-key", "fifo", "link-to-fifo"])
def test_a_wrong_file_in_the_shared_folder_never_runs_and_is_replaced(tmp_path, user_cache, compiled, no_hang,
                                                                       damage):
    expected = built(new_site(tmp_path / "eerste"))
    target = shared_file(user_cache, "page.html")
    marker = tmp_path / "RAN"
    code = compile(f"open({str(marker)!r}, 'w').close()\n", "page.html", "exec")
    body = jinja2.bccache.bc_magic + marshal.dumps(code)
    key = (user_cache.parent / bytecode.KEY_FILE).read_bytes()
    guessed = os.urandom(32)
    key_id = bytecode._key_id(guessed if damage == "other-key" else key)
    target.unlink()
    if damage == "folder":
        target.mkdir()
    elif damage == "fifo":
        os.mkfifo(target)
    elif damage == "link-to-fifo":
        os.mkfifo(tmp_path / "pijp")
        target.symlink_to(tmp_path / "pijp")
    elif damage == "not-ours":
        target.write_bytes(body)
    else:  # signed with a key that is not this user's, under this key's id or its own
        target.write_bytes(bytecode._MAGIC + key_id + bytecode._sign(guessed, "x", body) + body)
    compiled.clear()
    result = built(new_site(tmp_path / "tweede"))
    assert not marker.exists()
    assert compiled == ["page.html"] and result == expected
    if damage not in ("folder", "fifo", "link-to-fifo"):
        assert target.read_bytes().startswith(bytecode._MAGIC + bytecode._key_id(key))  # compiled, signed again


def test_the_folders_of_older_versions_are_removed_but_the_last_few(tmp_path, user_cache):
    user_cache.mkdir(parents=True)
    for n in range(bytecode.KEPT_VERSIONS + 2):
        old = user_cache / f"oud{n}"
        old.mkdir()
        os.utime(old, (1_000_000 + n, 1_000_000 + n))
    built(new_site(tmp_path / "site"))
    kept = sorted(p.name for p in user_cache.iterdir())
    assert kept == sorted([cache_version()[:16]] + [f"oud{n}" for n in range(2, bytecode.KEPT_VERSIONS + 2)])


def test_without_a_usable_key_the_shared_folder_stays_empty(tmp_path, user_cache, compiled):
    built(new_site(tmp_path / "eerste"))
    (user_cache.parent / bytecode.KEY_FILE).chmod(0o666)  # others may write it: not trusted
    for folder in user_cache.iterdir():
        for path in folder.iterdir():
            path.unlink()
    compiled.clear()
    built(new_site(tmp_path / "tweede"), use_cache=False)
    assert "page.html" in compiled
    assert [p for folder in user_cache.iterdir() for p in folder.iterdir()] == []


@pytest.mark.parametrize("damage", ["fifo", "link-to-fifo"])
def test_a_fifo_or_a_link_in_the_sites_compiled_templates_is_damage_never_waited_on(tmp_path, user_cache, no_hang,
                                                                                    damage):
    """The site's .cache/ may come from a stranger (a restored CI cache): such a file there makes the build
    drop the cache and build anew, as any damage does, without reading it."""
    site = new_site(tmp_path / "site")
    expected = built(site)
    key = jinja2.FileSystemBytecodeCache().get_cache_key("page.html", str(REPO / "templates" / "page.html"))
    target = site / ".cache" / "jinja" / f"__jinja2_{key}.cache"
    target.unlink()
    os.mkfifo(tmp_path / "pijp")
    os.mkfifo(target) if damage == "fifo" else target.symlink_to(tmp_path / "pijp")
    (site / "content" / "over.md").write_text("---\ntitle: Over ons\ndescription: Wie wij zijn.\n---\n\nWij samen.\n")
    made = built(site)
    assert b"Wij samen." in made["over/index.html"] and made != expected
    assert made == built(site, use_cache=False, output=tmp_path / "clean")
    assert target.is_file() and not target.is_symlink()  # the cache made again, the file compiled again


def test_a_link_in_place_of_the_sites_compiled_templates_folder_is_replaced_not_written_through(tmp_path, user_cache):
    site = new_site(tmp_path / "site")
    built(site)
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    folder = site / ".cache" / "jinja"
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()
    folder.symlink_to(elsewhere, target_is_directory=True)
    (site / "content" / "over.md").write_text("---\ntitle: Over ons\ndescription: Wie wij zijn.\n---\n\nWij samen.\n")
    assert built(site) == built(site, use_cache=False, output=tmp_path / "clean")
    assert list(elsewhere.iterdir()) == []
    assert folder.is_dir() and not folder.is_symlink() and any(folder.iterdir())
