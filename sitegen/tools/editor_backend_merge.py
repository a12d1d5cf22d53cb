"""A web editor's save merged into the file on disk: only the values that changed are rewritten.

Decap CMS sends the whole entry, serialised anew: comments gone, keys in the form's order, dates and texts
quoted its own way. Written as is, every save would rewrite the whole file. Instead the file is cut into its
top-level keys (a key's lines: the key and its value, nested lines included), and each key keeps its own
lines when the form's value is the same as the file's (compared as the text written, so `2025-03-10` and
`'2025-03-10'` are one value); only a changed key takes Decap's lines. Comments between keys, the editor's
own order and the page's body (when unchanged) stay as they were: a save of an untouched form changes no
byte. A key new in the form goes after the key before it in the form; a key the form left out is removed.

`only` guards a files collection (site.yaml): the form may change its own keys, the others are kept as they
are on disk whatever the request says, and no key is removed by leaving it out (an emptied list is sent).
Pure functions over text; the backend reads and writes.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

FRONT = "---\n"


@dataclass(frozen=True)
class Block:
    """One top-level key: the lines before it (comments, blank lines), and its own lines."""

    key: str
    gap: list[str]
    lines: list[str]


def blocks(text: str) -> tuple[list[Block], list[str]] | None:
    """The top-level keys of a YAML mapping, and the lines after the last one; None when it is no mapping."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode) or not all(isinstance(k, yaml.ScalarNode) for k, _ in root.value):
        return None
    lines = text.splitlines(keepends=True)
    found, at = [], 0
    for key, value in root.value:
        start = key.start_mark.line
        end = value.end_mark.line + (1 if value.end_mark.column else 0)
        end = max(end, start + 1)
        while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
            end -= 1  # a comment at the margin, or a blank line, belongs before the next key
        if start < at:
            return None  # two keys on one line ({a: 1, b: 2}): not cut into lines
        found.append(Block(key.value, lines[at:start], lines[start:end]))
        at = end
    return found, lines[at:]


def _as_written(lines: list[str]) -> object:
    """A key's value as the text written (every scalar a string), to compare what the form sends; a text's
    line breaks at its end do not count (a `|` block keeps one, the form's text box none)."""
    try:
        return _trimmed(yaml.load("".join(lines), Loader=yaml.BaseLoader))
    except yaml.YAMLError:
        return object()  # unreadable: never equal


def _trimmed(value: object) -> object:
    if isinstance(value, str):
        return value.rstrip()
    if isinstance(value, list):
        return [_trimmed(v) for v in value]
    if isinstance(value, dict):
        return {k: _trimmed(v) for k, v in value.items()}
    return value


def merge_yaml(old: str, new: str, only: frozenset[str] | None = None) -> str:
    """The file as saved: old's lines for every key whose value is unchanged, new's for the rest."""
    old_cut, new_cut = blocks(old), blocks(new)
    if old_cut is None or new_cut is None:
        return new if only is None else old  # not a mapping of keys: nothing to merge into
    old_blocks, tail = old_cut
    sent = {b.key: b for b in new_cut[0] if only is None or b.key in only}
    result: list[Block] = []
    for block in old_blocks:
        if only is not None and block.key not in sent:
            result.append(block)  # guarded: a key is changed by sending it, never removed by leaving it out
        elif block.key in sent:
            fresh = sent[block.key]
            same = _as_written(fresh.lines) == _as_written(block.lines)
            result.append(block if same else Block(block.key, block.gap, fresh.lines))
    kept = {b.key for b in result}
    order = [b.key for b in new_cut[0]]
    for key in order:
        if key in sent and key not in kept:
            before = [k for k in order[:order.index(key)] if k in kept]
            place = max((i for i, b in enumerate(result) if b.key in before), default=len(result) - 1) + 1
            result.insert(place, Block(key, [], sent[key].lines))
            kept.add(key)
    text = "".join("".join(b.gap) + "".join(_ended(b.lines)) for b in result) + "".join(tail)
    return text


def _ended(lines: list[str]) -> list[str]:
    """A key's lines ending in a line break, so the next key starts on its own line."""
    if lines and not lines[-1].endswith("\n"):
        return lines[:-1] + [lines[-1] + "\n"]
    return lines


def split_front_matter(text: str) -> tuple[str, str] | None:
    """(front matter, body) of a page that starts with ---; None otherwise."""
    if not text.startswith(FRONT):
        return None
    end = text.find("\n---\n", len(FRONT) - 1)
    if end < 0:
        return None
    return text[len(FRONT):end + 1], text[end + len("\n---\n"):]


def merge_page(old: str, new: str) -> str:
    """A page: its front matter merged key by key, its body kept when only the line breaks around it differ."""
    old_parts, new_parts = split_front_matter(old), split_front_matter(new)
    if old_parts is None or new_parts is None:
        return new
    front = merge_yaml(old_parts[0], new_parts[0])
    old_body, new_body = old_parts[1], new_parts[1]
    if old_body.strip() == new_body.strip():
        body = old_body
    else:  # the new text, after the blank lines the file had below its front matter (Decap writes none)
        body = old_body[:len(old_body) - len(old_body.lstrip("\n"))] + new_body.lstrip("\n")
    return FRONT + front + "---\n" + body


def merged(path: str, old: str | None, new: str, only: frozenset[str] | None = None) -> str:
    """What to write for a save of `path`: new merged into old (None: a new file, written as sent)."""
    if old is None:
        return new
    if path.endswith(".md"):
        return merge_page(old, new)
    if path.endswith((".yaml", ".yml")):
        return merge_yaml(old, new, only)
    return new
