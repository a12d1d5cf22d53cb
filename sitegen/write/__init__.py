"""The only code that touches output/: the new tree is made in the site's .cache/ and swapped in at once."""
