"""The no-change check: when no input and no setting changed since the last build, there is nothing to do.

It imports only the standard library and our light modules, so a no-change rebuild takes a fraction
of a second even for a large site.
"""

from __future__ import annotations

from .cache import load_state
from .version import fingerprint, vendored_files
from .store import CacheDamaged
from ..core.options import BuildOptions
from ..core.paths import GENERATOR_ROOT, site_paths
from ..write.spare import output_intact, work_dir


def input_fingerprint(options: BuildOptions) -> str:
    """Name, size and change time of every input, with the build's settings: the site's files and the
    vendored ones the build copies (a new decap-cms.js is a change like any other)."""
    paths = site_paths(options.root)
    return fingerprint(paths.root, (paths.content, *paths.templates, *paths.static), options.settings(),
                       tuple(vendored_files((paths.root, GENERATOR_ROOT))))


def unchanged_build(options: BuildOptions) -> tuple[dict | None, str | None, bool]:
    """(the last build's state when it is still exactly what this build would make, else None;
    the inputs' fingerprint, taken before anything is read, for the build to save; None without a cache;
    whether the state file was damaged, for the build to drop the cache: this check holds no lock)."""
    if not options.use_cache:
        return None, None, False
    try:
        state = load_state(options.root)
    except CacheDamaged:
        return None, input_fingerprint(options), True
    fingerprint = input_fingerprint(options)
    work = work_dir(options.output, options.root)
    if state and state.get("fingerprint") == fingerprint and output_intact(options.output, state["manifest"], work):
        return state, fingerprint, False
    return None, fingerprint, False
