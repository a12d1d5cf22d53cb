"""The new site's own editors' guide (docs/redactie.md) and the Makefile whose commands it teaches.

The generator's docs/redactie.md is written for its own site (Midden-Drenthe) and for a checkout of the
generator, where `make check` and `python build.py` work. In a site repository neither does: the generator
lives beside the site (or, on GitHub, in generator/ inside it). So every site gets a small Makefile that finds
the generator and its Python there, and a guide in plain Dutch (B1) that names only this site: its name, its
villages, its address, and the commands of that Makefile. tests/test_site_guide.py runs every command in it.
"""

from __future__ import annotations

from .answers import Answers

# Tabs matter in a Makefile: every recipe line starts with one.
MAKEFILE = """\
# De commando's voor de redactie van deze site. Uitleg: docs/redactie.md.
# Het programma staat in generator/ naast deze map (of erin, zoals op GitHub), Python in .venv/ ernaast.
# Welke versie: GENERATOR_REPO en GENERATOR_VERSION in .github/workflows/site.yml (daar staat het maar op
# één plek; `make installeer` leest het daar).
WORKFLOW := .github/workflows/site.yml
GENERATOR_REPO := $(shell sed -n 's/^  GENERATOR_REPO: *//p' $(WORKFLOW))
GENERATOR_VERSION := $(shell sed -n 's/^  GENERATOR_VERSION: *\\([0-9a-f]*\\).*/\\1/p' $(WORKFLOW))
GENERATOR_URL ?= https://github.com/$(GENERATOR_REPO).git
GENERATOR ?= $(firstword $(wildcard ../generator/build.py generator/build.py))
PYTHON ?= $(firstword $(wildcard ../.venv/bin/python .venv/bin/python) python3)
BUILD = $(PYTHON) $(GENERATOR)
PORT ?= 8000

.PHONY: help installeer programma check klaar serve site nieuw

help:
\t@echo "make check      wat er nog fout is of ingevuld moet worden"
\t@echo "make serve      de site bekijken op http://127.0.0.1:$(PORT)"
\t@echo "make nieuw SOORT=activiteit TITEL=\\"Koffieochtend\\"   iets nieuws maken (pagina, activiteit, nieuws, nieuwsbrief)"
\t@echo "make klaar      mag de site online? (niets meer in te vullen, geen voorbeelden)"
\t@echo "make site       de site bouwen in output/"
\t@echo "make installeer het programma naast deze map zetten of bijwerken (versie uit $(WORKFLOW))"

installeer:
\t@case '$(GENERATOR_REPO)$(GENERATOR_VERSION)' in *INVULLEN*|'') \\
\t  echo "Vul eerst GENERATOR_REPO en GENERATOR_VERSION in, in $(WORKFLOW)." >&2; exit 1;; esac
\ttest -d ../generator || git clone --quiet $(GENERATOR_URL) ../generator
\tgit -C ../generator fetch --quiet origin
\tgit -C ../generator checkout --quiet $(GENERATOR_VERSION)
\ttest -x ../.venv/bin/python || python3 -m venv ../.venv
\t../.venv/bin/python -m pip install --quiet --disable-pip-version-check -r ../generator/requirements.txt

programma:
\t@test -n "$(GENERATOR)" || { echo "Het programma staat niet in ../generator. Zet het daar eerst" \\
\t  "neer met: make installeer (zie docs/redactie.md)." >&2; exit 1; }

check: programma
\t$(BUILD) check --site .

klaar: programma
\t$(BUILD) check --publish --site .

serve: programma
\t$(BUILD) serve --site . --port $(PORT)

site: programma
\t$(BUILD) --site .

nieuw: programma
\t@test -n "$$SOORT" -a -n "$$TITEL" || { echo 'Zeg wat je wilt maken, zoals: make nieuw' \\
\t  'SOORT=activiteit TITEL="Koffieochtend". SOORT is pagina, activiteit, nieuws of nieuwsbrief.' >&2; exit 1; }
\t$(BUILD) new "$$SOORT" "$$TITEL" --site .
"""


GUIDE = """\
# Handleiding voor de redactie van Eén tegen eenzaamheid {m}

Deze handleiding is voor wie de website van Eén tegen eenzaamheid {m} bijhoudt: pagina's, nieuws en de agenda.
Je hoeft niet te kunnen programmeren. De site komt op **{base_url}**. De dorpen van de site (in `site.yaml`,
bij `villages`): {villages}.

## Waar staat wat?

| wat | waar |
|---|---|
| naam, adres, menu, telefoonnummers, dorpen | `site.yaml` |
| de pagina's (home, hulp, contact, privacy, toegankelijkheid) | `content/`, één bestand per pagina (`.md`) |
| nieuws | `content/nieuws/`, één bestand per bericht |
| activiteiten in de agenda | `content/agenda/`, één bestand per activiteit (`.yaml`) |
| logo, foto's en eigen opmaak | `static/` |

Overal waar `[INVULLEN: ...]` staat, moet jij nog iets invullen. In `content/agenda/` staat een
voorbeeldactiviteit (`example: true`): vervang hem door een echte, of gooi het bestand weg.

## Eén keer installeren

Op je eigen computer staat het programma dat de site bouwt in de map `generator/` **naast** deze map, met
Python in `.venv/` ernaast. Je hebt `git`, `make` en Python 3 nodig. Open een terminal in deze map en typ:

```sh
make installeer   # het programma ophalen, in de versie die in .github/workflows/site.yml staat
```

Dat is ook hoe je het programma **bijwerkt**: staat er bij `GENERATOR_VERSION` in
`.github/workflows/site.yml` een nieuwe versie, typ dan nog een keer `make installeer`.

## De commando's

Alles doe je vanuit deze map, met `make`:

```sh
make check   # wat er nog fout is of ingevuld moet worden, met bestand en regel
make serve   # de site bekijken op http://127.0.0.1:8000 (stoppen: Ctrl+C)
```

`make check` noemt elke fout met het bestand, de regel en wat je moet doen. Een waarschuwing is een tip; een
fout moet je oplossen. `make serve` laat de site zien terwijl je werkt: sla een bestand op en de pagina in je
browser ververst vanzelf.

## Iets nieuws maken

Een activiteit in {place}, een nieuwsbericht of een pagina:

```sh
make nieuw SOORT=activiteit TITEL="Koffieochtend in {place}"
make nieuw SOORT=nieuws TITEL="Nieuwe vrijwilligers in {place}"
make nieuw SOORT=pagina TITEL="Samen eten"
```

Het commando zegt welk bestand het gemaakt heeft. Open dat bestand en vul het in: bij een activiteit staat
achter elk veld wat erin moet (de datum, de plek, wie het organiseert). In het nieuwe bestand staat een
voorbeeldzin; zolang die er staat, meldt `make check` dat als fout. Schrijf je eigen tekst en typ dan:

```sh
make check   # nu zonder fouten? dan is het goed
```

## Online zetten

```sh
make klaar   # mag de site online? Dan staat er nergens meer INVULLEN, een voorbeeld of een voorbeeldzin
make site    # de site bouwen in output/, zoals hij online komt
```

`make klaar` stopt met een lijst van elke plek zolang er nog iets onaf is. Op GitHub gebeurt hetzelfde: bij
elke wijziging op `main` controleert de workflow de site zo, bouwt hem en zet hem online; is hij nog niet af,
dan blijft de vorige versie staan. Je ziet het resultaat onder **Actions** in de repository.

## Meer weten

De handleiding van het programma zelf (`docs/redactie.md` en `docs/agenda.md` in `generator/`) legt elke
melding en elk veld van een activiteit uit. Die is geschreven voor een andere gemeente: de voorbeelden daar
(plaatsen, adressen) gelden niet voor {m}, en de commando's daar werken in de map van het programma, niet hier.
Hier gebruik je `make`, zoals hierboven.
"""


def guide_files(a: Answers, base_url: str) -> dict[str, str]:
    """The site's Makefile and its editors' guide, by path."""
    return {"Makefile": MAKEFILE, "docs/redactie.md": editors_guide(a, base_url)}


def editors_guide(a: Answers, base_url: str) -> str:
    """The Dutch editors' guide of this one site: its name, villages and address, and commands that work."""
    m = a.municipality
    villages = ", ".join(a.villages) if a.villages else "(nog geen: zet ze in `site.yaml` bij `villages`)"
    return GUIDE.format(m=m, place=a.villages[0] if a.villages else m, villages=villages, base_url=base_url)
