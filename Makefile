# The two commands for a fresh clone: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SITE_STAMP := $(VENV)/.site-installed
DEV_STAMP := $(VENV)/.dev-installed

.PHONY: site test serve lint clean

site: $(SITE_STAMP)  ## generate docs/ from dumps/, then build site/ with MkDocs (strict)
	$(BIN)/python -m generator --strict
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

test: $(DEV_STAMP)  ## lint, type check and run every test
	$(BIN)/ruff check generator tests
	$(BIN)/ruff format --check generator tests
	$(BIN)/mypy
	$(BIN)/pytest

serve: $(SITE_STAMP)  ## live preview on http://127.0.0.1:8000
	$(BIN)/python -m generator
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(SITE_STAMP): requirements.txt constraints.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements.txt -c constraints.txt
	touch $@

$(DEV_STAMP): $(SITE_STAMP) requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $@

clean:
	rm -rf site $(VENV)

.PHONY: screenshots
screenshots: $(DEV_STAMP)  ## PNGs of the home, a topic and a paper page (desktop, phone) in screenshots/
	$(BIN)/python -m tests.screenshots
