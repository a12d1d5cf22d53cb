"""The agenda: events loaded from YAML, checked, expanded and rendered. (Stub: see issue 3.)"""

from __future__ import annotations

from .errors import Problems
from .load import SitePaths
from .model import Output, Site


def load_events(paths: SitePaths, problems: Problems) -> tuple:
    """Every activity from the site's agenda YAML."""
    return ()


def render_agenda(env, site: Site) -> list[Output]:
    """The agenda pages, filter pages and one page per activity."""
    return []
