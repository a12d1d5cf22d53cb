"""The dated sections (core/sections.py: news, newsletters, a site's own): the posts with their
neighbours, paginated listings (by year for an archive), subject pages.

URLs (rules in urls.py): /nieuws/, /nieuws/pagina/2/, /nieuws/onderwerp/, /nieuws/onderwerp/<slug>/
(and /nieuws/onderwerp/<slug>/pagina/2/); /nieuwsbrieven/ with /nieuwsbrieven/pagina/2/ when the
archive grows long. The section's index.md gives the listing its title and introduction (first page only).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import jinja2

from ..core.errors import Location, Problems
from ..core.model import Link, Output, Page, Site
from .pages import breadcrumbs, posts_of, render_page
from ..core.sections import DatedSection, all_sections, is_post, section_of
from ..core.urls import absolute, listing_url, output_path, slugify, tag_index_url, tag_url

FOLLOW_URL = "/volgen/"


@dataclass(frozen=True)
class Pagination:
    """Where one page of a listing is among its siblings."""

    number: int
    urls: tuple[str, ...]  # the URL of every page, first to last

    @property
    def total(self) -> int:
        return len(self.urls)

    @property
    def previous_url(self) -> str | None:
        return self.urls[self.number - 2] if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.urls[self.number] if self.number < self.total else None


@dataclass(frozen=True)
class Tag:
    """A subject: its label (as most often written), slug URL and posts, newest first."""

    label: str
    url: str
    pages: tuple[Page, ...]


def render_listings(env: jinja2.Environment, site: Site) -> list[Output]:
    """Every dated section's pages, their listings and their subject pages (check_dates has passed)."""
    outputs: list[Output] = []
    for section in all_sections(site.config):
        pages = [p for p in site.pages if p.section == section.folder]
        if not pages:
            continue
        entries = posts_of(site, section)
        outputs += render_entries(env, site, section, entries)
        index = site.page_by_url(section.url) or default_index(section)
        extra_pages = [p for p in pages if p not in entries and p.url != index.url]
        outputs += [render_page(env, site, p) for p in extra_pages]
        outputs += render_listing(env, site, section, index, entries, section.listing_template)
        tags = tags_of(section.folder, entries)
        if tags:
            outputs += render_tags(env, site, section, index, tags)
    return outputs


def check_dates(site: Site, problems: Problems) -> None:
    """Every post of a dated section needs a date: that is how they are ordered and dated in feeds.
    A check before rendering, so its errors come with every other problem and warning of the build."""
    sections = all_sections(site.config)
    for page in site.pages:
        if is_post(sections, page) and page.date is None:
            post = section_of(sections, page.section).post
            problems.error(Location(page.source, 1, 1),
                           f"dit {post} heeft geen datum. "
                           "Zet in de kop een regel als 'date: 2025-03-14' (de dag van verschijnen).")


def default_index(section: DatedSection) -> Page:
    """A stand-in for a missing content/<section>/index.md, so the listing still has a title."""
    return Page(source=f"content/{section.folder}/", rel=f"{section.folder}/index.md", url=section.url,
                title=section.title, description=f"{section.title} van de coalitie.", body_html="",
                kind="section", section=section.folder)


def pages_of(items: list, per_page: int) -> list[list]:
    """The items in pages of per_page (one empty page when there are none)."""
    return [items[i:i + per_page] for i in range(0, len(items), per_page)] or [[]]


# -- the posts -------------------------------------------------------------------------------------

def render_entries(env: jinja2.Environment, site: Site, section: DatedSection, entries: list[Page]) -> list[Output]:
    """Each post with links to the older and newer one and to its subjects."""
    outputs = []
    for position, page in enumerate(entries):
        newer = entries[position - 1] if position > 0 else None
        older = entries[position + 1] if position + 1 < len(entries) else None
        outputs.append(render_page(env, site, page, previous=older, next=newer,
                                   tag_links=tag_links(section.folder, page.tags), dated=section,
                                   listing=Link(section.title, section.url), **follow(site)))
    return outputs


def tag_links(section: str, tags: tuple[str, ...]) -> list[Link]:
    return [Link(tag, tag_url(section, tag)) for tag in tags]


def follow(site: Site) -> dict:
    """The /volgen/ page, when the site has one, for a 'follow us' link on listings and posts."""
    page = site.page_by_url(FOLLOW_URL)
    return {"follow": Link(page.title, page.url) if page else None}


# -- listings --------------------------------------------------------------------------------------

def render_listing(env: jinja2.Environment, site: Site, section: DatedSection, index: Page, entries: list[Page],
                   template: str, heading: str | None = None, tag: Tag | None = None) -> list[Output]:
    """A listing in pages: the first at the index's URL, the others at <url>pagina/<n>/."""
    chunks = pages_of(entries, section.per_page)
    urls = tuple(listing_url(index.url, n) for n in range(1, len(chunks) + 1))
    outputs = []
    for number, chunk in enumerate(chunks, start=1):
        page = index if number == 1 else replace(
            index, url=urls[number - 1], title=f"{index.title}, pagina {number} van {len(chunks)}",
            body_html="", description=f"{index.description} Pagina {number} van {len(chunks)}.")
        outputs.append(_render(env, site, template, page, entries=chunk, heading=heading or index.title,
                               pagination=Pagination(number, urls), section=section, tag=tag,
                               tags_url=tag_index_url(section.folder) if tags_of(section.folder, entries) else None,
                               listing=Link(section.title, section.url), **follow(site)))
    return outputs


def tags_of(section: str, entries: list[Page]) -> list[Tag]:
    """The subjects of a section's posts; tags that differ only in case or accents are one subject."""
    groups: dict[str, list[tuple[str, Page]]] = {}
    for page in entries:
        for label in dict.fromkeys(page.tags):
            groups.setdefault(slugify(label), []).append((label, page))
    tags = []
    for slug, members in groups.items():
        labels = [label for label, _ in members]
        label = max(sorted(set(labels)), key=labels.count)
        pages = tuple(dict.fromkeys(page for _, page in members))
        tags.append(Tag(label, tag_url(section, label), pages))
    return sorted(tags, key=lambda t: t.label.lower())


def render_tags(env: jinja2.Environment, site: Site, section: DatedSection, index: Page, tags: list[Tag]) -> list[Output]:
    """The list of subjects, and per subject the posts about it (paginated like the listing)."""
    overview = Page(source=index.source, rel=index.rel, url=tag_index_url(section.folder),
                    title=f"{section.title}: onderwerpen", kind="listing", section=section.folder, body_html="",
                    description=f"Alle onderwerpen van {section.title.lower()}, met het aantal berichten.")
    outputs = [_render(env, site, "tag_index.html", overview, tags=tags,
                       listing=Link(section.title, section.url), section=section)]
    for tag in tags:
        page = Page(source=index.source, rel=index.rel, url=tag.url, title=f"Onderwerp: {tag.label}",
                    kind="listing", section=section.folder, body_html="",
                    description=f"{section.title} over {tag.label}.")
        outputs += render_listing(env, site, section, page, list(tag.pages), "tag.html",
                                  heading=f"Onderwerp: {tag.label}", tag=tag)
    return outputs


def _render(env: jinja2.Environment, site: Site, template: str, page: Page, **context) -> Output:
    html = env.get_template(template).render(page=page, breadcrumbs=breadcrumbs(site, page),
                                             canonical=absolute(site.base_url, page.url), **context)
    return Output(output_path(page.url), html.encode("utf-8"), page.source)
