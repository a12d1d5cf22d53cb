"""schema.org Event data (JSON-LD) for activity pages, so search engines can show the dates."""

from __future__ import annotations

import datetime as dt
import json
import re

from ..source.markdown import plain_text
from ..source.phones import phone_numbers
from ..core.model import Event, Occurrence, Site
from ..core.urls import absolute, event_url

STATUS = {"gepland": "https://schema.org/EventScheduled", "afgelast": "https://schema.org/EventCancelled",
          "verplaatst": "https://schema.org/EventRescheduled"}
MAX_DATES = 10  # a repeating activity: one Event per coming date, at most this many
FREE_WORDS = ("gratis", "kosteloos", "free")
PRICE_RE = re.compile(r"(\d+)(?:[.,](\d{1,2}|-))?")


def price(cost: str) -> str | None:
    """'gratis' -> '0'; '€ 2,50' -> '2.50'; anything else (such as 'een vrijwillige bijdrage') -> None."""
    lowered = cost.lower()
    if any(word in lowered for word in FREE_WORDS):
        return "0"
    match = PRICE_RE.search(cost)
    if not match:
        return None
    cents = match.group(2) if match.group(2) and match.group(2) != "-" else "00"
    return f"{int(match.group(1))}.{cents.ljust(2, '0')}"


def _moment(value: dt.date | dt.datetime) -> str:
    return value.isoformat()


def event_data(site: Site, event: Event, occurrence: Occurrence) -> dict:
    """One schema.org Event for one date of an activity."""
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "startDate": _moment(occurrence.start),
        "eventStatus": STATUS[event.status],
        "url": absolute(site.base_url, event_url(event.id)),
        "inLanguage": "nl",
    }
    if occurrence.end is not None:
        data["endDate"] = _moment(occurrence.end)
    description = plain_text(str(event.description_html)) if event.description_html else ""
    if description:
        data["description"] = description
    places = []
    if event.venue:
        address = {"@type": "PostalAddress", "addressCountry": "NL"}
        for key, value in (("streetAddress", event.venue.street), ("postalCode", event.venue.postcode),
                           ("addressLocality", event.venue.place)):
            if value:
                address[key] = value
        places.append({"@type": "Place", "name": event.venue.name, "address": address})
    if event.online:
        places.append({"@type": "VirtualLocation", "url": event.online})
    if not places:  # no venue and not online: search engines still need a location, so the whole region
        places.append({"@type": "Place", "name": f"Gemeente {site.config.municipality}",
                       "address": {"@type": "PostalAddress", "addressRegion": site.config.municipality,
                                   "addressCountry": "NL"}})
    data["location"] = places[0] if len(places) == 1 else places
    data["eventAttendanceMode"] = ("https://schema.org/MixedEventAttendanceMode" if event.venue and event.online
                                   else "https://schema.org/OnlineEventAttendanceMode" if event.online
                                   else "https://schema.org/OfflineEventAttendanceMode")
    if event.organiser:
        organiser = {"@type": "Organization", "name": event.organiser.name}
        for key, value in (("telephone", telephone(event.organiser.phone)), ("email", event.organiser.email),
                           ("url", event.organiser.url)):
            if value:
                organiser[key] = value
        data["organizer"] = organiser
    if event.cost:
        offer = {"@type": "Offer", "description": event.cost, "priceCurrency": "EUR",
                 "url": (event.registration.url if event.registration and event.registration.url
                         else data["url"])}
        amount = price(event.cost)
        if amount is not None:
            offer["price"] = amount
        data["offers"] = offer
    if event.image:
        data["image"] = absolute(site.base_url, event.image)
    if event.audience:
        data["audience"] = {"@type": "Audience", "audienceType": ", ".join(event.audience)}
    if event.accessibility:
        data["accessibilityFeature"] = list(event.accessibility)
    return data


def telephone(field: str | None) -> str | list[str] | None:
    """schema.org's telephone: one number a value, so two numbers typed in one field ('0592-123456 of
    06-12345678') become a list of two, words around a number are left out, and a field without a whole
    number ('113') stays as it is."""
    if not field:
        return None
    numbers = phone_numbers(field)
    return numbers if len(numbers) > 1 else numbers[0] if numbers else field


def event_jsonld(site: Site, event: Event, coming: list[Occurrence]) -> str:
    """The JSON-LD text for an activity page: one Event, or a list for a repeating activity's next dates.

    Safe inside <script>: '<', '>' and '&' are written as \\u escapes."""
    items = [event_data(site, event, o) for o in coming[:MAX_DATES]]
    data = items[0] if len(items) == 1 else items
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
