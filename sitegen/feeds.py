"""RSS and Atom feeds. (Stub: see issue 4.)"""

from __future__ import annotations

from .model import FeedLink, Output, Site


def feed_links(site: Site) -> tuple[FeedLink, ...]:
    """The feeds this site offers (known before rendering, so every page can advertise them)."""
    return ()


def render_feeds(site: Site) -> list[Output]:
    return []
