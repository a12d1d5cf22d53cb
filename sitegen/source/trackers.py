"""Click-tracker links of mailing tools: one list, used by the newsletter import (which resolves or refuses
them) and by the build (which refuses them anywhere in the content: the site follows nobody)."""

from __future__ import annotations

import re

# A link through one of these counts the click and who made it before it sends the reader on.
TRACKER_LINK = re.compile(
    r"https?://(?:[\w-]+\.)*(?:list-manage\.com/track/click"  # Mailchimp
    r"|mailchi\.mp/[\w-]+/\w+\?e="  # Mailchimp short links with the reader's id
    r"|(?:click|clicks|link)\.mailerlite\.com/|clicks\.mlsend\.com/"  # MailerLite
    r"|[\w.-]*laposta\.nl/(?:c|l|t)/"  # Laposta
    r"|[\w.-]*sendgrid\.net/ls/click|[\w.-]*ct\.sendgrid\.net/"  # SendGrid
    r"|[\w.-]*/(?:track/click|ss/c/|ls/click|e/c/))"  # the paths most tools use
    r"[^\s)>\]\"']*",
    re.I)


def tracker_links(text: str) -> list[tuple[int, int, str]]:
    """(0-based line, 1-based column, link) of every click-tracker link in a text."""
    found: list[tuple[int, int, str]] = []
    if "://" not in text:
        return found  # every tracker link has one: the whole text is tested once, not line by line
    for number, line in enumerate(text.split("\n")):
        for match in TRACKER_LINK.finditer(line):
            found.append((number, match.start() + 1, match.group()))
    return found
