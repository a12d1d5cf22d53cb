"""The build recipe: load -> validate -> model -> render -> write, one line a step."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

import jinja2

from . import load
from .agenda import agenda_globals, load_events, model_events, render_agenda
from .feeds import feed_links, render_feeds
from .ical import render_calendars
from .listings import render_listings
from .engine import BuildCache, default_workers, hint_pages
from .assemble import assemble
from .errors import ContentError, Location, Problem, Problems
from .model import Output, Site
from .pages import environment, render_not_found, render_pages, render_redirects
from .search import index_site, render_search
from .sitemap import render_robots, render_sitemap
from .validate import check_duplicate_outputs, check_internal_links, check_unique_urls
from .write import check_output_dir, write_site


@dataclass(frozen=True)
class BuildOptions:
    root: Path
    output: Path
    now: dt.datetime
    base_url: str | None = None
    drafts: bool = False
    use_cache: bool = True  # read and write the persistent cache in <site>/.cache/
    workers: int = 0  # processes for Markdown; 0 means one per core
    search: bool = True  # build the Pagefind search index


@dataclass
class BuildResult:
    site: Site
    outputs: list[Output]
    warnings: list[Problem] = field(default_factory=list)
    cache: BuildCache = field(default_factory=BuildCache)

    @property
    def feed_count(self) -> int:
        feed_paths = {f.url.lstrip("/") for f in self.site.feeds}
        return sum(1 for o in self.outputs if o.path in feed_paths)


def generate(options: BuildOptions, cache: BuildCache | None = None) -> BuildResult:
    """Everything a build makes, in memory; raises ContentError with every problem found.

    cache: an in-memory cache to reuse (the dev server keeps one); else the site's cache on disk."""
    problems = Problems()
    paths = load.site_paths(options.root)
    config = load.load_config(paths, problems)
    sources, unreadable = load.load_pages(paths, problems)
    if cache is None:
        cache = BuildCache.load(paths.root) if options.use_cache else BuildCache()
    cache.used.clear()
    workers = options.workers or default_workers()
    published = [s for s in sources if options.drafts or not s.meta.get("draft", False)]
    problems.extend(hint_pages(published, cache, workers))  # warnings only, never a gate
    events = load_events(paths, problems)
    if config is None:
        problems.raise_if_errors()
    # Go on with what could be read, so an editor sees every problem in one run.
    files = load.content_files(paths)
    site = assemble(config, sources, files, load.static_files(paths, problems), options.now, problems,
                    base_url=options.base_url, drafts=options.drafts, unreadable=unreadable,
                    image_sizes=load.image_sizes(files), cache=cache, workers=workers)
    problems.raise_if_errors()
    site = replace(site, events=model_events(events, site, problems))
    site = replace(site, feeds=feed_links(site))
    check_unique_urls(site, problems)
    problems.raise_if_errors()
    outputs = render_all(paths.templates, site, problems)
    check_duplicate_outputs(outputs, problems)
    check_internal_links(site, outputs, {s.source: (s.body, s.body_line) for s in sources}, problems)
    problems.raise_if_errors()
    return BuildResult(site, outputs, problems.warnings, cache)


def render_all(template_dirs: tuple[Path, ...], site: Site, problems: Problems) -> list[Output]:
    """Every generated file: pages, redirects, 404, sitemap and robots.txt."""
    env = environment(template_dirs, site)
    env.globals.update(agenda_globals(site))
    try:
        outputs = render_pages(env, site)
        outputs += render_listings(env, site)
        outputs += render_agenda(env, site)
        outputs += render_redirects(env, site)
        outputs.append(render_not_found(env, site))
        outputs.append(render_search(env, site))
    except jinja2.TemplateSyntaxError as exc:
        problems.error(Location(f"templates/{exc.name or exc.filename}", exc.lineno or 0),
                       f"fout in het sjabloon: {exc.message}.")
        return []
    except jinja2.TemplateNotFound as exc:
        problems.error(Location("templates"), f"het sjabloon '{exc.name}' bestaat niet. Kies een sjabloon "
                       "uit de map templates/, zoals page.html.")
        return []
    outputs += render_feeds(site)
    outputs += render_calendars(site)
    outputs.append(render_sitemap(site))
    outputs.append(render_robots(site))
    return outputs


def build(options: BuildOptions) -> BuildResult:
    """Generate the site and, only if that fully succeeded, put it in place of output/."""
    refusal = check_output_dir(options.output, options.root)
    if refusal:
        raise ContentError([Problem(Location(str(options.output)), refusal + ".")])
    result = generate(options)
    language = result.site.config.language
    index = (lambda staging: index_site(staging, language)) if options.search else None
    manifest = write_site(options.output, result.outputs, list(result.site.assets), before_swap=index,
                          previous=result.cache.outputs.get(str(options.output)) if options.use_cache else None,
                          variant=f"search={options.search}")
    if options.use_cache:
        result.cache.save(options.root, {str(options.output): manifest})
    return result
