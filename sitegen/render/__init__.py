"""Everything a resident or a client reads, rendered from the site model: pages, lists, feeds, search."""
