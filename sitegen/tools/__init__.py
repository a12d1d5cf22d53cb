"""Commands around the build: the preview server, the web editor, new files, newsletter import, init."""
