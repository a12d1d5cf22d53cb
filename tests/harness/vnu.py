"""Run the Nu HTML Checker (vnu.jar from the npm package ``vnu-jar``) in ONE JVM.

    from harness.vnu import check_html, check_css, format_messages

    errors = check_html(sorted(output_dir.rglob("*.html")))
    assert errors == [], format_messages(errors)

    # HTML + CSS (+ SVG) in a single JVM start, type by file extension:
    errors = check_all([*output_dir.rglob("*.html"), *output_dir.rglob("*.css")])

Each message is a dict::

    {"file": "/abs/path/page.html", "line": 12, "column": 5,
     "type": "error", "message": "...", "extract": "..."}

Only errors are reported (``--errors-only``): warnings and info are dropped.
A file the checker cannot read yields a message of type "non-document-error".
Starting the JVM costs ~2 s, so pass all files in one call.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.parse
import urllib.request
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from . import INSTALL_HINT, REPO_ROOT

# Linux allows ~2 MiB of argv+env; stay well below by splitting huge file lists.
_MAX_ARGV_CHARS = 500_000


class VnuNotAvailable(RuntimeError):
    """vnu.jar or Java is missing."""


@lru_cache(maxsize=1)
def vnu_jar() -> Path:
    """Locate vnu.jar: $VNU_JAR, then <repo>/node_modules/vnu-jar, then node's resolver."""
    candidates: list[Path] = []
    if os.environ.get("VNU_JAR"):
        candidates.append(Path(os.environ["VNU_JAR"]))
    candidates.append(REPO_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar")
    for c in candidates:
        if c.is_file():
            return c
    node = shutil.which("node")
    if node:
        # The package's main module exports the jar's path as a string.
        try:
            out = subprocess.run(
                [node, "-e", "process.stdout.write(String(require('vnu-jar')))"],
                cwd=REPO_ROOT, capture_output=True, text=True, timeout=30,
            )
            if out.returncode == 0 and out.stdout and Path(out.stdout).is_file():
                return Path(out.stdout)
        except (OSError, subprocess.SubprocessError):
            pass
    raise VnuNotAvailable(
        f"vnu.jar not found (looked in {candidates[-1]} and via node's require('vnu-jar')); "
        f"{INSTALL_HINT}"
    )


@lru_cache(maxsize=1)
def java() -> str:
    exe = os.environ.get("JAVA") or shutil.which("java")
    if not exe:
        raise VnuNotAvailable(f"java not found on PATH; {INSTALL_HINT}")
    return exe


def _chunks(paths: list[str]) -> Iterable[list[str]]:
    chunk: list[str] = []
    size = 0
    for p in paths:
        if chunk and size + len(p) + 1 > _MAX_ARGV_CHARS:
            yield chunk
            chunk, size = [], 0
        chunk.append(p)
        size += len(p) + 1
    if chunk:
        yield chunk


def _url_to_file(url: str | None) -> str:
    if not url:
        return ""
    if url.startswith("file:"):
        return urllib.request.url2pathname(urllib.parse.urlsplit(url).path)
    return url


def _run(paths: Iterable[str | os.PathLike], extra_args: list[str]) -> list[dict]:
    files = [str(Path(p).resolve()) for p in paths]
    if not files:
        return []
    missing = [f for f in files if not Path(f).is_file()]
    if missing:
        raise FileNotFoundError(f"vnu: no such file(s): {missing[:5]}")
    jar = vnu_jar()
    messages: list[dict] = []
    for chunk in _chunks(files):
        # TieredStopAtLevel=1: the quick compiler only. One short run never repays the optimising
        # compiler's work; the same messages for half the CPU time (measured on the real site's 127 files).
        cmd = [java(), "-Xss8m", "-XX:TieredStopAtLevel=1", "-jar", str(jar), "--format", "json", "--errors-only",
               "--exit-zero-always", *extra_args, *chunk]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
        # vnu writes its JSON report to stderr (stdout stays empty).
        raw = proc.stderr.strip() or proc.stdout.strip()
        try:
            report = json.loads(raw) if raw else {"messages": []}
        except json.JSONDecodeError as exc:
            raise RuntimeError(
                f"vnu produced no JSON (exit {proc.returncode}): {raw[:2000]}"
            ) from exc
        for m in report.get("messages", []):
            if m.get("type") == "info":
                continue
            messages.append({
                "file": _url_to_file(m.get("url")),
                "line": m.get("lastLine", m.get("firstLine")),
                "column": m.get("firstColumn", m.get("lastColumn")),
                "type": f"{m.get('type', '')}:{m['subType']}" if m.get("subType") else m.get("type", ""),
                "message": m.get("message", ""),
                "extract": m.get("extract", ""),
            })
    return messages


def check_html(paths: Iterable[str | os.PathLike]) -> list[dict]:
    """Validate HTML files (one JVM for all of them); return the error messages."""
    return _run(paths, ["--html"])


def check_css(paths: Iterable[str | os.PathLike]) -> list[dict]:
    """Validate CSS files (one JVM for all of them); return the error messages."""
    return _run(paths, ["--css"])


def check_all(paths: Iterable[str | os.PathLike]) -> list[dict]:
    """Validate a mix of .html, .css and .svg files in ONE JVM (type chosen by extension)."""
    return _run(paths, ["--also-check-css", "--also-check-svg"])


def format_messages(messages: list[dict], root: str | os.PathLike | None = None) -> str:
    """Readable one-line-per-message text, for assertion messages."""
    lines = []
    for m in messages:
        f = m["file"]
        if root:
            try:
                f = str(Path(f).relative_to(Path(root).resolve()))
            except ValueError:
                pass
        lines.append(f"{f}:{m['line']}:{m['column']}: [{m['type']}] {m['message']}")
    return "\n".join(lines)
