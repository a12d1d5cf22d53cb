#!/usr/bin/env python3
"""Where the CPU time of a one-page edit rebuild goes, phase by phase (a script, not a test).

    python bench/edit_phases.py [--pages 1000] [--rounds 5]

bench/edit_cpu.py gives the CPU time of the whole build process; this splits it. cProfile misleads here:
it multiplies the cost of every Python call (the codec's hooks, the step checks) by two to three, and a
profile taken in-process with the cyclic garbage collector on adds ~0.09 s that build.py never pays
(run_and_exit switches it off). So each round runs one build in a fresh process, as build.py does (gc off),
and times a few functions by CPU seconds (time.process_time) around their calls:

    imports          build.py and sitegen.pipeline (the modules an edit loads up front)
    no-change check  fastpath.unchanged_build (stat every input, read the state file)
    cache load       BuildCache.load, of which "read rows" (SQLite and the checksums) and "decode" (the
                     codec: the entries, and the state file's few milliseconds in the no-change check)
    step checks      Fingerprints.still: whether each render step's reads still have their fingerprints
    search index     render_search_index, of which "search revive" (the last build's index from the cache)
    write            write_site, of which "save cache"
    rest             everything else: reading and converting the edited page, modelling the site, rendering

The site is bench/synth.py's, edited as bench/edit_cpu.py edits it (one body sentence of one page). Prints
the median CPU seconds of each phase over the rounds.
"""

from __future__ import annotations

import argparse
import gc
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from run import ENV, NOW, OUT, REPO, age, edit
from synth import generate

PHASES = ("imports", "no-change check", "cache load", "read rows", "decode", "step checks", "search index",
          "search revive", "write", "save cache", "rest", "total")


def child(site: Path) -> None:
    """One build in this process, as build.py runs it; prints the CPU seconds of each phase as JSON."""
    gc.disable()
    clock = time.process_time
    started = clock()
    sys.path.insert(0, str(REPO))
    import build
    from sitegen import pipeline
    imported = clock() - started
    from sitegen.incremental import cache, codec, fastpath, reads, search_keep, store
    spent = dict.fromkeys(PHASES, 0.0)

    def timed(owner, name: str, phase: str) -> None:
        function = getattr(owner, name)

        def wrapper(*args, **kwargs):
            begun = clock()
            try:
                return function(*args, **kwargs)
            finally:
                spent[phase] += clock() - begun
        if isinstance(vars(owner).get(name), classmethod):  # BuildCache.load: function is bound already
            setattr(owner, name, classmethod(lambda cls, *args, **kwargs: wrapper(*args, **kwargs)))
        else:
            setattr(owner, name, wrapper)

    timed(fastpath, "unchanged_build", "no-change check")
    timed(cache.BuildCache, "load", "cache load")  # of which (below) the rows read and decoded in it
    timed(store.DiskStore, "entries", "read rows")
    timed(codec.Codec, "decode", "decode")
    timed(reads.Fingerprints, "still", "step checks")
    timed(pipeline, "render_search_index", "search index")
    timed(search_keep, "revived", "search revive")
    timed(pipeline, "write_site", "write")
    timed(cache.BuildCache, "save", "save cache")
    code = build.main(["--site", str(site), "--now", NOW, "-q"])
    if code:
        raise SystemExit(f"the build failed with exit code {code}")
    spent["imports"] = imported
    spent["total"] = clock() - started
    parts = ("imports", "no-change check", "cache load", "step checks", "search index", "write")
    spent["rest"] = spent["total"] - sum(spent[p] for p in parts)
    print(json.dumps(spent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child)
    site = OUT / f"edit-phases-{args.pages}"
    shutil.rmtree(site, ignore_errors=True)
    generate(site, pages=args.pages, events=args.pages // 2, newsletters=max(10, args.pages // 10))
    age(site)
    command = [sys.executable, str(REPO / "build.py"), "--site", str(site), "--now", NOW, "-q"]
    for _ in range(2):  # cold, then one edit: the spare output tree is there from then on
        subprocess.run(command, env=ENV, check=True, capture_output=True)
        edit(site / "content" / "sectie3" / "pagina3.md", "## Deel 1\n", "## Deel 1\n\nZin.\n")
    rounds = []
    for round_ in range(args.rounds):
        edit(site / "content" / "sectie3" / "pagina3.md", "## Deel 1\n", f"## Deel 1\n\nZin {round_}.\n")
        done = subprocess.run([sys.executable, __file__, "--child", str(site)], env=ENV, check=True,
                              capture_output=True, text=True)
        rounds.append(json.loads(done.stdout.strip().splitlines()[-1]))
    for phase in PHASES:
        indent = "  of which " if phase in ("read rows", "decode", "search revive", "save cache") else ""
        print(f"{indent + phase:28} {statistics.median(r[phase] for r in rounds):6.3f} s CPU")


if __name__ == "__main__":
    main()
