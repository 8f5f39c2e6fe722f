# The two commands of the README: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= juntos.db
HOST   ?= 127.0.0.1
PORT   ?= 8000
LOCALE := juntos/locale

.PHONY: calendar-js run test install install-test catalogs extract-messages docs lint bench screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed catalogs

install-test: $(VENV)/.installed-test catalogs

# Compiled catalogues (.mo) are committed too (so pip alone installs Portuguese); a test checks
# they match the .po files. This target refreshes them after translating.
catalogs: $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy --statistics -d $(LOCALE) -D messages 2>&1 | grep -v '^$$' || true

# Refresh the template from the code and merge it into every catalogue.
extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract --ignore-dirs='.* __pycache__' --no-location --sort-output -F babel.cfg -o $(LOCALE)/messages.pot juntos
	$(BIN)/pybabel update --no-fuzzy-matching -i $(LOCALE)/messages.pot -d $(LOCALE) -D messages

# The CLI reference is generated from the commands (a test checks it is current).
docs: $(VENV)/.installed
	$(BIN)/python -m juntos.clidocs > docs/cli.md

# The demo loads into a new (or empty) database, and an interrupted load is completed first:
# never served half loaded. A database with other data is left alone.
run: install
	$(BIN)/juntos --db "$(DB)" init
	$(BIN)/juntos --db "$(DB)" demo --if-incomplete
	$(BIN)/juntos --db "$(DB)" serve --host $(HOST) --port $(PORT)

test: install-test calendar-js
	$(BIN)/ruff check juntos tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Test-only: ical.js (Thunderbird's and Nextcloud's parser) reads our feeds, when Node is here.
calendar-js:
	@if command -v npm >/dev/null 2>&1 && [ ! -d tests/calendar/js/node_modules/ical.js ]; then \
	  (cd tests/calendar/js && npm ci --no-audit --no-fund --silent) || echo "ical.js not installed: its tests will be skipped"; \
	fi

lint: install-test
	$(BIN)/ruff check juntos tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy

bench: install-test
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# The main pages at 360 px and 1280 px, in English and Portuguese, as the demo member sees
# them: PNGs in screenshots/ (git-ignored) and a line per page on what is too wide or too small.
screenshots: install-test
	$(BIN)/python -m tests.e2e.screenshots $(SCREENSHOT_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
