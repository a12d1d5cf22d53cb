# Two commands do all the set-up on a fresh Debian machine:
#   make site   - installs what a build needs and builds the site into output/
#   make test   - installs what the tests need (Python packages, Chromium, the Nu HTML Checker) and runs them
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: site test serve check clean

site: $(VENV)/.runtime
	$(BIN)/python build.py $(BUILD_ARGS)

check: $(VENV)/.runtime
	$(BIN)/python build.py check

serve: $(VENV)/.runtime
	$(BIN)/python build.py serve

test: $(VENV)/.dev
	bash tools/install-system-deps.sh
	$(BIN)/python -m pytest $(PYTEST_ARGS)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(VENV)/.runtime $@

clean:
	$(BIN)/python build.py clean
