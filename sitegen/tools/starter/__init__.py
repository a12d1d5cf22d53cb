"""`build.py init MAP`: a new coalition's own site folder. command.py runs it; answers.py takes and checks
what the coalition gives; pages.py, settings.py and repository.py write the files of the new site."""
