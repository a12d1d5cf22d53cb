"""Reuse between builds: the no-change check, the cache and its store, conversions, worker processes."""
