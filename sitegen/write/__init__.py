"""The only code that touches output/: the new tree is made beside it and swapped in at once."""
