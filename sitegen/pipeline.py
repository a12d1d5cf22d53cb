"""The build recipe: load -> validate -> model -> render -> write, one line a step."""

from __future__ import annotations

import contextlib
import functools
import time
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path

import jinja2

from .source import load
from .source import files as source_files

from .source import placeholders
from .agenda.load import load_events
from .agenda.render import model_events, render_agenda
from .source.address import address_hints
from .render.cms import render_admin
from .core.sections import all_sections
from .source.assemble import assemble, hashed_name, withheld_pages
from .incremental.cache import BYTECODE_DIR, CACHE_DIR, DAMAGED_NOTICE, BuildCache, drop_cache
from .incremental.lock import BUSY_MESSAGE, BusyError, locked
from .incremental.agenda import expanded, same_events
from .incremental.engine import convert_bodies, hint_pages, page_check
from .core.errors import ContentError, Location, Problem, Problems
from .incremental.fastpath import unchanged_build
from .render.help import check_help
from .render.feeds import feed_links, render_feeds
from .agenda.ical import render_calendars
from .render.listings import check_dates, render_listings
from .core.model import Output, Site, SiteConfig, Theme
from .incremental.bytecode import TemplateBytecodeCache
from .incremental.memo import Steps, carry
from .incremental.parallel import WRITE_MINIMUM, default_workers, fork_map
from .core.atomic import real_folder
from .core.options import BuildOptions
from .core.stopwatch import Stopwatch
from .core.paths import site_paths
from .render.pages import (content_pages, environment, render_not_found, render_page, render_redirects,
                           template_globals)
from .render.search import check_search_terms, render_search, render_search_index
from .source.search_terms import load_search_terms
from .incremental.store import CacheDamaged
from .incremental.search_keep import kept_carry  # the search index kept for the next process's build
from .render.sitemap import render_robots, render_sitemap
from .source.unchanged import StatKeys
from .source.theme import FAVICON, check_logo, checked_colours, favicon, stylesheet_addition
from .core.urls import asset_url, href
from .render.validate import check_duplicate_outputs, check_internal_links, check_unique_urls
from .write.guard import check_output_dir
from .write.spare import TREES_DIR, prune_work_folders, work_dir
from .write.writer import write_site

STAT_KEYS = "stat keys"  # cache.memory: each page file's stat_key at the last build (source/unchanged.py)
STAT_UNSURE = "stat unsure"  # cache.memory: the page files too new to trust then, as they were


@dataclass
class BuildResult:
    site: Site | None
    outputs: list[Output]
    warnings: list[Problem] = field(default_factory=list)
    cache: BuildCache = field(default_factory=BuildCache)
    summary: dict = field(default_factory=dict)  # pages, events, feeds
    notices: list[str] = field(default_factory=list)  # said once, not kept with the warnings (a dropped cache)
    watch: Stopwatch = field(default_factory=Stopwatch)  # the time of each step (build.py --timings)
    scheduled: list = field(default_factory=list)  # (moment, path under content/) of items not yet online


def generate(options: BuildOptions, cache: BuildCache | None = None) -> BuildResult:
    """Everything a build makes, in memory; raises ContentError with every problem found.

    cache: an in-memory cache to reuse (the dev server keeps one); else the site's cache on disk, which is
    dropped (and the work done again without it) when it turns out to be damaged."""
    if cache is not None or not options.use_cache:
        return _generate(options, cache or BuildCache(), kept=cache is not None)
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(_cache_lock(options))
        except OSError:  # no .cache/ can be made (a read-only checkout): a check needs none
            return _generate(replace(options, use_cache=False), BuildCache(), kept=False)
        try:
            return _generate(options, BuildCache.load(options.root))
        except CacheDamaged:
            drop_cache(options.root)
            result = _generate(options, BuildCache.load(options.root))
            result.notices.append(DAMAGED_NOTICE)
            return result


@contextlib.contextmanager
def _cache_lock(options: BuildOptions):
    """The site's cache, for this build alone; a ContentError when another build holds it."""
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(locked(options.root))
        except BusyError:
            raise ContentError([Problem(Location(str(options.root / CACHE_DIR)), BUSY_MESSAGE + ".")]) from None
        yield


def _generate(options: BuildOptions, cache: BuildCache, kept: bool = True) -> BuildResult:
    """The build in memory. kept: whether the cache outlives the build (else the render steps record no reads)."""
    watch = Stopwatch()
    problems = Problems()
    paths = site_paths(options.root)
    cache.used.clear()
    workers = options.workers or default_workers()
    config = load.load_config(paths, problems)
    listing, sources, unreadable = _load_pages(paths, config, options, cache, kept, problems)
    pending = withheld_pages(sources, options.now)  # what the public site does not show now
    withheld = {} if options.drafts else pending  # a preview (--drafts, serve) shows it, saying so
    watch.lap("load pages")
    _hints([s for s in sources if s.rel not in withheld], config, cache, workers, problems)
    events, examples = shown_events(load_events(paths, problems, cache.sources, cache.used,
                                                config.villages if config else ()), options.demo)
    watch.lap("hints, load activities")
    if config is None:
        problems.raise_if_errors()
    # Go on with what could be read, so an editor sees every problem in one run.
    files = source_files.content_files(paths, listing)
    cms_dist = source_files.cms_dist(paths)  # its files are copied only for a site whose web editor can start
    wants_cms = config is not None and (config.cms is not None or options.cms_proxy is not None)
    cms_scripts = source_files.cms_script_files(cms_dist) if wants_cms and cms_dist is not None else []
    static, own_outputs, stylesheet = site_specific(config, paths, source_files.static_files(paths, problems),
                                                    problems)
    convert = lambda items, links: convert_bodies(items, links, cache, workers)  # noqa: E731
    memory = cache.memory if kept else {}  # what the build before in this process made (the dev server)
    keep = functools.partial(carry, memory)
    site = assemble(config, sources, files, static + cms_scripts, options.now, problems,
                    base_url=options.base_url, withheld=withheld, unreadable=unreadable,
                    image_sizes=source_files.image_sizes(files), convert=convert, stylesheet=stylesheet,
                    previewed=pending if options.drafts else None, check=page_check(cache), carry=keep)
    watch.lap("files, markdown")
    problems.raise_if_errors()
    site = replace(site, events=same_events(memory, model_events(events, site, problems, convert, keep)),
                   search_terms=load_search_terms(paths, problems))
    site = replace(site, occurrences=expanded(site, cache if kept else None))
    site = replace(site, feeds=feed_links(site))
    check_unique_urls(site, problems)
    check_help(site, problems)
    check_search_terms(site, problems)
    check_dates(site, problems)
    problems.raise_if_errors()
    watch.lap("activities, checks")
    steps = Steps(cache if kept else None, site, load.template_digest(paths), workers)
    outputs = render_all(paths.templates, site, problems, steps, search=options.search,
                         bytecode_cache=_bytecode_cache(options, paths))
    watch.lap("render")
    stylesheet = href(site.base_url, site.stylesheet) if site.stylesheet else None  # under a subpath too
    outputs += render_admin(site, stylesheet, cms_dist is not None, options.cms_proxy)
    outputs += own_outputs
    check_duplicate_outputs(outputs, problems)
    check_internal_links(site, outputs, sources, problems, steps.missing_links)
    problems.raise_if_errors()
    watch.lap("check links")
    result = _result(site, outputs, problems, cache, withheld, examples)
    result.watch = watch
    return result


def _load_pages(paths, config: SiteConfig | None, options: BuildOptions, cache: BuildCache, kept: bool,
                problems: Problems) -> tuple[list, list, set[str]]:
    """content/'s files, and its pages read (or taken from the cache: source/unchanged.py)."""
    listing = load.content_listing(paths, problems, cache.memory.setdefault("listed", {}) if kept else None)
    stat = StatKeys(cache.memory.get(STAT_KEYS, {}), options.changed if kept else None)
    sources, unreadable = load.load_pages(paths, problems, listing, cache.sources, cache.used, all_sections(config),
                                          stat)
    cache.memory[STAT_KEYS] = stat.seen  # the dev server's next build trusts them for the files not saved since
    cache.memory[STAT_UNSURE] = stat.unsure  # and looks at these again (LiveSite.missed: at either)
    return listing, sources, unreadable


def _hints(published: list, config: SiteConfig | None, cache: BuildCache, workers: int, problems: Problems) -> None:
    """Warnings about what will be published (never a gate), and the placeholders init left in it."""
    problems.extend(hint_pages(published, cache, workers))
    if config is not None:
        problems.extend(address_hints(published, config.address_form, page_check(cache)))  # one form of address
    for source in published:
        placeholders.report(source.source, source.placeholders, problems)


def _bytecode_cache(options: BuildOptions, paths) -> TemplateBytecodeCache:
    """The compiled templates kept between builds: in the site's .cache/ (not for a build without a cache)
    and in this user's folder that every site shares (incremental/bytecode.py)."""
    if not options.use_cache:
        return TemplateBytecodeCache(None)
    return TemplateBytecodeCache(str(real_folder(paths.root / CACHE_DIR / BYTECODE_DIR, base=paths.root)))


def _work_dir(options: BuildOptions) -> Path:
    """Where the output trees are kept (write/spare.py), every folder of it in .cache/ a real one: the spare
    is the previous output/, a page taken down for privacy reasons included, and a link in the place of
    any of them would have it written where that points (a folder a web server publishes)."""
    root = options.root.resolve()
    trees = real_folder(root / CACHE_DIR / TREES_DIR, base=root)  # before work_dir() looks at where it lies
    work = work_dir(options.output, root)
    if not work.is_relative_to(trees):
        return work
    prune_work_folders(trees, work, time.time())
    return real_folder(work, base=root)


def _result(site: Site, outputs: list[Output], problems: Problems, cache: BuildCache, withheld: dict,
            examples: int) -> BuildResult:
    """What a build made, with its warnings, its counts and the items that wait for their day."""
    feed_paths = {f.url.lstrip("/") for f in site.feeds}
    summary = {"pages": len(site.pages), "events": len(site.events),
               "feeds": sum(1 for o in outputs if o.path in feed_paths)}
    scheduled = sorted((w.online, rel) for rel, w in withheld.items() if w.online is not None)
    return BuildResult(site, outputs, problems.warnings, cache, summary, scheduled=scheduled,
                       notices=examples_notice(examples))


def examples_notice(count: int) -> list[str]:
    """What a build without --demo says about the example activities it left out."""
    if not count:
        return []
    what = ("1 voorbeeldactiviteit (example: true) staat" if count == 1
            else f"{count} voorbeeldactiviteiten (example: true) staan")
    return [f"{what} niet op de site. Bekijk ze met build.py serve of build.py --demo"]


def shown_events(events: tuple, demo: bool) -> tuple[tuple, int]:
    """The activities a build shows, and how many examples it left out: examples only in a demo build
    (--demo, serve, redactie), never on the public site."""
    if demo:
        return events, 0
    shown = tuple(e for e in events if not e.example)
    return shown, len(events) - len(shown)


def site_specific(config: SiteConfig | None, paths, static: list[tuple[str, Path]],
                  problems: Problems) -> tuple[list[tuple[str, Path]], list[Output], str | None]:
    """What site.yaml's theme changes in the static files: its colours appended to the stylesheet (under a
    new hashed name) and the favicon in the accent colour.
    Returns the static files still to copy as they are, the generated files, and the stylesheet's URL."""
    if config is None:
        return static, [], None
    theme = config.theme or Theme()
    css = source_files.stylesheet_text(static)
    colours = checked_colours(theme, css, problems)
    check_logo(theme, source_files.logo_head(paths, theme.logo), problems)
    outputs = [] if FAVICON in dict(static) else [favicon(colours, css)]
    stylesheet = None
    if colours:
        data = css.encode("utf-8") + stylesheet_addition(colours)
        name = hashed_name("css/site.css", data)
        outputs.append(Output(name, data, config.source))
        stylesheet = asset_url(name)
        static = [(rel, path) for rel, path in static if rel != "css/site.css"]
    return static, outputs, stylesheet


def render_all(template_dirs: tuple[Path, ...], site: Site, problems: Problems, steps: Steps | None = None,
               search: bool = True, bytecode_cache=None) -> list[Output]:
    """Every generated file: pages, listings, agenda, redirects, 404, search, feeds, calendars, sitemap.

    Each is a step of `steps`, which reuses what a step made before when nothing it read has changed."""
    steps = steps or Steps(None, site)
    env = environment(template_dirs, bytecode_cache)
    steps.prepare = lambda view: env.globals.update(template_globals(view))
    try:
        outputs = [output for rendered in steps.many(
            [("page:" + page.url, lambda view, map_fn, url=page.url: [render_page(env, view, view.page_by_url(url))])
             for page in content_pages(site)], templated=True) for output in rendered]
        outputs += steps.run("listings", lambda view, map_fn: render_listings(env, view), templated=True)
        outputs += steps.run("agenda", lambda view, map_fn: render_agenda(env, view, map_fn), templated=True)
        outputs += steps.run("redirects", lambda view, map_fn: render_redirects(env, view), templated=True)
        outputs += steps.run("404", lambda view, map_fn: [render_not_found(env, view)], templated=True)
        outputs += steps.run("search", lambda view, map_fn: [render_search(env, view)], templated=True)
    except jinja2.TemplateSyntaxError as exc:
        problems.error(Location(f"templates/{exc.name or exc.filename}", exc.lineno or 0),
                       f"fout in het sjabloon: {exc.message}.")
        return []
    except jinja2.TemplateNotFound as exc:
        problems.error(Location("templates"), f"het sjabloon '{exc.name}' bestaat niet. Kies een sjabloon "
                       "uit de map templates/, zoals page.html.")
        return []
    except jinja2.UndefinedError as exc:
        problems.error(template_location(exc, template_dirs),
                       f"het sjabloon gebruikt iets dat niet bestaat ({exc.message}). Controleer de naam, "
                       "bijvoorbeeld page.title, of zet er {% if ... %} omheen als het er niet altijd is.")
        return []
    outputs += steps.run("feeds", lambda view, map_fn: render_feeds(view))
    outputs += steps.run("calendars", lambda view, map_fn: render_calendars(view, map_fn))
    listed = steps.listed_urls(site, outputs)
    outputs += steps.run("sitemap", lambda view, map_fn: [render_sitemap(view, listed)], arguments=listed)
    outputs.append(render_robots(site))
    if search:
        outputs += render_search_index(site, steps.pure_map, kept_carry(steps.cache, steps.carry))
    return outputs


def template_location(exc: Exception, template_dirs: tuple[Path, ...]) -> Location:
    """The template file and line where a rendering error happened (jinja2 puts them in the traceback)."""
    found = Location("templates")
    for frame, line in traceback.walk_tb(exc.__traceback__):
        filename = Path(frame.f_code.co_filename)
        for folder in template_dirs:
            if filename.is_relative_to(folder):
                found = Location(f"templates/{filename.relative_to(folder).as_posix()}", line)
    return found


def build(options: BuildOptions, fingerprint: str | None = None, damaged: bool = False) -> BuildResult:
    """Generate the site and, only if that fully succeeded, put it in place of output/.

    When no input file and no setting changed since the last build and output/ is intact,
    nothing is done at all: that is what makes a no-change rebuild instant. The cache is saved just
    before the swap (or not at all, when the build fails). damaged: the no-change check found the
    cache damaged (fastpath.unchanged_build)."""
    refusal = check_output_dir(options.output, options.root)
    if refusal:
        raise ContentError([Problem(Location(str(options.output)), refusal + ".")])
    if fingerprint is None:  # else the caller has just found that something changed
        previous, fingerprint, damaged = unchanged_build(options)
        if previous is not None:
            return BuildResult(None, [], previous["warnings"], summary=previous["summary"])
    if not options.use_cache:
        return _generate_and_write(options, BuildCache(), fingerprint)
    with _cache_lock(options):
        if damaged:
            drop_cache(options.root)
        try:
            result = _generate_and_write(options, BuildCache.load(options.root), fingerprint)
        except CacheDamaged:  # a damaged cache: never a reason to fail, only to start again without it
            drop_cache(options.root)
            damaged = True
            result = _generate_and_write(options, BuildCache.load(options.root), fingerprint)
    if damaged:
        result.notices.append(DAMAGED_NOTICE)
    return result


def _generate_and_write(options: BuildOptions, cache: BuildCache, fingerprint: str | None) -> BuildResult:
    result = _generate(options, cache, kept=options.use_cache)
    notices: list[str] = []

    def save(manifest: dict[str, str]) -> None:  # before the swap: see write/writer.py
        result.watch.lap("write files")
        if options.use_cache:
            result.cache.save(options.root,
                              {"fingerprint": fingerprint, "manifest": manifest, "summary": result.summary,
                               "warnings": result.warnings})
            result.watch.lap("save cache")

    workers = options.workers or default_workers()
    write_site(options.output, result.outputs, list(result.site.assets),
               variant=f"search={options.search}", commit=save, notice=notices.append, work=_work_dir(options),
               map_fn=lambda function, items: fork_map(function, items, workers, WRITE_MINIMUM))
    result.watch.lap("swap output")
    result.notices.extend(notices)
    return result
