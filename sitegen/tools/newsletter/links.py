"""Links in a newsletter as the reader should get them: the real address, without anyone's tracking.

Mailing tools send every click through their own counter and add utm_* and similar parameters; the archive
keeps the address the sender meant, when it can be found inside the counter's link.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

TRACKING_PARAMS = {"mc_cid", "mc_eid", "fbclid", "gclid", "dclid", "msclkid", "_hsenc", "_hsmi", "mkt_tok",
                   "vero_id", "vero_conv", "oly_enc_id", "oly_anon_id", "wt_mc", "yclid", "igshid", "_ga"}
REDIRECT_PARAMS = {"url", "u", "redirect", "redirect_url", "redirect_uri", "redir", "target", "dest",
                   "destination", "link", "r", "to", "goto", "out", "next", "continue", "href", "l"}


def clean_url(url: str) -> str:
    """Unwrap click-tracking redirects (when the real address is in them) and drop tracking parameters."""
    url = url.strip()
    for _ in range(4):  # a redirect may wrap another one
        inner = _redirect_target(url)
        if inner is None or inner == url:
            break
        url = inner
    return _strip_tracking(url)


def _redirect_target(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return None
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key.lower() in REDIRECT_PARAMS:
            for candidate in (value, unquote(value)):
                if re.match(r"https?://[^/\s]+", candidate):
                    return candidate
    # The address inside the path: https://click.example/l/abc123/https%3A%2F%2Fwww.example.nl%2F
    match = re.search(r"/(https?(?::|%3A)(?://|%2F%2F).+)$", parts.path + (("?" + parts.query) if parts.query else ""),
                      re.I)
    if match:
        inner = match.group(1)
        return unquote(inner) if "%3A" in inner[:8].upper() else inner
    return None


def _strip_tracking(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.query:
        return url
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not k.lower().startswith("utm_") and k.lower() not in TRACKING_PARAMS]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(kept, safe=":/@!$'()*+,;"), parts.fragment))


def link_target(url: str) -> str:
    return f"<{url}>" if re.search(r"[\s()<>]", url) else url
