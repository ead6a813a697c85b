# The two commands for a fresh clone: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SITE_STAMP := $(VENV)/.site-installed
DEV_STAMP := $(VENV)/.dev-installed
NODE_STAMP := node_modules/.installed
KATEX := docs/assets/vendor/katex

.PHONY: site test serve lint clean chromium java bench resolve

site: $(SITE_STAMP) $(NODE_STAMP) $(KATEX)/.copied  ## generate docs/, build site/ with MkDocs (strict), index it for search
	$(BIN)/python -m generator --strict
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict
	$(BIN)/python -m generator.search_index --site site

# The one step that goes online: look the dumps' papers up on the Hugging Face Hub (HF_ENDPOINT
# chooses another server) and record them in dumps/papers.lock.yml, which `make site` reads.
resolve: $(SITE_STAMP)  ## find new papers on the Hub: arXiv ids, authors, links (dumps/papers.lock.yml)
	$(BIN)/python -m generator.resolve

test: lint $(NODE_STAMP) $(KATEX)/.copied chromium java  ## lint, type check and run every test
	$(BIN)/pytest

lint: $(DEV_STAMP)  ## ruff (lint and format) and mypy --strict
	$(BIN)/ruff check generator tests benchmarks
	$(BIN)/ruff format --check generator tests benchmarks
	$(BIN)/mypy

serve: $(SITE_STAMP) $(KATEX)/.copied  ## live preview on http://127.0.0.1:8000
	$(BIN)/python -m generator
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve

# The browser tests drive the Chrome or Chromium already here ($$CHROME_PATH, or chromium,
# chromium-browser or google-chrome on PATH); Debian's chromium is installed only where there is
# none (Playwright's own browser download is not used).
chromium:
	@[ -n "$$CHROME_PATH" ] || command -v chromium || command -v chromium-browser || command -v google-chrome || command -v google-chrome-stable || (apt-get update && apt-get install -y chromium)

# The Nu HTML checker (vnu.jar, from npm) runs on Java: Debian's is installed only where there is
# none.
java:
	@command -v java || (apt-get update && apt-get install -y default-jre-headless)

bench: $(DEV_STAMP) $(NODE_STAMP)  ## build 1,000, 10,000 and 30,000 synthetic papers and measure (benchmarks/)
	for n in 1000 10000 30000; do \
	  $(BIN)/python benchmarks/run.py --papers $$n --json benchmarks/results/$$n.json || exit 1; \
	done

# The interpreter is checked first: one line naming what was found, and how to choose another.
$(VENV)/bin/python:
	@command -v $(PYTHON) >/dev/null || { echo "make: $(PYTHON) not found: Python 3.11 or later is needed (choose one with PYTHON=..., e.g. make site PYTHON=python3.12)" >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "make: $(PYTHON) is Python $$($(PYTHON) -c 'import platform; print(platform.python_version())'): 3.11 or later is needed (choose one with PYTHON=..., e.g. make site PYTHON=python3.12)" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(SITE_STAMP): requirements.txt constraints.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements.txt -c constraints.txt
	touch $@

# Pagefind 1.6, whose binary indexes the site for search, is published on npm only; so are
# axe-core and the Nu HTML checker, which the tests use. No install script runs: vnu-jar's would
# download a Java runtime, which the java target installs from Debian instead.
$(NODE_STAMP): package.json package-lock.json
	command -v npm >/dev/null || (apt-get update && apt-get install -y npm)
	npm ci --no-audit --no-fund --loglevel=error --ignore-scripts
	touch $@

# KaTeX, which draws the math in titles and abstracts, is served by the site itself: its script,
# style sheet and WOFF2 fonts (what every current browser takes) are copied from the npm package.
$(KATEX)/.copied: $(NODE_STAMP)
	rm -rf $(KATEX) && mkdir -p $(KATEX)/fonts
	cp node_modules/katex/dist/katex.min.js node_modules/katex/dist/katex.min.css node_modules/katex/LICENSE $(KATEX)/
	cp node_modules/katex/dist/fonts/*.woff2 $(KATEX)/fonts/
	touch $@

$(DEV_STAMP): $(SITE_STAMP) requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $@

clean:
	rm -rf site $(VENV) node_modules $(KATEX)

.PHONY: screenshots
screenshots: $(DEV_STAMP) $(KATEX)/.copied  ## PNGs of the home, a topic and a paper page (desktop, phone) in screenshots/
	$(BIN)/python -m tests.screenshots
