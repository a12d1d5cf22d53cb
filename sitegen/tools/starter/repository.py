"""The files that make the starting site a repository of its own: the deploy workflow, README and .gitignore.

The workflow pins the generator by its version tag, so upgrading it brings only new program code, never
another coalition's content.
"""

from __future__ import annotations

from ... import __version__
from .answers import Answers

GITIGNORE = "output/\n.cache/\ngenerator/\n__pycache__/\n"

# The jobs need nothing from the answers: a plain string, so GitHub's ${{ }} needs no doubled braces.
WORKFLOW_JOBS = """\
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Het programma, vaste versie
        uses: actions/checkout@v4
        with:
          repository: ${{ env.GENERATOR_REPO }}
          ref: ${{ env.GENERATOR_VERSION }}
          path: generator
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: Python-pakketten
        run: python -m pip install -r generator/requirements.txt
      - name: Controleren
        run: python generator/build.py check --site . --format github
      - name: Bouwen
        run: python generator/build.py --site . --format github
      - if: github.event_name != 'pull_request'
        uses: actions/upload-pages-artifact@v3
        with:
          path: output

  deploy:
    if: github.event_name != 'pull_request'
    needs: build
    runs-on: ubuntu-latest
    permissions:
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""


def repository_files(a: Answers) -> dict[str, str]:
    """The repository's own files by path."""
    return {".github/workflows/site.yml": workflow(a), ".gitignore": GITIGNORE, "README.md": readme(a)}


def workflow(a: Answers) -> str:
    """The deploy workflow: check and build on every change, every night and by hand; publish on main."""
    return f"""\
# Bouwt de site met een vaste versie van het programma en zet hem op GitHub Pages.
# - Bij elke wijziging op main, elke nacht (zodat "binnenkort" in de agenda klopt) en met de hand.
# - Bij een pull request: alleen controleren en bouwen.
# Het programma bijwerken: verander GENERATOR_VERSION hieronder (zie CHANGELOG.md van het programma).
# Je haalt dan alleen nieuwe programmacode binnen, nooit de inhoud van een andere site.
name: Website

on:
  pull_request:
  push:
    branches: [main]
  schedule:
    - cron: "17 4 * * *"
  workflow_dispatch:

permissions:
  contents: read

env:
  GENERATOR_REPO: {a.generator_repo}   # vervang door de repository van het programma, zoals organisatie/sitegen
  GENERATOR_VERSION: v{__version__}

""" + WORKFLOW_JOBS


def readme(a: Answers) -> str:
    """How to build, preview and upgrade the site, for whoever takes it over."""
    return f"""\
# Website van Eén tegen eenzaamheid {a.municipality}

Deze map is de site: `site.yaml` (instellingen), `content/` (pagina's, nieuws en `agenda/`, met één bestand
per activiteit) en eventueel `templates/` en `static/` (eigen sjablonen, logo, stylesheet). Het programma dat de site bouwt staat apart, in
een eigen repository, met een vaste versie (v{__version__}).

## Bouwen en bekijken

```sh
git clone --branch v{__version__} https://github.com/{a.generator_repo}.git generator
python3 -m venv .venv && .venv/bin/pip install -r generator/requirements.txt
.venv/bin/python generator/build.py check --site .   # wat nog ingevuld moet worden
.venv/bin/python generator/build.py serve --site .   # bekijk de site op http://127.0.0.1:8000
.venv/bin/python generator/build.py new activiteit "Koffieochtend" --site .
```

Overal waar `[INVULLEN: ...]` staat, moet nog iets ingevuld worden. `check` noemt elke plek met bestand en
regel.

## Het programma bijwerken

Lees in CHANGELOG.md van het programma wat er veranderd is. Verander dan in `.github/workflows/site.yml` de
regel `GENERATOR_VERSION` in de nieuwe versie, en lokaal: `git -C generator fetch --tags && git -C generator
checkout vX.Y.Z`. Zo krijg je alleen nieuwe programmacode; de inhoud van andere sites komt nooit mee.
"""
