"""The persistent cache never changes the result: any sequence of cached builds equals a clean build."""

import pickle
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import NOW, REPO, run_build, tree_bytes, write_tree
from sitegen import dates
from sitegen.cache import CACHE_DIR, CACHE_FILE, BuildCache
from sitegen.errors import ContentError
from sitegen.pipeline import BuildOptions, build

FIXTURE = Path(__file__).parent / "fixtures" / "golden_site"


def make_site(root: Path) -> Path:
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns(".cache", "output"))
    write_tree(root, {
        "content/over/samen.md": "---\ntitle: Samen\ndate: 2025-05-01\n---\n\n## Samen\n\nZie [oorzaken](oorzaken.md).\n",
        "content/agenda.yaml": "- id: koffie\n  title: Koffie\n  start: 2026-12-01 10:00\n  end: 11:00\n"
                               "  location:\n    name: Dorpshuis\n    place: Beilen\n",
        "templates/page.html": (REPO / "templates" / "page.html").read_text(encoding="utf-8"),
    })
    return root


def run(root: Path, output: Path, use_cache: bool):
    options = BuildOptions(root=root, output=output, now=dates.parse_now(NOW), use_cache=use_cache,
                           search=False, workers=1)
    try:
        build(options)
        return tree_bytes(output)
    except ContentError as exc:
        return sorted(p.format() for p in exc.problems)


EDITS = st.sampled_from(["body", "title", "date", "delete", "add", "template", "event", "slug", "link"])


def apply(root: Path, edit: str, n: int) -> None:
    page = root / "content" / "over" / "samen.md"
    if edit == "delete":
        if page.exists():
            page.unlink()
        return
    if not page.exists() or edit == "add":
        page.write_text(f"---\ntitle: Samen {n}\n---\n\nNieuw {n}.\n", encoding="utf-8")
        return
    text = page.read_text(encoding="utf-8")
    if edit == "body":
        text += f"\nExtra zin {n}.\n"
    elif edit == "title":
        text = text.replace("title: ", f"title: {n} ", 1)
    elif edit == "date":
        text = text.replace("---\n\n", f"updated: 2025-06-{1 + n % 28:02d}\n---\n\n", 1) if "updated" not in text else text
    elif edit == "slug":
        text = text.replace("---\n\n", f"slug: samen-{n}\n---\n\n", 1) if "slug" not in text else text
    elif edit == "link":
        text += f"\n[Wat helpt](wat-helpt.md) en [weg](weg-{n}.md).\n" if n % 2 else "\n[Home](../index.md)\n"
    elif edit == "template":
        template = root / "templates" / "page.html"
        template.write_text(template.read_text(encoding="utf-8") + f"{{# {n} #}}<!-- {n} -->\n", encoding="utf-8")
    elif edit == "event":
        agenda = root / "content" / "agenda.yaml"
        agenda.write_text(agenda.read_text(encoding="utf-8").replace("title: Koffie", f"title: Koffie {n}"),
                          encoding="utf-8")
    page.write_text(text, encoding="utf-8")
    # Also move a linked target's title, which other pages show in listings and breadcrumbs.
    target = root / "content" / "over" / "oorzaken.md"
    if edit == "title":
        target.write_text(target.read_text(encoding="utf-8").replace("title: Oorzaken", f"title: Oorzaken {n}"),
                          encoding="utf-8")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(EDITS, min_size=1, max_size=5))
def test_any_sequence_of_cached_builds_equals_a_clean_build(tmp_path_factory, edits):
    work = tmp_path_factory.mktemp("cache")
    root = make_site(work / "site")
    cached_out, clean_out = work / "cached", work / "clean"
    run(root, cached_out, use_cache=True)
    for n, edit in enumerate(edits):
        apply(root, edit, n)
        cached = run(root, cached_out, use_cache=True)
        clean = run(root, clean_out, use_cache=False)
        assert cached == clean, f"after edits {edits[:n + 1]}"


def test_second_build_converts_nothing_and_rewrites_nothing(tmp_path):
    root = make_site(tmp_path / "site")
    out = tmp_path / "out"
    run(root, out, use_cache=True)
    inodes = {p: p.stat().st_ino for p in out.rglob("*") if p.is_file()}
    cache = BuildCache.load(root)
    assert cache.conversions  # the conversions were kept
    run(root, out, use_cache=True)
    assert {p: p.stat().st_ino for p in out.rglob("*") if p.is_file()} == inodes


def test_corrupt_or_stale_cache_is_ignored(tmp_path):
    root = make_site(tmp_path / "site")
    out = tmp_path / "out"
    expected = run(root, out, use_cache=True)
    cache_file = root / CACHE_DIR / CACHE_FILE
    cache_file.write_bytes(cache_file.read_bytes()[:50])  # truncated
    assert run(root, tmp_path / "out2", use_cache=True) == expected
    cache_file.write_bytes(pickle.dumps({"version": "an older generator", "conversions": {}}))
    assert run(root, tmp_path / "out3", use_cache=True) == expected
    cache_file.write_bytes(b"not a pickle at all")
    assert run(root, tmp_path / "out4", use_cache=True) == expected


def test_no_cache_and_clean_from_the_command_line(tmp_path):
    root = make_site(tmp_path / "site")
    assert run_build("--site", str(root), "--now", NOW, "--no-cache", "--no-search").returncode == 0
    assert not (root / CACHE_DIR).exists()
    assert run_build("--site", str(root), "--now", NOW, "--no-search").returncode == 0
    assert (root / CACHE_DIR / CACHE_FILE).is_file()
    assert run_build("clean", "--site", str(root)).returncode == 0
    assert not (root / CACHE_DIR).exists() and not (root / "output").exists()
