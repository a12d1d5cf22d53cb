"""Where a site's sources are: its own folders first, the generator's defaults after (stdlib only)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# The generator's own folder (templates/, static/, node_modules/ beside sitegen/).
GENERATOR_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class SitePaths:
    """Where a site's sources are, and the generator's own default templates and static files."""

    root: Path
    content: Path
    templates: tuple[Path, ...]
    static: tuple[Path, ...]
    config: Path


def site_paths(root: Path) -> SitePaths:
    """The site's own templates/ and static/ come first; the generator's defaults fill the gaps."""
    root = root.resolve()
    generator = GENERATOR_ROOT
    templates = [root / "templates"]
    static = [root / "static"]
    if root != generator:
        templates.append(generator / "templates")
        static.append(generator / "static")
    return SitePaths(
        root=root,
        content=root / "content",
        templates=tuple(p for p in templates if p.is_dir()),
        static=tuple(p for p in static if p.is_dir()),
        config=root / "site.yaml",
    )
