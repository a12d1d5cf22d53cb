"""`build.py serve`: build in memory, serve on 127.0.0.1, rebuild when a source changes, reload the browser.

The site is generated with the same `generate()` as a build, into memory: output/ is never touched. A watchdog
observer watches content/, templates/, static/ and site.yaml; a change triggers a rebuild after a short quiet
spell, and every open tab is told to reload over server-sent events (/__livereload). Pages get a
`<script src="/__livereload.js">` only here (our pages allow scripts from their own host only). When the
content has errors, HTML requests get a Dutch page listing them, while the last good build keeps serving the
rest; saving the fixed file brings the pages back by themselves.

Each rebuild is a whole build, and it keeps the build cache in memory between rebuilds (`LiveSite.cache`),
so an edit re-renders only what it touches. That is the same cache a build keeps in .cache/, under the same
proof: a cached build gives the bytes of a clean one (tests/test_cache.py, house rule 9).

live.py holds the served state and the rebuild, watch.py the file watcher, preview.py what only the preview
adds to a page (live-reload script, warnings panel, error page), handler.py the HTTP request handler, command.py
starting, running and stopping it all.
"""
