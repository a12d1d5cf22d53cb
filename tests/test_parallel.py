"""Work spread over forked processes gives exactly what one process gives."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import pytest

from conftest import NOW, REPO, tree_bytes
from sitegen.core import dates
from sitegen.incremental import parallel
from sitegen.pipeline import BuildOptions, build

sys.path.insert(0, str(REPO / "bench"))
from synth import generate  # noqa: E402  (the benchmark's synthetic site: enough pages for a pool)


def test_fork_map_keeps_order_runs_closures_and_uses_other_processes():
    base = 10
    results = parallel.fork_map(lambda n: (n + base, os.getpid()), list(range(300)), workers=2, minimum=10)
    assert [value for value, _ in results] == list(range(10, 310))
    assert {pid for _, pid in results} - {os.getpid()}  # the work was done elsewhere


def test_fork_map_stays_in_this_process_for_little_work_or_one_worker():
    for workers, items in ((2, list(range(5))), (1, list(range(300)))):
        assert {pid for pid in parallel.fork_map(lambda n: os.getpid(), items, workers, minimum=10)} == {os.getpid()}


@pytest.mark.slow
def test_a_parallel_build_equals_a_build_in_one_process(tmp_path):
    site = tmp_path / "site"
    generate(site, pages=150, events=120, newsletters=10)
    trees = []
    for workers in (1, 2):
        out = tmp_path / f"out-{workers}"
        build(BuildOptions(root=site, output=out, now=dates.parse_now(NOW), use_cache=False, workers=workers))
        trees.append(tree_bytes(out))
    assert len(trees[0]) > 600 and trees[0] == trees[1]


@pytest.mark.slow
def test_a_template_change_rerenders_in_parallel_from_the_cache_as_from_scratch(tmp_path):
    """The workers read stored page bodies through their own connection to the cache."""
    site = tmp_path / "site"
    generate(site, pages=150, events=120, newsletters=10)
    options = dict(root=site, now=dates.parse_now(NOW), workers=2)
    build(BuildOptions(output=tmp_path / "cached", **options))
    templates = site / "templates"
    templates.mkdir(exist_ok=True)
    page = (REPO / "templates" / "page.html").read_text(encoding="utf-8")
    (templates / "page.html").write_text(page.replace("</article>", "<p>Nieuw sjabloon.</p></article>", 1),
                                         encoding="utf-8")
    build(BuildOptions(output=tmp_path / "cached", **options))
    build(BuildOptions(output=tmp_path / "clean", use_cache=False, **options))
    cached, clean = tree_bytes(tmp_path / "cached"), tree_bytes(tmp_path / "clean")
    assert cached == clean
    assert sum(b"Nieuw sjabloon." in data for data in cached.values()) > 100


def _problems(site, tmp_path, workers):
    from sitegen.core.errors import ContentError

    try:
        build(BuildOptions(root=site, output=tmp_path / f"out-{workers}", now=dates.parse_now(NOW),
                           use_cache=False, workers=workers))
    except ContentError as exc:
        return sorted(problem.format() for problem in exc.problems)
    return None


@pytest.mark.slow
def test_a_template_error_reads_the_same_when_pages_are_rendered_in_parallel(tmp_path):
    """A worker's error is not sent back between processes: the page is rendered again in the build."""
    site = tmp_path / "site"
    generate(site, pages=120, events=10, newsletters=10)
    (site / "templates").mkdir(exist_ok=True)
    page = (REPO / "templates" / "page.html").read_text(encoding="utf-8")
    for broken in (page.replace("{% endif %}", "{% endfi %}", 1), page.replace("page.title }}", "page.titel }}", 1)):
        (site / "templates" / "page.html").write_text(broken, encoding="utf-8")
        alone = _problems(site, tmp_path, 1)
        assert alone and "templates/page.html" in " ".join(alone)
        assert _problems(site, tmp_path, 2) == alone


INTERRUPTED_POOL = """
import os, sys, time
sys.path.insert(0, sys.argv[1])
from sitegen.incremental import parallel

def slow(item):
    time.sleep(1.5)
    return "x" * 200_000  # more than a pipe holds: the worker blocks until someone reads

try:
    parallel.fork_map(slow, list(range(4)), workers=2, minimum=1)
except KeyboardInterrupt:
    print("interrupted", flush=True)
"""


def test_an_interrupted_pool_ends_with_its_workers(tmp_path):
    """Ctrl-C sent to the build alone (a `kill -INT`, a CI runner cancelling a job), not to its workers:
    the build must stop, not wait for ever on workers that are blocked writing results nobody reads."""
    import signal
    import subprocess
    import time

    script = tmp_path / "pool.py"
    script.write_text(INTERRUPTED_POOL, encoding="utf-8")
    process = subprocess.Popen([sys.executable, str(script), str(REPO)], stdout=subprocess.PIPE, text=True)
    try:
        time.sleep(0.8)  # the workers are forked and sleeping
        children = [int(pid) for pid in
                    (Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split())]
        assert len(children) == 2
        os.kill(process.pid, signal.SIGINT)
        out, _ = process.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        pytest.fail("the interrupted build waited for ever on its workers")
    assert out.strip() == "interrupted"
    for pid in children:  # no worker left behind
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()
