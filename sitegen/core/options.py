"""The options of one build (stdlib only, so the no-change check needs no heavy imports)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class BuildOptions:
    root: Path
    output: Path
    now: dt.datetime
    base_url: str | None = None
    drafts: bool = False
    use_cache: bool = True  # read and write the persistent cache in <site>/.cache/
    workers: int = 0  # processes for Markdown; 0 means one per core
    search: bool = True  # build the search index (zoekindex/)
    demo: bool = False  # also the example activities (example: true): build --demo, serve and redactie
    cms_proxy: str | None = None  # make redactie: the web editor saves through the preview's own backend (tools/editor_backend.py) at this URL
    # serve: the only files (absolute paths) that may have changed since the last build in this process, as
    # the file watcher saw them; None: any (source/unchanged.py StatKeys). Changes no output: not in settings().
    changed: frozenset[str] | None = None

    def settings(self) -> str:
        """Everything besides the input files that changes the output."""
        return repr((str(self.output), self.now.isoformat(), self.base_url, self.drafts, self.search,
                     self.cms_proxy, self.demo))
