"""Model the site: turn loaded sources into resolved, converted, cross-checked pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from ..core import dates
from ..core.errors import Location, Problem, Problems, check_now
from ..core.hashing import bytes_digest
from .links import LinkContext, convert_all
from .links_as_typed import file_meant, markdown_problems, missing_target
from .markdown import Conversion, MarkdownConverter, locate
from .placeholders import placeholders_in
from .trackers import tracker_links
from ..core.model import Asset, Link, Page, SiteConfig, Site, SourcePage
from ..core.sections import post_kind
from ..core.urls import asset_url, href, is_external, normalise_base_url, page_url, resolve_relative

DESCRIPTION_LENGTH = 160
HASHED_SUFFIXES = (".css",)


def page_kind(source: SourcePage) -> str:
    """home, section, page, or the kind of a dated section's posts (core/sections.py: news, newsletter)."""
    rel = source.rel
    if rel == "index.md":
        return "home"
    if rel.endswith("/index.md") and rel.count("/") == 1:
        return "section"
    return post_kind(source.dated) or "page"


def hashed_name(rel: str, data: bytes) -> str:
    """css/site.css -> css/site.1a2b3c4d.css: a new name for new bytes, so browsers may cache forever."""
    stem, dot, suffix = rel.rpartition(".")
    return f"{stem}.{bytes_digest(data)[:10]}.{suffix}"


def model_assets(content_files: list[tuple[str, Path]], static_files: list[tuple[str, Path]]) -> tuple[dict[str, str], list[Asset]]:
    """Every copied file's URL, keyed by its path under content/ or static/ (the stylesheet gets a hash)."""
    urls: dict[str, str] = {}
    assets: list[Asset] = []
    for rel, path in static_files:
        name = hashed_name(rel, path.read_bytes()) if rel.endswith(HASHED_SUFFIXES) else rel
        urls["static:" + rel] = asset_url(name)
        assets.append(Asset(str(path), asset_url(name)))
    for rel, path in content_files:
        urls[rel] = asset_url(rel)
        assets.append(Asset(str(path), asset_url(rel)))
    return urls, assets


@dataclass(frozen=True)
class Withheld:
    """A page that is not on the site at this build, and why: a draft, or dated after the build (scheduled)."""

    why: str  # Dutch, said where a link points to the page
    online: dt.datetime | None = None  # when a scheduled page goes live (the first build from then on)

    @property
    def notice(self) -> str:
        """What the preview says on the page itself."""
        if self.online is None:
            return "Dit is een concept (draft: true): het staat niet op de site. Haal 'draft: true' weg als het af is."
        return f"Deze pagina komt online op {online_text(self.online)}. Tot dan staat hij niet op de site."


def publish_moment(source: SourcePage, zone) -> dt.datetime | None:
    """When a post of a dated section (news, a newsletter) goes live: its date (and time of day), local;
    None for other pages."""
    value = source.meta.get("date")
    if value is None or page_kind(source) in ("home", "section", "page"):
        return None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=zone)
    return dates.start_of_day(value, zone)


def withheld_pages(sources: list[SourcePage], now: dt.datetime, drafts: bool = False) -> dict[str, Withheld]:
    """The one place that decides which pages are not published now, by path under content/.

    Drafts wait for 'draft: true' to go; a news item or newsletter dated after now waits for its moment,
    and the scheduled daily build then publishes it. Everything built from the site's pages (pages,
    listings, feeds, search, sitemap) follows. A build with --drafts (a preview) withholds nothing."""
    if drafts:
        return {}
    withheld = {}
    for source in sources:
        if source.meta.get("draft", False):
            withheld[source.rel] = Withheld("die pagina is nog een concept (draft: true)")
            continue
        moment = publish_moment(source, now.tzinfo)
        if moment is not None and moment > now:
            withheld[source.rel] = Withheld(f"die pagina komt pas online op {online_text(moment)}", moment)
    return withheld


def online_text(moment: dt.datetime) -> str:
    """'15 januari 2027', or '12 november 2026 om 15:24' when the moment is not midnight."""
    day = dates.long_date(moment.date())
    return day if (moment.hour, moment.minute) == (0, 0) else f"{day} om {dates.clock(moment)}"


def assemble(config: SiteConfig, sources: list[SourcePage], content_files: list[tuple[str, Path]],
             static_files: list[tuple[str, Path]], now: dt.datetime, problems: Problems,
             base_url: str | None = None, withheld: dict[str, Withheld] | None = None,
             unreadable: set[str] = frozenset(),
             image_sizes: dict[str, tuple[int, int]] | None = None,
             convert: Callable[[list, LinkContext], list[Conversion]] = convert_all,
             stylesheet: str | None = None, previewed: dict[str, Withheld] | None = None,
             check=check_now, carry=None) -> Site | None:
    """Resolve every page's URL and links, convert its markdown, and build menus; None on errors.

    convert(items, links) converts each (rel, markdown) pair (the build passes its cached, parallel one);
    check(name, source, compute) runs a check of one page's text (the build's keeps each page's result).
    carry(name, function, *arguments): function(previous, *arguments), previous being what it gave the
    build before in this process (the dev server's; None without one): see model_pages.

    Files that could not be read (their problem is already reported) still count as link targets,
    so a link to them does not add a second, misleading message. A scheduled page is checked now, so a
    missing photo fails today's pull request rather than the build of its day; the files only it uses
    wait with it. previewed: the pages a preview shows that the public site does not (yet), with why."""
    withheld = withheld_pages(sources, now) if withheld is None else withheld
    published = [s for s in sources if s.rel not in withheld]
    urls_by_rel = {rel: page_url(rel) for rel in unreadable}
    urls_by_rel.update((carry or _first)("urls", page_urls, published)[1])
    asset_urls, assets = model_assets(content_files, static_files)

    base = normalise_base_url(base_url or config.base_url)
    links = LinkContext(urls_by_rel, asset_urls, image_sizes or {}, base)
    conversions = dict(zip((s.rel for s in published), convert([(s.rel, s.body) for s in published], links)))
    modelled = (carry or _first)("pages", model_pages, published, conversions, links, withheld, problems, check)
    pages = [modelled[s.rel][3] for s in published]
    if previewed:
        pages = [replace(p, notice=previewed[p.rel].notice) if p.rel in previewed else p for p in pages]
    waiting = files_waiting([s for s in sources if s.rel in withheld and withheld[s.rel].online is not None],
                            replace(links, urls_by_rel={**urls_by_rel, **{
                                s.rel: page_url(s.rel, s.meta.get("slug")) for s in sources if s.rel in withheld}}),
                            withheld, pages, problems, check)
    assets = [a for a in assets if a.url not in waiting]
    menu = tuple(resolve_link_spec(spec, urls_by_rel, problems) for spec in config.menu)
    footer = tuple(resolve_link_spec(spec, urls_by_rel, problems) for spec in config.footer_links)
    if problems.errors:
        return None
    return Site(
        config=config,
        base_url=base,
        now=now,
        pages=tuple(sorted(pages, key=lambda p: p.url)),
        assets=tuple(assets),
        menu=menu,
        footer_links=footer,
        stylesheet=stylesheet or asset_urls.get("static:css/site.css", "/css/site.css"),
        static_urls=tuple(sorted((key[7:], url) for key, url in asset_urls.items() if key.startswith("static:"))),
    )


def files_waiting(scheduled: list[SourcePage], ahead: LinkContext, withheld: dict[str, Withheld],
                  pages: list[Page], problems: Problems, check=check_now) -> set[str]:
    """Check each scheduled page as it will be on its day (ahead: links as if it were online), and return
    the URLs of the files beside the content that only scheduled pages use: those go online with them."""
    used: set[str] = set()
    if not scheduled:
        return used  # no converter to make
    own = {url for key, url in ahead.asset_urls.items() if not key.startswith("static:")}
    converter = MarkdownConverter()
    for source in scheduled:
        def resolve(target: str, rel: str = source.rel) -> str | None:
            url = ahead.site_url(rel, target)
            if url is not None and url in own:
                used.add(url)
            return None if url is None else href(ahead.base, url)

        result = converter.convert(str(source.body), resolve, lambda target, rel=source.rel: ahead.size(rel, target))
        page = model_page(source, result, ahead, {}, problems, check)
        used.update(url for url in (page.image, page.pdf) if url in own)
    if not used:
        return used
    # A file a published page shows is already public: it stays.
    for page in pages:
        html = str(page.body_html)
        used -= {url for url in used if url in (page.image, page.pdf) or f'"{href(ahead.base, url)}' in html}
    return used


def resolve_link_spec(spec: tuple[str, str, Location], urls_by_rel: dict[str, str], problems: Problems) -> Link:
    title, target, where = spec
    if target.startswith("page:"):
        rel = target[5:]
        if rel not in urls_by_rel:
            problems.error(where, f"het menu wijst naar '{rel}', maar dat bestand staat niet in content/ "
                           "(of is een concept). Controleer de naam.")
            return Link(title, "/")
        return Link(title, urls_by_rel[rel])
    return Link(title, target, external=is_external(target))


def model_page(source: SourcePage, result: Conversion, links: LinkContext, withheld: dict[str, Withheld],
               problems: Problems, check=check_now) -> Page:
    """One page from its converted body: problems reported with their places, fields resolved."""
    meta = source.meta
    kind = page_kind(source)
    _report_broken_links(source, result, withheld, problems, links.asset_urls)
    _report_body(source, result, kind, problems, check)
    image = _page_image(source, links, problems)
    pdf = _page_pdf(source, links, problems)
    description = (meta.get("description") or meta.get("summary") or _shorten(result.lead)
                   or _shorten(str(result.text)) or meta["title"])
    return Page(
        source=source.source,
        rel=source.rel,
        url=links.urls_by_rel[source.rel],
        title=meta["title"],
        description=description,
        body_html=result.html,
        text=result.text,
        kind=kind,
        section=source.rel.split("/", 1)[0] if "/" in source.rel else "",
        date=meta["date"].date() if isinstance(meta.get("date"), dt.datetime) else meta.get("date"),
        time=meta["date"].time() if isinstance(meta.get("date"), dt.datetime) else None,
        updated=meta.get("updated"),
        draft=meta.get("draft", False),
        order=meta.get("order"),
        template=meta.get("template"),
        tags=meta.get("tags", ()),
        image=image,
        image_alt=meta.get("image_alt"),
        image_size=links.size(source.rel, meta["image"]) if image else None,
        aliases=meta.get("aliases", ()),
        headings=result.headings,
        edition=meta.get("edition"),
        summary=meta.get("summary"),
        pdf=pdf,
    )


def page_urls(previous: tuple | None, published: list[SourcePage]) -> tuple[dict, dict[str, str]]:
    """({id(source): (source, url)}, {path under content/: url}) of the published pages; the URL of the very
    same source as the build before (the dev server's: previous) is taken over (11,000 pages: 0.02 s)."""
    before = previous[0] if previous else {}
    by_id, by_rel = {}, {}
    for source in published:
        entry = before.get(id(source))
        if entry is None or entry[0] is not source:
            entry = (source, page_url(source.rel, source.meta.get("slug")))
        by_id[id(source)] = entry
        by_rel[source.rel] = entry[1]
    return by_id, by_rel


def _first(name: str, function: Callable, *arguments):
    return function(None, *arguments)


def model_pages(previous: dict | None, published: list[SourcePage], conversions: dict[str, Conversion],
                links: LinkContext, withheld: dict[str, Withheld], problems: Problems, check=check_now) -> dict:
    """model_page of every published page, by its path under content/: (source, conversion, url, page,
    problems). previous: what this gave the build before (the dev server's), whose pages are given again,
    with their problems, for the same source and conversion (the same objects) at the same URL: a page
    without broken links, image or PDF follows from those alone (the others are modelled every build)."""
    previous = previous or {}
    modelled = {}
    for source in published:
        result, url = conversions[source.rel], links.urls_by_rel[source.rel]
        before = previous.get(source.rel)
        if before is not None and before[0] is source and before[1] is result and before[2] == url:
            problems.extend(before[4])
            modelled[source.rel] = before
            continue
        found = Problems()
        page = model_page(source, result, links, withheld, found, check)
        problems.extend(found)
        alone = not (result.broken_links or source.meta.get("image") or source.meta.get("pdf"))
        modelled[source.rel] = (source, result, url, page, found.items) if alone else (None, None, None, page, None)
    return modelled


def _report_broken_links(source: SourcePage, result: Conversion, withheld: dict[str, Withheld],
                         problems: Problems, files: dict[str, str]) -> None:
    """A link to a page or file that is not on the site, at its place in the markdown, with why (and what
    to write, when it was typed as people copy a link or as Windows names a file: links_as_typed)."""
    for target in result.broken_links:
        line, column = locate(str(source.body), target, source.body_line)
        rel = resolve_relative(source.rel, target.partition("#")[0])
        as_typed = rel not in withheld and missing_target(target, names_beside(source.rel, files))
        if as_typed:
            problems.error(Location(source.source, line, column), as_typed)
            continue
        if rel in withheld:
            why = withheld[rel].why
        elif rel.startswith(".."):
            why = "dat pad gaat buiten de map content/"
        else:
            why = f"er is geen bestand content/{rel}"
        if not rel.startswith("..") and not rel.endswith(".md") and "." in rel.rsplit("/", 1)[-1]:
            # An image or attachment (foto.jpg, verslag.pdf), not a page.
            problems.error(Location(source.source, line, column),
                           f"het bestand '{target}' is niet gevonden: er is geen bestand content/{rel}. Zet "
                           "het bestand naast de pagina, of controleer de naam (ook hoofdletters).")
            continue
        problems.error(Location(source.source, line, column),
                       f"de link '{target}' wijst naar niets: {why}. Controleer de naam en schrijf de "
                       "link als pad naar het .md-bestand, zoals ../over/oorzaken.md.")


def names_beside(rel: str, files: dict[str, str]) -> list[str]:
    """The names of the content files in the folder of content/<rel> (not static/)."""
    folder = rel.rpartition("/")[0]
    return sorted(key.rpartition("/")[2] for key in files
                  if not key.startswith("static:") and key.rpartition("/")[0] == folder)


def _report_body(source: SourcePage, result: Conversion, kind: str, problems: Problems, check=check_now) -> None:
    """What may not be published in the text: images without alt text, click trackers, links as typed, the
    starter's placeholder sentences, and no text at all."""
    for src in result.images_without_alt:
        line, column = locate(str(source.body), src, source.body_line)
        problems.error(Location(source.source, line, column),
                       f"de afbeelding '{src}' heeft geen beschrijving (alt-tekst). Schrijf tussen de "
                       "vierkante haken wat erop staat: ![Vrijwilligers schenken koffie](foto.jpg).")
    problems.extend(check("text", source, text_problems))
    if result.blank and kind not in ("home", "section"):
        problems.error(source.location, "deze pagina heeft geen tekst. Schrijf tekst onder de kop, of "
                       "zet 'draft: true' in de kop zolang de pagina niet af is.")


def text_problems(source: SourcePage) -> list[Problem]:
    """The errors found in a page's text alone (so kept per page by the build's check): click trackers,
    links as typed, the starter's placeholder sentences."""
    found = Problems()
    body = str(source.body)
    for number, column, link in tracker_links(body):
        host = link.split("/")[2]
        found.error(Location(source.source, source.body_line + number, column),
                    f"deze link gaat via een klikteller van een mailprogramma ({host}): wie erop klikt, wordt "
                    "gevolgd, en zo'n link werkt vaak na een tijd niet meer. Vervang hem door het echte adres "
                    "(open de link en kopieer het adres waar je uitkomt).")
    for number, column, message in markdown_problems(body):
        found.error(Location(source.source, source.body_line + number, column), message)
    for number, column, sentence in placeholders_in(body):
        found.error(Location(source.source, source.body_line + number, column),
                    f"hier staat nog de voorbeeldzin '{sentence}' die 'build.py new' neerzette. Vervang hem "
                    "door je eigen tekst, of zet 'draft: true' in de kop zolang de pagina niet af is.")
    return found.items


def _page_image(source: SourcePage, links: LinkContext, problems: Problems) -> str | None:
    """The URL of the front matter's image (None without one, or when it is not found), with its alt text."""
    meta = source.meta
    if not meta.get("image"):
        return None
    image = links.site_url(source.rel, meta["image"])
    if image is None or is_external(meta["image"]):
        meant = file_meant(meta["image"], names_beside(source.rel, links.asset_urls))
        fix = (f"Naast de pagina staat wel '{meant}': schrijf image: {meant}" if meant else "Zet het bestand "
               "naast de pagina en schrijf alleen de bestandsnaam, zoals foto.jpg")
        problems.error(source.at("image"), f"de afbeelding '{meta['image']}' is niet gevonden. {fix}.")
    if not meta.get("image_alt"):
        problems.error(source.at("image"), "bij 'image' hoort 'image_alt': een zin die zegt wat er op "
                       "de afbeelding staat (voor wie niet kan zien).")
    return image


def _page_pdf(source: SourcePage, links: LinkContext, problems: Problems) -> str | None:
    """The URL of a newsletter's PDF (None without one, or when it is not found)."""
    meta = source.meta
    if not meta.get("pdf"):
        return None
    pdf = links.site_url(source.rel, meta["pdf"])
    if pdf is None:
        problems.error(source.at("pdf"), f"de PDF '{meta['pdf']}' is niet gevonden. Zet het bestand "
                       "naast de nieuwsbrief en schrijf alleen de bestandsnaam.")
    return pdf


def _shorten(text: str) -> str:
    if len(text) <= DESCRIPTION_LENGTH:
        return text
    cut = text[:DESCRIPTION_LENGTH].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"
