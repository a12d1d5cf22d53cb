"""What the local web editor may read and write: exactly the folders and files its collections name.

The rules come from the /admin/config.yml the build made for Decap CMS (render/cms.py), the document the
editor itself works from: each folder collection's folder (its entries directly in it, or down to its
`nested` depth, with the collection's extension), each file of a files collection, and for media files
(of the kinds in MEDIA_SUFFIXES only) the media folder and the collection folders (a field with its own
relative media_folder keeps a file beside its entry). A file of a files collection (site.yaml) may be
saved, but only the top-level keys its form names change (`keys_of`; the save is merged, see
editor_backend_merge), and it is never moved or deleted: the rest of that file, such as where the site is
published, stays out of the editor's reach. A name that starts with a dot, `..`, a backslash or an absolute
path is never allowed, and neither is the site's own folder: the generator's code, templates, workflows and
cache are not named by any collection, so they are out of reach.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from .serve.safefs import Refused, parts_of

# What an editor attaches to a page or an activity: pictures, documents, sound and film. Not SVG (it can
# carry script) and not HTML, markdown or YAML (a page is saved as an entry, checked against its collection).
MEDIA_SUFFIXES = frozenset({
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif",
    ".pdf", ".docx", ".odt", ".xlsx", ".ods", ".pptx", ".odp", ".txt",
    ".mp3", ".m4a", ".ogg", ".mp4", ".webm",
})
MAX_DEPTH = 8  # folders below a media folder or a nested collection's folder
FORMAT_EXTENSIONS = {"yml": "yml", "yaml": "yml", "toml": "toml", "json": "json"}  # Decap's defaults


def clean_parts(path: object, folder: bool = False) -> tuple[str, ...] | None:
    """The names of a relative path when it is plain (no dot-names, no `..`, no backslash); None otherwise.

    A folder may end with a slash."""
    try:
        parts = parts_of(path.rstrip("/") if folder and isinstance(path, str) else path)
    except Refused:
        return None
    if any(part.startswith(".") for part in parts):
        return None
    return parts


@dataclass(frozen=True)
class Collection:
    """A folder collection: its folder, the extension of its entries, how deep they may be."""

    folder: tuple[str, ...]
    extension: str
    depth: int

    def holds(self, parts: tuple[str, ...]) -> bool:
        below = parts[len(self.folder):]
        return (parts[:len(self.folder)] == self.folder and 1 <= len(below) <= self.depth
                and below[-1].endswith("." + self.extension) and len(below[-1]) > len(self.extension) + 1)


@dataclass(frozen=True)
class Rules:
    """The paths the editor's collections name (see the module's docstring)."""

    collections: tuple[Collection, ...]
    files: frozenset[tuple[str, ...]]
    media: tuple[tuple[str, ...], ...]
    file_keys: tuple[tuple[tuple[str, ...], frozenset[str]], ...] = ()

    def keys_of(self, path: object) -> frozenset[str] | None:
        """The top-level keys a files collection's form may change in this file; None: a whole entry."""
        parts = clean_parts(path)
        found = [keys for file, keys in self.file_keys if file == parts]
        return frozenset().union(*found) if found else None

    def entry(self, path: object) -> bool:
        """An entry's file: in a collection's folder with its extension, or a files collection's file."""
        parts = clean_parts(path)
        return parts is not None and (parts in self.files or any(c.holds(parts) for c in self.collections))

    def media_file(self, path: object) -> bool:
        """A picture or document in (or below) the media folder or a collection's folder."""
        parts = clean_parts(path)
        if parts is None or not parts[-1].lower().endswith(tuple(MEDIA_SUFFIXES)):
            return False
        return any(parts[:len(root)] == root and 1 <= len(parts) - len(root) <= MAX_DEPTH for root in self.media)

    def entry_folder(self, folder: object, extension: object, depth: object) -> bool:
        """A listing of entries: a collection's own folder and extension, no deeper than it nests."""
        parts = clean_parts(folder, folder=True)
        return (parts is not None and isinstance(depth, int) and not isinstance(depth, bool)
                and any(c.folder == parts and c.extension == extension and 1 <= depth <= c.depth
                        for c in self.collections))

    def media_folder(self, folder: object) -> bool:
        """A listing of media files: the media folder, a collection's folder, or a folder below one."""
        parts = clean_parts(folder, folder=True)
        return parts is not None and any(
            parts[:len(root)] == root and len(parts) - len(root) < MAX_DEPTH for root in self.media)


def _collection(spec: dict) -> Collection | None:
    folder = clean_parts(spec.get("folder"), folder=True)
    if folder is None:
        return None
    extension = spec.get("extension") or FORMAT_EXTENSIONS.get(spec.get("format"), "md")
    nested = spec.get("nested")
    depth = nested.get("depth", 1) if isinstance(nested, dict) else 1
    if not isinstance(extension, str) or clean_parts(extension) is None or not isinstance(depth, int):
        return None
    return Collection(folder, extension, max(1, min(depth, MAX_DEPTH)))


def rules_from_config(text: bytes) -> Rules:
    """The Rules of Decap's config.yml (as the build wrote it); a part it cannot read allows nothing."""
    config = yaml.safe_load(text) or {}
    collections, files, media, file_keys = [], set(), [], []
    for spec in config.get("collections") or []:
        if not isinstance(spec, dict):
            continue
        if "folder" in spec:
            collection = _collection(spec)
            if collection is not None:
                collections.append(collection)
                media.append(collection.folder)
        for item in spec.get("files") or []:
            parts = clean_parts(item.get("file")) if isinstance(item, dict) else None
            if parts is not None:
                files.add(parts)
                names = [f.get("name") for f in item.get("fields") or [] if isinstance(f, dict)]
                file_keys.append((parts, frozenset(n for n in names if isinstance(n, str))))
    media_root = clean_parts(config.get("media_folder"), folder=True)
    if media_root is not None:
        media.append(media_root)
    return Rules(tuple(collections), frozenset(files), tuple(dict.fromkeys(media)), tuple(file_keys))
