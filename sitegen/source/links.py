"""Where the links of a text lead: the one place that turns a link target written in content/ into a URL,
and the plain conversion of texts with it (the build's own, cached one is in incremental/engine.py)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from ..core.hashing import digest
from ..core.urls import href, resolve_relative
from .markdown import Conversion, MarkdownConverter


@dataclass(frozen=True)
class LinkContext:
    """Everything a page's links can lead to: the one place that turns a link target into a URL."""

    urls_by_rel: dict[str, str]
    asset_urls: dict[str, str]
    image_sizes: dict[str, tuple[int, int]]
    base: str

    def site_url(self, rel: str, target: str) -> str | None:
        """The site URL of a link written in content/<rel>, or None when it leads nowhere."""
        path, _, fragment = target.partition("#")
        if not path:
            return target
        if path.startswith("/"):
            return target  # a site path such as /agenda/: checked against the written output
        found_rel = resolve_relative(rel, path)
        if found_rel.startswith("../") or found_rel == "..":
            return None
        if found_rel.endswith("/"):
            found_rel = found_rel.rstrip("/") + "/index.md"
        found = self.urls_by_rel.get(found_rel) or self.asset_urls.get(found_rel)
        if found is None and found_rel + "/index.md" in self.urls_by_rel:
            found = self.urls_by_rel[found_rel + "/index.md"]
        if found is None:
            return None
        return found + ("#" + fragment if fragment else "")

    @functools.cached_property
    def answers_digest(self) -> str:
        """Equal digests mean every lookup gives the same answer (so no need to ask them again)."""
        return digest(self.base, repr(sorted(self.urls_by_rel.items())), repr(sorted(self.asset_urls.items())),
                      repr(sorted(self.image_sizes.items())))

    def resolve(self, rel: str, target: str) -> str | None:
        url = self.site_url(rel, target)
        return None if url is None else href(self.base, url)

    def size(self, rel: str, target: str) -> tuple[int, int] | None:
        return self.image_sizes.get(resolve_relative(rel, target.partition("#")[0]))


def convert_all(items: list[tuple[str, object]], links: LinkContext) -> list[Conversion]:
    """The conversion of each (rel, markdown) pair; rel is the file the text is in, which relative links
    start from. What a feature uses when the build gives it no faster way (see assemble, model_events)."""
    converter = MarkdownConverter()
    return [converter.convert(str(body), lambda target, rel=rel: links.resolve(rel, target),
                              lambda target, rel=rel: links.size(rel, target)) for rel, body in items]
