"""The one did-you-mean: the word an editor most likely meant when a key or value is unknown.

Schema keys, repetition words (week, dinsdag, eerste) and months all suggest the same way, so that a typo
gets the same kind of help wherever it is made.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping


def closest(word: str, options: Iterable[str], aliases: Mapping[str, str] | None = None) -> str | None:
    """The option meant: a known alias (Dutch 'titel' for 'title') if it is an option, else the nearest spelling.

    Matched in lower case, so 'Wekelijks' finds what 'wekelijks' would."""
    options = list(options)
    alias = aliases.get(word.lower()) if aliases else None
    if alias in options:
        return alias
    close = difflib.get_close_matches(word.lower(), options, n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(word: str, options: Iterable[str], aliases: Mapping[str, str] | None = None,
                 dash: bool = False) -> str:
    """The Dutch sentence end that offers closest(): " Bedoel je 'x'?" after a full stop, or with dash
    " - bedoel je 'x'?" in place of one (then "." when nothing is close, else "")."""
    hint = closest(word, options, aliases)
    if hint:
        return f" - bedoel je '{hint}'?" if dash else f" Bedoel je '{hint}'?"
    return "." if dash else ""
