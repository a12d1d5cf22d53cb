"""Time the dev server's rebuild after a one-page edit, in process (run by bench/run.py).

`build.py serve` keeps the incremental engine in memory; this measures what an editor waits for
between saving a file and the browser reloading, without the server's own HTTP part."""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sitegen.core import dates  # noqa: E402
from sitegen.core.options import BuildOptions  # noqa: E402
from sitegen.tools.serve.live import LiveSite  # noqa: E402


def main(site: Path, rounds: int = 5) -> None:
    live = LiveSite(BuildOptions(root=site, output=site / "output", now=dates.parse_now("2026-11-23T12:00")),
                    log=lambda *args: None)
    live.rebuild()
    page = site / "content" / "sectie4" / "pagina4.md"
    times = []
    for round_ in range(rounds):
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("## Deel 1\n", f"## Deel 1\n\nServe-wijziging {round_}.\n", 1), encoding="utf-8")
        started = time.perf_counter()
        snapshot = live.rebuild()
        times.append(time.perf_counter() - started)
        assert not snapshot.failed and f"Serve-wijziging {round_}." in snapshot.files["sectie4/pagina4/index.html"].decode()
    print(json.dumps({"serve_edit_body": statistics.median(times)}))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
