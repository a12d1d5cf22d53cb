"""Helpers shared by the agenda tests: a small site with an agenda, built in-process through --now."""

from __future__ import annotations

import textwrap
from pathlib import Path

from conftest import MINIMAL_SITE_YAML, NOW, write_tree
from sitegen.core import dates
from sitegen.core.errors import ContentError
from sitegen.pipeline import BuildOptions, generate

AGENDA_SITE_YAML = MINIMAL_SITE_YAML.replace(
    "  - title: Home\n    page: index.md\n",
    "  - title: Home\n    page: index.md\n  - title: Agenda\n    url: /agenda/\n")
HOME = "---\ntitle: Welkom\ndescription: De beginpagina.\n---\n\nWelkom op de site.\n"


def agenda_site(root: Path, agenda: str | None, extra: dict | None = None) -> Path:
    """A site with content/agenda.yaml holding agenda (None: no such file), plus the extra files."""
    files = {"site.yaml": AGENDA_SITE_YAML, "content/index.md": HOME}
    if agenda is not None:
        files["content/agenda.yaml"] = agenda
    files.update(extra or {})
    return write_tree(root, files)


def build(root: Path, now: str = NOW, demo: bool = False):
    """generate() for the site: (result, None) or (None, the formatted problems). demo: with the example
    activities (example: true), as build --demo and serve show them."""
    options = BuildOptions(root=root, output=root / "output", now=dates.parse_now(now), demo=demo)
    try:
        return generate(options), None
    except ContentError as exc:
        return None, "\n".join(p.format() for p in exc.problems) + "\n"


def outputs(result) -> dict[str, bytes]:
    return {o.path: o.data for o in result.outputs}


def dedent(text: str) -> str:
    return textwrap.dedent(text)
