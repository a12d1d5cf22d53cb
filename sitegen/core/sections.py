"""Dated sections as data: news, newsletters and any section a site adds in site.yaml's `sections:`.

A dated section is a folder under content/ whose files are posts with a date: each gets a page with its
older and newer neighbours, the folder a paginated listing (grouped by year when `by_year`), subject pages,
a feed, entries in the sitemap and the search index, and optionally a block on the home page. Everything
that differs between two such sections is a field of `DatedSection`; the modules that make those pages
(source/schemas.py, source/assemble.py, render/listings.py, feeds.py, pages.py, search.py, cms.py,
tools/scaffold.py) read this table and name no section themselves. A site's own sections come after
SECTIONS (site.yaml's `sections:`, checked in source/load_sections.py; `SiteConfig.sections`).
"""

from __future__ import annotations

from dataclasses import dataclass

from .urls import SLUG_RE

# The front matter fields a dated section may add to a page's (source/schemas.py DATED_EXTRA_FIELDS).
EXTRA_FIELDS = ("edition", "summary", "pdf")
# Folders a site's own section may not take: the generator makes pages or files there itself.
RESERVED = ("agenda", "alles", "feeds", "zoeken", "zoekindex", "admin", "css", "js", "img")


@dataclass(frozen=True)
class DatedSection:
    """One dated section: where it lives, what it is called, and what it shows."""

    folder: str  # the folder under content/ and the URL (/nieuws/)
    kind: str  # Page.kind of its posts: news, newsletter; "dated" for a section of site.yaml
    title: str  # the listing's title when the folder has no index.md: Nieuws
    singular: str  # one post, in "Vorige nieuwsbrief" (with article) and "Lees de oorspronkelijke nieuwsbrief": bericht
    plural: str  # several posts, in "Andere berichten": berichten
    post: str  # one post as a resident names it: nieuwsbericht ("dit nieuwsbericht heeft geen datum")
    front_matter: str  # Schema.what of its front matter: "de kop van het nieuwsbericht"
    all_label: str  # the link back to the listing: "Al het nieuws"
    empty: str  # what the listing says without posts
    search_label: str  # what the search page says after a post's title: (nieuws)
    feed: str  # the feed's file name: /feeds/nieuws.xml
    feed_title: str  # after the site's title: "<site>: nieuws"
    feed_subtitle: str  # "{site}" is the site's title: "Nieuws van {site}"
    new_kind: str = ""  # `build.py new <new_kind> "Titel"`: nieuws; "" for the folder name
    created: str = ""  # what `build.py new` says it made: het nieuwsbericht; "" for "de nieuwe pagina in <folder>/"
    by_year: bool = False  # the listing grouped by year (the newsletter archive), else a plain list
    per_page: int = 10  # posts on one page of the listing
    home: int = 0  # how many of the newest posts the home page shows (0: no block on the home page)
    fields: tuple[str, ...] = ("summary",)  # front matter beyond a page's, from EXTRA_FIELDS
    item_template: str = "news.html"  # the template of one post
    article: str = "de"  # "het" for a het-word: "Vorig bericht", "Volgend verhaal" (no -e, as Dutch has it)

    @property
    def previous_label(self) -> str:
        return f"{'Vorig' if self.article == 'het' else 'Vorige'} {self.singular}"

    @property
    def next_label(self) -> str:
        return f"{'Volgend' if self.article == 'het' else 'Volgende'} {self.singular}"

    @property
    def url(self) -> str:
        return f"/{self.folder}/"

    @property
    def listing_template(self) -> str:
        return "newsletter_archive.html" if self.by_year else "news_list.html"

    @property
    def edition_label(self) -> str:
        """Before an edition's number in a listing ("Nieuwsbrief 12, ..."); "" when it has no edition."""
        return self.singular[:1].upper() + self.singular[1:] if "edition" in self.fields else ""

    @property
    def schema_key(self) -> str:
        """What decides how its front matter is checked: kept with a page read from the cache
        (SourcePage.dated), so a page read under another table is read again."""
        return f"{self.folder}:{self.kind}:{','.join(self.fields)}"


NEWS = DatedSection(
    folder="nieuws", kind="news", title="Nieuws", singular="bericht", article="het", plural="berichten", post="nieuwsbericht",
    front_matter="de kop van het nieuwsbericht", all_label="Al het nieuws",
    empty="Er is nog geen nieuws. Kijk later nog eens.", search_label="nieuws",
    feed="nieuws", feed_title="nieuws", feed_subtitle="Nieuws van {site}", new_kind="nieuws", created="het nieuwsbericht",
    per_page=10, fields=("summary",), item_template="news.html")

NEWSLETTERS = DatedSection(
    folder="nieuwsbrieven", kind="newsletter", title="Nieuwsbrieven", singular="nieuwsbrief",
    plural="nieuwsbrieven", post="nieuwsbrief", front_matter="de kop van de nieuwsbrief",
    all_label="Alle nieuwsbrieven", empty="Er zijn nog geen nieuwsbrieven in het archief.",
    search_label="nieuwsbrief", feed="nieuwsbrieven", feed_title="nieuwsbrieven",
    feed_subtitle="De nieuwsbrieven van {site}", new_kind="nieuwsbrief", created="de nieuwsbrief",
    by_year=True, per_page=24,
    fields=("edition", "summary", "pdf"), item_template="newsletter.html")

# The dated sections every site has (a site without the folder simply shows none of its pages).
SECTIONS = (NEWS, NEWSLETTERS)


def folder_problem(value: str) -> str | None:
    """Why site.yaml's `sections: - folder:` is refused (None when it is right), in Dutch."""
    if not SLUG_RE.fullmatch(value):
        return (f"'{value}' kan geen map van een rubriek zijn: schrijf één woord met kleine letters, cijfers "
                "en streepjes, zoals verhalen (de map content/verhalen/ en het adres /verhalen/).")
    if any(section.folder == value for section in SECTIONS) or value in RESERVED:
        return (f"de map '{value}' is al in gebruik op elke site en kan geen eigen rubriek zijn. "
                "Kies een andere naam, zoals verhalen.")
    return None


def all_sections(config) -> tuple[DatedSection, ...]:
    """SECTIONS and the site's own (config: a SiteConfig, or None before site.yaml is read)."""
    extra = getattr(config, "sections", ()) if config is not None else ()
    return SECTIONS + tuple(extra)


def section_of(sections: tuple[DatedSection, ...], folder: str) -> DatedSection | None:
    """The dated section whose folder is `folder`, or None."""
    for section in sections:
        if section.folder == folder:
            return section
    return None


def section_of_rel(sections: tuple[DatedSection, ...], rel: str) -> DatedSection | None:
    """The dated section a file (path under content/) is a post of: directly in its folder, not its
    index.md. None for other files."""
    folder, slash, name = rel.partition("/")
    if not slash or name == "index.md":
        return None
    return section_of(sections, folder)


def post_kind(schema_key: str) -> str:
    """The Page.kind of a post, from the schema_key its SourcePage carries ("" for no dated section)."""
    return schema_key.split(":")[1] if schema_key else ""


def is_post(sections: tuple[DatedSection, ...], page) -> bool:
    """Whether a Page is a post of a dated section (not its index or a listing)."""
    section = section_of(sections, page.section)
    return section is not None and page.kind == section.kind
