"""iCalendar files for the agenda. (Stub: see issue 3.)"""

from __future__ import annotations

from .model import Output, Site


def render_calendars(site: Site) -> list[Output]:
    return []
