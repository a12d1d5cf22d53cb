"""The jinja2 environment and the HTML pages: content pages, 404 and alias redirects."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from ..core import dates
from .qr import qr_svg
from ..agenda.render import agenda_globals
from .help import help_url, home_helplines
from ..core.model import Link, Output, Page, Site
from ..source.phones import link_phones, phone_link
from ..core.sections import DatedSection, all_sections, section_of
from ..core.urls import absolute, href, output_path

# An amount ("€ 3,50", "€ 2,-") or a time with its word ("11:30 uur"): never split over two lines.
TOGETHER = re.compile(r"€\s?\d+(?:[.,]\d+)*(?:,-)?|\b\d{1,2}:\d{2}\s+uur\b")


def keep_together(text: object) -> Markup:
    """The text, escaped, with each amount and time in a span that does not wrap (a phone at large text
    would otherwise show "€" at the end of one line and "3,50" on the next)."""
    escaped = str(escape(text))
    return Markup(TOGETHER.sub(lambda m: f'<span class="nowrap">{m.group(0)}</span>', escaped))


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'"
)


class Template(jinja2.Template):
    """A template whose imported macros ({% from "x.html" import m %}) see the globals of the render that
    imports them: jinja2 keeps the first import's module, made with the globals of that moment, and the
    build sets the globals for each page it renders (template_globals)."""

    def _get_default_module(self, ctx=None):
        if ctx is not None:
            keys = ctx.globals_keys - self.globals.keys()
            if keys:
                return self.make_module({key: ctx.parent[key] for key in keys})
        return self.make_module()


def environment(template_dirs: tuple[Path, ...], bytecode_cache: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """Autoescaping, strict about undefined names, and the filters every template may use; what a template
    may use of the site is template_globals(site), which the build sets before it renders with it.

    bytecode_cache keeps compiled templates between builds (jinja2 checks each against its source)."""
    # A site's own template may extend the generator's version of itself as "standaard/<name>".
    loader = jinja2.ChoiceLoader([
        jinja2.FileSystemLoader([str(d) for d in template_dirs]),
        jinja2.PrefixLoader({"standaard": jinja2.FileSystemLoader(str(template_dirs[-1]))}),
    ])
    env = jinja2.Environment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=bytecode_cache,
    )
    env.template_class = Template
    env.globals.update(csp=CONTENT_SECURITY_POLICY, qr_code=qr_svg)  # pure functions: nothing to record
    env.filters.update(
        long_date=dates.long_date,
        day_heading=dates.day_heading,
        month_heading=dates.month_heading,
        clock=dates.clock,
        phones=link_phones,
        phone_link=once_per_text(phone_link),  # the same few helplines on every page
        keep_together=once_per_text(keep_together),  # the same few times and amounts in every list
    )
    return env


def once_per_text(function):
    """A pure filter that works each text out once for this environment (a build): the same values come
    back on every page. Markup and plain text are kept apart (the one is escaped, the other not)."""
    known: dict = {}

    def remembered(text):
        if type(text) is not str and type(text) is not Markup:  # a number, or what a site's template passes
            return function(text)
        key = (type(text), text)
        found = known.get(key)
        if found is None:
            found = known[key] = function(text)
        return found

    return remembered


def template_globals(site: Site) -> dict:
    """What every template may use of the site: the site itself, its settings, URL helpers, the help page
    and helplines, and the agenda's helpers. Everything is read from `site` when used."""
    return dict(
        site=site,
        config=site.config,
        url=lambda u: href(site.base_url, u),
        # A file of static/ by its own name, such as css/eigen.css: its URL with the content hash, if it has one.
        static_url=lambda rel: href(site.base_url, dict(site.static_urls).get(rel, "/" + rel)),
        absolute_url=lambda u: absolute(site.base_url, u),
        help_url=site.derive(help_url),  # a value of the whole site, worked out once a build
        home_helplines=home_helplines(site),
        **agenda_globals(site),
    )


def breadcrumbs(site: Site, page: Page) -> list[Link]:
    """Home, then each enclosing section that has a page, then the page itself."""
    if page.url == "/":
        return []
    trail = [Link("Home", "/")]
    parts = page.url.strip("/").split("/")
    for depth in range(1, len(parts)):
        parent = site.page_by_url("/" + "/".join(parts[:depth]) + "/")
        if parent is not None:
            trail.append(Link(parent.title, parent.url))
    trail.append(Link(page.title, page.url))
    return trail


def template_for(page: Page, dated: object = None) -> str:
    """The page's own template, else its kind's; a post of a dated section (dated) its section's."""
    if page.template:
        return page.template
    if dated is not None and page.kind == dated.kind:
        return dated.item_template
    return {"home": "home.html", "section": "section.html"}.get(page.kind, "page.html")


def posts_of(site: Site, section: DatedSection) -> list[Page]:
    """A dated section's posts, newest first (then the highest edition, then by URL, so ties are stable)."""
    pages = [p for p in site.pages if p.section == section.folder and p.kind == section.kind and p.date]
    return sorted(pages, key=lambda p: (p.date, p.time or dt.time(0), p.edition or 0, p.url), reverse=True)


@dataclass(frozen=True)
class HomeBlock:
    """A dated section on the home page: its newest posts (DatedSection.home of them)."""

    section: DatedSection
    posts: tuple[Page, ...]


def home_blocks(site: Site) -> list[HomeBlock]:
    """The blocks of the dated sections that ask for one on the home page and have posts."""
    blocks = [HomeBlock(s, tuple(posts_of(site, s)[:s.home])) for s in all_sections(site.config) if s.home]
    return [block for block in blocks if block.posts]


def render_page(env: jinja2.Environment, site: Site, page: Page, **extra) -> Output:
    template = env.get_template(template_for(page, extra.get("dated")))
    if page.kind == "home":
        extra.setdefault("home_sections", home_blocks(site))
    html = template.render(
        page=page,
        children=site.section_pages(page.section) if page.kind == "section" else [],
        breadcrumbs=breadcrumbs(site, page),
        canonical=absolute(site.base_url, page.url),
        **extra,
    )
    return Output(output_path(page.url), html.encode("utf-8"), page.source)


def content_pages(site: Site) -> list[Page]:
    """The pages rendered one by one by render_page (the dated sections' pages, their index pages included,
    come from listings.py, with their neighbours; the agenda from its own modules)."""
    sections = all_sections(site.config)
    return [page for page in site.pages if section_of(sections, page.section) is None]


def render_not_found(env: jinja2.Environment, site: Site) -> Output:
    html = env.get_template("404.html").render(page=None, breadcrumbs=[], canonical=None)
    return Output("404.html", html.encode("utf-8"), "templates/404.html")


def render_redirects(env: jinja2.Environment, site: Site) -> list[Output]:
    """A small page at each old address that sends readers (and search engines) to the new one."""
    template = env.get_template("redirect.html")
    outputs = []
    for page in site.pages:
        for alias in page.aliases:
            url = alias if alias.endswith(("/", ".html")) else alias + "/"
            html = template.render(page=page, target=absolute(site.base_url, page.url), breadcrumbs=[],
                                   canonical=absolute(site.base_url, page.url))
            outputs.append(Output(output_path(url), html.encode("utf-8"), page.source))
    return outputs
