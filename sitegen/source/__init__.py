"""Reading and checking what editors write: YAML and its schemas, markdown, front matter, the site model."""
