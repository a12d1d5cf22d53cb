"""`build.py init MAP`: a new coalition's own site folder, neutral and complete, in one step.

The site is a folder (or repository) of its own: site.yaml, content/, a deploy workflow and a README.
The generator stays apart (pinned in the workflow by a full commit SHA, see origin.py), so upgrading it never
brings another coalition's content along. Everything is checked and composed in memory first, then written
into a temporary folder that is renamed into place: a refused or failed init leaves nothing half-written.
Texts are plain Dutch (B1) and name only what the coalition gave; what it did not give is left as an
[INVULLEN: ...] placeholder that `check` lists as a warning until it is filled in, and that
`check --publish` (what the workflow runs before it publishes) refuses.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from pathlib import Path

from ...source.placeholders import placeholder as fill
from ... import __version__
from ...core.paths import GENERATOR_ROOT
from .answers import Answers, InitError, answers_from_options, ask_answers, check
from .origin import Origin, find_origin
from .guide import guide_files
from .pages import content_pages
from .repository import repository_files
from .settings import EXAMPLE_ACTIVITY, activity_yaml, logo_name, site_yaml


def main(target: Path, options: dict, today: dt.date, interactive: bool | None = None,
         ask=input, out=sys.stdout, err=sys.stderr) -> int:
    """The init command: ask (in a terminal, when no option was given) or take the options, then create."""
    if interactive is None:
        interactive = sys.stdin.isatty() and not any(v for v in options.values())
    try:
        known = find_origin(GENERATOR_ROOT, __version__).repo if interactive else None
        answers = ask_answers(ask, known) if interactive else answers_from_options(options)
        origin = find_origin(GENERATOR_ROOT, __version__, answers.generator_repo)
        create(target, answers, today, origin)
    except InitError as exc:
        print(str(exc), file=err)
        return 1
    except (EOFError, KeyboardInterrupt):
        print("\nAfgebroken; er is niets gemaakt.", file=err)
        return 1
    shown = target
    print(f"De site voor {answers.municipality} staat in {shown}.\n"
          f"Bekijk hem met:  python build.py serve --site {shown}\n"
          f"Wat nog ingevuld moet worden: python build.py check --site {shown}\n"
          f"Klaar om online te gaan? python build.py check --publish --site {shown}\n"
          "Lees daarna README.md in die map: hoe je hem publiceert en het programma bijwerkt.\n"
          "Voor de redactie: docs/redactie.md in die map, met de commando's die daar werken (make check, "
          "make serve, make nieuw).", file=out)
    for line in origin_notes(origin):
        print(line, file=out)
    return 0


def origin_notes(origin: Origin) -> list[str]:
    """What the workflow pins, and what is still to fill in there, in Dutch."""
    notes = []
    if origin.repo and origin.commit:
        notes.append(f"De workflow gebruikt het programma van github.com/{origin.repo}, versie {origin.version}, "
                     f"commit {origin.commit}.")
    if origin.repo is None:
        notes.append("Vul in .github/workflows/site.yml bij GENERATOR_REPO de GitHub-repository van het programma "
                     "in (of maak de site opnieuw met --generator-repo organisatie/naam). 'check --publish' meldt "
                     "het tot dan.")
    if origin.commit is None:
        notes.append("Vul in .github/workflows/site.yml bij GENERATOR_VERSION de commit van het programma in (de "
                     "regel 'commit:' bij de nieuwste versie in CHANGELOG.md).")
    elif origin.unpublished:
        notes.append(f"Let op: commit {origin.commit[:12]} staat nog niet op een tak van de repository van het "
                     "programma (git branch -r). Zet hem daar eerst, anders kan de workflow hem niet ophalen.")
    return notes


def create(target: Path, answers: Answers, today: dt.date, origin: Origin | None = None) -> None:
    """Check, compose in memory, write into a temporary folder beside target, then rename it into place."""
    reasons = check(target, answers)
    if reasons:
        raise InitError("\n".join(reasons) + "\nEr is niets gemaakt.")
    if origin is None:
        origin = find_origin(GENERATOR_ROOT, __version__, answers.generator_repo)
    files = compose(answers, today, origin, target.resolve().name or "site")
    target = target.absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.parent / f".{target.name}.init-{os.getpid()}"
    try:
        for rel, data in files.items():
            path = temporary / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        if target.is_dir():
            target.rmdir()  # empty, as check() made sure
        temporary.rename(target)
    except OSError as exc:
        raise InitError(f"De site kon niet in {target} gezet worden ({exc.strerror or exc}). Er is niets "
                        "gemaakt.") from None
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def compose(a: Answers, today: dt.date, origin: Origin, folder: str = "site") -> dict[str, str | bytes]:
    """Every file of the new site, by path; folder: the name of the site's folder."""
    m = a.municipality
    base_url = a.base_url if a.base_url.endswith("/") else a.base_url + "/"
    organisation = a.organisation or fill("naam van de organisatie die inwoners kunnen bellen")
    phone = a.phone or fill("telefoonnummer")
    place = a.villages[0] if a.villages else m
    files: dict[str, str | bytes] = {}
    files["site.yaml"] = site_yaml(a, base_url, organisation, phone)
    if a.logo is not None:
        files[f"static/img/{logo_name(a.logo)}"] = a.logo.read_bytes()
    files.update(content_pages(m, organisation, phone, today))
    files[f"content/agenda/{EXAMPLE_ACTIVITY}.yaml"] = activity_yaml(a, place, organisation, phone, today)
    files.update(repository_files(a, origin, folder))
    files.update(guide_files(a, base_url))
    return files
