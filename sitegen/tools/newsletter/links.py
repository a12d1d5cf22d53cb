"""Links in a newsletter as the reader should get them: the real address, without anyone's tracking.

Mailing tools send every click through their own counter, and add utm_* parameters and the reader's id or
e-mail address (sometimes base64-encoded, sometimes in the path). The archive keeps the address the sender
meant when it can be found inside the counter's link (in a parameter, in the path, or base64-encoded), and
drops every parameter that carries an e-mail address, a merge tag or a reader's id, whatever its name. A
link that still leads through a counter, or whose path holds an e-mail address, cannot be kept: `inspect`
says why, and the words of the link stay.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from ...source.trackers import TRACKER_LINK
from . import mergetags

TRACKING_PARAMS = {"mc_cid", "mc_eid", "fbclid", "gclid", "dclid", "msclkid", "_hsenc", "_hsmi", "mkt_tok",
                   "vero_id", "vero_conv", "oly_enc_id", "oly_anon_id", "wt_mc", "yclid", "igshid", "_ga", "_ke",
                   "sc_src", "sc_lid", "sc_uid", "sc_llid", "sc_eh", "trk_contact", "trk_msg", "trk_module", "trk_sid",
                   "ml_subscriber", "ml_subscriber_hash", "sib_id", "_kx", "e", "eid", "uid", "subscriber",
                   "subscriber_id", "subscriberid", "contact_id", "contactid", "recipient", "recipient_id",
                   "member_id", "memberid", "user_id", "userid", "lid", "sid"}
READER_ID_PARAMS = {"e", "mc_eid", "eid", "uid", "subscriber", "subscriber_id", "subscriberid", "contact_id",
                    "contactid", "recipient", "recipient_id", "member_id", "memberid", "ml_subscriber", "sib_id"}
REDIRECT_PARAMS = {"url", "u", "redirect", "redirect_url", "redirect_uri", "redirecturl", "redir", "target",
                   "dest", "destination", "link", "r", "to", "goto", "out", "next", "continue", "href", "l", "q"}
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.I)
BASE64_TOKEN = re.compile(r"[A-Za-z0-9+/_-]{12,}={0,2}")
# Hosts that only count clicks or show the mail itself, beside the tool's click paths in TRACKER_LINK.
MAIL_MACHINERY = re.compile(r"https?://(?:[\w-]+\.)*(?:safelinks\.protection\.outlook\.com|list-manage\.com"
                            r"|campaign-archive\.com|mailchi\.mp|eepurl\.com|mlsend\.com|sendibt\d*\.com"
                            r"|acemln[a-z]\.com|activehosted\.com|lt\.laposta\.nl|mjt\.lu|createsend\d*\.com"
                            r"|cmail\d+\.com)(?:[/?#:]|$)", re.I)


@dataclass(frozen=True)
class Link:
    """What became of one link: the address to keep (None: the link cannot be kept) and what was taken out."""

    url: str | None
    unwrapped: bool = False  # it went through a counter; url is the real address found inside
    tracking: bool = False  # utm_* or a reader's id was taken off
    emails: frozenset[str] = frozenset()  # e-mail addresses the link carried (all taken out)
    merge_tags: tuple[str, ...] = ()
    reason: str = ""  # when url is None: "teller" (a counter without the address), "e-mail" (one in the path)
    #                   "veld" (the address is a merge tag, filled in per reader) or "kapot" (no address)


def clean_url(url: str) -> str:
    """The address to keep for a link, or the cleaned link itself when it cannot be kept."""
    found = inspect(url)
    if found.url is not None:
        return found.url
    try:
        return _strip(url.strip())[0]
    except ValueError:
        return url.strip()


def reader_ids(urls: list[str]) -> frozenset[str]:
    """The readers' ids the mail's links carry in parameters known for them (Mailchimp's e=, uid=, ...), so
    that the same id is taken out of any other parameter too, whatever its name."""
    found = set()
    for url in urls:
        try:
            pairs = parse_qsl(urlsplit(url.strip()).query, keep_blank_values=True)
        except ValueError:
            continue
        found |= {value for key, value in pairs if key.lower() in READER_ID_PARAMS and len(value) >= 6
                  and not mergetags.find(value)}
    return frozenset(found)


def inspect(url: str, known_ids: frozenset[str] = frozenset()) -> Link:
    """Unwrap click-tracking redirects (when the real address is in them) and drop tracking parameters, and
    every parameter that holds one of known_ids (see `reader_ids`)."""
    try:
        return _inspect(url.strip(), known_ids)
    except ValueError:  # not an address at all, such as "http://[": nothing to keep
        return Link(None, emails=frozenset(a.lower() for a in emails_in(url)), reason="kapot")


def _inspect(original: str, known_ids: frozenset[str]) -> Link:
    emails = frozenset(a.lower() for a in emails_in(original))
    tags = tuple(mergetags.find(original))
    url, unwrapped = original, False
    for _ in range(4):  # a redirect may wrap another one
        inner = _redirect_target(url)
        if inner is None or inner == url:
            break
        url, unwrapped = inner, True
    cleaned, tracking = _strip(url, known_ids)
    parts = urlsplit(cleaned)
    if emails_in(unquote(parts.path)) or emails_in(parts.netloc.split("@")[-1]):
        return Link(None, unwrapped, tracking, emails, tags, "e-mail")
    if mergetags.find(cleaned) or (tags and parts.scheme not in ("http", "https")):
        return Link(None, unwrapped, tracking, emails, tags, "veld")
    if TRACKER_LINK.match(cleaned) or MAIL_MACHINERY.match(cleaned):
        return Link(None, unwrapped, tracking, emails, tags, "teller")
    return Link(cleaned, unwrapped, tracking, emails, tags)


def emails_in(text: str) -> list[str]:
    """The e-mail addresses in a text, also URL-encoded or base64-encoded."""
    plain = unquote(unquote(text or ""))
    found = EMAIL.findall(plain)
    tokens = BASE64_TOKEN.findall(plain)
    for token in tokens + [part for token in tokens if "/" in token for part in token.split("/") if len(part) >= 12]:
        found += EMAIL.findall(_decoded(token))
    return found


def _decoded(token: str) -> str:
    """A base64 token as text ("" when it is not base64 of readable text)."""
    bare = token.rstrip("=")
    padded = bare + "=" * (-len(bare) % 4)
    for decode in (base64.urlsafe_b64decode, base64.b64decode):
        try:
            text = decode(padded).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            continue
        if text and sum(ch.isprintable() for ch in text) >= 0.95 * len(text):
            return text
    return ""


def _address_in(value: str) -> str | None:
    """A web address in a parameter or path segment: as it is, URL-encoded, or base64-encoded."""
    for candidate in (value, unquote(value), unquote(unquote(value))):
        if re.match(r"https?://[^/\s]+", candidate):
            return candidate
    for token in BASE64_TOKEN.findall(value):
        match = re.search(r"https?:(?://|\\/\\/)[^\s\"'<>]+", _decoded(unquote(token)))
        if match:
            return match.group(0).replace("\\/", "/")
    return None


def _redirect_target(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return None
    counter = bool(TRACKER_LINK.match(url) or MAIL_MACHINERY.match(url))
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key.lower() in REDIRECT_PARAMS or counter:
            inner = _address_in(value)
            if inner:
                return inner
    # The address inside the path: https://click.example/l/abc123/https%3A%2F%2Fwww.example.nl%2F
    match = re.search(r"/(https?(?::|%3A)(?://|%2F%2F).+)$", parts.path + (("?" + parts.query) if parts.query else ""),
                      re.I)
    if match:
        inner = match.group(1)
        return unquote(inner) if "%3A" in inner[:8].upper() else inner
    if counter:  # a base64 path segment: https://lt.laposta.nl/c/3f9a/91a8/aHR0cHM6Ly9...
        for segment in parts.path.split("/"):
            inner = _address_in(segment) if len(segment) >= 12 else None
            if inner:
                return inner
    return None


def _strip(url: str, known_ids: frozenset[str] = frozenset()) -> tuple[str, bool]:
    """The url without tracking, reader ids, e-mail addresses and merge tags; and whether any went."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.query:
        return url, False
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs
            if not k.lower().startswith("utm_") and k.lower() not in TRACKING_PARAMS
            and not emails_in(v) and not mergetags.find(v) and not mergetags.find(k)
            and not any(reader in v for reader in known_ids)]
    query = urlencode(kept, safe=":/@!$'()*+,;")
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment)), len(kept) < len(pairs)


def link_target(url: str) -> str:
    return f"<{url}>" if re.search(r"[\s()<>]", url) else url
