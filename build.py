#!/usr/bin/env python3
"""Build the coalition's website: `python build.py [build|check|clean|new|serve] [options]`."""

from __future__ import annotations

import argparse
import errno
import gc
import os
import sys
import time
import traceback
from pathlib import Path
from types import SimpleNamespace

from sitegen import __version__

from sitegen.core import dates
from sitegen.core.errors import ContentError
from sitegen.incremental.cache import clean_cache
from sitegen.core.options import BuildOptions
from sitegen.write.spare import clean, work_dir


def build(options: BuildOptions):
    """Import the full pipeline only when there is work: a no-change rebuild stays instant."""
    from sitegen.incremental.fastpath import unchanged_build

    state, fingerprint, damaged = unchanged_build(options)
    if state is not None:
        return SimpleNamespace(warnings=state["warnings"], summary=state["summary"], notices=[])
    from sitegen.pipeline import build as full_build

    return full_build(options, fingerprint=fingerprint, damaged=damaged)


def generate(options: BuildOptions):
    from sitegen.pipeline import generate as full_generate

    return full_generate(options)

REPO = Path(__file__).resolve().parent
EXIT_CONTENT = 1
EXIT_BUG = 2


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="build.py", description="Bouw de website van de coalitie.")
    parser.add_argument("command", nargs="?", default="build", choices=["build", "check", "clean", "new", "serve",
                                                                 "import-newsletter", "redactie", "redactie-netjes", "init"],
                        help="build (standaard): bouw de site; check: controleer alles, schrijf niets; "
                             "clean: verwijder de uitvoermap; new SOORT \"Titel\": maak een nieuwe pagina, "
                             "activiteit, nieuwsbericht of nieuwsbrief; serve: bekijk de site terwijl je werkt; "
                             "import-newsletter BESTAND.html: zet een nieuwsbrief uit een mailprogramma in het archief; "
                             "redactie-netjes: maak een opslag van de webeditor op GitHub klein (alleen de "
                             "veranderde regels, commentaar en volgorde terug); "
                             "init MAP: maak een nieuwe site voor een andere gemeente")
    parser.add_argument("arguments", nargs="*", metavar="ARG",
                        help="bij new: de soort (pagina, activiteit, nieuws, nieuwsbrief) en de titel; "
                             "bij import-newsletter: het HTML-bestand; bij init: de nieuwe map")
    parser.add_argument("--version", action="version", version=f"build.py {__version__}",
                        help="toon het versienummer van het programma")
    parser.add_argument("--date", help="bij new: de datum van het bericht of de activiteit (een later nieuwsbericht komt "
                             "dan pas online); bij import-newsletter: de datum van verzenden, zoals 2025-06-16")
    parser.add_argument("--basis", default="origin/main",
                        help="bij redactie-netjes: de tak waar de wijziging in moet (standaard origin/main)")
    parser.add_argument("--port", type=int, default=8000, help="bij serve: de poort (standaard 8000)")
    parser.add_argument("--cms-port", type=int, default=8081,
                        help="niet meer nodig: de webeditor gebruikt nu dezelfde poort als de site")
    parser.add_argument("--site", type=Path, default=REPO, help="map van de site (standaard: deze repository)")
    parser.add_argument("--output", type=Path, help="uitvoermap (standaard: output/ in de map van de site)")
    parser.add_argument("--base-url", help="ander webadres, bijvoorbeeld voor een voorbeeldversie")
    parser.add_argument("--now", help="het moment van bouwen, zoals 2025-03-14T09:00 (maakt de uitvoer herhaalbaar)")
    parser.add_argument("--drafts", action="store_true", help="neem ook concepten (draft: true) mee")
    parser.add_argument("--demo", action="store_true",
                        help="neem ook voorbeeldactiviteiten (example: true) mee; serve en redactie doen dat altijd")
    parser.add_argument("--publish", action="store_true",
                        help="bij check en build: controleer eerst of de site online mag (geen [INVULLEN: ...], "
                             "geen voorbeeldactiviteiten, geen voorbeeldzinnen van new); anders exitcode 1")
    parser.add_argument("--format", choices=["text", "github"], default="text", help="vorm van meldingen")
    parser.add_argument("--no-cache", action="store_true", help="bouw alles opnieuw, zonder de bouwcache in .cache/ te gebruiken")
    parser.add_argument("--no-search", action="store_true", help="maak geen zoekindex (sneller, voor proefbouwen)")
    parser.add_argument("--jobs", type=int, default=0, help="aantal processen (standaard: een per processorkern)")
    start = parser.add_argument_group("bij init (zonder deze opties vraagt init het in een terminal)")
    start.add_argument("--gemeente", help="naam van de gemeente (standaard: Voorbeeldgemeente)")
    start.add_argument("--dorpen", help="dorpen en kernen, met komma's ertussen")
    start.add_argument("--organisatie", help="de organisatie die inwoners kunnen bellen")
    start.add_argument("--telefoon", help="haar telefoonnummer")
    start.add_argument("--hulplijn", action="append", help="een hulplijn als \"Naam=nummer\" (mag vaker)")
    start.add_argument("--kleur", help="accentkleur, zoals #1a5e8a")
    start.add_argument("--logo", help="een SVG- of PNG-bestand")
    start.add_argument("--logo-alt", help="wat er op het logo staat")
    start.add_argument("--generator-repo", "--programma-repo", dest="generator_repo",
                       help="de GitHub-repository van dit programma, zoals organisatie/sitegen (standaard: uit "
                            "'git remote get-url origin' van dit programma)")
    parser.add_argument("--timings", action="store_true",
                        help="toon na het bouwen hoe lang elke stap duurde (voor wie de bouw sneller maakt)")
    loudness = parser.add_mutually_exclusive_group()
    loudness.add_argument("-q", "--quiet", action="store_true", help="meld alleen fouten")
    loudness.add_argument("-v", "--verbose", action="store_true", help="meld meer, met details bij programmafouten")
    return parser.parse_args(argv)


def init(args: argparse.Namespace, today) -> int:
    """`build.py init MAP`: a new site folder of its own."""
    from sitegen.tools.starter.command import main as init_entry

    if len(args.arguments) != 1:
        print("Gebruik: python build.py init MAP  (de map moet nieuw of leeg zijn). Bijvoorbeeld:\n"
              "  python build.py init ../site-westerveld --gemeente Westerveld", file=sys.stderr)
        return EXIT_CONTENT
    options = {"municipality": args.gemeente, "villages": args.dorpen, "base_url": args.base_url,
               "organisation": args.organisatie, "phone": args.telefoon, "helplines": args.hulplijn,
               "accent": args.kleur, "logo": args.logo, "logo_alt": args.logo_alt,
               "generator_repo": args.generator_repo}
    return init_entry(Path(args.arguments[0]), options, today)


def publishable(options: BuildOptions, command: str):
    """--publish: stop (ContentError) when the site may not go live yet. For check that is the result; a
    build goes on after it (None)."""
    from sitegen.tools.publish import publishable as check_publishable

    result = check_publishable(options)
    return result if command == "check" else None


def report(problems, fmt: str) -> None:
    for problem in sorted(problems):
        print(problem.format_github() if fmt == "github" else problem.format(), file=sys.stderr)


# What an error of the operating system means for someone building the site, and what to do about it.
ENVIRONMENT_ERRORS = {
    errno.ENOSPC: "de schijf is vol. Maak ruimte vrij (of kies met --output een andere schijf) en bouw opnieuw",
    errno.EDQUOT: "je schijfruimte is op. Maak ruimte vrij en bouw opnieuw",
    errno.EROFS: "deze map is alleen-lezen. Bouw in een map waarin je mag schrijven (--site, --output)",
    errno.EACCES: "je hebt geen toestemming om hier te lezen of te schrijven. Pas de rechten aan of kies een "
                  "andere map",
    errno.EPERM: "je hebt geen toestemming om hier te lezen of te schrijven. Pas de rechten aan of kies een "
                 "andere map",
    errno.ENOTDIR: "hier staat een bestand waar een map moet staan. Haal het bestand weg of geef het een "
                   "andere naam",
    errno.EEXIST: "hier staat al een bestand waar een map moet komen. Haal het weg of geef het een andere naam",
    errno.EISDIR: "hier staat een map waar een bestand moet staan. Haal de map weg of geef hem een andere naam",
    errno.ELOOP: "hier wijzen snelkoppelingen (symlinks) in een kring naar elkaar. Haal er een weg",
    errno.ENAMETOOLONG: "deze naam is te lang. Kies een kortere naam",
    errno.EIO: "de schijf gaf een leesfout of schrijffout. Controleer de schijf en bouw opnieuw",
}


def environment_message(exc: OSError) -> str:
    """One Dutch line naming the path and what to do; "er is niets veranderd" holds: output/ is only
    replaced by a build that got through every step."""
    path = exc.filename if exc.filename is not None else ""
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    path = str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    what = ENVIRONMENT_ERRORS.get(exc.errno, f"het systeem meldt een fout ({exc.strerror or exc}). Los die op "
                                             "en bouw opnieuw")
    said = f"{path}: {what}." if path else f"{what[0].upper()}{what[1:]}."
    return said + " Er is niets veranderd in de uitvoermap."


def report_scheduled(scheduled) -> None:
    """News items and newsletters dated after the build: not on the site yet, and when they will be."""
    from sitegen.source.assemble import online_text

    for moment, rel in scheduled:
        print(f"content/{rel}: komt online op {online_text(moment)} (de dagelijkse bouw zet het dan op de site).")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    root = args.site.resolve()
    output = (args.output or root / "output").resolve()
    from sitegen.source.bounds import YEARS, year_problem

    try:
        now = dates.parse_now(args.now)
        if year_problem(now.year):
            raise ValueError(now.year)
    except (ValueError, OverflowError):  # OverflowError: 9999-12-31T23:59+14:00 moved to Amsterdam
        print(f"--now '{args.now}' is geen geldig moment. Schrijf het als 2025-03-14 of 2025-03-14T09:00, "
              f"met een jaar van {YEARS[0]} tot en met {YEARS[1]}.", file=sys.stderr)
        return EXIT_CONTENT
    options = BuildOptions(root=root, output=output, now=now, base_url=args.base_url, drafts=args.drafts,
                           demo=args.demo or args.command in ("serve", "redactie"),
                           use_cache=not args.no_cache, search=not args.no_search, workers=args.jobs)
    if args.command == "init":
        return init(args, now.date())
    if args.command == "new":
        from sitegen.tools.new_command import main as new_entry
        return new_entry(root, args.arguments, now.date(), date_text=args.date)
    if args.command == "import-newsletter":
        from sitegen.tools.newsletter.command import main as import_newsletter
        return import_newsletter(root, args.arguments, args.date)
    if args.command == "redactie-netjes":
        from sitegen.tools.editor_tidy import main as tidy
        return tidy(root, args.basis)
    if args.command == "redactie":
        from sitegen.tools.redactie import main as redactie
        gc.enable()
        return redactie(options, port=args.port, cms_port=args.cms_port)
    if args.command == "serve":
        from sitegen.tools.serve.command import main as serve
        gc.enable()  # a long-running process: collect cycles between rebuilds
        return serve(options, port=args.port, verbose=args.verbose)
    started = time.perf_counter()
    try:
        if args.command == "clean":
            removed = clean(output, work_dir(output, root))
            cache_removed = clean_cache(root)
            if not args.quiet:
                print(f"{output} verwijderd." if removed else f"Niets te verwijderen in {output}.")
                if cache_removed:
                    print(f"{root / '.cache'} verwijderd.")
            return 0
        result = publishable(options, args.command) if args.publish else None
        if result is None:
            result = generate(options) if args.command == "check" else build(options)
    except ContentError as exc:
        warnings = [] if args.quiet else exc.warnings
        report(exc.problems + warnings, args.format)
        count = len(exc.problems)
        also = f" en {amount(len(warnings), 'waarschuwing', 'waarschuwingen')}" if warnings else ""
        print(f"{amount(count, 'fout', 'fouten')}{also} gevonden; er is niets geschreven."
              + (" De site is nog niet klaar om online te gaan." if args.publish else ""), file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        print("Afgebroken; output/ is niet veranderd.", file=sys.stderr)
        return 130
    except OSError as exc:  # the machine, not the content nor the generator: a full disk, a read-only folder
        print(environment_message(exc), file=sys.stderr)
        return EXIT_CONTENT
    except Exception as exc:  # a bug in the generator, not in the content
        if _missing_package(exc):
            return not_installed(exc, sys.argv[1:] if argv is None else argv)
        if args.verbose:
            traceback.print_exc()
        print(f"Programmafout: {type(exc).__name__}: {exc}. Draai opnieuw met -v voor details.", file=sys.stderr)
        return EXIT_BUG
    if not args.quiet:
        report(result.warnings, args.format)
        for notice in result.notices:
            print(notice[0].upper() + notice[1:] + ".", file=sys.stderr)
        report_scheduled(getattr(result, "scheduled", ()))
    seconds = time.perf_counter() - started
    if args.timings:
        print(_timings(result, seconds), file=sys.stderr)
    if args.command == "check":
        if not args.quiet:
            count = len(result.warnings)
            noted = f" ({amount(count, 'waarschuwing', 'waarschuwingen')})" if count else ""
            print(f"Geen fouten in {amount(len(result.site.pages), 'pagina', 'pagina' + chr(39) + 's')}{noted}.")
            if args.publish:
                print("Klaar om te publiceren: geen [INVULLEN: ...], geen voorbeeldactiviteiten en geen "
                      "voorbeeldzinnen meer.")
        return 0
    if not args.quiet:
        summary = result.summary
        print(f"{amount(summary['pages'], 'pagina', 'pagina' + chr(39) + 's')}, "
              f"{amount(summary['events'], 'activiteit', 'activiteiten')}, "
              f"{amount(summary['feeds'], 'feed', 'feeds')} geschreven naar {output} in {seconds:.2f} s.")
    return 0


def _timings(result, total: float) -> str:
    """The time of each step of the build, for --timings (a no-change build has none: it did nothing)."""
    from sitegen.core.stopwatch import Stopwatch

    watch = getattr(result, "watch", None) or Stopwatch()
    return "Tijd per stap:\n" + watch.report(total)


def amount(count: int, one: str, many: str) -> str:
    """"1 activiteit", "12 activiteiten": the Dutch noun agrees with the number."""
    return f"{count} {one if count == 1 else many}"


def not_installed(exc: ModuleNotFoundError, argv: list[str]) -> int:
    """A package the build needs is missing: this Python is not the one `make site` installed them into.

    When that installation exists, run the same command with it (so `python build.py check` from the
    handbook just works); otherwise say in Dutch how to install, and stop with exit 1."""
    venv = REPO / ".venv"
    venv_python = venv / "bin" / "python"
    if venv_python.exists() and Path(sys.prefix).resolve() != venv.resolve():
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(str(venv_python), [str(venv_python), str(REPO / "build.py"), *argv])
    again = " ".join(["build.py", *(f'"{a}"' if " " in a else a for a in argv)])
    print(f"Het programma is nog niet geïnstalleerd: het onderdeel '{exc.name}' ontbreekt. Installeer alles "
          f"één keer met: make site (in de map {REPO}). Daarna werkt: python {again}", file=sys.stderr)
    return EXIT_CONTENT


def _missing_package(exc: BaseException) -> bool:
    return isinstance(exc, ModuleNotFoundError) and not (exc.name or "").startswith("sitegen")


def run_and_exit() -> None:
    """Run a command and leave at once.

    A build is one short-lived process that allocates a lot: the cyclic garbage collector is switched off
    (reference counting still frees what it can), and after the last output is flushed the process exits
    without tearing down every object one by one, which on a large site would take seconds."""
    gc.disable()
    try:
        code = main()
    except ModuleNotFoundError as exc:
        if not _missing_package(exc):
            raise
        code = not_installed(exc, sys.argv[1:])
    except KeyboardInterrupt:  # Ctrl-C while modules are still loading: nothing was written yet
        print("Afgebroken; output/ is niet veranderd.", file=sys.stderr)
        code = 130
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run_and_exit()
