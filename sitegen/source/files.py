"""The files a site copies beside its pages (content images and PDFs, static/, the web editor's program),
and the little the build reads from them: image sizes, the stylesheet's colours, the logo's first bytes.
Apart from load.py, which reads the pages and site.yaml, so that each of the two stays one job."""

from __future__ import annotations

from pathlib import Path

from ..core.paths import GENERATOR_ROOT, SitePaths
from ..core.errors import Problems
from .images import image_size
from .load import CONTENT_SUFFIXES, DATA_SUFFIXES, safe_files

SITE_OWN_STATIC = ("admin/",)  # static/admin/ (Decap CMS) belongs to this repository's own site


def content_files(paths: SitePaths, listing: list[Path]) -> list[tuple[str, Path]]:
    """Files beside the content that are copied as they are (images, PDFs): (path under content/, file).

    listing: content_listing()."""
    skipped = CONTENT_SUFFIXES | DATA_SUFFIXES
    return [(p.relative_to(paths.content).as_posix(), p) for p in listing if p.suffix.lower() not in skipped]


def static_files(paths: SitePaths, problems: Problems) -> list[tuple[str, Path]]:
    """Files from static/ folders, the site's own winning over the generator's defaults."""
    chosen: dict[str, Path] = {}
    own = paths.root / "static"
    for folder in paths.static:
        for path in safe_files(folder, paths, problems):
            rel = path.relative_to(folder).as_posix()
            if folder != own and rel.startswith(SITE_OWN_STATIC):
                continue  # the web editor's settings name one repository: never handed down to other sites
            chosen.setdefault(rel, path)
    return sorted(chosen.items())


CMS_DIST = Path("node_modules") / "decap-cms" / "dist"


def cms_dist(paths: SitePaths) -> Path | None:
    """Where the web editor's program is, as tools/npm_tools.py put it from package-lock.json: in the site's
    node_modules/, else the generator's. None when it is not installed."""
    for base in (paths.root, GENERATOR_ROOT):
        dist = base / CMS_DIST
        if (dist / "decap-cms.js").is_file():
            return dist
    return None


def cms_script_files(dist: Path) -> list[tuple[str, Path]]:
    """The web editor's program in dist (cms_dist()): decap-cms.js and the chunks it loads."""
    return [(f"admin/{p.name}", p) for p in sorted(dist.glob("*decap-cms.js"))]


IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp"}


def image_sizes(files: list[tuple[str, Path]]) -> dict[str, tuple[int, int]]:
    """Width and height of every image among the content files, keyed by its path under content/."""
    sizes = {}
    for rel, path in files:
        if path.suffix.lower() in IMAGE_SUFFIXES:
            with path.open("rb") as handle:
                size = image_size(handle.read(65536))
            if size:
                sizes[rel] = size
    return sizes


def logo_head(paths: SitePaths, logo: str | None):
    """The first bytes of the theme's logo in the site's static/ (None when it is not there), for theme.check_logo."""
    from .theme import LogoCheck

    if logo is None:
        return LogoCheck(None)
    path = (paths.root / "static" / logo).resolve()
    if not path.is_relative_to(paths.root / "static") or not path.is_file():
        return LogoCheck(None)
    with path.open("rb") as handle:
        return LogoCheck(handle.read(1024))


def stylesheet_text(static: list[tuple[str, Path]], rel: str = "css/site.css") -> str:
    """The site's stylesheet as text ("" without one): the theme reads its default colours."""
    path = dict(static).get(rel)
    return path.read_text(encoding="utf-8") if path is not None else ""
