"""What every attack in tests/security/ checks: refused with exit 1 and the expected Dutch line, output/ as it
was, nothing secret in it, and quickly."""

from __future__ import annotations

import time
from pathlib import Path

from conftest import NOW, run_build, tree_bytes  # noqa: F401 (tests/ is on the path)

SECRET = "ghp_GEHEIMTOKEN_0123456789"  # as a deploy token would sit in .git/config


def with_previous_output(site: Path) -> dict[str, bytes]:
    """Give the site an output/ of an earlier build, and return its bytes."""
    output = site / "output"
    output.mkdir(exist_ok=True)
    (output / ".sitegen-output").write_text("van een vorige build")
    (output / "index.html").write_text("vorige site")
    return tree_bytes(output)


def plant_secrets(site: Path) -> None:
    """A token in .git/config and a file outside the site: what a link in a pull request would publish."""
    (site / ".git").mkdir(exist_ok=True)
    (site / ".git" / "config").write_text(f"[http]\n\textraheader = AUTHORIZATION: basic {SECRET}\n")


def assert_refused(site: Path, before: dict[str, bytes], expected: list[str], *args: str,
                   seconds: float = 20.0, main=None) -> str:
    """Build; exit 1 with every expected line (a prefix of it) in stderr, output/ untouched, within seconds.
    build.py runs as a process, or in this one when main is conftest's build_main."""
    started = time.monotonic()
    if main is None:
        result = run_build("--site", str(site), "--now", NOW, *args)
        code, stderr = result.returncode, result.stderr
    else:
        code, stderr = main("--site", str(site), "--now", NOW, *args)
    took = time.monotonic() - started
    assert code == 1, stderr
    for line in expected:
        assert line in stderr, f"{line!r} not in:\n{stderr}"
    assert "Traceback" not in stderr and "Programmafout" not in stderr, stderr
    assert tree_bytes(site / "output") == before, "a refused build must leave output/ as it was"
    assert took < seconds, f"the build took {took:.1f} s"
    return stderr


def published_bytes(output: Path) -> bytes:
    """Every byte of a built output folder, for 'no secret in the output' checks."""
    return b"".join(tree_bytes(output).values())
