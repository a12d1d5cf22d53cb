"""A deterministic synthetic coalition site: N pages, M activities, K newsletters, Dutch-like text."""

from __future__ import annotations

import datetime
import random
from pathlib import Path

WORDS = ("eenzaamheid samen buurt ontmoeting koffie vrijwilliger gemeente welzijn ouderen jongeren "
         "mantelzorg activiteit wandeling gesprek contact dorp vereniging bibliotheek huiskamer "
         "zomer winter week maand dag avond ochtend middag nieuws hulp steun luisteren praten "
         "aandacht kaart bericht familie buren kennis vriend vriendin school werk bewoner inwoner "
         "coalitie partner bank winkel boerderij dieren tuin muziek zingen lezen schrijven koken eten "
         "de het een en van in op met voor naar bij over uit om door is zijn was wordt heeft kan wil").split()

SITE_YAML = """\
title: Synthetische coalitie
tagline: Een site om te meten
base_url: https://bench.example.nl/
municipality: Meetdorp
contact:
  organisation: Welzijn Meetdorp
  phone: 012-3456789
menu:
  - title: Home
    page: index.md
  - title: Nieuws
    url: /nieuws/
  - title: Agenda
    url: /agenda/
helplines:
  - name: De Luisterlijn
    phone: 088 0767 000
    hours: dag en nacht
feeds:
  entries: 20
"""

VILLAGES = ["Beilen", "Westerbork", "Smilde", "Hooghalen", "Wijster", "Bovensmilde"]
WEEKDAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag"]
ALL_WEEKDAYS = WEEKDAYS + ["zaterdag", "zondag"]


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 16))]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def page_body(rng: random.Random, index: int, total: int, words: int) -> str:
    parts, count = [], 0
    section = 1
    while count < words:
        parts.append(f"## Deel {section}\n")
        text = paragraph(rng, rng.randint(3, 6))
        other = rng.randrange(total)
        text += f" Lees ook [pagina {other}](../sectie{other % 20}/pagina{other}.md)."
        parts.append(text + "\n")
        if section % 2 == 0:
            parts.append("\n".join(f"- {sentence(rng)}" for _ in range(4)) + "\n")
        if section % 3 == 0:
            parts.append("| Dag | Activiteit |\n|:--|:--|\n" + "\n".join(
                f"| {rng.choice(WEEKDAYS)} | {rng.choice(WORDS)} |" for _ in range(3)) + "\n")
        count += len(text.split()) + 30
        section += 1
    return "\n".join(parts)


def events_yaml(rng: random.Random, count: int) -> str:
    lines = ["# Synthetische activiteiten"]
    for n in range(count):
        day = 1 + n % 28
        month = 1 + (n // 28) % 12
        lines.append(f"- id: activiteit-{n}")
        lines.append(f"  title: {rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} {n}")
        lines.append(f"  start: 2026-{month:02d}-{day:02d} {9 + n % 8:02d}:00")
        lines.append(f"  end: 2026-{month:02d}-{day:02d} {10 + n % 8:02d}:30")
        lines.append("  location:")
        lines.append(f"    name: Dorpshuis {n % 30}")
        lines.append(f"    place: {VILLAGES[n % len(VILLAGES)]}")
        lines.append("  cost: gratis")
        lines.append(f"  description: {paragraph(rng, 2)}")
        if n % 10 == 0:
            lines.append("  repeat:")
            lines.append("    every: week")
            weekday = datetime.date(2026, month, day).weekday()
            lines.append(f"    on: {ALL_WEEKDAYS[weekday]}")
            lines.append("    until: 2027-06-30")
    return "\n".join(lines) + "\n"


def generate(root: Path, pages: int, events: int, newsletters: int, seed: int = 1) -> None:
    """Write the synthetic site below root (which must not exist yet)."""
    rng = random.Random(seed)
    content = root / "content"
    content.mkdir(parents=True)
    (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    (content / "index.md").write_text("---\ntitle: Welkom\n---\n\nWelkom op de meetsite.\n", encoding="utf-8")
    for section in range(20):
        folder = content / f"sectie{section}"
        folder.mkdir()
        (folder / "index.md").write_text(f"---\ntitle: Sectie {section}\n---\n\nOverzicht.\n", encoding="utf-8")
    for n in range(pages):
        words = rng.randint(300, 800)
        body = page_body(rng, n, pages, words)
        text = (f"---\ntitle: Pagina {n} over {rng.choice(WORDS)}\ndescription: {sentence(rng)}\n"
                f"date: 2025-{1 + n % 12:02d}-{1 + n % 28:02d}\ntags: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]\n---\n\n{body}")
        (content / f"sectie{n % 20}" / f"pagina{n}.md").write_text(text, encoding="utf-8")
    news = content / "nieuws"
    news.mkdir()
    (news / "index.md").write_text("---\ntitle: Nieuws\n---\n\nHet laatste nieuws.\n", encoding="utf-8")
    letters = content / "nieuwsbrieven"
    letters.mkdir()
    (letters / "index.md").write_text("---\ntitle: Nieuwsbrieven\n---\n\nAlle nieuwsbrieven.\n", encoding="utf-8")
    for n in range(newsletters):
        (letters / f"nieuwsbrief-{n}.md").write_text(
            f"---\ntitle: Nieuwsbrief {n}\ndate: 2025-{1 + n % 12:02d}-{1 + n % 28:02d}\nedition: {n + 1}\n"
            f"summary: {sentence(rng)}\n---\n\n{page_body(rng, n, pages, 400)}", encoding="utf-8")
    (content / "agenda.yaml").write_text(events_yaml(rng, events), encoding="utf-8")
