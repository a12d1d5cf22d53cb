"""News and newsletter listings: pagination, tag pages, archives. (Stub: see issue 4.)"""

from __future__ import annotations

from .model import Output, Site


def render_listings(env, site: Site) -> list[Output]:
    return []
