"""The build cache's one on-disk format: JSON, and only the value types listed here.

A `.cache/` restored from a CI artifact or copied from another machine is input from a stranger. pickle
(and marshal) would let such a file construct any object and so run any code at the next build; this
codec constructs only what the cache really holds, each by its own constructor, after checking the type
of every field. Anything else in a cache file is store.CacheDamaged: the build drops the cache, says so in
one line and builds without it (cache.py).

The encoding, as flat as JSON allows (json's C parser does the walking; Python sees only the tags):
- str, int, float, bool and None are themselves; a list is a JSON array;
- every other value is an object with one key, its tag, and a payload (so that every JSON object in a
  file is a tag, and json's own parser can hand each to one function, inside out):
  {"t": [...]} a tuple, {"T": [[...], ...]} a tuple of tuples, {"m": [key, value, ...]} a dict with
  str keys, {"d": [key, value, ...]} any other dict (a key written as an array is a tuple),
  {"date": "2026-11-23"}, {"datetime": ["2026-10-25T02:30:00", zone, fold]} (zone: an IANA name, a fixed
  offset such as "+01:00", or null), a stored text {"blob": [key, size]}, a stored output {"stored":
  [path, source, digest]} and a list of them {"S": [path, source, digest, path, ...]} (a page's rendered
  files: thousands a build), and one tag per class below with its fields in order: {"Location":
  ["content/x.md", 3, 1]};
- a class's fields are written as their annotated types say, with no tag (codec_fields.py): in
  {"SourcePage": [...]} its location is ["content/x.md", 1, 1], its body a str or [key, size].
Stored texts and outputs are given the store they read from as they are made.
"""

from __future__ import annotations

import datetime as dt
import json

from .codec_fields import SCALARS, FieldCodecs, decode_date, decode_datetime, field_types, plain_datetime
from .store import Blob, CacheDamaged, StoredOutput

_SCALARS = frozenset(SCALARS)


def _model_classes() -> list[type]:
    """Every class the cache holds (their fields typed by their own annotations). Imported here, not at
    the top: the no-change check reads the state file (warnings only) with the standard library alone."""
    from ..core.model import Event, Heading, Organiser, Recurrence, Registration, SourcePage, Venue
    from ..render.search_index import Entry
    from ..source.markdown import Conversion

    return [*_problem_classes(), Heading, Conversion, SourcePage, Venue, Organiser, Registration, Recurrence,
            Event, Entry]


def _problem_classes() -> list[type]:
    from ..core.errors import Location, Problem

    return [Location, Problem]


class Codec:
    """encode(value) -> bytes and decode(bytes) -> value for the whitelisted types; decode raises
    CacheDamaged for anything else. store: where the stored texts and outputs it makes read from."""

    def __init__(self, classes: list[type], store=None) -> None:
        self._store = store
        self._json = json.JSONDecoder(object_hook=self._tagged)
        # One encoder for every value: json.dumps with options makes a new one per call (thousands a build).
        self._dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
        types = {cls: field_types(cls) for cls in classes}
        fields_ = FieldCodecs(self.plain, store, types)
        self._encoders = {cls: (cls.__name__, fields_.payload_encoder(cls)) for cls in classes}
        self._decoders = {"t": _tuple, "T": _tuples, "m": _mapping, "d": _pairs, "date": decode_date,
                          "datetime": decode_datetime, "blob": fields_.blob, "stored": self._stored, "S": self._stored_list}
        for cls in classes:
            self._decoders[cls.__name__] = fields_.payload_decoder(cls)

    @property
    def store(self):
        """Where the stored texts and outputs this codec makes read from."""
        return self._store

    # --- encoding ------------------------------------------------------------------------------

    def encode(self, value) -> bytes:
        return self._dumps(self.plain(value)).encode("utf-8")

    def plain(self, value):
        """value as JSON values (see the module's docstring); TypeError for a type not listed."""
        kind = type(value)
        if kind in _SCALARS:
            return value
        if kind is list:
            if value and type(value[0]) is StoredOutput and all(type(v) is StoredOutput for v in value):
                return {"S": [x for v in value for x in (v.path, v.source, v.digest)]}
            return [v if type(v) in _SCALARS else self.plain(v) for v in value]
        if kind is tuple:
            if value and set(map(type, value)) == {tuple}:  # a page's links: hundreds of small tuples
                return {"T": [[v if type(v) in _SCALARS else self.plain(v) for v in t] for t in value]}
            return {"t": [v if type(v) in _SCALARS else self.plain(v) for v in value]}
        found = self._encoders.get(kind)
        if found is not None:
            return {found[0]: found[1](value)}
        if kind is dict:
            if all(type(k) is str for k in value):
                return {"m": [x for k, v in value.items()
                              for x in (k, v if type(v) in _SCALARS else self.plain(v))]}
            return {"d": [x for k, v in value.items() for x in (_plain_key(k, self.plain), self.plain(v))]}
        if kind is dt.date:
            return {"date": value.isoformat()}
        if kind is dt.datetime:
            return {"datetime": plain_datetime(value)}
        if kind is Blob:
            return {"blob": [value.key, value.size]}
        if kind is StoredOutput:
            return {"stored": [value.path, value.source, value.digest]}
        raise TypeError(f"the build cache cannot hold a {kind.__name__} (incremental/codec.py)")

    # --- decoding ------------------------------------------------------------------------------

    def decode(self, data: bytes | str):
        """The value encode() wrote. json's C parser walks the text; every JSON object in it must be a
        tag with its payload (already decoded, inside out), which _tagged turns into its value. One
        decoder for every value (json.loads would make a new one for each, which costs more than most
        values take to parse)."""
        try:
            return self._json.decode(data if type(data) is str else data.decode("utf-8"))
        except (ValueError, RecursionError) as exc:  # not JSON, not UTF-8, a number too long, too deep
            raise CacheDamaged("not the cache's JSON") from exc

    def _tagged(self, raw: dict):
        try:
            (tag, payload), = raw.items()
            decoder = self._decoders[tag]
        except (ValueError, KeyError):  # not one key, or not a tag
            raise CacheDamaged(f"a value the cache does not hold: {str(raw)[:60]}") from None
        return decoder(payload)

    def _stored(self, payload) -> StoredOutput:
        if not (type(payload) is list and len(payload) == 3 and all(type(p) is str for p in payload)):
            raise CacheDamaged("stored output")
        return StoredOutput(*payload, store=self._store)

    def _stored_list(self, payload) -> list[StoredOutput]:
        """{"S": [path, source, digest, ...]}: a list of stored outputs (never empty)."""
        if type(payload) is not list or not payload or len(payload) % 3 or not set(map(type, payload)) <= {str}:
            raise CacheDamaged("stored outputs")
        store = self._store
        return [StoredOutput(*payload[i:i + 3], store=store) for i in range(0, len(payload), 3)]


def _tuple(payload) -> tuple:
    if type(payload) is not list:
        raise CacheDamaged("tuple")
    return tuple(payload)


def _tuples(payload) -> tuple:
    """{"T": [[...], [...]]}: a tuple of tuples."""
    if type(payload) is not list or not set(map(type, payload)) <= {list}:
        raise CacheDamaged("tuples")
    return tuple(map(tuple, payload))


def _plain_key(key, plain):
    """A dict's key that is a tuple as a plain array (no key is a list, so an array means a tuple)."""
    if type(key) is tuple:
        return [v if type(v) in _SCALARS else plain(v) for v in key]
    return plain(key)


def _mapping(payload) -> dict:
    """{"m": [key, value, key, value, ...]}: a dict with str keys."""
    if type(payload) is not list or len(payload) % 2 or not set(map(type, payload[::2])) <= {str}:
        raise CacheDamaged("mapping")
    return dict(zip(payload[::2], payload[1::2]))


def _pairs(payload) -> dict:
    """{"d": [key, value, ...]}: a dict with other keys; a key written as an array is a tuple."""
    if type(payload) is not list or len(payload) % 2:
        raise CacheDamaged("pairs")
    try:
        return {tuple(k) if type(k) is list else k: v for k, v in zip(payload[::2], payload[1::2])}
    except TypeError as exc:  # a key that cannot be one (a list)
        raise CacheDamaged("pairs") from exc


def entry_codec(store) -> Codec:
    """The codec of blobs.sqlite's entries (conversions, hints, renders, sources)."""
    return Codec(_model_classes(), store)


def state_codec() -> Codec:
    """The codec of the state file (fingerprint, manifest, summary, warnings): standard library only."""
    return Codec(_problem_classes())
