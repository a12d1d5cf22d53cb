"""An activity's values as editors type them: several on one line, a village spelt almost right.

`audience: ouderen, mantelzorgers` is two audiences, not one called "ouderen, mantelzorgers" (which would get
a page of its own); `place: beilen` is the village Beilen; `place: Westerbrok` in a municipality whose villages
(site.yaml's `villages`) include Westerbork is a typo that would make a page for a village that does not
exist, so it is an error that names the spelling to write.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..core.errors import Problems
from ..core.model import Event, Venue
from ..core.suggest import closest
from ..source.yamlschema import INVALID, Converter, list_of

# How editors separate several values on one line: "ouderen, mantelzorgers", "ouderen; mantelzorgers",
# and (for audiences, single words) "ouderen en mantelzorgers".
LIST_SEPARATORS = r"\s*[,;]\s*"
AUDIENCE_SEPARATORS = r"\s*[,;]\s*|\s+(?:en|&)\s+"


def several(item: Converter, separators: str = LIST_SEPARATORS) -> Converter:
    """A list, also when it was typed as one line with commas (list_of's form, so the web editor shows a
    list widget)."""
    listed = list_of(item, allow_single=True)

    def convert(node, ctx):
        values = listed(node, ctx)
        if values is INVALID:
            return values
        return tuple(part for value in values for part in re.split(separators, value) if part)

    convert.item = item  # read by the web editor's form (cms.py)
    return convert


def _key(place: str) -> str:
    return re.sub(r"\s+", " ", place).strip().casefold()


def same_places(events: list[Event], villages: tuple[str, ...], problems: Problems) -> list[Event]:
    """Every activity's village spelt one way: a village of site.yaml's list (or, without one, as most
    activities write it) whatever its capitals or spaces; a near miss of a listed village is an error.
    Each spelling is normalised once (5,000 activities name a few villages: every build asks)."""
    keys: dict[str, str] = {}

    def key(place: str) -> str:
        found = keys.get(place)
        if found is None:
            found = keys[place] = _key(place)
        return found

    listed: dict[str, str] = {}  # the listed villages by their key, the first of a spelling named twice
    for village in villages:
        listed.setdefault(key(village), village)
    spelt: dict[str, str] = {key(v): v for v in villages}
    counts: dict[str, dict[str, int]] = {}
    for event in events:
        if event.venue and event.venue.place:
            forms = counts.setdefault(key(event.venue.place), {})
            forms[event.venue.place] = forms.get(event.venue.place, 0) + 1
    for place_key, forms in counts.items():
        spelt.setdefault(place_key, max(sorted(forms), key=lambda f: (forms[f], f[:1].isupper())))
    fixed = []
    for event in events:
        place = event.venue.place if event.venue else None
        if place:
            if villages and key(place) not in listed:
                _near_miss(event, place, key(place), listed, problems)
            if spelt[key(place)] != place:
                event = replace(event, venue=_respelt(event.venue, spelt[key(place)]))
        fixed.append(event)
    return fixed


def _respelt(venue: Venue, place: str) -> Venue:
    """The venue in the village's spelling; a name made of its address (load._group) follows it."""
    named_by_address = venue.name == Venue("", venue.street, venue.postcode, venue.place).address
    name = Venue("", venue.street, venue.postcode, place).address if named_by_address else venue.name
    return replace(venue, name=name, place=place)


def _near_miss(event: Event, place: str, place_key: str, listed: dict[str, str], problems: Problems) -> None:
    """An error for a place (not in the list: place_key, its _key) that is a near miss of a listed village
    (listed: the villages by their _key)."""
    meant = closest(place_key, listed)
    if meant is None:
        return  # a place outside the municipality's list (a trip to the city) is fine
    village = listed[meant]
    problems.error(event.at("location.place"), f"het dorp '{place}' staat niet in de lijst van dorpen in "
                   f"site.yaml (villages). Bedoel je '{village}'? Schrijf place: {village}")
