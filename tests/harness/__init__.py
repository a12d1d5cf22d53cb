"""Reusable test helpers for checking a built site.

- ``server``: serve a built folder over HTTP on 127.0.0.1 (clean URLs, 404.html).
- ``vnu``: run the Nu HTML Checker (vnu.jar) once over many HTML/CSS files.
- ``browser``: drive Debian's Chromium through Playwright (axe-core, request
  recording, screenshots, XSS probes).

See README.md in this folder. Nothing here is a test by itself.
"""

from pathlib import Path

#: Root of the repository (the folder holding package.json and node_modules/).
REPO_ROOT = Path(__file__).resolve().parents[2]

INSTALL_HINT = "run tools/install-system-deps.sh (as root) to install it"
