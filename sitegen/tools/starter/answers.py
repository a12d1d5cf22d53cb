"""What a coalition tells `build.py init` about itself: from the options or asked one by one, then checked.

Every check gives a Dutch reason the person running init can act on; init creates nothing while one remains.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ...core.errors import Problems
from ...core.model import Theme
from ...core.paths import GENERATOR_ROOT
from ...source.theme import LogoCheck, check_logo, checked_colours
from .origin import github_repo

DEFAULT_MUNICIPALITY = "Voorbeeldgemeente"
DEFAULT_BASE_URL = "https://www.voorbeeld.nl/"
_URL = re.compile(r"^https?://[^\s/]+\.[^\s/]+(/[^\s]*)?$")


class InitError(Exception):
    """Something the person running init can fix; the message says what, in Dutch."""


@dataclass(frozen=True)
class Answers:
    """What a coalition tells init about itself; anything missing becomes a placeholder."""

    municipality: str = DEFAULT_MUNICIPALITY
    villages: tuple[str, ...] = ()
    base_url: str = DEFAULT_BASE_URL
    organisation: str | None = None
    phone: str | None = None
    helplines: tuple[tuple[str, str], ...] = ()  # (name, phone)
    accent: str | None = None
    logo: Path | None = None
    logo_alt: str | None = None
    generator_repo: str | None = None  # owner/name on GitHub; None: from the generator's git remote (origin.py)


def answers_from_options(options: dict) -> Answers:
    villages = tuple(v.strip() for v in (options.get("villages") or "").split(",") if v.strip())
    helplines = []
    for spec in options.get("helplines") or ():
        name, sep, phone = spec.partition("=")
        if not sep or not name.strip() or not phone.strip():
            raise InitError(f"--hulplijn '{spec}' begrijp ik niet. Schrijf de naam en het nummer met een = "
                            "ertussen, zoals --hulplijn \"De Luisterlijn=088 0767 000\".")
        helplines.append((name.strip(), phone.strip()))
    logo = options.get("logo")
    return Answers(
        municipality=(options.get("municipality") or DEFAULT_MUNICIPALITY).strip() or DEFAULT_MUNICIPALITY,
        villages=villages,
        base_url=options.get("base_url") or DEFAULT_BASE_URL,
        organisation=options.get("organisation") or None,
        phone=options.get("phone") or None,
        helplines=tuple(helplines),
        accent=options.get("accent") or None,
        logo=Path(logo) if logo else None,
        logo_alt=options.get("logo_alt") or None,
        generator_repo=_generator_repo(options.get("generator_repo")),
    )


def _generator_repo(given: str | None) -> str | None:
    """owner/name from --generator-repo (a GitHub URL is fine too); InitError when it is neither."""
    if not given or not given.strip():
        return None
    repo = github_repo(given)
    if repo is None:
        raise InitError(f"--generator-repo '{given}' begrijp ik niet. Geef de GitHub-repository van het programma "
                        "als organisatie/naam, zoals --generator-repo organisatie/sitegen. Er is niets gemaakt.")
    return repo


def ask_answers(ask, known_repo: str | None = None) -> Answers:
    """The same questions as the options, asked one by one in Dutch; an empty answer takes the default.
    Where the generator lives on GitHub is asked only when its own git remote does not say (known_repo)."""
    def question(text: str, default: str = "") -> str:
        shown = f" [{default}]" if default else ""
        return ask(f"{text}{shown}: ").strip() or default

    municipality = question("Naam van de gemeente", DEFAULT_MUNICIPALITY)
    villages = question("Dorpen en kernen, met komma's ertussen (mag leeg)")
    base_url = question("Webadres van de site", DEFAULT_BASE_URL)
    organisation = question("Organisatie die inwoners kunnen bellen (mag leeg)")
    phone = question("Telefoonnummer van die organisatie (mag leeg)")
    helplines = []
    while True:
        name = question("Een hulplijn: naam (leeg = klaar; zonder hulplijnen komen de landelijke)")
        if not name:
            break
        helplines.append(f"{name}={question('Telefoonnummer van ' + name)}")
    accent = question("Accentkleur, zoals #1a5e8a (leeg = de standaardkleur)")
    logo = question("Logo: pad naar een SVG- of PNG-bestand (mag leeg)")
    logo_alt = question("Wat staat er op het logo?") if logo else ""
    repo = known_repo or question("Op welke GitHub-repository staat dit programma, zoals organisatie/sitegen? "
                                  "(mag leeg: dan vult u het later in de workflow in)")
    return answers_from_options({"municipality": municipality, "villages": villages, "base_url": base_url,
                                 "organisation": organisation, "phone": phone, "helplines": helplines,
                                 "accent": accent, "logo": logo, "logo_alt": logo_alt, "generator_repo": repo})


def check(target: Path, answers: Answers) -> list[str]:
    """Every reason not to create the site, in Dutch; empty when all is well."""
    reasons = []
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        reasons.append(f"De map {target} bestaat al en is niet leeg. Kies een nieuwe map; init schrijft "
                       "nooit over bestaande bestanden heen.")
    if not _URL.match(answers.base_url):
        reasons.append(f"'{answers.base_url}' is geen geldig webadres. Schrijf het volledig, met https:// "
                       "ervoor, zoals https://www.voorbeeldgemeente.nl/eenzaamheid/.")
    seen: dict[str, str] = {}
    for village in answers.villages:
        key = " ".join(village.lower().split())
        if key in seen:
            reasons.append(f"Het dorp '{village}' staat twee keer in de lijst met dorpen. Noem elk dorp één keer.")
        seen[key] = village
    if answers.logo is not None:
        problems = Problems()
        head = answers.logo.read_bytes()[:1024] if answers.logo.is_file() else None
        check_logo(Theme(logo=str(answers.logo), logo_alt=answers.logo_alt or "-"), LogoCheck(head), problems)
        reasons += [p.message.replace("in de map static/ van de site", "op die plek")
                    .replace("het logo ", "Het logo ", 1) for p in problems.errors]
        if not answers.logo_alt:
            reasons.append("Bij het logo hoort een beschrijving voor wie het niet kan zien: geef --logo-alt "
                           "\"Logo van ...\" mee.")
    if answers.accent is not None:
        reasons += _check_colour(answers.accent)
    return reasons


def _check_colour(accent: str) -> list[str]:
    generator_css = GENERATOR_ROOT / "static" / "css" / "site.css"  # the default colours
    problems = Problems()
    checked_colours(Theme(accent=accent), generator_css.read_text(encoding="utf-8"), problems)
    return [p.message[0].upper() + p.message[1:] for p in problems.errors]
