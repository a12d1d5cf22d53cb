"""`build.py check --publish` (and `build --publish`): the gate before a site goes live.

A plain build and the preview show an unfinished site as it is: `[INVULLEN: ...]` in the text, example
activities marked as examples. That is what an editor wants to see while working. Publishing is another
matter: the publish check runs the whole check and adds, as errors, every
- `[INVULLEN: ...]` in site.yaml, in pages (drafts left out: they are not published), in the agenda, and in
  the site's own workflows (.github/workflows/, where init leaves a question it could not answer);
- example activity (`example: true`);
- sentence `build.py new` wrote (placeholders.INTROS) that is still there, also in news dated ahead, which
  the nightly build would publish unattended.
Everything is reported at once, each with its file, line and fix; nothing is written when one remains.
Reads through the loaders, except the workflow files, which are no part of the site's content.
"""

from __future__ import annotations

from pathlib import Path

from ..agenda.load import agenda_sources, load_events
from ..core.errors import ContentError, Location, Problem, Problems, relative_name
from ..core.options import BuildOptions
from ..core.paths import site_paths
from ..core.sections import SECTIONS, all_sections
from ..pipeline import BuildResult, generate
from ..source import load, placeholders

WORKFLOWS = Path(".github") / "workflows"


def publishable(options: BuildOptions) -> BuildResult:
    """The site's check result when it may go live; ContentError with every reason (build errors first among
    equals: a place the build already reports is not reported twice) when it may not."""
    try:
        result = generate(options)
        errors, warnings = [], result.warnings
    except ContentError as exc:
        result, errors, warnings = None, exc.problems, exc.warnings
    taken = {p.location for p in errors}
    found = [p for p in unfinished(options.root) if p.location not in taken]
    if errors or found:
        places = {p.location for p in found}
        raise ContentError(errors + found, [w for w in warnings if w.location not in places])
    return result


def unfinished(root: Path) -> list[Problem]:
    """Everything in the site that may be previewed but not published (see the module docstring)."""
    paths = site_paths(root)
    root = paths.root
    ignored = Problems()  # the build itself reports what is wrong in these files
    found = []
    config_text = _text(paths.config, root)
    if config_text is not None:
        found += placeholders.unpublishable_marks("site.yaml", placeholders.find(config_text))
    sections = all_sections(load.load_config(paths, ignored)) if paths.config.is_file() else SECTIONS
    sources, _ = load.load_pages(paths, ignored, load.content_listing(paths, ignored), sections=sections)
    for source in sources:
        if source.meta.get("draft", False):
            continue
        found += placeholders.unpublishable_marks(source.source, source.placeholders)
        for number, column, sentence in placeholders.placeholders_in(str(source.body)):
            found.append(placeholders.unpublishable_sentence(
                Location(source.source, source.body_line + number, column), sentence, "page"))
    for path in agenda_sources(paths, ignored):
        text = _text(path, root)
        if text is not None:
            found += placeholders.unpublishable_marks(relative_name(path, root), placeholders.find(text))
    for event in load_events(paths, ignored):
        if event.example:
            found.append(placeholders.unpublishable_example(event.at("example"), event.title))
        for _, _, sentence in placeholders.placeholders_in(event.description):
            found.append(placeholders.unpublishable_sentence(event.at("description"), sentence, "activity"))
    for path in sorted((root / WORKFLOWS).glob("*.y*ml")) if (root / WORKFLOWS).is_dir() else ():
        text = _text(path, root)
        if text is not None:
            found += placeholders.unpublishable_marks(path.relative_to(root).as_posix(), placeholders.find(text))
    return sorted(set(found))


def _text(path: Path, root: Path) -> str | None:
    """A file's text through the loader's reader; None when it cannot be read (the build says why)."""
    if not path.is_file():
        return None
    return load.read_text(path, relative_name(path, root), Problems())
