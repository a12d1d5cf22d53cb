"""Facts every layer shares: problems and their places, the site model, URLs, dates, paths, options."""
