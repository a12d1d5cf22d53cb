# Two commands do all the set-up on a fresh Debian machine:
#   make site   - installs what a build needs and builds the site into output/
#   make test   - installs what the tests need (Python packages, Chromium, the Nu HTML Checker, nginx) and runs them
#   make test SITE=map - the content-independent tests against another coalition's site
#   make test-fast - the tests not marked slow, for the edit-test loop (under a minute on 2 cores)
PYTHON ?= python3
# Python keeps the bytecode of the modules it compiled (__pycache__/, ignored by git). Some shells and CI
# images set PYTHONDONTWRITEBYTECODE, which makes every build.py process of the tests compile the generator
# again (~0.25 s a process, hundreds of them); what make runs keeps it.
unexport PYTHONDONTWRITEBYTECODE
VENV := .venv
BIN := $(VENV)/bin

.PHONY: site test test-fast serve check clean redactie

site: $(VENV)/.runtime
	$(BIN)/python build.py $(BUILD_ARGS)

# On a mistake, make's own last line would be English ("Error 1"): this Dutch line is the last one instead.
check: $(VENV)/.runtime
	@$(BIN)/python build.py check || { echo "Controle: er zijn fouten gevonden, zie hierboven. Verbeter ze en draai make check opnieuw." >&2; exit 1; }

serve: $(VENV)/.runtime
	$(BIN)/python build.py serve

# The web editor on this computer: the site on http://127.0.0.1:$(PORT)/, the editor on /admin/ (docs/redactie.md).
# Its backend (saving into content/ only) answers on the same port: sitegen/tools/editor_backend.py.
PORT ?= 8000
redactie: $(VENV)/.runtime node_modules/.tools-installed
	$(BIN)/python build.py redactie --port $(PORT)

node_modules/.tools-installed: package-lock.json
	python3 tools/npm_tools.py

# make test SITE=map: the content-independent tests (marked any_site, tests/test_any_site.py) against that
# site folder, built under a sub-path; every test about this repository's own sites skips, with the reason.
# The tests run in $(WORKERS) processes (pytest-xdist), a whole test file in one process (--dist loadfile), so
# a file's shared fixtures (a built site, a server) are made once. WORKERS=1: one process, in order.
WORKERS ?= 2
XDIST = $(if $(filter 1,$(WORKERS)),,-n $(WORKERS) --dist loadfile)
test: $(VENV)/.dev
	bash tools/install-system-deps.sh
	$(BIN)/python -m pytest $(XDIST) $(if $(SITE),--site=$(abspath $(SITE))) $(PYTEST_ARGS)

# The edit-test loop: every test not marked slow (no Chromium, nginx, apache or real-site build), no installs.
# The full suite (make test) stays what CI and a release run.
test-fast: $(VENV)/.dev
	$(BIN)/python -m pytest $(XDIST) -m "not slow" $(PYTEST_ARGS)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# The requirements files pin every package, their dependencies too (tests/test_requirements.py), so pip
# installs them as listed (--no-deps: no resolving) and pip check confirms nothing is missing; it compiles
# no bytecode ahead (--no-compile): Python does that for the modules a program imports, when it imports them.
PIP_INSTALL = $(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-compile
$(VENV)/.runtime: requirements.txt $(VENV)/bin/python
	$(PIP_INSTALL) -r requirements.txt
	$(BIN)/python -m pip check --disable-pip-version-check >/dev/null
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/bin/python
	$(PIP_INSTALL) -r requirements-dev.txt
	$(BIN)/python -m pip check --disable-pip-version-check >/dev/null
	touch $(VENV)/.runtime $@

clean:
	$(BIN)/python build.py clean
