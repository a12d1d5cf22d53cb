#!/usr/bin/env python3
"""The CPU time of a one-page edit rebuild, this tree against a commit, alternating (a script, not a test).

    python bench/edit_cpu.py --against REV [--pages 1000] [--rounds 10]

bench/run.py --against compares wall times, which on a machine shared with other work (a load of 4 to 8 on
2 cores while developing) vary by more than a change of 5-10 % makes. This times the same builds by the CPU
time of the build process (user + system, from wait4), which other processes disturb far less: a build's
share of a busy machine stretches its wall time, not the work it does. Each tree gets its own copy of one
synthetic site, a cold build and a no-change build first, then the trees take turns: one body edit of the
same page, one build. Prints the median and the lowest CPU and wall seconds of each, and their ratio.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from run import ENV, NOW, OUT, REPO, age, edit
from synth import generate


def build(repo: Path, site: Path) -> tuple[float, float]:
    """CPU seconds (user + system) and wall seconds of one build.py process."""
    command = [sys.executable, str(repo / "build.py"), "--site", str(site), "--now", NOW, "-q"]
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: a build's warnings could fill a pipe
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, env=ENV)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            raise SystemExit(f"command failed: {' '.join(command)}\n{errors.read().decode()[-3000:]}")
    return usage.ru_utime + usage.ru_stime, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--against", required=True, metavar="REV", help="the commit to compare with")
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    other = OUT / "edit-cpu-against"
    subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(other)], capture_output=True)
    subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(other), args.against], check=True,
                   capture_output=True)
    trees = {"before": other, "after": REPO}
    try:
        source = OUT / f"edit-cpu-site-{args.pages}"
        shutil.rmtree(source, ignore_errors=True)
        generate(source, pages=args.pages, events=args.pages // 2, newsletters=max(10, args.pages // 10))
        for name, repo in trees.items():
            copy = OUT / f"edit-cpu-{name}"
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(source, copy, symlinks=True)
            age(copy)
            build(repo, copy)  # cold
            build(repo, copy)  # no change
        figures: dict[str, dict[str, list[float]]] = {name: {"cpu": [], "wall": []} for name in trees}
        for round_ in range(args.rounds):
            for name, repo in trees.items():
                copy = OUT / f"edit-cpu-{name}"
                edit(copy / "content" / "sectie3" / "pagina3.md", "## Deel 1\n", f"## Deel 1\n\nZin {round_}.\n")
                cpu, wall = build(repo, copy)
                figures[name]["cpu"].append(cpu)
                figures[name]["wall"].append(wall)
    finally:
        subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(other)], capture_output=True)
    for name in trees:
        cpu, wall = figures[name]["cpu"], figures[name]["wall"]
        print(f"{name:7} cpu median {statistics.median(cpu):.3f} s, lowest {min(cpu):.3f} s; "
              f"wall median {statistics.median(wall):.3f} s, lowest {min(wall):.3f} s")
    ratio = statistics.median(figures["after"]["cpu"]) / statistics.median(figures["before"]["cpu"])
    print(f"cpu ratio after/before (medians): {ratio:.3f}")


if __name__ == "__main__":
    main()
