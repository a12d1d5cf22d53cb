"""Where a resident finds help: the page behind the header's "Hulp nodig?" link, and helplines kept current.

A helpline number that changed without anyone noticing is worse than none, so every number says when it was
last checked and the build warns when that is more than a year ago.
"""

from __future__ import annotations

import datetime as dt

from ..core.errors import Location, Problems
from ..core.model import Helpline, Site

STALE_AFTER = dt.timedelta(days=365)
HELP_ANCHOR = "#hulp-kop"  # the help block at the bottom of every page, when the site has no help page


def help_url(site: Site) -> str:
    """The site URL the header's "Hulp nodig?" link opens: the help page, or else the help block below."""
    if site.config.help_page:
        rel = site.config.help_page[0]
        for page in site.pages:
            if page.rel == rel:
                return page.url
    return HELP_ANCHOR


def home_helplines(site: Site) -> tuple[Helpline, ...]:
    """The helplines marked for the top of the home page (all of them when none is marked)."""
    marked = tuple(line for line in site.config.helplines if line.home)
    return marked or site.config.helplines


def check_help(site: Site, problems: Problems) -> None:
    """The help page must exist; a helpline number checked more than a year ago gets a warning."""
    if site.config.help_page:
        rel, where = site.config.help_page
        if not any(page.rel == rel for page in site.pages):
            problems.error(where, f"help_page wijst naar '{rel}', maar dat bestand staat niet in content/. "
                           "Schrijf de naam van de hulppagina, zoals hulp.md.")
    today = site.now.date()
    for line in site.config.helplines:
        if line.checked is not None and today - line.checked > STALE_AFTER:
            problems.warn(line.location or Location(site.config.source),
                          f"het nummer van {line.name} is nagekeken op {line.checked.isoformat()}, meer dan een "
                          "jaar geleden. Bel het nummer of kijk op de website van de hulplijn of het nog klopt, "
                          "en zet dan de datum van vandaag bij 'checked'.")
