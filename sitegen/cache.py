"""The persistent build cache in <site>/.cache/: stdlib only, so a no-change build can stop early.

Two files: state.pickle (small: the fingerprint of every input, the output manifest and the summary
of the last build) and sitegen.pickle (large: conversions, hints and rendered pages by content hash).
A missing, truncated or foreign file is ignored and rebuilt; nothing in it can change the result,
only how much work a build redoes (tests/test_cache.py).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

CACHE_DIR = ".cache"
CACHE_FILE = "sitegen.pickle"
STATE_FILE = "state.pickle"
GENERATOR = Path(__file__).resolve().parent


def _version() -> str:
    """Anything that changes what a cached entry means: our code and the converters' versions."""
    digest = hashlib.sha256()
    for path in sorted(GENERATOR.glob("*.py")):
        stat = path.stat()
        digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    for package in ("markdown", "nh3", "jinja2", "icalendar", "feedgen"):
        try:
            digest.update(f"{package}={metadata.version(package)};".encode())
        except metadata.PackageNotFoundError:
            pass
    return digest.hexdigest()


@dataclass
class BuildCache:
    """What earlier builds computed, by content hash. Entries a build did not use are dropped."""

    conversions: dict = field(default_factory=dict)  # key -> (lookups, Conversion)
    hints: dict = field(default_factory=dict)  # key -> list[Problem]
    renders: dict = field(default_factory=dict)  # key -> list[Output]
    outputs: dict = field(default_factory=dict)  # output folder -> manifest (path -> digest)
    used: set = field(default_factory=set)

    @classmethod
    def load(cls, root: Path) -> "BuildCache":
        """The cache of a site; an empty one when it is missing, corrupt or from another version."""
        try:
            with (root / CACHE_DIR / CACHE_FILE).open("rb") as handle:
                data = pickle.load(handle)
            if not isinstance(data, dict) or data.get("version") != _version():
                return cls()
            return cls(conversions=dict(data["conversions"]), hints=dict(data["hints"]),
                       renders=dict(data["renders"]), outputs=dict(data["outputs"]))
        except Exception:  # truncated, corrupt or unreadable: rebuild it
            return cls()

    def prune(self) -> None:
        """Forget entries the last build did not use (an in-memory cache would otherwise only grow)."""
        self.conversions = {k: v for k, v in self.conversions.items() if k in self.used}
        self.hints = {k: v for k, v in self.hints.items() if k in self.used}
        self.renders = {k: v for k, v in self.renders.items() if k in self.used}

    def save(self, root: Path, outputs: dict[str, dict], state: dict) -> None:
        """Write the entries this build used and the build's state, each atomically."""
        self.prune()
        folder = root / CACHE_DIR
        folder.mkdir(exist_ok=True)
        (folder / ".gitignore").write_text("*\n", encoding="utf-8")
        version = _version()
        _dump(folder / CACHE_FILE, {"version": version, "conversions": self.conversions, "hints": self.hints,
                                    "renders": self.renders, "outputs": outputs})
        _dump(folder / STATE_FILE, {"version": version, **state})


def _dump(path: Path, data: dict) -> None:
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with temporary.open("wb") as handle:
        pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, path)


def load_state(root: Path) -> dict | None:
    try:
        with (root / CACHE_DIR / STATE_FILE).open("rb") as handle:
            state = pickle.load(handle)
        return state if isinstance(state, dict) and state.get("version") == _version() else None
    except Exception:
        return None


def fingerprint(root: Path, folders: tuple[Path, ...], settings: str) -> str:
    """Name, size and change time of every input file, with the build's settings: equal means no change."""
    digest = hashlib.sha256(settings.encode("utf-8"))
    for folder in folders:
        for base, dirs, files in os.walk(folder):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(base, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue
                digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    config = root / "site.yaml"
    if config.exists():
        stat = config.stat()
        digest.update(f"site.yaml\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def clean_cache(root: Path) -> bool:
    """Remove a site's cache folder; False when there was none."""
    folder = root / CACHE_DIR
    if (folder / ".gitignore").is_file() or (folder / CACHE_FILE).is_file():
        shutil.rmtree(folder)
        return True
    return False
